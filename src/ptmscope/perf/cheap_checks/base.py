"""The shape of a cheap check: a self-describing unit, a pure function over one model's records.

Cheap checks need no evaluation data and no eval extra: they compare what a model's id and
card say (size, file sizes, formats) with what its files show (safetensors headers, file
list). The runner does the I/O (reading headers) and builds a ``CheckContext``; each check is
``run(context) -> tuple[Finding, ...]`` with no I/O, after OSSF Scorecard's probes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ptmscope.formats.safetensors import HeaderProblem, SafetensorsHeader
from ptmscope.records import CardRecord, FileRecord, Finding, Outcome, RepoRecord, Severity


@dataclass(frozen=True, slots=True)
class CheckContext:
    """Everything a cheap check may look at for one model.

    Attributes:
        repo: the repository record.
        files: its files at HEAD.
        card: its model card, when it has one.
        headers: safetensors headers (or why each could not be read) by repository path,
            read by the runner.
    """

    repo: RepoRecord
    files: tuple[FileRecord, ...] = ()
    card: CardRecord | None = None
    headers: Mapping[str, SafetensorsHeader | HeaderProblem] = field(default_factory=dict)

    @property
    def card_text(self) -> str:
        """The card's body and front matter as one text ("" without a card)."""
        if self.card is None:
            return ""
        return self.card.raw_text


@dataclass(frozen=True, slots=True)
class CheapCheck:
    """A registered cheap check.

    Attributes:
        id: stable rule id (``perf.param-count``).
        title: short name.
        why: why it matters to a reuser.
        remediation: how a publisher fixes a failure.
        severity: severity of a failed check.
        run: the pure function.
    """

    id: str
    title: str
    why: str
    remediation: str
    severity: Severity
    run: Callable[[CheckContext], tuple[Finding, ...]] = field(repr=False)

    def finding(self, ctx: CheckContext, outcome: Outcome, message: str, *,
                path: str | None = None, location: str | None = None,
                details: Mapping[str, Any] | None = None) -> Finding:
        """A finding of this check about ``ctx.repo`` (severity info unless it failed)."""
        failed = outcome in (Outcome.MISSING, Outcome.PARTIAL)
        return Finding(
            analysis="perf", rule_id=self.id, subject=ctx.repo.repo_id,
            severity=self.severity if failed else Severity.INFO, outcome=outcome,
            message=message[:500], path=path, location=location,
            details={"title": self.title, **({"remediation": self.remediation} if failed
                                              else {}), **(details or {})},
        )
