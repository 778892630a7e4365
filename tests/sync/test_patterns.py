"""Hand-made timelines: every one of the eight patterns, the three lags and the edge rules."""

from __future__ import annotations

from datetime import date

import pytest

from ptmscope.sync import (
    Intensity,
    Lag,
    NotAnalysable,
    Pattern,
    SyncType,
    family_pattern,
    pattern_of,
)
from ptmscope.sync.patterns import PATTERN_TABLE, STUDY_PATTERN_NAMES, study_pattern

from .conftest import at_bins, day_in_bin

TEN = tuple(range(10))

PATTERN_CASES = [
    pytest.param(range(6), {"o/a": (0, 2, 4, 6, 8)}, "PS", "S", Pattern.DISPERSE,
                 id="PS+S: overlap, five scattered bins, no run -> Disperse"),
    pytest.param((0, 1), {"o/a": (1, 5)}, "PS", "R", Pattern.SPARSE,
                 id="PS+R: one shared bin, two bins in all -> Sparse"),
    pytest.param((0, 1, 2), {"o/a": (1, 2)}, "CS", "R", Pattern.RARE,
                 id="CS+R: variant bins inside GitHub's, few -> Rare"),
    pytest.param((0,), {"o/a": (2, 3, 4, 5)}, "AS", "S", Pattern.SPORADIC_DISJOINT,
                 id="AS+S: no overlap, four bins -> Sporadic Disjoint"),
    pytest.param((0,), {"o/a": (2, 3, 4, 5), "o/b": (2, 3, 4, 5), "o/c": (2, 3, 4, 5)},
                 "VS", "S", Pattern.SPORADIC_DISJOINT,
                 id="VS+S: three variants together in four bins -> Sporadic Disjoint"),
    pytest.param((0,), {"o/a": (3,)}, "AS", "R", Pattern.RARE_DISJOINT,
                 id="AS+R: one lone variant bin -> Rare Disjoint"),
    pytest.param((0,), {"o/a": (2, 3, 4), "o/b": (2, 3, 4), "o/c": (2, 3, 4)},
                 "VS", "R", Pattern.RARE_DISJOINT,
                 id="VS+R (ours): crowded bins, each variant rare -> Rare Disjoint"),
    pytest.param(TEN, {"o/a": (0, 2, 4, 6)}, "CS", "S", Pattern.INTERMITTENT,
                 id="CS+S: inside GitHub, four scattered bins -> Intermittent"),
    pytest.param(TEN, {"o/a": (1, 2, 3, 4, 5)}, "CS", "F", Pattern.FREQUENT,
                 id="CS+F: five consecutive shared bins -> Frequent"),
    pytest.param(TEN, {"o/a": (1, 2, 3, 4, 5, 12)}, "PS", "F", Pattern.DENSE_PARTIAL,
                 id="PS+F: a shared run of five plus a lone bin -> Dense Partial"),
]


@pytest.mark.parametrize(("github", "variants", "kind", "level", "expected"), PATTERN_CASES)
def test_every_pattern_from_a_hand_made_timeline(
    github: tuple[int, ...], variants: dict[str, tuple[int, ...]], kind: str, level: str,
    expected: Pattern,
) -> None:
    result = family_pattern(at_bins(*github), {k: at_bins(*v) for k, v in variants.items()})
    assert result.sync_type == SyncType(kind)
    assert result.intensity == Intensity(level)
    assert result.pattern == expected
    assert result.code == kind + level


def test_the_eight_names_are_the_spec_names() -> None:
    assert {p.value for p in Pattern} == {
        "Disperse Synchronization", "Sparse Synchronization", "Rare Synchronization",
        "Sporadic Disjoint Synchronization", "Rare Disjoint Synchronization",
        "Intermittent Synchronization", "Frequent Synchronization",
        "Dense Partial Synchronization",
    }
    assert set(PATTERN_TABLE.values()) == set(Pattern)


@pytest.mark.parametrize(
    ("github", "variant", "expected"),
    [
        pytest.param([day_in_bin(0, 3)], [day_in_bin(0, 10)], Lag.NO_LAG,
                     id="both active in the first bin -> No Lag"),
        pytest.param([day_in_bin(0)], [day_in_bin(1)], Lag.UPSTREAM_FIRST,
                     id="only GitHub in the first bin -> Upstream First"),
        pytest.param([day_in_bin(2)], [day_in_bin(0), day_in_bin(2)], Lag.DOWNSTREAM_FIRST,
                     id="only a variant in the first bin -> Downstream First"),
    ],
)
def test_the_three_lag_directions(github: list[date], variant: list[date], expected: Lag) -> None:
    assert family_pattern(github, {"o/a": variant}).lag == expected


def test_first_bin_is_decided_by_any_variant_for_no_lag() -> None:
    result = family_pattern(at_bins(0, 3), {"o/a": at_bins(5), "o/b": at_bins(0)})
    assert result.lag == Lag.NO_LAG


def test_as_f_and_vs_f_cannot_occur() -> None:
    for kind in (SyncType.AS, SyncType.VS):
        with pytest.raises(ValueError, match="cannot occur"):
            pattern_of(kind, Intensity.F)


def test_family_without_variant_commits_is_not_analysable_never_cs() -> None:
    with pytest.raises(NotAnalysable) as err:
        family_pattern(at_bins(0, 1), {"o/a": [], "o/b": []})
    assert err.value.reason == "no_variant_commits"


def test_switch_lags_are_whole_days_at_every_platform_switch() -> None:
    from datetime import UTC, datetime

    gh = [datetime(2023, 12, 6, 13, 6, 47, tzinfo=UTC),
          datetime(2023, 12, 23, 21, 7, 20, tzinfo=UTC)]
    hf = [date(2023, 12, 23)]
    result = family_pattern(gh, {"o/a": hf})
    # the study's first two rows for augmxnt_shisa: GH->HF 16 days, HF->GH 0 days
    assert result.switch_lags_days == (16, 0)
    assert result.switch_lag_mean == 8.0
    assert result.switch_lag_median == 8.0
    assert result.switch_lag_max == 16


def test_equal_timestamps_put_github_first() -> None:
    from ptmscope.sync.lag import switches

    same = date(2024, 1, 1)
    found = switches([same, date(2024, 1, 3)], {"o/a": [same]})
    assert [(s.source, s.target, s.days) for s in found] == [
        ("github", "huggingface", 0), ("huggingface", "github", 2),
    ]


@pytest.mark.parametrize("name", sorted(STUDY_PATTERN_NAMES))
def test_study_wording_translates(name: str) -> None:
    assert study_pattern(name.title() + " Pattern") in set(Pattern)


def test_study_typo_rare_disjoing_is_rare_disjoint() -> None:
    assert study_pattern("Rare Disjoing pattern") == Pattern.RARE_DISJOINT
    assert study_pattern("Dispersed Alignment Pattern") == Pattern.DISPERSE
