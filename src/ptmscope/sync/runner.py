"""Per-family synchronization analysis and the corpus run (``run_all``) the demo calls.

:func:`analyse_family` is pure: it takes a :class:`FamilyInputs` (built from the store by
:func:`load_family_inputs`) and returns a :class:`FamilyReport` with the pattern (or why the
family is not analysable), both sides' change-type profiles, their similarity, the maturity
group and the content links. :func:`run_all` does that for every stored family and stores the
results as findings (analysis ``sync``, subject = family id).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from ptmscope.records import FamilyRecord, Finding, Platform, repo_id
from ptmscope.sync.bins import NotAnalysable, NotAnalysableReason
from ptmscope.sync.links import CommitInfo, FamilyLinks, RepoSide, link_family
from ptmscope.sync.maturity import MaturityGroup, average_age_days, maturity_group
from ptmscope.sync.patterns import FamilyPattern, family_pattern
from ptmscope.sync.profile import CachedClassifier, ChangeProfile, Classifier, change_profile
from ptmscope.sync.rules import rule
from ptmscope.sync.similarity import SimilarityTertile, family_similarity, similarity_tertile

if TYPE_CHECKING:
    from ptmscope.analyses import AnalysisSummary
    from ptmscope.progress import Progress
    from ptmscope.store import Store
    from ptmscope.store.sync_reads import RepoRows

ANALYSIS = "sync"


@dataclass(frozen=True, slots=True)
class FamilyInputs:
    """What the analysis of one family reads.

    Attributes:
        upstream: the upstream repository, None when it is not stored (or not given).
        upstream_ref: the upstream as the family names it (repo id or URL), for messages.
        variants: the stored variants, in the family's order.
        missing_repos: member repositories the store does not hold.
        duplicate_commits: repository name -> shas stored more than once.
    """

    family_id: str
    upstream: RepoSide | None
    upstream_ref: str
    variants: tuple[RepoSide, ...]
    missing_repos: tuple[str, ...] = ()
    duplicate_commits: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FamilyReport:
    """Everything measured for one family.

    Attributes:
        pattern: the measures, or None when the family is not analysable.
        not_analysable: ``(reason, detail)`` when it is not.
        similarity: Jaccard similarity of the change-type sets (None: not analysable, or a
            side without any classified commit; see ``similarity.family_similarity``).
        average_age_days / maturity: the maturity measure and its group.
        links: content links (None without an upstream or variants).
        commit_counts: repository name -> number of commits.
    """

    family_id: str
    upstream: str | None
    variants: tuple[str, ...]
    pattern: FamilyPattern | None
    not_analysable: tuple[str, str] | None
    github_profile: ChangeProfile
    hf_profile: ChangeProfile
    similarity: float | None
    similarity_tertile: SimilarityTertile | None
    average_age_days: float | None
    maturity: MaturityGroup | None
    links: FamilyLinks | None
    commit_counts: Mapping[str, int]

    @property
    def analysable(self) -> bool:
        """True when the pattern could be measured."""
        return self.pattern is not None


def _check_store_inputs(inputs: FamilyInputs) -> None:
    if inputs.missing_repos:
        raise NotAnalysable(
            NotAnalysableReason.MISSING_REPO,
            "not in the store: " + ", ".join(inputs.missing_repos[:5]),
        )
    if inputs.duplicate_commits:
        name, shas = sorted(inputs.duplicate_commits.items())[0]
        raise NotAnalysable(
            NotAnalysableReason.DUPLICATE,
            f"{name} has {len(shas)} commit(s) stored twice (e.g. {shas[0][:12]})",
        )


def analyse_family(
    inputs: FamilyInputs, classify: Classifier | None = None, *, now: datetime | None = None
) -> FamilyReport:
    """Measure one family; never raises for bad data (it becomes ``not_analysable``)."""
    label = classify or CachedClassifier()
    upstream_commits = inputs.upstream.commits if inputs.upstream else ()
    variant_dates = {v.name: [c.at for c in v.commits] for v in inputs.variants}
    pattern: FamilyPattern | None = None
    failure: tuple[str, str] | None = None
    try:
        _check_store_inputs(inputs)
        pattern = family_pattern([c.at for c in upstream_commits], variant_dates, now=now)
    except NotAnalysable as err:
        failure = (err.reason, err.detail)
    gh_profile = change_profile(
        ((c.message, c.paths) for c in upstream_commits), Platform.GITHUB.value, label
    )
    hf_profile = change_profile(
        ((c.message, c.paths) for v in inputs.variants for c in v.commits),
        Platform.HUGGINGFACE.value, label,
    )
    # Similarity compares two measured sides: a family with a side missing gets none, and so
    # does a side whose commits are all unclassified (see similarity.family_similarity).
    score = (
        family_similarity(gh_profile.types, hf_profile.types) if pattern is not None else None
    )
    age = average_age_days(variant_dates) if pattern is not None else None
    links = (
        link_family(inputs.upstream, inputs.variants)
        if inputs.upstream is not None and inputs.variants else None
    )
    counts = {v.name: len(v.commits) for v in inputs.variants}
    if inputs.upstream is not None:
        counts = {inputs.upstream.name: len(inputs.upstream.commits), **counts}
    return FamilyReport(
        family_id=inputs.family_id,
        upstream=inputs.upstream.name if inputs.upstream else inputs.upstream_ref or None,
        variants=tuple(v.name for v in inputs.variants),
        pattern=pattern,
        not_analysable=failure,
        github_profile=gh_profile,
        hf_profile=hf_profile,
        similarity=score,
        similarity_tertile=None if score is None else similarity_tertile(score),
        average_age_days=age,
        maturity=None if age is None else maturity_group(age),
        links=links,
        commit_counts=counts,
    )


def _side(rows: RepoRows) -> RepoSide:
    return RepoSide(
        name=rows.name,
        commits=tuple(
            CommitInfo(sha, at, message, rows.paths.get(sha, ()), rows.blobs.get(sha, ()))
            for sha, at, message in rows.commits
        ),
        head_blobs=rows.head_blobs,
    )


def inputs_from_rows(family: FamilyRecord, rows: Mapping[str, RepoRows]) -> FamilyInputs:
    """Assemble one family's inputs from bulk-read repository rows."""
    missing: list[str] = []
    duplicates: dict[str, tuple[str, ...]] = {}
    upstream: RepoSide | None = None
    if family.upstream_repo_id is not None:
        up_rows = rows.get(family.upstream_repo_id)
        if up_rows is None:
            missing.append(family.upstream_repo_id)
        else:
            upstream = _side(up_rows)
            if up_rows.duplicate_shas:
                duplicates[up_rows.name] = up_rows.duplicate_shas
    variants: list[RepoSide] = []
    for name in family.variants:
        v_rows = rows.get(repo_id(Platform.HUGGINGFACE, name))
        if v_rows is None:
            missing.append(repo_id(Platform.HUGGINGFACE, name))
            continue
        variants.append(_side(v_rows))
        if v_rows.duplicate_shas:
            duplicates[v_rows.name] = v_rows.duplicate_shas
    return FamilyInputs(
        family_id=family.family_id,
        upstream=upstream,
        upstream_ref=family.upstream_repo_id or family.upstream or "",
        variants=tuple(variants),
        missing_repos=tuple(missing),
        duplicate_commits=duplicates,
    )


def load_family_inputs(store: Store, families: Sequence[FamilyRecord]) -> list[FamilyInputs]:
    """Read every member repository of ``families`` in bulk and assemble their inputs."""
    from ptmscope.store.sync_reads import read_repos

    wanted: set[str] = set()
    for fam in families:
        if fam.upstream_repo_id:
            wanted.add(fam.upstream_repo_id)
        wanted.update(fam.variant_repo_ids)
    rows = read_repos(store, None if len(families) > 50 else wanted)
    return [inputs_from_rows(fam, rows) for fam in families]


def analyse_store(
    store: Store,
    families: Sequence[FamilyRecord] | None = None,
    progress: Progress | None = None,
    *,
    classify: Classifier | None = None,
    now: datetime | None = None,
) -> list[FamilyReport]:
    """Analyse ``families`` (default: every stored family), in family-id order."""
    from ptmscope.progress import NullProgress

    progress = progress or NullProgress()
    chosen = list(store.families() if families is None else families)
    label = classify or CachedClassifier()
    with gc_paused():
        inputs = load_family_inputs(store, chosen)
        progress.start("sync: families", len(inputs))
        reports: list[FamilyReport] = []
        for item in inputs:
            reports.append(analyse_family(item, label, now=now))
            progress.advance(1, item.family_id)
        progress.finish()
    return reports


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk read and analysis.

    A corpus run allocates millions of small objects (commits, paths) that all live until the
    end of the run and hold no cycles; the collector would rescan them again and again (it
    more than doubled the time of the 1,000-family benchmark).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _finding(rule_id: str, subject: str, message: str, *, path: str | None = None,
             details: Mapping[str, object] | None = None) -> Finding:
    spec = rule(rule_id)
    return Finding(
        analysis=ANALYSIS, rule_id=rule_id, subject=subject, severity=spec.severity,
        outcome=spec.outcome, message=message, path=path, details=dict(details or {}),
    )


def findings_for(report: FamilyReport) -> list[Finding]:
    """The findings stored for one family (see ``ptmscope.sync.rules``)."""
    from ptmscope.sync.payload import family_payload

    fid = report.family_id
    out: list[Finding] = []
    if report.pattern is None:
        reason, detail = report.not_analysable or ("unknown", "")
        out.append(_finding("sync.not_analysable", fid, f"not analysable: {detail}",
                            details={"reason": reason, "detail": detail}))
    else:
        p = report.pattern
        out.append(_finding(
            "sync.pattern", fid,
            f"{p.pattern.value} ({p.code}), {p.lag.value}",
            details=family_payload(report, timeline=False),
        ))
    links = report.links
    if links is None:
        return out
    for v in links.variants:
        for s in v.stale_files:
            out.append(_finding(
                "sync.stale_file", fid,
                f"{v.variant} ships an older {s.variant_path}: upstream changed "
                f"{s.upstream_path} on {s.first_missed_at.date()} "
                f"({s.first_missed_sha[:12]}), {s.days_stale} days ago"
                + (f", and {len(s.upstream_changes) - 1} time(s) since"
                   if len(s.upstream_changes) > 1 else ""),
                path=s.variant_path,
                details={"variant": v.variant, "upstream_path": s.upstream_path,
                         "method": s.method.value, "variant_blob": s.variant_blob,
                         "upstream_blob": s.upstream_blob,
                         "first_missed_sha": s.first_missed_sha,
                         "first_missed_at": s.first_missed_at.isoformat(),
                         "days_stale": s.days_stale,
                         "days_since_upstream_change": s.days_since_upstream_change,
                         "upstream_changes": list(s.upstream_changes[:20])},
            ))
        for e in v.variant_only_edits:
            out.append(_finding(
                "sync.variant_only_edit", fid, f"{v.variant} changed {e.variant_path} on its own",
                path=e.variant_path,
                details={"variant": v.variant, "sha": e.sha, "at": e.at.isoformat(),
                         "method": v.method.value, "blob_id": e.blob_id},
            ))
        if v.shared_history:
            out.append(_finding(
                "sync.shared_history", fid,
                f"{v.variant} shares {len(v.shared_history)} commit(s) with upstream "
                f"(same git history, e.g. {v.shared_history[0][:12]})",
                details={"variant": v.variant, "count": len(v.shared_history),
                         "commits": list(v.shared_history[:20])},
            ))
        for a in v.auto_sync:
            if not a.resolved:
                out.append(_finding(
                    "sync.unresolved_auto_sync", fid,
                    f"{v.variant} commit {(a.variant_sha or '')[:12]} names "
                    f"{a.upstream_repo}@{(a.upstream_sha or '')[:12]}, not found upstream",
                    details={"variant": v.variant, "variant_sha": a.variant_sha,
                             "upstream_repo": a.upstream_repo, "upstream_sha": a.upstream_sha},
                ))
    if links.isolated_changes:
        out.append(_finding(
            "sync.isolated_changes", fid,
            f"{len(links.isolated_changes)} upstream commit(s) changed shipped files and "
            "reached no variant",
            details={"count": len(links.isolated_changes), "methods": list(links.methods),
                     "commits": list(links.isolated_changes[:50])},
        ))
    return out


def run_all(store: Store, progress: Progress) -> AnalysisSummary:
    """Analyse every stored family and replace its ``sync`` findings.

    Returns the demo's summary: families analysed, not analysable, and the commonest patterns.
    """
    from ptmscope.analyses import AnalysisSummary
    from ptmscope.sync.corpus import summarise

    reports = analyse_store(store, progress=progress)
    findings = [f for r in reports for f in findings_for(r)]
    written = store.replace_findings(ANALYSIS, [r.family_id for r in reports], findings)
    summary = summarise(reports)
    top = ", ".join(f"{name} {n}" for name, n in list(summary.patterns.items())[:3] if n)
    lines = (
        f"{len(reports)} families: {summary.analysed} analysed, "
        f"{len(summary.not_analysable)} not analysable",
        f"patterns: {top or 'none'}",
    )
    return AnalysisSummary(
        ANALYSIS, lines,
        {"families": len(reports), "analysed": summary.analysed,
         "not_analysable": len(summary.not_analysable), "findings": written},
    )

