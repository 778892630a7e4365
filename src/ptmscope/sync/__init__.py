"""GitHub / Hugging Face synchronization of model families (sync-spec.md), as a library.

The two entry points researchers call:

* :func:`family_pattern` measures one family from commit dates: lag direction, synchronization
  type, intensity, the pattern name and the lag in days at every platform switch;
* :func:`classify_commit` labels one commit with one of the 15 change types (or
  ``"unclassified"``) from its message, touched files and platform.

Both are pure. One module per measure: ``bins`` (UTC days, two-week bins, input checks),
``lag``, ``sync_type``, ``intensity``, ``patterns``, ``similarity``, ``maturity``, ``profile``
(change-type profile of a side), ``links`` (content links and staleness), ``runner`` (per
family and corpus runs), ``corpus`` (corpus tables). Every rule sync-spec.md marks "(ours)" is
a named function or constant, defined once:

* :func:`ptmscope.sync.bins.utc_day` - binning uses UTC calendar days;
* :func:`ptmscope.sync.bins.to_utc_datetime` - naive datetimes are UTC;
* :data:`ptmscope.sync.bins.EARLIEST_PLAUSIBLE_DAY` and
  :func:`ptmscope.sync.bins.check_inputs` - what makes a family not analysable;
* :func:`ptmscope.sync.bins.variant_key` - duplicate variants (case-insensitive ids);
* :data:`ptmscope.sync.lag.TIE_ORDER` - equal timestamps at platform switches;
* :data:`ptmscope.sync.patterns.VS_R_PATTERN` - VS+R is Rare Disjoint Synchronization;
* :func:`ptmscope.sync.similarity.family_similarity` - a side with no classified commit;
* :func:`ptmscope.sync.similarity.similarity_tertile` - gaps between similarity tertiles;
* :data:`ptmscope.sync.maturity.MATURED_FROM_DAYS` - the 441-451 day maturity gap;
* :func:`ptmscope.sync.maturity.variant_age_days` - whole days, as the study's data;
* :data:`ptmscope.sync.links.LAST_SYNC_FALLBACK`, :func:`ptmscope.sync.links.match_shared_paths`.

>>> from datetime import date
>>> family_pattern([date(2024, 1, 1)], {"org/model": [date(2024, 3, 1)]}).pattern.value
'Rare Disjoint Synchronization'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ptmscope.sync.bins import NotAnalysable, NotAnalysableReason
from ptmscope.sync.intensity import Intensity
from ptmscope.sync.lag import Lag
from ptmscope.sync.maturity import MaturityGroup, maturity_group
from ptmscope.sync.patterns import FamilyPattern, Pattern, family_pattern, pattern_of
from ptmscope.sync.similarity import (
    SimilarityTertile,
    family_similarity,
    jaccard,
    similarity_tertile,
)
from ptmscope.sync.sync_type import SyncType

if TYPE_CHECKING:
    from ptmscope.sync.change_types import (
        CHANGE_TYPES,
        UNCLASSIFIED,
        classify_commit,
        explain_commit,
    )

#: Names re-exported from ``ptmscope.sync.change_types`` (the classifier), imported on first
#: use so the measures stay importable on their own.
_CLASSIFIER_NAMES = ("CHANGE_TYPES", "UNCLASSIFIED", "classify_commit", "explain_commit")


def __getattr__(name: str) -> Any:
    if name in _CLASSIFIER_NAMES:
        from ptmscope.sync import change_types

        return getattr(change_types, name)
    raise AttributeError(f"module 'ptmscope.sync' has no attribute {name!r}")


__all__ = [
    "CHANGE_TYPES",
    "UNCLASSIFIED",
    "FamilyPattern",
    "Intensity",
    "Lag",
    "MaturityGroup",
    "NotAnalysable",
    "NotAnalysableReason",
    "Pattern",
    "SimilarityTertile",
    "SyncType",
    "classify_commit",
    "explain_commit",
    "family_pattern",
    "family_similarity",
    "jaccard",
    "maturity_group",
    "pattern_of",
    "similarity_tertile",
]
