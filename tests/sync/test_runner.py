"""The corpus run over a store: findings, not-analysable families, the registry of rules."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ptmscope.progress import NullProgress
from ptmscope.records import CommitRecord, FamilyId, FamilyRecord, Platform, repo_id
from ptmscope.store import Store
from ptmscope.sync.corpus import summarise
from ptmscope.sync.rules import SYNC_RULES
from ptmscope.sync.runner import analyse_store, run_all

from .conftest import demo_family, fill_store, repo, utc


def test_every_registered_rule_is_self_describing() -> None:
    ids = [r.id for r in SYNC_RULES]
    assert len(ids) == len(set(ids))
    for r in SYNC_RULES:
        assert r.id.startswith("sync.") and r.title and r.why and r.fix


def test_run_all_stores_findings_per_family_and_survives_bad_families(store_path: Path) -> None:
    with Store(store_path) as store:
        summary = run_all(store, NullProgress())
        assert summary.name == "sync"
        assert summary.counts["families"] == 3
        assert summary.counts["analysed"] == 1
        assert summary.counts["not_analysable"] == 2
        good = {f.rule_id for f in store.findings("sync", "acme_bert")}
        assert {"sync.pattern", "sync.stale_file", "sync.isolated_changes"} <= good
        pattern = next(
            f for f in store.findings("sync", "acme_bert") if f.rule_id == "sync.pattern"
        )
        assert pattern.details["pattern"] == "Rare Synchronization"
        assert pattern.details["lag"] == "No Lag"
        ghost = store.findings("sync", "ghost_model")
        assert [(f.rule_id, f.details["reason"]) for f in ghost] == [
            ("sync.not_analysable", "missing_repo")]
        clock = store.findings("sync", "old_clock")
        assert clock[0].details["reason"] == "date_before_2000"
        # a re-run replaces, never duplicates
        before = len(store.findings("sync"))
        assert before == summary.counts["findings"]
        run_all(store, NullProgress())
        assert len(store.findings("sync")) == before


def test_stale_variant_is_reported_with_days(store_path: Path) -> None:
    with Store(store_path) as store:
        report = next(r for r in analyse_store(store) if r.family_id == "acme_bert")
    assert report.links is not None
    by_variant = {v.variant: v for v in report.links.variants}
    stale = {s.variant_path: s for s in by_variant["acme/bert-old"].stale_files}
    assert set(stale) == {"config.json", "tokenizer.json"}
    # upstream changed config.json on 2023-03-01; as_of is the family's last commit (2023-06-01)
    assert stale["config.json"].days_since_upstream_change == 92
    # the synced variant got config.json but missed the May tokenizer change
    assert [s.variant_path for s in by_variant["acme/bert-base"].stale_files] == ["tokenizer.json"]
    assert report.links.isolated_changes == (
        next(c.sha for c in _upstream_commits() if c.message.startswith("tokenizer: add")),
    )
    assert [a.resolved for a in by_variant["acme/bert-base"].auto_sync] == [True]


def _upstream_commits() -> list[CommitRecord]:
    up, _ = demo_family()
    return up.commits


def _add_duplicate_and_future(store: Store) -> None:
    from ptmscope.records import RepoSnapshot

    up = repo(Platform.GITHUB, "dup/up")
    up.commit(utc(2023, 1, 1), "initial commit", ["README.md"])
    snap = up.snapshot()
    doubled = RepoSnapshot(snap.repo, commits=snap.commits + snap.commits)
    store.write_snapshot(doubled)
    var = repo(Platform.HUGGINGFACE, "dup/model")
    var.commit(utc(2023, 1, 2), "Upload folder using huggingface_hub", ["config.json"])
    store.write_snapshot(var.snapshot())
    future = repo(Platform.HUGGINGFACE, "dup/future")
    future.commit(datetime(2999, 1, 1, tzinfo=UTC), "Update README.md", ["README.md"])
    store.write_snapshot(future.snapshot())
    store.write_families([
        FamilyRecord(FamilyId("dup_fam"), None, repo_id(Platform.GITHUB, "dup/up"),
                     ("dup/model",)),
        FamilyRecord(FamilyId("future_fam"), None, repo_id(Platform.GITHUB, "acme/bert"),
                     ("dup/future",)),
        FamilyRecord(FamilyId("no_upstream"), None, None, ("dup/model",)),
    ])


def test_duplicates_future_clocks_and_missing_upstream_are_reasons(tmp_path: Path) -> None:
    path = fill_store(tmp_path / "s.duckdb", _add_duplicate_and_future)
    with Store(path) as store:
        reports = {r.family_id: r for r in analyse_store(store)}
    assert reports["dup_fam"].not_analysable is not None
    assert reports["dup_fam"].not_analysable[0] == "duplicate"
    assert reports["future_fam"].not_analysable is not None
    assert reports["future_fam"].not_analysable[0] == "future_date"
    assert reports["no_upstream"].not_analysable is not None
    assert reports["no_upstream"].not_analysable[0] == "no_upstream_commits"
    summary = summarise(list(reports.values()))
    assert summary.analysed == 1
    assert {f for f, _, _ in summary.not_analysable} == {
        "dup_fam", "future_fam", "no_upstream", "ghost_model", "old_clock"}
    assert summary.patterns["Rare Synchronization"] == 1
    assert sum(summary.patterns.values()) == 1


def test_the_demo_registry_runs_the_sync_analysis(store_path: Path) -> None:
    from ptmscope.analyses import run_analyses

    with Store(store_path) as store:
        (summary,) = run_analyses(store, only=("sync",))
        assert summary.name == "sync"
        assert summary.counts["analysed"] == 1
        assert any("Rare Synchronization 1" in line for line in summary.lines)


def test_a_side_with_only_unclassified_commits_has_no_similarity(tmp_path: Path) -> None:
    from ptmscope.sync.terminal import _similarity_text

    def label(message: str, files: list[str], platform: str) -> str:
        return "unclassified" if platform == "github" else "sharing"

    path = fill_store(tmp_path / "s.duckdb")
    with Store(path) as store:
        reports = analyse_store(store, classify=label)
    report = next(r for r in reports if r.family_id == "acme_bert")
    assert report.pattern is not None and report.github_profile.classified == 0
    assert report.similarity is None and report.similarity_tertile is None
    assert _similarity_text(report, "-") == "not measured: no classified commit on GitHub"
    summary = summarise(reports)
    assert sum(summary.similarity_tertiles.values()) == 0
    assert summary.similarity_mean is None
    import jsonschema

    from ptmscope.sync.payload import single_payload

    from .test_cli import schema

    payload = single_payload(report)
    jsonschema.validate(payload, schema("sync"))
    assert payload["family"]["similarity"] == {"jaccard": None, "tertile": None}
    assert payload["family"]["change_types"]["github"]["classified"] == 0


def _add_mirrored_variant(store: Store) -> None:
    """A variant repository that was created by pushing upstream's own git history."""
    from dataclasses import replace

    up = repo(Platform.GITHUB, "mirror/up")
    up.commit(utc(2023, 1, 1), "initial commit", ["README.md"])
    up.commit(utc(2023, 2, 1), "add config", ["config.json"])
    store.write_snapshot(up.snapshot())
    var = repo(Platform.HUGGINGFACE, "mirror/model")
    rid = var.rid
    var.commits = [replace(c, repo_id=rid) for c in up.commits]
    var.touched = [replace(t, repo_id=rid) for t in up.touched]
    var.commit(utc(2023, 3, 1), "Upload model.safetensors", ["model.safetensors"])
    store.write_snapshot(var.snapshot())
    store.write_families([
        FamilyRecord(FamilyId("mirror_fam"), None, repo_id(Platform.GITHUB, "mirror/up"),
                     ("mirror/model",)),
    ])


def test_a_variant_carrying_upstream_history_is_reported(tmp_path: Path) -> None:
    from ptmscope.sync.payload import family_payload

    path = fill_store(tmp_path / "s.duckdb", _add_mirrored_variant)
    with Store(path) as store:
        report = next(r for r in analyse_store(store) if r.family_id == "mirror_fam")
        run_all(store, NullProgress())
        found = [f for f in store.findings("sync", "mirror_fam")
                 if f.rule_id == "sync.shared_history"]
    assert report.links is not None
    shared = report.links.variants[0].shared_history
    assert len(shared) == 2
    assert len(found) == 1 and found[0].details["count"] == 2
    payload = family_payload(report)
    assert payload["links"]["variants"][0]["shared_history"]["count"] == 2
