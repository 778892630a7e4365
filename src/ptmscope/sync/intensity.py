"""Dimension 3: synchronization intensity (R / F / S).

sync-spec.md, "Dimension 3": R (rare) when every variant is active in at most 3 distinct bins;
else F (frequent) when some variant has a run of at least 5 consecutive bins that are all in
both B(v) and G; else S (sporadic).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from ptmscope.sync.bins import BinnedFamily

#: R: every variant active in at most this many distinct bins.
RARE_MAX_BINS = 3
#: F: a run of at least this many consecutive shared bins.
FREQUENT_MIN_RUN = 5


class Intensity(StrEnum):
    """Intensity codes from sync-spec.md."""

    R = "R"  # rare
    F = "F"  # frequent
    S = "S"  # sporadic


def longest_run(bins: Iterable[int]) -> int:
    """Length of the longest run of consecutive integers in ``bins``.

    >>> longest_run({1, 2, 3, 7, 8})
    3
    """
    values = set(bins)
    best = 0
    for start in values:
        if start - 1 in values:
            continue
        length = 1
        while start + length in values:
            length += 1
        best = max(best, length)
    return best


def is_rare(family: BinnedFamily) -> bool:
    """Every variant is active in at most :data:`RARE_MAX_BINS` distinct bins."""
    return all(len(bins) <= RARE_MAX_BINS for bins in family.variants.values())


def shared_run(family: BinnedFamily) -> int:
    """The longest run of consecutive bins shared by GitHub and one variant."""
    return max((longest_run(bins & family.github) for bins in family.variants.values()), default=0)


def is_frequent(family: BinnedFamily) -> bool:
    """Some variant shares :data:`FREQUENT_MIN_RUN`+ consecutive bins with GitHub."""
    return shared_run(family) >= FREQUENT_MIN_RUN


def intensity(family: BinnedFamily) -> Intensity:
    """R, F or S, tested in the spec's order."""
    if is_rare(family):
        return Intensity.R
    if is_frequent(family):
        return Intensity.F
    return Intensity.S
