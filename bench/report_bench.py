"""Benchmark of the report layer on the demo corpus: build time, size, open time, BOMs.

Run: ``.venv/bin/python bench/report_bench.py [--browser-runs N]``. Builds the demo corpus in
a temporary folder, then measures reading the store, rendering the HTML and JSON reports,
their sizes against the 5 MB budget, one BOM per model (with schema validation), and, when
/usr/bin/chromium exists, how long the report takes to open and to draw every plot in a
fresh headless Chromium (cold, one browser per run). Timings on a shared machine are noisy.

``--corpus`` also reports on the 1,000-family store that ``bench/sync.py`` caches in
``bench/.cache/`` (skipped when it is absent): time, size and peak memory of ``ptmscope report``
with the default detail budget and with ``--details all``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _child import run
from ptmscope.demo.run import run_demo
from ptmscope.report.bom import bom_facts, render_bom, validate_bom
from ptmscope.report.data import load_report_data
from ptmscope.report.formats import HtmlFormat, JsonFormat
from ptmscope.store import Store

BUDGET_BYTES = 5_000_000
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def timed(fn, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


def open_in_chromium(page: Path, runs: int) -> list[tuple[float, float]]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    os.environ["SE_AVOID_STATS"] = "true"  # selenium-manager must not phone home
    results = []
    for _ in range(runs):
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     f"--user-data-dir={tempfile.mkdtemp()}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
        try:
            driver.get(page.as_uri())
            WebDriverWait(driver, 60).until(lambda d: d.execute_script(
                "return document.documentElement.getAttribute('data-plots-done')==='1'"))
            opened, drawn = driver.execute_script(
                "var n=performance.getEntriesByType('navigation')[0];"
                "return [n.loadEventEnd,"
                " +document.documentElement.getAttribute('data-ms-plots')]")
            results.append((opened / 1000, drawn / 1000))
        finally:
            driver.quit()
    return results


CORPUS = Path(__file__).resolve().parent / ".cache" / "sync-1000x3x100.duckdb"


def corpus_reports() -> None:
    """``ptmscope report`` on the cached 1,000-family store, budgeted and in full."""
    if not CORPUS.exists():
        print(f"corpus: {CORPUS} absent (run bench/sync.py first), skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "corpus.duckdb"
        shutil.copy(CORPUS, db)  # the report opens the store read-only, but never the cache
        exe = str(Path(sys.executable).with_name("ptmscope"))
        for label, extra in (("default budget", []), ("--details all", ["--details", "all"])):
            out = Path(tmp) / "corpus.html"
            done = run([exe, "report", "--db", str(db), "-o", str(out), "-q", *extra])
            print(f"corpus report ({label}): {done.wall_s:.1f} s, {out.stat().st_size:,} "
                  f"bytes, peak {done.peak_mb:.0f} MB (1,000 families, 4,000 repos)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--browser-runs", type=int, default=3)
    parser.add_argument("--corpus", action="store_true",
                        help="also report on the 1,000-family store of bench/sync.py")
    args = parser.parse_args()
    if args.corpus:
        corpus_reports()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "demo"
        _, demo_s = timed(run_demo, folder)
        print(f"demo (corpus + ingest + analyses + report): {demo_s:.2f} s")
        with Store(folder / "ptmscope.duckdb", read_only=True) as store:
            data, load_s = timed(load_report_data, store)
            html, html_s = timed(HtmlFormat().render, data)
            HtmlFormat().render(data)  # warm: the packed bundle is cached per process
            _, html_warm_s = timed(HtmlFormat().render, data)
            js, json_s = timed(JsonFormat().render, data)
            size = len(html.encode())
            print(f"read store: {load_s * 1000:.0f} ms ({len(data.models)} models, "
                  f"{len(data.families)} families)")
            print(f"render HTML: {html_s * 1000:.0f} ms, {html_warm_s * 1000:.0f} ms again "
                  "(plotly.js is packed once per process, during the demo)")
            print(f"HTML size: {size:,} bytes = {size / BUDGET_BYTES:.0%} of the 5 MB budget "
                  f"(plotly.js packed: ~1.96 MB of it)")
            print(f"render JSON: {json_s * 1000:.0f} ms, {len(js.encode()):,} bytes")
            bom_times, invalid = [], 0
            for repo in store.list_repos():
                text, seconds = timed(lambda r=repo: render_bom(bom_facts(store, r)))
                bom_times.append(seconds)
                invalid += bool(validate_bom(text))
            print(f"BOM: {len(bom_times)} repos, median {statistics.median(bom_times) * 1000:.0f}"
                  f" ms each, {invalid} invalid against CycloneDX 1.6")
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
            print("chromium: /usr/bin/chromium or chromedriver absent, open time not measured")
            return
        runs = open_in_chromium(page, args.browser_runs)
        for number, (opened, drawn) in enumerate(runs, 1):
            print(f"chromium run {number} (cold): opened (load event) {opened:.2f} s, "
                  f"every plot drawn {drawn:.2f} s after navigation start")


if __name__ == "__main__":
    main()
