"""The ``--format json`` document of a risk scan; its schema is ``schemas/scan.schema.json``.

The document is versioned (``schema_version``) and keeps to plain JSON types, so it can be
validated and diffed. It lists every issue with its file, member, severity, construct,
location, why and format, every inconclusive artifact with its reason, what was scanned, and
the exit code the scan maps to.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptmscope.records import Severity

if TYPE_CHECKING:
    from ptmscope.risk.runner import ScanReport

SCHEMA_VERSION = 1
SCHEMA_PATH = Path(__file__).parent / "schemas" / "scan.schema.json"


def render_json(report: ScanReport, fail_on: Severity = Severity.HIGH) -> dict[str, Any]:
    """The JSON document of ``report`` (see the schema file next to this module)."""
    from ptmscope import __version__
    from ptmscope.report.sarif import split_member

    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "ptmscope", "version": __version__},
        "targets": list(report.targets),
        "fail_on": fail_on.value,
        "exit_code": report.exit_code(fail_on),
        "summary": {
            "files": len(report.files),
            "scanned": len(report.scanned),
            "inconclusive": len(report.inconclusive),
            "bytes_read": report.bytes_read,
            "elapsed_s": round(report.elapsed_s, 4),
            "by_severity": report.counts(),
        },
        "issues": [
            {
                "rule_id": i.rule_id,
                "severity": i.severity.value,
                "file": split_member(i.path)[0],
                "member": split_member(i.path)[1] or None,
                "path": i.path,
                "format": i.format,
                "construct": i.construct,
                "location": i.location,
                "message": i.message,
                "why": i.why,
            }
            for i in report.issues
        ],
        "inconclusive": [{"path": c.path, "reason": c.reason} for c in report.inconclusive],
        "scanned": list(report.scanned),
        "formats": dict(report.formats),
        "scanners_not_loaded": [{"target": f.target, "reason": f.reason}
                                for f in report.load_failures],
    }


def load_schema() -> dict[str, Any]:
    """The JSON schema of the document (for validation in tests and by users)."""
    import json

    data: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return data
