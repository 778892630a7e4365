"""CLI command group `verify`: re-evaluate a model on local data and judge its card's claims."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ptmscope.commands._common import (
    DB_DEFAULT,
    DbOpt,
    JsonOpt,
    OutOpt,
    QuietOpt,
    RichProgress,
    console,
    err_console,
    escape,
    open_store,
    print_json,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ptmscope.perf.verify import Verdict, VerifyReport
    from ptmscope.records import Finding
    from ptmscope.store import Store

#: Version of the ``--json`` document (``report/schemas/verify.schema.json``).
VERIFY_SCHEMA_VERSION = 1


def _stored_folder(store: Store, model: str) -> tuple[Path, str]:
    """The local folder and RepoId of a stored model."""
    from ptmscope.errors import UsageError

    repo = store.resolve_repo(model)
    source = Path(repo.source)
    if source.is_dir() and (source / "config.json").is_file():
        return source, repo.repo_id
    for file in store.files(repo.repo_id):
        if file.path == "config.json" and file.local_path and Path(file.local_path).is_file():
            return Path(file.local_path).parent, repo.repo_id
    raise UsageError(
        f"{repo.repo_id}: no local copy of the model (source {repo.source})",
        hint="Pass the model's local folder instead, or ingest a checkout of it.",
    )


def _resolve(model: str, db: Path) -> tuple[Path, str, Store | None]:
    """(folder, subject, store or None) for what the user typed."""
    from ptmscope.errors import NotInStoreError

    path = Path(model).expanduser()
    store = open_store(db) if db.exists() else None
    if path.is_dir():
        folder = path.resolve()
        subject = str(folder)
        if store is not None:
            rows = store.query("SELECT repo_id FROM repos WHERE source IN (?, ?) ORDER BY 1",
                               [str(folder), str(path)])
            if rows:
                subject = str(rows[0][0])
        return folder, subject, store
    if store is None:
        raise NotInStoreError(f"{model}: not a folder, and there is no store at {db}")
    folder, subject = _stored_folder(store, model)
    return folder, subject, store


def keeps_earlier_measurement(report: VerifyReport, earlier: Sequence[Finding]) -> bool:
    """Whether to leave the stored verdicts alone: this run measured nothing because it had
    no data, while an earlier run measured something. Running ``verify`` without --data
    must not erase a measured discrepancy from the reports."""
    from ptmscope.perf.reasons import Reason
    from ptmscope.perf.verify import VERIFY_RULE_ID

    no_data = (all(v.measured is None for v in report.verdicts)
               and any(v.reason is Reason.DATA_MISSING for v in report.verdicts))
    measured_before = any(f.rule_id == VERIFY_RULE_ID and f.details.get("measured") is not None
                          for f in earlier)
    return no_data and measured_before


def _check_data_path(data: str | None) -> None:
    """Refuse a --data path that does not exist before anything runs: a typo must not
    evaluate nothing and then overwrite the stored verdicts of an earlier, real run."""
    from ptmscope.errors import UsageError
    from ptmscope.perf.datasets_io import looks_like_dataset_name

    if data is None or Path(data).exists() or looks_like_dataset_name(data):
        return
    raise UsageError(
        f"--data {data}: no such file or folder",
        hint="Check the path: a .csv/.jsonl/.parquet file, a folder saved with save_to_disk, "
             "or a dataset name in the local Hugging Face cache. Nothing was evaluated or "
             "stored.")


def _pct(value: float | None, scale: str | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}" if scale == "percent" else f"{value:.4f}"


def _row(v: Verdict) -> list[str]:
    from ptmscope.perf.verify import Status

    claim = v.claim.label if v.claim else "-"
    ci = (f"{_pct(v.ci_low, v.scale)}–{_pct(v.ci_high, v.scale)}"
          if v.ci_low is not None else "-")
    diff = f"{v.difference_pp:+.1f}" if v.difference_pp is not None else "-"
    style = {Status.CONSISTENT: "green", Status.DISCREPANT: "bold red"}.get(v.status, "yellow")
    verdict = f"[{style}]{v.status.value}[/]"
    if v.reason is not None:
        verdict += f"\n{escape(v.reason.value)}: {escape(v.message, 160)}"
    return [escape(claim, 80), _pct(v.claimed, v.scale), _pct(v.measured, v.scale), diff, ci,
            verdict]


def _print_table(report: VerifyReport, subject: str) -> None:
    from rich.table import Table

    table = Table(title=f"claimed vs measured: {escape(subject, 100)}", show_lines=True)
    # Numbers never wrap (a value split over two lines misreads); the text columns share
    # the rest of the width.
    for column in ("claim", "claimed", "measured", "diff (pp)", "95% CI", "verdict"):
        numeric = column not in ("claim", "verdict")
        table.add_column(column, overflow="fold", no_wrap=numeric,
                         justify="right" if numeric else "left",
                         min_width=None if numeric else 10)
    for verdict in report.verdicts:
        table.add_row(*_row(verdict))
    console.print(table)
    for problem in report.claim_problems:
        console.print(f"[yellow]card:[/] {escape(problem)}")
    if report.examples:
        rate = report.examples / report.seconds if report.seconds > 0 else 0.0
        console.print(f"{report.examples} examples in {report.seconds:.1f} s "
                      f"({rate:.1f} examples/s); tolerance "
                      f"{report.verdicts[0].tolerance_pp:g} points; verdict: "
                      f"[bold]{report.worst.value}[/]")


def verify_payload(report: VerifyReport, subject: str, stored: bool) -> dict[str, Any]:
    """The ``--json`` document (validated by ``verify.schema.json``)."""
    from ptmscope.perf.verify import Status, verdict_details

    counts = {s: sum(v.status is s for v in report.verdicts) for s in Status}
    return {
        "schema": "verify",
        "schema_version": VERIFY_SCHEMA_VERSION,
        "model": report.model,
        "subject": subject,
        "data": report.data,
        "splits": list(report.splits),
        "stored": stored,
        "seconds": round(report.seconds, 3),
        "examples": report.examples,
        "summary": {
            "status": report.worst.value,
            "consistent": counts[Status.CONSISTENT],
            "discrepant": counts[Status.DISCREPANT],
            "not_verifiable": counts[Status.NOT_VERIFIABLE],
        },
        "claim_problems": list(report.claim_problems),
        "verdicts": [verdict_details(v) for v in report.verdicts],
    }


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""

    @app.command("verify")
    def verify(
        model: Annotated[str, typer.Argument(
            help="A stored model (id, org/name or name) or a local model folder.")],
        data: Annotated[str | None, typer.Option(
            "--data", help="Evaluation data: a datasets save_to_disk folder, a .csv / .jsonl / "
                           ".parquet file, a folder of <split>.<ext> files, or a dataset name "
                           "in the local Hugging Face cache.")] = None,
        split: Annotated[str | None, typer.Option(
            "--split", help="Split to evaluate (default: the one the claim names, else test).")
        ] = None,
        limit: Annotated[int | None, typer.Option(
            "--limit", min=1, help="Evaluate only the first N examples.")] = None,
        tolerance: Annotated[float, typer.Option(
            "--tolerance", min=0.0, help="Acceptable gap, absolute percentage points.")] = 5.0,
        batch_size: Annotated[int, typer.Option("--batch-size", min=1,
                                                help="Inference batch size.")] = 32,
        task: Annotated[str | None, typer.Option(
            "--task", help="Force the task (text-classification, token-classification, "
                           "question-answering, fill-mask, sentence-similarity).")] = None,
        as_json: JsonOpt = False,
        output: OutOpt = None,
        quiet: QuietOpt = False,
        db: DbOpt = DB_DEFAULT,
    ) -> None:
        """Re-evaluate a model on local data and check the claims of its card.

        Runs the model (Transformers, CPU, safetensors weights only) on the
        data, recomputes each metric the card's model-index claims, with a
        bootstrap 95% confidence interval, and gives a verdict per claim:
        consistent (within --tolerance percentage points), discrepant, or
        not verifiable with the reason (no claim, metric unknown, data
        missing, task unsupported, model does not load, unknown labels,
        empty split, a value such as 95 for a fraction metric...).

        Verdicts are stored as findings (analysis perf) when the model is in
        the store; a run that had no data to measure on keeps the verdicts an
        earlier run measured. A --data path that does not exist is an error.
        Exit code 1 when a claim is discrepant.
        Needs the eval extra: pip install 'ptmscope[eval]'.

        Examples:
            ptmscope verify ./models/tiny --data ./data/test.csv
            ptmscope verify org/model --data ./glue_sst2 --split validation
            ptmscope verify org/model --data test.jsonl --limit 500 --json
        """
        from ptmscope.errors import MissingExtraError
        from ptmscope.perf.verify import (
            INSTALL_HINT,
            VERIFY_RULE_ID,
            Status,
            eval_extra_missing,
            verdict_findings,
            verify_model,
        )

        missing = eval_extra_missing()
        if missing:
            raise MissingExtraError(
                f"verify needs the eval extra ({', '.join(missing)} not installed)",
                hint=f"Install it with: {INSTALL_HINT}")
        _check_data_path(data)
        folder, subject, store = _resolve(model, db)
        try:
            report = verify_model(folder, data, split=split, limit=limit, tolerance=tolerance,
                                  batch_size=batch_size, task=task,
                                  progress=RichProgress(quiet or as_json))
            stored = False
            earlier: list[Finding] = []
            if store is not None:
                earlier = list(store.findings("perf", subject))
            if store is not None and not keeps_earlier_measurement(report, earlier):
                kept = [f for f in earlier
                        if f.rule_id != VERIFY_RULE_ID]  # keep the cheap checks' findings
                store.replace_findings("perf", [subject],
                                       [*kept, *verdict_findings(report, subject)])
                stored = True
        finally:
            if store is not None:
                store.close()
        if as_json or output is not None:
            print_json(verify_payload(report, subject, stored), output)
        if not as_json:
            _print_table(report, subject)
            if not stored and not quiet:
                err_console.print(
                    "[dim]not stored: no data to evaluate on, so the verdicts measured "
                    "earlier stay in the store (give --data to re-check)[/]"
                    if store is not None else
                    f"[dim]not stored: no store at {escape(str(db))}[/]")
        if report.worst is Status.DISCREPANT:
            raise typer.Exit(1)
