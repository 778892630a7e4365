"""The store: schema versioning, idempotent atomic writes, typed reads."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from ptmscope.errors import NotInStoreError, SchemaVersionError, StoreError
from ptmscope.records import (
    CardRecord,
    ChangeKind,
    CommitFileRecord,
    CommitRecord,
    CommitSha,
    FamilyId,
    FamilyRecord,
    FileRecord,
    Finding,
    Outcome,
    Platform,
    RepoRecord,
    RepoSnapshot,
    Severity,
    repo_id,
)
from ptmscope.store import SCHEMA_VERSION, Store

RID = repo_id("huggingface", "org/model")


def snapshot(n_commits: int = 3, message: str = "msg") -> RepoSnapshot:
    tz = timezone(timedelta(hours=-7))
    commits = tuple(
        CommitRecord(
            RID,
            CommitSha(f"{i:040x}"),
            "A",
            "a@x",
            datetime(2024, 1, 1 + i, 9, tzinfo=tz),
            "C",
            "c@x",
            datetime(2024, 1, 1 + i, 10, tzinfo=tz),
            f"{message} {i}",
            (f"{i - 1:040x}",) if i else (),
            signed=i == 1,
        )
        for i in range(n_commits)
    )
    changes = tuple(
        CommitFileRecord(RID, c.sha, "config.json", ChangeKind.MODIFIED, None, 1, None, "b" * 40)
        for c in commits
    )
    files = (FileRecord(RID, "model.safetensors", 134, "f" * 40, "e" * 64, 10_000),)
    card = CardRecord(
        RID, "README.md", "---\nlicense: mit\n---\nhi", "license: mit", {"license": "mit"}, "hi"
    )
    repo = RepoRecord(
        RID, Platform.HUGGINGFACE, "org/model", "/src", "f" * 40, metadata={"downloads": 3}
    )
    return RepoSnapshot(repo, commits, changes, files, card)


def test_a_new_store_is_created_at_the_current_schema_version(tmp_path: Path) -> None:
    with Store(tmp_path / "sub" / "s.duckdb") as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.counts()["repos"] == 0


def test_writing_the_same_snapshot_twice_changes_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        store.write_snapshot(snapshot())
        first = store.counts()
        store.write_snapshot(snapshot())
        assert store.counts() == first
        assert first["commits"] == 3 and first["commit_files"] == 3 and first["cards"] == 1


def test_a_new_snapshot_replaces_the_old_one_whole(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        store.write_snapshot(snapshot(5))
        store.write_snapshot(snapshot(2, "new"))
        assert [c.message for c in store.commits(RID)] == ["new 0", "new 1"]
        assert store.counts()["commit_files"] == 2


def test_reads_return_the_records_written_with_time_zones_kept(tmp_path: Path) -> None:
    snap = snapshot()
    with Store(tmp_path / "s.duckdb") as store:
        store.write_snapshot(snap)
        assert tuple(store.commits(RID)) == snap.commits
        assert tuple(store.commit_files(RID)) == snap.commit_files
        assert tuple(store.files(RID)) == snap.files
        assert store.card(RID) == snap.card
        assert store.get_repo(RID) == snap.repo
        assert store.commits(RID)[0].committed_at.utcoffset() == timedelta(hours=-7)


def test_a_failed_write_leaves_the_previous_snapshot_intact(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        store.write_snapshot(snapshot(3))
        broken = snapshot(2)
        bad_files = (FileRecord(RID, "x", size="not a number"),)  # type: ignore[arg-type]
        with pytest.raises(Exception):  # noqa: B017 - any failure must roll back
            store.write_snapshot(RepoSnapshot(broken.repo, broken.commits, (), bad_files))
        assert len(store.commits(RID)) == 3


def test_findings_are_replaced_per_analysis_and_subject(tmp_path: Path) -> None:
    def finding(rule: str, subject: str, analysis: str = "risk") -> Finding:
        return Finding(
            analysis, rule, subject, Severity.HIGH, Outcome.MISSING, "m", details={"k": 1}
        )

    with Store(tmp_path / "s.duckdb") as store:
        store.replace_findings("risk", ["a", "b"], [finding("r1", "a"), finding("r2", "b")])
        store.replace_findings("attributes", ["a"], [finding("x", "a", "attributes")])
        store.replace_findings("risk", ["a"], [])
        assert [(f.analysis, f.rule_id, f.subject) for f in store.findings()] == [
            ("attributes", "x", "a"),
            ("risk", "r2", "b"),
        ]
        assert store.findings("risk", "b")[0].details == {"k": 1}


def test_findings_come_back_most_severe_first(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        rows = [
            Finding("risk", f"r{s.value}", "a", s, Outcome.MISSING, "m")
            for s in (Severity.LOW, Severity.CRITICAL, Severity.INFO, Severity.HIGH)
        ]
        store.replace_findings("risk", ["a"], rows)
        assert [f.severity for f in store.findings()] == [
            Severity.CRITICAL,
            Severity.HIGH,
            Severity.LOW,
            Severity.INFO,
        ]


def test_a_store_from_a_newer_ptmscope_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(SchemaVersionError, match="schema version 99"):
        Store(path)


def test_an_empty_duckdb_file_is_migrated_to_the_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    duckdb.connect(str(path)).close()
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION


def test_a_file_that_is_not_a_store_gives_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("these are not the bytes of a database\n" * 100)
    with pytest.raises(StoreError, match="not a ptmscope store") as caught:
        Store(path)
    assert caught.value.hint


def test_a_store_whose_folder_cannot_be_made_gives_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file where a folder should be\n")
    with pytest.raises(StoreError, match="cannot create the store's folder"):
        Store(blocker / "ptmscope.duckdb")


def test_a_store_locked_by_another_process_says_so_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "ptmscope.duckdb"
    Store(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreError) as caught:
            Store(path)
    finally:
        holder.kill()
        holder.wait()
    message = str(caught.value)
    assert "in use by another process" in message and f"PID {holder.pid}" in message
    assert "\n" not in message and caught.value.hint


HOLD_LOCK = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
time.sleep(60)
"""


def test_read_only_open_of_a_missing_store_says_so(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store here"):
        Store(tmp_path / "absent.duckdb", read_only=True)


def test_resolve_repo_accepts_the_forms_users_type(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        store.write_snapshot(snapshot())
        for text in ("org/model", "huggingface:org/model", "hf://org/model@main", "model"):
            assert store.resolve_repo(text).repo_id == RID
        with pytest.raises(NotInStoreError):
            store.resolve_repo("other/model")


def test_families_round_trip_with_their_members(tmp_path: Path) -> None:
    fam = FamilyRecord(
        FamilyId("org_model"),
        "https://github.com/o/r",
        repo_id("github", "o/r"),
        ("org/a", "org/b"),
        "m.csv",
    )
    with Store(tmp_path / "s.duckdb") as store:
        store.write_families([fam, fam])
        assert store.families() == [fam]
        assert store.family("org_model") == fam
        with pytest.raises(NotInStoreError):
            store.family("nope")


def test_bulk_reads_match_the_per_repository_reads(tmp_path: Path) -> None:
    from dataclasses import replace

    other = repo_id("github", "org/code")
    with Store(tmp_path / "s.duckdb") as store:
        store.write_snapshot(snapshot(3))
        snap = snapshot(2, message="code")
        store.write_snapshot(RepoSnapshot(
            replace(snap.repo, repo_id=other, platform=Platform.GITHUB, name="org/code"),
            tuple(replace(c, repo_id=other) for c in snap.commits),
            tuple(replace(f, repo_id=other) for f in snap.commit_files),
            (), None,
        ))
        ids = [RID, other, repo_id("github", "not/stored")]
        commits, changes = store.commits_of(ids), store.commit_files_of(ids)
        files, cards, stats = store.files_of(ids), store.cards_of(ids), store.commit_stats_of(ids)
        for rid in (RID, other):
            assert commits[rid] == store.commits(rid)
            assert sorted(changes[rid], key=lambda f: (f.sha, f.path)) == sorted(
                store.commit_files(rid), key=lambda f: (f.sha, f.path))
            assert files.get(rid, []) == store.files(rid)
            assert cards.get(rid) == store.card(rid)
            assert stats[rid] == (len(store.commits(rid)), store.commits(rid)[-1].committed_at)
        assert "github:not/stored" not in commits and "github:not/stored" not in stats
        assert store.commits_of([]) == {}
