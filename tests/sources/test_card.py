"""Model cards are hostile input: every oddity becomes a parse_error, never an exception."""

from __future__ import annotations

import pytest

from ptmscope.records import RepoId
from ptmscope.sources.card import MAX_CARD_BYTES, parse_card

RID = RepoId("huggingface:o/m")


@pytest.mark.parametrize(
    ("raw", "metadata", "error"),
    [
        (b"---\nlicense: mit\n---\n# T\n", {"license": "mit"}, None),
        (b"# no front matter\n", None, None),
        (b"---\n---\nbody", {}, None),
        (b"---\r\nlicense: mit\r\n---\r\nbody", {"license": "mit"}, None),
        (b"\xef\xbb\xbf---\nlicense: mit\n---\n", {"license": "mit"}, None),
        (b"---\nlicense:\tmit\n---\n", {"license": "mit"}, None),
        (b"---\n- a\n- b\n---\n", None, "not a mapping"),
        (b"---\nlicense: [mit\n---\n", None, "broken YAML"),
        (b"---\nkey: \xff\xfe value\n---\n", {"key": "\ufffd\ufffd value"}, None),
        (b"---\ndate: 2024-01-02\n---\n", {"date": "2024-01-02"}, None),
    ],
    ids=[
        "plain",
        "no front matter",
        "empty front matter",
        "windows line breaks",
        "BOM",
        "tabs",
        "a list",
        "broken YAML",
        "non-UTF-8 bytes",
        "dates become strings",
    ],
)
def test_cards_parse_or_say_why(raw: bytes, metadata: object, error: str | None) -> None:
    card = parse_card(RID, "README.md", raw)
    assert card.metadata == metadata
    if error is None:
        assert card.parse_error is None
    else:
        assert card.parse_error is not None and error in card.parse_error


def test_a_billion_laughs_front_matter_is_refused() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 40):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}" if i > 1 else "*a"] * 9) + "]")
    card = parse_card(RID, "README.md", ("---\n" + "\n".join(lines) + "\n---\n").encode())
    assert card.metadata is None and card.parse_error is not None
    assert "aliases" in card.parse_error


def test_a_huge_card_is_truncated_and_flagged() -> None:
    card = parse_card(RID, "README.md", b"---\nlicense: mit\n---\n" + b"x" * (MAX_CARD_BYTES + 10))
    assert card.truncated and card.metadata == {"license": "mit"}
    assert len(card.raw_text) <= MAX_CARD_BYTES


def test_a_billion_laughs_with_few_aliases_is_refused_not_expanded() -> None:
    # 80 aliases (under the alias guard) expanding to 10**9 values.
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    raw = ("---\n" + "\n".join(levels) + "\n---\nbody\n").encode()
    card = parse_card(RepoId("huggingface:o/m"), "README.md", raw)
    assert card.metadata is None
    assert card.parse_error is not None and "expansion" in card.parse_error
    assert card.body == "body\n"


@pytest.mark.parametrize(
    "front_matter", ["x: &r [*r]", "x: &r {self: *r}"], ids=["a list", "a mapping"]
)
def test_front_matter_referring_to_itself_is_a_parse_error(front_matter: str) -> None:
    raw = f"---\n{front_matter}\n---\nbody\n".encode()
    card = parse_card(RepoId("huggingface:o/m"), "README.md", raw)
    assert card.metadata is None
    assert card.parse_error is not None and "refers to itself" in card.parse_error
