"""Similarity, maturity groups (with the gap rules) and change-type profiles."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ptmscope.sync import (
    MaturityGroup,
    SimilarityTertile,
    family_similarity,
    jaccard,
    maturity_group,
)
from ptmscope.sync.maturity import MATURED_FROM_DAYS, average_age_days, variant_age_days
from ptmscope.sync.profile import CachedClassifier, change_profile
from ptmscope.sync.similarity import similarity_tertile


@pytest.mark.parametrize(
    ("gh", "hf", "expected"),
    [
        pytest.param({"a", "b"}, {"a", "b"}, 1.0, id="same sets -> 1"),
        pytest.param({"a"}, {"b"}, 0.0, id="disjoint -> 0"),
        pytest.param({"a", "b", "c"}, {"a"}, 1 / 3, id="one of three shared -> 1/3"),
        pytest.param({"a", "unclassified"}, {"a"}, 1.0, id="unclassified is not a type"),
        pytest.param(set(), {"a"}, 0.0, id="one empty side -> 0"),
        pytest.param(set(), {"unclassified"}, None, id="nothing classified -> None"),
    ],
)
def test_jaccard(gh: set[str], hf: set[str], expected: float | None) -> None:
    assert jaccard(gh, hf) == expected


@pytest.mark.parametrize(
    ("gh", "hf", "expected"),
    [
        pytest.param({"a", "b"}, {"b", "unclassified"}, 0.5, id="both sides classified"),
        pytest.param({"a"}, {"unclassified"}, None, id="HF side only unclassified"),
        pytest.param({"unclassified"}, {"a"}, None, id="GitHub side only unclassified"),
        pytest.param(set(), set(), None, id="both empty"),
        pytest.param({"a"}, {"b"}, 0.0, id="disjoint classified sides -> 0"),
    ],
)
def test_family_similarity_needs_a_classified_commit_on_each_side(
    gh: set[str], hf: set[str], expected: float | None
) -> None:
    assert family_similarity(gh, hf) == expected


@pytest.mark.parametrize(
    ("score", "tertile"),
    [(0.0, "Low"), (1 / 3, "Low"), (0.3333, "Low"), (0.34, "Moderate"), (0.357, "Moderate"),
     (0.467, "Moderate"), (0.48, "Moderate"), (0.5, "High"), (1.0, "High")],
)
def test_similarity_tertiles_cover_the_published_gaps(score: float, tertile: str) -> None:
    assert similarity_tertile(score) == SimilarityTertile(tertile)


@pytest.mark.parametrize(
    ("days", "group"),
    [(0, "Recent"), (116, "Recent"), (116.2, "Recent"), (117, "Intermediate"),
     (440, "Intermediate"), (441, "Intermediate"), (445.9, "Intermediate"),
     (446, "Matured"), (451, "Matured"), (452, "Matured"), (1867, "Matured")],
)
def test_maturity_groups_and_the_441_451_gap(days: float, group: str) -> None:
    assert maturity_group(days) == MaturityGroup(group)
    assert MATURED_FROM_DAYS == 446


def test_maturity_averages_variant_ages_in_utc_days() -> None:
    start = date(2023, 1, 1)
    variants = {"o/a": [start, start + timedelta(days=100)], "o/b": [start + timedelta(days=5)]}
    assert variant_age_days(variants["o/a"]) == 100
    assert average_age_days(variants) == 50
    assert average_age_days({}) is None


def test_variant_age_is_the_floor_of_elapsed_days_as_in_the_study() -> None:
    from datetime import UTC, datetime

    # complete_dataset.csv, google-bert/bert-base-uncased: age_days_individual_x = 1922
    first = datetime(2018, 11, 14, 23, 35, 8, tzinfo=UTC)
    last = datetime(2024, 2, 19, 11, 6, 12, tzinfo=UTC)
    assert variant_age_days([first, last]) == 1922
    late_evening = datetime(2024, 1, 1, 23, tzinfo=UTC)
    assert variant_age_days([late_evening, datetime(2024, 1, 2, 1, tzinfo=UTC)]) == 0
    assert average_age_days({"o/a": [first, last], "o/b": [late_evening]}) == 961


def test_profile_counts_labels_and_shares_exclude_unclassified() -> None:
    def fake(message: str, files: list[str], platform: str) -> str:
        return "sharing" if message.startswith("Upload") else "unclassified"

    profile = change_profile(
        [("Upload folder", ["a.bin"]), ("Upload x", []), ("wip", ["x"])], "huggingface", fake
    )
    assert profile.counts == {"sharing": 2, "unclassified": 1}
    assert profile.total == 3 and profile.classified == 2
    assert profile.shares() == {"sharing": 100.0}
    assert profile.types == frozenset({"sharing"})


def test_profile_uses_the_real_classifier_with_files() -> None:
    profile = change_profile(
        [("Update config.json", ["config.json"]), ("Update README.md", ["README.md"])],
        "huggingface",
    )
    assert profile.counts == {"external documentation": 1, "parameter tuning": 1}


def test_cached_classifier_labels_each_shape_once() -> None:
    calls: list[str] = []

    def counting(message: str, files: list[str], platform: str) -> str:
        calls.append(message)
        return "sharing"

    cached = CachedClassifier(counting)
    for _ in range(5):
        assert cached("Upload", ["a"], "huggingface") == "sharing"
    cached("Upload", ["b"], "huggingface")
    assert len(calls) == 2 and cached.calls == 6 and cached.distinct == 2


def test_timeline_shows_only_active_bins_and_caps_columns() -> None:
    from ptmscope.sync import family_pattern
    from ptmscope.sync.terminal import GLYPH_ALONE, GLYPH_IDLE, GLYPH_SHARED, timeline_rows

    start = date(2023, 1, 2)
    github = [start + timedelta(days=14 * b) for b in (0, 50, 51)]
    variant = [start + timedelta(days=14 * b) for b in (0, 7, 51)]
    fp = family_pattern(github, {"o/a": variant})
    shown, rows = timeline_rows(fp)
    assert shown == [0, 7, 50, 51]
    assert rows[0] == ("GitHub", "█" + GLYPH_IDLE + "██")
    assert rows[1] == ("o/a", GLYPH_SHARED + GLYPH_ALONE + GLYPH_IDLE + GLYPH_SHARED)
    shown, rows = timeline_rows(fp, max_columns=2)
    assert shown == [50, 51] and len(rows[1][1]) == 2
