"""Scoring policy, kept apart from the checks (after Scorecard's ``checks/evaluation``).

A category's score is a weighted share, 0 to 100::

    score = 100 * sum(weight * credit) / sum(weight)    over the category's judged checks

with credit 1 for ``present``, 0.5 for ``partial`` and 0 for ``missing`` or ``error``. Checks
that are ``not_applicable`` or ``not_available`` are left out of both sums (the store cannot
tell, so they neither help nor hurt); a category with no judged check has no score (None).
Weights are each check's ``weight`` (1 nice to have, 2 important, 3 essential), documented in
docs/attributes.md. A score never stands alone: :class:`CategoryScore` always lists which
items are missing, partial and unknown, and the scorecard prints them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ptmscope.attributes.base import Category, Check, CheckResult
from ptmscope.records import Outcome

#: Credit per outcome; outcomes absent here are not judged (left out of the score).
CREDIT: dict[Outcome, float] = {
    Outcome.PRESENT: 1.0,
    Outcome.PARTIAL: 0.5,
    Outcome.MISSING: 0.0,
    Outcome.ERROR: 0.0,
}


@dataclass(frozen=True, slots=True)
class CategoryScore:
    """One category's score and the items behind it.

    Attributes:
        category: the attribute group.
        score: 0-100, or None when no check of the category could be judged.
        present / partial / missing / unknown: check ids per outcome (unknown = not
            available or not applicable, left out of the score). A check that ended in
            ``error`` earns no credit, so it is listed under missing: every item that
            lowers the score is named.
    """

    category: Category
    score: int | None
    present: tuple[str, ...]
    partial: tuple[str, ...]
    missing: tuple[str, ...]
    unknown: tuple[str, ...]


def score_category(
    category: Category, judged: Sequence[tuple[Check, CheckResult]]
) -> CategoryScore:
    """Score one category from its checks' results."""
    return score_outcomes(category, [(check, result.outcome) for check, result in judged])


def score_outcomes(
    category: Category, judged: Sequence[tuple[Check, Outcome]]
) -> CategoryScore:
    """Score one category from its checks' outcomes (e.g. read back from stored findings)."""
    earned = 0.0
    possible = 0
    buckets: dict[str, list[str]] = {"present": [], "partial": [], "missing": [], "unknown": []}
    for check, outcome in judged:
        if check.category is not category:
            continue
        credit = CREDIT.get(outcome)
        if outcome in (Outcome.PRESENT, Outcome.PARTIAL, Outcome.MISSING):
            buckets[outcome.value].append(check.id)
        elif outcome is Outcome.ERROR:  # scored as missing, so listed with the missing
            buckets["missing"].append(check.id)
        else:
            buckets["unknown"].append(check.id)
        if credit is None:
            continue
        earned += check.weight * credit
        possible += check.weight
    score = None if possible == 0 else round(100 * earned / possible)
    return CategoryScore(
        category,
        score,
        tuple(buckets["present"]),
        tuple(buckets["partial"]),
        tuple(buckets["missing"]),
        tuple(buckets["unknown"]),
    )


def score_all(judged: Sequence[tuple[Check, CheckResult]]) -> tuple[CategoryScore, ...]:
    """Scores of every category, in ``Category`` order."""
    return tuple(score_category(category, judged) for category in Category)
