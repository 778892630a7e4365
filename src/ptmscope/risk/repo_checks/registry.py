"""The one ordered table of repository-level risk checks. Adding one = a module + a line."""

from __future__ import annotations

from ptmscope.risk.repo_checks import licence, lookalike, remote_code, signed_commits, unpinned
from ptmscope.risk.repo_checks.base import RepoCheck

REPO_CHECKS: tuple[RepoCheck, ...] = (
    remote_code.CHECK,
    lookalike.CHECK,
    unpinned.CHECK,
    licence.CHECK,
    signed_commits.CHECK,
)
