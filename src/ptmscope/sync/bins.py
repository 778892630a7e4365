"""Time handling and two-week bins (sync-spec.md, "Inputs" and "Time bins").

Every timestamp is converted to UTC first; binning then uses the UTC calendar day only, so a
Hugging Face date with day granularity and a GitHub timestamp of the same UTC day fall in the
same bin. ``t0`` is the earliest day of the family over both platforms and a commit's bin is
``floor((day - t0).days / 14)``.

This module also holds the input rules that make a family *not analysable* (empty sides,
variants without dates, duplicate variants, clocks before 2000 or in the future): they are
checked once, here, before any measure runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum

from ptmscope.errors import NotAnalysableError

#: Width of one bin in days (sync-spec.md, "Time bins").
BIN_DAYS = 14

#: **(ours)** Commits dated before this day are clock errors (git's epoch defaults, broken
#: imports), not history: the family is not analysable. sync-spec.md leaves this open; the
#: issue asks for "clocks ... before 2000" to be reported.
EARLIEST_PLAUSIBLE_DAY = date(2000, 1, 1)

TimePoint = datetime | date


class NotAnalysableReason(StrEnum):
    """Why a family cannot be measured (each is a result, never a crash of the corpus run)."""

    NO_UPSTREAM_COMMITS = "no_upstream_commits"
    NO_VARIANTS = "no_variants"
    NO_VARIANT_COMMITS = "no_variant_commits"
    VARIANT_WITHOUT_DATES = "variant_without_dates"
    DUPLICATE = "duplicate"
    FUTURE_DATE = "future_date"
    DATE_BEFORE_2000 = "date_before_2000"
    MISSING_REPO = "missing_repo"


class NotAnalysable(NotAnalysableError):
    """A family whose timelines cannot be measured, with a machine-readable reason.

    Attributes:
        reason_code: the rule that failed (``reason`` holds its string value).
        detail: one human line naming the offending side, variant or date.

    >>> try:
    ...     check_inputs([], {"org/m": [date(2024, 1, 1)]})
    ... except NotAnalysable as err:
    ...     err.reason
    'no_upstream_commits'
    """

    def __init__(self, reason: NotAnalysableReason, detail: str) -> None:
        super().__init__(reason.value, detail)
        self.reason_code = reason


def to_utc_datetime(value: TimePoint) -> datetime:
    """``value`` as an aware UTC datetime.

    **(ours)** A naive datetime is read as UTC (git and the Hub both report UTC when no offset
    is known); a bare ``date`` is midnight UTC of that day (the Hub's day granularity).
    """
    if isinstance(value, datetime):
        if value.tzinfo is UTC:  # the common case (store reads), kept cheap
            return value
        if value.tzinfo is None or value.utcoffset() is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
    return datetime.combine(value, time(0, 0), tzinfo=UTC)


def utc_day(value: TimePoint) -> date:
    """**(ours)** The UTC calendar day of ``value``: binning uses calendar days in UTC.

    sync-spec.md, "Inputs": "treat all timestamps as UTC and drop the time of day before
    binning (ours: binning uses calendar days in UTC)".

    >>> from datetime import timedelta, timezone
    >>> utc_day(datetime(2024, 1, 1, 23, 30, tzinfo=timezone(timedelta(hours=-2))))
    datetime.date(2024, 1, 2)
    """
    return to_utc_datetime(value).date()


def bin_of(day: date, t0: date) -> int:
    """The two-week bin of ``day``: ``floor((day - t0) in whole days / 14)``."""
    return (day - t0).days // BIN_DAYS


def variant_key(name: str) -> str:
    """**(ours)** The identity of a variant: Hugging Face repo ids are case-insensitive, so
    ``Org/Model`` and ``org/model`` name the same repository (a *duplicate*, see
    :func:`check_inputs`)."""
    return name.strip().lower()


def check_inputs(
    github: Sequence[TimePoint],
    variants: Mapping[str, Sequence[TimePoint]],
    *,
    now: datetime | None = None,
) -> None:
    """Raise :class:`NotAnalysable` when the family's timelines cannot be measured.

    Rules, checked in this order (the first that fails is reported):

    1. no upstream commit -> ``no_upstream_commits``;
    2. no variant at all -> ``no_variants``;
    3. a variant named twice (ids compared case-insensitively) -> ``duplicate``;
    4. **(ours)** any variant with no dates -> ``variant_without_dates`` when some other
       variant has dates, ``no_variant_commits`` when none has (sync-spec.md, "Dimension 2":
       a family with no variant commits is not analysable, never CS). An empty variant would
       otherwise be a vacuous subset of G and bias the family towards CS and R;
    5. any date before :data:`EARLIEST_PLAUSIBLE_DAY` -> ``date_before_2000``;
    6. any date after ``now`` (default: the current UTC time) -> ``future_date``.

    Args:
        github: the upstream commit timestamps.
        variants: variant id -> its commit timestamps.
        now: the clock to compare against (inject it for reproducible results).
    Raises:
        NotAnalysable: with the reason and the offending side.
    """
    if not github:
        raise NotAnalysable(
            NotAnalysableReason.NO_UPSTREAM_COMMITS, "the GitHub side has no commits"
        )
    if not variants:
        raise NotAnalysable(
            NotAnalysableReason.NO_VARIANTS, "the family has no Hugging Face variant"
        )
    seen: dict[str, str] = {}
    for name in variants:
        key = variant_key(name)
        if key in seen:
            raise NotAnalysable(
                NotAnalysableReason.DUPLICATE, f"variant {name!r} duplicates {seen[key]!r}"
            )
        seen[key] = name
    empty = sorted(name for name, dates in variants.items() if not dates)
    if empty:
        reason = (
            NotAnalysableReason.NO_VARIANT_COMMITS
            if len(empty) == len(variants)
            else NotAnalysableReason.VARIANT_WITHOUT_DATES
        )
        raise NotAnalysable(reason, "no commit dates for variant(s) " + ", ".join(empty[:5]))
    limit = to_utc_datetime(now) if now is not None else datetime.now(UTC)
    for side, dates in _sides(github, variants):
        moments = [to_utc_datetime(value) for value in dates]
        earliest, latest = min(moments), max(moments)
        if earliest.date() < EARLIEST_PLAUSIBLE_DAY:
            raise NotAnalysable(
                NotAnalysableReason.DATE_BEFORE_2000,
                f"{side} has a commit dated {earliest.isoformat()} (clock before 2000)",
            )
        if latest > limit:
            raise NotAnalysable(
                NotAnalysableReason.FUTURE_DATE,
                f"{side} has a commit dated {latest.isoformat()}, after {limit.isoformat()}",
            )


def _sides(
    github: Sequence[TimePoint], variants: Mapping[str, Sequence[TimePoint]]
) -> Iterable[tuple[str, Sequence[TimePoint]]]:
    yield "GitHub", github
    for name, dates in variants.items():
        yield f"variant {name!r}", dates


@dataclass(frozen=True, slots=True)
class BinnedFamily:
    """A family's commits reduced to active two-week bins.

    Attributes:
        t0: the earliest UTC day over both platforms.
        github: GitHub's active bins (G in sync-spec.md).
        variants: variant id -> its active bins (B(v)), in the caller's order.
    """

    t0: date
    github: frozenset[int]
    variants: Mapping[str, frozenset[int]]

    @property
    def last_bin(self) -> int:
        """The highest active bin on any side."""
        return max([*self.github, *(b for bins in self.variants.values() for b in bins)])

    def bin_start(self, index: int) -> date:
        """The first day of bin ``index``."""
        from datetime import timedelta

        return self.t0 + timedelta(days=index * BIN_DAYS)


def bin_family(
    github: Sequence[TimePoint], variants: Mapping[str, Sequence[TimePoint]]
) -> BinnedFamily:
    """Reduce timelines to active bins (inputs assumed valid: see :func:`check_inputs`)."""
    gh_days = {utc_day(v) for v in github}
    var_days = {name: {utc_day(v) for v in dates} for name, dates in variants.items()}
    t0 = min(gh_days.union(*var_days.values()))
    return BinnedFamily(
        t0=t0,
        github=frozenset(bin_of(d, t0) for d in gh_days),
        variants={name: frozenset(bin_of(d, t0) for d in days) for name, days in var_days.items()},
    )
