"""Bulk reads for the synchronization analysis (few queries for a whole corpus).

``Store.commits`` builds full ``CommitRecord`` objects one repository at a time; a corpus run
over thousands of repositories needs only sha, time, message and touched paths, read in three
queries. Times come back as epoch seconds and become aware UTC datetimes here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ptmscope.store.store import Store


@dataclass(frozen=True, slots=True)
class RepoRows:
    """One repository's rows as the sync analysis needs them.

    Attributes:
        commits: ``(sha, committed_at UTC, message)``, oldest first (ties by sha).
        paths: sha -> the paths its commit touched (sorted).
        kinds: sha -> the change kinds, parallel to ``paths``.
        head_blobs: path at HEAD -> blob id.
        duplicate_shas: shas stored more than once for this repository.
    """

    repo_id: str
    platform: str
    name: str
    commits: tuple[tuple[str, datetime, str], ...] = ()
    paths: dict[str, tuple[str, ...]] = field(default_factory=dict)
    kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    head_blobs: dict[str, str | None] = field(default_factory=dict)
    duplicate_shas: tuple[str, ...] = ()


def _filter(repo_ids: Sequence[str] | None) -> tuple[str, list[object]]:
    if repo_ids is None:
        return "", []
    return " WHERE list_contains(?, repo_id)", [list(repo_ids)]


def read_repos(store: Store, repo_ids: Iterable[str] | None = None) -> dict[str, RepoRows]:
    """Read the commits, touched paths and HEAD blobs of ``repo_ids`` (all repos when None).

    Repositories that are not stored are absent from the result.
    """
    ids = None if repo_ids is None else sorted(set(repo_ids))
    where, params = _filter(ids)
    repos = {
        rid: (platform, name)
        for rid, platform, name in store.query(
            f"SELECT repo_id, platform, name FROM repos{where}",  # noqa: S608 - constant
            params,
        )
    }
    commits: dict[str, list[tuple[str, datetime, str]]] = {rid: [] for rid in repos}
    seen: dict[str, set[str]] = {rid: set() for rid in repos}
    dups: dict[str, set[str]] = {}
    rows = store.query(
        "SELECT repo_id, sha, epoch_us(committed_at), coalesce(message, '') "  # noqa: S608
        f"FROM commits{where} ORDER BY repo_id, committed_at, sha",
        params,
    )
    for rid, sha, micros, message in rows:
        if rid not in commits:
            continue
        if sha in seen[rid]:
            dups.setdefault(rid, set()).add(sha)
            continue
        seen[rid].add(sha)
        at = datetime.fromtimestamp((micros or 0) / 1e6, UTC)
        commits[rid].append((sha, at, message))
    paths: dict[str, dict[str, tuple[str, ...]]] = {rid: {} for rid in repos}
    kinds: dict[str, dict[str, tuple[str, ...]]] = {rid: {} for rid in repos}
    for rid, sha, touched, kind_list in store.query(
        "SELECT repo_id, sha, list(path ORDER BY path), list(change_kind ORDER BY path) "  # noqa: S608
        f"FROM commit_files{where} GROUP BY repo_id, sha",
        params,
    ):
        if rid in paths:
            paths[rid][sha] = tuple(touched)
            kinds[rid][sha] = tuple(kind_list)
    blobs: dict[str, dict[str, str | None]] = {rid: {} for rid in repos}
    for rid, path, blob in store.query(
        f"SELECT repo_id, path, blob_id FROM files{where}",  # noqa: S608 - constant
        params,
    ):
        if rid in blobs:
            blobs[rid][path] = blob
    return {
        rid: RepoRows(
            repo_id=rid,
            platform=platform,
            name=name,
            commits=tuple(commits[rid]),
            paths=paths[rid],
            kinds=kinds[rid],
            head_blobs=blobs[rid],
            duplicate_shas=tuple(sorted(dups.get(rid, ()))),
        )
        for rid, (platform, name) in repos.items()
    }
