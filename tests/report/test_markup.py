"""Escaping and clipping of hostile text, and JSON that cannot close its script element."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from ptmscope.report.markup import NA, badge, clip, esc, human_size, script_json, table


@given(st.text(max_size=500), st.integers(min_value=1, max_value=300))
def test_escaped_text_never_contains_markup_characters(text: str, limit: int) -> None:
    out = esc(text, limit)
    assert not set(out) & set("<>\"'")
    assert len(clip(text, limit)) <= limit


@given(st.recursive(st.text() | st.integers() | st.none(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
                    max_leaves=20))
def test_script_json_round_trips_and_cannot_close_a_script(payload: object) -> None:
    text = script_json(payload)
    assert "<" not in text and ">" not in text
    assert json.loads(text) == payload


def test_injection_strings_become_inert_text() -> None:
    assert esc("<script>window.__pwned=1</script>") == (
        "&lt;script&gt;window.__pwned=1&lt;/script&gt;")
    assert esc('"><img src=x onerror=alert(1)>').startswith("&quot;&gt;&lt;img")


def test_long_text_is_clipped_with_an_ellipsis() -> None:
    assert esc("x" * 1000, 50) == "x" * 49 + "…"


def test_control_characters_are_replaced() -> None:
    assert clip("a\x1b[31mb\x00") == "a [31mb "


def test_missing_values_read_n_a() -> None:
    assert esc(None) == NA
    assert esc("") == NA
    assert human_size(None) == NA


def test_badge_kind_cannot_inject_a_class_or_attribute() -> None:
    assert badge("x", 'high" onclick="y') == '<span class="badge b-highonclicky">x</span>'


def test_table_puts_cells_in_rows() -> None:
    assert table(["a"], [["1"], ["2"]]).count("<tr>") == 3


def test_human_sizes() -> None:
    assert human_size(10) == "10 B"
    assert human_size(5 * 1024**2) == "5.0 MiB"
