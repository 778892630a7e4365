"""Change-type similarity of a family's two sides (sync-spec.md, "Similarity and maturity").

Jaccard similarity between the set of change types seen on GitHub and the set seen on Hugging
Face. ``unclassified`` is not a change type: it is left out of both sets (the study dropped
the commits it could not place). A family's similarity is :func:`family_similarity`: **(ours)**
not measured (None) when either side has no classified commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

#: The label the classifier gives to a commit it cannot place (never a change type).
UNCLASSIFIED_LABEL = "unclassified"

#: Published tertile bounds: Low [0, 0.333], Moderate [0.357, 0.467], High [0.5, 1].
LOW_MAX = 1 / 3
HIGH_MIN = 0.5


class SimilarityTertile(StrEnum):
    """The study's similarity tertiles."""

    LOW = "Low"
    MODERATE = "Moderate"
    HIGH = "High"


def jaccard(github_types: Iterable[str], hf_types: Iterable[str]) -> float | None:
    """Jaccard similarity of two sets of change types; None when both sets are empty.

    >>> jaccard({"sharing", "model structure"}, {"sharing"})
    0.5
    """
    left = {t for t in github_types if t != UNCLASSIFIED_LABEL}
    right = {t for t in hf_types if t != UNCLASSIFIED_LABEL}
    union = left | right
    if not union:
        return None
    return len(left & right) / len(union)


def family_similarity(github_types: Iterable[str], hf_types: Iterable[str]) -> float | None:
    """**(ours)** A family's change-type similarity: :func:`jaccard`, or None (not measured)
    when either side has no classified commit.

    sync-spec.md does not say what a side without any change type gives. Both sides of an
    analysable family have commits, so an empty set only means that every commit of that side
    is ``unclassified``: scoring it 0 (Low) would turn a gap of the classifier into a finding
    of dissimilarity, silently. The family is left out of the similarity tertiles instead, and
    its change-type profile (``classified`` = 0) says why.

    >>> family_similarity({"sharing"}, {"unclassified"}) is None
    True
    >>> family_similarity({"sharing", "model structure"}, {"sharing", "unclassified"})
    0.5
    """
    left = {t for t in github_types if t != UNCLASSIFIED_LABEL}
    right = {t for t in hf_types if t != UNCLASSIFIED_LABEL}
    if not left or not right:
        return None
    return jaccard(left, right)


def similarity_tertile(score: float) -> SimilarityTertile:
    """**(ours)** Tertile of a similarity score, closing the gaps of the published bounds.

    sync-spec.md gives Low [0, 0.333], Moderate [0.357, 0.467], High [0.5, 1]: the gaps
    (0.333, 0.357) and (0.467, 0.5) hold no family of the study. Scores are ratios of small
    integers, so Low is ``score <= 1/3`` (0.333 is 1/3 rounded), High is ``score >= 0.5`` and
    everything between, gaps included, is Moderate.
    """
    if score <= LOW_MAX + 1e-9:
        return SimilarityTertile.LOW
    if score >= HIGH_MIN:
        return SimilarityTertile.HIGH
    return SimilarityTertile.MODERATE
