"""CLI command group `audit` (see its issue); registers nothing until implemented."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
