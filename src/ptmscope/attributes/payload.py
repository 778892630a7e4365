"""JSON-able payloads of an audit and of the corpus view (``ptmscope audit --json``).

The shapes are described by ``ptmscope/report/schemas/audit.schema.json``; bump
``SCHEMA_VERSION`` when a field changes meaning or disappears (adding fields is compatible).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ptmscope.attributes.audit import ModelAudit, claim_json, evidence_json
from ptmscope.attributes.corpus import AttributeShare, CorpusView

SCHEMA_VERSION = 1


def audit_payload(audit: ModelAudit) -> dict[str, Any]:
    """The scorecard of one model as a JSON-able dict (``kind: "model"``)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "model",
        "model": {
            "repo_id": audit.repo_id,
            "name": audit.name,
            "pipeline_tag": audit.pipeline_tag,
            "has_card": audit.has_card,
        },
        "scores": [
            {
                "category": s.category.value,
                "score": s.score,
                "present": list(s.present),
                "partial": list(s.partial),
                "missing": list(s.missing),
                "unknown": list(s.unknown),
            }
            for s in audit.scores
        ],
        "results": [
            {
                "id": check.id,
                "category": check.category.value,
                "attribute": check.short,
                "status": result.outcome.value,
                "message": result.message,
                "evidence": [evidence_json(e) for e in result.evidence],
                "remedy": check.remedy,
                "why": check.why,
                "weight": check.weight,
                "details": dict(result.details),
            }
            for check, result in audit.results
        ],
        "claims": {
            "declared": audit.claims.declared,
            "rows": [claim_json(r) for r in audit.claims.rows],
            "parseable_rows": len(audit.claims.parseable_rows),
            "problems": [{"where": w, "problem": p} for w, p in audit.claims.broken],
        },
    }


def _shares(shares: Sequence[AttributeShare]) -> list[dict[str, Any]]:
    return [
        {
            "id": a.check_id,
            "attribute": a.attribute,
            "category": a.category,
            "models": a.models,
            "judged": a.judged,
            "present": a.present,
            "partial": a.partial,
            "missing": a.missing,
            "unknown": a.unknown,
            "share_missing": round(a.share_missing, 6),
        }
        for a in shares
    ]


def corpus_payload(view: CorpusView) -> dict[str, Any]:
    """The corpus view as a JSON-able dict (``kind: "corpus"``)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "corpus",
        "models": view.models,
        "group_by": view.group_by,
        "with_claims": view.with_claims,
        "claims_share": round(view.claims_share, 6),
        "attributes": _shares(view.attributes),
        "groups": [
            {"group": name, "models": shares[0].models if shares else 0,
             "attributes": _shares(shares)}
            for name, shares in view.by_group.items()
        ],
        "claims_by_task": [
            {"task": t.task, "models": t.models, "with_claims": t.with_claims,
             "share": round(t.share, 6)}
            for t in view.claims_by_task
        ],
    }
