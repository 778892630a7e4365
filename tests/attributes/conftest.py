"""Fixtures for the attribute audit tests (data builders live in ``factories.py``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from ptmscope.records import RepoSnapshot
from ptmscope.store import Store


@pytest.fixture
def make_store(tmp_path: Path) -> Callable[[Sequence[RepoSnapshot]], Path]:
    """Write snapshots into a new store file and return its path."""

    def build(snapshots: Sequence[RepoSnapshot]) -> Path:
        db = tmp_path / "store.duckdb"
        with Store(db) as store:
            for snap in snapshots:
                store.write_snapshot(snap)
        return db

    return build
