"""SARIF 2.1.0 output of a risk scan, for code-scanning tools (GitHub, GitLab, IDEs).

One SARIF rule per registered scanner rule (taken from the scanners' ``Rule`` metadata, plus
the dispatcher's own rules), severity mapped to SARIF level and to GitHub's
``security-severity``, and a stable ``partialFingerprints`` entry per result (rule, file,
member, construct and location; never the run's time or order) so alerts track across runs.
Inconclusive artifacts are tool execution notifications, and ``executionSuccessful`` is false
when any exists.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ptmscope.records import Severity

if TYPE_CHECKING:
    from ptmscope.risk.base import RiskIssue, Rule
    from ptmscope.risk.runner import ScanReport

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
FINGERPRINT_KEY = "ptmscopeIssue/v1"

LEVEL: dict[Severity, str] = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
#: GitHub code scanning reads this property (0.0-10.0) to rank security alerts.
SECURITY_SEVERITY: dict[Severity, str] = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}

_OFFSET = re.compile(r"^offset (\d+)$")


def split_member(path: str) -> tuple[str, str]:
    """``archive.zip:inner/data.pkl`` -> (``archive.zip``, ``inner/data.pkl``).

    A drive letter (``C:\\x``) is not a member separator.
    """
    start = 2 if re.match(r"^[A-Za-z]:[\\/]", path) else 0
    at = path.find(":", start)
    return (path, "") if at < 0 else (path[:at], path[at + 1:])


def _raw_bytes(text: str) -> bytes:
    """The bytes of a path for percent-encoding: a name that is not UTF-8 comes back as the
    bytes on disk (``os.fsencode``), any other lone surrogate as a visible escape."""
    try:
        return os.fsencode(text)
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace")


def artifact_uri(file_path: str, base: Path | None = None) -> str:
    """A relative (to ``base``, default the working directory) URI reference for a file."""
    p = Path(file_path)
    base = base or Path.cwd()
    with contextlib.suppress(ValueError, OSError):
        p = p.resolve().relative_to(base.resolve())
    text = quote(_raw_bytes(p.as_posix()), safe="/._-~")
    return "file://" + text if p.is_absolute() else text


def fingerprint(issue: RiskIssue, uri: str, member: str) -> str:
    """Stable identity of a finding across runs."""
    key = "\x1f".join((issue.rule_id, uri, member, issue.construct, issue.location))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _rule_json(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": "".join(w.capitalize() for w in re.split(r"[^A-Za-z0-9]+", rule.id) if w),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.why},
        "help": {"text": f"{rule.why}\nFix: {rule.fix}",
                 "markdown": f"{rule.why}\n\n**Fix:** {rule.fix}"},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"security-severity": SECURITY_SEVERITY[rule.severity],
                       "tags": ["security", "supply-chain", "ptmscope"],
                       "precision": "high"},
    }


def _result_json(issue: RiskIssue, rule_index: int, base: Path | None) -> dict[str, Any]:
    file_path, member = split_member(issue.path)
    uri = artifact_uri(file_path, base)
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    m = _OFFSET.match(issue.location)
    if m and not member:
        physical["region"] = {"byteOffset": int(m.group(1))}
    location: dict[str, Any] = {"physicalLocation": physical}
    if member:
        location["logicalLocations"] = [{"fullyQualifiedName": f"{file_path}:{member}",
                                         "name": member, "kind": "member"}]
    where = f" ({member}" + (f", {issue.location})" if issue.location else ")") if member \
        else (f" ({issue.location})" if issue.location else "")
    return {
        "ruleId": issue.rule_id,
        "ruleIndex": rule_index,
        "level": LEVEL[issue.severity],
        "message": {"text": f"{issue.message}{where}. Why: {issue.why}"},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(issue, uri, member)},
        "properties": {"severity": issue.severity.value, "construct": issue.construct,
                       "format": issue.format, "location": issue.location, "why": issue.why},
    }


def render_sarif(report: ScanReport, base: Path | None = None) -> dict[str, Any]:
    """The SARIF 2.1.0 log of ``report`` as a JSON-ready dict."""
    from ptmscope import __version__
    from ptmscope.risk.base import Rule

    rules = list(report.rules)
    index = {r.id: i for i, r in enumerate(rules)}
    for issue in report.issues:  # a rule no scanner declared still gets metadata
        if issue.rule_id not in index:
            index[issue.rule_id] = len(rules)
            rules.append(Rule(issue.rule_id, issue.message[:120], issue.why,
                              "See the finding.", issue.severity))
    notifications = [
        {"level": "warning", "message": {"text": f"inconclusive: {inc.reason}"},
         "locations": [{"physicalLocation": {"artifactLocation": {
             "uri": artifact_uri(split_member(inc.path)[0], base)}}}]}
        for inc in report.inconclusive
    ] + [
        {"level": "warning", "message": {"text": f"scanner not loaded: {f.target}: {f.reason}"}}
        for f in report.load_failures
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {
                "name": "ptmscope",
                "version": __version__,
                "rules": [_rule_json(r) for r in rules],
            }},
            "invocations": [{
                "executionSuccessful": not report.inconclusive and bool(report.scanned),
                "toolExecutionNotifications": notifications,
            }],
            "results": [_result_json(i, index[i.rule_id], base) for i in report.issues],
            "columnKind": "unicodeCodePoints",
        }],
    }
