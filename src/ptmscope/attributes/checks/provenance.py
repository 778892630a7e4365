"""Provenance checks: who published the model, what it derives from, what it was trained on.

The study's practitioners judge lineage by the publisher, the original paper, dataset details
and training logs; ~82% of Hub models declare no training dataset.
"""

from __future__ import annotations

import re

from ptmscope.attributes.base import (
    Category,
    Check,
    CheckResult,
    Evidence,
    missing,
    not_available,
    partial,
    present,
)
from ptmscope.attributes.checks._common import (
    clip,
    file_evidence,
    files_matching,
    line_evidence,
    meta_evidence,
    no_card_suffix,
    probe,
    section_evidence,
    sections,
)
from ptmscope.attributes.facts import ModelFacts
from ptmscope.records import Severity

RELATIONS = ("finetune", "adapter", "quantized", "merge")
_DERIVED_TEXT = probe(
    r"fine[- ]?tuned (?:version|checkpoint) of \[?([\w./-]{3,100})|based on \[?([\w./-]{3,100})",
    "fine-tuned", "finetuned", "fine tuned", "based on",
)
_PAPER = probe(
    r"https?://(?:www\.)?(?:arxiv\.org/(?:abs|pdf)/[\w./-]+|doi\.org/[^\s)\]]+|"
    r"openreview\.net/[^\s)\]]+|aclanthology\.org/[^\s)\]]+|papers\.nips\.cc/[^\s)\]]+|"
    r"proceedings\.[\w.]+/[^\s)\]]+)",
    "arxiv.org", "doi.org", "openreview", "aclanthology", "papers.nips", "proceedings.",
)
_CODE_HOST = probe(
    r"https?://(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org)/"
    # the repo name may contain dots but does not end with one (a sentence's full stop)
    r"(?!huggingface/(?:transformers|peft|diffusers|trl)\b)[\w.-]+/[\w.-]*[\w-]",
    "github.com", "gitlab.com", "bitbucket.org", "codeberg.org",
)
_LOG_FILES = re.compile(
    r"(?:^|/)(?:runs/|logs?/|events\.out\.tfevents|trainer_state\.json$|train(?:ing)?_log|"
    r"[^/]+\.log$|metrics\.jsonl?$|all_results\.json$|train_results\.json$)"
)
_LOG_LINKS = probe(
    r"https?://(?:wandb\.ai|api\.wandb\.ai|tensorboard\.dev|comet\.com)/\S+",
    "wandb.ai", "tensorboard.dev", "comet.com",
)


def publisher(facts: ModelFacts) -> CheckResult:
    """The user or organisation that published the model (from the repo name)."""
    owner = facts.repo.owner
    if not owner or owner == "local":
        return not_available("publisher unknown: the repo was read from a local folder")
    verified = facts.repo.metadata.get("author_verified")
    details = {"owner": owner} | ({"verified": verified} if isinstance(verified, bool) else {})
    return present(
        f"published by {clip(owner, 60)}", Evidence(key="repo name", excerpt=clip(owner)), **details
    )


def base_model(facts: ModelFacts) -> CheckResult:
    """``base_model`` (and ``base_model_relation``) in the card metadata."""
    meta = facts.meta
    if meta.base_models:
        ev = meta_evidence(facts, "base_model", ", ".join(meta.base_models))
        relation = meta.base_model_relation
        if relation in RELATIONS:
            rel_ev = meta_evidence(facts, "base_model_relation", relation)
            return present(
                f"derived from {clip(', '.join(meta.base_models), 100)} ({relation})",
                ev, rel_ev, base_models=list(meta.base_models), relation=relation,
            )
        note = f"relation {relation!r} is not one of {', '.join(RELATIONS)}" if relation else (
            "relation (finetune/adapter/quantized/merge) not declared"
        )
        return partial(
            f"base model declared, {note}", ev, base_models=list(meta.base_models)
        )
    found = line_evidence(facts, _DERIVED_TEXT)
    if found is not None:
        return partial("base model named only in the card text, not in metadata", found)
    return missing("no base model declared" + no_card_suffix(facts))


def training_datasets(facts: ModelFacts) -> CheckResult:
    """``datasets`` in the metadata, else a filled training-data section."""
    if facts.meta.datasets:
        names = ", ".join(facts.meta.datasets)
        return present(
            f"{len(facts.meta.datasets)} training dataset(s) declared",
            meta_evidence(facts, "datasets", names), datasets=list(facts.meta.datasets),
        )
    filled = [s for s in sections(facts, r"training data", r"\bdatasets?\b") if s.filled]
    if filled:
        return partial(
            "training data described in the card text but not declared in metadata",
            section_evidence(facts, filled[0]),
        )
    return missing("no training dataset declared" + no_card_suffix(facts))


def paper(facts: ModelFacts) -> CheckResult:
    """A paper: an ``arxiv:`` tag or a paper link (arXiv, DOI, OpenReview, ACL...)."""
    arxiv = [t for t in facts.meta.tags if t.lower().startswith("arxiv:")]
    if arxiv:
        return present(f"paper tag {clip(arxiv[0])}", meta_evidence(facts, "tags", arxiv[0]))
    found = line_evidence(facts, _PAPER)
    if found is not None:
        return present("paper linked in the card", found)
    return missing("no paper linked" + no_card_suffix(facts))


def upstream_code(facts: ModelFacts) -> CheckResult:
    """A link to the upstream code repository (GitHub, GitLab...)."""
    for key in ("repository", "repo", "code", "source", "github"):
        value = facts.card.metadata.get(key) if facts.card and facts.card.metadata else None
        if isinstance(value, str) and _CODE_HOST.search(value):
            return present("upstream code linked in metadata", meta_evidence(facts, key, value))
    found = line_evidence(facts, _CODE_HOST)
    if found is not None:
        return present("upstream code linked in the card", found)
    return missing("no link to upstream code" + no_card_suffix(facts))


def training_logs(facts: ModelFacts) -> CheckResult:
    """Training logs: log files, a results table, or a link to W&B / TensorBoard."""
    logs = files_matching(facts, _LOG_FILES)
    if logs:
        return present(f"{len(logs)} training log file(s)", *file_evidence(logs))
    link = line_evidence(facts, _LOG_LINKS)
    if link is not None:
        return present("training logs linked", link)
    results = [s for s in sections(facts, r"^training results$") if s.filled]
    if results:
        return partial("training results table only", section_evidence(facts, results[0]))
    return missing("no training logs" + no_card_suffix(facts))


CHECKS: tuple[Check, ...] = (
    Check(
        "publisher", Category.PROVENANCE, "Publisher (user or organisation)",
        "Practitioners trust models by who published them (a verified organisation or not).",
        "Publish under an organisation account and link it to the maintainers.",
        1, Severity.LOW, publisher,
    ),
    Check(
        "base-model", Category.PROVENANCE, "Base model and relation",
        "A derived model inherits its base's data, licence and risks; a reuser must trace it.",
        "Add `base_model:` and `base_model_relation:` (finetune/adapter/quantized/merge) "
        "to the card metadata.",
        2, Severity.MEDIUM, base_model,
    ),
    Check(
        "training-datasets", Category.PROVENANCE, "Training datasets",
        "Dataset details decide domain fit and licence; ~82% of Hub models declare none.",
        "List the training datasets under `datasets:` in the card metadata.",
        3, Severity.HIGH, training_datasets,
    ),
    Check(
        "paper", Category.PROVENANCE, "Paper link",
        "The original paper is the first provenance source practitioners look for.",
        "Link the paper (arXiv/DOI) in the card and add an `arxiv:<id>` tag.",
        2, Severity.LOW, paper,
    ),
    Check(
        "upstream-code", Category.PROVENANCE, "Upstream code link",
        "The upstream repository holds the architecture, training code and later fixes.",
        "Link the upstream GitHub/GitLab repository in the card.",
        2, Severity.MEDIUM, upstream_code,
    ),
    Check(
        "training-logs", Category.PROVENANCE, "Training logs",
        "Logs let a reuser see how training went and spot a model that did not converge.",
        "Publish the training logs (TensorBoard runs/, trainer_state.json) or link the W&B run.",
        1, Severity.LOW, training_logs,
    ),
)
