"""Fixtures for the report tests: a small store built in code, hostile text included."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

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
from ptmscope.store import Store

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '"><img src=x onerror="window.__pwned=2">'
T0 = datetime(2024, 1, 3, 12, 0, tzinfo=UTC)


def _commit(rid: str, n: int, day: int, message: str) -> CommitRecord:
    when = T0 + timedelta(days=day)
    return CommitRecord(
        repo_id=rid, sha=CommitSha(f"{abs(hash((rid, n))):040x}"[:40]), author_name="a",
        author_email="a@x", authored_at=when, committer_name="a", committer_email="a@x",
        committed_at=when, message=message,
    )


def _snapshot(platform: Platform, name: str, history: list[tuple[int, str, str]],
              files: list[FileRecord] | None = None, card: str | None = None,
              metadata: dict[str, object] | None = None) -> RepoSnapshot:
    rid = repo_id(platform, name)
    commits = tuple(_commit(rid, i, day, msg) for i, (day, msg, _) in enumerate(history))
    touched = tuple(
        CommitFileRecord(repo_id=rid, sha=c.sha, path=path, change_kind=ChangeKind.MODIFIED)
        for c, (_, _, path) in zip(commits, history, strict=True)
    )
    card_record = None
    if card is not None:
        card_record = CardRecord(repo_id=rid, path="README.md", raw_text=card,
                                 yaml_text="license: mit", metadata=metadata or {},
                                 body=card)
    return RepoSnapshot(
        repo=RepoRecord(repo_id=rid, platform=platform, name=name, source=f"/corpus/{name}"),
        commits=commits, commit_files=touched,
        files=tuple(files or ()), card=card_record,
    )


def weights(rid: str, path: str, sha: str | None = None, size: int = 1234,
            local: str | None = None) -> FileRecord:
    """A weight file record (an LFS pointer when ``sha`` is given)."""
    return FileRecord(repo_id=rid, path=path, size=130 if sha else size, lfs_sha256=sha,
                      lfs_size=size if sha else None, local_path=local)


def fill_store(store: Store) -> None:
    """Two families, four models, findings of every analysis, hostile text everywhere."""
    up = repo_id(Platform.GITHUB, "acme/bert")
    m1 = repo_id(Platform.HUGGINGFACE, "acme/bert-base")
    m2 = repo_id(Platform.HUGGINGFACE, "googIe-bert/bert-base" + "x" * 300)
    m3 = repo_id(Platform.HUGGINGFACE, "acme/clean-model")
    up2 = repo_id(Platform.GITHUB, "other/gpt")
    m4 = repo_id(Platform.HUGGINGFACE, "other/gpt-small")
    store.write_snapshot(_snapshot(Platform.GITHUB, "acme/bert", [
        (0, "initial commit", "LICENSE"), (3, "add model " + SCRIPT, "modeling.py"),
        (20, "tune config", "config.json"), (45, IMG, "README.md"),
        (90, "train longer", "train.py"), (200, "update config", "config.json"),
    ]))
    store.write_snapshot(_snapshot(
        Platform.HUGGINGFACE, "acme/bert-base",
        [(1, "initial commit", ".gitattributes"),
         (2, "Upload folder using huggingface_hub", "model.safetensors"),
         (30, "Update README.md " + SCRIPT, "README.md")],
        files=[weights(m1, "model.safetensors", "ab" * 32, 5_000_000),
               weights(m1, "pytorch_model.bin", size=2048), weights(m1, "config.json", size=500)],
        card="# BERT " + SCRIPT + IMG + "\nA card.",
        metadata={"license": "apache-2.0", "pipeline_tag": "fill-mask",
                  "datasets": ["wikipedia", "bookcorpus"], "base_model": "acme/bert-tiny",
                  "model-index": [{"name": "x", "results": [{
                      "task": {"type": "fill-mask"},
                      "dataset": {"type": "glue", "name": "GLUE"},
                      "metrics": [{"type": "accuracy", "value": 0.91}]}]}]},
    ))
    store.write_snapshot(_snapshot(
        Platform.HUGGINGFACE, m2.split(":", 1)[1], [(50, "Upload " + IMG, "pytorch_model.bin")],
        files=[weights(m2, "pytorch_model.bin", size=4096)],
        card="imitation " + SCRIPT, metadata={"pipeline_tag": "fill-mask"},
    ))
    store.write_snapshot(_snapshot(Platform.HUGGINGFACE, "acme/clean-model", [],
                                   files=[weights(m3, "model.safetensors", size=10)]))
    store.write_snapshot(_snapshot(Platform.GITHUB, "other/gpt", [
        (0, "initial commit", "README.md"), (15, "add data", "data/train.txt"),
        (16, "bump torch", "requirements.txt"),
    ]))
    store.write_snapshot(_snapshot(
        Platform.HUGGINGFACE, "other/gpt-small",
        [(15, "Auto Sync from git://github.com/other/gpt.git/commit/abc", "tokenizer.json"),
         (16, "update", "config.json"), (17, "update", "config.json")],
        card="gpt card", metadata={"pipeline_tag": "text-generation", "license": "mit"},
    ))
    store.write_families([
        FamilyRecord(FamilyId("acme_bert" + SCRIPT), "https://github.com/acme/bert", up,
                     ("acme/bert-base", m2.split(":", 1)[1], "acme/missing-variant")),
        FamilyRecord(FamilyId("other_gpt"), "https://github.com/other/gpt", up2,
                     ("other/gpt-small",)),
    ])
    attrs = [
        Finding("attributes", "license", m1, Severity.MEDIUM, Outcome.PRESENT, "licence declared",
                details={"category": "licence", "evidence": "card: license"}),
        Finding("attributes", "datasets", m1, Severity.MEDIUM, Outcome.PRESENT, "datasets"),
        Finding("attributes", "license", m2, Severity.MEDIUM, Outcome.MISSING,
                "no licence " + SCRIPT, details={"remedy": "add a license " + IMG}),
        Finding("attributes", "datasets", m2, Severity.LOW, Outcome.MISSING, "no datasets"),
        Finding("attributes", "license", m4, Severity.MEDIUM, Outcome.PRESENT, "ok"),
        Finding("attributes", "datasets", m4, Severity.LOW, Outcome.PARTIAL, "partial"),
    ]
    store.replace_findings("attributes", [m1, m2, m4], attrs)
    store.replace_findings("risk", [m2], [
        Finding("risk", "PICKLE-GLOBAL-DANGEROUS", m2, Severity.CRITICAL, Outcome.MISSING,
                "os.system " + SCRIPT, path="pytorch_model.bin", location="offset 12",
                details={"construct": "posix.system", "why": "runs a shell " + IMG,
                         "format": "pytorch-zip"}),
        Finding("risk", "NAME-TYPOSQUAT", m2, Severity.HIGH, Outcome.MISSING,
                "imitates google-bert"),
    ])
    store.replace_findings("perf", [m1], [
        Finding("perf", "claim-accuracy", m1, Severity.MEDIUM, Outcome.PARTIAL,
                "accuracy below claim", details={"claimed": 91.0, "measured": 84.5,
                                                 "diff_pp": 6.5, "verdict": "discrepant"}),
    ])
    store.replace_findings("sync", ["acme_bert" + SCRIPT, "other_gpt"], [
        Finding("sync", "sync-pattern", "acme_bert" + SCRIPT, Severity.INFO, Outcome.PRESENT,
                "Disperse Synchronization " + SCRIPT,
                details={"pattern": "Disperse Synchronization", "sync_type": "PS",
                         "intensity": "S", "lag": "Upstream First",
                         "switch_lags_days": [1, 0, 12, 30]}),
        Finding("sync", "sync-pattern", "other_gpt", Severity.INFO, Outcome.PRESENT,
                "Rare", details={"pattern": "Rare Synchronization", "sync_type": "CS",
                                 "intensity": "R", "lag": "No Lag", "switch_lags_days": [0]}),
    ])


@pytest.fixture
def filled_store(tmp_path: Path) -> Iterator[Store]:
    """A store with two families, four models and findings of every analysis."""
    store = Store(tmp_path / "fixture.duckdb")
    fill_store(store)
    yield store
    store.close()
