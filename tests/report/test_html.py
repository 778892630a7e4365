"""The HTML page: sections, escaping of hostile text, empty store, models without findings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ptmscope.report import write_html_report
from ptmscope.report.data import ReportData, load_report_data
from ptmscope.report.html import evidence_text, packed_bundle, render_html
from ptmscope.store import Store

from .conftest import IMG, SCRIPT

FAKE_PLOTLY = "window.Plotly={newPlot:function(){return Promise.resolve();}};"


@pytest.fixture
def page(filled_store: Store) -> str:
    return render_html(load_report_data(filled_store), FAKE_PLOTLY, "n0nce")


def test_every_section_is_present(page: str) -> None:
    for anchor in ("overview", "models", "repos", "families", "corpus"):
        assert f'id="{anchor}"' in page


def test_no_hostile_text_reaches_the_page_unescaped(page: str) -> None:
    assert SCRIPT not in page
    assert IMG not in page
    assert "<img" not in page
    assert "onerror=" in page  # present, but only as escaped text
    assert page.count("<script") == 3  # figures JSON, packed bundle, boot script


def test_only_nonced_scripts_may_run_and_nothing_is_fetched(page: str) -> None:
    assert "script-src 'nonce-n0nce'" in page and "default-src 'none'" in page
    executable = re.findall(r"<script(?![^>]*type=\"application/)[^>]*>", page)
    assert executable == ['<script nonce="n0nce">']
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<link" not in page


def test_plotly_is_inlined_once_and_packed(page: str) -> None:
    assert page.count(packed_bundle(FAKE_PLOTLY)) == 1


def test_every_plot_has_a_fallback_table(page: str) -> None:
    plots = page.count('class="plot"')
    assert plots == 7
    assert page.count('<details class="fallback" open>') == plots


def test_long_names_are_clipped(page: str) -> None:
    assert "x" * 110 not in page  # every hostile field is clipped to <= 110 chars
    assert "googIe-bert/bert-base" in page


def test_failed_claims_and_a_missing_licence_show_at_a_glance(page: str) -> None:
    glance = page.split("<h3>Models at a glance</h3>", 1)[1].split("</table>", 1)[0]
    bert = glance.split("acme/bert-base<", 1)[1].split("</tr>", 1)[0]
    assert "1 of 1 failed" in bert  # the discrepant claim, not just a count of checks
    lookalike = glance.split("googIe-bert/bert-base", 1)[1].split("</tr>", 1)[0]
    assert 'b-missing">none declared' in lookalike  # no licence is flagged, not "n/a"
    summary = page.split('<span class="name">acme/bert-base<', 1)[1].split("</summary>", 1)[0]
    assert "1 claim check(s) failed" in summary
    assert ".name{font-family:ui-monospace" in page  # look-alike names stay distinguishable


def test_a_model_without_findings_says_so(page: str) -> None:
    section = page.split('<span class="name">acme/clean-model<', 1)[1].split("</details>", 1)[0]
    assert "No findings for this model" in section


def test_empty_store_gives_a_page_that_says_so(tmp_path: Path) -> None:
    out = write_html_report(Store(tmp_path / "e.duckdb"), tmp_path / "r.html")
    text = out.read_text()
    assert "is empty" in text and "ptmscope demo" in text
    assert "ptm-plotly" not in text  # no figures, no bundle
    assert out.stat().st_size < 20_000


def test_analyses_that_never_ran_are_not_shown_as_clean(filled_store: Store) -> None:
    data = load_report_data(filled_store)
    overview = data.overview
    without_risk = ReportData(
        data.generated_at, data.tool_version, data.store_path,
        type(overview)(overview.models, overview.upstream_repos, overview.families,
                       overview.commits, overview.files, overview.findings,
                       overview.severity_counts, ("attributes", "perf", "sync")),
        data.models, data.repos, data.families, data.corpus,
    )
    text = render_html(without_risk, FAKE_PLOTLY, "n")
    assert "The risk analysis has not run" in text


def test_report_file_is_small_and_written(filled_store: Store, tmp_path: Path) -> None:
    out = write_html_report(filled_store, tmp_path / "sub" / "report.html")
    size = out.stat().st_size
    assert 1_000_000 < size < 5_000_000  # packed plotly.js (~2 MB) plus the report


@pytest.mark.parametrize(("evidence", "text"), [
    ([{"path": "README.md", "line": 9, "key": "license", "excerpt": "mit"}],
     "README.md:9 license &quot;mit&quot;"),
    ("card: license", "card: license"),
    (None, "n/a"),
    ([{"path": "a"}, {"path": "b"}, {"path": "c"}, {"path": "d"}], "a; b; c; +1 more"),
    ([{"excerpt": SCRIPT}], "&quot;&lt;script&gt;"),
])
def test_evidence_reads_as_one_escaped_line(evidence: object, text: str) -> None:
    assert evidence_text(evidence).startswith(text)


def test_a_nonce_that_could_break_the_markup_is_refused(filled_store: Store) -> None:
    with pytest.raises(ValueError, match="nonce"):
        render_html(load_report_data(filled_store), FAKE_PLOTLY, 'x" onload="y')


def test_change_type_legend_leaves_the_mode_bar_corner_free(filled_store: Store) -> None:
    from ptmscope.report import plots

    plot = plots.change_type_plot(load_report_data(filled_store).corpus)
    assert plot is not None
    legend = plot.figure["layout"]["legend"]
    assert legend["xanchor"] == "center" and legend["yanchor"] == "bottom"


def test_category_scores_list_what_each_score_leaves_out() -> None:
    from ptmscope.records import Finding, Outcome, Severity
    from ptmscope.report.html import category_scores_table

    def attr(rule: str, outcome: Outcome) -> Finding:
        return Finding("attributes", rule, "huggingface:o/m", Severity.LOW, outcome, rule)

    html = category_scores_table([
        attr("publisher", Outcome.PRESENT), attr("paper", Outcome.MISSING),
        attr("training-logs", Outcome.PARTIAL), attr("downloads", Outcome.NOT_AVAILABLE),
        attr("not-a-registered-check", Outcome.MISSING),
    ])
    provenance = html.split("<td>provenance</td>", 1)[1].split("</tr>", 1)[0]
    assert "/100" in provenance and "paper" in provenance and "training-logs" in provenance
    maintenance = html.split("<td>maintenance</td>", 1)[1].split("</tr>", 1)[0]
    assert "n/a" in maintenance and "downloads" in maintenance  # unknown, never a silent 0
    assert "not-a-registered-check" not in html
    assert category_scores_table([]) == ""


def test_category_and_score_cells_do_not_wrap(page: str) -> None:
    assert "table.scores td:nth-child(-n+2){white-space:nowrap}" in page


def test_a_large_store_gets_full_sections_only_for_the_most_telling_items(
    filled_store: Store,
) -> None:
    data = load_report_data(filled_store)
    assert len(data.models) > 1 and len(data.families) > 1
    page = render_html(data, FAKE_PLOTLY, "n", details=1)
    # every model and family is still listed, only one of each has a section and an anchor
    from ptmscope.report.markup import esc

    for m in data.models:
        assert esc(m.repo.name, 80) in page
    for fam in data.families:
        assert esc(fam.family.family_id, 100) in page
    assert page.count('<section class="family"') == 1
    assert "Families at a glance" in page
    assert page.count('href="#model-') == 1
    assert f"the other {len(data.models) - 1} are in this table only" in page
    assert "--details all" in page
    # the chosen model is the one with the most serious risk findings
    serious = max(range(len(data.models)), key=lambda i: sum(
        1 for f in data.models[i].of("risk") if f.severity.rank <= 2))
    assert f'href="#model-{serious}"' in page
    # no budget: everything, and no note
    full = render_html(data, FAKE_PLOTLY, "n", details=None)
    assert full.count('<section class="family"') == len(data.families)
    assert "are in this table only" not in full
