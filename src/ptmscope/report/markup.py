"""Small, safe HTML building blocks: escaping and clipping hostile text, tables, badges.

Everything that comes from a repository (names, card text, commit messages, file names,
finding messages written from them) is hostile: it goes through ``esc`` exactly once, which
removes control characters, clips it and HTML-escapes it (quotes included, so the result is
safe in element content and in quoted attributes alike). JSON embedded in ``<script>`` goes
through ``script_json``, which escapes ``<``, ``>`` and ``&`` so no text can close the script.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from typing import Any

#: Default length to which hostile text is clipped.
DEFAULT_LIMIT = 200

NA = "n/a"


def clip(text: str, limit: int = DEFAULT_LIMIT) -> str:
    """Replace control characters by spaces and clip ``text`` to ``limit`` characters.

    >>> clip("a\\x00b" + "c" * 10, 5)
    'a bc…'
    """
    clean = "".join(ch if ch.isprintable() or ch in " \n" else " " for ch in text)
    if len(clean) > limit:
        clean = clean[: max(0, limit - 1)] + "…"
    return clean


def esc(value: Any, limit: int = DEFAULT_LIMIT) -> str:
    """Hostile text made safe for HTML content and quoted attributes (None -> "n/a").

    >>> esc('"><img src=x onerror=alert(1)>')
    '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'
    """
    if value is None or value == "":
        return NA
    return html.escape(clip(str(value), limit), quote=True)


def plot_text(value: Any, limit: int = DEFAULT_LIMIT) -> str:
    """Hostile text for a Plotly figure (and safe in HTML element content too).

    Plotly reads a few HTML-like tags in text; it splits on ``<`` before decoding the
    entities ``&lt; &gt; &amp;``, so escaping those three shows the text literally and never
    builds a tag. It does not decode ``&quot;``, so quotes are left as they are (this text
    must therefore not go into an HTML attribute: use ``esc`` there).

    >>> plot_text('"<b>x</b>"')
    '"&lt;b&gt;x&lt;/b&gt;"'
    """
    if value is None or value == "":
        return NA
    return html.escape(clip(str(value), limit), quote=False)


def script_json(payload: Any) -> str:
    """``payload`` as compact JSON that is safe inside ``<script type="application/json">``."""
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, default=str)
    return (
        text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "") -> str:
    """An HTML table. ``headers`` are trusted; cells must already be escaped markup."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    klass = f' class="{cls}"' if cls else ""
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def badge(text: str, kind: str) -> str:
    """A coloured label; ``kind`` is a trusted css suffix (severity or outcome name)."""
    safe_kind = "".join(ch for ch in kind if ch.isalnum() or ch in "_-")
    return f'<span class="badge b-{safe_kind}">{esc(text, 40)}</span>'


def human_size(size: int | None) -> str:
    """Bytes as a short human string.

    >>> human_size(1536)
    '1.5 KiB'
    """
    if size is None:
        return NA
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"  # pragma: no cover - the loop always returns


def number(value: float | None, digits: int = 1) -> str:
    """A float for display, or "n/a"."""
    return NA if value is None else f"{value:.{digits}f}"
