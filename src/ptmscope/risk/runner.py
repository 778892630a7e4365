"""Run the risk scan: over paths (``scan_paths``) or over every stored repo (``run_all``).

``scan_paths`` is the library entry point behind ``ptmscope scan``: it walks files and
folders, dispatches each file by content, and returns a ``ScanReport``. ``run_all`` is the
corpus analysis registered in ``ptmscope.analyses``: it scans the files of every stored repo
that are available on disk and stores the issues as ``Finding`` rows (analysis ``risk``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ptmscope.analyses import AnalysisSummary
from ptmscope.progress import NullProgress, Progress
from ptmscope.records import SEVERITY_ORDER, Finding, Outcome, Severity
from ptmscope.risk.base import Inconclusive, RiskIssue, Rule
from ptmscope.risk.dispatch import DISPATCH_RULES, Dispatcher, iter_files
from ptmscope.risk.exit_codes import determine_exit_code
from ptmscope.risk.registry import LoadFailure, load_scanners

if TYPE_CHECKING:
    from ptmscope.store import Store

ANALYSIS = "risk"


@dataclass(frozen=True, slots=True)
class ScanReport:
    """Everything one scan produced.

    Attributes:
        targets: what the user asked to scan (paths as given).
        issues: every issue, most severe first.
        inconclusive: artifacts (or parts) that could not be scanned to the end, and why.
        scanned: artifacts a scanner checked (``archive:member`` for members).
        files: top-level files visited.
        formats: artifact -> scanner id that took it.
        bytes_read: bytes read from disk.
        load_failures: registered scanners that could not be loaded.
        rules: metadata of every rule that can appear (registered scanners + dispatcher).
        elapsed_s: wall time of the scan.
    """

    targets: tuple[str, ...]
    issues: tuple[RiskIssue, ...]
    inconclusive: tuple[Inconclusive, ...]
    scanned: tuple[str, ...]
    files: tuple[str, ...]
    formats: dict[str, str] = field(default_factory=dict)
    bytes_read: int = 0
    load_failures: tuple[LoadFailure, ...] = ()
    rules: tuple[Rule, ...] = ()
    elapsed_s: float = 0.0

    def exit_code(self, fail_on: Severity = Severity.HIGH) -> int:
        """0 clean, 1 findings at or above ``fail_on``, 2 incomplete or nothing scanned."""
        return determine_exit_code(self.issues, self.inconclusive, len(self.scanned), fail_on)

    def counts(self) -> dict[str, int]:
        """Issues per severity."""
        return {s.value: sum(1 for i in self.issues if i.severity is s) for s in SEVERITY_ORDER}


def scan_paths(
    paths: Iterable[str | Path],
    *,
    progress: Progress | None = None,
    dispatcher: Dispatcher | None = None,
) -> ScanReport:
    """Scan files and folders by content.

    Args:
        paths: files or folders; folders are walked (git internals skipped).
        progress: told about each file.
        dispatcher: a custom dispatcher (other scanner table, depth bound), for tests.
    Returns:
        the ``ScanReport``; a missing path is an inconclusive artifact, not an exception.

    >>> scan_paths([]).exit_code()
    2
    """
    progress = progress or NullProgress()
    dispatcher = dispatcher or Dispatcher()
    start = time.perf_counter()
    targets = tuple(str(p) for p in paths)
    files: list[tuple[Path, str, str]] = []
    missing: list[Inconclusive] = []
    for target in targets:
        root = Path(target)
        if not root.exists():
            missing.append(Inconclusive(target, "no such file or folder"))
            continue
        files.extend(iter_files(root))
    progress.start("scanning", len(files))
    issues: list[RiskIssue] = []
    inconclusive: list[Inconclusive] = list(missing)
    scanned: list[str] = []
    bytes_read = 0
    for path, display, folder in files:
        result = dispatcher.scan_file(path, display, folder)
        issues += result.issues
        inconclusive += result.inconclusive
        scanned += result.scanned
        bytes_read += result.bytes_read
        progress.advance(1, display)
    progress.finish()
    issues.sort(key=lambda i: (i.severity.rank, i.path, i.location))
    return ScanReport(
        targets=targets, issues=tuple(issues), inconclusive=tuple(inconclusive),
        scanned=tuple(scanned), files=tuple(d for _, d, _ in files),
        formats=dict(dispatcher.formats), bytes_read=bytes_read,
        load_failures=dispatcher.loaded.failures, rules=all_rules(),
        elapsed_s=time.perf_counter() - start,
    )


@cache
def all_rules() -> tuple[Rule, ...]:
    """Rules of every loaded scanner plus the dispatcher's own."""
    from ptmscope.risk.repo_checks import repo_rules

    seen = {r.id: r for r in DISPATCH_RULES}
    for rule in (*load_scanners().rules(), *repo_rules()):
        seen.setdefault(rule.id, rule)
    return tuple(seen.values())


def issue_to_finding(issue: RiskIssue, subject: str, path: str | None = None) -> Finding:
    """A stored ``Finding`` for one issue (``details`` carries construct, why, format)."""
    outcome = Outcome.ERROR if issue.rule_id in ("SCAN-SCANNER-ERROR", "SCAN-UNREADABLE") \
        else Outcome.NOT_AVAILABLE if issue.rule_id == "SCAN-NOT-SCANNED" else Outcome.MISSING
    return Finding(
        analysis=ANALYSIS, rule_id=issue.rule_id, subject=subject, severity=issue.severity,
        outcome=outcome, message=issue.message, path=path or issue.path or None,
        location=issue.location or None,
        details={"construct": issue.construct, "why": issue.why, "format": issue.format},
    )


def _repo_path(display: str, local_to_repo: dict[str, str]) -> str:
    """Map ``/abs/file.bin:member`` back to ``file.bin:member`` inside the repo."""
    for local, repo_path in local_to_repo.items():
        if display == local or display.startswith(local + ":"):
            return repo_path + display[len(local):]
    return display


def run_all(store: Store, progress: Progress) -> AnalysisSummary:
    """Scan every stored repo's files that are on disk; store findings (analysis ``risk``).

    Each file is scanned by content; findings carry subject = repo id, path = the file inside
    the repo (``file:member`` for archive members), location, severity, and details with the
    construct, why and format. Files without a local copy are not scanned (nothing to read).
    """
    from ptmscope.risk.lfs import verify_file_record
    from ptmscope.risk.repo_checks import run_repo_checks

    repos = store.list_repos()
    progress.start("risk scan", len(repos))
    dispatcher = Dispatcher()
    findings: list[Finding] = []
    subjects: list[str] = []
    scanned_files = 0
    inconclusive = 0
    for repo in repos:
        subjects.append(repo.repo_id)
        not_scanned: list[str] = []
        files = store.files(repo.repo_id)
        # Repository-level risks (remote code, look-alike name, licence, signatures, pins)
        # and LFS objects against their pointers: pure checks over the stored records.
        findings += run_repo_checks(repo, store.card(repo.repo_id), files,
                                    store.commits(repo.repo_id))
        for record in files:
            findings += [issue_to_finding(i, repo.repo_id, record.path)
                         for i in verify_file_record(record)]
        local = {f.local_path: f.path for f in files
                 if f.local_path and Path(f.local_path).is_file()}
        for local_path in sorted(local, key=local.__getitem__):
            result = dispatcher.scan_file(Path(local_path), local_path,
                                          str(Path(local_path).parent))
            scanned_files += 1 if result.scanned else 0
            inconclusive += len(result.inconclusive)
            for issue in result.issues:
                path = _repo_path(issue.path or local_path, local)
                if issue.rule_id == "SCAN-NOT-SCANNED":
                    not_scanned.append(path)
                    continue
                findings.append(issue_to_finding(issue, repo.repo_id, path))
            for inc in result.inconclusive:
                findings.append(Finding(
                    ANALYSIS, "SCAN-INCONCLUSIVE", repo.repo_id, Severity.LOW, Outcome.ERROR,
                    f"inconclusive: {inc.reason}", _repo_path(inc.path, local), None,
                    {"why": "the scan of this part could not be completed"}))
        if not_scanned:  # one finding per repo, listing them, instead of one per text file
            findings.append(Finding(
                ANALYSIS, "SCAN-NOT-SCANNED", repo.repo_id, Severity.INFO, Outcome.NOT_AVAILABLE,
                f"{len(not_scanned)} files not scanned (format not recognised): "
                + ", ".join(not_scanned[:8]) + (" ..." if len(not_scanned) > 8 else ""),
                None, None, {"paths": not_scanned,
                             "why": "no scanner recognised their content"}))
        progress.advance(1, repo.repo_id)
    progress.finish()
    store.replace_findings(ANALYSIS, subjects, findings)
    serious = [f for f in findings if f.severity.at_least(Severity.HIGH)]
    flagged = sorted({f.subject for f in serious})
    lines = [f"risk: scanned {scanned_files} files in {len(repos)} repos; "
             f"{len(serious)} high/critical findings in {len(flagged)} repos"]
    lines += [f"  {rid}" for rid in flagged[:5]]
    return AnalysisSummary(ANALYSIS, tuple(lines), {
        "repos": len(repos), "files_scanned": scanned_files, "findings": len(findings),
        "high_or_critical": len(serious), "repos_flagged": len(flagged),
        "inconclusive": inconclusive,
    })


def summarize(report: ScanReport) -> Sequence[str]:
    """A few human lines about a report (for stderr summaries)."""
    c = report.counts()
    return (
        f"{len(report.files)} files, {len(report.scanned)} artifacts scanned, "
        f"{report.bytes_read} bytes read in {report.elapsed_s:.2f}s",
        "findings: " + ", ".join(f"{v} {k}" for k, v in c.items() if v) if report.issues
        else "findings: none",
        f"inconclusive: {len(report.inconclusive)}" if report.inconclusive else "complete",
        *(f"scanner not loaded: {f.target} ({f.reason})" for f in report.load_failures),
    )
