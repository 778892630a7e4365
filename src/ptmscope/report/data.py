"""Read what a report needs from the store into frozen dataclasses.

``load_report_data(store)`` is the only function here that touches the store; everything it
returns is plain frozen data, so the renderers in ``ptmscope.report.html`` (and the JSON
format) are pure functions of a ``ReportData`` and test without a database.

Other analyses write their findings in parallel and may change the keys of
``Finding.details``; this module therefore reads details defensively (a missing key becomes
``None`` and the report shows "n/a"), and never fails because one analysis has not run.
"""

from __future__ import annotations

import importlib
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from ptmscope import __version__
from ptmscope.progress import NullProgress, Progress
from ptmscope.records import (
    SEVERITY_ORDER,
    CommitFileRecord,
    CommitRecord,
    FamilyRecord,
    FileRecord,
    Finding,
    Outcome,
    Platform,
    RepoRecord,
)
from ptmscope.store import Store

#: Width of a timeline bin in days (sync-spec.md, "Time bins").
BIN_DAYS = 14

#: Label used when a commit's change type cannot be told (no classifier, or it failed).
UNCLASSIFIED = "unclassified"

#: Maturity tertiles of sync-spec.md ("Similarity and maturity"): mean variant lifetime in
#: days. The published ranges leave 441-451 open; **(ours)** anything above 440 is Matured.
MATURITY_TERTILES: tuple[tuple[str, int], ...] = (("Recent", 116), ("Intermediate", 440))
MATURITY_TOP = "Matured"
MATURITY_ORDER: tuple[str, ...] = ("Recent", "Intermediate", "Matured", "n/a")

#: Analyses the model section shows in their own tables; anything else goes to "other".
MODEL_ANALYSES = ("attributes", "risk", "perf")

#: File formats recognised by name, for the "files and formats" table (display only: the
#: risk scanner decides formats by content).
_FORMAT_BY_SUFFIX: tuple[tuple[str, str], ...] = (
    (".safetensors", "safetensors"),
    (".bin", "pytorch/pickle"),
    (".pt", "pytorch"),
    (".pth", "pytorch"),
    (".ckpt", "checkpoint"),
    (".pkl", "pickle"),
    (".pickle", "pickle"),
    (".joblib", "joblib"),
    (".npy", "numpy"),
    (".npz", "numpy"),
    (".onnx", "onnx"),
    (".gguf", "gguf"),
    (".h5", "keras/h5"),
    (".keras", "keras"),
    (".pb", "tensorflow"),
    (".msgpack", "flax"),
    (".tflite", "tflite"),
    (".json", "json"),
    (".yaml", "yaml"),
    (".yml", "yaml"),
    (".md", "markdown"),
    (".py", "python"),
    (".txt", "text"),
    (".model", "sentencepiece"),
)

#: Suffixes of weight files (the BOM hashes these).
WEIGHT_FORMATS = frozenset(
    {"safetensors", "pytorch/pickle", "pytorch", "checkpoint", "pickle", "joblib", "numpy",
     "onnx", "gguf", "keras/h5", "keras", "tensorflow", "flax", "tflite"}
)


def file_format(path: str) -> str:
    """A display name for the format of ``path``, guessed from its name.

    >>> file_format("model.safetensors")
    'safetensors'
    >>> file_format("LICENSE")
    'other'
    """
    lower = path.lower()
    for suffix, name in _FORMAT_BY_SUFFIX:
        if lower.endswith(suffix):
            return name
    return "other"


@dataclass(frozen=True, slots=True)
class FileView:
    """One file of a model as the report shows it.

    Attributes:
        size: the real size in bytes (the LFS object's for pointers), or None.
        format: a display format name (see ``file_format``).
        lfs: True when stored as a Git LFS pointer.
        sha256: the LFS object's sha256 when known.
        local_path: where the file is on disk, when it is (used by the BOM to hash it).
    """

    path: str
    size: int | None
    format: str
    lfs: bool
    sha256: str | None
    local_path: str | None = None

    @property
    def is_weights(self) -> bool:
        """True for model weight files (by name)."""
        return self.format in WEIGHT_FORMATS


@dataclass(frozen=True, slots=True)
class ModelView:
    """One repository (a model, or an upstream code repo) and everything found about it.

    Attributes:
        task: the pipeline tag from the card or the platform metadata.
        license: the licence declared in the card metadata.
        card_state: ``present``, ``missing`` or ``unparsable``.
        card_excerpt: the start of the card body (hostile text: escape when rendering).
        findings: analysis name -> findings about this repo (most severe first).
        family_ids: families the repo belongs to.
    """

    repo: RepoRecord
    task: str | None
    license: str | None
    card_state: str
    card_excerpt: str
    card_metadata: Mapping[str, Any]
    commit_count: int
    last_commit: datetime | None
    files: tuple[FileView, ...]
    findings: Mapping[str, tuple[Finding, ...]]
    family_ids: tuple[str, ...] = ()

    def of(self, analysis: str) -> tuple[Finding, ...]:
        """Findings of one analysis (empty when none)."""
        return self.findings.get(analysis, ())

    @property
    def other_findings(self) -> tuple[Finding, ...]:
        """Findings of analyses that have no table of their own."""
        return tuple(
            f for name, found in sorted(self.findings.items())
            if name not in MODEL_ANALYSES for f in found
        )

    @property
    def finding_count(self) -> int:
        """How many findings there are about this repo, over all analyses."""
        return sum(len(found) for found in self.findings.values())


@dataclass(frozen=True, slots=True)
class BinCell:
    """One active two-week bin of one timeline row.

    Attributes:
        bin: bin number from the family's ``t0``.
        commits: how many commits fall in it.
        change_type: the most frequent change type in the bin.
        type_counts: change type -> commits, most frequent first.
        sample: the subject of the bin's first commit (hostile text).
    """

    bin: int
    commits: int
    change_type: str
    type_counts: tuple[tuple[str, int], ...]
    sample: str


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """The GitHub row or one variant's row of a family timeline."""

    label: str
    platform: Platform
    repo_id: str
    stored: bool
    cells: tuple[BinCell, ...]
    first_commit: datetime | None = None
    last_commit: datetime | None = None


@dataclass(frozen=True, slots=True)
class Staleness:
    """How far one variant is behind its upstream.

    Attributes:
        upstream_commits_after: upstream commits made after the variant's last commit.
        stale_files: files the sync analysis found older than upstream's (``sync.stale_file``).
        days_behind: days from the variant's last commit to the upstream's last commit
            (0 when the variant moved last); None when either side has no commits.
    """

    variant: str
    last_commit: datetime | None
    upstream_commits_after: int | None
    days_behind: int | None
    stale_files: int = 0


@dataclass(frozen=True, slots=True)
class SyncSummary:
    """The synchronization facts of a family, from the sync findings (None = n/a)."""

    pattern: str | None = None
    sync_type: str | None = None
    intensity: str | None = None
    lag: str | None = None
    switch_lag_count: int | None = None
    switch_lag_mean: float | None = None
    switch_lag_median: float | None = None
    similarity: float | None = None
    maturity: str = "n/a"
    maturity_days: float | None = None


@dataclass(frozen=True, slots=True)
class FamilyView:
    """One family: its timeline rows, sync summary, staleness and findings."""

    family: FamilyRecord
    t0: date | None
    bin_count: int
    rows: tuple[TimelineRow, ...]
    sync: SyncSummary
    staleness: tuple[Staleness, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class MissingByTask:
    """The heatmap of missing attributes: share of models per task lacking each attribute.

    Attributes:
        tasks / attributes: the row and column labels.
        missing / total: ``missing[i][j]`` of ``total[i][j]`` models of task i lack attribute j.
    """

    tasks: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()
    missing: tuple[tuple[int, ...], ...] = ()
    total: tuple[tuple[int, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class CorpusView:
    """Figures over the whole store.

    Attributes:
        pattern_counts: (pattern, families), most frequent first.
        pattern_by_maturity: (maturity, pattern, families).
        change_types: (platform, change type, commits).
    """

    pattern_counts: tuple[tuple[str, int], ...] = ()
    pattern_by_maturity: tuple[tuple[str, str, int], ...] = ()
    change_types: tuple[tuple[str, str, int], ...] = ()
    missing_by_task: MissingByTask = field(default_factory=MissingByTask)


@dataclass(frozen=True, slots=True)
class Overview:
    """Headline counts.

    Attributes:
        severity_counts: (analysis, severity, findings) for every pair with findings.
    """

    models: int
    upstream_repos: int
    families: int
    commits: int
    files: int
    findings: int
    severity_counts: tuple[tuple[str, str, int], ...]
    analyses: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything one report shows.

    Attributes:
        models: Hugging Face repos; ``repos``: other (GitHub) repos.
        classifier: the change-type classifier used ("" when none was available).
        notes: remarks for the reader (an analysis that has not run...).
    """

    generated_at: datetime
    tool_version: str
    store_path: str
    overview: Overview
    models: tuple[ModelView, ...]
    repos: tuple[ModelView, ...]
    families: tuple[FamilyView, ...]
    corpus: CorpusView
    classifier: str = ""
    notes: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when the store holds no repository and no family."""
        return not self.models and not self.repos and not self.families


# --- defensive reading of details ----------------------------------------------------------------
def detail(finding: Finding, *keys: str) -> Any:
    """The first of ``keys`` present (and not None) in ``finding.details``, else None."""
    for key in keys:
        value = finding.details.get(key)
        if value is not None:
            return value
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except (TypeError, ValueError):
        return None


# --- change types --------------------------------------------------------------------------------
ChangeClassifier = Callable[[CommitRecord, Sequence[str], Platform], str]


def load_change_classifier() -> tuple[ChangeClassifier | None, str]:
    """The sync layer's commit classifier, wrapped to return a type name, when importable.

    Returns ``(None, "")`` when ``ptmscope.sync.change_types.classify_commit`` is absent, so
    timelines fall back to one colour.
    """
    try:  # imported by name: the sync layer is written in parallel and may be absent
        change_types = importlib.import_module("ptmscope.sync.change_types")
    except ImportError:
        return None, ""
    classify: Any = getattr(change_types, "classify_commit", None)
    if classify is None:
        return None, ""

    # Corpora repeat commits verbatim ("Update README.md", Hub upload messages): the sync
    # layer's memo classifies each distinct (platform, message, files) shape once per report.
    cached: Any = importlib.import_module("ptmscope.sync.profile").CachedClassifier(classify)

    def wrapped(commit: CommitRecord, paths: Sequence[str], platform: Platform) -> str:
        return _type_name(cached(commit.message, list(paths), platform.value))

    return wrapped, "ptmscope.sync.change_types.classify_commit"


def _type_name(result: Any) -> str:
    """Turn whatever the classifier returns (enum, str, tuple, record) into a type name."""
    if isinstance(result, tuple) and result:
        result = result[0]
    for attr in ("change_type", "type", "kind"):
        inner = getattr(result, attr, None)
        if inner is not None and not callable(inner):
            result = inner
            break
    value = getattr(result, "value", result)
    text = str(value).strip() if value is not None else ""
    return text.replace("_", " ") or UNCLASSIFIED


def classify_commits(
    commits: Sequence[CommitRecord],
    files: Sequence[CommitFileRecord],
    platform: Platform,
    classifier: ChangeClassifier | None,
) -> dict[str, str]:
    """Commit sha -> change type name (``UNCLASSIFIED`` without a classifier or on failure)."""
    paths: dict[str, list[str]] = defaultdict(list)
    for row in files:
        paths[row.sha].append(row.path)
    out: dict[str, str] = {}
    for commit in commits:
        if classifier is None:
            out[commit.sha] = UNCLASSIFIED
            continue
        try:
            out[commit.sha] = classifier(commit, paths.get(commit.sha, []), platform)
        except Exception:  # another layer's bug must not break the report
            out[commit.sha] = UNCLASSIFIED
    return out


# --- timelines -----------------------------------------------------------------------------------
def utc_day(moment: datetime) -> date:
    """The UTC calendar day of ``moment`` (sync-spec.md: binning uses UTC days)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).date()


def bin_of(day: date, t0: date) -> int:
    """The two-week bin of ``day`` counted from ``t0``."""
    return (day - t0).days // BIN_DAYS


def build_row(
    label: str,
    platform: Platform,
    rid: str,
    commits: Sequence[CommitRecord] | None,
    types: Mapping[str, str],
    t0: date,
) -> TimelineRow:
    """One timeline row: the row's commits grouped into bins from ``t0``."""
    if commits is None:
        return TimelineRow(label, platform, rid, stored=False, cells=())
    by_bin: dict[int, list[CommitRecord]] = defaultdict(list)
    for commit in commits:
        by_bin[bin_of(utc_day(commit.committed_at), t0)].append(commit)
    cells = []
    for number in sorted(by_bin):
        group = by_bin[number]
        counts = Counter(types.get(c.sha, UNCLASSIFIED) for c in group)
        ranked = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        cells.append(BinCell(number, len(group), ranked[0][0], ranked, group[0].subject))
    return TimelineRow(
        label, platform, rid, stored=True, cells=tuple(cells),
        first_commit=commits[0].committed_at if commits else None,
        last_commit=commits[-1].committed_at if commits else None,
    )


#: The sync rule whose findings name a variant's stale files.
STALE_FILE_RULE = "sync.stale_file"


def staleness(upstream: Sequence[CommitRecord] | None, row: TimelineRow,
              variant_commits: Sequence[CommitRecord] | None,
              findings: Sequence[Finding] = ()) -> Staleness:
    """How far the variant of ``row`` is behind the upstream commits."""
    stale_files = sum(1 for f in findings
                      if f.rule_id == STALE_FILE_RULE and detail(f, "variant") == row.label)
    if not upstream or not variant_commits:
        return Staleness(row.label, row.last_commit, None, None, stale_files)
    last = variant_commits[-1].committed_at
    after = sum(1 for c in upstream if c.committed_at > last)
    days = max(0, (utc_day(upstream[-1].committed_at) - utc_day(last)).days)
    return Staleness(row.label, last, after, days, stale_files)


def maturity_label(days: float | None) -> str:
    """The maturity tertile of a mean variant lifetime in days (see ``MATURITY_TERTILES``)."""
    if days is None:
        return "n/a"
    for label, upper in MATURITY_TERTILES:
        if days <= upper:
            return label
    return MATURITY_TOP


def _nested(value: Any, *keys: str) -> Any:
    """``value[k]`` for the first key present when ``value`` is a mapping, else ``value``.

    Sync details give some facts either flat (``"similarity": 0.4``) or nested
    (``"similarity": {"jaccard": 0.4, "tertile": "Moderate"}``); both read the same.
    """
    if isinstance(value, Mapping):
        for key in keys:
            if value.get(key) is not None:
                return value[key]
        return None
    return value


def summarise_sync(findings: Sequence[Finding], rows: Sequence[TimelineRow]) -> SyncSummary:
    """Merge the sync findings of a family into one summary (first value of each key wins).

    Reads the keys the sync analysis writes (``pattern``, ``code``, ``sync_type``,
    ``intensity``, ``lag``, ``switch_lags`` {days, count, mean, median} or
    ``switch_lags_days``, ``similarity`` {jaccard}, ``maturity`` {group, average_age_days},
    ``not_analysable`` {reason}); anything absent stays None. Without a maturity from sync,
    the mean variant lifetime is computed from the timeline rows.
    """

    def first(*keys: str) -> Any:
        for finding in findings:
            value = detail(finding, *keys)
            if value is not None:
                return value
        return None

    lags = _nested(first("switch_lags_days", "switch_lags"), "days")
    lag_values = [v for v in (_number(x) for x in lags) if v is not None] if isinstance(
        lags, list) else []
    lifetimes = [
        (utc_day(r.last_commit) - utc_day(r.first_commit)).days
        for r in rows
        if r.platform is Platform.HUGGINGFACE and r.first_commit and r.last_commit
    ]
    maturity = first("maturity")
    maturity_days = _number(_nested(maturity, "average_age_days", "days")) or _number(
        first("maturity_days"))
    if maturity_days is None and lifetimes:
        maturity_days = sum(lifetimes) / len(lifetimes)
    label = _text(_nested(maturity, "group", "label")) or maturity_label(maturity_days)
    pattern = _text(first("pattern_name", "pattern"))
    code = _text(first("code"))
    if pattern is None:
        reason = _nested(first("not_analysable"), "reason") or first("reason")
        pattern = None if reason is None else f"not analysable ({reason})"
    elif code and code not in pattern:
        pattern = f"{pattern} ({code})"
    return SyncSummary(
        pattern=pattern,
        sync_type=_text(first("sync_type")),
        intensity=_text(first("intensity")),
        lag=_text(first("lag")),
        switch_lag_count=len(lag_values) if lags is not None else None,
        switch_lag_mean=statistics.fmean(lag_values) if lag_values else None,
        switch_lag_median=statistics.median(lag_values) if lag_values else None,
        similarity=_number(_nested(first("similarity", "change_type_similarity"), "jaccard")),
        maturity=label,
        maturity_days=maturity_days,
    )


def sync_change_type_counts(findings: Sequence[Finding]) -> dict[str, dict[str, int]] | None:
    """Per-platform change-type counts the sync analysis stored for a family, if any."""
    for finding in findings:
        profiles = finding.details.get("change_types")
        if not isinstance(profiles, Mapping):
            continue
        out: dict[str, dict[str, int]] = {}
        for platform, profile in profiles.items():
            counts = _nested(profile, "counts")
            if isinstance(counts, Mapping):
                out[str(platform)] = {
                    str(k): int(n) for k, n in counts.items()
                    if isinstance(n, int) and not isinstance(n, bool) and n > 0
                }
        return out
    return None


# --- the loader ----------------------------------------------------------------------------------
class RepoReads:
    """The rows of a batch of repositories, read with one query per table.

    A report over a whole study reads thousands of repositories; one query per repository
    and table costs milliseconds each, one per batch almost nothing. Batches keep memory
    bounded (``BATCH_REPOS`` repositories' commits at a time).
    """

    def __init__(self, store: Store, rids: Sequence[str], *, history: bool) -> None:
        """``history``: the commits and their files (family timelines); otherwise the card,
        files at HEAD and commit counts (model sections). Only what is asked is read."""
        self.cards = {} if history else store.cards_of(rids)
        self.files = {} if history else store.files_of(rids)
        self.stats = {} if history else store.commit_stats_of(rids)
        self.commits = store.commits_of(rids) if history else {}
        self.commit_files = store.commit_files_of(rids) if history else {}


#: Repositories read per batch by ``load_report_data``.
BATCH_REPOS = 250


def _batches(items: Sequence[Any], size: int = BATCH_REPOS) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _card_facts(reads: RepoReads, repo: RepoRecord) -> tuple[str, str, Mapping[str, Any]]:
    card = reads.cards.get(repo.repo_id)
    if card is None:
        return "missing", "", {}
    if card.yaml_text is not None and card.metadata is None:
        return "unparsable", card.body[:600], {}
    return "present", card.body[:600], dict(card.metadata or {})


def _as_label(value: Any) -> str | None:
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value[:5])
    return None if value in (None, "") else str(value)


def model_view(reads: RepoReads, repo: RepoRecord, findings: Sequence[Finding],
               family_ids: Sequence[str]) -> ModelView:
    """Pair one repo's card, files and commit facts (from ``reads``) with its findings."""
    state, excerpt, meta = _card_facts(reads, repo)
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[finding.analysis].append(finding)
    files = tuple(_file_view(f) for f in reads.files.get(repo.repo_id, ()))
    count, last = reads.stats.get(repo.repo_id, (0, None))
    return ModelView(
        repo=repo,
        task=_as_label(meta.get("pipeline_tag") or repo.metadata.get("pipeline_tag")),
        license=_as_label(meta.get("license") or repo.metadata.get("license")),
        card_state=state,
        card_excerpt=excerpt,
        card_metadata=meta,
        commit_count=int(count or 0),
        last_commit=last,
        files=files,
        findings={k: tuple(v) for k, v in sorted(grouped.items())},
        family_ids=tuple(family_ids),
    )


def _file_view(record: FileRecord) -> FileView:
    return FileView(
        path=record.path, size=record.real_size, format=file_format(record.path),
        lfs=record.is_lfs_pointer, sha256=record.lfs_sha256, local_path=record.local_path,
    )


def family_view(
    reads: RepoReads,
    stored: frozenset[str],
    family: FamilyRecord,
    findings: Sequence[Finding],
    classifier: ChangeClassifier | None,
    type_sink: Counter[tuple[str, str]],
) -> FamilyView:
    """Build one family's timeline (two-week bins from its earliest commit), sync summary
    and staleness; add its change-type counts per platform to ``type_sink`` (the sync
    analysis's counts when it stored them, else our classification of each commit)."""
    members: list[tuple[str, Platform, str]] = []
    if family.upstream_repo_id:
        members.append(("GitHub: " + family.upstream_repo_id.split(":", 1)[1],
                        Platform.GITHUB, family.upstream_repo_id))
    members += [(v, Platform.HUGGINGFACE, rid)
                for v, rid in zip(family.variants, family.variant_repo_ids, strict=True)]
    history: dict[str, list[CommitRecord] | None] = {}
    types: dict[str, str] = {}
    own_counts: Counter[tuple[str, str]] = Counter()
    for _label, platform, rid in members:
        if rid not in stored:
            history[rid] = None
            continue
        commits = reads.commits.get(rid, [])
        history[rid] = commits
        classified = classify_commits(commits, reads.commit_files.get(rid, []), platform,
                                      classifier)
        types.update(classified)
        for kind in classified.values():
            own_counts[(platform.value, kind)] += 1
    stored_counts = sync_change_type_counts(findings)
    if stored_counts is None:  # the sync analysis has not run: use our own classification
        type_sink.update(own_counts)
    else:
        for platform_name, counts in stored_counts.items():
            for kind, n in counts.items():
                type_sink[(platform_name, kind.replace("_", " "))] += n
    days = [utc_day(c.committed_at) for cs in history.values() if cs for c in cs]
    t0 = min(days) if days else None
    rows = tuple(
        build_row(label, platform, rid, history[rid], types, t0 or date(1970, 1, 1))
        for label, platform, rid in members
    )
    upstream = history.get(family.upstream_repo_id or "")
    stale = tuple(
        staleness(upstream, row, history[row.repo_id], findings)
        for row in rows if row.platform is Platform.HUGGINGFACE
    )
    bin_count = 1 + max((bin_of(d, t0) for d in days), default=-1) if t0 else 0
    return FamilyView(
        family=family, t0=t0, bin_count=bin_count, rows=rows,
        sync=summarise_sync(findings, rows), staleness=stale, findings=tuple(findings),
    )


def missing_by_task(models: Iterable[ModelView]) -> MissingByTask:
    """Share of models per task that miss each attribute (attributes findings only).

    A finding counts as "missing" for outcome ``missing`` (``partial`` is not missing); the
    attribute is the finding's rule id (one registered check per attribute). Outcomes that
    say nothing about the model (not applicable, not available, error) are left out.
    """
    missing: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    for model in models:
        task = model.task or "unknown task"
        for finding in model.of("attributes"):
            if finding.outcome in (Outcome.NOT_APPLICABLE, Outcome.NOT_AVAILABLE,
                                   Outcome.ERROR):
                continue
            attribute = finding.rule_id
            total[(task, attribute)] += 1
            if finding.outcome is Outcome.MISSING:
                missing[(task, attribute)] += 1
    if not total:
        return MissingByTask()
    tasks = tuple(sorted({t for t, _ in total}))
    attributes = tuple(sorted({a for _, a in total}))
    return MissingByTask(
        tasks=tasks, attributes=attributes,
        missing=tuple(tuple(missing[(t, a)] for a in attributes) for t in tasks),
        total=tuple(tuple(total[(t, a)] for a in attributes) for t in tasks),
    )


def _overview(store: Store, models: int, upstream: int, families: int,
              findings: Sequence[Finding]) -> Overview:
    counts = store.counts()
    pairs = Counter((f.analysis, f.severity.value) for f in findings)
    order = {s.value: i for i, s in enumerate(SEVERITY_ORDER)}
    rows = tuple(
        (analysis, severity, n)
        for (analysis, severity), n in sorted(pairs.items(), key=lambda kv: (
            kv[0][0], order.get(kv[0][1], 99)))
    )
    return Overview(
        models=models, upstream_repos=upstream, families=families,
        commits=counts.get("commits", 0), files=counts.get("files", 0),
        findings=len(findings), severity_counts=rows,
        analyses=tuple(sorted({f.analysis for f in findings})),
    )


def load_report_data(store: Store, progress: Progress | None = None) -> ReportData:
    """Read everything a report shows from ``store``.

    Args:
        store: an open store (read-only is enough).
        progress: told about each repository and family read.

    Returns:
        the report's data; an empty store gives a ``ReportData`` whose ``is_empty`` is True.

    >>> data = load_report_data(Store(":memory:"))
    >>> data.is_empty
    True
    """
    progress = progress or NullProgress()
    all_findings = store.findings()
    by_subject: dict[str, list[Finding]] = defaultdict(list)
    for finding in all_findings:
        by_subject[finding.subject].append(finding)
    families = store.families()
    member_of: dict[str, list[str]] = defaultdict(list)
    for fam in families:
        for rid in (fam.upstream_repo_id, *fam.variant_repo_ids):
            if rid:
                member_of[rid].append(fam.family_id)
    repos = store.list_repos()
    progress.start("reading repositories", total=len(repos))
    views = []
    for batch in _batches(repos):
        reads = RepoReads(store, [r.repo_id for r in batch], history=False)
        for repo in batch:
            views.append(model_view(reads, repo, by_subject.get(repo.repo_id, []),
                                    member_of.get(repo.repo_id, [])))
            progress.advance(note=repo.name)
    progress.finish()
    models = tuple(v for v in views if v.repo.platform is Platform.HUGGINGFACE)
    others = tuple(v for v in views if v.repo.platform is not Platform.HUGGINGFACE)

    classifier, classifier_name = load_change_classifier()
    type_counts: Counter[tuple[str, str]] = Counter()
    progress.start("reading families", total=len(families))
    family_views = []
    stored = frozenset(r.repo_id for r in repos)
    per_batch = max(1, BATCH_REPOS // 4)  # a family has an upstream and a few variants
    for fam_batch in _batches(families, per_batch):
        members = [rid for fam in fam_batch
                   for rid in (fam.upstream_repo_id, *fam.variant_repo_ids) if rid]
        reads = RepoReads(store, sorted(set(members)), history=True)
        for fam in fam_batch:
            family_views.append(family_view(
                reads, stored, fam,
                [f for f in by_subject.get(fam.family_id, []) if f.analysis == "sync"],
                classifier, type_counts,
            ))
            progress.advance(note=fam.family_id)
    progress.finish()

    notes = _notes(all_findings, families, classifier_name)
    return ReportData(
        generated_at=datetime.now(UTC),
        tool_version=__version__,
        store_path=store.path,
        overview=_overview(store, len(models), len(others), len(families), all_findings),
        models=models,
        repos=others,
        families=tuple(family_views),
        corpus=_corpus(family_views, type_counts, models),
        classifier=classifier_name,
        notes=notes,
    )


def _corpus(families: Sequence[FamilyView], type_counts: Counter[tuple[str, str]],
            models: Sequence[ModelView]) -> CorpusView:
    patterns = Counter(f.sync.pattern for f in families if f.sync.pattern)
    by_maturity = Counter((f.sync.maturity, f.sync.pattern) for f in families if f.sync.pattern)
    rank = {m: i for i, m in enumerate(MATURITY_ORDER)}
    return CorpusView(
        pattern_counts=tuple(sorted(patterns.items(), key=lambda kv: (-kv[1], kv[0]))),
        pattern_by_maturity=tuple(
            (m, p or "n/a", n)
            for (m, p), n in sorted(by_maturity.items(),
                                    key=lambda kv: (rank.get(kv[0][0], 9), kv[0][1] or ""))
        ),
        change_types=tuple(
            (platform, kind, n) for (platform, kind), n in sorted(type_counts.items())
        ),
        missing_by_task=missing_by_task(models),
    )


def _notes(findings: Sequence[Finding], families: Sequence[FamilyRecord],
           classifier_name: str) -> tuple[str, ...]:
    seen = {f.analysis for f in findings}
    notes = [
        f"No {name} findings in the store: run `ptmscope demo` or the {name} analysis."
        for name in ("attributes", "risk", "perf", "sync")
        if name not in seen and (name != "sync" or families)
    ]
    if families and not classifier_name:
        notes.append("Change types are not available (no classifier): timelines use one colour.")
    return tuple(notes)
