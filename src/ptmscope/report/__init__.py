"""ptmscope.report: turn the store into reports people and machines read.

* ``write_html_report(store, path)``: the self-contained HTML report (``ptmscope report``,
  and the last step of ``ptmscope demo``).
* ``formats``: the ``Format`` interface, ``OutputFormat`` enum (html, json).
* ``bom``: the CycloneDX 1.6 ML-BOM of one model (``ptmscope bom``).
* ``schemas``: the JSON Schemas of every JSON output (``load_schema(name)``).
"""

from __future__ import annotations

from pathlib import Path

from ptmscope.errors import ReportError
from ptmscope.progress import NullProgress, Progress
from ptmscope.store import Store

__all__ = ["write_html_report", "write_report"]


def write_report(store: Store, path: Path, output_format: str = "html",
                 progress: Progress | None = None, *, details: int | None = 50) -> Path:
    """Render the whole store in ``output_format`` (``html`` or ``json``) to ``path``.

    ``details``: in HTML, at most this many models, upstream repos and families (each) get a
    full section, the ones with the most to report (None: all); JSON always has everything.

    Raises:
        ReportError: the file cannot be written.
    """
    from ptmscope.report.data import load_report_data
    from ptmscope.report.formats import Format, HtmlFormat, OutputFormat

    progress = progress or NullProgress()
    data = load_report_data(store, progress)
    progress.start("rendering the report", total=1)
    formatter: Format = (HtmlFormat(details=details, all_details=details is None)
                         if output_format == "html" else OutputFormat(output_format).to_format())
    text = formatter.render(data)
    progress.advance()
    progress.finish()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise ReportError(f"{path}: cannot write the report: {err.strerror or err}",
                          hint="Choose another -o path.") from err
    return path


def write_html_report(store: Store, path: Path, progress: Progress | None = None) -> Path:
    """Write the self-contained HTML report of everything in ``store`` to ``path``.

    Args:
        store: an open store.
        path: the ``.html`` file to write (parent folders are created).
        progress: told about the reading and rendering phases.

    Returns:
        ``path``.

    Raises:
        ReportError: the file cannot be written.

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "r.html"
    >>> write_html_report(Store(":memory:"), out).read_text().count("is empty")
    1
    """
    return write_report(store, path, "html", progress)
