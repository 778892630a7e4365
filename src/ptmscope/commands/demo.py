"""CLI command group `demo`: build the bundled corpus and run everything on it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ptmscope.commands._common import JsonOpt, QuietOpt, RichProgress, console, escape, print_json


def demo_cmd(
    folder: Annotated[
        Path, typer.Option("--dir", help="Work folder for the corpus, store and report.")
    ] = Path("ptmscope-demo"),
    seed: Annotated[int, typer.Option(help="Seed of the generated corpus.")] = 7,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Generate the demo corpus, ingest it, run every analysis and write the report (offline).

    The corpus has four model families (upstream GitHub repos and their Hugging Face variants)
    with planted problems: a card missing licence and datasets, a model-index claim, a variant
    lagging upstream by months, a variant never updated after an upstream config change, a
    malicious pickle inside pytorch_model.bin, and a name imitating a popular model.

    Examples:
      ptmscope demo
      ptmscope demo --dir /tmp/demo && ptmscope ls --db /tmp/demo/ptmscope.duckdb
    """
    from ptmscope.demo import run_demo

    result = run_demo(folder, seed=seed, progress=RichProgress(quiet or json_out))
    if json_out:
        print_json(
            {
                "schema_version": 1,
                "corpus": str(result.corpus.root),
                "store": str(result.store_path),
                "report": None if result.report is None else str(result.report),
                "counts": result.counts,
                "ingest_failed": [i.source for i in result.ingest.failed],
                "analyses": [
                    {"name": s.name, "lines": list(s.lines), "counts": dict(s.counts)}
                    for s in result.analyses
                ],
            }
        )
        return
    if quiet:
        return
    c = result.counts
    console.print(f"[bold]ptmscope demo[/]: corpus generated in {result.corpus.root}")
    console.print(
        f"ingested {c['families']} families, {c['repos']} repositories, {c['commits']} commits, "
        f"{c['files']} files, {c['cards']} model cards"
    )
    for item in result.ingest.failed:
        console.print(f"[red]failed[/] {escape(item.source, 100)}: {escape(item.message, 200)}")
    for summary in result.analyses:
        console.print(f"[bold]{summary.name}[/]")
        for line in summary.lines:
            console.print(f"  {escape(line, 300)}")
    console.print(f"store:  {result.store_path}")
    if result.report is not None:
        console.print(f"report: {result.report}")
    else:
        console.print(f"report: {escape(result.report_note, 200)}")
    db = result.store_path
    console.print(f"next:   ptmscope ls --db {db}", soft_wrap=True)
    console.print(f"        ptmscope show acme-nlp/textclf-en --db {db}", soft_wrap=True)
    console.print(
        f"        ptmscope verify acme-nlp/textclf-en --data {result.corpus.dataset} --db {db}",
        soft_wrap=True,
    )
    if result.ingest.failed:
        raise typer.Exit(2)
    if any(s.counts.get("failed") for s in result.analyses):
        raise typer.Exit(3)


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command("demo")(demo_cmd)
