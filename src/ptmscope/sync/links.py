"""Content links between a family's two sides, beyond the study's dates-and-labels method.

Two kinds of evidence tie a Hugging Face variant commit to the GitHub commit it came from:

* **auto-sync messages**: a variant commit whose message is
  ``Auto Sync from git://github.com/<owner>/<repo>.git/commit/<sha>`` came from that commit;
* **identical blobs**: a file a variant commit adds or modifies has a git blob id that some
  upstream commit produced, under any path (upstream ``release/config.json`` and the variant's
  ``config.json`` with identical content are the same version of the file).

The store keeps, for every commit, the blob id each touched path had after it
(``commit_files.blob_id``), so a file's *version* is its blob and the upstream history of a
path is a sequence of blobs. From that lineage this module reports, per family:

* **isolated upstream changes**: upstream commits that changed a file the variants ship and
  that no variant ever picked up (no variant ever held that version or a later one);
* **variant-only edits**: variant commits writing a version of a shared file that never
  appears upstream;
* **staleness**: a file a variant ships at HEAD whose blob is an older upstream version of
  some path that upstream has changed since, with upstream's newer commit, when it changed and
  the days since.

Repositories mined without per-commit blob ids (Hub repos read through ``hf://``) fall back to
the older approximation that dates a file's version by the last commit that touched its path
and compares blobs at HEAD only; every variant says which method was used
(:class:`StalenessMethod`). Everything here is pure: the caller passes :class:`RepoSide` values
built from the store.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from posixpath import basename
from typing import NamedTuple

AUTO_SYNC_MARK = "Auto Sync from git://github.com/"
AUTO_SYNC_RE = re.compile(
    r"Auto Sync from git://github\.com/(?P<owner>[\w.-]+)/(?P<repo>[\w.-]+?)(?:\.git)?"
    r"/commit/(?P<sha>[0-9a-fA-F]{7,40})\b"
)

#: The git blob id of an empty file: identical everywhere, so it proves nothing.
EMPTY_BLOB = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"

#: **(ours)** Repository plumbing files that are often byte-identical by template (the Hub's
#: default ``.gitattributes``, a stock ``.gitignore``): an identical blob there is no evidence
#: that one side copied the other, and they are not shipped model files.
PLUMBING_FILE_NAMES = frozenset({".gitattributes", ".gitignore"})


class LinkMethod(StrEnum):
    """How a variant commit was tied to an upstream commit."""

    AUTO_SYNC = "auto_sync"
    IDENTICAL_BLOB = "identical_blob"


class StalenessMethod(StrEnum):
    """How versions of a file were compared for a variant.

    ``blob_history``: both sides have per-commit blob ids (exact: versions are blobs).
    ``path_dates``: at least one side lacks them (e.g. mined from the Hub): blobs at HEAD are
    compared and a version is dated by the last commit that touched its path.
    """

    BLOB_HISTORY = "blob_history"
    PATH_DATES = "path_dates"


class CommitInfo(NamedTuple):
    """The few facts of a commit that linking needs.

    A NamedTuple rather than a frozen dataclass: a corpus run builds hundreds of thousands of
    them, and tuples are several times cheaper to create; it is just as immutable.

    Attributes:
        at: commit time, aware UTC.
        paths: the paths the commit touched.
        blobs: parallel to ``paths``: the blob id of each path after the commit (None when
            deleted or unknown); empty when the repository was mined without blob ids.
    """

    sha: str
    at: datetime
    message: str
    paths: tuple[str, ...] = ()
    blobs: tuple[str | None, ...] = ()


@dataclass(frozen=True, slots=True)
class RepoSide:
    """One repository as linking sees it.

    Attributes:
        name: ``owner/name`` on its platform.
        commits: oldest first.
        head_blobs: path at HEAD -> git blob id (None when unknown).
    """

    name: str
    commits: tuple[CommitInfo, ...]
    head_blobs: Mapping[str, str | None] = field(default_factory=dict)

    @property
    def has_blob_history(self) -> bool:
        """True when the commits carry per-commit blob ids."""
        return any(c.blobs for c in self.commits)

    def last_touch(self, path: str) -> CommitInfo | None:
        """The last commit that touched ``path``."""
        for commit in reversed(self.commits):
            if path in commit.paths:
                return commit
        return None


@dataclass(frozen=True, slots=True)
class LinkedFile:
    """One file behind a commit link.

    Attributes:
        upstream_path: the upstream path that had the same blob (None when unknown, e.g. an
            auto-sync commit touching a file upstream never had).
        blob_id: the blob the variant commit wrote (None when deleted or unknown).
    """

    variant_path: str
    upstream_path: str | None
    blob_id: str | None


@dataclass(frozen=True, slots=True)
class CommitLink:
    """A variant commit tied to the upstream commit it came from.

    Attributes:
        variant_sha / variant_at: the variant commit (None for a HEAD-only blob link of the
            ``path_dates`` method when no variant commit touched the file).
        method: auto-sync message or identical blob.
        upstream_repo / upstream_sha: as named by the message, or upstream's commit that
            produced the blob.
        resolved: the upstream commit is stored (always True for identical blobs).
        upstream_at: the upstream commit's time when resolved.
        files: the files behind the link (identical blobs; the touched files for auto-sync).
    """

    variant: str
    variant_sha: str | None
    variant_at: datetime | None
    method: LinkMethod
    upstream_repo: str
    upstream_sha: str | None
    resolved: bool
    upstream_at: datetime | None
    files: tuple[LinkedFile, ...] = ()


@dataclass(frozen=True, slots=True)
class StaleFile:
    """A file a variant ships in an older version than upstream.

    Attributes:
        method: how versions were compared.
        variant_blob / upstream_blob: the variant's version at HEAD and upstream's latest.
        variant_version_at: when the variant wrote its version (None: not in its history).
        upstream_version_at: when upstream produced the variant's version (``blob_history``).
        upstream_changes: upstream commits to the path after that version, oldest first.
        first_missed_at: when upstream first changed the file after the variant's version
            (the commit is ``upstream_changes[0]``): the file is stale since then.
        last_upstream_change_at: upstream's latest change to the file.
        days_stale / days_since_upstream_change: days from those two moments to ``as_of``.
    """

    variant: str
    variant_path: str
    upstream_path: str
    method: StalenessMethod
    variant_blob: str | None
    upstream_blob: str | None
    variant_version_at: datetime | None
    upstream_version_at: datetime | None
    upstream_changes: tuple[str, ...]
    first_missed_at: datetime
    last_upstream_change_at: datetime
    days_stale: int
    days_since_upstream_change: int

    @property
    def first_missed_sha(self) -> str:
        """Upstream's first commit the variant's version lacks."""
        return self.upstream_changes[0]

    @property
    def latest_upstream_sha(self) -> str:
        """Upstream's latest commit to the file."""
        return self.upstream_changes[-1]


@dataclass(frozen=True, slots=True)
class VariantEdit:
    """A variant commit that wrote a version of a shared file upstream never had.

    Attributes:
        upstream_path: the upstream file it corresponds to (None when only the variant's own
            history of the path ties it to upstream).
        blob_id: the version written (None with the ``path_dates`` method).
    """

    variant: str
    sha: str
    at: datetime
    variant_path: str
    upstream_path: str | None
    blob_id: str | None = None


@dataclass(frozen=True, slots=True)
class VariantLinks:
    """Everything linking found for one variant.

    Attributes:
        method: how file versions were compared (see :class:`StalenessMethod`).
        shared_paths: variant path at HEAD -> the upstream path it corresponds to.
        commit_links: auto-sync and identical-blob links, in variant commit order.
        last_sync_at: the latest upstream time the variant is known to include (from its
            links), the fallback of the ``path_dates`` method (see
            :data:`LAST_SYNC_FALLBACK`), or None.
        last_sync_source: ``auto_sync``, ``blob``, ``fallback_last_variant_commit`` or
            ``none``.
        relevant_changes: upstream commits that changed a file the variant ships.
        isolated_changes: those the variant never picked up.
        shared_history: commits (shas) found in both the variant's and upstream's history:
            the same git history was pushed to both platforms, so those commits are one
            change counted on each side, not two changes that happen to coincide.
    """

    variant: str
    method: StalenessMethod
    shared_paths: Mapping[str, str]
    commit_links: tuple[CommitLink, ...]
    last_sync_at: datetime | None
    last_sync_source: str
    relevant_changes: tuple[str, ...]
    isolated_changes: tuple[str, ...]
    stale_files: tuple[StaleFile, ...]
    variant_only_edits: tuple[VariantEdit, ...]
    shared_history: tuple[str, ...] = ()

    @property
    def auto_sync(self) -> tuple[CommitLink, ...]:
        """The auto-sync links (resolved or not)."""
        return tuple(lk for lk in self.commit_links if lk.method is LinkMethod.AUTO_SYNC)

    @property
    def blob_links(self) -> tuple[CommitLink, ...]:
        """The identical-blob links."""
        return tuple(lk for lk in self.commit_links if lk.method is LinkMethod.IDENTICAL_BLOB)


@dataclass(frozen=True, slots=True)
class FamilyLinks:
    """Content links of a family.

    Attributes:
        as_of: the reference time for "days since" (the family's latest commit).
        isolated_changes: upstream commits that changed files some variant ships and that no
            variant picked up.
    """

    as_of: datetime
    variants: tuple[VariantLinks, ...]
    isolated_changes: tuple[str, ...]

    @property
    def methods(self) -> tuple[str, ...]:
        """The comparison methods used, one entry per distinct method."""
        return tuple(sorted({v.method.value for v in self.variants}))


#: **(ours)** ``path_dates`` method only: a variant with neither an auto-sync nor a blob link
#: is taken to include upstream up to its own last commit: that is the latest moment it could
#: have picked changes up, so isolated changes are never over-counted.
LAST_SYNC_FALLBACK = "fallback_last_variant_commit"
NO_SYNC = "none"


#: **(ours)** A Hub README is the model card, a document of its own, while upstream's README
#: documents the project: an identical README still links the two sides (a verbatim copy), but
#: a README is never stale nor a variant-only edit, and upstream README edits are never
#: isolated changes.
CARD_FILE_NAMES = frozenset({"readme.md", "readme", "readme.rst", "readme.txt"})


def is_card(path: str) -> bool:
    """True for README files (see :data:`CARD_FILE_NAMES`)."""
    return basename(path).lower() in CARD_FILE_NAMES


_PLUMBING_SUFFIXES = tuple(PLUMBING_FILE_NAMES)


def _is_plumbing(path: str) -> bool:
    # endswith first: this runs for every touched path of a corpus
    return path.endswith(_PLUMBING_SUFFIXES) and basename(path) in PLUMBING_FILE_NAMES


def _is_evidence(path: str, blob: str | None) -> bool:
    """A (path, blob) pair that can tie the two sides (see :data:`PLUMBING_FILE_NAMES`)."""
    return blob is not None and blob != EMPTY_BLOB and not _is_plumbing(path)


def parse_auto_sync(message: str) -> tuple[str, str, str] | None:
    """``(owner, repo, sha)`` named by an auto-sync message, or None.

    >>> parse_auto_sync("Auto Sync from git://github.com/org/repo.git/commit/0123abcd")
    ('org', 'repo', '0123abcd')
    """
    match = AUTO_SYNC_RE.search(message)
    if match is None:
        return None
    return match["owner"], match["repo"], match["sha"].lower()


def match_shared_paths(
    variant_paths: Iterable[str], upstream_paths: Iterable[str]
) -> dict[str, str]:
    """Variant path -> upstream path of the same file (used without blob history).

    **(ours)** Same path first; otherwise the same file name when exactly one upstream path
    has it (Hub repos flatten upstream folders: ``configs/base/config.json`` ->
    ``config.json``). Ambiguous names are not matched.
    """
    upstream = set(upstream_paths)
    by_name: dict[str, list[str]] = {}
    for path in upstream:
        by_name.setdefault(basename(path), []).append(path)
    out: dict[str, str] = {}
    for path in variant_paths:
        if path in upstream:
            out[path] = path
        else:
            candidates = by_name.get(basename(path), [])
            if len(candidates) == 1:
                out[path] = candidates[0]
    return out


def _days(later: datetime, earlier: datetime) -> int:
    """Calendar days between two moments, counted on UTC dates (as the bins are)."""
    return max(0, (later.astimezone(UTC).date() - earlier.astimezone(UTC).date()).days)


# ---------------------------------------------------------------------------------------------
# auto-sync links (both methods)


def _auto_sync_link(
    upstream: RepoSide, by_sha: Mapping[str, CommitInfo], variant: str, commit: CommitInfo
) -> CommitLink | None:
    parsed = parse_auto_sync(commit.message)
    if parsed is None:
        return None
    owner, repo, sha = parsed
    target = None
    if f"{owner}/{repo}".lower() == upstream.name.lower():
        target = by_sha.get(sha) or next(
            (c for c in upstream.commits if c.sha.lower().startswith(sha)), None
        )
    target_blobs = (
        {} if target is None else dict(zip(target.blobs, target.paths, strict=False))
    )
    blobs = commit.blobs or (None,) * len(commit.paths)
    files = tuple(
        LinkedFile(path, target_blobs.get(blob) if blob is not None else None, blob)
        for path, blob in zip(commit.paths, blobs, strict=True)
    )
    return CommitLink(
        variant=variant, variant_sha=commit.sha, variant_at=commit.at,
        method=LinkMethod.AUTO_SYNC, upstream_repo=f"{owner}/{repo}",
        upstream_sha=sha if target is None else target.sha, resolved=target is not None,
        upstream_at=None if target is None else target.at, files=files,
    )


def auto_sync_links(upstream: RepoSide, variant: RepoSide) -> tuple[CommitLink, ...]:
    """Auto-sync links of ``variant``; resolved when the sha (or its prefix) is upstream's."""
    by_sha = {c.sha.lower(): c for c in upstream.commits}
    found = (_auto_sync_link(upstream, by_sha, variant.name, c) for c in variant.commits
             if AUTO_SYNC_MARK in c.message)  # cheap test before the call and the regex
    return tuple(link for link in found if link is not None)


def _last_sync(links: Iterable[CommitLink]) -> tuple[datetime, str] | None:
    points = [
        (lk.upstream_at, "auto_sync" if lk.method is LinkMethod.AUTO_SYNC else "blob")
        for lk in links if lk.upstream_at is not None
    ]
    return max(points, key=lambda item: item[0]) if points else None


# ---------------------------------------------------------------------------------------------
# blob_history method


class _Touch(NamedTuple):
    """One upstream commit's change to one path."""

    commit: CommitInfo
    blob: str | None


@dataclass(frozen=True, slots=True)
class UpstreamIndex:
    """Upstream's blob lineage, built once per family and shared by its variants.

    Attributes:
        history: upstream path -> its touches, oldest first (blob None: deleted).
        occurrences: blob -> ``(path, position in history[path])`` where upstream wrote it.
        producers: blob -> ``(commit, path)`` of the upstream touches that wrote it, oldest
            first (only blobs that count as evidence, see :func:`_is_evidence`).
        by_name: file name -> upstream paths with that name (ever).
    """

    history: Mapping[str, tuple[_Touch, ...]]
    occurrences: Mapping[str, tuple[tuple[str, int], ...]]
    producers: Mapping[str, Sequence[tuple[CommitInfo, str]]]
    by_name: Mapping[str, tuple[str, ...]]


def index_upstream(upstream: RepoSide) -> UpstreamIndex:
    """Index upstream's per-commit blobs (see :class:`UpstreamIndex`)."""
    history: dict[str, list[_Touch]] = {}
    occurrences: dict[str, list[tuple[str, int]]] = {}
    producers: dict[str, list[tuple[CommitInfo, str]]] = {}
    for commit in upstream.commits:
        blobs = commit.blobs or (None,) * len(commit.paths)
        for path, blob in zip(commit.paths, blobs, strict=True):
            touches = history.setdefault(path, [])
            if blob is not None:
                occurrences.setdefault(blob, []).append((path, len(touches)))
                if _is_evidence(path, blob):
                    producers.setdefault(blob, []).append((commit, path))
            touches.append(_Touch(commit, blob))
    by_name: dict[str, list[str]] = {}
    for path in history:
        by_name.setdefault(basename(path), []).append(path)
    return UpstreamIndex(
        history={p: tuple(t) for p, t in history.items()},
        occurrences={b: tuple(o) for b, o in occurrences.items()},
        producers=producers,
        by_name={n: tuple(sorted(p)) for n, p in by_name.items()},
    )


def _producer(index: UpstreamIndex, blob: str, when: datetime) -> tuple[CommitInfo, str]:
    """The upstream commit a variant version written at ``when`` came from.

    **(ours)** The last upstream commit that wrote the blob at or before ``when`` (a revert
    writes an old blob again: the variant came from the revert); when upstream wrote it only
    later (the variant was first), the earliest upstream commit that wrote it.
    """
    made = index.producers[blob]
    if len(made) == 1:
        return made[0]
    i = bisect_right([c.at for c, _ in made], when)
    return made[i - 1] if i else made[0]


def _blob_links(
    upstream: RepoSide, index: UpstreamIndex, variant: RepoSide
) -> list[CommitLink]:
    out: list[CommitLink] = []
    for commit in variant.commits:
        grouped: dict[str, tuple[CommitInfo, list[LinkedFile]]] = {}
        for path, blob in zip(commit.paths, commit.blobs or (), strict=False):
            # producers holds evidence blobs only; the variant's path may still be plumbing
            if blob is None or blob not in index.producers or _is_plumbing(path):
                continue
            source, up_path = _producer(index, blob, commit.at)
            grouped.setdefault(source.sha, (source, []))[1].append(
                LinkedFile(path, up_path, blob)
            )
        for source, files in grouped.values():
            out.append(CommitLink(
                variant=variant.name, variant_sha=commit.sha, variant_at=commit.at,
                method=LinkMethod.IDENTICAL_BLOB, upstream_repo=upstream.name,
                upstream_sha=source.sha, resolved=True, upstream_at=source.at,
                files=tuple(files),
            ))
    return out


def _variant_versions(variant: RepoSide) -> tuple[dict[str, list[tuple[CommitInfo, str]]],
                                                  dict[str, str]]:
    """The variant's written versions per path, and what it ships at HEAD (path -> blob)."""
    written: dict[str, list[tuple[CommitInfo, str]]] = {}
    current: dict[str, str | None] = {}
    for commit in variant.commits:
        for path, blob in zip(commit.paths, commit.blobs or (), strict=False):
            current[path] = blob
            if blob is not None:
                written.setdefault(path, []).append((commit, blob))
    # HEAD as listed (a path the listing has without a blob id keeps its last written one)
    head = {p: current.get(p) if b is None else b for p, b in variant.head_blobs.items()}
    shipped = {p: b for p, b in (head or current).items() if b is not None}
    return written, shipped


def _stale_file(
    index: UpstreamIndex, variant: str, path: str, blob: str,
    written: Sequence[tuple[CommitInfo, str]], as_of: datetime,
) -> StaleFile | None:
    """Staleness of one shipped file (``blob_history``); None when up to date or unrelated.

    **(ours)** The variant's blob may be a version of several upstream paths. The file is up to
    date when one of them still has that blob at HEAD; otherwise it is stale against a path
    upstream changed after that version (not one it deleted), preferring the same file name,
    then the same path, then the most recent occurrence of the version.
    """
    candidates: list[tuple[tuple[bool, bool, float], str, int]] = []
    seen: dict[str, int] = {}
    for up_path, position in index.occurrences.get(blob, ()):
        seen[up_path] = max(position, seen.get(up_path, -1))
    for up_path, position in seen.items():
        touches = index.history[up_path]
        latest = touches[-1].blob
        if latest == blob:
            return None
        if latest is None:
            continue
        key = (basename(up_path) != basename(path), up_path != path,
               -touches[position].commit.at.timestamp())
        candidates.append((key, up_path, position))
    if not candidates:
        return None
    _, up_path, position = min(candidates)
    touches = index.history[up_path]
    later = touches[position + 1:]
    mine = [c for c, b in written if b == blob]
    return StaleFile(
        variant=variant, variant_path=path, upstream_path=up_path,
        method=StalenessMethod.BLOB_HISTORY, variant_blob=blob, upstream_blob=touches[-1].blob,
        variant_version_at=mine[-1].at if mine else None,
        upstream_version_at=touches[position].commit.at,
        upstream_changes=tuple(t.commit.sha for t in later),
        first_missed_at=later[0].commit.at, last_upstream_change_at=later[-1].commit.at,
        days_stale=_days(as_of, later[0].commit.at),
        days_since_upstream_change=_days(as_of, later[-1].commit.at),
    )


def _lineage_paths(index: UpstreamIndex, path: str, versions: Iterable[str]) -> tuple[str, ...]:
    """Upstream paths that are the same file as the variant's ``path``.

    **(ours)** The upstream paths that ever held one of the variant's versions of the file
    (same blob history); failing that, the upstream paths with the same file name.
    """
    by_blob = sorted({p for b in versions for p, _ in index.occurrences.get(b, ())})
    return tuple(by_blob) if by_blob else index.by_name.get(basename(path), ())


def _link_by_blob_history(
    upstream: RepoSide, index: UpstreamIndex, variant: RepoSide, as_of: datetime
) -> VariantLinks:
    written, shipped = _variant_versions(variant)
    picked = {b for versions in written.values() for _, b in versions}
    picked.update(shipped.values())
    links = sorted(
        [*auto_sync_links(upstream, variant), *_blob_links(upstream, index, variant)],
        key=lambda lk: (lk.variant_at or as_of, lk.method.value),
    )
    shared: dict[str, str] = {}
    lineage: dict[str, tuple[str, ...]] = {}
    for path in sorted({*shipped, *written}):
        if is_card(path) or _is_plumbing(path):
            continue
        versions = {b for _, b in written.get(path, ())}
        if path in shipped:
            versions.add(shipped[path])
        matched = _lineage_paths(index, path, versions)
        if matched:
            lineage[path] = matched
            if path in shipped:
                same_name = [p for p in matched if basename(p) == basename(path)]
                shared[path] = (same_name or list(matched))[0]
    stale = [
        s for path in sorted(shipped) if path in lineage
        for s in [_stale_file(index, variant.name, path, shipped[path],
                              written.get(path, ()), as_of)]
        if s is not None
    ]
    edits = [
        VariantEdit(variant.name, commit.sha, commit.at, path, shared.get(path), blob)
        for path in sorted(lineage) for commit, blob in written.get(path, ())
        if blob not in index.occurrences and blob != EMPTY_BLOB
    ]
    edits.sort(key=lambda e: (e.at, e.sha, e.variant_path))
    relevant: set[str] = set()
    reached: set[str] = set()
    for up_path in {p for path in shipped if path in lineage for p in lineage[path]}:
        touches = [t for t in index.history[up_path] if t.blob is not None]
        last_picked = max((i for i, t in enumerate(touches) if t.blob in picked), default=-1)
        relevant.update(t.commit.sha for t in touches)
        reached.update(t.commit.sha for t in touches[: last_picked + 1])
    order = [c.sha for c in upstream.commits]
    sync = _last_sync(links)
    return VariantLinks(
        variant=variant.name, method=StalenessMethod.BLOB_HISTORY, shared_paths=shared,
        commit_links=tuple(links),
        last_sync_at=None if sync is None else sync[0],
        last_sync_source=NO_SYNC if sync is None else sync[1],
        relevant_changes=tuple(s for s in order if s in relevant),
        isolated_changes=tuple(s for s in order if s in relevant and s not in reached),
        stale_files=tuple(stale), variant_only_edits=tuple(edits),
    )


# ---------------------------------------------------------------------------------------------
# path_dates method (no per-commit blob ids on one side)


def _link_by_path_dates(upstream: RepoSide, variant: RepoSide, as_of: datetime) -> VariantLinks:
    """The approximation used without per-commit blob ids.

    Blobs are compared at HEAD (same path, else a unique same file name upstream); a version
    is dated by the last commit of its side that touched the path. A differing file is stale
    when upstream touched it after the variant last did, else the variant's later touches
    are variant-only edits.
    """
    shared = {
        v_path: u_path
        for v_path, u_path in match_shared_paths(variant.head_blobs, upstream.head_blobs).items()
        if not _is_plumbing(v_path) and (
            not is_card(v_path)
            or variant.head_blobs.get(v_path) == upstream.head_blobs.get(u_path))
    }
    links: list[CommitLink] = list(auto_sync_links(upstream, variant))
    stale: list[StaleFile] = []
    edits: list[VariantEdit] = []
    for v_path, u_path in sorted(shared.items()):
        v_blob, u_blob = variant.head_blobs.get(v_path), upstream.head_blobs.get(u_path)
        if v_blob is None or u_blob is None:
            continue
        producer = upstream.last_touch(u_path)
        v_touch = variant.last_touch(v_path)
        if v_blob == u_blob:
            links.append(CommitLink(
                variant=variant.name, variant_sha=None if v_touch is None else v_touch.sha,
                variant_at=None if v_touch is None else v_touch.at,
                method=LinkMethod.IDENTICAL_BLOB, upstream_repo=upstream.name,
                upstream_sha=None if producer is None else producer.sha,
                resolved=producer is not None,
                upstream_at=None if producer is None else producer.at,
                files=(LinkedFile(v_path, u_path, v_blob),),
            ))
            continue
        if is_card(v_path):
            continue
        since = None if v_touch is None else v_touch.at
        missed = [c for c in upstream.commits
                  if u_path in c.paths and (since is None or c.at > since)]
        if missed:
            stale.append(StaleFile(
                variant=variant.name, variant_path=v_path, upstream_path=u_path,
                method=StalenessMethod.PATH_DATES, variant_blob=v_blob, upstream_blob=u_blob,
                variant_version_at=since, upstream_version_at=None,
                upstream_changes=tuple(c.sha for c in missed),
                first_missed_at=missed[0].at, last_upstream_change_at=missed[-1].at,
                days_stale=_days(as_of, missed[0].at),
                days_since_upstream_change=_days(as_of, missed[-1].at),
            ))
        else:
            after = None if producer is None else producer.at
            edits += [
                VariantEdit(variant.name, c.sha, c.at, v_path, u_path)
                for c in variant.commits
                if v_path in c.paths and (after is None or c.at > after)
                and parse_auto_sync(c.message) is None
            ]
    links.sort(key=lambda lk: (lk.variant_at or as_of, lk.method.value))
    sync = _last_sync(links)
    if sync is not None:
        last_sync_at, source = sync
    elif variant.commits:
        last_sync_at, source = variant.commits[-1].at, LAST_SYNC_FALLBACK
    else:
        last_sync_at, source = None, LAST_SYNC_FALLBACK
    shipped_upstream_paths = {u for v, u in shared.items() if not is_card(v)}
    relevant = [c for c in upstream.commits if shipped_upstream_paths.intersection(c.paths)]
    return VariantLinks(
        variant=variant.name, method=StalenessMethod.PATH_DATES,
        shared_paths=dict(sorted(shared.items())), commit_links=tuple(links),
        last_sync_at=last_sync_at, last_sync_source=source,
        relevant_changes=tuple(c.sha for c in relevant),
        isolated_changes=tuple(
            c.sha for c in relevant if last_sync_at is not None and c.at > last_sync_at
        ),
        stale_files=tuple(stale), variant_only_edits=tuple(edits),
    )


# ---------------------------------------------------------------------------------------------
# entry points


def link_variant(
    upstream: RepoSide, variant: RepoSide, as_of: datetime,
    index: UpstreamIndex | None = None,
) -> VariantLinks:
    """Link one variant to upstream, by blob history when both sides have it.

    Args:
        index: upstream's :func:`index_upstream` (built here when not given).
    """
    if upstream.has_blob_history and variant.has_blob_history:
        linked = _link_by_blob_history(upstream, index or index_upstream(upstream), variant, as_of)
    else:
        linked = _link_by_path_dates(upstream, variant, as_of)
    shared = shared_history(upstream, variant)
    return replace(linked, shared_history=shared) if shared else linked


def shared_history(upstream: RepoSide, variant: RepoSide) -> tuple[str, ...]:
    """Shas of the variant's commits that are also upstream commits, in variant order.

    A sha names a commit's whole content and ancestry, so the same sha on both sides means
    the variant repository carries upstream's git history (a mirror or a push of the same
    clone), not an independent change.
    """
    upstream_shas = {c.sha for c in upstream.commits}
    return tuple(c.sha for c in variant.commits if c.sha in upstream_shas)


def link_family(
    upstream: RepoSide, variants: Sequence[RepoSide], as_of: datetime | None = None
) -> FamilyLinks:
    """Link every variant to upstream and find upstream changes that reached no variant.

    Args:
        as_of: reference time for the "days since" figures; default the latest commit of the
            family (so results do not drift with the wall clock).
    """
    moments = [c.at for side in (upstream, *variants) for c in side.commits]
    reference = as_of or (max(moments) if moments else datetime.fromtimestamp(0).astimezone())
    index = index_upstream(upstream) if upstream.has_blob_history else None
    linked = tuple(link_variant(upstream, v, reference, index) for v in variants)
    relevant = {sha for v in linked for sha in v.relevant_changes}
    reached = {
        sha for v in linked
        for sha in set(v.relevant_changes).difference(v.isolated_changes)
    }
    never = tuple(
        c.sha for c in upstream.commits if c.sha in relevant and c.sha not in reached
    )
    return FamilyLinks(as_of=reference, variants=linked, isolated_changes=never)
