"""Shared fixtures: generated git repositories and the demo corpus (built in code, offline)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from ptmscope.demo.corpus import DemoCorpus, build_corpus
from ptmscope.demo.gitwriter import RepoBuilder

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

ALICE = ("Alice Example", "alice@example.org")
BOB = ("Bob Example", "bob@example.org")


def when(day: int, hours: int = 0, tz: int = 0) -> datetime:
    """A fixed date in 2024 (day counted from Jan 1), in the given UTC offset."""
    base = datetime(2024, 1, 1, 12, tzinfo=UTC) + timedelta(days=day, hours=hours)
    return base.astimezone(timezone(timedelta(hours=tz)))


MakeRepo = Callable[
    [str, list[tuple[datetime, tuple[str, str], str, dict[str, bytes | None]]]], Path
]


@pytest.fixture
def make_repo(tmp_path: Path) -> MakeRepo:
    """Build a git repo under tmp_path from (date, author, message, changes) tuples."""

    def build(
        name: str, commits: list[tuple[datetime, tuple[str, str], str, dict[str, bytes | None]]]
    ) -> Path:
        builder = RepoBuilder(tmp_path / name)
        for date, author, message, changes in commits:
            builder.commit(date, author, message, changes)
        builder.build()
        return builder.path

    return build


@pytest.fixture(scope="session")
def demo_corpus(tmp_path_factory: pytest.TempPathFactory) -> DemoCorpus:
    """The demo corpus, generated once per test session."""
    return build_corpus(tmp_path_factory.mktemp("demo") / "corpus")
