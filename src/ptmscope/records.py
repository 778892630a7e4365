"""The small frozen records that flow between layers.

Sources produce them, the store persists and returns them, analyses consume them. They carry
no behaviour beyond derived conveniences, so analyses test without any I/O.

Ids are plain strings typed with ``NewType``:

* ``RepoId`` is ``"<platform>:<name>"``, e.g. ``"huggingface:google-bert/bert-base-uncased"``
  or ``"github:google-research/bert"``. Local folders whose name cannot be inferred use
  ``"<platform>:local/<folder-name>"``.
* ``FamilyId`` is the study's ``<hf-owner>_<model-stem>`` or any id a manifest gives.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, NewType

RepoId = NewType("RepoId", str)
FamilyId = NewType("FamilyId", str)
CommitSha = NewType("CommitSha", str)

JsonDict = Mapping[str, Any]


class Platform(StrEnum):
    """Where a repository lives."""

    GITHUB = "github"
    HUGGINGFACE = "huggingface"


class ChangeKind(StrEnum):
    """How a commit touched a path (git's name-status letters)."""

    ADDED = "A"
    MODIFIED = "M"
    DELETED = "D"
    RENAMED = "R"
    COPIED = "C"
    TYPE_CHANGED = "T"
    UNKNOWN = "X"


class Severity(StrEnum):
    """Finding severity, ordered from most to least severe (see ``SEVERITY_ORDER``)."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for critical ... 4 for info; lower is more severe."""
        return SEVERITY_ORDER.index(self)

    def at_least(self, other: Severity) -> bool:
        """True when this severity is as severe as ``other`` or more."""
        return self.rank <= other.rank


SEVERITY_ORDER: tuple[Severity, ...] = (
    Severity.CRITICAL,
    Severity.HIGH,
    Severity.MEDIUM,
    Severity.LOW,
    Severity.INFO,
)


class Outcome(StrEnum):
    """What a check concluded (after OSSF Scorecard): absent is not the same as unknown."""

    PRESENT = "present"  # the thing checked for is there / the claim holds
    PARTIAL = "partial"
    MISSING = "missing"  # the thing checked for is absent / a risk was found
    NOT_APPLICABLE = "not_applicable"
    NOT_AVAILABLE = "not_available"  # could not tell (data missing, extra not installed)
    ERROR = "error"  # the check itself failed on this input


def repo_id(platform: Platform | str, name: str) -> RepoId:
    """Build the canonical ``RepoId`` for ``name`` on ``platform``.

    >>> repo_id("huggingface", "org/model")
    'huggingface:org/model'
    """
    return RepoId(f"{Platform(platform).value}:{name}")


@dataclass(frozen=True, slots=True)
class RepoRecord:
    """One repository (a Hugging Face model repo or an upstream GitHub repo).

    Attributes:
        repo_id: canonical id, see module docstring.
        platform: github or huggingface.
        name: ``owner/name`` as on the platform.
        source: where it was read from (local path or URL), for provenance.
        head: commit sha (or Hub revision sha) the snapshot was taken at; None if unknown.
        default_branch: branch name when known.
        line_counts_known: False when history was read with name-status only (missing blobs).
        has_git_history: False for plain folders (snapshot downloads) with no commits.
        metadata: tolerant bag of platform facts (downloads, likes, pipeline_tag, gated,
            library_name, created_at, security status...); unknown keys are kept.
    """

    repo_id: RepoId
    platform: Platform
    name: str
    source: str
    head: str | None = None
    default_branch: str | None = None
    line_counts_known: bool = True
    has_git_history: bool = True
    metadata: JsonDict = field(default_factory=dict)

    @property
    def owner(self) -> str:
        """The user or organisation part of ``name`` ("" when there is none)."""
        return self.name.split("/", 1)[0] if "/" in self.name else ""


@dataclass(frozen=True, slots=True)
class CommitRecord:
    """One commit. Dates are timezone-aware; analyses convert to UTC.

    Attributes:
        parents: parent shas, first parent first; more than one for merges.
        signed: True when the commit carries a GPG/SSH signature (present, not verified).
    """

    repo_id: RepoId
    sha: CommitSha
    author_name: str
    author_email: str
    authored_at: datetime
    committer_name: str
    committer_email: str
    committed_at: datetime
    message: str
    parents: tuple[str, ...] = ()
    signed: bool = False

    @property
    def is_merge(self) -> bool:
        """True for merge commits."""
        return len(self.parents) > 1

    @property
    def subject(self) -> str:
        """First line of the message."""
        return self.message.split("\n", 1)[0]


@dataclass(frozen=True, slots=True)
class CommitFileRecord:
    """One path touched by one commit.

    Attributes:
        lines_added / lines_removed: None when unknown (binary file, or history read with
            name-status only because blobs are missing).
        old_path: the previous path for renames and copies.
        blob_id: the git blob id of the path after the commit (None when deleted or
            unknown); ties identical file versions across repositories.
    """

    repo_id: RepoId
    sha: CommitSha
    path: str
    change_kind: ChangeKind
    old_path: str | None = None
    lines_added: int | None = None
    lines_removed: int | None = None
    blob_id: str | None = None


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One file at the snapshot's HEAD.

    Attributes:
        size: size in bytes of what is stored in git (the pointer for LFS files), or of the
            file on disk for plain folders; None when unknown.
        blob_id: git blob sha1 (also computable for plain folders); None when unknown.
        lfs_sha256 / lfs_size: from a Git LFS pointer, when the file is one (or from the Hub).
        local_path: absolute path of the file on disk when it is available locally (plain
            folders, checkouts); None for bare clones and Hub listings.
        security: the Hub's security scan status for the file, when known.
    """

    repo_id: RepoId
    path: str
    size: int | None = None
    blob_id: str | None = None
    lfs_sha256: str | None = None
    lfs_size: int | None = None
    local_path: str | None = None
    security: JsonDict | None = None

    @property
    def is_lfs_pointer(self) -> bool:
        """True when the stored content is a Git LFS pointer."""
        return self.lfs_sha256 is not None

    @property
    def real_size(self) -> int | None:
        """Size of the real content: the LFS object's size for pointers."""
        return self.lfs_size if self.lfs_sha256 is not None else self.size


@dataclass(frozen=True, slots=True)
class CardRecord:
    """A model card (README.md) as found, raw and parsed.

    Attributes:
        raw_text: the whole card decoded as UTF-8 with replacement (bounded by the source).
        yaml_text: the front-matter text between the ``---`` fences, or None if absent.
        metadata: the front matter parsed as a mapping, or None when absent or broken.
        body: the markdown after the front matter.
        parse_error: why ``metadata`` is None although ``yaml_text`` is present.
        truncated: True when the card was larger than the read bound.
    """

    repo_id: RepoId
    path: str
    raw_text: str
    yaml_text: str | None
    metadata: JsonDict | None
    body: str
    parse_error: str | None = None
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class FamilyRecord:
    """A model family: one upstream repo and the Hub variants released from it.

    Attributes:
        upstream: upstream repo URL as given (e.g. ``https://github.com/owner/repo``).
        upstream_repo_id: the ``github:owner/repo`` id it maps to, when it could be parsed.
        variants: Hugging Face model ids (``org/name``).
        source: the manifest (or demo) it came from.
    """

    family_id: FamilyId
    upstream: str | None
    upstream_repo_id: RepoId | None
    variants: tuple[str, ...]
    source: str = ""

    @property
    def variant_repo_ids(self) -> tuple[RepoId, ...]:
        """Repo ids of the variants."""
        return tuple(repo_id(Platform.HUGGINGFACE, v) for v in self.variants)


@dataclass(frozen=True, slots=True)
class Finding:
    """One result of any analysis, stored in the ``findings`` table.

    Attributes:
        analysis: which analysis made it: ``attributes``, ``risk``, ``perf``, ``sync``...
        rule_id: the id of the registered check / scanner rule that made it.
        subject: what it is about: a RepoId, a FamilyId or a file path for ad-hoc scans.
        severity: how bad it is (risk) or how much it matters (attributes).
        outcome: what the check concluded.
        message: one human line.
        path: file inside the repo (or ``archive:member``), when it is about one.
        location: byte offset, line, metadata key... as text.
        details: free-form JSON-able facts (evidence, measured values, remedy...).
    """

    analysis: str
    rule_id: str
    subject: str
    severity: Severity
    outcome: Outcome
    message: str
    path: str | None = None
    location: str | None = None
    details: JsonDict = field(default_factory=dict)

    def details_json(self) -> str:
        """``details`` as canonical JSON (sorted keys) for storage."""
        return json.dumps(self.details, sort_keys=True, default=str)


@dataclass(frozen=True, slots=True)
class RepoSnapshot:
    """Everything mined from one repository: the unit of work one writer merges.

    Attributes:
        commits / commit_files / files: may be empty (plain folders have no history).
        card: the model card, when the repo has one.
        notes: non-fatal remarks made while mining (e.g. "line counts unknown: blobs missing").
    """

    repo: RepoRecord
    commits: tuple[CommitRecord, ...] = ()
    commit_files: tuple[CommitFileRecord, ...] = ()
    files: tuple[FileRecord, ...] = ()
    card: CardRecord | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SkippedSource:
    """A source that could not be mined; a result, not an exception (pip-audit style)."""

    source: str
    reason: str
