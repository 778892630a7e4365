"""Dimension 1: who moves first, and the lag in days at every platform switch.

sync-spec.md, "Dimension 1 — lag": at the first bin where anything is active, GitHub and at
least one variant active -> No Lag, only GitHub -> Upstream First, only a variant ->
Downstream First. Lag in days: merge both platforms' commits in time order and, at every switch
of platform, record the whole days between the two consecutive commits.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from itertools import pairwise

from ptmscope.sync.bins import BinnedFamily, TimePoint, to_utc_datetime


class Lag(StrEnum):
    """Lag direction, with the names used in sync-spec.md."""

    NO_LAG = "No Lag"
    UPSTREAM_FIRST = "Upstream First"
    DOWNSTREAM_FIRST = "Downstream First"


def lag_direction(family: BinnedFamily) -> Lag:
    """Who is active in the first active bin.

    The first active bin is always bin 0 (``t0`` is the family's earliest day), but the walk
    is written out so the rule reads as in the spec.
    """
    first = min([*family.github, *(b for bins in family.variants.values() for b in bins)])
    github_active = first in family.github
    variant_active = any(first in bins for bins in family.variants.values())
    if github_active and variant_active:
        return Lag.NO_LAG
    return Lag.UPSTREAM_FIRST if github_active else Lag.DOWNSTREAM_FIRST


#: **(ours)** Order of commits with equal UTC timestamps when merging the two platforms:
#: GitHub before Hugging Face (upstream is the source of a release), then the input order.
#: A tie can create at most one extra switch, and its lag is 0 days either way.
#: sync-spec.md leaves ties open; the study's 3,863 switches contain none.
TIE_ORDER: tuple[str, str] = ("github", "huggingface")


@dataclass(frozen=True, slots=True)
class Switch:
    """One platform switch in the merged commit sequence.

    Attributes:
        source / target: ``"github"`` or ``"huggingface"``.
        previous / following: the two consecutive commits' UTC timestamps.
        days: whole days between them (floor of the difference).
    """

    source: str
    target: str
    previous: datetime
    following: datetime
    days: int


def switches(
    github: Sequence[TimePoint], variants: Mapping[str, Sequence[TimePoint]]
) -> list[Switch]:
    """Every platform switch of the merged, time-ordered commits (all variants pooled as HF).

    >>> from datetime import date
    >>> [s.days for s in switches([date(2024, 1, 1)], {"o/m": [date(2024, 1, 17)]})]
    [16]
    """
    merged: list[tuple[datetime, int, str]] = []
    for value in github:
        merged.append((to_utc_datetime(value), TIE_ORDER.index("github"), "github"))
    for dates in variants.values():
        for value in dates:
            merged.append((to_utc_datetime(value), TIE_ORDER.index("huggingface"), "huggingface"))
    merged.sort(key=lambda item: (item[0], item[1]))
    out: list[Switch] = []
    for (prev_at, _, prev_side), (next_at, _, next_side) in pairwise(merged):
        if prev_side != next_side:
            days = (next_at - prev_at).days  # timedelta.days is the floor of whole days
            out.append(Switch(prev_side, next_side, prev_at, next_at, days))
    return out


@dataclass(frozen=True, slots=True)
class LagStats:
    """Summary of switch lags in days (None when there is no switch)."""

    count: int
    mean: float | None
    median: float | None
    maximum: int | None


def lag_stats(days: Sequence[int]) -> LagStats:
    """Mean, median and maximum of switch lags."""
    if not days:
        return LagStats(0, None, None, None)
    return LagStats(len(days), statistics.fmean(days), float(statistics.median(days)), max(days))
