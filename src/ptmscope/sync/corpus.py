"""Corpus tables over many family reports (the study's RQ tables, for a store).

Pattern distribution, pattern by maturity group, change-type shares per platform (pooled over
the analysed families' commits, as the study's table), similarity tertiles, and the families
that could not be analysed with their reasons.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ptmscope.sync.maturity import MaturityGroup
from ptmscope.sync.patterns import Pattern
from ptmscope.sync.similarity import UNCLASSIFIED_LABEL, SimilarityTertile

if TYPE_CHECKING:
    from ptmscope.sync.runner import FamilyReport


#: The study's pattern counts over its 325 families (sync-spec.md, "The eight patterns").
STUDY_PATTERN_COUNTS: Mapping[str, int] = {
    Pattern.DISPERSE.value: 128, Pattern.SPARSE.value: 50, Pattern.RARE.value: 46,
    Pattern.SPORADIC_DISJOINT.value: 34, Pattern.RARE_DISJOINT.value: 30,
    Pattern.INTERMITTENT.value: 24, Pattern.FREQUENT.value: 8, Pattern.DENSE_PARTIAL.value: 5,
}
STUDY_FAMILIES = 325

#: The study's change-type shares, % of labelled commits, (GitHub, Hugging Face)
#: (sync-spec.md, "Change types").
STUDY_CHANGE_TYPE_SHARES: Mapping[str, tuple[float, float]] = {
    "model structure": (29.7, 14.4), "external documentation": (21.0, 38.8),
    "training infrastructure": (9.0, 0.8), "validation infrastructure": (7.0, 1.0),
    "preprocessing": (5.7, 16.6), "internal documentation": (5.1, 0.7), "sharing": (4.6, 4.2),
    "project metadata": (3.7, 8.2), "pipeline performance": (3.2, 0.2),
    "parameter tuning": (3.0, 9.1), "input data": (2.6, 0.5), "update dependency": (2.3, 0.2),
    "add dependency": (2.3, 1.4), "remove dependency": (0.6, 0.6), "output data": (0.3, 3.5),
}


@dataclass(frozen=True, slots=True)
class CorpusSummary:
    """The corpus tables.

    Attributes:
        patterns / lags / sync_types / intensities: name -> families, commonest first.
        pattern_by_maturity: maturity group -> pattern -> families.
        change_types: platform -> change type -> commits (``unclassified`` included).
        similarity_tertiles: tertile -> families; similarity_mean/median over families.
        not_analysable: ``(family, reason, detail)`` rows.
    """

    families: int
    analysed: int
    patterns: Mapping[str, int]
    lags: Mapping[str, int]
    sync_types: Mapping[str, int]
    intensities: Mapping[str, int]
    pattern_by_maturity: Mapping[str, Mapping[str, int]]
    change_types: Mapping[str, Mapping[str, int]]
    similarity_tertiles: Mapping[str, int]
    similarity_mean: float | None
    similarity_median: float | None
    switches: int
    switch_lag_mean: float | None
    switch_lag_median: float | None
    not_analysable: tuple[tuple[str, str, str], ...]

    def change_type_shares(self, platform: str) -> dict[str, float]:
        """Change type -> % of the platform's classified commits."""
        counts = self.change_types.get(platform, {})
        classified = sum(n for k, n in counts.items() if k != UNCLASSIFIED_LABEL)
        if not classified:
            return {}
        return {k: 100.0 * n / classified for k, n in counts.items() if k != UNCLASSIFIED_LABEL}


def _ranked(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def summarise(reports: Sequence[FamilyReport]) -> CorpusSummary:
    """Build the corpus tables from per-family reports."""
    done = [r for r in reports if r.pattern is not None]
    patterns: Counter[str] = Counter()
    lags: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    by_maturity: dict[str, Counter[str]] = {g.value: Counter() for g in MaturityGroup}
    types: dict[str, Counter[str]] = {"github": Counter(), "huggingface": Counter()}
    tertiles: Counter[str] = Counter({t.value: 0 for t in SimilarityTertile})
    scores: list[float] = []
    switch_days: list[int] = []
    for r in done:
        p = r.pattern
        assert p is not None
        patterns[p.pattern.value] += 1
        lags[p.lag.value] += 1
        kinds[p.sync_type.value] += 1
        levels[p.intensity.value] += 1
        switch_days.extend(p.switch_lags_days)
        if r.maturity is not None:
            by_maturity[r.maturity.value][p.pattern.value] += 1
        types["github"].update(r.github_profile.counts)
        types["huggingface"].update(r.hf_profile.counts)
        if r.similarity is not None and r.similarity_tertile is not None:
            scores.append(r.similarity)
            tertiles[r.similarity_tertile.value] += 1
    for name in Pattern:
        patterns.setdefault(name.value, 0)
    return CorpusSummary(
        families=len(reports),
        analysed=len(done),
        patterns=_ranked(patterns),
        lags=_ranked(lags),
        sync_types=_ranked(kinds),
        intensities=_ranked(levels),
        pattern_by_maturity={g: _ranked(c) for g, c in by_maturity.items()},
        change_types={k: _ranked(c) for k, c in types.items()},
        similarity_tertiles=dict(tertiles),
        similarity_mean=statistics.fmean(scores) if scores else None,
        similarity_median=float(statistics.median(scores)) if scores else None,
        switches=len(switch_days),
        switch_lag_mean=statistics.fmean(switch_days) if switch_days else None,
        switch_lag_median=float(statistics.median(switch_days)) if switch_days else None,
        not_analysable=tuple(
            (r.family_id, *(r.not_analysable or ("unknown", ""))) for r in reports
            if r.pattern is None
        ),
    )
