"""Bad inputs become NotAnalysable with a reason; UTC and time-zone handling."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from ptmscope.errors import AnalysisError, NotAnalysableError
from ptmscope.sync import NotAnalysable, family_pattern
from ptmscope.sync.bins import bin_family, to_utc_datetime, utc_day

NOW = datetime(2025, 1, 1, tzinfo=UTC)
OK = [date(2024, 1, 1)]

BAD = [
    pytest.param([], {"o/a": OK}, "no_upstream_commits", id="no GitHub commits"),
    pytest.param(OK, {}, "no_variants", id="no variants"),
    pytest.param(OK, {"o/a": []}, "no_variant_commits", id="the only variant has no dates"),
    pytest.param(OK, {"o/a": OK, "o/b": []}, "variant_without_dates",
                 id="one variant of two has no dates"),
    pytest.param(OK, {"Org/Model": OK, "org/model": OK}, "duplicate",
                 id="the same variant twice (Hub ids are case-insensitive)"),
    pytest.param([date(1999, 12, 31)], {"o/a": OK}, "date_before_2000",
                 id="a GitHub clock before 2000"),
    pytest.param(OK, {"o/a": [datetime(1970, 1, 1, tzinfo=UTC)]}, "date_before_2000",
                 id="a variant at the epoch"),
    pytest.param(OK, {"o/a": [date(2030, 1, 1)]}, "future_date", id="a variant in the future"),
    pytest.param([NOW + timedelta(seconds=1)], {"o/a": OK}, "future_date",
                 id="GitHub one second after now"),
]


@pytest.mark.parametrize(("github", "variants", "reason"), BAD)
def test_bad_input_is_not_analysable_with_reason(
    github: list[date], variants: dict[str, list[date]], reason: str
) -> None:
    with pytest.raises(NotAnalysable) as err:
        family_pattern(github, variants, now=NOW)
    assert err.value.reason == reason
    assert err.value.detail
    assert reason in str(err.value)
    assert isinstance(err.value, NotAnalysableError)
    assert isinstance(err.value, AnalysisError)


def test_now_itself_is_allowed() -> None:
    assert family_pattern([NOW], {"o/a": OK}, now=NOW).sync_type.value in {"CS", "PS", "AS", "VS"}


def test_aware_times_are_binned_by_their_utc_day() -> None:
    plus_ten = timezone(timedelta(hours=10))
    minus_eight = timezone(timedelta(hours=-8))
    # 2024-01-15 05:00 at +10 is 2024-01-14 19:00 UTC; 2024-01-14 20:00 at -8 is 01-15 04:00 UTC
    assert utc_day(datetime(2024, 1, 15, 5, tzinfo=plus_ten)) == date(2024, 1, 14)
    assert utc_day(datetime(2024, 1, 14, 20, tzinfo=minus_eight)) == date(2024, 1, 15)


def test_naive_datetimes_are_utc_and_dates_are_midnight_utc() -> None:
    assert to_utc_datetime(datetime(2024, 1, 1, 23, 0)) == datetime(2024, 1, 1, 23, tzinfo=UTC)
    assert to_utc_datetime(date(2024, 1, 1)) == datetime(2024, 1, 1, tzinfo=UTC)


def test_a_local_time_near_midnight_moves_a_commit_into_the_next_bin() -> None:
    # t0 = 2024-01-01 (a variant). A GitHub commit at 2024-01-14 23:30 at -05:00 is
    # 2024-01-15 04:30 UTC: day 14 -> bin 1, not bin 0 as its local date would say.
    local = datetime(2024, 1, 14, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    binned = bin_family([local], {"o/a": [date(2024, 1, 1)]})
    assert binned.github == frozenset({1})
    result = family_pattern([local], {"o/a": [date(2024, 1, 1)]}, now=NOW)
    assert result.lag.value == "Downstream First"


def test_same_instants_in_different_zones_give_the_same_result() -> None:
    utc_times = [datetime(2024, 1, 1, 22, tzinfo=UTC), datetime(2024, 3, 1, 1, tzinfo=UTC)]
    tokyo = timezone(timedelta(hours=9))
    variant = {"o/a": [datetime(2024, 1, 2, 3, tzinfo=UTC)]}
    a = family_pattern(utc_times, variant, now=NOW)
    b = family_pattern([t.astimezone(tokyo) for t in utc_times], variant, now=NOW)
    assert a == b


def test_mixed_dates_and_datetimes_are_accepted() -> None:
    result = family_pattern(
        [date(2024, 1, 1), datetime(2024, 1, 2, 10, tzinfo=UTC)], {"o/a": [date(2024, 1, 2)]},
        now=NOW,
    )
    assert result.code == "CSR"
    assert result.switch_lags_days == (1, 0)
