"""JSON-ready payloads of sync results (the shape ``ptmscope sync --json`` prints).

The shapes are described by ``ptmscope/report/schemas/sync.schema.json``; bump
:data:`SCHEMA_VERSION` when a field changes meaning or disappears.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ptmscope.sync.bins import BIN_DAYS
from ptmscope.sync.links import CommitLink, FamilyLinks, VariantLinks
from ptmscope.sync.profile import ChangeProfile

if TYPE_CHECKING:
    from ptmscope.sync.corpus import CorpusSummary
    from ptmscope.sync.runner import FamilyReport

#: Version of the ``sync --json`` output shape.
SCHEMA_VERSION = 1

#: At most this many commit shas are listed per field (counts are always complete).
MAX_LISTED = 50


def _profile(p: ChangeProfile) -> dict[str, Any]:
    return {
        "total": p.total,
        "classified": p.classified,
        "counts": dict(p.counts),
        "shares": {k: round(v, 2) for k, v in p.shares().items()},
    }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _commit_link(link: CommitLink) -> dict[str, Any]:
    return {
        "method": link.method.value, "variant_sha": link.variant_sha,
        "variant_at": _iso(link.variant_at), "upstream_repo": link.upstream_repo,
        "upstream_sha": link.upstream_sha, "upstream_at": _iso(link.upstream_at),
        "resolved": link.resolved,
        "files": [
            {"variant_path": f.variant_path, "upstream_path": f.upstream_path,
             "blob_id": f.blob_id}
            for f in link.files[:MAX_LISTED]
        ],
    }


def _variant_links(v: VariantLinks, *, detail: bool) -> dict[str, Any]:
    auto = v.auto_sync
    out: dict[str, Any] = {
        "variant": v.variant,
        "method": v.method.value,
        "shared_files": len(v.shared_paths),
        "last_sync_at": _iso(v.last_sync_at),
        "last_sync_source": v.last_sync_source,
        "auto_sync": {
            "total": len(auto),
            "resolved": sum(a.resolved for a in auto),
            "links": [
                {"variant_sha": a.variant_sha, "upstream_repo": a.upstream_repo,
                 "upstream_sha": a.upstream_sha, "resolved": a.resolved}
                for a in auto[:MAX_LISTED]
            ],
        },
        "blob_links": [
            {"variant_path": f.variant_path, "upstream_path": f.upstream_path,
             "blob_id": f.blob_id, "upstream_sha": b.upstream_sha,
             "variant_sha": b.variant_sha}
            for b in v.blob_links for f in b.files
            if f.upstream_path is not None and f.blob_id is not None
        ][:MAX_LISTED],
        "isolated_changes": {
            "count": len(v.isolated_changes), "commits": list(v.isolated_changes[:MAX_LISTED]),
        },
        "stale_files": [
            {"variant_path": s.variant_path, "upstream_path": s.upstream_path,
             "method": s.method.value,
             "variant_blob": s.variant_blob, "upstream_blob": s.upstream_blob,
             "variant_version_at": _iso(s.variant_version_at),
             "upstream_version_at": _iso(s.upstream_version_at),
             "upstream_changes": len(s.upstream_changes),
             "first_missed_sha": s.first_missed_sha,
             "latest_upstream_sha": s.latest_upstream_sha,
             "first_missed_at": s.first_missed_at.isoformat(),
             "last_upstream_change_at": s.last_upstream_change_at.isoformat(),
             "days_stale": s.days_stale,
             "days_since_upstream_change": s.days_since_upstream_change}
            for s in v.stale_files
        ],
        "variant_only_edits": [
            {"sha": e.sha, "at": e.at.isoformat(), "variant_path": e.variant_path,
             "upstream_path": e.upstream_path, "blob_id": e.blob_id}
            for e in v.variant_only_edits[:MAX_LISTED]
        ],
        "shared_history": {
            "count": len(v.shared_history), "commits": list(v.shared_history[:MAX_LISTED]),
        },
    }
    if detail:
        out["commit_links"] = [_commit_link(lk) for lk in v.commit_links[:MAX_LISTED]]
    return out


def links_payload(links: FamilyLinks, *, detail: bool = True) -> dict[str, Any]:
    """The content links of a family.

    ``detail`` adds every variant's ``commit_links`` (method and files of each link); corpus
    output and stored findings leave them out to stay small (the counts, ``auto_sync`` and
    ``blob_links`` are always there).
    """
    return {
        "as_of": links.as_of.isoformat(),
        "methods": list(links.methods),
        "isolated_changes": {
            "count": len(links.isolated_changes),
            "commits": list(links.isolated_changes[:MAX_LISTED]),
        },
        "variants": [_variant_links(v, detail=detail) for v in links.variants],
    }


def family_payload(report: FamilyReport, *, timeline: bool = True) -> dict[str, Any]:
    """One family's results; ``timeline`` adds the active bins of every side and the
    per-link detail of the content links (single-family output)."""
    p = report.pattern
    out: dict[str, Any] = {
        "family_id": report.family_id,
        "upstream": report.upstream,
        "variants": list(report.variants),
        "status": "analysed" if p is not None else "not_analysable",
        "not_analysable": None if report.not_analysable is None else {
            "reason": report.not_analysable[0], "detail": report.not_analysable[1],
        },
        "lag": None if p is None else p.lag.value,
        "sync_type": None if p is None else p.sync_type.value,
        "intensity": None if p is None else p.intensity.value,
        "pattern": None if p is None else p.pattern.value,
        "code": None if p is None else p.code,
        "switch_lags": None if p is None else {
            "count": p.lag_stats.count, "mean": p.lag_stats.mean,
            "median": p.lag_stats.median, "max": p.lag_stats.maximum,
            "days": list(p.switch_lags_days),
        },
        "change_types": {
            "github": _profile(report.github_profile),
            "huggingface": _profile(report.hf_profile),
        },
        "similarity": {
            "jaccard": report.similarity,
            "tertile": None if report.similarity_tertile is None
            else report.similarity_tertile.value,
        },
        "maturity": {
            "average_age_days": report.average_age_days,
            "group": None if report.maturity is None else report.maturity.value,
        },
        "commit_counts": dict(report.commit_counts),
        "links": None if report.links is None
        else links_payload(report.links, detail=timeline),
    }
    if timeline:
        out["timeline"] = None if p is None else {
            "t0": p.t0.isoformat(), "bin_days": BIN_DAYS, "github": list(p.github_bins),
            "variants": {k: list(v) for k, v in p.variant_bins.items()},
        }
    return out


def corpus_payload(summary: CorpusSummary, reports: list[FamilyReport]) -> dict[str, Any]:
    """``sync --all --json``: the corpus tables and every family (without timelines)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "corpus",
        "summary": {
            "families": summary.families,
            "analysed": summary.analysed,
            "patterns": dict(summary.patterns),
            "lags": dict(summary.lags),
            "sync_types": dict(summary.sync_types),
            "intensities": dict(summary.intensities),
            "pattern_by_maturity": {k: dict(v) for k, v in summary.pattern_by_maturity.items()},
            "change_types": {k: dict(v) for k, v in summary.change_types.items()},
            "change_type_shares": {
                k: {t: round(s, 2) for t, s in summary.change_type_shares(k).items()}
                for k in summary.change_types
            },
            "similarity": {
                "tertiles": dict(summary.similarity_tertiles),
                "mean": summary.similarity_mean,
                "median": summary.similarity_median,
            },
            "switch_lags": {
                "count": summary.switches, "mean": summary.switch_lag_mean,
                "median": summary.switch_lag_median,
            },
            "not_analysable": [
                {"family_id": f, "reason": r, "detail": d} for f, r, d in summary.not_analysable
            ],
        },
        "families": [family_payload(r, timeline=False) for r in reports],
    }


def single_payload(report: FamilyReport) -> dict[str, Any]:
    """``sync FAMILY --json``."""
    return {"schema_version": SCHEMA_VERSION, "kind": "family",
            "family": family_payload(report, timeline=True)}
