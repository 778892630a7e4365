"""Reuse-attribute audit: what a model package tells a reuser, and what is missing.

Layout (after OSSF Scorecard's probes, checks and evaluation):

* ``cardtext`` parses what the stored card lacks (sections outside code fences, line numbers,
  placeholders); ``claims`` turns every ``model-index`` result into a validated row;
  ``facts`` gathers all of it, with the safetensors headers the runner read (bounded, with
  ``ptmscope.formats.safetensors``), in a frozen ``ModelFacts``.
* ``checks/<group>.py`` hold the pure checks with their metadata; ``registry.CHECKS`` is the
  one tuple of registered checks; ``scoring`` is the scoring policy, kept apart.
* ``audit`` runs the checks on one model and makes findings; ``corpus`` aggregates the corpus
  view; ``runner.run_all`` audits the whole store in a process pool and stores the findings;
  ``payload`` gives the JSON shapes; ``docs`` generates docs/attributes.md.
"""

from __future__ import annotations

from ptmscope.attributes.audit import ModelAudit, audit_facts, audit_findings
from ptmscope.attributes.claims import ClaimRow, ClaimsReport, extract_claims
from ptmscope.attributes.corpus import CorpusView, corpus_view
from ptmscope.attributes.facts import ModelFacts, build_facts
from ptmscope.attributes.registry import CHECKS

__all__ = [
    "CHECKS",
    "ClaimRow",
    "ClaimsReport",
    "CorpusView",
    "ModelAudit",
    "ModelFacts",
    "audit_facts",
    "audit_findings",
    "build_facts",
    "corpus_view",
    "extract_claims",
]
