"""Maturity of a family (sync-spec.md, "Similarity and maturity").

For each variant, the days between its first and last commit; averaged over the family's
variants; grouped by the study's tertiles Recent (0-116 days), Intermediate (117-440) and
Matured (452+).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from enum import StrEnum

from ptmscope.sync.bins import TimePoint, utc_day

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
    """Calendar days (UTC) between a variant's first and last commit."""
    days = [utc_day(d) for d in dates]
    return (max(days) - min(days)).days


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
