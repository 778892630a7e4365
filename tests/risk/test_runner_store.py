"""``run_all`` over a store, scanning stored repos' local files, and exit-code table."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ptmscope.cli import app
from ptmscope.progress import NullProgress
from ptmscope.records import (
    FileRecord,
    Platform,
    RepoRecord,
    RepoSnapshot,
    Severity,
    repo_id,
)
from ptmscope.risk.base import Inconclusive, RiskIssue
from ptmscope.risk.exit_codes import determine_exit_code
from ptmscope.risk.runner import run_all
from ptmscope.store import Store

from . import samples as S


def _store(tmp_path: Path) -> tuple[Store, str]:
    folder = tmp_path / "org" / "model"
    folder.mkdir(parents=True)
    (folder / "pytorch_model.bin").write_bytes(S.build_zip([S.Member(
        "archive/data.pkl", S.p2(S.call(S.glob("os", "system"), "id")))]))
    (folder / "config.json").write_bytes(b'{"a": 1}')
    rid = repo_id(Platform.HUGGINGFACE, "org/model")
    store = Store(tmp_path / "s.duckdb")
    store.write_snapshot(RepoSnapshot(
        repo=RepoRecord(rid, Platform.HUGGINGFACE, "org/model", str(folder)),
        files=(*(FileRecord(rid, p.name, p.stat().st_size, local_path=str(p))
                 for p in folder.iterdir()), FileRecord(rid, "missing.bin"))))
    return store, rid


def test_run_all_stores_risk_findings_with_repo_paths(tmp_path):
    store, rid = _store(tmp_path)
    summary = run_all(store, NullProgress())
    findings = store.findings("risk", rid)
    evil = [f for f in findings if f.details.get("construct") == "os.system"]
    assert evil and evil[0].path == "pytorch_model.bin:archive/data.pkl"
    assert evil[0].severity is Severity.CRITICAL and evil[0].details["format"] == "pickle"
    assert summary.counts["repos_flagged"] == 1
    assert sum(f.rule_id == "SCAN-NOT-SCANNED" for f in findings) <= 1  # one per repo at most
    run_all(store, NullProgress())  # idempotent: replaced, not duplicated
    assert len(store.findings("risk", rid)) == len(findings)
    store.close()


def test_scan_a_stored_model_by_name(tmp_path):
    store, _ = _store(tmp_path)
    store.close()
    result = CliRunner().invoke(app, ["scan", "-q", "org/model", "--db",
                                      str(tmp_path / "s.duckdb")])
    assert result.exit_code == 1 and "os.system" in result.output


def test_exit_code_table():
    crit = RiskIssue("R", Severity.CRITICAL, "c", "m", "w")
    low = RiskIssue("R", Severity.LOW, "c", "m", "w")
    inc = Inconclusive("p", "why")
    assert determine_exit_code([], [], 1) == 0
    assert determine_exit_code([low], [], 1) == 0
    assert determine_exit_code([low], [], 1, Severity.LOW) == 1
    assert determine_exit_code([crit], [], 1) == 1
    assert determine_exit_code([crit], [inc], 1) == 2
    assert determine_exit_code([], [], 0) == 2
