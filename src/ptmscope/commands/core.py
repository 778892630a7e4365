"""CLI command group `core`: ``ingest``, ``ls``, ``show`` and ``analyze``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ptmscope.commands._common import (
    DB_DEFAULT,
    DbOpt,
    JsonOpt,
    QuietOpt,
    RichProgress,
    console,
    err_console,
    escape,
    open_store,
    print_json,
)
from ptmscope.records import Platform

PlatformOpt = Annotated[
    Platform | None,
    typer.Option("--platform", help="Force the platform of local repos instead of detecting it."),
]


def _ingest_payload(report: Any, db: Path) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "store": str(db),
        "run_id": report.run_id,
        "families": report.families,
        "items": [
            {
                "source": i.source,
                "status": i.status,
                "repo_id": i.repo_id,
                "message": i.message,
                "commits": i.commits,
                "files": i.files,
                "notes": list(i.notes),
                "problems": list(i.problems),
            }
            for i in report.items
        ],
    }


def ingest_cmd(
    sources: Annotated[
        list[str],
        typer.Argument(
            help="Paths, hf://org/name\\[@rev], GitHub URLs or manifests.", show_default=False
        ),
    ],
    db: DbOpt = DB_DEFAULT,
    platform: PlatformOpt = None,
    name: Annotated[str | None, typer.Option(help="Force owner/name (one source only).")] = None,
    force: Annotated[
        bool, typer.Option(help="Re-mine repos whose HEAD is already stored.")
    ] = False,
    with_members: Annotated[
        bool,
        typer.Option("--with-members", help="For manifests: also mine every member repo online."),
    ] = False,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Mine repositories into the store (idempotent; safe to interrupt and re-run).

    SOURCE may be a local clone of a Hugging Face model repo or of an upstream GitHub repo
    (normal or bare; LFS files may be pointers), a plain model folder (snapshot_download or
    Hub cache snapshot), hf://org/name[@revision] (online), https://github.com/owner/repo
    (online, blob-less bare clone), or a family manifest (CSV with family / upstream /
    variant columns such as the synchronization study's complete_dataset.csv, or YAML).

    Exit code 2 when a source could not be ingested (nothing of it is stored) or was
    stored with a problem in its input, such as a card with broken YAML (it is stored so the
    audit can report it); everything else given is still ingested.

    Examples:
      ptmscope ingest ./bert-base-uncased ./bert-upstream
      ptmscope ingest --platform github ~/src/some-repo.git
      ptmscope ingest families.csv --db study.duckdb
      ptmscope ingest hf://google-bert/bert-base-uncased
    """
    from ptmscope.ingest import ingest

    store = open_store(db)
    try:
        report = ingest(
            store,
            sources,
            platform=platform,
            name=name,
            force=force,
            with_members=with_members,
            progress=RichProgress(quiet or json_out),
        )
    finally:
        store.close()
    if json_out:
        print_json(_ingest_payload(report, db))
    elif not quiet:
        for item in report.items:
            style = {"stored": "green", "unchanged": "dim", "failed": "red"}.get(item.status, "")
            detail = item.message or (
                f"{item.commits} commits, {item.files} files" if item.status == "stored" else ""
            )
            err_console.print(
                f"[{style}]{item.status:9}[/] {escape(item.repo_id or item.source, 80)}  "
                f"{escape(detail, 200)}",
                soft_wrap=True,
            )
            for note in item.notes:
                err_console.print(f"          [dim]note: {escape(note, 200)}[/]", soft_wrap=True)
            for problem in item.problems:
                err_console.print(
                    f"          [yellow]problem: {escape(problem, 300)}[/]", soft_wrap=True
                )
        err_console.print(f"store: {escape(str(db), 400)}", soft_wrap=True)
    # Exit 2 when a source failed or was stored with a problem in its input.
    if report.failed or report.with_problems:
        raise typer.Exit(2)


def ls_cmd(
    db: DbOpt = DB_DEFAULT,
    families: Annotated[
        bool, typer.Option("--families", help="List families instead of repos.")
    ] = False,
    platform: PlatformOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """List what the store holds: repositories (default) or families.

    Examples:
      ptmscope ls
      ptmscope ls --families
      ptmscope ls --platform huggingface --json
    """
    store = open_store(db, read_only=True)
    try:
        if families:
            fams = store.families()
            stored = {r.repo_id for r in store.list_repos()}
            if json_out:
                print_json(
                    {
                        "schema_version": 1,
                        "families": [
                            {
                                "family_id": f.family_id,
                                "upstream": f.upstream,
                                "upstream_stored": f.upstream_repo_id in stored,
                                "variants": list(f.variants),
                                "variants_stored": sum(v in stored for v in f.variant_repo_ids),
                            }
                            for f in fams
                        ],
                    }
                )
                return
            table = Table("family", "upstream", "variants (stored/listed)")
            for f in fams:
                up = f.upstream or "-"
                mark = "" if f.upstream_repo_id in stored else " [dim](not stored)[/]"
                table.add_row(
                    escape(f.family_id, 60),
                    escape(up, 60) + mark,
                    f"{sum(v in stored for v in f.variant_repo_ids)}/{len(f.variants)}",
                )
            console.print(table if fams else "no families stored")
            return
        repos = store.list_repos(platform)
        counts = {
            r[0]: (r[1], r[2])
            for r in store.query(
                "SELECT r.repo_id, (SELECT count(*) FROM commits c WHERE c.repo_id = r.repo_id), "
                "(SELECT count(*) FROM files f WHERE f.repo_id = r.repo_id) FROM repos r"
            )
        }
        if json_out:
            print_json(
                {
                    "schema_version": 1,
                    "repos": [
                        {
                            "repo_id": r.repo_id,
                            "platform": r.platform.value,
                            "name": r.name,
                            "source": r.source,
                            "head": r.head,
                            "commits": counts.get(r.repo_id, (0, 0))[0],
                            "files": counts.get(r.repo_id, (0, 0))[1],
                        }
                        for r in repos
                    ],
                }
            )
            return
        table = Table("repo", "platform", "commits", "files", "head")
        for r in repos:
            n_commits, n_files = counts.get(r.repo_id, (0, 0))
            table.add_row(
                escape(r.name, 70),
                r.platform.value,
                str(n_commits),
                str(n_files),
                (r.head or "-")[:10],
            )
        console.print(table if repos else f"the store {db} holds no repositories yet")
    finally:
        store.close()


def show_cmd(
    model: Annotated[
        str, typer.Argument(help="A stored repo: org/name, repo id or hf://org/name.")
    ],
    db: DbOpt = DB_DEFAULT,
    json_out: JsonOpt = False,
) -> None:
    """Show one stored repository: metadata, card, files, recent commits, findings.

    Examples:
      ptmscope show acme-nlp/textclf-en
      ptmscope show github:acme-nlp/textclf --json
    """
    store = open_store(db, read_only=True)
    try:
        repo = store.resolve_repo(model)
        commits = store.commits(repo.repo_id)
        files = store.files(repo.repo_id)
        card = store.card(repo.repo_id)
        findings = store.findings(subject=repo.repo_id)
    finally:
        store.close()
    if json_out:
        print_json(
            {
                "schema_version": 1,
                "repo": repo,
                "card": None
                if card is None
                else {
                    "path": card.path,
                    "metadata": card.metadata,
                    "parse_error": card.parse_error,
                    "truncated": card.truncated,
                    "body_chars": len(card.body),
                },
                "files": files,
                "commits": commits,
                "findings": findings,
            }
        )
        return
    console.print(f"[bold]{escape(repo.name, 120)}[/] ({repo.platform.value})")
    console.print(f"source: {escape(repo.source, 200)}   head: {repo.head or '-'}")
    if repo.metadata:
        console.print(
            "metadata: " + escape(", ".join(f"{k}={v}" for k, v in repo.metadata.items()), 400)
        )
    if card is None:
        console.print("card: [yellow]none[/]")
    else:
        keys = ", ".join(sorted(card.metadata)) if card.metadata else "-"
        console.print(f"card: {card.path}, metadata keys: {escape(keys, 300)}")
        if card.parse_error:
            console.print(f"  [red]card problem:[/] {escape(card.parse_error, 300)}")
    table = Table("path", "size", "LFS", title=f"{len(files)} files at HEAD")
    for f in files[:60]:
        table.add_row(
            escape(f.path, 80), str(f.real_size or "-"), "yes" if f.is_lfs_pointer else ""
        )
    console.print(table)
    if len(files) > 60:
        console.print(f"... and {len(files) - 60} more files")
    ctable = Table("date (UTC)", "sha", "subject", title=f"{len(commits)} commits (latest 15)")
    for c in commits[-15:][::-1]:
        ctable.add_row(c.committed_at.strftime("%Y-%m-%d %H:%M"), c.sha[:10], escape(c.subject, 80))
    console.print(ctable)
    if findings:
        ftable = Table("analysis", "severity", "rule", "message", title=f"{len(findings)} findings")
        for finding in findings[:40]:
            ftable.add_row(
                finding.analysis, finding.severity.value, escape(finding.rule_id, 40),
                escape(finding.message, 100),
            )
        console.print(ftable)
    else:
        console.print("findings: none stored (run `ptmscope analyze`)")


def analyze_cmd(
    db: DbOpt = DB_DEFAULT,
    only: Annotated[
        list[str] | None, typer.Option("--only", help="Run only these analyses.")
    ] = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Run every analysis over the whole store and store the findings.

    Analyses: attributes (reuse-attribute audit), risk (scan files and repos), perf (cheap
    claim checks), sync (GitHub / Hugging Face synchronization of families).

    Examples:
      ptmscope analyze
      ptmscope analyze --only risk --only attributes
    """
    from ptmscope.analyses import run_analyses

    store = open_store(db)
    try:
        summaries = run_analyses(store, RichProgress(quiet or json_out), tuple(only or ()))
    finally:
        store.close()
    if json_out:
        print_json(
            {
                "schema_version": 1,
                "analyses": [
                    {"name": s.name, "lines": list(s.lines), "counts": dict(s.counts)}
                    for s in summaries
                ],
            }
        )
        return
    if not quiet:
        for s in summaries:
            console.print(f"[bold]{s.name}[/]")
            for line in s.lines:
                console.print(f"  {escape(line, 300)}")


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command("ingest")(ingest_cmd)
    app.command("ls")(ls_cmd)
    app.command("show")(show_cmd)
    app.command("analyze")(analyze_cmd)
