"""Maturity of a family (sync-spec.md, "Similarity and maturity").

For each variant, the days between its first and last commit; averaged over the family's
variants; grouped by the study's tertiles Recent (0-116 days), Intermediate (117-440) and
Matured (452+).

"Days between" is the floor of the elapsed time in whole days (``timedelta.days``), as for the
switch lags, not a difference of calendar days: the study's ``age_days_individual_x`` equals
``(last_commit - first_commit).days`` for all 986 variants of ``complete_dataset.csv``, while a
calendar-day difference matches only 489 of them (e.g. google-bert/bert-base-uncased,
2018-11-14 23:35:08 to 2024-02-19 11:06:12: 1922 days, not 1923).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from enum import StrEnum

from ptmscope.sync.bins import TimePoint, to_utc_datetime

#: Recent: average age below this many days (the study's Recent tertile ends at 116.2).
RECENT_BELOW_DAYS = 117.0

#: **(ours)** The published tertiles leave a gap: Intermediate ends at 440 days and Matured
#: starts at 452 (no family of the study fell between). We split the gap at its midpoint, 446:
#: an average below 446 days is Intermediate, 446 or more is Matured. This reproduces the
#: group of every one of the study's 325 families (checked by bench/sync_reference.py).
MATURED_FROM_DAYS = (440 + 452) / 2


class MaturityGroup(StrEnum):
    """The study's maturity tertiles."""

    RECENT = "Recent"
    INTERMEDIATE = "Intermediate"
    MATURED = "Matured"


def variant_age_days(dates: Sequence[TimePoint]) -> int:
    """Whole days (floor of the elapsed time) between a variant's first and last commit.

    >>> from datetime import datetime
    >>> variant_age_days([datetime(2024, 1, 1, 23), datetime(2024, 1, 3, 1)])
    1
    """
    moments = [to_utc_datetime(d) for d in dates]
    return (max(moments) - min(moments)).days


def average_age_days(variants: Mapping[str, Sequence[TimePoint]]) -> float | None:
    """The family's average variant age in days; None when no variant has dates."""
    ages = [variant_age_days(d) for d in variants.values() if d]
    return statistics.fmean(ages) if ages else None


def maturity_group(average_days: float) -> MaturityGroup:
    """Recent, Intermediate or Matured for an average age in days (see the gap rule above)."""
    if average_days < RECENT_BELOW_DAYS:
        return MaturityGroup.RECENT
    if average_days < MATURED_FROM_DAYS:
        return MaturityGroup.INTERMEDIATE
    return MaturityGroup.MATURED
