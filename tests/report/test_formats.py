"""Every output format renders; the JSON report matches its schema."""

from __future__ import annotations

import json

import jsonschema
import pytest

from ptmscope.report.data import load_report_data
from ptmscope.report.formats import (
    REPORT_SCHEMA_VERSION,
    Format,
    HtmlFormat,
    JsonFormat,
    OutputFormat,
)
from ptmscope.report.schemas import load_schema
from ptmscope.store import Store


@pytest.mark.parametrize("choice", list(OutputFormat), ids=lambda c: f"format {c.value} renders")
def test_every_output_format_builds_and_renders(choice: OutputFormat,
                                                filled_store: Store) -> None:
    fmt = choice.to_format()
    assert isinstance(fmt, Format)
    assert fmt.is_manifest is True
    assert len(fmt.render(load_report_data(filled_store))) > 1000


def test_to_format_picks_the_right_class() -> None:
    assert isinstance(OutputFormat("html").to_format(), HtmlFormat)
    assert isinstance(OutputFormat("json").to_format(), JsonFormat)


def test_json_report_matches_its_schema(filled_store: Store) -> None:
    payload = json.loads(JsonFormat().render(load_report_data(filled_store)))
    jsonschema.Draft202012Validator(load_schema("report")).validate(payload)
    assert payload["schema"] == "report"
    assert payload["schema_version"] == REPORT_SCHEMA_VERSION
    assert payload["overview"]["families"] == 2
    bert = next(m for m in payload["models"] if m["name"] == "acme/bert-base")
    assert bert["findings"]["perf"][0]["details"]["measured"] == 84.5


def test_json_report_of_an_empty_store_matches_its_schema(tmp_path: object) -> None:
    payload = json.loads(JsonFormat().render(load_report_data(Store(":memory:"))))
    jsonschema.Draft202012Validator(load_schema("report")).validate(payload)
    assert payload["empty"] is True


def test_html_nonce_is_fresh_for_every_formatter() -> None:
    assert HtmlFormat().nonce != HtmlFormat().nonce
