"""CLI command group `audit`: the reuse-attribute scorecard of a model, or the corpus view.

Parses options, calls ``ptmscope.attributes``, and renders with rich or JSON; no analysis
happens here. Heavy imports stay inside the command so ``ptmscope --help`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from ptmscope.commands._common import (
    DB_DEFAULT,
    DbOpt,
    JsonOpt,
    OutOpt,
    QuietOpt,
    console,
    err_console,
    escape,
    open_store,
    print_json,
)
from ptmscope.errors import UsageError

if TYPE_CHECKING:
    from ptmscope.attributes.audit import ModelAudit
    from ptmscope.attributes.corpus import CorpusView
    from ptmscope.attributes.scoring import CategoryScore

_STATUS_STYLE = {
    "present": "[green]present[/]",
    "partial": "[yellow]partial[/]",
    "missing": "[red]missing[/]",
    "not_applicable": "[dim]n/a[/]",
    "not_available": "[dim]unknown[/]",
    "error": "[magenta]error[/]",
}
#: Groups shown as columns in the terminal corpus view (JSON has them all).
_MAX_GROUP_COLUMNS = 6


def _score_text(score: int | None) -> str:
    if score is None:
        return "[dim]n/a[/]"
    colour = "green" if score >= 75 else "yellow" if score >= 40 else "red"
    return f"[{colour}]{score}[/]"


#: Below this terminal width the remedy goes under the finding instead of its own column.
_WIDE_TERMINAL = 120


def render_scorecard(audit: ModelAudit) -> None:
    """Print one model's scorecard: per category, its score then each attribute's row."""
    from rich.table import Table

    console.print(f"[bold]{escape(audit.name, 120)}[/]  ({escape(audit.repo_id, 140)})")
    console.print(
        f"task: {escape(audit.pipeline_tag or 'unknown', 60)}   card: "
        + ("yes" if audit.has_card else "[red]none[/]")
    )
    wide = console.width >= _WIDE_TERMINAL
    for score in audit.scores:
        table = Table(
            title=f"{score.category.value}: {_score_text(score.score)}/100",
            title_justify="left", show_lines=not wide, expand=False,
        )
        if wide:
            table.add_column("attribute", no_wrap=True)
        else:  # narrow: let long attribute names wrap rather than squeeze the evidence
            table.add_column("attribute", overflow="fold", max_width=22)
        table.add_column("status", no_wrap=True)
        table.add_column("evidence" if wide else "evidence and remedy", overflow="fold",
                         max_width=60 if wide else None)
        if wide:
            table.add_column("remedy", overflow="fold", max_width=50)
        for check, result in audit.results:
            if check.category is not score.category:
                continue
            evidence = "; ".join(e.describe() for e in result.evidence[:3])
            shown = escape(result.message, 120) + (
                f"\n[dim]{escape(evidence, 160)}[/]" if evidence else ""
            )
            needs_fix = result.outcome.value in ("missing", "partial", "error")
            remedy = escape(check.remedy, 160) if needs_fix else ""
            cells = [escape(check.short, 60),
                     _STATUS_STYLE.get(result.outcome.value, result.outcome.value)]
            if wide:
                table.add_row(*cells, shown, remedy)
            else:
                table.add_row(*cells, shown + (f"\n[italic]fix:[/] {remedy}" if remedy else ""))
        console.print(table)
        console.print(_lacking_line(score))
    _render_claims(audit)


def _lacking_line(score: CategoryScore) -> str:
    """What the score stands for: the items not fully there and those that could not be
    judged, or plainly that every judged item is present (a score never stands alone)."""
    lacking = score.missing + score.partial
    parts = []
    if lacking:
        parts.append(f"[dim]not fully there:[/] {escape(', '.join(lacking), 300)}")
    if score.unknown:
        parts.append(f"[dim]unknown (not scored):[/] {escape(', '.join(score.unknown), 200)}")
    if not parts:
        return "  [dim]every item present[/]"
    return "  " + "   ".join(parts)


def _render_claims(audit: ModelAudit) -> None:
    from rich.table import Table

    claims = audit.claims
    if not claims.declared:
        console.print("claims: no model-index in the card")
        return
    shown = claims.rows[:200]
    columns: dict[str, list[object]] = {
        "task": [r.task for r in shown],
        "dataset": [r.dataset or r.dataset_name for r in shown],
        "config": [r.config for r in shown],
        "split": [r.split for r in shown],
        "metric": [r.metric for r in shown],
        "value": [r.raw_value for r in shown],
        "verified": [r.verified for r in shown],
    }
    always = ("task", "dataset", "metric", "value")
    # Columns empty in every row (often config, verified) only cost width on a terminal.
    kept = [name for name, values in columns.items()
            if name in always or any(v is not None and v != "" for v in values)]
    with_problems = any(r.problems for r in shown)
    table = Table(title="model-index claims", title_justify="left")
    for column in kept:
        table.add_column(column, overflow="fold", max_width=40)
    if with_problems:
        table.add_column("problems", overflow="fold", min_width=8, max_width=40)
    for index, row in enumerate(shown):
        cells = [escape(str(columns[name][index]), 40)
                 if columns[name][index] is not None else "" for name in kept]
        if with_problems:
            cells.append("[red]" + escape("; ".join(row.problems), 200) + "[/]"
                         if row.problems else "")
        table.add_row(*cells)
    console.print(table)
    for where, problem in claims.problems:
        console.print(f"  [red]broken:[/] {escape(where, 80)}: {escape(problem, 160)}")
    if len(claims.rows) > 200:
        console.print(f"  [dim]… {len(claims.rows) - 200} more rows (use --json)[/]")


def render_corpus(view: CorpusView) -> None:
    """Print the corpus view: share missing per attribute overall and per group, and claims."""
    from rich.table import Table

    console.print(f"[bold]{view.models}[/] model(s) audited")
    # As many group columns as fit the terminal (the JSON output has every group).
    fit = max(1, (console.width - 32) // 11)
    groups = list(view.by_group.items())[: min(_MAX_GROUP_COLUMNS, fit)]
    table = Table(title=f"share of models missing each attribute (by {view.group_by})",
                  title_justify="left")
    table.add_column("attribute", no_wrap=True)
    table.add_column("all", justify="right", no_wrap=True, min_width=4)
    # Group names (pipeline tags) get the width the terminal has, clipped only when narrow.
    label = max(10, min(32, (console.width - 32) // max(1, len(groups)) - 3))
    for name, shares in groups:
        count = shares[0].models if shares else 0
        table.add_column(f"{escape(name, label)}\nn={count}", justify="right", min_width=6)
    for index, overall in enumerate(view.attributes):
        cells = [f"{overall.share_missing:.0%}" if overall.judged else "[dim]n/a[/]"]
        for _, shares in groups:
            share = shares[index]
            cells.append(f"{share.share_missing:.0%}" if share.judged else "[dim]n/a[/]")
        table.add_row(overall.check_id, *cells)
    console.print(table)
    if len(view.by_group) > len(groups):
        console.print(f"[dim]{len(view.by_group) - len(groups)} more group(s) not shown "
                      "(widen the terminal or use --json)[/]")
    claims = Table(title="machine-parseable performance claims (model-index) per task",
                   title_justify="left")
    for column in ("task", "models", "with claims", "share"):
        claims.add_column(column, justify="left" if column == "task" else "right")
    for task in view.claims_by_task:
        claims.add_row(escape(task.task, 50), str(task.models), str(task.with_claims),
                       f"{task.share:.1%}")
    claims.add_row("[bold]all[/]", str(view.models), str(view.with_claims),
                   f"[bold]{view.claims_share:.1%}[/]")
    console.print(claims)


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""

    @app.command("audit")
    def audit(
        model: Annotated[
            str | None,
            typer.Argument(help="The model: `org/name`, `hf://org/name` or a stored repo id."),
        ] = None,
        all_models: Annotated[
            bool, typer.Option("--all", help="Audit every stored Hugging Face model instead.")
        ] = False,
        by: Annotated[
            str,
            typer.Option("--by", help="Group the corpus view by `pipeline_tag` or "
                                      "`library_name`."),
        ] = "pipeline_tag",
        db: DbOpt = DB_DEFAULT,
        json_out: JsonOpt = False,
        output: OutOpt = None,
        quiet: QuietOpt = False,
    ) -> None:
        """What a model package tells a reuser, and what is missing.

        For one MODEL: a scorecard of its reuse attributes (provenance, reproducibility,
        portability, documentation, maintenance), each found / partial / missing with the
        evidence (card line, metadata key, file) and a one-line remedy, a 0-100 score per
        category that always lists the missing items, and every model-index claim as a row
        (broken entries are shown, never dropped).

        With --all: the corpus view, the share of models missing each attribute overall and
        per pipeline tag, and the share with machine-parseable performance claims per task.
        Nothing is written to the store (`ptmscope demo` / analyses store the findings).

        Examples:
          ptmscope audit google-bert/bert-base-uncased
          ptmscope audit hf://org/model --json > scorecard.json
          ptmscope audit --all
          ptmscope audit --all --by library_name --json -o corpus.json
        """
        from datetime import UTC, datetime

        from ptmscope.attributes.corpus import GroupBy, corpus_view
        from ptmscope.attributes.payload import audit_payload, corpus_payload
        from ptmscope.attributes.runner import audit_all, audit_input, load_inputs
        from ptmscope.commands._common import RichProgress

        if all_models == (model is not None):
            raise UsageError(
                "give either a MODEL or --all",
                hint="`ptmscope audit org/name` for one model, `ptmscope audit --all` for all.",
            )
        try:
            group_by = GroupBy(by)
        except ValueError:
            choices = ", ".join(g.value for g in GroupBy)
            raise UsageError(f"--by {by!r}: not one of {choices}") from None
        now = datetime.now(UTC)
        store = open_store(db, read_only=True)
        payload: dict[str, Any]
        try:
            if model is not None:
                repo = store.resolve_repo(model)
                items = load_inputs(store, [repo.repo_id])
                result = audit_input(items[0], as_of=now)
                if json_out or output is not None:
                    payload = audit_payload(result)
                else:
                    render_scorecard(result)
                    return
            else:
                items = load_inputs(store)
                _, rows = audit_all(items, RichProgress(quiet or json_out), as_of=now)
                view = corpus_view(rows, group_by)
                if json_out or output is not None:
                    payload = corpus_payload(view)
                else:
                    if not items:  # a table of n/a rows would only hide this
                        console.print("no Hugging Face model in the store: nothing to audit")
                        err_console.print("hint: `ptmscope ingest PATH` or `ptmscope demo` "
                                          "first, or pass --db.", markup=False,
                                          highlight=False)
                        return
                    render_corpus(view)
                    return
        finally:
            store.close()
        print_json(payload, output)
