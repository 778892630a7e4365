"""The DuckDB schema, versioned, with its migrations.

``SCHEMA_VERSION`` is stored in the ``meta`` table. Opening a store runs every migration from
the stored version up to ``SCHEMA_VERSION``; a store written by a newer ptmscope is refused
with a clear message (never silently altered). docs/schema.md documents every table.
"""

from __future__ import annotations

from collections.abc import Sequence

SCHEMA_VERSION = 1

#: DDL of version 1. Tables have no foreign keys: the writer deletes and re-inserts a whole
#: repository in one transaction, which keeps ingest idempotent and fast.
_V1: Sequence[str] = (
    """CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS runs (
        run_id BIGINT PRIMARY KEY,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ,
        tool_version VARCHAR NOT NULL,
        command VARCHAR NOT NULL,
        sources JSON,
        status VARCHAR NOT NULL            -- running | done | failed
    )""",
    """CREATE TABLE IF NOT EXISTS run_items (
        run_id BIGINT NOT NULL,
        source VARCHAR NOT NULL,
        repo_id VARCHAR,
        status VARCHAR NOT NULL,           -- stored | unchanged | skipped | failed
        message VARCHAR,
        recorded_at TIMESTAMPTZ NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS families (
        family_id VARCHAR PRIMARY KEY,
        upstream VARCHAR,
        upstream_repo_id VARCHAR,
        source VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS family_members (
        family_id VARCHAR NOT NULL,
        repo_id VARCHAR NOT NULL,
        role VARCHAR NOT NULL,             -- upstream | variant
        PRIMARY KEY (family_id, repo_id)
    )""",
    """CREATE TABLE IF NOT EXISTS repos (
        repo_id VARCHAR PRIMARY KEY,
        platform VARCHAR NOT NULL,         -- github | huggingface
        name VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        head VARCHAR,
        default_branch VARCHAR,
        line_counts_known BOOLEAN NOT NULL,
        has_git_history BOOLEAN NOT NULL,
        metadata JSON,
        run_id BIGINT,
        ingested_at TIMESTAMPTZ
    )""",
    """CREATE TABLE IF NOT EXISTS commits (
        repo_id VARCHAR NOT NULL,
        sha VARCHAR NOT NULL,
        author_name VARCHAR,
        author_email VARCHAR,
        authored_at TIMESTAMPTZ,
        authored_tz_minutes INTEGER,       -- the author's UTC offset, to rebuild local time
        committer_name VARCHAR,
        committer_email VARCHAR,
        committed_at TIMESTAMPTZ,
        committed_tz_minutes INTEGER,
        message VARCHAR,
        parents VARCHAR[],
        signed BOOLEAN
    )""",
    """CREATE TABLE IF NOT EXISTS commit_files (
        repo_id VARCHAR NOT NULL,
        sha VARCHAR NOT NULL,
        path VARCHAR NOT NULL,
        change_kind VARCHAR NOT NULL,      -- A M D R C T, X unknown
        old_path VARCHAR,
        lines_added INTEGER,               -- NULL: unknown (binary, or blobs missing)
        lines_removed INTEGER,
        blob_id VARCHAR                    -- blob after the commit; NULL when deleted/unknown
    )""",
    """CREATE TABLE IF NOT EXISTS files (
        repo_id VARCHAR NOT NULL,
        path VARCHAR NOT NULL,
        size BIGINT,
        blob_id VARCHAR,
        lfs_sha256 VARCHAR,
        lfs_size BIGINT,
        local_path VARCHAR,
        security JSON
    )""",
    """CREATE TABLE IF NOT EXISTS cards (
        repo_id VARCHAR PRIMARY KEY,
        path VARCHAR NOT NULL,
        raw_text VARCHAR NOT NULL,
        yaml_text VARCHAR,
        metadata JSON,
        body VARCHAR NOT NULL,
        parse_error VARCHAR,
        truncated BOOLEAN NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS findings (
        analysis VARCHAR NOT NULL,
        rule_id VARCHAR NOT NULL,
        subject VARCHAR NOT NULL,
        severity VARCHAR NOT NULL,
        outcome VARCHAR NOT NULL,
        message VARCHAR NOT NULL,
        path VARCHAR,
        location VARCHAR,
        details JSON,
        run_id BIGINT,
        created_at TIMESTAMPTZ
    )""",
    """CREATE INDEX IF NOT EXISTS commits_repo ON commits (repo_id)""",
    """CREATE INDEX IF NOT EXISTS commit_files_repo ON commit_files (repo_id)""",
    """CREATE INDEX IF NOT EXISTS files_repo ON files (repo_id)""",
    """CREATE INDEX IF NOT EXISTS findings_subject ON findings (analysis, subject)""",
)

#: MIGRATIONS[v] brings a store from version v to v + 1. Version 0 is an empty file.
MIGRATIONS: dict[int, Sequence[str]] = {0: _V1}
