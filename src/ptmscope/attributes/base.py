"""The shape of an attribute check: self-describing metadata plus one pure function.

After OSSF Scorecard's probes: each check carries its id, short text, why it matters, how to
fix it, its category and weight, and the function that judges a :class:`ModelFacts`. The
metadata travels with every result, so "why" and "how to fix" reach the scorecard and the
stored findings without a second lookup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ptmscope.attributes.facts import ModelFacts
from ptmscope.records import Outcome, Severity


class Category(StrEnum):
    """The reuse-attribute groups of the study (plus documentation and maintenance)."""

    PROVENANCE = "provenance"
    REPRODUCIBILITY = "reproducibility"
    PORTABILITY = "portability"
    DOCUMENTATION = "documentation"
    MAINTENANCE = "maintenance"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a result was read from.

    Attributes:
        path: a file in the repo (the card, a weight file...), or None.
        line: 1-based line in ``path``, when known.
        key: a metadata key (``license``, ``model-index[0].results[1]``) or platform fact.
        excerpt: a short quote of what was found (hostile text: escape before display).
    """

    path: str | None = None
    line: int | None = None
    key: str | None = None
    excerpt: str | None = None

    def describe(self) -> str:
        """One short human line, e.g. ``README.md:12 (license)``."""
        parts: list[str] = []
        if self.path:
            parts.append(f"{self.path}:{self.line}" if self.line else self.path)
        if self.key:
            parts.append(f"({self.key})" if parts else self.key)
        if self.excerpt:
            parts.append(f'"{self.excerpt}"')
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What one check concluded about one model.

    Attributes:
        outcome: present / partial / missing / not_applicable / not_available / error.
        message: one line saying what was (or was not) found.
        evidence: where it was found; empty for a plain "missing".
        details: JSON-able facts (counts, values, lists) for machines.
    """

    outcome: Outcome
    message: str
    evidence: tuple[Evidence, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)


CheckFn = Callable[[ModelFacts], CheckResult]


@dataclass(frozen=True, slots=True)
class Check:
    """A registered attribute check.

    Attributes:
        id: stable kebab-case id, also the finding's ``rule_id`` (``license``).
        category: the attribute group it scores in.
        short: what is checked, in a few words (the scorecard's attribute column).
        why: why a reuser needs it (from the reuse study).
        remedy: one line telling the publisher how to provide it.
        weight: 1 (nice to have) to 3 (essential) in its category's score.
        severity: how much its absence matters, stored on missing/partial findings.
        fn: the pure function judging a model.
    """

    id: str
    category: Category
    short: str
    why: str
    remedy: str
    weight: int
    severity: Severity
    fn: CheckFn

    def run(self, facts: ModelFacts) -> CheckResult:
        """Run the check; an unexpected exception becomes an ``error`` result, never a crash."""
        try:
            return self.fn(facts)
        except Exception as err:
            return CheckResult(Outcome.ERROR, f"check failed: {type(err).__name__}: {err}"[:300])


def present(message: str, *evidence: Evidence, **details: Any) -> CheckResult:
    """A ``present`` result."""
    return CheckResult(Outcome.PRESENT, message, evidence, details)


def partial(message: str, *evidence: Evidence, **details: Any) -> CheckResult:
    """A ``partial`` result."""
    return CheckResult(Outcome.PARTIAL, message, evidence, details)


def missing(message: str, *evidence: Evidence, **details: Any) -> CheckResult:
    """A ``missing`` result."""
    return CheckResult(Outcome.MISSING, message, evidence, details)


def not_applicable(message: str, **details: Any) -> CheckResult:
    """A ``not_applicable`` result (the attribute makes no sense for this model)."""
    return CheckResult(Outcome.NOT_APPLICABLE, message, (), details)


def not_available(message: str, **details: Any) -> CheckResult:
    """A ``not_available`` result (the data to judge is not in the store)."""
    return CheckResult(Outcome.NOT_AVAILABLE, message, (), details)
