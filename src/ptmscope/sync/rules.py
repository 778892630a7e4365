"""The registry of synchronization findings: each a self-describing unit (id, title, why, fix).

Adding a finding kind means one entry here; :func:`rule` looks one up by id, and a test checks
that ids are unique and every text is filled in.
"""

from __future__ import annotations

from dataclasses import dataclass

from ptmscope.records import Outcome, Severity


@dataclass(frozen=True, slots=True)
class SyncRule:
    """One kind of sync finding.

    Attributes:
        id: stable rule id stored in ``findings.rule_id``.
        title: short name.
        why: why it matters to someone reusing the model.
        fix: what the maintainer (or the analyst) can do.
        severity / outcome: what findings of this kind carry.
    """

    id: str
    title: str
    why: str
    fix: str
    severity: Severity
    outcome: Outcome


SYNC_RULES: tuple[SyncRule, ...] = (
    SyncRule(
        "sync.pattern", "Synchronization pattern of the family",
        "How the upstream repository and its Hugging Face variants move together tells users "
        "whether a variant follows upstream fixes.",
        "Nothing to fix: this records lag, type, intensity, pattern, profiles and maturity.",
        Severity.INFO, Outcome.PRESENT,
    ),
    SyncRule(
        "sync.not_analysable", "Family cannot be measured",
        "Missing or implausible commit data would give a wrong pattern; it is reported "
        "instead of being guessed.",
        "Ingest the missing repositories, or fix the commit clocks/duplicates named in the "
        "reason, then run the analysis again.",
        Severity.LOW, Outcome.NOT_AVAILABLE,
    ),
    SyncRule(
        "sync.stale_file", "Variant ships an older version of an upstream file",
        "A variant that still ships an old config, tokenizer or code file behaves differently "
        "from what upstream now documents and fixes.",
        "Re-sync the file from upstream (or document why the variant keeps its own version).",
        Severity.MEDIUM, Outcome.MISSING,
    ),
    SyncRule(
        "sync.isolated_changes", "Upstream changes that reached no variant",
        "Upstream changed files the variants ship and no variant ever picked the new "
        "version up; users of the variants do not get those changes.",
        "Review the listed upstream commits and publish updated variants where they apply.",
        Severity.LOW, Outcome.MISSING,
    ),
    SyncRule(
        "sync.variant_only_edit", "Variant edited a shared file on its own",
        "A change made only on the Hub is lost at the next upstream sync and is invisible "
        "to upstream users.",
        "Upstream the change, or record it in the model card.",
        Severity.INFO, Outcome.PARTIAL,
    ),
    SyncRule(
        "sync.shared_history", "Variant carries upstream's git history",
        "The same commits (same shas) are in the variant and upstream: each such change is "
        "counted once per platform, so the family looks more synchronized than two "
        "independently maintained repositories would.",
        "Read the family's lag and pattern with that in mind; analysts can drop the shared "
        "commits from one side. Maintainers need do nothing.",
        Severity.INFO, Outcome.PRESENT,
    ),
    SyncRule(
        "sync.unresolved_auto_sync", "Auto-sync message names an unknown upstream commit",
        "The commit claims to come from upstream, but the named repository is not the "
        "family's upstream or the commit is not in its history.",
        "Check the variant's sync job and the family's upstream URL.",
        Severity.LOW, Outcome.PARTIAL,
    ),
)

_BY_ID = {r.id: r for r in SYNC_RULES}


def rule(rule_id: str) -> SyncRule:
    """The registered rule ``rule_id`` (KeyError when unknown)."""
    return _BY_ID[rule_id]
