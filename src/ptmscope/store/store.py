"""The one module that talks to DuckDB: open/migrate, the single writer, and typed reads.

Every unit of work (mine one repo, scan one file, audit one card) returns records; one writer
merges them here. Each merge is one transaction that replaces everything previously stored
for that unit, so a run can be killed at any moment and re-run with nothing duplicated or lost.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pyarrow as pa

from ptmscope import __version__
from ptmscope.errors import NotInStoreError, SchemaVersionError, StoreError
from ptmscope.records import (
    CardRecord,
    ChangeKind,
    CommitFileRecord,
    CommitRecord,
    FamilyId,
    FamilyRecord,
    FileRecord,
    Finding,
    Outcome,
    Platform,
    RepoId,
    RepoRecord,
    RepoSnapshot,
    Severity,
)
from ptmscope.store.schema import MIGRATIONS, SCHEMA_VERSION

DEFAULT_DB = "ptmscope.duckdb"


def _tz_minutes(value: datetime) -> int:
    offset = value.utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


def _with_tz(value: datetime | None, minutes: int | None) -> datetime:
    if value is None:
        return datetime(1970, 1, 1, tzinfo=UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(timezone(timedelta(minutes=minutes or 0)))


def _json_or_none(value: Any) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, default=str)


def _loads(value: str | None) -> Any:
    return None if value is None else json.loads(value)


_LOCK_HOLDER = re.compile(r"\(PID (\d+)\)")


def _open_error(path: str, err: Exception) -> StoreError:
    """The one-line message for a store DuckDB cannot open: locked, not a store, or other."""
    first = str(err).splitlines()[0] if str(err) else type(err).__name__
    if "lock" in first.lower():
        holder = _LOCK_HOLDER.search(first)
        by = f" (PID {holder.group(1)})" if holder else ""
        return StoreError(
            f"{path}: the store is in use by another process{by}",
            hint="Wait for the other ptmscope command to finish, or pass another --db.",
        )
    if "not a valid DuckDB database" in first:
        return StoreError(
            f"{path}: not a ptmscope store (the file is not a DuckDB database)",
            hint="Pass --db with the path of a store, or of a new file to create one.",
        )
    return StoreError(f"{path}: cannot open the store: {first}")


_R = TypeVar("_R")

_COMMIT_COLS = (
    "repo_id, sha, author_name, author_email, authored_at, authored_tz_minutes, "
    "committer_name, committer_email, committed_at, committed_tz_minutes, message, parents, signed"
)
_COMMIT_FILE_COLS = (
    "repo_id, sha, path, change_kind, old_path, lines_added, lines_removed, blob_id"
)
_FILE_COLS = "repo_id, path, size, blob_id, lfs_sha256, lfs_size, local_path, security"
_CARD_COLS = "repo_id, path, raw_text, yaml_text, metadata, body, parse_error, truncated"


def _commit_from_row(r: Sequence[Any]) -> CommitRecord:
    return CommitRecord(
        repo_id=RepoId(r[0]),
        sha=r[1],
        author_name=r[2] or "",
        author_email=r[3] or "",
        authored_at=_with_tz(r[4], r[5]),
        committer_name=r[6] or "",
        committer_email=r[7] or "",
        committed_at=_with_tz(r[8], r[9]),
        message=r[10] or "",
        parents=tuple(r[11] or ()),
        signed=bool(r[12]),
    )


def _commit_file_from_row(r: Sequence[Any]) -> CommitFileRecord:
    return CommitFileRecord(
        repo_id=RepoId(r[0]),
        sha=r[1],
        path=r[2],
        change_kind=ChangeKind(r[3]),
        old_path=r[4],
        lines_added=r[5],
        lines_removed=r[6],
        blob_id=r[7],
    )


def _file_from_row(r: Sequence[Any]) -> FileRecord:
    return FileRecord(
        repo_id=RepoId(r[0]),
        path=r[1],
        size=r[2],
        blob_id=r[3],
        lfs_sha256=r[4],
        lfs_size=r[5],
        local_path=r[6],
        security=_loads(r[7]),
    )


def _card_from_row(r: Sequence[Any]) -> CardRecord:
    return CardRecord(
        repo_id=RepoId(r[0]),
        path=r[1],
        raw_text=r[2],
        yaml_text=r[3],
        metadata=_loads(r[4]),
        body=r[5],
        parse_error=r[6],
        truncated=bool(r[7]),
    )


def _grouped(
    rows: Sequence[Sequence[Any]], convert: Callable[[Sequence[Any]], _R]
) -> dict[str, list[_R]]:
    """Rows whose first column is the repo id, converted and grouped by repo (order kept)."""
    out: dict[str, list[_R]] = {}
    for r in rows:
        out.setdefault(r[0], []).append(convert(r))
    return out


class Store:
    """A ptmscope store: one DuckDB file.

    Args:
        path: the database file; created (with parent folders) when absent.
        read_only: open without writing; migrations are then refused.

    Raises:
        StoreError: the file is not a DuckDB database or is locked by another process.
        SchemaVersionError: the store was written by a newer ptmscope.

    >>> store = Store(":memory:")
    >>> store.list_repos()
    []
    """

    def __init__(self, path: str | Path = DEFAULT_DB, *, read_only: bool = False) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            target = Path(self.path)
            if target.is_dir():
                raise StoreError(f"{self.path}: is a folder, not a store file")
            if read_only and not target.exists():
                raise StoreError(
                    f"{self.path}: no store here", hint="Run `ptmscope ingest` or pass --db."
                )
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError(
                    f"{self.path}: cannot create the store's folder {target.parent}: "
                    f"{err.strerror or err}",
                    hint="Pass --db with a path in a writable folder.",
                ) from err
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as err:
            raise _open_error(self.path, err) from err
        self._migrate(read_only)

    # --- lifecycle ---------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection (checkpointing the write-ahead log)."""
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """The schema version of this store (0 for an empty file)."""
        try:
            row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except duckdb.CatalogException:
            return 0
        return int(row[0]) if row else 0

    def _migrate(self, read_only: bool) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise SchemaVersionError(
                f"{self.path}: schema version {version} was written by a newer ptmscope "
                f"(this one reads up to {SCHEMA_VERSION})",
                hint="Upgrade ptmscope, or use a new --db file.",
            )
        if version == SCHEMA_VERSION:
            return
        if read_only:
            raise SchemaVersionError(
                f"{self.path}: schema version {version} needs migrating to {SCHEMA_VERSION}, "
                "which a read-only open cannot do"
            )
        with self.transaction():
            for step in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[step]:
                    self.con.execute(statement)
            self.con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
            )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the block in one transaction: all of it is stored, or none of it."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    # --- runs --------------------------------------------------------------------------------
    def start_run(self, command: str, sources: Sequence[str] = ()) -> int:
        """Record the start of a run and return its id."""
        row = self.con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchone()
        run_id = int(row[0]) if row else 1
        self.con.execute(
            "INSERT INTO runs VALUES (?, now(), NULL, ?, ?, ?, 'running')",
            [run_id, __version__, command, json.dumps(list(sources))],
        )
        return run_id

    def finish_run(self, run_id: int, status: str = "done") -> None:
        """Mark a run as finished with ``status`` (done | failed | interrupted)."""
        self.con.execute(
            "UPDATE runs SET finished_at = now(), status = ? WHERE run_id = ?", [status, run_id]
        )

    def record_item(
        self, run_id: int, source: str, repo: str | None, status: str, message: str = ""
    ) -> None:
        """Record what happened to one source in a run (stored, unchanged, skipped, failed)."""
        self.con.execute(
            "INSERT INTO run_items VALUES (?, ?, ?, ?, ?, now())",
            [run_id, source, repo, status, message],
        )

    def runs(self) -> list[dict[str, Any]]:
        """Every run, newest first, as dicts."""
        cur = self.con.execute(
            "SELECT run_id, started_at, finished_at, tool_version, command, sources, status "
            "FROM runs ORDER BY run_id DESC"
        )
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    # --- writes ------------------------------------------------------------------------------
    def stored_head(self, rid: str) -> str | None:
        """The HEAD sha stored for ``rid``, or None when it is not stored."""
        row = self.con.execute("SELECT head FROM repos WHERE repo_id = ?", [rid]).fetchone()
        return None if row is None else (row[0] or "")

    def write_snapshot(self, snap: RepoSnapshot, run_id: int | None = None) -> None:
        """Replace everything stored for ``snap.repo`` by ``snap``, in one transaction."""
        rid = snap.repo.repo_id
        with self.transaction():
            for table in ("repos", "commits", "commit_files", "files", "cards"):
                self.con.execute(f"DELETE FROM {table} WHERE repo_id = ?", [rid])  # noqa: S608
            self._insert_repo(snap.repo, run_id)
            if snap.commits:
                self._insert_commits(snap.commits)
            if snap.commit_files:
                self._insert_commit_files(snap.commit_files)
            if snap.files:
                self._insert_files(snap.files)
            if snap.card is not None:
                self._insert_card(snap.card)

    def _insert_repo(self, r: RepoRecord, run_id: int | None) -> None:
        self.con.execute(
            "INSERT INTO repos VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())",
            [
                r.repo_id,
                r.platform.value,
                r.name,
                r.source,
                r.head,
                r.default_branch,
                r.line_counts_known,
                r.has_git_history,
                _json_or_none(dict(r.metadata)),
                run_id,
            ],
        )

    def _insert_arrow(self, table: str, columns: dict[str, list[Any]]) -> None:
        batch = pa.table(columns)  # noqa: F841 - read by DuckDB's replacement scan below
        names = ", ".join(columns)
        self.con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM batch")  # noqa: S608

    def _insert_commits(self, commits: Sequence[CommitRecord]) -> None:
        self._insert_arrow(
            "commits",
            {
                "repo_id": [c.repo_id for c in commits],
                "sha": [c.sha for c in commits],
                "author_name": [c.author_name for c in commits],
                "author_email": [c.author_email for c in commits],
                "authored_at": [c.authored_at.astimezone(UTC) for c in commits],
                "authored_tz_minutes": [_tz_minutes(c.authored_at) for c in commits],
                "committer_name": [c.committer_name for c in commits],
                "committer_email": [c.committer_email for c in commits],
                "committed_at": [c.committed_at.astimezone(UTC) for c in commits],
                "committed_tz_minutes": [_tz_minutes(c.committed_at) for c in commits],
                "message": [c.message for c in commits],
                "parents": [list(c.parents) for c in commits],
                "signed": [c.signed for c in commits],
            },
        )

    def _insert_commit_files(self, rows: Sequence[CommitFileRecord]) -> None:
        self._insert_arrow(
            "commit_files",
            {
                "repo_id": [f.repo_id for f in rows],
                "sha": [f.sha for f in rows],
                "path": [f.path for f in rows],
                "change_kind": [f.change_kind.value for f in rows],
                "old_path": [f.old_path for f in rows],
                "lines_added": pa.array([f.lines_added for f in rows], pa.int32()),
                "lines_removed": pa.array([f.lines_removed for f in rows], pa.int32()),
                "blob_id": [f.blob_id for f in rows],
            },
        )

    def _insert_files(self, rows: Sequence[FileRecord]) -> None:
        self._insert_arrow(
            "files",
            {
                "repo_id": [f.repo_id for f in rows],
                "path": [f.path for f in rows],
                "size": pa.array([f.size for f in rows], pa.int64()),
                "blob_id": [f.blob_id for f in rows],
                "lfs_sha256": [f.lfs_sha256 for f in rows],
                "lfs_size": pa.array([f.lfs_size for f in rows], pa.int64()),
                "local_path": [f.local_path for f in rows],
                "security": [_json_or_none(f.security) for f in rows],
            },
        )

    def _insert_card(self, c: CardRecord) -> None:
        self.con.execute(
            "INSERT INTO cards VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                c.repo_id,
                c.path,
                c.raw_text,
                c.yaml_text,
                _json_or_none(None if c.metadata is None else dict(c.metadata)),
                c.body,
                c.parse_error,
                c.truncated,
            ],
        )

    def write_family(self, family: FamilyRecord) -> None:
        """Insert or replace one family and its membership."""
        with self.transaction():
            self._write_family(family)

    def write_families(self, families: Iterable[FamilyRecord]) -> int:
        """Insert or replace many families in one transaction; returns how many."""
        count = 0
        with self.transaction():
            for family in families:
                self._write_family(family)
                count += 1
        return count

    def _write_family(self, f: FamilyRecord) -> None:
        self.con.execute("DELETE FROM families WHERE family_id = ?", [f.family_id])
        self.con.execute("DELETE FROM family_members WHERE family_id = ?", [f.family_id])
        self.con.execute(
            "INSERT INTO families VALUES (?, ?, ?, ?)",
            [f.family_id, f.upstream, f.upstream_repo_id, f.source],
        )
        members: dict[str, str] = {}
        if f.upstream_repo_id:
            members[f.upstream_repo_id] = "upstream"
        for rid in f.variant_repo_ids:
            members.setdefault(rid, "variant")
        for member, role in members.items():
            self.con.execute(
                "INSERT INTO family_members VALUES (?, ?, ?)", [f.family_id, member, role]
            )

    def replace_findings(
        self,
        analysis: str,
        subjects: Iterable[str],
        findings: Iterable[Finding],
        run_id: int | None = None,
    ) -> int:
        """Replace every ``analysis`` finding about ``subjects`` by ``findings``, atomically.

        Args:
            analysis: e.g. ``"risk"``; only that analysis's findings are touched.
            subjects: the subjects re-analysed (findings about them are deleted first, so a
                subject whose problems were fixed ends with none).
            findings: the new findings (their subjects should be among ``subjects``).
        Returns:
            how many findings were inserted.
        """
        subject_list = sorted(set(subjects))
        rows = list(findings)
        with self.transaction():
            if subject_list:
                self.con.execute(
                    "DELETE FROM findings WHERE analysis = ? AND list_contains(?, subject)",
                    [analysis, subject_list],
                )
            if rows:
                now = datetime.now(UTC)
                self._insert_arrow(
                    "findings",
                    {
                        "analysis": [f.analysis for f in rows],
                        "rule_id": [f.rule_id for f in rows],
                        "subject": [f.subject for f in rows],
                        "severity": [f.severity.value for f in rows],
                        "outcome": [f.outcome.value for f in rows],
                        "message": [f.message for f in rows],
                        "path": [f.path for f in rows],
                        "location": [f.location for f in rows],
                        "details": [f.details_json() for f in rows],
                        "run_id": pa.array([run_id] * len(rows), pa.int64()),
                        "created_at": [now] * len(rows),
                    },
                )
        return len(rows)

    # --- reads -------------------------------------------------------------------------------
    def _repo_from_row(self, row: Sequence[Any]) -> RepoRecord:
        return RepoRecord(
            repo_id=RepoId(row[0]),
            platform=Platform(row[1]),
            name=row[2],
            source=row[3],
            head=row[4],
            default_branch=row[5],
            line_counts_known=bool(row[6]),
            has_git_history=bool(row[7]),
            metadata=_loads(row[8]) or {},
        )

    _REPO_COLS = (
        "repo_id, platform, name, source, head, default_branch, line_counts_known, "
        "has_git_history, metadata"
    )

    def list_repos(self, platform: Platform | None = None) -> list[RepoRecord]:
        """Every stored repo (optionally of one platform), sorted by id."""
        sql = f"SELECT {self._REPO_COLS} FROM repos"  # noqa: S608
        params: list[Any] = []
        if platform is not None:
            sql += " WHERE platform = ?"
            params.append(platform.value)
        rows = self.con.execute(sql + " ORDER BY repo_id", params).fetchall()
        return [self._repo_from_row(r) for r in rows]

    def get_repo(self, rid: str) -> RepoRecord | None:
        """The stored repo ``rid``, or None."""
        row = self.con.execute(
            f"SELECT {self._REPO_COLS} FROM repos WHERE repo_id = ?",  # noqa: S608
            [rid],
        ).fetchone()
        return None if row is None else self._repo_from_row(row)

    def resolve_repo(self, name: str) -> RepoRecord:
        """Find a stored repo from what a user types.

        Accepts a repo id (``huggingface:org/m``), ``hf://org/m``, a GitHub URL, or a bare
        ``org/m`` / ``m`` (unique match, Hugging Face preferred).

        Raises:
            NotInStoreError: nothing (or more than one thing) matches.
        """
        candidates: list[str] = []
        text = name.strip()
        if text.startswith("hf://"):
            candidates.append("huggingface:" + text[5:].split("@", 1)[0])
        elif text.startswith(("https://github.com/", "http://github.com/")):
            candidates.append("github:" + "/".join(text.split("/")[3:5]).removesuffix(".git"))
        elif ":" in text:
            candidates.append(text)
        else:
            candidates += [f"huggingface:{text}", f"github:{text}"]
        for cand in candidates:
            repo = self.get_repo(cand)
            if repo is not None:
                return repo
        rows = self.con.execute(
            "SELECT repo_id FROM repos WHERE name = ? OR split_part(name, '/', 2) = ? "
            "ORDER BY platform DESC, repo_id",
            [text, text],
        ).fetchall()
        if len(rows) == 1 or (
            rows
            and rows[0][0].startswith("huggingface:")
            and sum(r[0].startswith("huggingface:") for r in rows) == 1
        ):
            repo = self.get_repo(rows[0][0])
            if repo is not None:
                return repo
        if len(rows) > 1:
            raise NotInStoreError(
                f"{name}: ambiguous, matches " + ", ".join(r[0] for r in rows[:5]),
                hint="Use the full id shown by `ptmscope ls`.",
            )
        raise NotInStoreError(f"{name}: not in the store {self.path}")

    def commits(self, rid: str) -> list[CommitRecord]:
        """Commits of ``rid`` in committer-date order, oldest first."""
        rows = self.con.execute(
            f"SELECT {_COMMIT_COLS} FROM commits WHERE repo_id = ? "  # noqa: S608
            "ORDER BY committed_at, sha",
            [rid],
        ).fetchall()
        return [_commit_from_row(r) for r in rows]

    def commit_files(self, rid: str) -> list[CommitFileRecord]:
        """Every (commit, path) change of ``rid``."""
        rows = self.con.execute(
            f"SELECT {_COMMIT_FILE_COLS} FROM commit_files WHERE repo_id = ?",  # noqa: S608
            [rid],
        ).fetchall()
        return [_commit_file_from_row(r) for r in rows]

    def files(self, rid: str) -> list[FileRecord]:
        """Files at HEAD of ``rid``, sorted by path."""
        rows = self.con.execute(
            f"SELECT {_FILE_COLS} FROM files WHERE repo_id = ? ORDER BY path",  # noqa: S608
            [rid],
        ).fetchall()
        return [_file_from_row(r) for r in rows]

    def card(self, rid: str) -> CardRecord | None:
        """The model card of ``rid``, or None when it has none."""
        r = self.con.execute(
            f"SELECT {_CARD_COLS} FROM cards WHERE repo_id = ?",  # noqa: S608
            [rid],
        ).fetchone()
        return None if r is None else _card_from_row(r)

    # --- bulk reads: one query for many repositories (reports over a whole study) ---------
    def commits_of(self, rids: Sequence[str]) -> dict[str, list[CommitRecord]]:
        """``commits(rid)`` for every repo in ``rids`` at once (repos without commits absent)."""
        return _grouped(self._rows_of("commits", _COMMIT_COLS, rids, "committed_at, sha"),
                        _commit_from_row)

    def commit_files_of(self, rids: Sequence[str]) -> dict[str, list[CommitFileRecord]]:
        """``commit_files(rid)`` for every repo in ``rids`` at once."""
        return _grouped(self._rows_of("commit_files", _COMMIT_FILE_COLS, rids, "sha, path"),
                        _commit_file_from_row)

    def files_of(self, rids: Sequence[str]) -> dict[str, list[FileRecord]]:
        """``files(rid)`` for every repo in ``rids`` at once."""
        return _grouped(self._rows_of("files", _FILE_COLS, rids, "path"), _file_from_row)

    def cards_of(self, rids: Sequence[str]) -> dict[str, CardRecord]:
        """``card(rid)`` for every repo in ``rids`` that has a card."""
        return {r[0]: _card_from_row(r) for r in self._rows_of("cards", _CARD_COLS, rids, "path")}

    def commit_stats_of(self, rids: Sequence[str]) -> dict[str, tuple[int, datetime | None]]:
        """Repo id -> (number of commits, latest committer date) for ``rids``."""
        rows = self.con.execute(
            "SELECT repo_id, count(*), max(committed_at) FROM commits "
            "WHERE repo_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY repo_id",
            [list(rids)],
        ).fetchall()
        return {r[0]: (int(r[1]), r[2]) for r in rows}

    def _rows_of(
        self, table: str, columns: str, rids: Sequence[str], order: str
    ) -> list[tuple[Any, ...]]:
        # table, columns and order are constants of this module, never user text
        sql = (f"SELECT {columns} FROM {table} "  # noqa: S608
               f"WHERE repo_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY repo_id, {order}")
        return self.con.execute(sql, [list(rids)]).fetchall()

    def families(self) -> list[FamilyRecord]:
        """Every family, sorted by id."""
        fams = self.con.execute(
            "SELECT family_id, upstream, upstream_repo_id, source FROM families ORDER BY family_id"
        ).fetchall()
        members = self.con.execute(
            "SELECT family_id, repo_id FROM family_members WHERE role = 'variant' "
            "ORDER BY family_id, repo_id"
        ).fetchall()
        variants: dict[str, list[str]] = {}
        for fid, rid in members:
            variants.setdefault(fid, []).append(rid.split(":", 1)[1])
        return [
            FamilyRecord(
                family_id=FamilyId(f[0]),
                upstream=f[1],
                upstream_repo_id=None if f[2] is None else RepoId(f[2]),
                variants=tuple(variants.get(f[0], ())),
                source=f[3] or "",
            )
            for f in fams
        ]

    def family(self, family_id: str) -> FamilyRecord:
        """One family by id.

        Raises:
            NotInStoreError: no such family.
        """
        for fam in self.families():
            if fam.family_id == family_id:
                return fam
        raise NotInStoreError(
            f"{family_id}: no such family in {self.path}",
            hint="Run `ptmscope ls --families` to list the stored families.",
        )

    def findings(self, analysis: str | None = None, subject: str | None = None) -> list[Finding]:
        """Stored findings, filtered by analysis and/or subject, most severe first."""
        sql = (
            "SELECT analysis, rule_id, subject, severity, outcome, message, path, location, "
            "details FROM findings WHERE (? IS NULL OR analysis = ?) "
            "AND (? IS NULL OR subject = ?) ORDER BY subject, analysis, rule_id, path"
        )
        rows = self.con.execute(sql, [analysis, analysis, subject, subject]).fetchall()
        found = [
            Finding(
                analysis=r[0],
                rule_id=r[1],
                subject=r[2],
                severity=Severity(r[3]),
                outcome=Outcome(r[4]),
                message=r[5],
                path=r[6],
                location=r[7],
                details=_loads(r[8]) or {},
            )
            for r in rows
        ]
        return sorted(found, key=lambda f: f.severity.rank)

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables (for summaries)."""
        out: dict[str, int] = {}
        for table in (
            "families",
            "repos",
            "commits",
            "commit_files",
            "files",
            "cards",
            "findings",
            "runs",
        ):
            row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
            out[table] = int(row[0]) if row else 0
        return out

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read-only SQL query for bulk reads by analyses (keep DuckDB in this layer)."""
        return self.con.execute(sql, list(params)).fetchall()
