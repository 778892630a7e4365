"""run_all over a store: findings written in bulk, bad inputs survive, the pool agrees."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from ptmscope.attributes import runner
from ptmscope.attributes.registry import CHECKS
from ptmscope.attributes.runner import audit_all, load_inputs, run_all
from ptmscope.records import Outcome, RepoSnapshot
from ptmscope.store import Store

from .factories import BAD_CARDS, GOOD_CARD, snapshot, zeroed_safetensors

MakeStore = Callable[[Sequence[RepoSnapshot]], Path]


def corpus(folder: Path) -> list[RepoSnapshot]:
    weights = zeroed_safetensors({"w": ("F32", [10, 10]), "b": ("F32", [10])})
    snaps = [
        snapshot("org/good", GOOD_CARD, {"README.md": GOOD_CARD.encode(),
                                         "model.safetensors": weights}, folder,
                 downloads=5, likes=1, pipeline_tag="text-classification"),
    ]
    for index, (label, text) in enumerate(BAD_CARDS):
        snaps.append(snapshot(f"bad/{label}", text, {"config.json": b"{}"}, folder,
                              commits=index % 3))
    return snaps


def test_run_all_stores_one_finding_per_check_per_model_and_survives_bad_input(
    make_store: MakeStore, tmp_path: Path
) -> None:
    db = make_store(corpus(tmp_path / "files"))
    with Store(db) as store:
        summary = run_all(store, workers=1)
        findings = store.findings("attributes")
        assert summary.counts["models"] == len(BAD_CARDS) + 1
        assert len(findings) == summary.counts["findings"] == (len(BAD_CARDS) + 1) * len(CHECKS)
        assert not [f for f in findings if f.outcome is Outcome.ERROR]
        size = next(f for f in findings if f.subject == "huggingface:org/good"
                and f.rule_id == "size-parameters")
        assert size.outcome is Outcome.PRESENT and size.details["parameters"] == 110
        licence = next(f for f in findings if f.subject == "huggingface:bad/no-card"
                   and f.rule_id == "licence")
        assert licence.outcome is Outcome.MISSING and "no model card" in licence.message
        assert licence.details["remedy"] and licence.details["category"] == "portability"
        claims = next(f for f in findings if f.subject == "huggingface:org/good"
                  and f.rule_id == "claims-valid")
        assert claims.details["claims"][0]["value"] == 0.925
        # Re-running replaces rather than duplicates.
        run_all(store, workers=1)
        assert len(store.findings("attributes")) == len(findings)
        assert summary.lines and "machine-parseable" in summary.lines[-1]


def test_the_process_pool_gives_the_same_results(
    make_store: MakeStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = make_store(corpus(tmp_path / "files"))
    with Store(db, read_only=True) as store:
        items = load_inputs(store)
    serial, serial_rows = audit_all(items, workers=1)
    monkeypatch.setattr(runner, "POOL_THRESHOLD", 2)
    pooled, pooled_rows = audit_all(items, workers=2)
    key = lambda f: (f.subject, f.rule_id)  # noqa: E731
    assert sorted(map(key, serial)) == sorted(map(key, pooled))
    assert [(f.outcome, f.message) for f in sorted(serial, key=key)] == [
        (f.outcome, f.message) for f in sorted(pooled, key=key)]
    assert [r.repo_id for r in serial_rows] == [r.repo_id for r in pooled_rows]


def test_a_model_whose_audit_crashes_gets_an_error_finding_and_the_rest_runs(
    make_store: MakeStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = make_store(corpus(tmp_path / "files"))
    real = runner.audit_input

    def flaky(item, as_of=None):  # type: ignore[no-untyped-def]
        if item.repo.name == "bad/empty-card":
            raise MemoryError("simulated")
        return real(item, as_of)

    monkeypatch.setattr(runner, "audit_input", flaky)
    with Store(db) as store:
        summary = run_all(store, workers=1)
        failed = store.findings("attributes", "huggingface:bad/empty-card")
        assert [f.rule_id for f in failed] == ["audit"] and failed[0].outcome is Outcome.ERROR
        assert summary.counts["models"] == len(BAD_CARDS)


def test_an_empty_store_gives_an_empty_summary(make_store: MakeStore) -> None:
    with Store(make_store([])) as store:
        summary = run_all(store)
    assert summary.counts["models"] == 0 and "no Hugging Face model" in summary.lines[0]
