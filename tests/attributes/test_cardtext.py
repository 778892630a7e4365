"""Card parsing: sections outside code fences, line numbers, broken front matter."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ptmscope.attributes.cardtext import parse_card, section_key

from .factories import GOOD_CARD, card_of, hf_repo


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_card(card_of(hf_repo(), text))


def test_headings_inside_fenced_code_are_not_sections() -> None:
    text = ("# Real\n```python\n# not a heading\n## nor this\n```\n"
            "~~~\n# tilde fence\n~~~\n## After\n")
    card = parse(text)
    assert [s.title for s in card.sections] == ["Real", "After"]
    assert card.code_blocks == 2
    assert card.sections[0].has_code


def test_an_unclosed_fence_swallows_the_rest_without_crashing() -> None:
    card = parse("# Top\n```\n# inside\n")
    assert [s.title for s in card.sections] == ["Top"]


def test_section_lines_are_card_file_lines_after_front_matter() -> None:
    card = parse(GOOD_CARD)
    lines = GOOD_CARD.split("\n")
    for section in card.sections:
        assert section.title in lines[section.line - 1]
    assert card.key_lines["license"] == 2
    assert card.key_lines["model-index"] == lines.index("model-index:") + 1


def test_windows_line_breaks_give_the_same_sections_and_lines() -> None:
    unix = parse(GOOD_CARD)
    windows = parse(GOOD_CARD.replace("\n", "\r\n"))
    assert [(s.title, s.line) for s in unix.sections] == [
        (s.title, s.line) for s in windows.sections
    ]
    assert windows.metadata is not None and windows.metadata["license"] == "apache-2.0"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("---\n- a\n- b\n---\nbody", "not a mapping"),
        ("---\nlicense: [mit\n---\nbody", "does not parse"),
        ("---\n42\n---\n", "not a mapping"),
    ],
    ids=["yaml that is a list is reported", "yaml that does not parse is reported",
         "yaml that is a number is reported"],
)
def test_broken_front_matter_gives_a_problem_not_an_exception(text: str, problem: str) -> None:
    card = parse(text)
    assert card.metadata is None
    assert card.metadata_problem is not None and problem in card.metadata_problem


def test_tab_indented_yaml_is_read_after_replacing_tabs() -> None:
    card = parse("---\nlicense: mit\ndatasets:\n\t- glue\n---\n")
    assert card.metadata is not None and card.metadata["datasets"] == ["glue"]


def test_stored_parse_error_is_kept() -> None:
    card = parse_card(card_of(hf_repo(), "---\n: :\n---\n", yaml_text=": :",
                              parse_error="stored reason"))
    assert card.metadata is None and card.metadata_problem == "stored reason"


def test_placeholders_are_found_with_their_lines_but_not_in_code() -> None:
    card = parse("# A\n[More Information Needed]\n```\n[More Information Needed]\n```\n")
    assert card.placeholder_lines == (2,)
    assert not card.sections[0].filled or card.sections[0].has_code


def test_a_five_megabyte_card_parses_quickly() -> None:
    text = "---\nlicense: mit\n---\n" + ("## Usage\n" + "word " * 200 + "\n") * 5000
    assert len(text) > 5_000_000
    started = time.perf_counter()
    card = parse(text)
    assert time.perf_counter() - started < 5
    assert len(card.sections) == 5000


def test_section_keys_fold_case_and_punctuation() -> None:
    assert section_key("Bias, Risks, and Limitations") == "bias risks and limitations"
    assert section_key("**How to Get Started**") == "how to get started"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("#`~- \t\r\n:abc[]{}|\ufffd\x00")), max_size=400))
def test_any_text_parses_and_every_section_line_is_a_heading(text: str) -> None:
    card = parse(text)
    for section in card.sections:
        assert card.lines[section.line - 1].lstrip(" \t").startswith("#")
    assert all(1 <= n <= len(card.lines) for n in card.placeholder_lines)


def test_lone_surrogates_do_not_break_the_audit() -> None:
    from ptmscope.attributes.audit import audit_facts, audit_findings

    from .factories import facts_for

    audit = audit_facts(facts_for("---\nlicense: \udcff\n---\n# T\udcfe\n## Usage\n\udcff\n"))
    for finding in audit_findings(audit):
        finding.message.encode("utf-8")
        finding.details_json().encode("utf-8")


def test_a_parent_section_is_filled_when_a_subsection_is() -> None:
    card = parse("## Training Details\n### Training Procedure\nThree epochs.\n"
                 "## Evaluation\n### Results\n[More Information Needed]\n## Citation\nx\n")
    filled = {s.title: s.filled for s in card.sections}
    assert filled == {"Training Details": True, "Training Procedure": True,
                      "Evaluation": False, "Results": False, "Citation": True}
