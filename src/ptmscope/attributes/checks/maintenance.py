"""Maintenance and popularity: the traditional signals, reported where the store knows them.

Popularity and last-change facts come from the platform (``RepoRecord.metadata``) or the git
history; when neither is known the result is ``not_available``, never ``missing``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ptmscope.attributes.base import (
    Category,
    Check,
    CheckResult,
    Evidence,
    not_available,
    partial,
    present,
)
from ptmscope.attributes.facts import ModelFacts
from ptmscope.records import Severity

#: A model changed within this many days counts as maintained.
RECENT_DAYS = 365


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def commits(facts: ModelFacts) -> CheckResult:
    """How many commits the repo has (history depth)."""
    summary = facts.commits
    if not summary.known:
        return not_available("no git history in the store")
    if summary.count <= 1:
        return partial(f"{summary.count} commit(s): no history of changes", count=summary.count)
    return present(f"{summary.count} commits", Evidence(key="git history"), count=summary.count)


def last_change(facts: ModelFacts) -> CheckResult:
    """When the model last changed (last commit, else the platform's ``last_modified``)."""
    last = facts.commits.last_at
    source = "last commit"
    if last is None:
        last = _as_datetime(facts.repo.metadata.get("last_modified"))
        source = "platform: last_modified"
    if last is None:
        return not_available("last change unknown")
    stamp = last.astimezone(UTC).date().isoformat()
    evidence = Evidence(key=source, excerpt=stamp)
    if facts.as_of is None:
        return present(f"last changed {stamp}", evidence, last_change=stamp)
    days = (facts.as_of - last).days
    if days > RECENT_DAYS:
        return partial(f"last changed {stamp}, {days} days ago", evidence,
                       last_change=stamp, days=days)
    return present(f"last changed {stamp} ({max(days, 0)} days ago)", evidence,
                   last_change=stamp, days=days)


def _popularity(facts: ModelFacts, key: str) -> CheckResult:
    value = _count(facts.repo.metadata.get(key))
    if value is None:
        return not_available(f"{key} unknown (not read from the platform)")
    return present(f"{value:,} {key}", Evidence(key=f"platform: {key}", excerpt=str(value)),
                   **{key: value})


def downloads(facts: ModelFacts) -> CheckResult:
    """Downloads, when the platform reported them."""
    return _popularity(facts, "downloads")


def likes(facts: ModelFacts) -> CheckResult:
    """Likes, when the platform reported them."""
    return _popularity(facts, "likes")


CHECKS: tuple[Check, ...] = (
    Check(
        "commits", Category.MAINTENANCE, "Commit history",
        "A history of changes shows a maintained model rather than a one-off upload.",
        "Keep the model's history in the repo (commit changes instead of re-uploading).",
        1, Severity.INFO, commits,
    ),
    Check(
        "last-change", Category.MAINTENANCE, "Last change",
        "Practitioners prefer recently maintained models (fixes, upstream updates).",
        "Update the model when upstream changes, or state that it is frozen.",
        2, Severity.LOW, last_change,
    ),
    Check(
        "downloads", Category.MAINTENANCE, "Downloads",
        "Popularity is a traditional selection signal (and a target for attackers).",
        "Nothing to fix: this is read from the platform (ingest from the Hub to know it).",
        1, Severity.INFO, downloads,
    ),
    Check(
        "likes", Category.MAINTENANCE, "Likes",
        "Likes are a community quality signal used in model selection.",
        "Nothing to fix: this is read from the platform (ingest from the Hub to know it).",
        1, Severity.INFO, likes,
    ),
)
