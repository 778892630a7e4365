"""Per-commit blob ids go from the store to the content links (``blob_history`` method)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema

from ptmscope.records import (
    ChangeKind,
    CommitFileRecord,
    CommitRecord,
    CommitSha,
    FamilyId,
    FamilyRecord,
    Platform,
    RepoRecord,
    RepoSnapshot,
    repo_id,
)
from ptmscope.store import Store
from ptmscope.store.sync_reads import read_repos
from ptmscope.sync.payload import single_payload
from ptmscope.sync.runner import analyse_store

from .test_cli import schema


def _snapshot(platform: Platform, name: str,
              commits: list[tuple[datetime, str, dict[str, str | None]]]) -> RepoSnapshot:
    rid = repo_id(platform, name)
    records: list[CommitRecord] = []
    touched: list[CommitFileRecord] = []
    for i, (when, message, files) in enumerate(commits):
        sha = CommitSha(hashlib.sha1(f"{rid}/{i}".encode()).hexdigest())
        records.append(CommitRecord(
            repo_id=rid, sha=sha, author_name="a", author_email="a@x", authored_at=when,
            committer_name="a", committer_email="a@x", committed_at=when, message=message,
        ))
        for path, blob in files.items():
            kind = ChangeKind.DELETED if blob is None else ChangeKind.MODIFIED
            touched.append(CommitFileRecord(rid, sha, path, kind, blob_id=blob))
    return RepoSnapshot(repo=RepoRecord(rid, platform, name, "test"), commits=tuple(records),
                        commit_files=tuple(touched))


def _day(month: int, day: int) -> datetime:
    return datetime(2024, month, day, 12, tzinfo=UTC)


def test_blob_ids_per_commit_reach_the_links(tmp_path: Path) -> None:
    up = _snapshot(Platform.GITHUB, "lumen/tinylm", [
        (_day(1, 10), "Release config", {"release/config.json": "c1", "old.py": "o1"}),
        (_day(2, 12), "Raise rope_theta", {"release/config.json": "c2", "old.py": None}),
    ])
    old = _snapshot(Platform.HUGGINGFACE, "lumen/tinylm-125m", [
        (_day(1, 12), "Upload folder using huggingface_hub", {"config.json": "c1"}),
    ])
    with Store(tmp_path / "s.duckdb") as store:
        for snap in (up, old):
            store.write_snapshot(snap)
        store.write_families([FamilyRecord(
            FamilyId("lumen_tinylm"), None, repo_id(Platform.GITHUB, "lumen/tinylm"),
            ("lumen/tinylm-125m",))])
        rows = read_repos(store)
        (report,) = analyse_store(store)
    up_rows = rows[repo_id(Platform.GITHUB, "lumen/tinylm")]
    second = up_rows.commits[1][0]
    assert up_rows.paths[second] == ("old.py", "release/config.json")
    assert up_rows.blobs[second] == (None, "c2")
    assert report.links is not None
    assert report.links.methods == ("blob_history",)
    (stale,) = report.links.variants[0].stale_files
    assert (stale.upstream_path, stale.first_missed_sha, stale.days_stale) == (
        "release/config.json", second, 0)
    payload = json.loads(json.dumps(single_payload(report)))
    jsonschema.validate(payload, schema("sync"))
    assert payload["schema_version"] == 1
    assert payload["family"]["links"]["variants"][0]["method"] == "blob_history"
