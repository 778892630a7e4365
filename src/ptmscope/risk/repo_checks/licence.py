"""No licence: neither the model card metadata nor a LICENSE file says how the model may be used.

Without a licence, every use is legally uncertain and the model's provenance is usually
equally undocumented. The card's ``license`` (or ``license_name``/``license_link``) key and
root files named LICENSE/LICENCE/COPYING (any extension, any case) count. A missing card is
reported as such - never as "card without licence".
"""

from __future__ import annotations

import re

from ptmscope.records import Finding, Outcome, Severity
from ptmscope.risk.repo_checks.base import RepoCheck, RepoFacts

_LICENCE_FILE = re.compile(r"(licen[cs]e|copying)([._-].*)?", re.IGNORECASE)
CARD_KEYS = ("license", "license_name", "license_link")


def _card_licence(facts: RepoFacts) -> str | None:
    metadata = facts.card.metadata if facts.card is not None else None
    if not metadata:
        return None
    for key in CARD_KEYS:
        value = metadata.get(key)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v)
        if isinstance(value, str) and value.strip():
            return f"{key}: {value.strip()[:100]}"
    return None


def run(facts: RepoFacts) -> list[Finding]:
    """PRESENT with the evidence found, or MISSING with what was looked at."""
    files = [f.path for f in facts.files if "/" not in f.path and _LICENCE_FILE.fullmatch(f.path)]
    card = _card_licence(facts)
    if card or files:
        evidence = {"card": card, "files": files}
        message = "licence: " + "; ".join([*(x for x in [card] if x), *files])
        return [CHECK.finding(facts, Outcome.PRESENT, message, evidence=evidence)]
    if facts.card is None:
        message = "no model card and no LICENSE file: the licence is unknown"
    elif facts.card.metadata is None:
        message = "model card has no readable metadata and there is no LICENSE file"
    else:
        message = "model card metadata has no license and there is no LICENSE file"
    return [CHECK.finding(facts, Outcome.MISSING, message, path=facts.card.path
                          if facts.card else None)]


CHECK = RepoCheck(
    id="REPO-NO-LICENCE",
    title="No licence",
    why="without a licence the terms of use are unknown; undocumented licensing often comes "
        "with undocumented provenance (re-uploads, scraped or leaked weights)",
    remedy="Add a `license:` key to the model card metadata (SPDX id or license_name/"
           "license_link) and a LICENSE file",
    severity=Severity.MEDIUM,
    run=run,
)
