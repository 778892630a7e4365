"""`ptmscope report` and `ptmscope bom` as a person runs them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from typer.testing import CliRunner

from ptmscope.cli import app
from ptmscope.errors import NotInStoreError, StoreError
from ptmscope.report.bom import validate_bom
from ptmscope.report.schemas import load_schema
from ptmscope.store import Store

runner = CliRunner()


def _db(store: Store) -> str:
    path = store.path
    store.close()
    return path


def test_report_writes_the_html_file(filled_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", "--db", _db(filled_store), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_report_json_goes_to_stdout_and_matches_the_schema(filled_store: Store) -> None:
    result = runner.invoke(app, ["report", "--db", _db(filled_store), "--json"])
    assert result.exit_code == 0
    jsonschema.Draft202012Validator(load_schema("report")).validate(json.loads(result.stdout))


def test_report_json_to_a_file(filled_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = runner.invoke(app, ["report", "--db", _db(filled_store), "--json", "-o", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text())["schema"] == "report"


def test_report_on_a_missing_store_is_a_store_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--db", str(tmp_path / "none.duckdb")])
    assert isinstance(result.exception, StoreError)


def test_bom_prints_a_valid_bom(filled_store: Store) -> None:
    result = runner.invoke(app, ["bom", "acme/bert-base", "--db", _db(filled_store)])
    assert result.exit_code == 0
    assert validate_bom(result.stdout) == []


def test_bom_to_a_file(filled_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "b.json"
    result = runner.invoke(app, ["bom", "acme/bert-base", "--db", _db(filled_store), "-o",
                                 str(out), "--json"])
    assert result.exit_code == 0
    assert json.loads(out.read_text())["bomFormat"] == "CycloneDX"


def test_bom_of_an_unknown_model_is_a_clear_error(filled_store: Store) -> None:
    result = runner.invoke(app, ["bom", "nobody/nothing", "--db", _db(filled_store)])
    assert isinstance(result.exception, NotInStoreError)


def test_help_teaches_with_examples() -> None:
    for command in ("report", "bom"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Examples:" in result.stdout


def test_report_says_its_size_in_readable_units(filled_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", "--db", _db(filled_store), "-o", str(out)])
    said = result.output + (result.stderr or "")
    assert f"wrote {out}" in said
    assert "0.0 MB" not in said and ("KiB" in said or "MiB" in said)


def test_report_details_takes_a_number_or_all(filled_store: Store, tmp_path: Path) -> None:
    db = _db(filled_store)
    one, every = tmp_path / "one.html", tmp_path / "all.html"
    assert runner.invoke(app, ["report", "--db", db, "-o", str(one), "-q",
                               "--details", "1"]).exit_code == 0
    assert runner.invoke(app, ["report", "--db", db, "-o", str(every), "-q",
                               "--details", "all"]).exit_code == 0
    assert "are in this table only" in one.read_text()
    assert "are in this table only" not in every.read_text()
    bad = runner.invoke(app, ["report", "--db", db, "-o", str(one), "--details", "lots"])
    assert bad.exit_code == 2 or "expected a number" in str(bad.exception)
