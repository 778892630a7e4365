"""Mine a model repository on the Hugging Face Hub (``hf://org/name[@revision]``) online.

Everything goes through ``huggingface_hub``'s ``HfApi`` (injectable, so tests pass one whose
HTTP client is a mock transport) and its shared HTTP session:

* ``model_info`` (with the ``expand`` fields listed in :data:`MODEL_INFO_EXPAND`, then once
  more with ``securityStatus``) gives the revision sha and the platform facts kept in
  ``RepoRecord.metadata``;
* ``list_repo_refs`` gives the branches (the Hub's default branch is ``main``);
* ``list_repo_commits`` gives the history: the Hub lists commits without parents, e-mails or
  touched files, so commit files are left empty and ``line_counts_known`` is False;
* ``list_repo_tree(recursive=True, expand=True)`` gives the files at the revision with their
  git blob id, LFS sha256/size and the Hub's per-file security scan;
* ``README.md`` is streamed (bounded by the card parser's ``MAX_CARD_BYTES``) and parsed by
  :func:`ptmscope.sources.card.parse_card`.

The tree, commits and card are read at the sha ``model_info`` resolved, so one snapshot is
consistent even if someone pushes while it is being read.

Failures become one-line ``ptmscope`` errors naming the repository: offline
(``HF_HUB_OFFLINE=1`` or no network) raises :class:`~ptmscope.errors.OfflineError`; not found,
gated, disabled, forbidden or rate limited raise :class:`~ptmscope.errors.RemoteError` with a
hint saying what to do; a malformed spec raises :class:`~ptmscope.errors.SourceError`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx2
from huggingface_hub import HfApi, constants, get_session, hf_hub_url, hf_raise_for_status
from huggingface_hub.errors import (
    DisabledRepoError,
    GatedRepoError,
    HfHubHTTPError,
    OfflineModeIsEnabled,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from huggingface_hub.hf_api import (
    ExpandModelProperty_T,
    GitCommitInfo,
    GitRefs,
    ModelInfo,
    RepoFile,
)

# Public in huggingface_hub.utils, but exported lazily (no __all__), which mypy cannot see.
from huggingface_hub.utils import build_hf_headers  # type: ignore[attr-defined]

from ptmscope.errors import OfflineError, RemoteError, SourceError
from ptmscope.progress import NullProgress, Progress
from ptmscope.records import (
    CardRecord,
    CommitRecord,
    CommitSha,
    FileRecord,
    Platform,
    RepoId,
    RepoRecord,
    RepoSnapshot,
    repo_id,
)
from ptmscope.sources.card import MAX_CARD_BYTES, parse_card

__all__ = [
    "HUB_SCHEME",
    "MODEL_INFO_EXPAND",
    "HubSpec",
    "is_hub_spec",
    "mine_hub_repo",
    "parse_hub_spec",
]

#: The prefix that marks a Hub source on the command line.
HUB_SCHEME = "hf://"

#: The ``model_info`` fields ptmscope keeps (values ``huggingface_hub`` 2.4 accepts).
MODEL_INFO_EXPAND: tuple[ExpandModelProperty_T, ...] = (
    "author",
    "config",
    "createdAt",
    "disabled",
    "downloads",
    "gated",
    "lastModified",
    "library_name",
    "likes",
    "pipeline_tag",
    "private",
    "sha",
    "tags",
)

CARD_PATH = "README.md"

# Hub names: ASCII word characters, '-' and '.', 1-96 long, starting and ending with a word
# character, no '--' or '..' (huggingface_hub's own validator, restricted to ASCII).
_NAME_PART = r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?"
_REPO_NAME_RE = re.compile(rf"(?P<owner>{_NAME_PART})/(?P<name>{_NAME_PART})")
# Branches, tags, PR refs (refs/pr/1) and shas; no whitespace, no '..', no leading '/' or '-'.
_REVISION_RE = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_./-]{0,254}")

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class HubSpec:
    """A parsed ``hf://org/name[@revision]`` source.

    Attributes:
        name: ``org/name`` as typed by the user.
        revision: the branch, tag or commit sha after ``@``; None for the default branch.
    """

    name: str
    revision: str | None = None

    @property
    def label(self) -> str:
        """How messages name the repository: ``org/name`` or ``org/name@revision``."""
        return self.name if self.revision is None else f"{self.name}@{self.revision}"


def is_hub_spec(text: str) -> bool:
    """True when ``text`` names a Hub model (starts with ``hf://``).

    >>> is_hub_spec("hf://google-bert/bert-base-uncased")
    True
    """
    return text.startswith(HUB_SCHEME)


def parse_hub_spec(spec: str) -> HubSpec:
    """Parse and validate ``hf://org/name[@revision]``.

    Args:
        spec (`str`): the source as typed by the user.

    Returns:
        The repository name and optional revision.

    Raises:
        SourceError: when the scheme, the repository id or the revision is malformed.

    >>> parse_hub_spec("hf://google-bert/bert-base-uncased@main")
    HubSpec(name='google-bert/bert-base-uncased', revision='main')
    """
    shown = _shorten(spec)
    if not is_hub_spec(spec):
        raise SourceError(
            f"not a Hugging Face source: {shown!r} (expected hf://org/name[@revision])"
        )
    body = spec[len(HUB_SCHEME) :]
    name, at, revision = body.partition("@")
    name = name.rstrip("/")
    hint = "Write it as hf://org/name or hf://org/name@revision, e.g. hf://google-bert/bert-base-uncased."
    if not _valid_repo_name(name):
        raise SourceError(f"invalid Hugging Face repository id in {shown!r}", hint=hint)
    if at and (not _REVISION_RE.fullmatch(revision) or ".." in revision):
        raise SourceError(f"invalid revision in {shown!r}", hint=hint)
    return HubSpec(name=name, revision=revision if at else None)


def _valid_repo_name(name: str) -> bool:
    """``org/name`` with Hub-legal parts (see ``_NAME_PART``)."""
    return bool(_REPO_NAME_RE.fullmatch(name)) and "--" not in name and ".." not in name


def mine_hub_repo(
    spec: str,
    *,
    api: HfApi | None = None,
    progress: Progress | None = None,
) -> RepoSnapshot:
    """Read one Hub model repository (metadata, refs, history, files, card) into a snapshot.

    Args:
        spec (`str`): ``hf://org/name`` or ``hf://org/name@revision``.
        api (`HfApi`, *optional*): the client to use (endpoint, token); a default ``HfApi()``
            otherwise. Its HTTP traffic goes through ``huggingface_hub``'s shared session.
        progress (`Progress`, *optional*): told about each request phase.

    Returns:
        A ``RepoSnapshot`` with repo, commits (oldest first), files (by path) and card.

    Raises:
        SourceError: the spec is malformed.
        OfflineError: offline mode is on or the Hub cannot be reached.
        RemoteError: the repo or revision does not exist, is gated, private, disabled, or the
            Hub refused or garbled the answer.

    Example:
        >>> snapshot = mine_hub_repo("hf://google-bert/bert-base-uncased")  # doctest: +SKIP
        >>> snapshot.repo.repo_id  # doctest: +SKIP
        'huggingface:google-bert/bert-base-uncased'
    """
    parsed = parse_hub_spec(spec)
    if _offline_mode():
        raise OfflineError(
            f"cannot read {parsed.label} from the Hugging Face Hub: offline mode is on "
            "(HF_HUB_OFFLINE is set)",
            hint="Unset HF_HUB_OFFLINE, or clone the repository and ingest the local folder.",
        )
    hub = api if api is not None else HfApi()
    report = progress if progress is not None else NullProgress()
    report.start(f"hf:{parsed.label}", total=5)
    try:
        return _mine(hub, parsed, spec, report)
    finally:
        report.finish()


def _mine(api: HfApi, spec: HubSpec, source: str, report: Progress) -> RepoSnapshot:
    """Make the requests in order and assemble the snapshot."""
    expand = list(MODEL_INFO_EXPAND)
    info = _call(
        spec, "model info", lambda: api.model_info(spec.name, revision=spec.revision, expand=expand)
    )
    # The Hub answers with the canonical id (case, renamed orgs); keep it when it is well formed.
    name = info.id if _valid_repo_name(info.id or "") else spec.name
    sha = info.sha or spec.revision
    rid = repo_id(Platform.HUGGINGFACE, name)
    report.advance(note="model info")

    security = _call(
        spec, "security status", lambda: api.model_info(name, revision=sha, securityStatus=True)
    ).security_repo_status
    refs = _call(spec, "refs", lambda: api.list_repo_refs(name))
    report.advance(note="refs")

    commits = _call(spec, "commits", lambda: api.list_repo_commits(name, revision=sha))
    report.advance(note=f"{len(commits)} commits")

    entries = _call(
        spec,
        "files",
        lambda: list(api.list_repo_tree(name, recursive=True, expand=True, revision=sha)),
    )
    files = tuple(
        sorted(
            (_file_record(rid, entry) for entry in entries if isinstance(entry, RepoFile)),
            key=lambda record: record.path,
        )
    )
    report.advance(note=f"{len(files)} files")

    notes = ["commit files unknown: the Hub lists commits without the files they touch"]
    card: CardRecord | None = None
    if any(record.path == CARD_PATH for record in files):
        try:
            card = _call(spec, "model card", lambda: _read_card(api, rid, name, sha))
        except RemoteError as err:
            if not _access_refused(err.__cause__):
                raise
            # Gated repos may list files but refuse their content: the rest is still worth
            # keeping, and "gated" is in the metadata. The card is then unknown, not absent.
            notes.append(f"{CARD_PATH} not readable: {err}")
    else:
        notes.append(f"no {CARD_PATH} at this revision")
    report.advance(note="card")

    repo = RepoRecord(
        repo_id=rid,
        platform=Platform.HUGGINGFACE,
        name=name,
        source=source,
        head=info.sha,
        default_branch=_default_branch(refs),
        line_counts_known=False,
        has_git_history=True,
        metadata=_metadata(info, security, spec),
    )
    return RepoSnapshot(
        repo=repo,
        commits=tuple(_commit_record(rid, commit) for commit in reversed(commits)),
        files=files,
        card=card,
        notes=tuple(notes),
    )


# --- records -------------------------------------------------------------------------------


def _metadata(info: ModelInfo, security: dict[str, Any] | None, spec: HubSpec) -> dict[str, Any]:
    """The platform facts kept on the repo record (JSON-able; dates as ISO-8601 UTC)."""
    metadata: dict[str, Any] = {
        "author": info.author,
        "downloads": info.downloads,
        "likes": info.likes,
        "pipeline_tag": info.pipeline_tag,
        "library_name": info.library_name,
        "created_at": _iso(info.created_at),
        "last_modified": _iso(info.last_modified),
        "gated": info.gated,
        "private": info.private,
        "disabled": info.disabled,
        "tags": list(info.tags) if info.tags is not None else None,
        "config": info.config,
        "security": security,
        "revision": spec.revision,
    }
    if info.id != spec.name:
        metadata["requested_as"] = spec.name
    return metadata


def _commit_record(rid: RepoId, commit: GitCommitInfo) -> CommitRecord:
    """A Hub commit: authors are Hub user names (no e-mail), one date, no parents."""
    authors = ", ".join(commit.authors)
    when = _utc(commit.created_at)
    title = commit.title or ""
    body = (commit.message or "").strip("\n")
    return CommitRecord(
        repo_id=rid,
        sha=CommitSha(commit.commit_id),
        author_name=authors,
        author_email="",
        authored_at=when,
        committer_name=authors,
        committer_email="",
        committed_at=when,
        message=f"{title}\n\n{body}" if body else title,
        parents=(),
    )


def _file_record(rid: RepoId, entry: RepoFile) -> FileRecord:
    """A file of the tree; for LFS files ``size`` is the pointer's, ``lfs_size`` the object's."""
    lfs = entry.lfs
    return FileRecord(
        repo_id=rid,
        path=entry.path,
        size=lfs.pointer_size if lfs is not None else entry.size,
        blob_id=entry.blob_id,
        lfs_sha256=lfs.sha256 if lfs is not None else None,
        lfs_size=lfs.size if lfs is not None else None,
        local_path=None,
        security=dict(entry.security) if entry.security is not None else None,
    )


def _default_branch(refs: GitRefs) -> str | None:
    """The Hub's default branch is always ``main``; otherwise the only branch, if just one."""
    names = [branch.name for branch in refs.branches]
    if constants.DEFAULT_REVISION in names:
        return constants.DEFAULT_REVISION
    return names[0] if len(names) == 1 else None


def _read_card(api: HfApi, rid: RepoId, name: str, sha: str | None) -> CardRecord:
    """Stream ``README.md`` at ``sha`` and parse it, reading one byte past the parser's bound.

    The extra byte lets :func:`parse_card` see that the card was longer and flag it truncated.
    """
    url = hf_hub_url(name, CARD_PATH, revision=sha, endpoint=api.endpoint)
    headers = build_hf_headers(token=api.token, library_name="ptmscope")
    wanted = MAX_CARD_BYTES + 1
    chunks: list[bytes] = []
    kept = 0
    with get_session().stream("GET", url, headers=headers) as response:
        hf_raise_for_status(response)
        for chunk in response.iter_bytes():
            chunks.append(chunk[: wanted - kept])
            kept += len(chunks[-1])
            if kept >= wanted:
                break
    return parse_card(rid, CARD_PATH, b"".join(chunks))


# --- errors --------------------------------------------------------------------------------


def _call(spec: HubSpec, what: str, request: Callable[[], _T]) -> _T:
    """Run one Hub request, turning its failures into one-line ptmscope errors."""
    with _hub_errors(spec, what):
        return request()
    raise AssertionError("unreachable")  # pragma: no cover - _hub_errors always re-raises


@contextmanager
def _hub_errors(spec: HubSpec, what: str) -> Iterator[None]:
    """Translate huggingface_hub / httpx2 exceptions (most specific first)."""
    label = spec.label
    page = f"https://huggingface.co/{spec.name}"
    login = "log in with `hf auth login` (or set HF_TOKEN)"
    try:
        yield
    except (OfflineModeIsEnabled, httpx2.NetworkError, httpx2.TimeoutException) as exc:
        reason = "offline mode is on" if isinstance(exc, OfflineModeIsEnabled) else _why(exc)
        raise OfflineError(
            f"cannot reach the Hugging Face Hub to read {label} ({what}): {reason}"
        ) from exc
    except GatedRepoError as exc:
        raise RemoteError(
            f"{label} is gated on the Hugging Face Hub: access to its files needs approval",
            hint=f"Accept its conditions at {page}, {login}, then retry.",
        ) from exc
    except RevisionNotFoundError as exc:
        raise RemoteError(
            f"revision {spec.revision or constants.DEFAULT_REVISION!r} of {spec.name} was not "
            "found on the Hugging Face Hub",
            hint=f"List its branches and tags at {page}/tree/main, or drop '@revision'.",
        ) from exc
    except RepositoryNotFoundError as exc:
        raise RemoteError(
            f"{spec.name} was not found on the Hugging Face Hub (or it is private)",
            hint=f"Check the spelling at {page}; for a private or gated model {login}.",
        ) from exc
    except DisabledRepoError as exc:
        raise RemoteError(
            f"{spec.name} has been disabled on the Hugging Face Hub",
            hint="Its files cannot be read; choose another model.",
        ) from exc
    except HfHubHTTPError as exc:
        status = exc.response.status_code if exc.response is not None else None
        raise RemoteError(
            f"the Hugging Face Hub refused to give the {what} of {label} (HTTP {status})",
            hint=_status_hint(status, login),
        ) from exc
    except httpx2.HTTPError as exc:
        raise RemoteError(
            f"the Hugging Face Hub request for the {what} of {label} failed: {_why(exc)}"
        ) from exc
    except (KeyError, TypeError, ValueError) as exc:
        # huggingface_hub indexes the JSON it receives; a missing field surfaces here.
        raise RemoteError(
            f"unexpected answer from the Hugging Face Hub for the {what} of {label}: {_why(exc)}",
            hint="Retry later; if it persists, report it with PTMSCOPE_DEBUG=1 output.",
        ) from exc


def _access_refused(exc: BaseException | None) -> bool:
    """True when the Hub refused access (gated, private) rather than failing."""
    if isinstance(exc, GatedRepoError):
        return True
    response = exc.response if isinstance(exc, HfHubHTTPError) else None
    return response is not None and response.status_code in (401, 403)


def _status_hint(status: int | None, login: str) -> str:
    """What to do after an HTTP error the Hub gave no specific code for."""
    if status in (401, 403):
        return f"The model may be private or gated: {login} with a token that can read it."
    if status == 429:
        return "You are rate limited: wait a few minutes, or log in to get a higher limit."
    return "Retry later; the Hub may be having trouble."


def _why(exc: BaseException) -> str:
    """A short single-line reason for ``exc``."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return _shorten(text, 160)


def _shorten(text: str, limit: int = 120) -> str:
    """``text`` without control characters, cut to ``limit`` characters."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in text)
    return clean if len(clean) <= limit else clean[: limit - 3] + "..."


# --- small helpers -------------------------------------------------------------------------


def _offline_mode() -> bool:
    """True when ``HF_HUB_OFFLINE`` is set now (huggingface_hub reads it once, at import)."""
    value = os.environ.get("HF_HUB_OFFLINE", "").strip().upper()
    return value in {"1", "ON", "YES", "TRUE"} or constants.is_offline_mode()


def _utc(when: datetime) -> datetime:
    """``when`` as an aware UTC datetime (naive values are taken as UTC)."""
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _iso(when: datetime | None) -> str | None:
    """ISO-8601 UTC text for the metadata bag."""
    return _utc(when).isoformat() if when is not None else None
