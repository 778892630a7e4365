"""Each check on small, named situations (table-driven; ids read as sentences)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from ptmscope.attributes.audit import audit_facts
from ptmscope.attributes.facts import CommitSummary
from ptmscope.attributes.registry import check_by_id
from ptmscope.formats.safetensors import HeaderProblem, ProblemKind, SafetensorsHeader
from ptmscope.records import Outcome

from .factories import BAD_CARDS, BASE_TIME, GOOD_CARD, facts_for

P, PA, M = Outcome.PRESENT, Outcome.PARTIAL, Outcome.MISSING
NA, NAV = Outcome.NOT_APPLICABLE, Outcome.NOT_AVAILABLE


def outcome(check_id: str, text: str | None, files: Sequence[str] = (), **kw: Any) -> Outcome:
    result = check_by_id(check_id).run(facts_for(text, files, **kw))
    assert result.outcome is not Outcome.ERROR, result.message
    return result.outcome


def test_a_well_documented_card_is_present_almost_everywhere() -> None:
    audit = audit_facts(facts_for(GOOD_CARD, ["model.safetensors", "requirements.txt"],
                                  downloads=10, likes=2))
    lacking = {c.id: r.outcome for c, r in audit.results if r.outcome is not P}
    assert set(lacking) <= {"training-logs", "training-code", "quantized-variants",
                            "size-parameters", "commits", "last-change", "claims-valid"}, lacking
    assert audit.result("evaluation-results").outcome is P
    assert audit.result("licence").evidence[0].line == 2


CASES: list[tuple[str, str, str | None, Sequence[str], Outcome]] = [
    ("licence", "a declared licence is present", "---\nlicense: mit\n---\n", (), P),
    ("licence", "licence other without a name is partial", "---\nlicense: other\n---\n", (), PA),
    ("licence", "licence other with a name is present",
     "---\nlicense: other\nlicense_name: llama3\n---\n", (), P),
    ("licence", "a LICENSE file without metadata is partial", "# card\n", ("LICENSE",), PA),
    ("licence", "no licence anywhere is missing", "---\ntags: [x]\n---\n", (), M),
    ("base-model", "base model with relation is present",
     "---\nbase_model: a/b\nbase_model_relation: adapter\n---\n", (), P),
    ("base-model", "base model without relation is partial", "---\nbase_model: [a/b, c/d]\n---\n",
     (), PA),
    ("base-model", "base model only in prose is partial",
     "# m\nThis is a fine-tuned version of [bert-base](x) on data.\n", (), PA),
    ("training-datasets", "datasets in metadata are present", "---\ndatasets: glue\n---\n", (), P),
    ("training-datasets", "a filled training data section is partial",
     "# m\n## Training Data\nWikipedia dumps.\n", (), PA),
    ("training-datasets", "an unfilled training data section is missing",
     "# m\n## Training Data\n[More Information Needed]\n", (), M),
    ("paper", "an arxiv link in prose is present", "See https://arxiv.org/abs/1810.04805\n", (),
     P),
    ("paper", "no paper is missing", "# m\n", (), M),
    ("upstream-code", "a github link is present", "Code at https://github.com/o/r\n", (), P),
    ("upstream-code", "a link to the transformers library is not upstream code",
     "Uses https://github.com/huggingface/transformers\n", (), M),
    ("training-logs", "tensorboard event files are present", "# m\n",
     ("runs/Jan01/events.out.tfevents.1.host",), P),
    ("hyperparameters", "training_args.bin counts by name (never opened)", "# m\n",
     ("training_args.bin",), P),
    ("training-code", "a training script is present", "# m\n", ("scripts/train.sh",), P),
    ("environment", "a requirements file is present", "# m\n", ("requirements.txt",), P),
    ("environment", "only pip install is partial", "Run pip install transformers.\n", (), PA),
    ("environment", "an environmental impact (CO2) section is not an environment",
     "# m\n## Environmental Impact\nAbout 0.1 kg CO2eq.\n", (), M),
    ("environment", "an environment section is present",
     "# m\n## Environment\ntorch 2.3, transformers 4.40\n", (), P),
    ("weight-formats", "only pytorch weights are partial", "# m\n", ("pytorch_model.bin",), PA),
    ("weight-formats", "training_args.bin is not a weight file", "# m\n",
     ("training_args.bin",), M),
    ("weight-formats", "gguf weights are present", "# m\n", ("model-q4_k_m.gguf",), P),
    ("quantized-variants", "a gguf file is a quantized variant", "# m\n", ("m.Q4_K_M.gguf",), P),
    ("library", "a guessed library is partial", "# m\n", ("adapter_config.json",), PA),
    ("usage-instructions", "a usage section without code is partial",
     "# m\n## Usage\nCall it.\n", (), PA),
    ("usage-instructions", "a heading inside code is not a usage section",
     "# m\n```\n## Usage\nfoo\n```\n", (), M),
    ("template-sections", "no sections at all is missing", "just text\n", (), M),
    ("placeholders", "no placeholders is present", "# m\ntext\n", (), P),
    ("placeholders", "placeholders left are partial", "# m\n[More Information Needed]\n", (), PA),
    ("usage-example", "code that does not load a model is partial",
     "# m\n```\nls -la\n```\n", (), PA),
    ("limitations", "an unfilled limitations section is partial",
     "# m\n## Limitations\n[More Information Needed]\n", (), PA),
    ("citation", "a bibtex entry is present", "@misc{x, title={y}}\n", (), P),
    ("metadata", "a card without front matter is missing metadata", "# m\n", (), M),
    ("metadata", "tab-indented yaml is partial", "---\nlicense: mit\ntags:\n\t- a\n---\n", (), PA),
    ("metadata", "yaml that is a list is partial", "---\n- a\n---\n", (), PA),
    ("card-present", "an empty card is partial", "", (), PA),
    ("card-present", "a whitespace card is partial", "  \n\n", (), PA),
    ("claims-valid", "no model-index is not applicable", "---\nlicense: mit\n---\n", (), NA),
    ("claims-valid", "a model-index of the wrong shape is missing",
     "---\nmodel-index: {results: 3}\n---\n", (), M),
    ("evaluation-results", "results only in prose are partial",
     "# m\n## Evaluation\nAccuracy 91.2 on SST-2.\n", (), PA),
    ("hardware-needs", "memory needs are present", "Needs 16 GB of VRAM.\n", (), P),
    ("training-hardware", "co2 hardware_used is present",
     "---\nco2_eq_emissions:\n  hardware_used: 8 V100\n---\n", (), P),
]


@pytest.mark.parametrize(
    ("check_id", "text", "files", "expected"),
    [(c[0], c[2], c[3], c[4]) for c in CASES],
    ids=[c[1] for c in CASES],
)
def test_check_outcomes(check_id: str, text: str, files: Sequence[str], expected: Outcome) -> None:
    assert outcome(check_id, text, files) is expected


def test_no_card_is_never_reported_as_a_card_without_the_attribute() -> None:
    audit = audit_facts(facts_for(None))
    licence = audit.result("licence")
    assert licence.outcome is M and "no model card" in licence.message
    assert audit.result("card-present").outcome is M
    assert audit.result("placeholders").outcome is NA
    for check, result in audit.results:
        if result.outcome is M and check.category.value != "portability":
            assert "card declares" not in result.message and "card has no" not in result.message


def test_parameter_count_comes_from_safetensors_headers() -> None:
    headers = (SafetensorsHeader("model.safetensors", 2, 1_000, {"F32": 1_000}),)
    result = check_by_id("size-parameters").run(
        facts_for("# m\n", ["model.safetensors"], headers=headers))
    assert result.outcome is P and result.details["parameters"] == 1_000


def test_weights_without_a_readable_header_give_size_only() -> None:
    headers = (HeaderProblem("model.safetensors", "only the Git LFS pointer is on disk",
                             ProblemKind.LFS_POINTER),)
    result = check_by_id("size-parameters").run(
        facts_for("# m\n", ["model.safetensors"], headers=headers))
    assert result.outcome is PA and "LFS pointer" in result.message


def test_quantized_dtypes_in_a_header_count_as_a_quantized_variant() -> None:
    headers = (SafetensorsHeader("model.safetensors", 1, 8, {"I8": 8}),)
    result = check_by_id("quantized-variants").run(
        facts_for("# m\n", ["model.safetensors"], headers=headers))
    assert result.outcome is P


def test_maintenance_is_not_available_when_unknown_and_judged_when_known() -> None:
    unknown = audit_facts(facts_for("# m\n"))
    assert {unknown.result(i).outcome for i in ("commits", "last-change", "downloads",
                                                "likes")} == {NAV}
    old = CommitSummary(5, BASE_TIME.replace(year=2020), BASE_TIME.replace(year=2024), True)
    known = audit_facts(facts_for("# m\n", commits=old, downloads=0, likes=3))
    assert known.result("commits").outcome is P
    assert known.result("last-change").outcome is PA
    assert known.result("downloads").details["downloads"] == 0


def test_a_local_folder_has_no_known_publisher() -> None:
    assert outcome("publisher", "# m\n", name="local/folder") is NAV


@pytest.mark.parametrize(("label", "text"), BAD_CARDS, ids=[b[0] for b in BAD_CARDS])
def test_bad_inputs_give_results_never_errors(label: str, text: str | None) -> None:
    audit = audit_facts(facts_for(text))
    errors = [(c.id, r.message) for c, r in audit.results if r.outcome is Outcome.ERROR]
    assert errors == []
    assert len(audit.results) == len(audit.scores[0].present) * 0 + len(audit.results)
    if label.startswith("model-index"):
        assert audit.result("claims-valid").outcome is M
