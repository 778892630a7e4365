"""Audit every stored Hugging Face model: bulk reads, a process pool of pure audits, one writer.

The store is read in a few bulk queries (repos, cards, files, a commit summary per repo), the
work is cut into batches of independent models, and each batch is audited in a worker process
(safetensors headers are read there, bounded; the checks themselves are pure). Workers return
findings and small corpus rows; this process alone writes, with one ``replace_findings`` call,
so a killed run leaves the previous findings in place. A model whose audit fails outright
still gets an ``error`` finding and the rest of the corpus carries on.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.context import BaseContext
from typing import TYPE_CHECKING, Any

from ptmscope.analyses import AnalysisSummary
from ptmscope.attributes.audit import ANALYSIS, ModelAudit, audit_facts, audit_findings
from ptmscope.attributes.corpus import CorpusRow, CorpusView, corpus_row, corpus_view
from ptmscope.attributes.facts import CommitSummary, build_facts
from ptmscope.formats.safetensors import (
    MAX_HEADER_BYTES,
    HeaderProblem,
    ProblemKind,
    SafetensorsHeader,
    read_header,
)
from ptmscope.progress import NullProgress, Progress
from ptmscope.records import (
    CardRecord,
    FileRecord,
    Finding,
    Outcome,
    Platform,
    RepoId,
    RepoRecord,
    Severity,
)

if TYPE_CHECKING:
    from ptmscope.store import Store

#: At most this many safetensors headers are read per model (sharded checkpoints).
MAX_HEADERS_PER_MODEL = 64
#: At most this many header bytes are read per model, over all its shards.
MAX_HEADER_BYTES_PER_MODEL = 256 * 1024 * 1024
#: Below this many models the audit runs in-process (a pool costs more than it saves).
POOL_THRESHOLD = 400
#: Models per unit of work sent to a worker.
BATCH_SIZE = 250


# Bulk reads; "{where}" is one of two fixed clauses chosen in load_inputs (never user text).
_CARDS_SQL = (
    "SELECT repo_id, path, raw_text, yaml_text, metadata, parse_error, truncated "
    "FROM cards WHERE {where}"
)
_FILES_SQL = (
    "SELECT repo_id, path, size, lfs_sha256, lfs_size, local_path FROM files WHERE {where}"
)
_HISTORY_SQL = (
    "SELECT repo_id, count(*), min(committed_at), max(committed_at) FROM commits "
    "WHERE {where} GROUP BY repo_id"
)


@dataclass(frozen=True, slots=True)
class AuditInput:
    """Everything stored about one model that its audit needs (picklable, no store handle)."""

    repo: RepoRecord
    card: CardRecord | None
    files: tuple[FileRecord, ...]
    commits: CommitSummary


def _loads(value: Any) -> Any:
    if value is None or not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return None


def load_inputs(store: Store, repo_ids: Sequence[str] | None = None) -> list[AuditInput]:
    """Read the inputs of every Hugging Face model (or of ``repo_ids``) in bulk."""
    repos = (
        store.list_repos(Platform.HUGGINGFACE)
        if repo_ids is None
        else [r for r in (store.get_repo(rid) for rid in repo_ids) if r is not None]
    )
    wanted = [r.repo_id for r in repos]
    if not wanted:
        return []
    # A join on the repos table beats a 10,000-item list parameter for whole-corpus reads.
    where = (
        "repo_id IN (SELECT repo_id FROM repos WHERE platform = 'huggingface')"
        if repo_ids is None
        else "list_contains(?, repo_id)"
    )
    params: list[Any] = [] if repo_ids is None else [wanted]
    cards: dict[str, CardRecord] = {}
    for row in store.query(
        _CARDS_SQL.replace("{where}", where),
        params,
    ):
        cards[row[0]] = CardRecord(
            repo_id=RepoId(row[0]), path=row[1], raw_text=row[2] or "", yaml_text=row[3],
            metadata=_loads(row[4]), body="", parse_error=row[5], truncated=bool(row[6]),
        )
    files: dict[str, list[FileRecord]] = {}
    for row in store.query(
        _FILES_SQL.replace("{where}", where),
        params,
    ):
        files.setdefault(row[0], []).append(
            FileRecord(repo_id=RepoId(row[0]), path=row[1], size=row[2], lfs_sha256=row[3],
                       lfs_size=row[4], local_path=row[5])
        )
    history: dict[str, tuple[int, datetime | None, datetime | None]] = {
        row[0]: (int(row[1]), row[2], row[3])
        for row in store.query(
            _HISTORY_SQL.replace("{where}", where),
            params,
        )
    }
    out: list[AuditInput] = []
    for repo in repos:
        count, first, last = history.get(repo.repo_id, (0, None, None))
        summary = CommitSummary(count, _utc(first), _utc(last), repo.has_git_history or count > 0)
        out.append(AuditInput(repo, cards.get(repo.repo_id), tuple(files.get(repo.repo_id, ())),
                              summary))
    return out


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def read_headers(files: Sequence[FileRecord]) -> tuple[SafetensorsHeader | HeaderProblem, ...]:
    """Read the safetensors headers available on disk (bounded count and size)."""
    out: list[SafetensorsHeader | HeaderProblem] = []
    budget = MAX_HEADER_BYTES_PER_MODEL
    for record in files:
        if not record.path.lower().endswith(".safetensors"):
            continue
        if len(out) >= MAX_HEADERS_PER_MODEL:
            break
        if record.local_path is None:
            out.append(HeaderProblem(record.path, "file not on disk (listing only)",
                                   ProblemKind.NOT_LOCAL))
            continue
        if budget <= 0:
            out.append(HeaderProblem(record.path, "header budget for this model used up",
                                   ProblemKind.SKIPPED))
            continue
        limit = min(budget, MAX_HEADER_BYTES)
        header = read_header(record.local_path, record.path, max_bytes=limit)
        if isinstance(header, SafetensorsHeader):
            budget -= header.header_bytes
        out.append(header)
    return tuple(out)


def audit_input(item: AuditInput, as_of: datetime | None = None) -> ModelAudit:
    """Audit one model from its stored records (reads its safetensors headers)."""
    facts = build_facts(item.repo, item.card, item.files, item.commits,
                        read_headers(item.files), as_of)
    return audit_facts(facts)


def _failure(item: AuditInput, err: BaseException) -> Finding:
    return Finding(
        analysis=ANALYSIS, rule_id="audit", subject=item.repo.repo_id, severity=Severity.MEDIUM,
        outcome=Outcome.ERROR, message=f"audit failed: {type(err).__name__}: {err}"[:300],
    )


#: A finding as workers send it back: plain strings and one dict pickle far faster than frozen
#: slotted dataclasses and enums (10,000 models make 300,000 findings).
PackedFinding = tuple[str, str, str, str, str, str | None, str | None, dict[str, Any]]


def pack(finding: Finding) -> PackedFinding:
    """A finding as a plain tuple (for the trip from a worker process)."""
    return (finding.subject, finding.rule_id, finding.severity.value, finding.outcome.value,
            finding.message, finding.path, finding.location, dict(finding.details))


def unpack(packed: PackedFinding) -> Finding:
    """The finding a :func:`pack` tuple stands for."""
    subject, rule_id, severity, outcome, message, path, location, details = packed
    return Finding(ANALYSIS, rule_id, subject, Severity(severity), Outcome(outcome), message,
                   path, location, details)


def audit_batch(
    items: Sequence[AuditInput], as_of: datetime | None
) -> tuple[list[PackedFinding], list[CorpusRow]]:
    """Audit a batch (the unit of work a worker runs); one model's failure stays its own."""
    findings: list[PackedFinding] = []
    rows: list[CorpusRow] = []
    for item in items:
        try:
            audit = audit_input(item, as_of)
        except Exception as err:  # the rest of the corpus must still run
            findings.append(pack(_failure(item, err)))
            continue
        findings += [pack(f) for f in audit_findings(audit)]
        rows.append(corpus_row(audit))
    return findings, rows


def _batches(items: Sequence[AuditInput], size: int) -> Iterator[Sequence[AuditInput]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _pool_context() -> BaseContext:
    """``fork`` where it exists: workers start instantly with every module already imported
    and never re-run the caller's ``__main__``. They only run pure code on pickled inputs
    (never the inherited DuckDB connection), which is what makes fork safe here."""
    methods = get_all_start_methods()
    return get_context("fork" if "fork" in methods else "spawn")


def audit_all(
    items: Sequence[AuditInput],
    progress: Progress | None = None,
    workers: int | None = None,
    as_of: datetime | None = None,
) -> tuple[list[Finding], list[CorpusRow]]:
    """Audit many models, in a process pool when there are enough of them.

    Args:
        items: the models.
        progress: told once per batch.
        workers: worker processes (default: the CPU count); 1 forces in-process.
        as_of: the reference time for recency checks.
    """
    progress = progress or NullProgress()
    progress.start("auditing reuse attributes", total=len(items))
    findings: list[Finding] = []
    rows: list[CorpusRow] = []
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count <= 1 or len(items) < POOL_THRESHOLD:
        for batch in _batches(items, 50):
            got, got_rows = audit_batch(batch, as_of)
            findings += [unpack(p) for p in got]
            rows += got_rows
            progress.advance(len(batch))
    else:
        size = max(20, min(BATCH_SIZE, len(items) // (count * 4) or 1))
        with ProcessPoolExecutor(max_workers=count, mp_context=_pool_context()) as pool:
            futures: list[tuple[Future[tuple[list[PackedFinding], list[CorpusRow]]], int]] = [
                (pool.submit(audit_batch, batch, as_of), len(batch))
                for batch in _batches(items, size)
            ]
            for future, size_done in futures:
                got, got_rows = future.result()
                findings += [unpack(p) for p in got]
                rows += got_rows
                progress.advance(size_done)
    progress.finish()
    return findings, rows


def summary_lines(view: CorpusView, written: int) -> tuple[str, ...]:
    """A few human lines about a corpus audit, for the demo summary."""
    if view.models == 0:
        return ("no Hugging Face model in the store to audit",)
    worst = sorted(view.attributes, key=lambda a: -a.share_missing)[:3]
    return (
        f"audited {view.models} model(s), {written} finding(s) stored",
        "most often missing: "
        + ", ".join(f"{a.attribute.lower()} {a.share_missing:.0%}" for a in worst),
        f"machine-parseable performance claims: {view.with_claims} of {view.models} "
        f"({view.claims_share:.1%})",
    )


def run_all(
    store: Store, progress: Progress | None = None, workers: int | None = None
) -> AnalysisSummary:
    """Audit every stored Hugging Face model and store the findings (``analysis="attributes"``).

    Args:
        store: the store to read and write.
        progress: progress sink (the CLI passes a rich one).
        workers: worker processes; default the CPU count.
    Returns:
        the demo summary with counts (models, findings, missing per check, with_claims).
    """
    items = load_inputs(store)
    findings, rows = audit_all(items, progress, workers, as_of=datetime.now(UTC))
    written = store.replace_findings(ANALYSIS, [i.repo.repo_id for i in items], findings)
    view = corpus_view(rows)
    return AnalysisSummary(
        name=ANALYSIS,
        lines=summary_lines(view, written),
        counts={
            "models": view.models,
            "findings": written,
            "with_claims": view.with_claims,
            "missing": {a.check_id: a.missing for a in view.attributes},
        },
    )
