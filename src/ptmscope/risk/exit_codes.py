"""The one table from a scan's outcome to the process exit code (after ModelAudit).

* 0: the scan completed and nothing is at or above ``--fail-on``;
* 1: the scan completed and something is at or above ``--fail-on``;
* 2: the scan could not be completed (some artifact is inconclusive) or scanned nothing at all
  (fail closed: "no findings" from a scan that checked nothing is not "clean").

Findings win over incompleteness only when nothing is inconclusive: an incomplete scan is 2
even when it also found something, because its report is not the whole truth (the report still
lists everything found so far).
"""

from __future__ import annotations

from collections.abc import Iterable

from ptmscope.records import Severity
from ptmscope.risk.base import Inconclusive, RiskIssue

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_INCOMPLETE = 2


def determine_exit_code(
    issues: Iterable[RiskIssue],
    inconclusive: Iterable[Inconclusive],
    scanned_count: int,
    fail_on: Severity = Severity.HIGH,
) -> int:
    """Exit code for a scan.

    Args:
        issues: every issue found.
        inconclusive: artifacts (or parts) that could not be scanned to the end.
        scanned_count: how many artifacts a scanner really checked.
        fail_on: the least severe severity that fails the run.
    Returns:
        0, 1 or 2 as the module docstring says.

    >>> determine_exit_code([], [], 0)
    2
    """
    if scanned_count == 0 or any(True for _ in inconclusive):
        return EXIT_INCOMPLETE
    if any(i.severity.at_least(fail_on) for i in issues):
        return EXIT_FINDINGS
    return EXIT_CLEAN
