"""``ptmscope demo``: generate the corpus, ingest it, run every analysis, write the report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ptmscope.analyses import AnalysisSummary, run_analyses
from ptmscope.demo.corpus import DemoCorpus, build_corpus
from ptmscope.ingest import IngestReport, ingest
from ptmscope.progress import NullProgress, Progress
from ptmscope.store import Store


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What the demo produced.

    Attributes:
        report: path of the HTML report, or None when the report module is unavailable.
        report_note: why there is no report, when there is none.
    """

    corpus: DemoCorpus
    store_path: Path
    ingest: IngestReport
    counts: dict[str, int]
    analyses: list[AnalysisSummary]
    report: Path | None
    report_note: str = ""


def run_demo(folder: Path, *, seed: int = 7, progress: Progress | None = None) -> DemoResult:
    """Build the demo corpus in ``folder/corpus``, ingest it into ``folder/ptmscope.duckdb``,
    run every registered analysis and write ``folder/report.html``.

    Re-running is cheap and gives the same result: the corpus is deterministic and ingest
    skips repositories whose HEAD is already stored.
    """
    progress = progress or NullProgress()
    folder.mkdir(parents=True, exist_ok=True)
    progress.start("generating the demo corpus")
    corpus = build_corpus(folder / "corpus", seed=seed)
    progress.finish()
    store_path = folder / "ptmscope.duckdb"
    with Store(store_path) as store:
        report = ingest(store, [str(corpus.manifest)], progress=progress)
        summaries = run_analyses(store, progress)
        html, note = _write_report(store, folder / "report.html", progress)
        counts = store.counts()
    return DemoResult(corpus, store_path, report, counts, summaries, html, note)


def _write_report(store: Store, path: Path, progress: Progress) -> tuple[Path | None, str]:
    try:
        from ptmscope.report import write_html_report
    except ImportError as err:
        return None, f"report not available: {err}"
    written: Path = write_html_report(store, path, progress)
    return written, ""
