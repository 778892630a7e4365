"""CLI command group `report`: the HTML/JSON report of the whole store, and a model's ML-BOM."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ptmscope.commands._common import (
    DB_DEFAULT,
    DbOpt,
    JsonOpt,
    QuietOpt,
    RichProgress,
    err_console,
    open_store,
)

ReportOutOpt = Annotated[
    Path | None,
    typer.Option("-o", "--output",
                 help="Where to write: default report.html (HTML), stdout (--json)."),
]


def _details(text: str) -> int | None:
    """``--details``: a count, or None for 'all'."""
    from ptmscope.errors import UsageError

    value = text.strip().lower()
    if value == "all":
        return None
    if value.isdigit():
        return int(value)
    raise UsageError(f"--details {text[:20]!r}: expected a number of sections or 'all'",
                     hint="For example --details 100, or --details all.")


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""

    def report(
        output: ReportOutOpt = None,
        db: DbOpt = DB_DEFAULT,
        details: Annotated[
            str,
            typer.Option("--details", metavar="N|all",
                         help="Full sections for at most N models, upstream repos and families "
                              "each, those with the most to report (the rest are rows of the "
                              "at-a-glance tables); 'all' for every one."),
        ] = "50",
        as_json: JsonOpt = False,
        quiet: QuietOpt = False,
    ) -> None:
        """Write one self-contained HTML report of everything in the store.

        The page needs no network (scripts and styles are inlined) and has an overview
        (models, families, findings by severity), one section per model (attribute
        scorecard, risk findings, claim checks, files and formats), one per family (a
        timeline of two-week bins coloured by change type, the synchronization pattern,
        lags, staleness) and corpus views. Plots are interactive, with data tables for
        readers without JavaScript. With --json the same data is printed as JSON
        (schema "report", see docs/json-schemas.md).

        A large store (a whole study) lists every model and family in the at-a-glance tables
        and renders full sections for the 50 of each with the most to report, so the page
        stays a few megabytes; --details all renders every one.

        Examples:
          ptmscope report                     # writes report.html
          ptmscope report -o out/audit.html --db study.duckdb
          ptmscope report --details all       # a full section for everything
          ptmscope report --json | jq '.overview'
        """
        from ptmscope.report import write_report
        from ptmscope.report.data import load_report_data
        from ptmscope.report.formats import OutputFormat
        from ptmscope.report.markup import human_size

        limit = _details(details)
        progress = RichProgress(quiet)
        with open_store(db, read_only=True) as store:
            if as_json and output is None:
                data = load_report_data(store, progress)
                typer.echo(OutputFormat.JSON.to_format().render(data), nl=False)
                return
            target = output or Path("report.html")
            fmt = "json" if as_json else "html"
            path = write_report(store, target, fmt, progress, details=limit)
        if not quiet:
            size = human_size(path.stat().st_size)  # "0.0 MB" said nothing for small reports
            # soft_wrap: a long path stays on one line, whole, so it can be copied
            err_console.print(f"wrote {path} ({size})", highlight=False, markup=False,
                              soft_wrap=True)

    app.command("report")(report)

    def bom(
        model: Annotated[str, typer.Argument(help="The model: org/name, a repo id or hf://.")],
        output: Annotated[
            Path | None, typer.Option("-o", "--output", help="Write the BOM to this file.")
        ] = None,
        db: DbOpt = DB_DEFAULT,
        as_json: Annotated[
            bool, typer.Option("--json", help="Accepted for symmetry: the BOM is JSON.")
        ] = False,
        quiet: QuietOpt = False,
    ) -> None:
        """Write the CycloneDX 1.6 ML-BOM of one stored model.

        The BOM names the model (type machine-learning-model) with its licence, upstream
        repository and a modelCard (task, architecture, datasets, claimed metrics,
        limitations found), its datasets and base models as components, every weight file
        with its SHA-256 (from the LFS pointer, or hashed from the local copy), and each
        risk finding as a vulnerability. It is checked against the CycloneDX 1.6 schema
        before it is written; a mismatch is reported on stderr.

        Examples:
          ptmscope bom acme/bert-base                 # BOM on stdout
          ptmscope bom huggingface:acme/bert-base -o bert.cdx.json
        """
        from ptmscope.report.bom import write_bom

        del as_json  # the BOM is always JSON
        with open_store(db, read_only=True) as store:
            text, errors = write_bom(store, model, output)
        if output is None:
            typer.echo(text, nl=False)
        elif not quiet:
            err_console.print(f"wrote {output}", highlight=False, markup=False,
                              soft_wrap=True)
        for error in errors[:5]:
            err_console.print(f"warning: BOM schema: {error}", highlight=False, markup=False)

    app.command("bom")(bom)
