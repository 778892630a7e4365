"""The ``ptmscope`` command line: parses options, calls the library, picks a format.

Commands live in ``ptmscope.commands.<group>`` modules (one per command group), each with a
``register(app)`` function; this module only assembles them and owns the error-to-message
table and the exit codes. No analysis happens here.

Exit codes: 0 success (or nothing at/above ``--fail-on``), 1 findings at/above the threshold,
2 bad input or an operation that could not complete, 3 an internal error (a bug: please report).
"""

from __future__ import annotations

import importlib
import os
import sys

import typer

from ptmscope.commands._common import err_console, escape, reflow
from ptmscope.errors import PtmscopeError

#: Command groups, in the order ``--help`` lists them.
COMMAND_MODULES: tuple[str, ...] = ("core", "demo", "audit", "scan", "verify", "sync", "report")

app = typer.Typer(
    name="ptmscope",
    help=(
        "Audit the supply chain of pre-trained models: mine Hugging Face model repos and their "
        "upstream GitHub repos into a DuckDB store, then audit reuse attributes, scan for "
        "risks without executing anything, check claimed against actual performance, and "
        "measure GitHub / Hugging Face synchronization.\n\n"
        "Start with `ptmscope demo`, then `ptmscope ls` and `ptmscope report`."
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version_callback(value: bool) -> None:
    if value:
        from ptmscope import __version__

        typer.echo(f"ptmscope {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        help="Print the version and exit.",
        callback=_version_callback,
        is_eager=True,
    ),
) -> None:
    """Audit the supply chain of pre-trained models."""


for _name in COMMAND_MODULES:
    importlib.import_module(f"ptmscope.commands.{_name}").register(app)
for _info in app.registered_commands:
    # Docstrings are written wrapped at 100 columns; help text should flow with the terminal.
    _doc = _info.help or (_info.callback.__doc__ if _info.callback else None)
    _info.help = reflow(_doc)


def main() -> None:
    """Entry point: run the app, turning ptmscope errors into one-line messages (exit 2)."""
    try:
        # Without standalone mode click returns the exit code of typer.Exit instead of exiting.
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except PtmscopeError as err:
        err_console.print(
            f"[bold red]error:[/] {escape(str(err), 2000)}", highlight=False, soft_wrap=True
        )
        if err.hint:
            err_console.print(f"[dim]hint:[/] {err.hint}", markup=True, highlight=False)
        sys.exit(2)
    except typer.Exit as ex:
        sys.exit(ex.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("aborted")
        sys.exit(130)
    except Exception as err:  # the click exceptions carry their own formatting
        import click

        if isinstance(err, click.exceptions.ClickException):
            err.show()
            sys.exit(2)
        if isinstance(err, click.exceptions.Exit):
            sys.exit(err.exit_code)
        if os.environ.get("PTMSCOPE_DEBUG"):
            raise
        err_console.print(
            f"[bold red]internal error:[/] {type(err).__name__}: {err}\n"
            "[dim]Set PTMSCOPE_DEBUG=1 for the traceback, and please report it.[/]",
            markup=True,
            highlight=False,
        )
        sys.exit(3)


if __name__ == "__main__":
    main()
