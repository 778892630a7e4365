"""Dimension 2: the synchronization type (CS / PS / VS / AS).

sync-spec.md, "Dimension 2": G = GitHub's active bins, B(v) = variant v's active bins.
CS when every B(v) is a subset of G; else PS when some variant bin is also in G; else VS when
at least 3 bins each have at least 3 distinct active variants; else AS. A family with no
variant commits is not analysable **(ours)**: that rule lives in
:func:`ptmscope.sync.bins.check_inputs`, so an empty family never reaches :func:`sync_type`.
"""

from __future__ import annotations

from collections import Counter
from enum import StrEnum

from ptmscope.sync.bins import BinnedFamily

#: VS: at least this many bins ...
VS_MIN_BINS = 3
#: ... in each of which at least this many distinct variants are active.
VS_MIN_VARIANTS = 3


class SyncType(StrEnum):
    """Synchronization type codes from sync-spec.md."""

    CS = "CS"  # complete
    PS = "PS"  # partial
    VS = "VS"  # variant-dominated
    AS = "AS"  # asynchronous


def is_complete(family: BinnedFamily) -> bool:
    """Every variant's active bins are GitHub bins."""
    return all(bins <= family.github for bins in family.variants.values())


def is_partial(family: BinnedFamily) -> bool:
    """At least one bin of any variant is also a GitHub bin."""
    return any(bins & family.github for bins in family.variants.values())


def crowded_bins(family: BinnedFamily) -> list[int]:
    """Bins in which at least :data:`VS_MIN_VARIANTS` distinct variants are active."""
    per_bin = Counter(b for bins in family.variants.values() for b in bins)
    return sorted(b for b, n in per_bin.items() if n >= VS_MIN_VARIANTS)


def is_variant_dominated(family: BinnedFamily) -> bool:
    """At least :data:`VS_MIN_BINS` bins with :data:`VS_MIN_VARIANTS`+ active variants."""
    return len(crowded_bins(family)) >= VS_MIN_BINS


def sync_type(family: BinnedFamily) -> SyncType:
    """CS, PS, VS or AS, tested in the spec's order."""
    if not family.variants:
        raise ValueError("sync_type needs at least one variant (see bins.check_inputs)")
    if is_complete(family):
        return SyncType.CS
    if is_partial(family):
        return SyncType.PS
    if is_variant_dominated(family):
        return SyncType.VS
    return SyncType.AS
