"""Every JSON schema shipped in the package is valid, loadable and documented."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest

from ptmscope.errors import ReportError
from ptmscope.report.schemas import SCHEMAS, load_schema, schema_names

DOC = Path(__file__).resolve().parents[2] / "docs" / "json-schemas.md"


def test_the_report_schema_is_shipped() -> None:
    assert "report" in SCHEMAS
    assert tuple(schema_names()) == SCHEMAS


@pytest.mark.parametrize("name", schema_names())
def test_schema_is_a_valid_json_schema(name: str) -> None:
    schema = load_schema(name)
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)


@pytest.mark.parametrize("name", schema_names())
def test_schema_is_listed_in_the_docs(name: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert re.search(rf"^\|\s*`{re.escape(name)}`\s*\|", text, re.MULTILINE), (
        f"docs/json-schemas.md has no table row for the schema {name!r}")


def test_unknown_schema_is_a_clear_error() -> None:
    with pytest.raises(ReportError, match="no such JSON schema"):
        load_schema("nope")


@pytest.mark.parametrize("name", schema_names())
def test_every_schema_pins_the_integer_version_its_output_carries(name: str) -> None:
    schema = load_schema(name)
    version = schema["x-ptmscope-version"]
    assert isinstance(version, int)
    text = str(schema)
    assert "'schema_version': {'const': " + str(version) + "}" in text, (
        f"{name}: outputs must carry schema_version {version} as an integer constant")
