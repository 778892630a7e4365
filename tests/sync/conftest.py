"""Fixtures for the sync tests: timelines and a filled store, all built in code."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from ptmscope.records import (
    ChangeKind,
    CommitFileRecord,
    CommitRecord,
    CommitSha,
    FamilyId,
    FamilyRecord,
    FileRecord,
    Platform,
    RepoRecord,
    RepoSnapshot,
    repo_id,
)
from ptmscope.store import Store

T0 = date(2023, 1, 2)


def day_in_bin(bin_index: int, offset: int = 0) -> date:
    """The day ``offset`` days into bin ``bin_index`` of a family whose t0 is :data:`T0`."""
    return T0 + timedelta(days=14 * bin_index + offset)


def at_bins(*bins: int) -> list[date]:
    """One commit on the first day of each bin."""
    return [day_in_bin(b) for b in bins]


def utc(y: int, m: int, d: int, h: int = 12) -> datetime:
    """An aware UTC datetime."""
    return datetime(y, m, d, h, tzinfo=UTC)


@dataclass
class RepoBuilder:
    """Builds one RepoSnapshot commit by commit."""

    platform: Platform
    name: str
    commits: list[CommitRecord]
    touched: list[CommitFileRecord]
    files: list[FileRecord]

    @property
    def rid(self) -> str:
        return repo_id(self.platform, self.name)

    def commit(self, when: datetime, message: str, paths: Sequence[str] = ()) -> str:
        sha = hashlib.sha1(f"{self.rid}/{len(self.commits)}".encode()).hexdigest()
        self.commits.append(CommitRecord(
            repo_id=repo_id(self.platform, self.name), sha=CommitSha(sha), author_name="a",
            author_email="a@x", authored_at=when, committer_name="a", committer_email="a@x",
            committed_at=when, message=message,
        ))
        for p in paths:
            self.touched.append(CommitFileRecord(
                repo_id(self.platform, self.name), CommitSha(sha), p, ChangeKind.MODIFIED,
            ))
        return sha

    def head(self, path: str, blob: str) -> None:
        self.files.append(FileRecord(repo_id(self.platform, self.name), path, 10, blob))

    def snapshot(self) -> RepoSnapshot:
        return RepoSnapshot(
            repo=RepoRecord(repo_id(self.platform, self.name), self.platform, self.name, "test"),
            commits=tuple(self.commits), commit_files=tuple(self.touched),
            files=tuple(self.files),
        )


def repo(platform: Platform, name: str) -> RepoBuilder:
    """A new empty repo builder."""
    return RepoBuilder(platform, name, [], [], [])


def demo_family(upstream_sha_out: list[str] | None = None) -> tuple[RepoBuilder, list[RepoBuilder]]:
    """An upstream repo and two variants with auto-sync, same and stale files."""
    up = repo(Platform.GITHUB, "acme/bert")
    first = up.commit(utc(2023, 1, 2), "initial commit", ["README.md", "config.json"])
    up.commit(utc(2023, 1, 20), "tokenizer fix", ["tokenizer.json"])
    up.commit(utc(2023, 3, 1), "bigger hidden size", ["config.json"])
    up.commit(utc(2023, 5, 1), "tokenizer: add special tokens", ["tokenizer.json"])
    up.commit(utc(2023, 6, 1), "docs", ["README.md"])
    for path, blob in (("README.md", "r2"), ("config.json", "c2"), ("tokenizer.json", "t2"),
                       ("modeling.py", "m1")):
        up.head(path, blob)
    good = repo(Platform.HUGGINGFACE, "acme/bert-base")
    good.commit(utc(2023, 1, 5, 0), "Upload folder using huggingface_hub",
                ["config.json", "tokenizer.json"])
    good.commit(utc(2023, 3, 2, 0), f"Auto Sync from git://github.com/acme/bert.git/commit/{first}",
                ["config.json"])
    good.head("config.json", "c2")
    good.head("tokenizer.json", "t1")
    stale = repo(Platform.HUGGINGFACE, "acme/bert-old")
    stale.commit(utc(2023, 1, 6, 0), "Upload folder using huggingface_hub",
                 ["config.json", "tokenizer.json"])
    stale.commit(utc(2023, 1, 7, 0), "Update README.md", ["README.md"])
    stale.head("config.json", "c1")
    stale.head("tokenizer.json", "t0")
    stale.head("README.md", "card")
    if upstream_sha_out is not None:
        upstream_sha_out.append(first)
    return up, [good, stale]


def fill_store(path: Path, extra: Callable[[Store], None] | None = None) -> Path:
    """A store with the demo family, a family with a missing variant and one with bad clocks."""
    up, variants = demo_family()
    store = Store(path)
    for builder in (up, *variants):
        store.write_snapshot(builder.snapshot())
    broken_up = repo(Platform.GITHUB, "old/clock")
    broken_up.commit(datetime(1990, 1, 1, tzinfo=UTC), "initial commit", ["README.md"])
    broken_var = repo(Platform.HUGGINGFACE, "old/clock-model")
    broken_var.commit(utc(2023, 1, 1), "Upload folder using huggingface_hub", ["config.json"])
    store.write_snapshot(broken_up.snapshot())
    store.write_snapshot(broken_var.snapshot())
    store.write_families([
        FamilyRecord(FamilyId("acme_bert"), "https://github.com/acme/bert",
                     repo_id(Platform.GITHUB, "acme/bert"), ("acme/bert-base", "acme/bert-old")),
        FamilyRecord(FamilyId("ghost_model"), "https://github.com/acme/bert",
                     repo_id(Platform.GITHUB, "acme/bert"), ("ghost/not-ingested",)),
        FamilyRecord(FamilyId("old_clock"), "https://github.com/old/clock",
                     repo_id(Platform.GITHUB, "old/clock"), ("old/clock-model",)),
    ])
    if extra is not None:
        extra(store)
    store.close()
    return path


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A filled store file."""
    return fill_store(tmp_path / "sync.duckdb")
