"""Small helpers the checks share: evidence builders, file matching, card searches."""

from __future__ import annotations

import re
from collections.abc import Iterable
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


def line_evidence(facts: ModelFacts, pattern: re.Pattern[str]) -> Evidence | None:
    """Evidence for the first body line matching ``pattern``, or None."""
    card = facts.card
    if card is None:
        return None
    line = card.first_line_matching(pattern)
    if line is None:
        return None
    match = pattern.search(card.lines[line - 1])
    return Evidence(path=card.path, line=line, excerpt=clip(match.group(0) if match else ""))


def file_evidence(files: Iterable[FileRecord], limit: int = 5) -> tuple[Evidence, ...]:
    """Evidence naming up to ``limit`` files."""
    return tuple(Evidence(path=f.path) for f in list(files)[:limit])


def files_matching(facts: ModelFacts, pattern: re.Pattern[str]) -> list[FileRecord]:
    """Files whose lower-cased path matches ``pattern``."""
    return [f for f, p in zip(facts.files, facts.lower_paths, strict=True) if pattern.search(p)]


def body_search(facts: ModelFacts, pattern: re.Pattern[str]) -> bool:
    """True when the card body matches ``pattern``."""
    return facts.card is not None and pattern.search(facts.card.body) is not None


def sections(facts: ModelFacts, *patterns: str) -> tuple[Section, ...]:
    """Card sections whose folded title matches any pattern (regex source strings)."""
    if facts.card is None:
        return ()
    return facts.card.find_sections(*(_compiled(p) for p in patterns))


_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(source: str) -> re.Pattern[str]:
    pattern = _CACHE.get(source)
    if pattern is None:
        pattern = _CACHE[source] = re.compile(source)
    return pattern


def no_card_suffix(facts: ModelFacts) -> str:
    """``" (no model card)"`` when the repo has no card, so a missing item says why."""
    return f" ({NO_CARD})" if facts.card is None else ""
