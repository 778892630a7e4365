"""Split and parse a model card (README.md): YAML front matter, then markdown body.

Cards are hostile input: the bytes are decoded leniently, the read is bounded, YAML is parsed
with ``yaml.safe_load`` after an alias-count guard (a billion-laughs document would explode
when the metadata is serialised), and every problem becomes ``parse_error`` instead of an
exception. The raw text is always kept, so analyses can see what the parser could not.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import yaml

from ptmscope.records import CardRecord, RepoId

#: Cards larger than this are truncated (and flagged); the Hub's largest real cards are ~1 MB.
MAX_CARD_BYTES = 16 * 1024 * 1024
#: Front matter larger than this is not parsed.
MAX_YAML_BYTES = 2 * 1024 * 1024
#: More YAML aliases than this is treated as an expansion attack.
MAX_YAML_ALIASES = 200

CARD_NAMES = ("README.md", "readme.md", "README.MD", "Readme.md")


#: More values than this once aliases are expanded is treated as an expansion attack: a few
#: dozen nested aliases (a "billion laughs") pass the alias count and expand to 10**9 values.
MAX_YAML_VALUES = 200_000


class _UnusableYaml(Exception):
    """The front matter parsed but cannot be turned into plain metadata (why in the message)."""


def _plain(value: Any, budget: list[int] | None = None, path: frozenset[int] = frozenset()) -> Any:
    """Make YAML values JSON-safe (dates to ISO strings, keys to strings).

    Raises:
        _UnusableYaml: the value refers to itself (a recursive alias) or expands to more than
            ``MAX_YAML_VALUES`` values.
    """
    budget = [MAX_YAML_VALUES] if budget is None else budget
    budget[0] -= 1
    if budget[0] < 0:
        raise _UnusableYaml(
            f"front matter expands to more than {MAX_YAML_VALUES} values (alias expansion attack?)"
        )
    if isinstance(value, dict | list):
        if id(value) in path:
            raise _UnusableYaml("front matter refers to itself (a recursive YAML alias)")
        inner = path | {id(value)}
        if isinstance(value, dict):
            return {str(k): _plain(v, budget, inner) for k, v in value.items()}
        return [_plain(v, budget, inner) for v in value]
    if isinstance(value, _dt.date | _dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def split_front_matter(text: str) -> tuple[str | None, str]:
    """Return (yaml_text, body). ``yaml_text`` is None when the card has no front matter.

    The front matter opens with a first line ``---`` and closes with the next line that is
    exactly ``---`` (trailing spaces allowed), as the Hub does.

    >>> split_front_matter("---\\nlicense: mit\\n---\\n# Title\\n")
    ('license: mit', '# Title\\n')
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, text
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :])
    return None, text


def parse_yaml_mapping(yaml_text: str) -> tuple[dict[str, Any] | None, str | None]:
    """Parse front matter; return (mapping, None) or (None, why it is not usable)."""
    if len(yaml_text.encode("utf-8", "replace")) > MAX_YAML_BYTES:
        return None, f"front matter larger than {MAX_YAML_BYTES} bytes; not parsed"
    if "\t" in yaml_text:
        # YAML forbids tabs for indentation; most cards with tabs mean spaces.
        yaml_text = yaml_text.replace("\t", "  ")
    try:
        aliases = sum(isinstance(ev, yaml.AliasEvent) for ev in yaml.parse(yaml_text))
        if aliases > MAX_YAML_ALIASES:
            return None, f"front matter uses {aliases} YAML aliases (expansion attack?)"
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        return None, f"broken YAML front matter{where}: {problem}"
    except RecursionError:
        return None, "front matter nested too deeply"
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return None, f"front matter is a {type(data).__name__}, not a mapping"
    try:
        plain = _plain(data)
    except _UnusableYaml as err:
        return None, str(err)
    except RecursionError:
        return None, "front matter nested too deeply"
    assert isinstance(plain, dict)
    return plain, None


def parse_card(rid: RepoId, path: str, raw: bytes) -> CardRecord:
    """Build a ``CardRecord`` from the raw bytes of a card file.

    Args:
        rid: the repository the card belongs to.
        path: the card's path inside the repository (``README.md``).
        raw: the file's bytes (at most ``MAX_CARD_BYTES`` are used).

    Returns:
        The card; ``metadata`` is None and ``parse_error`` says why when the front matter is
        broken or not a mapping.

    >>> card = parse_card(RepoId("huggingface:o/m"), "README.md", b"---\\nlicense: mit\\n---\\nHi")
    >>> card.metadata, card.body
    ({'license': 'mit'}, 'Hi')
    """
    truncated = len(raw) > MAX_CARD_BYTES
    text = raw[:MAX_CARD_BYTES].decode("utf-8", "replace")
    text = (
        text.removeprefix("\ufeff")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\x00", "\ufffd")
    )
    yaml_text, body = split_front_matter(text)
    metadata: dict[str, Any] | None = None
    error: str | None = None
    if yaml_text is not None:
        metadata, error = parse_yaml_mapping(yaml_text)
    return CardRecord(
        repo_id=rid,
        path=path,
        raw_text=text,
        yaml_text=yaml_text,
        metadata=metadata,
        body=body,
        parse_error=error,
        truncated=truncated,
    )
