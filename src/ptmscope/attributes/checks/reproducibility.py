"""Reproducibility checks: can a reuser obtain the claimed accuracy and latency?

Practitioners look for the training configuration (scripts, hyper-parameters), the hardware,
the environment and the evaluation results; only ~4% of Hub models publish machine-parseable
performance claims.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ptmscope.attributes.base import (
    Category,
    Check,
    CheckResult,
    Evidence,
    missing,
    not_applicable,
    partial,
    present,
)
from ptmscope.attributes.checks._common import (
    clip,
    file_evidence,
    files_matching,
    line_evidence,
    meta_evidence,
    no_card_suffix,
    probe,
    section_evidence,
    sections,
)
from ptmscope.attributes.facts import ModelFacts
from ptmscope.records import Severity

_PROCEDURE = (r"training procedure", r"training details", r"^training$", r"fine ?tuning",
              r"how (?:it|the model) was trained", r"^methodology$")
_HYPER_SECTIONS = (r"hyper ?parameters?", r"training config", r"training setup",
                   r"training arguments")
_HYPER_FILES = re.compile(
    r"(?:^|/)(?:training_args\.(?:bin|json)|hparams\.ya?ml|hyperparams?\.\w+|args\.json|"
    r"train(?:ing)?_config\.\w+|trainer_config\.\w+|config\.ya?ml)$"
)
_HYPER_TEXT = probe(
    r"\b(?:learning[_ ]rate|batch[_ ]size|num[_ ]epochs|epochs?|warmup|weight[_ ]decay)\b"
    r"\s*[:=]?\s*[\d.e-]+",
    "learning", "batch", "epoch", "warmup", "weight",
)
_HARDWARE_SECTIONS = (r"hardware", r"compute infrastructure", r"environmental impact",
                      r"training", r"compute")
_HARDWARE_TEXT = probe(
    r"\b(?:\d+\s*[x×]\s*)?(?:NVIDIA\s+)?(?:A100|H100|H200|V100|A10G?|T4|P100|L4|L40S?|"
    r"RTX\s?\d{4}|GTX\s?\d{3,4}|TPU\s?v\d\w*|TPUv\d\w*|MI\d{3}X?|Gaudi\d?)\b",
    "a100", "h100", "h200", "v100", "a10", "t4", "p100", "l4", "l40", "rtx", "gtx", "tpu",
    "mi1", "mi2", "mi3", "gaudi",
)
_CODE_FILES = re.compile(
    r"(?:^|/)(?:train\w*\.py|run_\w+\.py|finetune\w*\.py|fine_tune\w*\.py|\w*train\w*\.ipynb|"
    r"\w*\.ipynb|scripts/[^/]+\.(?:py|sh))$"
)
_CODE_LINK = probe(
    r"https?://(?:github\.com|gitlab\.com|colab\.research\.google\.com)/\S*"
    r"(?:train|finetun|fine-tun|notebook|\.ipynb|examples?/)\S*",
    "github.com", "gitlab.com", "colab.research",
)
_ENV_FILES = re.compile(
    r"(?:^|/)(?:requirements[\w.-]*\.txt|environment\.ya?ml|conda\.ya?ml|dockerfile|"
    r"docker-compose\.ya?ml|pyproject\.toml|setup\.py|pipfile(?:\.lock)?|poetry\.lock|"
    r"uv\.lock|\.devcontainer/.*)$"
)
# "^environment\b": an "Environmental Impact" (CO2) section says nothing about software.
_ENV_SECTIONS = (r"framework versions", r"^environment\b", r"software", r"requirements",
                 r"installation", r"dependencies")
_PIP = probe(
    r"\b(?:pip install|conda install|docker (?:run|pull))\b",
    "pip install", "conda install", "docker ", ignore_case=False,
)
_EVAL_SECTIONS = (r"evaluation", r"^results?$", r"benchmarks?", r"performance")
_NUMBER = re.compile(r"\d+(?:\.\d+)?\s*%?")


def training_procedure(facts: ModelFacts) -> CheckResult:
    """A filled training-procedure section."""
    found = sections(facts, *_PROCEDURE)
    filled = [s for s in found if s.filled]
    if filled:
        return present("training procedure described", section_evidence(facts, filled[0]))
    if found:
        return partial(
            "training procedure section left unfilled", section_evidence(facts, found[0])
        )
    return missing("no training procedure" + no_card_suffix(facts))


def hyperparameters(facts: ModelFacts) -> CheckResult:
    """Hyper-parameters: a card section, config files, or values in the text."""
    filled = [s for s in sections(facts, *_HYPER_SECTIONS) if s.filled]
    if filled:
        return present("hyper-parameters listed in the card", section_evidence(facts, filled[0]))
    files = files_matching(facts, _HYPER_FILES)
    if files:
        # Named only: training_args.bin is a pickle and is never opened here.
        return present(f"training configuration file(s): {len(files)}", *file_evidence(files))
    found = line_evidence(facts, _HYPER_TEXT)
    if found is not None:
        return partial("some hyper-parameter values in the card text", found)
    return missing("no hyper-parameters" + no_card_suffix(facts))


def _co2_hardware(facts: ModelFacts) -> str | None:
    meta = facts.card.metadata if facts.card else None
    co2 = meta.get("co2_eq_emissions") if meta else None
    if isinstance(co2, Mapping):
        value = co2.get("hardware_used")
        if isinstance(value, str) and value.strip():
            return value
    return None


def training_hardware(facts: ModelFacts) -> CheckResult:
    """The hardware used to train (section, ``co2_eq_emissions.hardware_used``, or text)."""
    used = _co2_hardware(facts)
    if used:
        return present(
            f"hardware: {clip(used, 60)}",
            meta_evidence(facts, "co2_eq_emissions", used),
        )
    for section in sections(facts, *_HARDWARE_SECTIONS):
        if section.filled and _HARDWARE_TEXT.search(section.text):
            return present("training hardware described", section_evidence(facts, section))
    found = line_evidence(facts, _HARDWARE_TEXT)
    if found is not None:
        return partial("hardware named in the card text only", found)
    return missing("no training hardware" + no_card_suffix(facts))


def training_code(facts: ModelFacts) -> CheckResult:
    """Training code: scripts or notebooks in the repo, or a link to them."""
    files = files_matching(facts, _CODE_FILES)
    if files:
        return present(f"{len(files)} training script(s)/notebook(s)", *file_evidence(files))
    found = line_evidence(facts, _CODE_LINK)
    if found is not None:
        return present("training code linked", found)
    return missing("no training code" + no_card_suffix(facts))


def environment(facts: ModelFacts) -> CheckResult:
    """The software environment: requirements, container, or framework versions."""
    files = files_matching(facts, _ENV_FILES)
    if files:
        return present(f"environment file(s): {len(files)}", *file_evidence(files))
    filled = [s for s in sections(facts, *_ENV_SECTIONS) if s.filled]
    if filled:
        return present("environment described in the card", section_evidence(facts, filled[0]))
    found = line_evidence(facts, _PIP)
    if found is not None:
        return partial("install commands only, no pinned environment", found)
    return missing("no environment (requirements, container, versions)" + no_card_suffix(facts))


def evaluation_results(facts: ModelFacts) -> CheckResult:
    """Evaluation results: machine-parseable ``model-index`` claims, else a results section."""
    claims = facts.claims
    usable = claims.parseable_rows
    if usable:
        return present(
            f"{len(usable)} machine-parseable claim(s) in model-index",
            meta_evidence(facts, "model-index"),
            claims=len(usable), tasks=sorted({r.task or "" for r in usable}),
        )
    for section in sections(facts, *_EVAL_SECTIONS):
        if section.filled and _NUMBER.search(section.text):
            note = " (model-index present but broken)" if claims.declared else ""
            return partial(
                "results in the card text only, not machine-parseable" + note,
                section_evidence(facts, section), claims=0,
            )
    if claims.declared:
        return partial("model-index present but no usable row", meta_evidence(facts, "model-index"),
                       claims=0)
    return missing("no evaluation results" + no_card_suffix(facts), claims=0)


def claims_valid(facts: ModelFacts) -> CheckResult:
    """Every ``model-index`` entry follows the card specification."""
    claims = facts.claims
    if not claims.declared:
        return not_applicable("no model-index to validate")
    broken = claims.broken
    path = facts.card.path if facts.card else None
    if not broken:
        return present(f"all {len(claims.rows)} model-index row(s) valid",
                       Evidence(path=path, line=claims.line, key="model-index"))
    evidence = tuple(
        Evidence(path=path, line=claims.line, key=where, excerpt=clip(problem, 100))
        for where, problem in broken[:50]
    )
    message = f"{len(broken)} problem(s) in model-index: {clip(broken[0][1], 80)}"
    details = {"problems": [{"where": w, "problem": p} for w, p in broken[:200]],
               "rows": len(claims.rows), "parseable_rows": len(claims.parseable_rows)}
    if claims.parseable_rows:
        return partial(message, *evidence, **details)
    return missing(message, *evidence, **details)


CHECKS: tuple[Check, ...] = (
    Check(
        "training-procedure", Category.REPRODUCIBILITY, "Training procedure",
        "Without the procedure a reuser cannot retrain or fairly fine-tune the model.",
        "Fill the card's 'Training Details > Training Procedure' section.",
        2, Severity.MEDIUM, training_procedure,
    ),
    Check(
        "hyperparameters", Category.REPRODUCIBILITY, "Hyper-parameters",
        "Practitioners name the training configuration as key to reproducing a result.",
        "List the training hyper-parameters in the card or publish the training config file.",
        2, Severity.MEDIUM, hyperparameters,
    ),
    Check(
        "training-hardware", Category.REPRODUCIBILITY, "Training hardware",
        "Latency and accuracy claims depend on the hardware they were measured on.",
        "State the training hardware (e.g. `co2_eq_emissions.hardware_used` or a section).",
        1, Severity.LOW, training_hardware,
    ),
    Check(
        "training-code", Category.REPRODUCIBILITY, "Training code",
        "Scripts, not prose, are what let a reuser reproduce training.",
        "Publish the training script or notebook, or link it from the card.",
        2, Severity.MEDIUM, training_code,
    ),
    Check(
        "environment", Category.REPRODUCIBILITY, "Environment (requirements, container)",
        "Results drift across library versions; an environment image pins them.",
        "Add a requirements.txt / environment.yml / Dockerfile or a framework-versions list.",
        1, Severity.LOW, environment,
    ),
    Check(
        "evaluation-results", Category.REPRODUCIBILITY, "Evaluation results (machine-parseable)",
        "Claims a machine can read let a reuser compare models and check them; ~4% have any.",
        "Add a `model-index` with task, dataset, metric type and value to the card metadata.",
        3, Severity.HIGH, evaluation_results,
    ),
    Check(
        "claims-valid", Category.REPRODUCIBILITY, "model-index follows the specification",
        "huggingface_hub drops a malformed model-index silently, so its claims vanish.",
        "Fix each reported model-index entry (required keys, numeric values, known metrics).",
        2, Severity.MEDIUM, claims_valid,
    ),
)
