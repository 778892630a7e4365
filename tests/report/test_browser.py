"""The HTML report as a person sees it: opened in headless Chromium through selenium.

Skipped only when /usr/bin/chromium is absent (CI installs it). Checks: no console errors,
every section and every plot rendered, nothing injected ran, the page opens in under 2 s,
and a screenshot is saved under the test's temporary folder.
"""

from __future__ import annotations

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
    service = Service(str(CHROMEDRIVER)) if CHROMEDRIVER.exists() else Service()
    return webdriver.Chrome(options=options, service=service)


def load(driver: Any, page: Path) -> float:
    """Open ``page`` and wait until every plot has rendered; returns the seconds it took."""
    from selenium.webdriver.support.ui import WebDriverWait

    start = time.perf_counter()
    driver.get(page.as_uri())
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(
        "var p=document.querySelectorAll('div.plot');"
        "return document.readyState==='complete' && "
        "document.querySelectorAll('div.plot[data-rendered]').length===p.length;"))
    return time.perf_counter() - start


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
    seconds = load(driver, page)

    errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    assert errors == []
    assert driver.execute_script("return typeof window.__pwned") == "undefined"
    assert driver.execute_script("return document.querySelectorAll('img').length") == 0
    for anchor in ("overview", "models", "repos", "families", "corpus"):
        assert driver.execute_script(f"return !!document.getElementById('{anchor}')"), anchor
    plots = driver.execute_script("return document.querySelectorAll('div.plot').length")
    drawn = driver.execute_script(
        "return Array.from(document.querySelectorAll('div.plot')).filter("
        "d => d.querySelector('svg.main-svg') && d.querySelector('.plot-container')).length")
    # severity, one timeline per family (2), patterns, maturity, change types, heatmap
    assert plots == 7
    assert drawn == plots
    assert "<script>window.__pwned=1</script>" in driver.find_element("id", "families").text
    assert seconds < LOAD_BUDGET_S, f"took {seconds:.2f}s to open"
    shot = tmp_path / "report.png"
    assert driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000


def test_empty_store_report_opens_and_says_so(driver: Any, tmp_path: Path) -> None:
    store = Store(tmp_path / "empty.duckdb")
    page = write_html_report(store, tmp_path / "empty.html")
    load(driver, page)
    assert [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"] == []
    assert "is empty" in driver.find_element("id", "overview").text
