"""CLI command ``ptmscope scan``: scan model files for code execution and tampering.

Parses options, turns each target into paths (a file or folder, a stored model's local files,
or an ``hf://`` repo downloaded when online), calls ``ptmscope.risk.runner.scan_paths`` and
renders the report as a table, JSON or SARIF. The exit code comes from
``ptmscope.risk.exit_codes``. No scanning logic lives here.
"""

from __future__ import annotations

import io
import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ptmscope.commands._common import DB_DEFAULT, DbOpt, OutOpt, QuietOpt, err_console, escape
from ptmscope.errors import OfflineError, RemoteError, SourceNotFoundError
from ptmscope.records import Severity

if TYPE_CHECKING:
    from ptmscope.risk.runner import ScanReport


class ScanFormat(StrEnum):
    """Report formats of ``ptmscope scan``."""

    TABLE = "table"
    JSON = "json"
    SARIF = "sarif"


def _hf_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def resolve_target(target: str, db: Path) -> list[str]:
    """Paths to scan for one command-line target.

    A path that exists is scanned as is; ``hf://org/name[@rev]`` is downloaded (online only);
    anything else names a stored model whose files on disk are scanned.

    Raises:
        OfflineError: an ``hf://`` target while offline.
        RemoteError: the Hub download failed.
        SourceNotFoundError: not a path, and no store to look the model up in.
        NotInStoreError: not a path, and not a stored model.
    """
    if Path(target).exists():
        return [target]
    if target.startswith("hf://"):
        return [_download_hf(target)]
    if not db.exists():
        raise SourceNotFoundError(
            f"{target}: no such file or folder, and no store at {db} to look a model up in",
            hint="Give a path, `hf://org/name`, or a model stored with `ptmscope ingest`.")
    from ptmscope.commands._common import open_store

    with open_store(db, read_only=True) as store:
        repo = store.resolve_repo(target)
        paths = sorted({f.local_path for f in store.files(repo.repo_id) if f.local_path})
    if not paths:
        raise SourceNotFoundError(
            f"{target}: the stored model {repo.repo_id} has no files on disk to scan",
            hint="Ingest a local clone or folder of the model, or scan hf://org/name online.")
    return paths


def _download_hf(target: str) -> str:
    repo, _, revision = target[len("hf://"):].partition("@")
    if _hf_offline():
        raise OfflineError(f"{target}: cannot download from the Hugging Face Hub while offline "
                           "(HF_HUB_OFFLINE is set)")
    try:
        from huggingface_hub import snapshot_download

        return str(snapshot_download(repo_id=repo, revision=revision or None))
    except Exception as err:  # network and Hub errors of many kinds end as one line
        text = str(err).splitlines()[0] if str(err) else type(err).__name__
        if "offline" in text.lower() or "connect" in text.lower() or "resolve" in text.lower():
            raise OfflineError(f"{target}: the Hugging Face Hub cannot be reached ({text})") \
                from err
        raise RemoteError(f"{target}: download failed: {text}") from err


def render_table(report: ScanReport, fail_on: Severity, width: int | None = None) -> str:
    """The human table of ``report`` (hostile names escaped) as text."""
    from rich.console import Console
    from rich.table import Table

    from ptmscope.risk.runner import summarize

    console = Console(record=True, width=width or 160, highlight=False, force_terminal=False,
                      file=io.StringIO())
    table = Table(title="ptmscope scan", show_lines=False)
    for col in ("severity", "file", "where", "construct", "finding"):
        table.add_column(col, overflow="fold")
    for i in report.issues:
        table.add_row(i.severity.value, escape(i.path, 120), escape(i.location, 60),
                      escape(i.construct, 60), escape(i.message, 200))
    console.print(table)
    for inc in report.inconclusive:
        console.print(f"inconclusive: {escape(inc.path, 120)}: {escape(inc.reason, 200)}")
    for line in summarize(report):
        console.print(escape(line, 300))
    console.print(f"exit code {report.exit_code(fail_on)} (--fail-on {fail_on.value})")
    return console.export_text()


def register(app: typer.Typer) -> None:
    """Add ``scan`` to ``app``."""

    @app.command("scan")
    def scan(
        targets: Annotated[list[str], typer.Argument(
            help="Files, folders, stored models (org/name) or hf://org/name[@revision].",
            show_default=False)],
        fmt: Annotated[ScanFormat, typer.Option(
            "--format", "-f", help="Report format.", case_sensitive=False)] = ScanFormat.TABLE,
        output: OutOpt = None,
        fail_on: Annotated[Severity, typer.Option(
            "--fail-on", help="Exit 1 when a finding is at least this severe.",
            case_sensitive=False)] = Severity.HIGH,
        db: DbOpt = DB_DEFAULT,
        quiet: QuietOpt = False,
    ) -> None:
        """Scan model files for code execution and tampering, without running them.

        Formats are recognised by content (a renamed pickle is still a pickle): pickles of
        every protocol (also joblib, dill, hidden in strings), PyTorch zip and legacy files,
        TorchScript, NumPy, zip / tar / 7z / gzip containers, and the formats other scanners
        register. Nothing is ever unpickled, imported or executed.

        Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 the scan
        could not be completed (inconclusive files are listed) or scanned nothing.

        Examples:
          ptmscope scan pytorch_model.bin
          ptmscope scan ./my-model --format sarif -o ptmscope.sarif
          ptmscope scan org/name --fail-on medium     # a model stored by `ptmscope ingest`
          ptmscope scan hf://org/name@main --format json
        """
        import json

        from ptmscope.commands._common import RichProgress
        from ptmscope.risk.runner import scan_paths, summarize

        paths: list[str] = []
        for target in targets:
            paths += resolve_target(target, db)
        report = scan_paths(paths, progress=RichProgress(quiet))
        if fmt is ScanFormat.TABLE:
            text = render_table(report, fail_on)
        elif fmt is ScanFormat.JSON:
            from ptmscope.report.scan_json import render_json

            text = json.dumps(render_json(report, fail_on), indent=2, ensure_ascii=False) + "\n"
        elif fmt is ScanFormat.SARIF:
            from ptmscope.report.sarif import render_sarif

            text = json.dumps(render_sarif(report), indent=2, ensure_ascii=False) + "\n"
        else:  # pragma: no cover - every member handled above
            raise AssertionError(fmt)
        # file names that are not UTF-8 and strings of a pickle carry lone surrogates, which
        # no encoder writes: escape them (``\udcff``, valid in JSON) instead of crashing
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
        if output is None:
            typer.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")
        if not quiet and (output is not None or fmt is not ScanFormat.TABLE):
            for line in summarize(report):
                err_console.print(escape(line, 300), highlight=False)
        raise typer.Exit(report.exit_code(fail_on))
