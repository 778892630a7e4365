"""Small helpers the checks share: evidence builders, file matching, card searches."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ptmscope.attributes.base import Evidence
from ptmscope.attributes.cardtext import Section
from ptmscope.attributes.facts import ModelFacts
from ptmscope.records import FileRecord

NO_CARD = "no model card"


def clip(value: Any, limit: int = 80) -> str:
    """A short, single-line, printable quote of ``value`` (hostile text)."""
    text = " ".join(str(value).split())
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def meta_evidence(facts: ModelFacts, key: str, value: Any = None) -> Evidence:
    """Evidence for a front-matter key: the card path, the key's line, the value."""
    card = facts.card
    return Evidence(
        path=card.path if card else None,
        line=card.key_lines.get(key) if card else None,
        key=key,
        excerpt=None if value is None else clip(value),
    )


def section_evidence(facts: ModelFacts, section: Section) -> Evidence:
    """Evidence for a card section: the heading's line and title."""
    return Evidence(
        path=facts.card.path if facts.card else None, line=section.line, excerpt=clip(section.title)
    )


#: Around each hint occurrence the regex runs on this window (chars before, chars after).
_WINDOW = (240, 360)
#: Beyond this many hint occurrences one whole-text regex search is cheaper than windows.
_MAX_WINDOWS = 200


@dataclass(frozen=True, slots=True)
class Probe:
    """A regex plus lower-case literals, one of which every match contains.

    The literals make the search cheap: a substring scan of the lower-cased card finds where
    a match could be, and the (case-insensitive, alternation-heavy, slow) regex then runs only
    on a small window around each such place instead of over a 40 KB - or 5 MB - body.
    """

    pattern: re.Pattern[str]
    hints: tuple[str, ...] = ()

    def search(self, text: str, lower: str | None = None) -> re.Match[str] | None:
        """A match in ``text`` (``lower`` is ``text.lower()`` when already known), or None.

        The match returned is the first one near the earliest hint occurrence, which is the
        first match in the text except in contrived cases; its positions are in ``text``.
        """
        if not self.hints:
            return self.pattern.search(text)
        folded = text.lower() if lower is None else lower
        if len(folded) != len(text):  # lower() changed lengths: offsets would not line up
            return self.pattern.search(text) if any(h in folded for h in self.hints) else None
        spots: list[int] = []
        for hint in self.hints:
            at = folded.find(hint)
            while at >= 0 and len(spots) <= _MAX_WINDOWS:
                spots.append(at)
                at = folded.find(hint, at + 1)
        if not spots:
            return None
        windows = _merged_windows(sorted(spots))
        if len(spots) > _MAX_WINDOWS or sum(b - a for a, b in windows) * 2 > len(text):
            return self.pattern.search(text)
        for start, stop in windows:
            match = self.pattern.search(text, start, stop)
            if match is not None:
                return match
        return None


def _merged_windows(spots: list[int]) -> list[tuple[int, int]]:
    """The windows around sorted hint offsets, overlapping ones merged."""
    before, after = _WINDOW
    windows: list[tuple[int, int]] = []
    for at in spots:
        start, stop = max(0, at - before), at + after
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], stop)
        else:
            windows.append((start, stop))
    return windows


def probe(source: str, *hints: str, ignore_case: bool = True) -> Probe:
    """Build a :class:`Probe` from a regex source and its pre-filter literals."""
    return Probe(re.compile(source, re.IGNORECASE if ignore_case else 0), hints)


def line_evidence(facts: ModelFacts, found: Probe) -> Evidence | None:
    """Evidence for the first body match of ``found``, or None."""
    card = facts.card
    if card is None:
        return None
    match = found.search(card.body, card.lower_body)
    if match is None:
        return None
    line = card.body_start + bisect_right(card.body_line_starts, match.start())
    return Evidence(path=card.path, line=line, excerpt=clip(match.group(0)))


def file_evidence(files: Iterable[FileRecord], limit: int = 5) -> tuple[Evidence, ...]:
    """Evidence naming up to ``limit`` files."""
    return tuple(Evidence(path=f.path) for f in list(files)[:limit])


def files_matching(facts: ModelFacts, pattern: re.Pattern[str]) -> list[FileRecord]:
    """Files whose lower-cased path matches ``pattern``."""
    return [f for f, p in zip(facts.files, facts.lower_paths, strict=True) if pattern.search(p)]


def sections(facts: ModelFacts, *patterns: str) -> tuple[Section, ...]:
    """Card sections whose folded title matches any pattern (regex source strings)."""
    if facts.card is None:
        return ()
    # One alternation instead of one search per pattern: this runs ~40 times per card.
    return facts.card.find_sections(_compiled("|".join(f"(?:{p})" for p in patterns)))


_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(source: str) -> re.Pattern[str]:
    pattern = _CACHE.get(source)
    if pattern is None:
        pattern = _CACHE[source] = re.compile(source)
    return pattern


def no_card_suffix(facts: ModelFacts) -> str:
    """``" (no model card)"`` when the repo has no card, so a missing item says why."""
    return f" ({NO_CARD})" if facts.card is None else ""
