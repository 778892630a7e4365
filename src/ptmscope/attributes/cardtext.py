"""What the stored ``CardRecord`` lacks: line-accurate sections, metadata lines, placeholders.

huggingface_hub's ``ModelCard`` splits a card into YAML and body but knows nothing of markdown
structure, so this module adds only that: it normalises line breaks (CRLF, CR), finds the
front matter, and walks the body once, tracking fenced code blocks so a ``# heading`` inside a
code sample is never mistaken for a section. Every section keeps its 1-based line number in
the card file, which is the evidence the checks cite.

Everything here is a pure function of the card text; it never raises on hostile input (tabs,
replacement characters, a 5 MB card, YAML that is not a mapping).
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import yaml

from ptmscope.records import CardRecord

#: The placeholder the official template leaves in unfilled sections.
PLACEHOLDER = "[More Information Needed]"

#: Largest YAML front matter this module parses itself (when the store did not); beyond it
#: the front matter is reported as too large instead of being parsed.
MAX_YAML_CHARS = 1_000_000

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_TOP_KEY = re.compile(r"^([A-Za-z0-9_][A-Za-z0-9_.\-]*)[ \t]*:")


@dataclass(frozen=True, slots=True)
class Section:
    """One markdown section of the card body.

    Attributes:
        title: the heading text, as written.
        key: the title lower-cased with punctuation folded to spaces, for matching.
        level: 1 for ``#`` ... 6 for ``######``.
        line: 1-based line of the heading in the card file.
        text: the section's own text (up to the next heading of any level).
        filled: True when the text has real content (not blank, not only the placeholder).
        has_code: True when the section holds a fenced code block.
    """

    title: str
    key: str
    level: int
    line: int
    text: str
    filled: bool
    has_code: bool


@dataclass(frozen=True, slots=True)
class CardText:
    """A card, parsed for the checks.

    Attributes:
        path: the card's path in the repo (``README.md``).
        lines: the card's lines, line breaks normalised.
        body_start: index in ``lines`` of the first body line (after the front matter).
        metadata: the front matter as a mapping, or None when absent or not a mapping.
        metadata_problem: why ``metadata`` is None although front matter exists, else None.
        key_lines: 1-based line of each top-level front-matter key.
        sections: every heading outside code blocks, in order.
        placeholder_lines: lines holding ``[More Information Needed]``.
        code_blocks: how many fenced code blocks the body holds.
        truncated: the card was cut at the source's read bound.
        body: the markdown after the front matter (line breaks normalised).
        body_line_starts: offset in ``body`` where each body line starts.
        lower_body: ``body`` lower-cased, for cheap substring pre-filters before a regex.
        section_keys: the distinct section keys, each with its sections (for fast matching).
    """

    path: str
    lines: tuple[str, ...]
    body_start: int
    metadata: Mapping[str, Any] | None
    metadata_problem: str | None
    key_lines: Mapping[str, int]
    sections: tuple[Section, ...]
    placeholder_lines: tuple[int, ...]
    code_blocks: int
    truncated: bool
    body: str
    body_line_starts: tuple[int, ...]
    lower_body: str
    section_keys: Mapping[str, tuple[Section, ...]]

    @property
    def is_empty(self) -> bool:
        """True when the card has neither metadata nor any non-blank body text."""
        return not self.metadata and not any(
            line.strip() for line in self.lines[self.body_start :]
        )

    def find_sections(self, *patterns: re.Pattern[str]) -> tuple[Section, ...]:
        """Sections whose ``key`` matches any of ``patterns`` (searched, not anchored), in order."""
        keys = [k for k in self.section_keys if any(p.search(k) for p in patterns)]
        if not keys:
            return ()
        if len(keys) == 1:
            return self.section_keys[keys[0]]
        return tuple(sorted((s for k in keys for s in self.section_keys[k]), key=lambda s: s.line))

    def first_line_matching(self, pattern: re.Pattern[str]) -> int | None:
        """1-based line of the first body match of ``pattern``, or None.

        One search over the whole body (C speed), then a bisect from offset to line.
        """
        match = pattern.search(self.body)
        if match is None:
            return None
        return self.body_start + bisect_right(self.body_line_starts, match.start())


def normalise_newlines(text: str) -> str:
    """Turn CRLF and lone CR line breaks into LF."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def section_key(title: str) -> str:
    """Fold a heading to a matching key: lower case, punctuation and markup to spaces."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", title.lower()).split())


def _front_matter_end(lines: list[str]) -> int | None:
    """Index of the closing ``---`` of the front matter, or None when there is none."""
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return index
    return None


def _top_key_lines(yaml_lines: list[str], first_line: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for offset, line in enumerate(yaml_lines):
        match = _TOP_KEY.match(line)
        if match and match.group(1) not in out:
            out[match.group(1)] = first_line + offset
    return out


def parse_yaml_mapping(yaml_text: str) -> tuple[Mapping[str, Any] | None, str | None]:
    """Parse front matter as a mapping, returning ``(mapping, None)`` or ``(None, problem)``.

    Uses the libyaml loader when available (the safe one: no object construction).
    """
    if len(yaml_text) > MAX_YAML_CHARS:
        return None, f"front matter of {len(yaml_text):,} characters is over the parse bound"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        value = yaml.load(yaml_text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        return None, f"YAML does not parse: {first}"
    except (ValueError, RecursionError) as err:
        return None, f"YAML does not parse: {type(err).__name__}"
    if value is None:
        return {}, None
    if not isinstance(value, Mapping):
        return None, f"YAML front matter is a {type(value).__name__}, not a mapping"
    return value, None


def _scan_body(
    lines: list[str], start: int
) -> tuple[list[tuple[int, int, str]], list[int], int, list[bool]]:
    """Headings (index, level, title), placeholder lines, fence count, in-code flag per line."""
    headings: list[tuple[int, int, str]] = []
    placeholders: list[int] = []
    fences = 0
    in_code = [False] * len(lines)
    fence: str | None = None
    for index in range(start, len(lines)):
        line = lines[index]
        if fence is not None:
            in_code[index] = True
            stripped = line.strip()
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
                fence = None
            continue
        if PLACEHOLDER in line:
            placeholders.append(index + 1)
        if "`" in line or "~" in line:
            match = _FENCE.match(line)
            if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
                fence = match.group(1)
                fences += 1
                in_code[index] = True
                continue
        if "#" in line:
            heading = _ATX.match(line.replace("\t", "    ", 1) if line[:1] == "\t" else line)
            if heading and (heading.group(2) or "").strip():
                headings.append((index, len(heading.group(1)), heading.group(2).strip()))
    return headings, placeholders, fences, in_code


def _is_filled(text: str) -> bool:
    stripped = text.replace(PLACEHOLDER, "").strip()
    # A section left as the template's HTML comment or bare list bullets is not filled.
    if "<!--" in stripped:
        stripped = re.sub(r"<!--.*?-->", "", stripped, flags=re.DOTALL).strip()
    return any(ch.isalnum() for ch in stripped)


def parse_card(card: CardRecord) -> CardText:
    """Parse a stored card into a :class:`CardText` (never raises on card content).

    The store's parsed ``metadata`` is used when present; otherwise the front matter is parsed
    here, so a store written by a tolerant source still gets a reason for broken YAML.

    >>> from ptmscope.records import RepoId
    >>> text = "---\\nlicense: mit\\n---\\n# Usage\\n```\\n# not a heading\\n```\\n"
    >>> card = CardRecord(RepoId("huggingface:o/m"), "README.md", text, None, None, "")
    >>> [s.title for s in parse_card(card).sections]
    ['Usage']
    """
    text = normalise_newlines(card.raw_text)
    lines = text.split("\n")
    end = _front_matter_end(lines)
    body_start = 0 if end is None else end + 1
    yaml_lines = [] if end is None else lines[1:end]

    metadata: Mapping[str, Any] | None
    problem: str | None = None
    if card.metadata is not None and isinstance(card.metadata, Mapping):
        metadata = card.metadata
    elif card.parse_error:
        metadata, problem = None, card.parse_error
    elif end is not None or card.yaml_text:
        source = "\n".join(yaml_lines) if end is not None else (card.yaml_text or "")
        metadata, problem = parse_yaml_mapping(source)
        if metadata is None and "\t" in source:
            # YAML forbids tab indentation; keep what a tab-to-space reading gives, and say so.
            retried, _ = parse_yaml_mapping(source.replace("\t", "  "))
            if retried is not None:
                metadata, problem = retried, None
    else:
        metadata = None
    key_lines = _top_key_lines(yaml_lines, 2) if end is not None else {}

    headings, placeholders, fences, in_code = _scan_body(lines, body_start)
    sections: list[Section] = []
    for position, (index, level, title) in enumerate(headings):
        stop = headings[position + 1][0] if position + 1 < len(headings) else len(lines)
        own = lines[index + 1 : stop]
        section_text = "\n".join(own)
        sections.append(
            Section(
                title=title,
                key=section_key(title),
                level=level,
                line=index + 1,
                text=section_text,
                filled=_is_filled(section_text),
                has_code=any(in_code[index + 1 : stop]),
            )
        )
    sections = _with_filled_subsections(sections)
    grouped: dict[str, list[Section]] = {}
    for section in sections:
        grouped.setdefault(section.key, []).append(section)
    keyed = {key: tuple(members) for key, members in grouped.items()}
    body = "\n".join(lines[body_start:])
    return CardText(
        path=card.path,
        lines=tuple(lines),
        body_start=body_start,
        metadata=metadata,
        metadata_problem=problem,
        key_lines=key_lines,
        sections=tuple(sections),
        placeholder_lines=tuple(placeholders),
        code_blocks=fences,
        truncated=card.truncated,
        body=body,
        body_line_starts=_line_starts(lines, body_start),
        lower_body=body.lower(),
        section_keys=keyed,
    )


def _with_filled_subsections(sections: list[Section]) -> list[Section]:
    """Count a section as filled when one of its subsections is (``## Training Details`` often
    holds only ``### Training Procedure``). One backwards pass with a stack of levels."""
    out = list(sections)
    # filled_below[i]: some deeper section after i, before the next one at i's level, is filled.
    pending: list[tuple[int, bool]] = []  # (level, any filled seen at deeper levels)
    for position in range(len(out) - 1, -1, -1):
        section = out[position]
        below = False
        while pending and pending[-1][0] > section.level:
            deeper_filled = pending.pop()[1]
            below = below or deeper_filled
        if below and not section.filled:
            out[position] = replace(section, filled=True)
        pending.append((section.level, out[position].filled or below))
    return out


def _line_starts(lines: list[str], start: int) -> tuple[int, ...]:
    offsets: list[int] = []
    position = 0
    for index in range(start, len(lines)):
        offsets.append(position)
        position += len(lines[index]) + 1
    return tuple(offsets)


def quiet_hub_logging() -> None:
    """Silence huggingface_hub's "Invalid model-index" warning: we report it as a finding."""
    logging.getLogger("huggingface_hub.repocard_data").setLevel(logging.ERROR)
