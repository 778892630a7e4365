"""Report formats behind one small interface (after pip-audit's ``_format``).

A ``Format`` turns a ``ReportData`` into text. ``OutputFormat`` is the ``str`` enum the CLI
offers; ``to_format()`` builds the formatter and ``assert_never`` turns a forgotten member
into a type error. The CycloneDX BOM is per model, not per store, and lives in
``ptmscope.report.bom``; SARIF (per scan) lives in ``ptmscope.report.sarif``.
"""

from __future__ import annotations

import secrets
from abc import ABC, abstractmethod
from enum import StrEnum
from typing import Any, NoReturn

from ptmscope.report.data import ReportData

#: Schema name and version of the JSON report (see docs/json-schemas.md).
REPORT_SCHEMA = "report"
REPORT_SCHEMA_VERSION = 1


def assert_never(value: NoReturn) -> NoReturn:
    """Fail type checking (and at run time) when a case of an enum is not handled."""
    raise AssertionError(f"unhandled value: {value!r}")  # pragma: no cover


class Format(ABC):
    """Turns report data into text."""

    @property
    @abstractmethod
    def is_manifest(self) -> bool:
        """True when the output is worth writing even when nothing was found (a manifest
        of what was checked), False when an empty result means no output."""

    @abstractmethod
    def render(self, data: ReportData) -> str:
        """The whole output for ``data``."""


class HtmlFormat(Format):
    """The self-contained HTML report (plotly.js inlined once, no network)."""

    def __init__(self, nonce: str | None = None, details: int | None = None,
                 all_details: bool = False) -> None:
        """``details``: full sections per kind (default ``html.DEFAULT_DETAILS``);
        ``all_details``: every model and family gets one."""
        self.nonce = nonce or secrets.token_urlsafe(18)
        self.details = details
        self.all_details = all_details

    @property
    def is_manifest(self) -> bool:
        """A report is always written: an empty store gives a page saying so."""
        return True

    def render(self, data: ReportData) -> str:
        """The HTML page."""
        from plotly.offline import get_plotlyjs

        from ptmscope.report.html import DEFAULT_DETAILS, render_html

        details = None if self.all_details else (
            DEFAULT_DETAILS if self.details is None else self.details)
        return render_html(data, get_plotlyjs(), self.nonce, details)


class JsonFormat(Format):
    """The report's data as versioned JSON (``schemas/report.schema.json``)."""

    @property
    def is_manifest(self) -> bool:
        """JSON is always written so scripts can rely on it."""
        return True

    def render(self, data: ReportData) -> str:
        """The JSON text."""
        import json

        return json.dumps(report_json(data), indent=2, ensure_ascii=False, default=str) + "\n"


class OutputFormat(StrEnum):
    """The formats ``ptmscope report`` writes."""

    HTML = "html"
    JSON = "json"

    def to_format(self) -> Format:
        """The formatter for this choice."""
        match self:
            case OutputFormat.HTML:
                return HtmlFormat()
            case OutputFormat.JSON:
                return JsonFormat()
            case _:  # pragma: no cover - mypy proves this unreachable
                assert_never(self)


def report_json(data: ReportData) -> dict[str, Any]:
    """The report as a JSON-able dict (schema ``report`` v1)."""
    from ptmscope.report.jsonview import report_payload

    return {
        "schema": REPORT_SCHEMA,
        "schema_version": REPORT_SCHEMA_VERSION,
        **report_payload(data),
    }
