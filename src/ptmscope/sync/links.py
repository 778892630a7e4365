"""Content links between a family's two sides, beyond the study's dates-and-labels method.

Two kinds of evidence tie a Hugging Face variant to its upstream GitHub repository:

* **auto-sync messages**: a variant commit whose message is
  ``Auto Sync from git://github.com/<owner>/<repo>.git/commit/<sha>`` came from that commit;
* **identical blobs**: a file shipped on both sides (README, config.json, tokenizer files,
  code) with the same git blob id is the same version of the file; that version was produced
  by the last upstream commit that touched the path.

From those links and the commit/path history this module reports, per variant: its last sync
point, the upstream changes after it that touched files the variant ships (*isolated
changes*), files it ships in an older version than upstream (*staleness*, with the days since
upstream changed them) and edits made only on the variant (*variant-only edits*).

Limits (the store keeps blob ids at HEAD only, not per commit): a file's version on a side is
dated by the last commit of that side that touched its path. Everything here is pure: the
caller passes :class:`RepoSide` values built from the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from posixpath import basename
from typing import NamedTuple

AUTO_SYNC_MARK = "Auto Sync from git://github.com/"
AUTO_SYNC_RE = re.compile(
    r"Auto Sync from git://github\.com/(?P<owner>[\w.-]+)/(?P<repo>[\w.-]+?)(?:\.git)?"
    r"/commit/(?P<sha>[0-9a-fA-F]{7,40})\b"
)


class CommitInfo(NamedTuple):
    """The few facts of a commit that linking needs.

    A NamedTuple rather than a frozen dataclass: a corpus run builds hundreds of thousands of
    them, and tuples are several times cheaper to create; it is just as immutable.

    Attributes:
        at: commit time, aware UTC.
        paths: the paths the commit touched.
    """

    sha: str
    at: datetime
    message: str
    paths: tuple[str, ...] = ()


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

    def last_touch(self, path: str) -> CommitInfo | None:
        """The last commit that touched ``path``."""
        for commit in reversed(self.commits):
            if path in commit.paths:
                return commit
        return None


@dataclass(frozen=True, slots=True)
class AutoSyncLink:
    """A variant commit whose message names the upstream commit it was synced from.

    Attributes:
        resolved: the named repository is the family's upstream and the sha is stored there.
        upstream_at: the upstream commit's time when resolved.
    """

    variant: str
    variant_sha: str
    variant_at: datetime
    upstream_repo: str
    upstream_sha: str
    resolved: bool
    upstream_at: datetime | None


@dataclass(frozen=True, slots=True)
class BlobLink:
    """A file shipped on both sides with the same blob id at HEAD.

    Attributes:
        upstream_sha / upstream_at: the upstream commit that produced the blob (the last one
            that touched the path), when the history shows it.
    """

    variant: str
    variant_path: str
    upstream_path: str
    blob_id: str
    upstream_sha: str | None
    upstream_at: datetime | None


@dataclass(frozen=True, slots=True)
class StaleFile:
    """A file a variant ships in an older version than upstream.

    Attributes:
        variant_version_at: when the variant last changed the file (None: never in its
            history, i.e. shipped in its first commit).
        upstream_changes: upstream commits to the file after that, oldest first.
        days_stale: days from the first missed upstream change to ``as_of``.
        days_since_upstream_change: days from the latest upstream change to ``as_of``.
    """

    variant: str
    variant_path: str
    upstream_path: str
    variant_version_at: datetime | None
    upstream_changes: tuple[str, ...]
    first_missed_at: datetime
    last_upstream_change_at: datetime
    days_stale: int
    days_since_upstream_change: int


@dataclass(frozen=True, slots=True)
class VariantEdit:
    """A variant commit that changed a shared file after upstream's last change to it."""

    variant: str
    sha: str
    at: datetime
    variant_path: str
    upstream_path: str


@dataclass(frozen=True, slots=True)
class VariantLinks:
    """Everything linking found for one variant.

    Attributes:
        last_sync_at: the latest upstream time the variant is known to include (from
            auto-sync and blob links), or the fallback (see :data:`LAST_SYNC_FALLBACK`).
        last_sync_source: ``auto_sync``, ``blob`` or ``fallback_last_variant_commit``.
        isolated_changes: upstream commits after ``last_sync_at`` that touched a file the
            variant ships (their changes never reached it).
    """

    variant: str
    shared_paths: Mapping[str, str]
    auto_sync: tuple[AutoSyncLink, ...]
    blobs: tuple[BlobLink, ...]
    last_sync_at: datetime | None
    last_sync_source: str
    isolated_changes: tuple[str, ...]
    stale_files: tuple[StaleFile, ...]
    variant_only_edits: tuple[VariantEdit, ...]


@dataclass(frozen=True, slots=True)
class FamilyLinks:
    """Content links of a family.

    Attributes:
        as_of: the reference time for "days since" (the family's latest commit).
        isolated_changes: upstream commits that touched files some variant ships and reached
            none of the variants shipping those files.
    """

    as_of: datetime
    variants: tuple[VariantLinks, ...]
    isolated_changes: tuple[str, ...]


#: **(ours)** A variant with neither an auto-sync nor a blob link is taken to include upstream
#: up to its own last commit: that is the latest moment it could have picked changes up, so
#: isolated changes are never over-counted.
LAST_SYNC_FALLBACK = "fallback_last_variant_commit"


#: **(ours)** A Hub README is the model card, a document of its own, while upstream's README
#: documents the project: a README shared with upstream is a link when the blobs are identical
#: (a verbatim copy), but a differing README is neither stale nor a variant-only edit, and
#: upstream README edits are not isolated changes for that variant.
CARD_FILE_NAMES = frozenset({"readme.md", "readme", "readme.rst", "readme.txt"})


def is_card(path: str) -> bool:
    """True for README files (see :data:`CARD_FILE_NAMES`)."""
    return basename(path).lower() in CARD_FILE_NAMES


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
    """Variant path -> upstream path of the same file.

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


def auto_sync_links(upstream: RepoSide, variant: RepoSide) -> tuple[AutoSyncLink, ...]:
    """Auto-sync links of ``variant``; resolved when the sha (or its prefix) is upstream's."""
    owner_repo = upstream.name.lower()
    by_sha = {c.sha.lower(): c for c in upstream.commits}
    out: list[AutoSyncLink] = []
    for commit in variant.commits:
        if AUTO_SYNC_MARK not in commit.message:  # cheap test before the regex
            continue
        parsed = parse_auto_sync(commit.message)
        if parsed is None:
            continue
        owner, repo, sha = parsed
        named = f"{owner}/{repo}".lower()
        target = None
        if named == owner_repo:
            target = by_sha.get(sha) or next(
                (c for c in upstream.commits if c.sha.lower().startswith(sha)), None
            )
        out.append(
            AutoSyncLink(
                variant=variant.name, variant_sha=commit.sha, variant_at=commit.at,
                upstream_repo=f"{owner}/{repo}", upstream_sha=sha, resolved=target is not None,
                upstream_at=None if target is None else target.at,
            )
        )
    return tuple(out)


def _days(later: datetime, earlier: datetime) -> int:
    return max(0, (later - earlier).days)


def link_variant(upstream: RepoSide, variant: RepoSide, as_of: datetime) -> VariantLinks:
    """Link one variant to upstream (see the module docstring)."""
    shared = {
        v_path: u_path
        for v_path, u_path in match_shared_paths(variant.head_blobs, upstream.head_blobs).items()
        if not is_card(v_path) or variant.head_blobs.get(v_path) == upstream.head_blobs.get(u_path)
    }
    auto = auto_sync_links(upstream, variant)
    blobs: list[BlobLink] = []
    stale: list[StaleFile] = []
    edits: list[VariantEdit] = []
    for v_path, u_path in sorted(shared.items()):
        v_blob, u_blob = variant.head_blobs.get(v_path), upstream.head_blobs.get(u_path)
        if v_blob is None or u_blob is None:
            continue
        producer = upstream.last_touch(u_path)
        if v_blob == u_blob:
            blobs.append(
                BlobLink(variant.name, v_path, u_path, v_blob,
                         None if producer is None else producer.sha,
                         None if producer is None else producer.at)
            )
            continue
        v_touch = variant.last_touch(v_path)
        since = None if v_touch is None else v_touch.at
        missed = [
            c for c in upstream.commits
            if u_path in c.paths and (since is None or c.at > since)
        ]
        if missed:
            stale.append(
                StaleFile(
                    variant=variant.name, variant_path=v_path, upstream_path=u_path,
                    variant_version_at=since, upstream_changes=tuple(c.sha for c in missed),
                    first_missed_at=missed[0].at, last_upstream_change_at=missed[-1].at,
                    days_stale=_days(as_of, missed[0].at),
                    days_since_upstream_change=_days(as_of, missed[-1].at),
                )
            )
        else:
            after = None if producer is None else producer.at
            edits += [
                VariantEdit(variant.name, c.sha, c.at, v_path, u_path)
                for c in variant.commits
                if v_path in c.paths and (after is None or c.at > after)
                and parse_auto_sync(c.message) is None
            ]
    sync_points = [(a.upstream_at, "auto_sync") for a in auto if a.upstream_at is not None]
    sync_points += [(b.upstream_at, "blob") for b in blobs if b.upstream_at is not None]
    if sync_points:
        last_sync_at, source = max(sync_points, key=lambda item: item[0])
    elif variant.commits:
        last_sync_at, source = variant.commits[-1].at, LAST_SYNC_FALLBACK
    else:
        last_sync_at, source = None, LAST_SYNC_FALLBACK
    shipped_upstream_paths = set(shared.values())
    isolated = tuple(
        c.sha for c in upstream.commits
        if last_sync_at is not None and c.at > last_sync_at
        and shipped_upstream_paths.intersection(c.paths)
    )
    return VariantLinks(
        variant=variant.name, shared_paths=dict(sorted(shared.items())), auto_sync=auto,
        blobs=tuple(blobs), last_sync_at=last_sync_at, last_sync_source=source,
        isolated_changes=isolated, stale_files=tuple(stale), variant_only_edits=tuple(edits),
    )


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
    linked = tuple(link_variant(upstream, v, reference) for v in variants)
    isolated_for: dict[str, int] = {}
    shipping_for: dict[str, int] = {}
    isolated_sets = [set(v.isolated_changes) for v in linked]
    for commit in upstream.commits:
        for v, iso in zip(linked, isolated_sets, strict=True):
            if set(v.shared_paths.values()).intersection(commit.paths):
                shipping_for[commit.sha] = shipping_for.get(commit.sha, 0) + 1
                if commit.sha in iso:
                    isolated_for[commit.sha] = isolated_for.get(commit.sha, 0) + 1
    never = tuple(
        c.sha for c in upstream.commits
        if shipping_for.get(c.sha, 0) and isolated_for.get(c.sha, 0) == shipping_for[c.sha]
    )
    return FamilyLinks(as_of=reference, variants=linked, isolated_changes=never)
