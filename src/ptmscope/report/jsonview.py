"""The report's data as plain JSON-able dicts (the body of schema ``report`` v1).

Keys are stable: scripts may rely on them. New keys may be added within a schema version;
renaming or removing one bumps ``REPORT_SCHEMA_VERSION`` in ``ptmscope.report.formats``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ptmscope.records import Finding
from ptmscope.report.data import FamilyView, ModelView, ReportData


def _iso(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()


def finding_json(f: Finding) -> dict[str, Any]:
    """One finding as a dict."""
    return {
        "analysis": f.analysis, "rule_id": f.rule_id, "subject": f.subject,
        "severity": f.severity.value, "outcome": f.outcome.value, "message": f.message,
        "path": f.path, "location": f.location, "details": dict(f.details),
    }


def model_json(m: ModelView) -> dict[str, Any]:
    """One model (or repository) as a dict."""
    return {
        "repo_id": m.repo.repo_id, "platform": m.repo.platform.value, "name": m.repo.name,
        "source": m.repo.source, "task": m.task, "license": m.license, "card": m.card_state,
        "commits": m.commit_count, "last_commit": _iso(m.last_commit),
        "families": list(m.family_ids),
        "files": [
            {"path": f.path, "format": f.format, "size": f.size, "lfs": f.lfs,
             "sha256": f.sha256}
            for f in m.files
        ],
        "findings": {name: [finding_json(f) for f in found]
                     for name, found in m.findings.items()},
    }


def family_json(f: FamilyView) -> dict[str, Any]:
    """One family as a dict."""
    s = f.sync
    return {
        "family_id": f.family.family_id, "upstream": f.family.upstream,
        "upstream_repo_id": f.family.upstream_repo_id, "variants": list(f.family.variants),
        "t0": _iso(f.t0), "bins": f.bin_count,
        "sync": {
            "pattern": s.pattern, "sync_type": s.sync_type, "intensity": s.intensity,
            "lag": s.lag, "switch_lag_count": s.switch_lag_count,
            "switch_lag_mean_days": s.switch_lag_mean,
            "switch_lag_median_days": s.switch_lag_median, "similarity": s.similarity,
            "maturity": s.maturity, "maturity_days": s.maturity_days,
        },
        "staleness": [
            {"variant": st.variant, "last_commit": _iso(st.last_commit),
             "upstream_commits_after": st.upstream_commits_after,
             "days_behind": st.days_behind, "stale_files": st.stale_files}
            for st in f.staleness
        ],
        "timeline": [
            {"label": r.label, "platform": r.platform.value, "repo_id": r.repo_id,
             "stored": r.stored,
             "bins": [{"bin": c.bin, "commits": c.commits, "change_type": c.change_type,
                       "types": dict(c.type_counts)} for c in r.cells]}
            for r in f.rows
        ],
        "findings": [finding_json(x) for x in f.findings],
    }


def report_payload(data: ReportData) -> dict[str, Any]:
    """Everything in the report, as a dict."""
    o, c = data.overview, data.corpus
    grid = c.missing_by_task
    return {
        "generated_at": _iso(data.generated_at), "tool_version": data.tool_version,
        "store": data.store_path, "empty": data.is_empty, "notes": list(data.notes),
        "change_type_classifier": data.classifier or None,
        "overview": {
            "models": o.models, "upstream_repos": o.upstream_repos, "families": o.families,
            "commits": o.commits, "files": o.files, "findings": o.findings,
            "by_severity": [{"analysis": a, "severity": s, "count": n}
                            for a, s, n in o.severity_counts],
        },
        "models": [model_json(m) for m in data.models],
        "repos": [model_json(m) for m in data.repos],
        "families": [family_json(f) for f in data.families],
        "corpus": {
            "patterns": [{"pattern": p, "families": n} for p, n in c.pattern_counts],
            "pattern_by_maturity": [{"maturity": m, "pattern": p, "families": n}
                                    for m, p, n in c.pattern_by_maturity],
            "change_types": [{"platform": p, "change_type": k, "commits": n}
                             for p, k, n in c.change_types],
            "missing_by_task": {
                "tasks": list(grid.tasks), "attributes": list(grid.attributes),
                "missing": [list(r) for r in grid.missing],
                "total": [list(r) for r in grid.total],
            },
        },
    }
