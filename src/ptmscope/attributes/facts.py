"""``ModelFacts``: everything the attribute checks may look at, gathered once per model.

Checks are pure functions of a frozen ``ModelFacts``. Building one (:func:`build_facts`) is
the only place that parses the card, and the runner is the only place that does I/O (reading
safetensors headers), so a check never reads a file, a clock or the store.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ptmscope.attributes.cardtext import CardText, parse_card, quiet_hub_logging
from ptmscope.attributes.claims import ClaimsReport, extract_claims
from ptmscope.formats.safetensors import HeaderProblem, SafetensorsHeader
from ptmscope.records import CardRecord, CommitRecord, FileRecord, RepoRecord

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CommitSummary:
    """What maintenance checks need from a repo's history.

    Attributes:
        count: number of commits (0 for a folder without history).
        first_at / last_at: oldest and newest commit dates, when known.
        known: False when the repo has no git history to judge by.
    """

    count: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None
    known: bool = False


def summarise_commits(repo: RepoRecord, commits: Sequence[CommitRecord]) -> CommitSummary:
    """Summarise ``commits`` (any order) of ``repo``."""
    if not commits:
        return CommitSummary(known=repo.has_git_history)
    dates = [c.committed_at for c in commits]
    return CommitSummary(len(commits), min(dates), max(dates), True)


@dataclass(frozen=True, slots=True)
class CardMeta:
    """Normalised front-matter fields, read through huggingface_hub's ``ModelCardData``.

    Attributes:
        license / license_name / license_link: as declared.
        base_models: ``base_model`` as a tuple (it may be a string or a list).
        base_model_relation: finetune / adapter / quantized / merge, when declared.
        datasets / tags / metrics / languages: as tuples of strings.
        library_name / pipeline_tag: as declared.
    """

    license: str | None = None
    license_name: str | None = None
    license_link: str | None = None
    base_models: tuple[str, ...] = ()
    base_model_relation: str | None = None
    datasets: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    library_name: str | None = None
    pipeline_tag: str | None = None


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value if isinstance(v, str | int | float) and str(v).strip())
    return ()


def _string(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def card_meta(metadata: Mapping[str, Any] | None) -> CardMeta:
    """Normalise front matter with ``ModelCardData`` (errors ignored: we report them apart)."""
    if not metadata:
        return CardMeta()
    quiet_hub_logging()
    from huggingface_hub import ModelCardData

    fields = {str(k): v for k, v in metadata.items()}
    try:
        # Its attributes, not to_dict(), which deep-copies the whole front matter.
        data: Mapping[str, Any] = vars(ModelCardData(ignore_metadata_errors=True, **fields))
    except Exception:
        _log.debug("ModelCardData refused the metadata; using it raw")
        data = fields
    return CardMeta(
        license=_string(data.get("license")),
        license_name=_string(data.get("license_name")),
        license_link=_string(data.get("license_link")),
        base_models=_strings(data.get("base_model")),
        base_model_relation=_string(data.get("base_model_relation")),
        datasets=_strings(data.get("datasets")),
        tags=_strings(data.get("tags")),
        metrics=_strings(data.get("metrics")),
        languages=_strings(data.get("language")),
        library_name=_string(data.get("library_name")),
        pipeline_tag=_string(data.get("pipeline_tag")),
    )


@dataclass(frozen=True, slots=True)
class ModelFacts:
    """One model as the attribute checks see it.

    Attributes:
        repo: the stored repository record (metadata holds downloads, likes... when known).
        card: the parsed card, or None when the repo has no card at all.
        meta: normalised front-matter fields (empty when there is no usable front matter).
        files: the files at HEAD.
        commits: the history summary.
        claims: the card's ``model-index`` rows, validated (see ``claims.py``).
        headers: safetensors headers read (or why they could not be).
        as_of: the reference time for "how recent" (the audit's time, passed in: no clock).
    """

    repo: RepoRecord
    card: CardText | None
    meta: CardMeta
    files: tuple[FileRecord, ...]
    commits: CommitSummary
    claims: ClaimsReport
    headers: tuple[SafetensorsHeader | HeaderProblem, ...] = ()
    as_of: datetime | None = None
    _lower_paths: tuple[str, ...] = field(default=(), repr=False)

    @property
    def lower_paths(self) -> tuple[str, ...]:
        """File paths lower-cased (for name matching)."""
        return self._lower_paths

    @property
    def pipeline_tag(self) -> str | None:
        """The task: the card's ``pipeline_tag``, else the platform's."""
        tag = self.meta.pipeline_tag or self.repo.metadata.get("pipeline_tag")
        return tag if isinstance(tag, str) and tag else None


def build_facts(
    repo: RepoRecord,
    card: CardRecord | None,
    files: Sequence[FileRecord],
    commits: CommitSummary,
    headers: Sequence[SafetensorsHeader | HeaderProblem] = (),
    as_of: datetime | None = None,
) -> ModelFacts:
    """Gather the facts for one model (parses the card; does no I/O)."""
    text = parse_card(card) if card is not None else None
    meta = card_meta(text.metadata if text is not None else None)
    ordered = tuple(sorted(files, key=lambda f: f.path))
    return ModelFacts(
        repo=repo,
        card=text,
        meta=meta,
        files=ordered,
        commits=commits,
        claims=extract_claims(
            text.metadata if text is not None else None,
            text.key_lines.get("model-index") if text is not None else None,
        ),
        headers=tuple(headers),
        as_of=as_of,
        _lower_paths=tuple(f.path.lower() for f in ordered),
    )
