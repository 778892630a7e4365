"""Shared CLI pieces: option aliases, consoles, store opening, JSON output, rich progress.

Commands print reports to stdout (or ``-o FILE``) and messages/progress to stderr, so
``--json`` output can be piped.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import Progress as RichProgressBar

if TYPE_CHECKING:
    from ptmscope.store import Store

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

DbOpt = Annotated[
    Path,
    typer.Option("--db", help="The DuckDB store file.", envvar="PTMSCOPE_DB", show_default=True),
]
#: The same default as ``ptmscope.store.DEFAULT_DB`` (a test keeps them equal); spelled out so
#: that ``--help`` does not import DuckDB and Arrow.
DB_DEFAULT = Path("ptmscope.duckdb")
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on stdout.")]
QuietOpt = Annotated[bool, typer.Option("-q", "--quiet", help="No progress or summaries.")]
OutOpt = Annotated[
    Path | None, typer.Option("-o", "--output", help="Write the report to this file.")
]


def open_store(db: Path, *, read_only: bool = False) -> Store:
    """Open the store at ``db`` (errors become one-line messages through ``cli.main``)."""
    from ptmscope.store import Store

    return Store(db, read_only=read_only)


def to_jsonable(value: Any) -> Any:
    """Best-effort conversion of records/enums/dates to JSON-compatible values."""
    import dataclasses
    from datetime import date, datetime
    from enum import Enum

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def print_json(payload: Any, output: Path | None = None) -> None:
    """Write ``payload`` as indented JSON to stdout, or to ``output``."""
    text = json.dumps(to_jsonable(payload), indent=2, sort_keys=False, ensure_ascii=False)
    if output is None:
        sys.stdout.write(text + "\n")
    else:
        output.write_text(text + "\n", encoding="utf-8")


def escape(text: str, limit: int = 200) -> str:
    """Make hostile text safe for a rich table: strip control chars, escape markup, clip."""
    from rich.markup import escape as rich_escape

    clean = "".join(ch if ch.isprintable() or ch == " " else " " for ch in text)
    if len(clean) > limit:
        clean = clean[: limit - 1] + "…"
    return rich_escape(clean)


def reflow(doc: str | None) -> str:
    """A docstring as command help for rich: prose paragraphs joined into one line each (typer
    keeps single line breaks), indented example lines kept, and brackets escaped so that text
    such as ``hf://org/name[@rev]`` is not taken for rich markup."""
    import inspect

    from rich.markup import escape as rich_escape

    paragraphs = []
    for block in inspect.cleandoc(doc or "").split("\n\n"):
        lines = block.splitlines()
        if any(line.startswith("  ") for line in lines):
            paragraphs.append(block)
        else:
            paragraphs.append(" ".join(line.strip() for line in lines))
    return rich_escape("\n\n".join(paragraphs))


class RichProgress:
    """A ``ptmscope.progress.Progress`` drawn with rich on stderr (nothing when quiet)."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet or not err_console.is_terminal
        self._bar: RichProgressBar | None = None
        self._task: Any = None

    def start(self, task: str, total: int | None = None) -> None:
        """Begin a phase."""
        self.finish()
        if self.quiet:
            return
        self._bar = RichProgressBar(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[note]}"),
            console=err_console,
            transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task(task, total=total, note="")

    def advance(self, amount: int = 1, note: str = "") -> None:
        """Advance the current phase."""
        if self._bar is not None:
            self._bar.update(self._task, advance=amount, note=escape(note, 60))

    def finish(self) -> None:
        """End the current phase."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
