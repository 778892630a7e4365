"""The corpus view: which attributes are missing how often, and who publishes claims.

Pure aggregation over per-model :class:`CorpusRow` values (one per audited model):

* for each check, the share of models missing it, overall and per group (pipeline tag by
  default): ``missing / judged``, where *judged* counts the models whose outcome was present,
  partial, missing or error (not applicable / not available are left out and counted apart);
* per task, the share of models with at least one machine-parseable ``model-index`` claim,
  the reuse study's measure (4% overall, 16.8% token-classification to 0.1% text-generation).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ptmscope.attributes.audit import ModelAudit
from ptmscope.attributes.registry import CHECKS
from ptmscope.records import Outcome

NO_TAG = "(none)"

_JUDGED = frozenset({Outcome.PRESENT, Outcome.PARTIAL, Outcome.MISSING, Outcome.ERROR})


class GroupBy(StrEnum):
    """What the corpus view groups models by."""

    PIPELINE_TAG = "pipeline_tag"
    LIBRARY = "library_name"


@dataclass(frozen=True)  # not slotted: pickles faster on the way back from workers
class CorpusRow:
    """What the corpus view needs from one audit (small, so workers can return it cheaply).

    Attributes:
        repo_id: the model.
        groups: the model's value per :class:`GroupBy` key (``NO_TAG`` when unknown).
        outcomes: outcome value per check id (plain strings: cheap to pickle).
        claims: number of machine-parseable claim rows.
    """

    repo_id: str
    groups: Mapping[str, str]
    outcomes: Mapping[str, str]
    claims: int


def corpus_row(audit: ModelAudit) -> CorpusRow:
    """The corpus row of one audit."""
    library = audit.result("library").details.get("library")
    return CorpusRow(
        repo_id=audit.repo_id,
        groups={
            GroupBy.PIPELINE_TAG.value: audit.pipeline_tag or NO_TAG,
            GroupBy.LIBRARY.value: library if isinstance(library, str) and library else NO_TAG,
        },
        outcomes={check.id: result.outcome.value for check, result in audit.results},
        claims=len(audit.claims.parseable_rows),
    )


@dataclass(frozen=True, slots=True)
class AttributeShare:
    """How often one attribute is missing in a set of models.

    Attributes:
        check_id / attribute / category: the check.
        models: models in the set.
        judged: models whose outcome could be judged.
        missing / partial / present: counts.
        unknown: models not applicable / not available.
        share_missing: ``missing / judged`` (0.0 when nothing was judged).
    """

    check_id: str
    attribute: str
    category: str
    models: int
    judged: int
    present: int
    partial: int
    missing: int
    unknown: int
    share_missing: float


@dataclass(frozen=True, slots=True)
class TaskClaims:
    """Machine-parseable claims for one task.

    Attributes:
        task: the pipeline tag (``(none)`` when unknown).
        models: models with that task.
        with_claims: models with at least one parseable model-index row.
        share: ``with_claims / models``.
    """

    task: str
    models: int
    with_claims: int
    share: float


@dataclass(frozen=True, slots=True)
class CorpusView:
    """The corpus view.

    Attributes:
        models: models audited.
        group_by: the grouping key used for ``by_group``.
        attributes: overall shares, one per check in registry order.
        by_group: shares per group value, groups sorted by size (largest first).
        claims_by_task: the study's measure per task, largest task first.
        with_claims: models with any machine-parseable claim.
    """

    models: int
    group_by: str
    attributes: tuple[AttributeShare, ...]
    by_group: Mapping[str, tuple[AttributeShare, ...]]
    claims_by_task: tuple[TaskClaims, ...]
    with_claims: int

    @property
    def claims_share(self) -> float:
        """Share of all models with a machine-parseable claim."""
        return self.with_claims / self.models if self.models else 0.0


def _shares(rows: Sequence[CorpusRow]) -> tuple[AttributeShare, ...]:
    out: list[AttributeShare] = []
    for check in CHECKS:
        counts = {outcome.value: 0 for outcome in Outcome}
        for row in rows:
            counts[row.outcomes.get(check.id, Outcome.NOT_AVAILABLE.value)] += 1
        judged = sum(counts[o.value] for o in _JUDGED)
        missing = counts[Outcome.MISSING]
        out.append(
            AttributeShare(
                check_id=check.id,
                attribute=check.short,
                category=check.category.value,
                models=len(rows),
                judged=judged,
                present=counts[Outcome.PRESENT],
                partial=counts[Outcome.PARTIAL],
                missing=missing,
                unknown=len(rows) - judged,
                share_missing=missing / judged if judged else 0.0,
            )
        )
    return tuple(out)


def corpus_view(rows: Iterable[CorpusRow], group_by: GroupBy = GroupBy.PIPELINE_TAG) -> CorpusView:
    """Aggregate per-model rows into the corpus view.

    >>> corpus_view([]).models
    0
    """
    all_rows = list(rows)
    groups: dict[str, list[CorpusRow]] = {}
    tasks: dict[str, list[CorpusRow]] = {}
    for row in all_rows:
        groups.setdefault(row.groups.get(group_by.value, NO_TAG), []).append(row)
        tasks.setdefault(row.groups.get(GroupBy.PIPELINE_TAG.value, NO_TAG), []).append(row)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    claims = [
        TaskClaims(task, len(members), sum(r.claims > 0 for r in members),
                   sum(r.claims > 0 for r in members) / len(members))
        for task, members in sorted(tasks.items(), key=lambda item: (-len(item[1]), item[0]))
    ]
    return CorpusView(
        models=len(all_rows),
        group_by=group_by.value,
        attributes=_shares(all_rows),
        by_group={name: _shares(members) for name, members in ordered},
        claims_by_task=tuple(claims),
        with_claims=sum(r.claims > 0 for r in all_rows),
    )
