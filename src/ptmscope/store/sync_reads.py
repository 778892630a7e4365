"""Bulk reads for the synchronization analysis (few queries for a whole corpus).

``Store.commits`` builds full ``CommitRecord`` objects one repository at a time; a corpus run
over thousands of repositories needs only sha, time, message and touched paths (with the blob
id each path had after the commit, for the content links), read in four
queries through Arrow. Times come back as epoch microseconds and become aware UTC datetimes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from typing import Any

from ptmscope.store.store import Store


@dataclass(frozen=True, slots=True)
class RepoRows:
    """One repository's rows as the sync analysis needs them.

    Attributes:
        commits: ``(sha, committed_at UTC, message)``, oldest first (ties by sha).
        paths: sha -> the paths its commit touched (sorted).
        kinds: sha -> the change kinds, parallel to ``paths``.
        blobs: sha -> the blob id of each path after the commit, parallel to ``paths`` (None:
            deleted or unknown); only shas with at least one known blob id are present, so a
            repository mined without per-commit blob ids (e.g. from the Hub) has none.
        head_blobs: path at HEAD -> blob id.
        duplicate_shas: shas stored more than once for this repository.
    """

    repo_id: str
    platform: str
    name: str
    commits: tuple[tuple[str, datetime, str], ...] = ()
    paths: dict[str, tuple[str, ...]] = field(default_factory=dict)
    kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    blobs: dict[str, tuple[str | None, ...]] = field(default_factory=dict)
    head_blobs: dict[str, str | None] = field(default_factory=dict)
    duplicate_shas: tuple[str, ...] = ()


def _columns(store: Store, sql: str, ids: Sequence[str] | None) -> list[list[Any]]:
    """Run ``sql`` (with ``{where}`` filled in) and return its columns as Python lists.

    Arrow columns convert to Python objects several times faster than ``fetchall`` rows,
    which matters for a corpus of hundreds of thousands of commits.
    """
    cursor = store.con.cursor()  # a fresh cursor: the store's connection may hold a result
    try:
        if ids is None:
            table = cursor.sql(sql.format(where=""))
        else:
            table = cursor.sql(
                sql.format(where=" WHERE list_contains($ids, repo_id)"), params={"ids": list(ids)}
            )
        return [column.to_pylist() for column in table.to_arrow_table().columns]
    finally:
        cursor.close()


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PATH_AND_KIND = itemgetter(0, 1)

#: **(ours)** The commit time the sync analysis uses: the committer date, i.e. when the change
#: landed in the repository (an author date can be months older after a rebase or cherry-pick).
#: sync-spec.md says "each commit with a timestamp" without choosing.
COMMIT_TIME_COLUMN = "committed_at"


def read_repos(store: Store, repo_ids: Iterable[str] | None = None) -> dict[str, RepoRows]:
    """Read commits, touched paths (with per-commit blob ids) and HEAD blobs of ``repo_ids``.

    All repositories when ``repo_ids`` is None.

    Repositories that are not stored are absent from the result. A sha stored twice for one
    repository is kept once and listed in ``duplicate_shas``.
    """
    ids = None if repo_ids is None else sorted(set(repo_ids))
    rid_col, platform_col, name_col = _columns(
        store, "SELECT repo_id, platform, name FROM repos{where}", ids
    )
    repos = dict(zip(rid_col, zip(platform_col, name_col, strict=True), strict=True))
    commits: dict[str, list[tuple[str, datetime, str]]] = {rid: [] for rid in repos}
    seen: dict[str, set[str]] = {rid: set() for rid in repos}
    dups: dict[str, set[str]] = {}
    c_rid, c_sha, c_us, c_msg = _columns(
        store,
        f"SELECT repo_id, sha, epoch_us({COMMIT_TIME_COLUMN}), coalesce(message, '') "  # noqa: S608
        "FROM commits{where} "
        f"ORDER BY repo_id, {COMMIT_TIME_COLUMN}, sha",
        ids,
    )
    for rid, sha, micros, message in zip(c_rid, c_sha, c_us, c_msg, strict=True):
        if rid not in commits:
            continue
        if sha in seen[rid]:
            dups.setdefault(rid, set()).add(sha)
            continue
        seen[rid].add(sha)
        commits[rid].append((sha, _EPOCH + timedelta(microseconds=micros or 0), message))
    touched: dict[str, dict[str, list[tuple[str, str, str | None]]]] = {rid: {} for rid in repos}
    f_rid, f_sha, f_path, f_kind, f_blob = _columns(
        store, "SELECT repo_id, sha, path, change_kind, blob_id FROM commit_files{where}", ids
    )
    for rid, sha, path, kind, blob in zip(f_rid, f_sha, f_path, f_kind, f_blob, strict=True):
        per_repo = touched.get(rid)
        if per_repo is not None:
            per_repo.setdefault(sha, []).append((path, kind, blob))
    paths: dict[str, dict[str, tuple[str, ...]]] = {rid: {} for rid in repos}
    kinds: dict[str, dict[str, tuple[str, ...]]] = {rid: {} for rid in repos}
    commit_blobs: dict[str, dict[str, tuple[str | None, ...]]] = {rid: {} for rid in repos}
    for rid, per_sha in touched.items():
        for sha, triples in per_sha.items():
            triples.sort(key=_PATH_AND_KIND)  # blobs may be None: never compare them
            paths[rid][sha] = tuple(p for p, _, _ in triples)
            kinds[rid][sha] = tuple(k for _, k, _ in triples)
            blob_ids = tuple(b for _, _, b in triples)
            if any(blob_ids):
                commit_blobs[rid][sha] = blob_ids
    blobs: dict[str, dict[str, str | None]] = {rid: {} for rid in repos}
    b_rid, b_path, b_blob = _columns(store, "SELECT repo_id, path, blob_id FROM files{where}", ids)
    for rid, path, blob in zip(b_rid, b_path, b_blob, strict=True):
        if rid in blobs:
            blobs[rid][path] = blob
    return {
        rid: RepoRows(
            repo_id=rid, platform=platform, name=name, commits=tuple(commits[rid]),
            paths=paths[rid], kinds=kinds[rid], blobs=commit_blobs[rid], head_blobs=blobs[rid],
            duplicate_shas=tuple(sorted(dups.get(rid, ()))),
        )
        for rid, (platform, name) in repos.items()
    }
