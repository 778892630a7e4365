"""Fixtures of the risk tests: crafted samples written to tmp_path (never loaded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .samples import Sample, corpus


@pytest.fixture(scope="session")
def samples() -> list[Sample]:
    """Every crafted sample."""
    return corpus()


@pytest.fixture()
def write(tmp_path: Path):
    """Write bytes to ``tmp_path/name`` and return the path."""

    def _write(name: str, data: bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    return _write
