"""The HTML report as a person sees it: opened in headless Chromium through selenium.

Skipped only when /usr/bin/chromium is absent (CI installs it). Checks: no console errors,
every section and every plot rendered, nothing injected ran, the page opens in under 2 s,
and a screenshot is saved under the test's temporary folder.

"Opens" is navigation start to the load event: the whole report is readable then (every
table, including the data table under each plot). The plots render right after, once the
packed plotly.js is unpacked and run; that time is printed (``-s``) and only bounded by the
wait, because on a shared 2-core runner compiling plotly.js cold varies several-fold.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ptmscope.report import write_html_report
from ptmscope.store import Store

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]

#: Opening budget for the demo-sized report (issue 7).
LOAD_BUDGET_S = 2.0


def open_browser(profile: Path, width: int = 1400, height: int = 1000) -> Any:
    """A headless Chromium with no network side-channels and a fresh profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                 f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # an explicit driver keeps selenium-manager (which downloads and sends stats) out of it
    assert CHROMEDRIVER.exists(), "install the Debian package chromium-driver"
    os.environ["SE_AVOID_STATS"] = "true"
    return webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))


def load(driver: Any, page: Path) -> tuple[float, float]:
    """Open ``page`` and wait until every plot has rendered.

    Returns:
        (seconds until the load event, seconds until every plot had rendered), both from
        the navigation start.
    """
    from selenium.webdriver.support.ui import WebDriverWait

    start = time.perf_counter()
    driver.get(page.as_uri())
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(
        "var p=document.querySelectorAll('div.plot');"
        "return document.readyState==='complete' && "
        "document.querySelectorAll('div.plot[data-rendered]').length===p.length;"))
    plots = time.perf_counter() - start
    opened = driver.execute_script(
        "return performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000.0
    return opened, plots


def severe_logs(driver: Any) -> list[Any]:
    """Console errors (and CSP violations) the page produced."""
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def rendered_plots(driver: Any) -> tuple[int, int]:
    """(plot placeholders, plots drawn by Plotly with an svg inside)."""
    return (
        driver.execute_script("return document.querySelectorAll('div.plot').length"),
        driver.execute_script(
            "return Array.from(document.querySelectorAll('div.plot')).filter("
            "d => d.querySelector('svg.main-svg') && d.querySelector('.plot-container')"
            ").length"),
    )


#: Hovers every point of every family timeline; returns the hover labels' text.
HOVER_EVERY_TIMELINE_POINT = """
var out = [];
document.querySelectorAll('section.family div.plot').forEach(function (div) {
  div.data.forEach(function (trace, c) {
    for (var p = 0; p < trace.x.length; p++) {
      Plotly.Fx.hover(div, [{curveNumber: c, pointNumber: p}]);
      var label = div.querySelector('.hovertext');
      if (label) { out.push(label.textContent); }
    }
  });
});
return out;
"""


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One browser for the module (starting Chromium is the slow part)."""
    browser = open_browser(tmp_path_factory.mktemp("chromium-profile"))
    yield browser
    browser.quit()


def test_report_opens_renders_every_plot_and_runs_no_injected_script(
    driver: Any, filled_store: Store, tmp_path: Path
) -> None:
    page = write_html_report(filled_store, tmp_path / "report.html")
    opened, drawn_after = load(driver, page)

    assert severe_logs(driver) == []
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    assert driver.execute_script("return document.querySelectorAll('img').length") == 0
    for anchor in ("overview", "models", "repos", "families", "corpus"):
        assert driver.execute_script(f"return !!document.getElementById('{anchor}')"), anchor
    # severity, one timeline per family (2), patterns, maturity, change types, heatmap
    assert rendered_plots(driver) == (7, 7)
    # the injected text is shown as text, not run - in the page and in plot hover labels
    assert "<script>window.__pwned=1</script>" in driver.find_element("id", "families").text
    hovers = driver.execute_script(HOVER_EVERY_TIMELINE_POINT)
    assert any('"><img src=x onerror="window.__pwned=2">' in h for h in hovers)
    assert driver.execute_script("return document.querySelectorAll('img').length") == 0
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    print(f"opened in {opened:.2f}s, plots drawn after {drawn_after:.2f}s")
    assert opened < LOAD_BUDGET_S, f"took {opened:.2f}s to open"
    shot = tmp_path / "report.png"
    assert driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000


def test_demo_report_opens_under_budget_with_every_plot(driver: Any, tmp_path: Path) -> None:
    from ptmscope.demo.run import run_demo

    result = run_demo(tmp_path / "demo")
    assert result.report is not None
    size = result.report.stat().st_size
    assert size < 5_000_000, f"demo report is {size} bytes"
    opened, drawn_after = load(driver, result.report)
    assert severe_logs(driver) == []
    plots, drawn = rendered_plots(driver)
    assert plots >= 4 + 3 and drawn == plots  # a timeline per family, corpus views
    families = driver.execute_script("return document.querySelectorAll('section.family').length")
    assert families == 4
    print(f"demo report {size} bytes, opened in {opened:.2f}s, plots after {drawn_after:.2f}s")
    assert opened < LOAD_BUDGET_S, f"took {opened:.2f}s to open"
    driver.set_window_size(1400, 2400)
    assert driver.save_screenshot(str(tmp_path / "demo-report.png"))


def test_empty_store_report_opens_and_says_so(driver: Any, tmp_path: Path) -> None:
    store = Store(tmp_path / "empty.duckdb")
    page = write_html_report(store, tmp_path / "empty.html")
    load(driver, page)
    assert severe_logs(driver) == []
    assert "is empty" in driver.find_element("id", "overview").text
    assert rendered_plots(driver) == (0, 0)
