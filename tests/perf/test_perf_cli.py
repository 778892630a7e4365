"""`ptmscope verify` end to end: table, JSON (against its schema), findings in the store."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from perf_helpers import card_text, result, sentences
from typer.testing import CliRunner

from ptmscope.records import Outcome, Platform, RepoRecord, RepoSnapshot, repo_id

pytestmark = pytest.mark.eval

LABELS = ("neg", "pos")


@pytest.fixture(scope="module")
def model_and_data(tiny_factory: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory
                   ) -> dict[str, Any]:
    folder = tiny_factory("ForSequenceClassification", labels=LABELS, seed=3)
    data = tmp_path_factory.mktemp("cli-data") / "test.jsonl"
    with data.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(sentences(30, seed=5)):
            fh.write(json.dumps({"text": text, "label": LABELS[i % 2]}) + "\n")
    # a claim far from anything a 30-example set can give together with an exact one
    (folder / "README.md").write_text(card_text([
        result("text-classification", [("accuracy", 0.999)]),
        result("image-classification", [("accuracy", 0.9)]),
    ]), encoding="utf-8")
    return {"folder": folder, "data": data}


def _app() -> Any:
    from ptmscope.cli import app

    return app


def test_json_output_follows_the_schema_and_exit_code_flags_discrepancy(
    model_and_data: dict[str, Any], tmp_path: Path
) -> None:
    import jsonschema

    from ptmscope.report.schemas import load_schema

    out = CliRunner().invoke(_app(), [
        "verify", str(model_and_data["folder"]), "--data", str(model_and_data["data"]),
        "--json", "--db", str(tmp_path / "none.duckdb")])
    payload = json.loads(out.stdout)
    jsonschema.validate(payload, load_schema("verify"))
    assert payload["schema"] == "verify"
    first, second = payload["verdicts"]
    assert first["status"] == "discrepant"  # 0.999 cannot match 30 random predictions
    assert first["n_examples"] == 30
    assert second["status"] == "not verifiable"
    assert second["reason"] == "task unsupported"
    assert payload["stored"] is False
    assert out.exit_code == 1


def test_stored_model_gets_findings_and_cheap_checks_keep_them(
    model_and_data: dict[str, Any], tmp_path: Path
) -> None:
    from ptmscope.perf.runner import run_all
    from ptmscope.store import Store

    db = tmp_path / "s.duckdb"
    rid = repo_id(Platform.HUGGINGFACE, "org/tiny-base")
    with Store(db) as store:
        store.write_snapshot(RepoSnapshot(RepoRecord(
            rid, Platform.HUGGINGFACE, "org/tiny-base", str(model_and_data["folder"]),
            has_git_history=False)))
    out = CliRunner().invoke(_app(), [
        "verify", "org/tiny-base", "--data", str(model_and_data["data"]), "--db", str(db),
        "--tolerance", "100"])
    assert out.exit_code == 0, out.output
    assert "consistent" in out.stdout
    with Store(db) as store:
        run_all(store)  # the cheap checks must not erase verify's findings
        rules = {f.rule_id for f in store.findings("perf", rid)}
        verdicts = [f for f in store.findings("perf", rid) if f.rule_id.startswith("perf.claim")]
    assert "perf.claim-vs-measured" in rules
    assert "perf.param-count" in rules
    assert {f.outcome for f in verdicts} == {Outcome.PRESENT, Outcome.NOT_AVAILABLE}


def test_a_typo_in_data_or_no_data_keeps_the_measured_verdicts(
    model_and_data: dict[str, Any], tmp_path: Path
) -> None:
    from ptmscope.errors import UsageError
    from ptmscope.store import Store

    db = tmp_path / "s.duckdb"
    rid = repo_id(Platform.HUGGINGFACE, "org/tiny-base")
    with Store(db) as store:
        store.write_snapshot(RepoSnapshot(RepoRecord(
            rid, Platform.HUGGINGFACE, "org/tiny-base", str(model_and_data["folder"]),
            has_git_history=False)))
    real = CliRunner().invoke(_app(), [
        "verify", "org/tiny-base", "--data", str(model_and_data["data"]), "--db", str(db)])
    assert real.exit_code == 1, real.output  # the 0.999 claim is discrepant
    typo = CliRunner().invoke(_app(), [
        "verify", "org/tiny-base", "--data", str(tmp_path / "nope.csv"), "--db", str(db)])
    assert isinstance(typo.exception, UsageError)
    assert "nope.csv" in str(typo.exception)
    no_data = CliRunner().invoke(_app(), ["verify", "org/tiny-base", "--db", str(db)])
    assert no_data.exit_code == 0, no_data.output
    assert "data missing" in no_data.stdout  # the user still sees why nothing was measured
    with Store(db) as store:  # neither run overwrote the real run's verdicts
        statuses = {f.details.get("status") for f in store.findings("perf", rid)
                    if f.rule_id == "perf.claim-vs-measured"}
    assert "discrepant" in statuses


def test_unknown_model_name_without_store_is_a_usage_error(tmp_path: Path) -> None:
    from ptmscope.errors import NotInStoreError

    out = CliRunner().invoke(_app(), ["verify", "org/none", "--db", str(tmp_path / "x.db")])
    assert isinstance(out.exception, NotInStoreError)


def test_without_eval_extra_the_command_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, model_and_data: dict[str, Any]
) -> None:
    from ptmscope.errors import MissingExtraError
    from ptmscope.perf import verify

    monkeypatch.setattr(verify, "EVAL_MODULES", ("torch", "a_module_that_is_not_there"))
    out = CliRunner().invoke(_app(), ["verify", str(model_and_data["folder"])])
    assert isinstance(out.exception, MissingExtraError)
    assert "pip install 'ptmscope[eval]'" in out.exception.hint
    report = verify.verify_model(model_and_data["folder"], model_and_data["data"])
    assert {v.reason.value for v in report.verdicts if v.reason} == {"eval extra not installed"}


def test_table_fits_80_columns_and_never_splits_a_number(
    model_and_data: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    from ptmscope.commands import _common

    monkeypatch.setattr(_common.console, "_width", 80)
    out = CliRunner().invoke(_app(), [
        "verify", str(model_and_data["folder"]), "--data", str(model_and_data["data"]),
        "--db", str(tmp_path / "none.duckdb")])
    lines = out.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert re.search(r"\d\.\d{4}–\d\.\d{4}", out.stdout)  # the whole 95% CI on one line
    assert re.search(r"│\s+0\.9990 │", out.stdout)  # the claimed value, right-aligned, whole


def test_help_shows_the_install_command_without_escapes() -> None:
    out = CliRunner().invoke(_app(), ["verify", "--help"], env={"COLUMNS": "200"})
    assert "pip install 'ptmscope[eval]'" in out.stdout
    assert "\\[" not in out.stdout
