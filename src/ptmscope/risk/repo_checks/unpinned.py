"""Unpinned revisions: repository code that downloads other models without ``revision=``.

``from_pretrained("org/name")``, ``hf_hub_download(...)``, ``snapshot_download(...)`` and
``torch.hub.load("owner/repo")`` fetch whatever the other repository's default branch holds
*today*; its owner (or whoever takes over the account) can change what this model runs.
Pinning to a commit sha (``revision="<40 hex>"``, ``torch.hub.load("owner/repo:<sha>")``)
freezes it. Only calls whose target is a literal Hub id are judged (a variable may be a local
path); a branch name (``main``) counts as unpinned, a tag or other name as weakly pinned.
An unpinned load with ``trust_remote_code=True`` is high: the other repository's next push
runs as code here.
"""

from __future__ import annotations

import ast
import re

from ptmscope.records import Finding, Outcome, Severity
from ptmscope.risk.repo_checks import pyast
from ptmscope.risk.repo_checks.base import RepoCheck, RepoFacts

LOADERS = ("from_pretrained", "hf_hub_download", "snapshot_download", "hf_hub_url",
           "cached_download")
REPO_KEYWORDS = ("repo_id", "pretrained_model_name_or_path", "model_id", "path", "repo_or_dir")
MAX_FILES = 200
MAX_FINDINGS = 30
_HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]{0,95}(/[\w.-]{1,96})?")
_SHA = re.compile(r"[0-9a-f]{40}")
_BRANCHES = frozenset({"main", "master", "HEAD", "dev", "develop"})


def _loader_name(target: str, node: ast.Call) -> str | None:
    last = target.rsplit(".", 1)[-1] if target else ""
    if not last and isinstance(node.func, ast.Attribute):
        last = node.func.attr
    if target.endswith("hub.load") or target == "torch.hub.load":
        return "torch.hub.load"
    return last if last in LOADERS else None


def _repo_argument(node: ast.Call) -> str | None:
    value = pyast.const_str(node.args[0]) if node.args else None
    for name in REPO_KEYWORDS:
        value = value or pyast.const_str(pyast.keyword(node, name))
    return value


def judge_call(loader: str, node: ast.Call) -> tuple[Severity, str] | None:
    """(severity, reason) when the call loads a literal Hub id without a commit pin."""
    repo = _repo_argument(node)
    if repo is None or repo.startswith((".", "/", "~")) or not _HUB_ID.fullmatch(
            repo.split(":", 1)[0]):
        return None
    if loader == "torch.hub.load":
        ref = repo.split(":", 1)[1] if ":" in repo else None
    else:
        rev_expr = pyast.keyword(node, "revision")
        if rev_expr is not None and pyast.const_str(rev_expr) is None and not (
                isinstance(rev_expr, ast.Constant) and rev_expr.value is None):
            return None  # computed revision: cannot judge statically
        ref = pyast.const_str(rev_expr)
    remote = pyast.keyword(node, "trust_remote_code")
    runs_code = isinstance(remote, ast.Constant) and remote.value is True
    if ref is None or ref in _BRANCHES:
        how = "no revision" if ref is None else f"branch {ref!r}"
        if runs_code:  # whatever that repository pushes next is executed here
            return Severity.HIGH, f"{loader}({repo!r}, trust_remote_code=True) with {how}"
        return Severity.MEDIUM, f"{loader}({repo!r}) with {how}"
    if _SHA.fullmatch(ref):
        return None
    return Severity.LOW, f"{loader}({repo!r}) pinned to a movable name {ref!r}, not a commit"


def run(facts: RepoFacts) -> list[Finding]:
    """One finding per unpinned load (capped), or a present/not-applicable finding."""
    py_files = [f for f in facts.files if f.path.endswith(".py")][:MAX_FILES]
    if not py_files:
        return [CHECK.finding(facts, Outcome.NOT_APPLICABLE, "no Python files in the repository")]
    findings: list[Finding] = []
    read = 0
    for record in py_files:
        text = facts.read_text(record)
        if text is None:
            continue
        read += 1
        tree = pyast.parse_source(text)
        if isinstance(tree, str):
            continue
        for call in pyast.calls(tree):
            loader = _loader_name(call.target, call.node)
            verdict = judge_call(loader, call.node) if loader else None
            if verdict is None:
                continue
            severity, reason = verdict
            findings.append(CHECK.finding(facts, Outcome.MISSING, f"unpinned download: {reason}",
                                          severity=severity, path=record.path,
                                          location=f"line {call.node.lineno}"))
    if not read:
        return [CHECK.finding(facts, Outcome.NOT_AVAILABLE,
                              f"{len(py_files)} Python files but none readable on disk")]
    if not findings:
        return [CHECK.finding(facts, Outcome.PRESENT,
                              f"{read} Python files: every literal Hub download is pinned")]
    if len(findings) > MAX_FINDINGS:
        extra = len(findings) - MAX_FINDINGS
        findings = [*findings[:MAX_FINDINGS], CHECK.finding(
            facts, Outcome.MISSING, f"{extra} more unpinned downloads not listed")]
    return findings


CHECK = RepoCheck(
    id="REPO-UNPINNED-REVISION",
    title="Unpinned model downloads in code",
    why="code that fetches another repository's default branch runs whatever that repository "
        "holds at load time; a later push (or a hijacked account) changes this model",
    remedy="Pass revision=\"<commit sha>\" to from_pretrained/hf_hub_download/"
           "snapshot_download (or owner/repo:<sha> to torch.hub.load)",
    severity=Severity.MEDIUM,
    run=run,
)
