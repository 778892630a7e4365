"""The JSON Schemas of every JSON output ptmscope prints (``--json``), shipped in the package.

Each output has one file here, ``<name>.schema.json``, whose ``$id`` names it and whose
``x-ptmscope-version`` gives the version that the output's ``schema_version`` key repeats.
docs/json-schemas.md lists them all (a test keeps the two in step).

>>> "report" in schema_names()
True
>>> load_schema("report")["x-ptmscope-version"]
1
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from ptmscope.errors import ReportError

_SUFFIX = ".schema.json"


def schema_names() -> list[str]:
    """The names of every schema in the package, sorted."""
    folder = resources.files(__name__)
    return sorted(
        entry.name[: -len(_SUFFIX)] for entry in folder.iterdir()
        if entry.name.endswith(_SUFFIX)
    )


def load_schema(name: str) -> dict[str, Any]:
    """The schema called ``name`` (e.g. ``"report"``) as a dict.

    Raises:
        ReportError: there is no such schema.
    """
    entry = resources.files(__name__).joinpath(name + _SUFFIX)
    if not entry.is_file():
        raise ReportError(f"{name}: no such JSON schema",
                          hint="Known: " + ", ".join(schema_names()))
    loaded: dict[str, Any] = json.loads(entry.read_text("utf-8"))
    return loaded


#: Every schema shipped, by name (computed at import; new files are picked up automatically).
SCHEMAS: tuple[str, ...] = tuple(schema_names())

__all__ = ["SCHEMAS", "load_schema", "schema_names"]
