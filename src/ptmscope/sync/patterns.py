"""The eight synchronization patterns and :func:`family_pattern`, the library entry point.

sync-spec.md, "The eight patterns (type + intensity)": the pattern is a pure function of the
synchronization type and the intensity. AS+F and VS+F cannot occur (F needs overlap with
GitHub, which AS and VS exclude). VS+R is Rare Disjoint Synchronization **(ours)**.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from ptmscope.sync.bins import bin_family, check_inputs, to_utc_datetime
from ptmscope.sync.intensity import Intensity, intensity
from ptmscope.sync.lag import Lag, LagStats, lag_direction, lag_stats, switches
from ptmscope.sync.sync_type import SyncType, sync_type


class Pattern(StrEnum):
    """The eight pattern names, exactly as in sync-spec.md."""

    DISPERSE = "Disperse Synchronization"
    SPARSE = "Sparse Synchronization"
    RARE = "Rare Synchronization"
    SPORADIC_DISJOINT = "Sporadic Disjoint Synchronization"
    RARE_DISJOINT = "Rare Disjoint Synchronization"
    INTERMITTENT = "Intermittent Synchronization"
    FREQUENT = "Frequent Synchronization"
    DENSE_PARTIAL = "Dense Partial Synchronization"


#: **(ours)** VS+R is not in the study's table (no family had it); sync-spec.md assigns it to
#: Rare Disjoint Synchronization, like AS+R: variants that move together without GitHub,
#: rarely.
VS_R_PATTERN = Pattern.RARE_DISJOINT

#: (type, intensity) -> pattern: the table of sync-spec.md. AS+F and VS+F are absent on purpose.
PATTERN_TABLE: Mapping[tuple[SyncType, Intensity], Pattern] = {
    (SyncType.PS, Intensity.S): Pattern.DISPERSE,
    (SyncType.PS, Intensity.R): Pattern.SPARSE,
    (SyncType.CS, Intensity.R): Pattern.RARE,
    (SyncType.AS, Intensity.S): Pattern.SPORADIC_DISJOINT,
    (SyncType.VS, Intensity.S): Pattern.SPORADIC_DISJOINT,
    (SyncType.AS, Intensity.R): Pattern.RARE_DISJOINT,
    (SyncType.VS, Intensity.R): VS_R_PATTERN,
    (SyncType.CS, Intensity.S): Pattern.INTERMITTENT,
    (SyncType.CS, Intensity.F): Pattern.FREQUENT,
    (SyncType.PS, Intensity.F): Pattern.DENSE_PARTIAL,
}

#: The study's older wording in its published CSV files -> the names above
#: (``"Rare Disjoing"`` is a typo in the source data, kept so its files can be read).
STUDY_PATTERN_NAMES: Mapping[str, Pattern] = {
    "dispersed alignment": Pattern.DISPERSE,
    "sparse alignment": Pattern.SPARSE,
    "rare alignment": Pattern.RARE,
    "sporadic disjoint": Pattern.SPORADIC_DISJOINT,
    "rare disjoint": Pattern.RARE_DISJOINT,
    "rare disjoing": Pattern.RARE_DISJOINT,
    "intermittent alignment": Pattern.INTERMITTENT,
    "frequent alignment": Pattern.FREQUENT,
    "dense partial alignment": Pattern.DENSE_PARTIAL,
}


def pattern_of(kind: SyncType, level: Intensity) -> Pattern:
    """The pattern of a type + intensity combination.

    Raises:
        ValueError: for AS+F or VS+F, which the spec says cannot occur.

    >>> pattern_of(SyncType.PS, Intensity.S).value
    'Disperse Synchronization'
    """
    try:
        return PATTERN_TABLE[(kind, level)]
    except KeyError:
        raise ValueError(f"{kind.value}+{level.value} cannot occur (F needs overlap)") from None


def study_pattern(name: str) -> Pattern:
    """Translate a pattern name of the study's data files ("Dispersed Alignment Pattern")."""
    key = name.strip().lower().removesuffix("pattern").strip()
    return STUDY_PATTERN_NAMES[key]


@dataclass(frozen=True, slots=True)
class FamilyPattern:
    """The synchronization measures of one family.

    Attributes:
        lag: who moves first (No Lag / Upstream First / Downstream First).
        sync_type: CS, PS, VS or AS.
        intensity: R, F or S.
        pattern: one of the eight pattern names.
        switch_lags_days: whole days at every platform switch, in time order.
        lag_stats: count, mean, median and max of ``switch_lags_days``.
        t0: the first UTC day of bin 0.
        github_bins: GitHub's active bins, ascending.
        variant_bins: variant -> its active bins, ascending (input order of variants).
    """

    lag: Lag
    sync_type: SyncType
    intensity: Intensity
    pattern: Pattern
    switch_lags_days: tuple[int, ...]
    lag_stats: LagStats
    t0: date
    github_bins: tuple[int, ...]
    variant_bins: Mapping[str, tuple[int, ...]]

    @property
    def code(self) -> str:
        """Type + intensity, e.g. ``"PSS"`` (the study's ``codes`` column)."""
        return f"{self.sync_type.value}{self.intensity.value}"

    @property
    def switch_lag_mean(self) -> float | None:
        """Mean switch lag in days."""
        return self.lag_stats.mean

    @property
    def switch_lag_median(self) -> float | None:
        """Median switch lag in days."""
        return self.lag_stats.median

    @property
    def switch_lag_max(self) -> int | None:
        """Largest switch lag in days."""
        return self.lag_stats.maximum


def family_pattern(
    github: Sequence[datetime | date],
    variants: Mapping[str, Sequence[datetime | date]],
    *,
    now: datetime | None = None,
) -> FamilyPattern:
    """Measure one family: lag, synchronization type, intensity, pattern and switch lags.

    Pure apart from the default clock used to reject future dates (pass ``now`` to pin it).

    Args:
        github: timestamps of the upstream repository's commits (any order; aware datetimes
            are converted to UTC, naive ones are read as UTC, dates are UTC days).
        variants: Hugging Face variant id -> its commit timestamps.
        now: dates after this instant are clock errors (default: the current UTC time).
    Returns:
        A :class:`FamilyPattern`.
    Raises:
        NotAnalysable: no commits on one side, a variant without dates, a duplicate
            variant, or a date before 2000 or in the future; ``err.reason`` says which.

    >>> from datetime import date
    >>> fp = family_pattern([date(2024, 1, 1)], {"org/model": [date(2024, 1, 5)]})
    >>> (fp.lag.value, fp.code, fp.pattern.value)
    ('No Lag', 'CSR', 'Rare Synchronization')
    """
    check_inputs(github, variants, now=now)
    # Convert to UTC once; the measures below then take the cheap path of to_utc_datetime.
    gh_utc = [to_utc_datetime(v) for v in github]
    var_utc = {name: [to_utc_datetime(v) for v in dates] for name, dates in variants.items()}
    binned = bin_family(gh_utc, var_utc)
    kind = sync_type(binned)
    level = intensity(binned)
    lags = tuple(s.days for s in switches(gh_utc, var_utc))
    return FamilyPattern(
        lag=lag_direction(binned),
        sync_type=kind,
        intensity=level,
        pattern=pattern_of(kind, level),
        switch_lags_days=lags,
        lag_stats=lag_stats(lags),
        t0=binned.t0,
        github_bins=tuple(sorted(binned.github)),
        variant_bins={name: tuple(sorted(bins)) for name, bins in binned.variants.items()},
    )
