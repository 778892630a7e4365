"""CLI command group `sync`: ``ptmscope sync`` (families) and ``ptmscope classify`` (commits).

Parses options, calls :mod:`ptmscope.sync`, and picks terminal or JSON output; no analysis
happens here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from ptmscope.commands._common import (
    DB_DEFAULT,
    DbOpt,
    JsonOpt,
    QuietOpt,
    RichProgress,
    console,
    open_store,
)
from ptmscope.errors import NotInStoreError, UsageError

if TYPE_CHECKING:
    from ptmscope.records import FamilyRecord
    from ptmscope.store import Store

#: Version of the ``classify --json`` output shape (see report/schemas/classify.schema.json).
CLASSIFY_SCHEMA_VERSION = 1

#: Width of the label column of ``classify``: the longest word of a change-type name.
LABEL_MIN_WIDTH = len("infrastructure")


def write_json(payload: dict[str, Any]) -> None:
    """Print an already JSON-ready payload (skips ``to_jsonable``'s walk: a 1,000-family
    corpus payload has millions of values)."""
    import json
    import sys

    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")


def find_family(store: Store, text: str) -> FamilyRecord:
    """The family named by ``text``: its id (exact, then case-insensitive) or a member repo.

    Raises:
        NotInStoreError: nothing matches, or several families do.
    """
    families = store.families()
    for fam in families:
        if fam.family_id == text:
            return fam
    wanted = text.strip().lower()
    hits = [f for f in families if f.family_id.lower() == wanted]
    if not hits:
        hits = [
            f for f in families
            if wanted in {v.lower() for v in f.variants}
            or (f.upstream_repo_id or "").lower().endswith(":" + wanted)
        ]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise NotInStoreError(
            f"{text}: ambiguous, matches families " + ", ".join(f.family_id for f in hits[:5]),
            hint="Pass the family id.",
        )
    return store.family(text)  # raises NotInStoreError with the listing hint


def _classify_rows(
    store: Store, repo: str | None, limit: int, *, learned: bool = True
) -> list[dict[str, Any]]:
    from ptmscope.store.sync_reads import read_repos
    from ptmscope.sync.change_types import explain_commit

    ids = [store.resolve_repo(repo).repo_id] if repo else None
    rows = read_repos(store, ids)
    out: list[dict[str, Any]] = []
    for rid in sorted(rows):
        data = rows[rid]
        for sha, at, message in data.commits:
            files = list(data.paths.get(sha, ()))
            kinds = list(data.kinds.get(sha, ()))
            result = explain_commit(
                message, files, data.platform, change_kinds=kinds, learned=learned
            )
            evidence_list = [str(e) for e in result.evidence]
            out.append({
                "repo_id": rid, "platform": data.platform, "sha": sha,
                "committed_at": at.isoformat(), "subject": message.split("\n", 1)[0][:200],
                "files": len(files), "label": result.label,
                "rule_id": result.rule_id or None, "evidence": evidence_list,
                "reason": result.reason or None,
            })
            if limit and len(out) >= limit:
                return out
    return out


def register(app: typer.Typer) -> None:
    """Add ``sync`` and ``classify`` to ``app``."""

    @app.command("sync")
    def sync_command(
        family: Annotated[
            str | None,
            typer.Argument(help="Family id (or a member repo) to analyse; omit with --all."),
        ] = None,
        all_families: Annotated[
            bool, typer.Option("--all", help="Analyse every stored family: corpus tables.")
        ] = False,
        db: DbOpt = DB_DEFAULT,
        json_out: JsonOpt = False,
        quiet: QuietOpt = False,
    ) -> None:
        """Measure how a family's GitHub repo and Hugging Face variants move together.

        For one family: lag direction (No Lag / Upstream First / Downstream First), sync type
        (CS complete, PS partial, VS variant-dominated, AS asynchronous), intensity (R rare, F
        frequent, S sporadic), the pattern name, the lag in days at every platform switch, the
        change-type profile of each side and their Jaccard similarity, the maturity group, a
        timeline of active two-week bins, and content links (auto-sync commits, identical
        files, stale files, upstream changes that reached no variant).

        With --all: pattern distribution, pattern by maturity group, change-type shares per
        platform, similarity tertiles, and the families that cannot be analysed, with why.
        Definitions: sync-spec.md (the published method of arXiv 2508.10157).

        Examples:
            ptmscope sync google-bert_bert
            ptmscope sync google-bert_bert --json > family.json
            ptmscope sync --all
            ptmscope sync --all --json --db corpus.duckdb
        """
        from ptmscope.sync.corpus import summarise
        from ptmscope.sync.payload import corpus_payload, single_payload
        from ptmscope.sync.runner import analyse_store
        from ptmscope.sync.terminal import render_corpus, render_family

        if all_families == (family is not None):
            raise UsageError(
                "give either a FAMILY or --all",
                hint="Run `ptmscope sync --all`, or `ptmscope sync FAMILY`.",
            )
        store = open_store(db, read_only=True)
        try:
            chosen = None if family is None else [find_family(store, family)]
            reports = analyse_store(store, chosen, RichProgress(quiet or json_out))
        finally:
            store.close()
        if family is not None:
            if json_out:
                write_json(single_payload(reports[0]))
                return
            for part in render_family(reports[0], console.width):
                console.print(part)
            return
        summary = summarise(reports)
        if json_out:
            write_json(corpus_payload(summary, reports))
            return
        for part in render_corpus(summary):
            console.print(part)

    @app.command("classify")
    def classify_command(
        db: DbOpt = DB_DEFAULT,
        repo: Annotated[
            str | None,
            typer.Option("--repo", help="Only this stored repo (id, org/name or GitHub URL)."),
        ] = None,
        limit: Annotated[
            int, typer.Option("--limit", min=0, help="At most this many commits (0: all).")
        ] = 100,
        rules_only: Annotated[
            bool,
            typer.Option("--rules-only",
                         help="Rules alone: never let the learned token model replace their "
                              "label."),
        ] = False,
        json_out: JsonOpt = False,
    ) -> None:
        """Label stored commits with one of the 15 change types, with the evidence.

        Each commit gets a change type (external documentation, model structure, sharing,
        preprocessing...) from its touched files, message and platform, with the rule and the
        files or words that decided it, or `unclassified` with the reason. A small token model
        trained on hand-labelled commits then weighs in: where it disagrees with the rules, an
        override model (fitted on how the rules held up on commits they had never seen) decides
        which to believe. A replaced label has rule id `learned.token_model`, the tokens that
        weighed most as evidence, and a reason naming the rules' decision. Offline and
        deterministic.

        Examples:
            ptmscope classify --repo google-bert/bert-base-uncased
            ptmscope classify --limit 0 --json > labels.json
            ptmscope classify --rules-only
        """
        from rich.table import Table

        from ptmscope.sync.terminal import safe

        store = open_store(db, read_only=True)
        try:
            rows = _classify_rows(store, repo, limit, learned=not rules_only)
        finally:
            store.close()
        if json_out:
            write_json({"schema_version": CLASSIFY_SCHEMA_VERSION, "commits": rows})
            return
        table = Table(title=f"{len(rows)} commit(s)", title_justify="left")
        table.add_column("repo", overflow="fold")
        table.add_column("commit", no_wrap=True)
        table.add_column("subject", overflow="fold")
        # wide enough for the longest word of a label ("infrastructure"): labels wrap
        # between words, never inside one
        table.add_column("label", min_width=LABEL_MIN_WIDTH)
        table.add_column("evidence / reason", overflow="fold")
        for row in rows:
            why = ", ".join(row["evidence"]) or row["reason"] or ""
            if row["rule_id"]:
                why = f"[{row['rule_id']}] {why}"
            table.add_row(
                safe(row["repo_id"], 50), safe(row["sha"][:10]), safe(row["subject"], 60),
                row["label"], safe(why, 80),
            )
        console.print(table)
