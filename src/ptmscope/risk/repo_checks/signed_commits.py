"""Signed commits: the share of commits carrying a GPG/SSH signature (information only).

A signature (present, not verified here) ties a commit to a key rather than to a free-text
author name that anyone can set. Few model repositories sign; the share is reported as
context for provenance, at info severity.
"""

from __future__ import annotations

from ptmscope.records import Finding, Outcome, Severity
from ptmscope.risk.repo_checks.base import RepoCheck, RepoFacts


def run(facts: RepoFacts) -> list[Finding]:
    """PRESENT when every commit is signed, PARTIAL for some, MISSING for none."""
    total = len(facts.commits)
    if total == 0:
        return [CHECK.finding(facts, Outcome.NOT_APPLICABLE, "no commit history to check")]
    signed = sum(1 for c in facts.commits if c.signed)
    share = signed / total
    outcome = Outcome.PRESENT if signed == total else (
        Outcome.PARTIAL if signed else Outcome.MISSING)
    return [CHECK.finding(facts, outcome, f"{signed} of {total} commits signed ({share:.0%})",
                          severity=Severity.INFO,
                          evidence={"signed": signed, "total": total, "share": round(share, 4)})]


CHECK = RepoCheck(
    id="REPO-SIGNED-COMMITS",
    title="Signed commits",
    why="unsigned commits carry only self-declared author names; signatures tie changes to keys",
    remedy="Sign commits (git config commit.gpgsign true) and protect the default branch",
    severity=Severity.INFO,
    run=run,
)
