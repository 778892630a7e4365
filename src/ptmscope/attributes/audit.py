"""Audit one model: run every registered check on its facts, score, and turn it into findings.

Pure: :func:`audit_facts` takes a :class:`ModelFacts` and returns a :class:`ModelAudit`;
:func:`audit_findings` turns that into ``Finding`` rows (``analysis="attributes"``,
``subject=repo_id``, ``rule_id=check id``), one per check, with the evidence and the remedy in
``details`` so stored findings explain themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ptmscope.attributes.base import Check, CheckResult, Evidence
from ptmscope.attributes.claims import ClaimRow, ClaimsReport
from ptmscope.attributes.facts import ModelFacts
from ptmscope.attributes.registry import CHECKS
from ptmscope.attributes.scoring import CategoryScore, score_all
from ptmscope.records import Finding, Outcome, RepoId, Severity

ANALYSIS = "attributes"

#: Outcomes stored at the check's own severity; the others are informational.
_SHORTFALLS = frozenset({Outcome.MISSING, Outcome.PARTIAL, Outcome.ERROR})

#: At most this many claim rows are copied into one finding's details.
MAX_STORED_CLAIMS = 500


@dataclass(frozen=True, slots=True)
class ModelAudit:
    """The audit of one model.

    Attributes:
        repo_id / name: the model.
        pipeline_tag: its task, when known (card first, then platform).
        has_card: whether the repo has a model card.
        results: (check, result) for every registered check, in registry order.
        scores: one score per category, each listing its missing items.
        claims: the model-index rows, broken ones included.
    """

    repo_id: RepoId
    name: str
    pipeline_tag: str | None
    has_card: bool
    results: tuple[tuple[Check, CheckResult], ...]
    scores: tuple[CategoryScore, ...]
    claims: ClaimsReport

    def result(self, check_id: str) -> CheckResult:
        """The result of check ``check_id``.

        Raises:
            KeyError: no such check.
        """
        for check, result in self.results:
            if check.id == check_id:
                return result
        raise KeyError(check_id)


def audit_facts(facts: ModelFacts, checks: Sequence[Check] = CHECKS) -> ModelAudit:
    """Run ``checks`` on one model's facts and score them.

    >>> from ptmscope.attributes.facts import CommitSummary, build_facts
    >>> from ptmscope.records import Platform, RepoRecord
    >>> repo = RepoRecord(RepoId("huggingface:o/m"), Platform.HUGGINGFACE, "o/m", "test")
    >>> audit = audit_facts(build_facts(repo, None, (), CommitSummary()))
    >>> audit.result("card-present").outcome.value, audit.result("licence").message
    ('missing', 'no model card and no LICENSE file')
    """
    judged = tuple((check, check.run(facts)) for check in checks)
    return ModelAudit(
        repo_id=facts.repo.repo_id,
        name=facts.repo.name,
        pipeline_tag=facts.pipeline_tag,
        has_card=facts.card is not None,
        results=judged,
        scores=score_all(judged),
        claims=facts.claims,
    )


def evidence_json(evidence: Evidence) -> dict[str, Any]:
    """One evidence item as a JSON-able dict (None fields dropped)."""
    out: dict[str, Any] = {}
    if evidence.path is not None:
        out["path"] = evidence.path
    if evidence.line is not None:
        out["line"] = evidence.line
    if evidence.key is not None:
        out["key"] = evidence.key
    if evidence.excerpt is not None:
        out["excerpt"] = evidence.excerpt
    return out


def claim_json(row: ClaimRow) -> dict[str, Any]:
    """One claim row as a JSON-able dict."""
    out = asdict(row)
    out["problems"] = list(row.problems)
    out["parseable"] = row.parseable
    return out


def _location(evidence: Evidence | None) -> str | None:
    if evidence is None:
        return None
    if evidence.line is not None:
        return f"line {evidence.line}" + (f" ({evidence.key})" if evidence.key else "")
    return evidence.key


def audit_findings(audit: ModelAudit) -> list[Finding]:
    """The findings to store for one audit: one per check."""
    findings: list[Finding] = []
    for check, result in audit.results:
        first = result.evidence[0] if result.evidence else None
        # Kept small: 30 findings per model, 10,000s of models. Texts that only depend on the
        # check (attribute name, why, weight) are in the registry under rule_id.
        details: dict[str, Any] = {"category": check.category.value}
        if result.evidence:
            details["evidence"] = [evidence_json(e) for e in result.evidence]
        if result.outcome in _SHORTFALLS:
            details["remedy"] = check.remedy
        details.update(result.details)
        if check.id == "claims-valid" and audit.claims.rows:
            details["claims"] = [claim_json(r) for r in audit.claims.rows[:MAX_STORED_CLAIMS]]
        if check.id == "card-present":
            details["pipeline_tag"] = audit.pipeline_tag
        findings.append(
            Finding(
                analysis=ANALYSIS,
                rule_id=check.id,
                subject=audit.repo_id,
                severity=check.severity if result.outcome in _SHORTFALLS else Severity.INFO,
                outcome=result.outcome,
                message=result.message,
                path=first.path if first else None,
                location=_location(first),
                details=details,
            )
        )
    return findings
