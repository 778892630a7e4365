"""`ptmscope audit`: scorecard, corpus view, JSON validated against the published schema."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from ptmscope.cli import app
from ptmscope.errors import NotInStoreError, UsageError
from ptmscope.records import RepoSnapshot

from .factories import BAD_CARDS, GOOD_CARD, snapshot

MakeStore = Callable[[Sequence[RepoSnapshot]], Path]
SCHEMA_PATH = (Path(__file__).resolve().parents[2] / "src" / "ptmscope" / "report" / "schemas"
               / "audit.schema.json")

HOSTILE = "---\nlicense: '[red]evil[/red]'\n---\n# \x1b[31mTitle\x1b[0m [bold]x[/bold]\n"


@pytest.fixture
def db(make_store: MakeStore) -> Path:
    snaps = [snapshot("org/good", GOOD_CARD, pipeline_tag="text-classification"),
             snapshot("org/hostile", HOSTILE),
             snapshot("org/lora", "---\nlibrary_name: peft\npipeline_tag: text-generation\n---\n")]
    snaps += [snapshot(f"bad/{label}", text) for label, text in BAD_CARDS[:4]]
    return make_store(snaps)


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def validate(text: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(text)
    jsonschema.validate(payload, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    return payload


def test_scorecard_shows_status_evidence_remedy_and_scores(db: Path) -> None:
    result = invoke("audit", "org/good", "--db", str(db))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "provenance:" in out and "/100" in out
    assert "Licence" in out and "README.md:2" in out
    assert "model-index claims" in out and "0.925" in out


def test_scorecard_of_a_model_without_card_says_so(db: Path) -> None:
    result = invoke("audit", "bad/no-card", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "no model card" in result.output
    assert "Set `license:`" in result.output or "license" in result.output


def test_hostile_card_text_is_escaped(db: Path) -> None:
    result = invoke("audit", "org/hostile", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    assert "evil" in result.output  # shown as text (markup escaped, not interpreted)
    assert "[red]" in result.output


def test_model_json_validates_against_the_schema(db: Path) -> None:
    result = invoke("audit", "org/good", "--db", str(db), "--json")
    assert result.exit_code == 0, result.output
    payload = validate(result.stdout)
    assert payload["kind"] == "model" and payload["schema_version"] == 1
    assert payload["claims"]["rows"][0]["metric"] == "accuracy"
    assert {s["category"] for s in payload["scores"]} >= {"provenance", "portability"}


@pytest.mark.parametrize("label", [b[0] for b in BAD_CARDS[:4]])
def test_bad_inputs_give_valid_json(db: Path, label: str) -> None:
    result = invoke("audit", f"bad/{label}", "--db", str(db), "--json")
    assert result.exit_code == 0, result.output
    validate(result.stdout)


def test_corpus_view_json_validates_and_counts_claims_per_task(db: Path) -> None:
    result = invoke("audit", "--all", "--db", str(db), "--json")
    assert result.exit_code == 0, result.output
    payload = validate(result.stdout)
    assert payload["kind"] == "corpus" and payload["models"] == 7
    tasks = {t["task"]: t for t in payload["claims_by_task"]}
    assert tasks["text-classification"]["with_claims"] == 1
    assert payload["with_claims"] == 1
    licence = next(a for a in payload["attributes"] if a["id"] == "licence")
    assert licence["missing"] >= 4


def test_corpus_view_by_library_and_in_the_terminal(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "corpus.json"
    result = invoke("audit", "--all", "--by", "library_name", "--db", str(db), "-o", str(out))
    assert result.exit_code == 0, result.output
    payload = validate(out.read_text(encoding="utf-8"))
    assert {g["group"] for g in payload["groups"]} >= {"transformers", "peft"}
    table = invoke("audit", "--all", "--db", str(db))
    assert table.exit_code == 0, table.output
    assert "share of models missing" in table.output and "text-classification" in table.output


@pytest.mark.parametrize(
    ("args", "error"),
    [((), UsageError), (("org/good", "--all"), UsageError),
     (("--all", "--by", "colour"), UsageError), (("nobody/nothing",), NotInStoreError)],
    ids=["neither a model nor --all is refused", "both a model and --all are refused",
         "an unknown grouping is refused", "a model not in the store is reported"],
)
def test_bad_usage_raises_a_ptmscope_error(db: Path, args: tuple[str, ...], error: type) -> None:
    result = invoke("audit", *args, "--db", str(db))
    assert isinstance(result.exception, error)


def test_help_teaches_with_examples() -> None:
    result = invoke("audit", "--help")
    assert result.exit_code == 0 and "Examples" in result.output


@pytest.mark.parametrize("width", [80, 200])
def test_scorecard_keeps_every_remedy_readable_at_any_width(
    db: Path, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ptmscope.commands import _common

    monkeypatch.setattr(_common.console, "_width", width)
    out = invoke("audit", "org/hostile", "--db", str(db)).output
    assert max(len(line) for line in out.splitlines()) <= width
    # the remedy is whole on one line: narrow puts it under the finding, wide in its column
    assert "base_model_relation:`" in out
    assert ("fix: " in out) is (width < 120)
    # nothing lacking still names what could not be judged (a score never stands alone)
    assert "unknown (not scored): downloads, likes" in out


MINIMAL_CLAIM = """---
model-index:
- name: m
  results:
  - task: {type: text-classification}
    dataset: {type: imdb, name: IMDB}
    metrics:
    - {type: accuracy, value: 0.9}
---
# m
"""


def test_claims_table_drops_columns_that_are_empty_in_every_row(make_store: MakeStore) -> None:
    db = make_store([snapshot("org/minimal", MINIMAL_CLAIM)])
    out = invoke("audit", "org/minimal", "--db", str(db)).output
    claims = out.split("model-index claims", 1)[1]
    assert "metric" in claims and "value" in claims
    assert "imdb" in claims and "0.9" in claims
    assert "verified" not in claims and "problems" not in claims and "config" not in claims


def test_corpus_view_of_an_empty_store_says_so_instead_of_a_table(
    make_store: MakeStore,
) -> None:
    result = invoke("audit", "--all", "--db", str(make_store([])))
    assert result.exit_code == 0, result.output
    assert "no Hugging Face model in the store" in result.output
    assert "n/a" not in result.output and "publisher" not in result.output


def test_corpus_group_names_are_whole_on_a_wide_terminal(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ptmscope.commands import _common

    monkeypatch.setattr(_common.console, "_width", 200)
    out = invoke("audit", "--all", "--db", str(db)).output
    assert "text-classification" in out and "text-generation" in out
