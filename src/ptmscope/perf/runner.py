"""Run the cheap perf checks over every stored Hugging Face model (no eval extra needed).

For each model the runner reads its file list and card from the store, reads the headers of
its local safetensors files (bounded, never the weights), runs every check of
``cheap_checks.registry.CHECKS`` and replaces the model's ``perf`` findings, keeping those
``ptmscope verify`` wrote (re-running the cheap checks must not erase measured results).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from ptmscope.analyses import AnalysisSummary
from ptmscope.formats.safetensors import HeaderProblem, ProblemKind, SafetensorsHeader, read_header
from ptmscope.perf.cheap_checks.base import CheckContext
from ptmscope.perf.cheap_checks.registry import CHECKS
from ptmscope.perf.verify import VERIFY_RULE_ID
from ptmscope.progress import NullProgress, Progress
from ptmscope.records import FileRecord, Finding, Outcome, Platform, RepoRecord, Severity
from ptmscope.store import Store

#: Safetensors files read per model at most (sharded giants have hundreds of shards).
MAX_HEADER_FILES = 256


def local_file(repo: RepoRecord, file: FileRecord) -> Path | None:
    """The file on disk: its ``local_path``, else under the repo's source folder."""
    if file.local_path and Path(file.local_path).is_file():
        return Path(file.local_path)
    source = Path(repo.source)
    if source.is_dir() and ".." not in Path(file.path).parts:
        candidate = source / file.path
        if candidate.is_file():
            return candidate
    return None


def read_headers(repo: RepoRecord, files: Sequence[FileRecord]
                 ) -> dict[str, SafetensorsHeader | HeaderProblem]:
    """Headers of a model's safetensors files, or why each is unreadable (I/O, bounded)."""
    out: dict[str, SafetensorsHeader | HeaderProblem] = {}
    for file in [f for f in files if f.path.endswith(".safetensors")][:MAX_HEADER_FILES]:
        path = local_file(repo, file)
        if path is None:
            out[file.path] = HeaderProblem(file.path, "not available locally",
                                           ProblemKind.NOT_LOCAL)
        else:
            out[file.path] = read_header(path, file.path)
    return out


def check_model(ctx: CheckContext) -> tuple[Finding, ...]:
    """Run every registered cheap check on one model (a failing check becomes an error)."""
    out: list[Finding] = []
    for check in CHECKS:
        try:
            out.extend(check.run(ctx))
        except Exception as err:  # one broken check must not stop the others
            out.append(check.finding(ctx, Outcome.ERROR,
                                     f"check failed: {type(err).__name__}: {err}"[:300]))
    return tuple(out)


def run_all(store: Store, progress: Progress | None = None) -> AnalysisSummary:
    """Run the cheap checks for every stored Hugging Face model and store the findings.

    Args:
        store: the store (read and written).
        progress: progress reporting.
    Returns:
        the summary for the demo (models checked, findings by outcome).
    """
    progress = progress or NullProgress()
    repos = store.list_repos(Platform.HUGGINGFACE)
    progress.start("perf: cheap checks", total=len(repos))
    outcomes: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    written = 0
    try:
        for repo in repos:
            files = tuple(store.files(repo.repo_id))
            ctx = CheckContext(repo, files, store.card(repo.repo_id), read_headers(repo, files))
            findings = check_model(ctx)
            kept = [f for f in store.findings("perf", repo.repo_id) if f.rule_id == VERIFY_RULE_ID]
            written += store.replace_findings("perf", [repo.repo_id], [*findings, *kept])
            for f in findings:
                outcomes[f.outcome.value] += 1
                if f.outcome is Outcome.MISSING and f.severity is not Severity.INFO:
                    failed[f.rule_id] += 1
            progress.advance(1, repo.name)
    finally:
        progress.finish()
    lines = [f"{len(repos)} models: {sum(failed.values())} failed cheap claim checks"]
    lines += [f"  {rule}: {n}" for rule, n in sorted(failed.items())]
    return AnalysisSummary("perf", tuple(lines), {
        "models": len(repos), "findings": written, **dict(outcomes),
        "failed_by_rule": dict(failed)})
