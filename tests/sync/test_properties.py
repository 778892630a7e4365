"""Property tests on generated timelines: each rule of sync-spec.md, stated as set algebra.

Timelines are generated as active bins per side, then turned into timestamps scattered inside
their bins (random day offset and time of day, random UTC offsets); the side that opens bin 0
gets a commit on its first day so that t0 lines up with the generated bins.
"""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime, time, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from ptmscope.sync import Intensity, Lag, SyncType, family_pattern
from ptmscope.sync.bins import bin_family
from ptmscope.sync.intensity import longest_run
from ptmscope.sync.lag import switches
from ptmscope.sync.patterns import PATTERN_TABLE

from .conftest import T0

NOW = datetime(2030, 1, 1, tzinfo=UTC)
BINS = st.frozensets(st.integers(0, 30), min_size=1, max_size=12)


@st.composite
def timelines(draw: st.DrawFn) -> tuple[frozenset[int], dict[str, frozenset[int]],
                                        list[datetime], dict[str, list[datetime]]]:
    github = draw(BINS)
    n = draw(st.integers(1, 5))
    variants = {f"org/v{i}": draw(BINS) for i in range(n)}
    low = min(github.union(*variants.values()))
    github = frozenset(b - low for b in github)
    variants = {k: frozenset(b - low for b in v) for k, v in variants.items()}

    def stamps(bins: frozenset[int]) -> list[datetime]:
        out = []
        for b in sorted(bins):
            for _ in range(draw(st.integers(1, 3))):
                offset = draw(st.integers(0, 13))
                seconds = draw(st.integers(0, 86399))
                utc_moment = datetime.combine(
                    T0 + timedelta(days=14 * b + offset), time(0), tzinfo=UTC
                ) + timedelta(seconds=seconds)
                zone = timezone(timedelta(minutes=draw(st.integers(-720, 840))))
                out.append(utc_moment.astimezone(zone))
        return out

    gh_times = stamps(github)
    var_times = {k: stamps(v) for k, v in variants.items()}
    opener = "github" if 0 in github else next(k for k, v in variants.items() if 0 in v)
    anchor = datetime.combine(T0, time(0), tzinfo=UTC)
    (gh_times if opener == "github" else var_times[opener]).append(anchor)
    return github, variants, gh_times, var_times


@settings(max_examples=60, deadline=None)
@given(timelines())
def test_binning_reproduces_the_generated_bins(tl: tuple) -> None:  # type: ignore[type-arg]
    github, variants, gh_times, var_times = tl
    binned = bin_family(gh_times, var_times)
    assert binned.t0 == T0
    assert binned.github == github
    assert dict(binned.variants) == variants


@settings(max_examples=120, deadline=None)
@given(timelines())
def test_lag_rule(tl: tuple) -> None:  # type: ignore[type-arg]
    github, variants, gh_times, var_times = tl
    lag = family_pattern(gh_times, var_times, now=NOW).lag
    gh_first = 0 in github
    var_first = any(0 in v for v in variants.values())
    expected = (Lag.NO_LAG if gh_first and var_first
                else Lag.UPSTREAM_FIRST if gh_first else Lag.DOWNSTREAM_FIRST)
    assert lag == expected


@settings(max_examples=120, deadline=None)
@given(timelines())
def test_sync_type_rules(tl: tuple) -> None:  # type: ignore[type-arg]
    github, variants, gh_times, var_times = tl
    kind = family_pattern(gh_times, var_times, now=NOW).sync_type
    complete = all(v <= github for v in variants.values())
    partial = any(v & github for v in variants.values())
    crowded = [b for b, n in Counter(b for v in variants.values() for b in v).items() if n >= 3]
    assert (kind == SyncType.CS) == complete
    if not complete:
        assert (kind == SyncType.PS) == partial
    if not complete and not partial:
        assert (kind == SyncType.VS) == (len(crowded) >= 3)
    if kind == SyncType.VS:
        assert len(variants) >= 3


@settings(max_examples=120, deadline=None)
@given(timelines())
def test_intensity_rules(tl: tuple) -> None:  # type: ignore[type-arg]
    github, variants, gh_times, var_times = tl
    result = family_pattern(gh_times, var_times, now=NOW)
    rare = all(len(v) <= 3 for v in variants.values())
    frequent = any(
        any(all(k + i in v and k + i in github for i in range(5)) for k in v)
        for v in variants.values()
    )
    assert (result.intensity == Intensity.R) == rare
    if not rare:
        assert (result.intensity == Intensity.F) == frequent
    if result.intensity == Intensity.F:  # F needs overlap: never AS or VS
        assert result.sync_type in (SyncType.CS, SyncType.PS)


@settings(max_examples=120, deadline=None)
@given(timelines())
def test_pattern_is_the_table_of_type_and_intensity(tl: tuple) -> None:  # type: ignore[type-arg]
    _, _, gh_times, var_times = tl
    result = family_pattern(gh_times, var_times, now=NOW)
    assert result.pattern == PATTERN_TABLE[(result.sync_type, result.intensity)]
    assert result.code == result.sync_type.value + result.intensity.value


@settings(max_examples=60, deadline=None)
@given(timelines(), st.integers(-500, 500))
def test_shifting_every_commit_by_whole_days_changes_nothing_but_t0(
    tl: tuple, days: int  # type: ignore[type-arg]
) -> None:
    _, _, gh_times, var_times = tl
    shift = timedelta(days=days)
    a = family_pattern(gh_times, var_times, now=NOW)
    b = family_pattern([t + shift for t in gh_times],
                       {k: [t + shift for t in v] for k, v in var_times.items()}, now=NOW)
    assert (a.lag, a.sync_type, a.intensity, a.switch_lags_days) == (
        b.lag, b.sync_type, b.intensity, b.switch_lags_days)
    assert b.t0 == a.t0 + shift


@settings(max_examples=60, deadline=None)
@given(timelines())
def test_renaming_and_reordering_variants_changes_nothing(tl: tuple) -> None:  # type: ignore[type-arg]
    _, _, gh_times, var_times = tl
    renamed = {f"x/{i}": v for i, v in enumerate(reversed(list(var_times.values())))}
    a = family_pattern(gh_times, var_times, now=NOW)
    b = family_pattern(gh_times, renamed, now=NOW)
    assert (a.lag, a.sync_type, a.intensity, a.pattern) == (b.lag, b.sync_type, b.intensity,
                                                             b.pattern)


@settings(max_examples=60, deadline=None)
@given(timelines())
def test_switch_lags_count_platform_changes_and_fit_in_the_span(tl: tuple) -> None:  # type: ignore[type-arg]
    _, _, gh_times, var_times = tl
    found = switches(gh_times, var_times)
    everything = [t.astimezone(UTC) for t in gh_times] + [
        t.astimezone(UTC) for v in var_times.values() for t in v]
    span = (max(everything) - min(everything)).days
    assert found, "both sides have commits, so there is at least one switch"
    assert all(s.days >= 0 for s in found)
    assert sum(s.days for s in found) <= span
    assert all(s.source != s.target for s in found)
    assert all(a.target == b.source for a, b in itertools.pairwise(found))


@given(st.frozensets(st.integers(-50, 50)))
def test_longest_run_matches_a_scan(values: frozenset[int]) -> None:
    best = run = 0
    for k in range(-51, 52):
        run = run + 1 if k in values else 0
        best = max(best, run)
    assert longest_run(values) == best
