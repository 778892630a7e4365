"""CLI command group `core`: ingest, ls, show (implemented with the foundation issue)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
