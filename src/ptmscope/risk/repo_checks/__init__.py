"""Repository-level risk checks (remote code, look-alike names, licence, signatures, pins).

``run_repo_checks`` is what the risk runner calls for each stored repository: it runs every
check in ``registry.REPO_CHECKS`` over the records and returns their findings (analysis
``risk``). A check that raises becomes one ``error`` finding instead of stopping the others.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from ptmscope.records import (
    CardRecord,
    CommitRecord,
    FileRecord,
    Finding,
    Outcome,
    RepoRecord,
    Severity,
)
from ptmscope.risk.base import Rule
from ptmscope.risk.repo_checks.base import (
    ANALYSIS,
    RepoCheck,
    RepoFacts,
    TextReader,
    read_text_bounded,
)
from ptmscope.risk.repo_checks.registry import REPO_CHECKS

__all__ = ["REPO_CHECKS", "RepoCheck", "RepoFacts", "read_text_bounded", "repo_rules",
           "run_repo_checks"]


def repo_rules() -> tuple[Rule, ...]:
    """Every repository check as a scanner-style ``Rule`` (for SARIF rules and docs)."""
    return tuple(Rule(c.id, c.title, c.why, c.remedy, c.severity) for c in REPO_CHECKS)


def _default_reader(repo: RepoRecord) -> TextReader:
    root = repo.source if os.path.isdir(repo.source) else None

    def read(record: FileRecord) -> str | None:
        return read_text_bounded(record, root)

    return read


def run_repo_checks(repo: RepoRecord, card: CardRecord | None, files: Sequence[FileRecord],
                    commits: Sequence[CommitRecord], *,
                    read_text: TextReader | None = None) -> list[Finding]:
    """Run every registered repository check on one repository.

    Args:
        repo, card, files, commits: the stored records of the repository.
        read_text: bounded file reader (default: ``read_text_bounded`` confined to the
            repository folder when ``repo.source`` is a local folder).

    Returns:
        Findings of every check (``analysis="risk"``), in registry order.

    Example:
        >>> from ptmscope.records import RepoRecord, Platform, repo_id
        >>> repo = RepoRecord(repo_id("huggingface", "googIe-bert/bert-base-uncased"),
        ...                   Platform.HUGGINGFACE, "googIe-bert/bert-base-uncased", "/nonexistent")
        >>> [f.rule_id for f in run_repo_checks(repo, None, [], []) if f.severity == "high"]
        ['REPO-LOOKALIKE-NAME']
    """
    facts = RepoFacts(repo, card, files, commits, read_text or _default_reader(repo))
    findings: list[Finding] = []
    for check in REPO_CHECKS:
        try:
            findings.extend(check.run(facts))
        except Exception as err:  # one broken check must not hide the others' results
            findings.append(Finding(ANALYSIS, check.id, repo.repo_id, Severity.MEDIUM,
                                    Outcome.ERROR, f"check failed: {type(err).__name__}: "
                                    f"{str(err)[:200]}", details={"title": check.title}))
    return findings
