"""The self-contained HTML report: one file, no network, every script and style inlined.

``render_html(data, plotly_js, nonce)`` is a pure function of the report data. The page has
four parts: an overview (counts and findings by severity), one section per model (attribute
scorecard, risk findings, claim checks, files and formats), one per family (timeline of
two-week bins, synchronization pattern, lags, staleness) and corpus views (pattern
distribution, pattern by maturity, change-type shares, missing attributes by task).

Safety: hostile text is escaped and clipped (``markup.esc``, ``markup.plot_text`` inside
figures); figure data travels as JSON in one ``<script type="application/json">`` block
escaped by ``markup.script_json``; and a Content-Security-Policy lets only scripts carrying
this report's nonce run (the boot script, and the plotly.js it unpacks and starts with the
same nonce) and forbids every network request, so even an escaping bug could not run an
injected script, fire an inline event handler or load anything.

plotly.js comes from the installed ``plotly`` package (``plotly.offline.get_plotlyjs()``) and
is inlined once, gzipped and base64-encoded (see ``packed_bundle``).

Size: a store of a whole study (1,000 families, 4,000 repositories) would give a page of tens of
megabytes that browsers open slowly. Every model and family is listed in the "at a glance"
tables, but full sections (timelines, file and finding tables) are rendered for at most
``details`` of each, the ones with the most to report (``DEFAULT_DETAILS``; ``None`` renders
all). ``ptmscope report --json`` always has everything.
"""

from __future__ import annotations

import base64
import functools
import gzip
from collections.abc import Callable, Sequence
from datetime import datetime
from importlib import resources
from typing import TypeVar

from ptmscope.records import SEVERITY_ORDER, Finding, Outcome, Severity
from ptmscope.report import plots
from ptmscope.report.data import FamilyView, ModelView, ReportData, detail
from ptmscope.report.markup import NA, badge, esc, human_size, number, script_json, table

#: Rows shown in a model's file table before the rest is summarised.
MAX_FILE_ROWS = 150
#: Findings shown per table before the rest is summarised.
MAX_FINDING_ROWS = 200
#: Models, upstream repos and families that get a full section each (the rest: index rows).
DEFAULT_DETAILS = 50

_T = TypeVar("_T")


def _asset(name: str) -> str:
    """A text file shipped in ``ptmscope/report/assets``."""
    return resources.files("ptmscope.report").joinpath("assets", name).read_text("utf-8")


class _Figures:
    """Collects figures while sections render; each gets a stable id."""

    def __init__(self) -> None:
        self.specs: dict[str, object] = {}

    def box(self, plot: plots.Plot | None, empty_text: str) -> str:
        """The plot's div with its fallback table, or ``empty_text`` when there is no plot."""
        if plot is None:
            return f'<p class="note">{empty_text}</p>'
        fig_id = f"fig{len(self.specs) + 1}"
        self.specs[fig_id] = plot.figure
        return (
            f'<div class="plotbox"><div class="plot" id="{fig_id}" data-fig="{fig_id}" '
            f'role="img" aria-label="{esc(plot.title, 80)}"></div>'
            f'<details class="fallback" open><summary>{esc(plot.title, 80)}: data table'
            f"</summary>{plot.fallback}</details></div>"
        )


def render_html(data: ReportData, plotly_js: str, nonce: str,
                details: int | None = DEFAULT_DETAILS) -> str:
    """The whole report page.

    Args:
        data: what to show (from ``load_report_data``).
        plotly_js: the plotly.js bundle to inline, packed (only when there are figures).
        nonce: a fresh random token; only scripts carrying it may run (CSP).
        details: at most this many models, upstream repos and families (each) get a full
            section, those with the most to report; None: all of them.

    Returns:
        the HTML text.

    Raises:
        ValueError: ``nonce`` is not a url-safe token.
    """
    if not nonce or not all(ch.isalnum() or ch in "-_" for ch in nonce):
        raise ValueError("the CSP nonce must be a non-empty url-safe token")
    figures = _Figures()
    ran = frozenset(data.overview.analyses)
    if data.is_empty:
        body = _empty_section(data)
    else:
        shown_models = chosen(data.models, _model_interest, details)
        body = "".join((
            _overview(data, figures, shown_models),
            _models(data.models, "models", "Models (Hugging Face)", ran, shown_models),
            _models(data.repos, "repos", "Upstream repositories (GitHub)", ran,
                    chosen(data.repos, _model_interest, details))
            if data.repos else "",
            _families(data.families, figures, chosen(data.families, _family_interest, details)),
            _corpus(data, figures),
        ))
    scripts = ""
    if figures.specs:
        scripts = (
            f'<script type="application/json" id="ptm-figures">{script_json(figures.specs)}'
            f'</script><script type="application/octet-stream" id="ptm-plotly">'
            f"{packed_bundle(plotly_js)}</script>"
            f'<script nonce="{nonce}">{_asset("boot.js")}</script>'
        )
    csp = (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
           "img-src data:; font-src data:; base-uri 'none'; form-action 'none'")
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>ptmscope report</title><style>{_asset('report.css')}</style></head><body>"
        f"{_header(data)}<main>{body}</main>"
        "<noscript><p class=\"note\">JavaScript is off: every plot is shown as the data table "
        "under its place.</p></noscript>"
        f"{scripts}</body></html>"
    )


@functools.lru_cache(maxsize=2)
def packed_bundle(code: str) -> str:
    """plotly.js gzipped and base64-encoded, for inlining.

    The bundle alone is about 4.8 MB, which would leave nothing of the 5 MB budget for the
    report itself; packed it is about 2 MB, and the browser unpacks it natively
    (``DecompressionStream``) in a few tens of milliseconds. Base64 cannot close a script
    element, so the packed text needs no further escaping.
    """
    return base64.b64encode(gzip.compress(code.encode("utf-8"), 9, mtime=0)).decode("ascii")


def _header(data: ReportData) -> str:
    when = data.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    nav = "" if data.is_empty else (
        '<nav><a href="#overview">Overview</a><a href="#models">Models</a>'
        + ('<a href="#repos">Upstream repos</a>' if data.repos else "")
        + '<a href="#families">Families</a><a href="#corpus">Corpus</a></nav>'
    )
    return (
        '<header class="top"><h1>ptmscope report</h1>'
        f"<p>store {esc(data.store_path, 160)} · generated {when} · "
        f"ptmscope {esc(data.tool_version, 20)}</p></header>{nav}"
    )


def _empty_section(data: ReportData) -> str:
    return (
        '<section id="overview"><h2>Overview</h2><p class="empty">The store '
        f"<code>{esc(data.store_path, 160)}</code> is empty: no models, repositories or "
        "families to report on. Run <code>ptmscope ingest PATH</code> or "
        "<code>ptmscope demo</code> first.</p></section>"
    )


# --- overview ------------------------------------------------------------------------------------
def chosen(items: Sequence[_T], interest: Callable[[_T], tuple[int, ...]],
           limit: int | None) -> frozenset[int]:
    """Indexes of the ``limit`` items with the most to report (all when ``limit`` is None)."""
    if limit is None or len(items) <= limit:
        return frozenset(range(len(items)))
    ranked = sorted(range(len(items)), key=lambda i: (*(-x for x in interest(items[i])), i))
    return frozenset(ranked[:limit])


def _model_interest(m: ModelView) -> tuple[int, ...]:
    """Serious risks first, then failed claim checks, missing attributes, other risks."""
    risks = m.of("risk")
    serious = sum(1 for f in risks if f.severity.rank <= Severity.MEDIUM.rank)
    missing = sum(1 for f in m.of("attributes") if f.outcome is Outcome.MISSING)
    return serious, len(failed_claim_checks(m.of("perf"))), missing, len(risks)


def _family_interest(fam: FamilyView) -> tuple[int, ...]:
    """Findings above info first (stale files, isolated changes...), then stale files."""
    worrying = sum(1 for f in fam.findings if f.severity is not Severity.INFO)
    return worrying, sum(st.stale_files for st in fam.staleness), len(fam.rows)


def _not_detailed(kind: str, shown: int, total: int) -> str:
    """The note under an index when only some items have a full section."""
    if shown >= total:
        return ""
    return (f'<p class="note">Full sections are shown for the {shown} {kind} with the most to '
            f"report; the other {total - shown} are in this table only. "
            "<code>ptmscope report --details all</code> renders every one, and "
            "<code>ptmscope report --json</code> has all the data.</p>")


def _overview(data: ReportData, figures: _Figures, shown: frozenset[int]) -> str:
    o = data.overview
    tiles = "".join(
        f'<div class="tile"><b>{value}</b><span>{label}</span></div>'
        for label, value in (
            ("models", o.models), ("upstream repos", o.upstream_repos),
            ("families", o.families), ("commits", o.commits), ("files", o.files),
            ("findings", o.findings),
        )
    )
    notes = "".join(f"<li>{esc(n, 300)}</li>" for n in data.notes)
    return (
        '<section id="overview"><h2>Overview</h2>'
        f'<div class="tiles">{tiles}</div>'
        + (f'<ul class="notes">{notes}</ul>' if notes else "")
        + figures.box(plots.severity_plot(o), "No findings in the store yet.")
        + _model_index(data.models, set(o.analyses), shown)
        + _not_detailed("models", len(shown), len(data.models))
        + "</section>"
    )


def _severity_badges(findings: Sequence[Finding]) -> str:
    """Badges counting findings per severity; info findings (passed checks, notes) only
    when there is nothing worse, so they never drown a real problem."""
    counts = {s: 0 for s in SEVERITY_ORDER}
    for f in findings:
        counts[f.severity] += 1
    worse = [badge(f"{n} {s.value}", s.value) for s, n in counts.items()
             if n and s is not Severity.INFO]
    if worse:
        return "".join(worse)
    info = counts[Severity.INFO]
    return badge(f"{info} info", "info") if info else ""


def _model_index(models: Sequence[ModelView], ran: set[str], shown: frozenset[int]) -> str:
    """One line per model; an analysis with no findings in the whole store reads "not run"
    rather than "none", so a clean result is never confused with a missing one."""
    if not models:
        return '<p class="note">No Hugging Face models in the store.</p>'
    not_run = badge("not run", "none")
    rows = []
    for i, m in enumerate(models):
        missing = sum(1 for f in m.of("attributes") if f.outcome is Outcome.MISSING)
        risk = _severity_badges(m.of("risk")) or badge("none", "ok")
        name = (f'<a class="name" href="#model-{i}">{esc(m.repo.name, 80)}</a>' if i in shown
                else f'<span class="name">{esc(m.repo.name, 80)}</span>')
        rows.append([
            name, esc(m.task, 40),
            _licence_cell(m.license), risk if "risk" in ran else not_run,
            f"{missing} of {len(m.of('attributes'))}" if m.of("attributes") else
            (NA if "attributes" in ran else not_run),
            _claim_checks_cell(m.of("perf")) if "perf" in ran else not_run,
        ])
    return "<h3>Models at a glance</h3>" + table(
        ["model", "task", "licence", "risk findings", "attributes missing", "claim checks"],
        rows)


def _licence_cell(licence: str | None) -> str:
    """The declared licence, or a red "none declared": a missing licence is a reuse blocker."""
    return esc(licence, 40) if licence else badge("none declared", "missing")


def failed_claim_checks(findings: Sequence[Finding]) -> list[Finding]:
    """Claim checks that failed: a discrepant verdict or a cheap check whose claim is wrong."""
    return [f for f in findings
            if f.outcome in (Outcome.MISSING, Outcome.ERROR)
            or detail(f, "verdict", "status") == "discrepant"]


def _claim_checks_cell(findings: Sequence[Finding]) -> str:
    """How many claim checks failed, so a discrepancy shows without opening the model."""
    if not findings:
        return NA
    failed = failed_claim_checks(findings)
    if failed:
        return badge(f"{len(failed)} of {len(findings)} failed", "missing")
    return f"none of {len(findings)} failed"


# --- models --------------------------------------------------------------------------------------
def _models(models: Sequence[ModelView], anchor: str, title: str, ran: frozenset[str],
            shown: frozenset[int]) -> str:
    if not models:
        return (f'<section id="{anchor}"><h2>{title}</h2>'
                '<p class="note">None in the store.</p></section>')
    prefix = "model" if anchor == "models" else "repo"
    parts = [_model_section(m, f"{prefix}-{i}", ran) for i, m in enumerate(models) if i in shown]
    kind = "models" if anchor == "models" else "upstream repositories"
    index = "" if anchor == "models" else _repo_index(models, shown)
    return (f'<section id="{anchor}"><h2>{title}</h2>{index}'
            f'{_not_detailed(kind, len(shown), len(models)) if index else ""}'
            f'{"".join(parts)}</section>')


def _repo_index(repos: Sequence[ModelView], shown: frozenset[int]) -> str:
    """One line per upstream repository, when only some get a full section."""
    if len(shown) >= len(repos):
        return ""
    rows = [[(f'<a class="name" href="#repo-{i}">{esc(r.repo.name, 80)}</a>' if i in shown
              else esc(r.repo.name, 80)), str(r.commit_count), _when(r.last_commit),
             _severity_badges(r.of("risk")) or badge("none", "ok")]
            for i, r in enumerate(repos)]
    return "<h3>Repositories at a glance</h3>" + table(
        ["repository", "commits", "last commit", "risk findings"], rows)


def _model_section(m: ModelView, anchor: str, ran: frozenset[str]) -> str:
    """One model: facts, then a table per analysis ("not run" when it never ran at all)."""
    risky = any(f.severity.rank <= 1 for f in m.of("risk"))
    meta = (f"{esc(m.task, 40)} · licence {esc(m.license or 'none declared', 40)} · "
            f"card {m.card_state} · "
            f"{m.commit_count} commits · {len(m.files)} files")
    failed = failed_claim_checks(m.of("perf"))
    summary = (_severity_badges(m.of("risk")) if m.finding_count
               else badge("no findings", "none"))
    if failed:
        summary += badge(f"{len(failed)} claim check(s) failed", "missing")
    facts = (
        f'<p class="facts">id {esc(m.repo.repo_id, 110)} · source {esc(m.repo.source, 110)}'
        f" · last commit {_when(m.last_commit)}"
        + (f" · families {esc(', '.join(m.family_ids), 160)}" if m.family_ids else "")
        + "</p>"
    )
    if m.finding_count == 0:
        body = ('<p class="none">No findings for this model: no analysis has reported '
                "anything about it (either it passed, or no analysis has run on it yet).</p>")
    else:
        body = (
            "<h4>Attribute scorecard</h4>"
            + _unless_not_run("attributes", ran, _attributes_table, m.of("attributes"))
            + "<h4>Risk findings</h4>" + _unless_not_run("risk", ran, _risk_table, m.of("risk"))
            + "<h4>Claim checks</h4>" + _unless_not_run("perf", ran, _perf_table, m.of("perf"))
            + (("<h4>Other findings</h4>" + _generic_table(m.other_findings))
               if m.other_findings else "")
        )
    card = (
        f'<details><summary>Model card ({m.card_state})</summary>'
        f'<pre class="card">{esc(m.card_excerpt, 600)}</pre></details>'
        if m.card_excerpt else ""
    )
    open_attr = " open" if risky else ""
    return (
        f'<details class="model" id="{anchor}"{open_attr}><summary>'
        f'<span class="name">{esc(m.repo.name, 100)}</span>'
        f'<span class="meta">{meta}</span> {summary}</summary>{facts}{body}'
        f"<h4>Files and formats</h4>{_files_table(m)}{card}</details>"
    )


def _unless_not_run(analysis: str, ran: frozenset[str],
                    render: Callable[[Sequence[Finding]], str],
                    findings: Sequence[Finding]) -> str:
    """``render(findings)``, or a note when the analysis has no findings anywhere in the
    store (it has not run), so "nothing found" is never shown for "never looked"."""
    if analysis not in ran:
        return (f'<p class="note">The {analysis} analysis has not run on this store '
                "(no findings of it anywhere).</p>")
    return render(findings)


def _when(moment: datetime | None) -> str:
    return NA if moment is None else moment.strftime("%Y-%m-%d")


def _more(items: Sequence[object], limit: int) -> str:
    extra = len(items) - limit
    return f'<p class="note">… and {extra} more (see --json).</p>' if extra > 0 else ""


#: Scorecard order: what a reuser must act on first.
_OUTCOME_ORDER = {o: i for i, o in enumerate((
    Outcome.MISSING, Outcome.PARTIAL, Outcome.ERROR, Outcome.NOT_AVAILABLE,
    Outcome.NOT_APPLICABLE, Outcome.PRESENT))}


def _attributes_table(findings: Sequence[Finding]) -> str:
    """The scorecard: gaps first with their remedy; present attributes folded away."""
    if not findings:
        return '<p class="note">No attribute findings (the attributes analysis has not run).</p>'
    ranked = sorted(findings, key=lambda f: (_OUTCOME_ORDER[f.outcome], f.rule_id))
    gaps = [f for f in ranked if f.outcome is not Outcome.PRESENT]
    present = [f for f in ranked if f.outcome is Outcome.PRESENT]
    scored = any(detail(f, "score") is not None for f in findings)
    headers = ["check", "outcome", "category", "finding", "evidence", "remedy"]

    def row(f: Finding, with_remedy: bool) -> list[str]:
        cells = [esc(f.rule_id, 60), badge(f.outcome.value, f.outcome.value),
                 esc(detail(f, "category", "group"), 40), esc(f.message, 200),
                 evidence_text(detail(f, "evidence")),
                 esc(detail(f, "remedy", "remediation"), 200) if with_remedy else ""]
        return [*cells, esc(detail(f, "score"), 10)] if scored else cells

    cols = [*headers, "score"] if scored else headers
    out = (f'<p class="facts">{len(present)} of {len(findings)} attributes present, '
           f"{len(gaps)} to look at.</p>" + category_scores_table(findings))
    if gaps:
        out += table(cols, [row(f, True) for f in gaps[:MAX_FINDING_ROWS]], cls="findings")
        out += _more(gaps, MAX_FINDING_ROWS)
    if present:
        out += (f"<details><summary>{len(present)} attributes present</summary>"
                + table(cols, [row(f, False) for f in present[:MAX_FINDING_ROWS]],
                        cls="findings")
                + "</details>")
    return out


def category_scores_table(findings: Sequence[Finding]) -> str:
    """The 0-100 score per category (weighting of docs/attributes.md) next to the items it
    leaves out, so a score never hides what is missing. Findings whose rule is not a
    registered attribute check are not scored."""
    from ptmscope.attributes.base import Category
    from ptmscope.attributes.registry import CHECKS
    from ptmscope.attributes.scoring import score_outcomes

    by_id = {check.id: check for check in CHECKS}
    judged = [(by_id[f.rule_id], f.outcome) for f in findings if f.rule_id in by_id]
    if not judged:
        return ""
    rows = []
    for category in Category:
        score = score_outcomes(category, judged)
        if not (score.present or score.partial or score.missing or score.unknown):
            continue
        rows.append([
            esc(category.value, 30), NA if score.score is None else f"{score.score}/100",
            esc(", ".join(score.missing) or "none", 300),
            esc(", ".join(score.partial) or "none", 300),
            esc(", ".join(score.unknown) or "none", 300),
        ])
    return table(["category", "score", "missing", "partial", "unknown (not scored)"], rows,
                 cls="scores")


def evidence_text(value: object, limit: int = 160) -> str:
    """Evidence as a short readable line: ``README.md:9 base_model "text"; ...``.

    Attribute checks give evidence as a string, a mapping or a list of mappings with
    ``path``, ``line``, ``key`` and ``excerpt``; any other shape is shown as text.
    """
    items = value if isinstance(value, list) else [value]
    parts = []
    for item in items[:3]:
        if isinstance(item, dict):
            where = str(item.get("path") or "")
            if item.get("line") is not None:
                where += f":{item['line']}"
            key = str(item.get("key") or "")
            excerpt = item.get("excerpt")
            text = " ".join(p for p in (where, key) if p)
            if excerpt:
                text += f' "{excerpt}"'
            parts.append(text.strip())
        elif item is not None:
            parts.append(str(item))
    if len(items) > 3:
        parts.append(f"+{len(items) - 3} more")
    return esc("; ".join(p for p in parts if p) or None, limit)


def _risk_table(findings: Sequence[Finding]) -> str:
    """Risks first; info findings (what was scanned and passed) folded away under them."""
    if not findings:
        return '<p class="none">No risk findings.</p>'
    headers = ["severity", "rule", "file", "where", "construct", "format", "finding",
               "why it matters"]

    def rows(found: Sequence[Finding]) -> list[list[str]]:
        return [
            [badge(f.severity.value, f.severity.value), esc(f.rule_id, 60), esc(f.path, 120),
             esc(f.location, 60), esc(detail(f, "construct"), 80),
             esc(detail(f, "format"), 30), esc(f.message, 200), esc(detail(f, "why"), 200)]
            for f in found[:MAX_FINDING_ROWS]
        ]

    risks = [f for f in findings if f.severity is not Severity.INFO]
    info = [f for f in findings if f.severity is Severity.INFO]
    out = (table(headers, rows(risks), cls="findings") + _more(risks, MAX_FINDING_ROWS)
           if risks else '<p class="none">No risk found (only informational findings).</p>')
    if info:
        out += (f"<details><summary>{len(info)} informational</summary>"
                + table(headers, rows(info), cls="findings") + _more(info, MAX_FINDING_ROWS)
                + "</details>")
    return out


def _perf_table(findings: Sequence[Finding]) -> str:
    if not findings:
        return '<p class="note">No claim checks (no claims found, or perf has not run).</p>'
    rows = [
        [esc(f.rule_id, 60), badge(f.outcome.value, f.outcome.value),
         _value(detail(f, "claimed")), _value(detail(f, "measured")),
         _value(detail(f, "diff_pp", "difference_pp")), _interval(f),
         esc(detail(f, "verdict", "status"), 40), esc(f.message, 200)]
        for f in findings[:MAX_FINDING_ROWS]
    ]
    return (table(["check", "outcome", "claimed", "measured", "diff (pp)", "CI", "verdict",
                   "finding"], rows, cls="findings") + _more(findings, MAX_FINDING_ROWS))


def _value(value: object) -> str:
    """A measured or claimed number, rounded for reading (other values as text)."""
    if isinstance(value, float):
        return f"{value:.4g}"
    return esc(value, 40)


def _interval(f: Finding) -> str:
    """The confidence interval: ``details["ci"]`` or ``ci_low``/``ci_high``."""
    given = detail(f, "ci")
    if given is not None:
        if isinstance(given, list | tuple) and len(given) == 2:
            return f"[{_value(given[0])}, {_value(given[1])}]"
        return esc(given, 40)
    low, high = detail(f, "ci_low"), detail(f, "ci_high")
    if low is None and high is None:
        return NA
    return f"[{_value(low)}, {_value(high)}]"


def _generic_table(findings: Sequence[Finding]) -> str:
    rows = [
        [esc(f.analysis, 30), badge(f.severity.value, f.severity.value), esc(f.rule_id, 60),
         badge(f.outcome.value, f.outcome.value), esc(f.path, 120), esc(f.message, 200)]
        for f in findings[:MAX_FINDING_ROWS]
    ]
    return (table(["analysis", "severity", "rule", "outcome", "file", "finding"], rows)
            + _more(findings, MAX_FINDING_ROWS))


def _files_table(m: ModelView) -> str:
    if not m.files:
        return '<p class="note">No files stored for this repository.</p>'
    formats: dict[str, int] = {}
    for f in m.files:
        formats[f.format] = formats.get(f.format, 0) + 1
    summary = ", ".join(f"{esc(k, 30)} {v}" for k, v in sorted(formats.items()))
    rows = [
        [esc(f.path, 120), esc(f.format, 30), human_size(f.size),
         "LFS" if f.lfs else "git", esc(f.sha256[:16] + "…" if f.sha256 else None, 20)]
        for f in m.files[:MAX_FILE_ROWS]
    ]
    return (f'<p class="facts">Formats: {summary}</p>'
            + table(["path", "format", "size", "stored as", "sha256"], rows)
            + _more(m.files, MAX_FILE_ROWS))


# --- families ------------------------------------------------------------------------------------
def _families(families: Sequence[FamilyView], figures: _Figures, shown: frozenset[int]) -> str:
    if not families:
        return ('<section id="families"><h2>Families</h2><p class="note">No families in the '
                "store (ingest a family manifest to compare GitHub and Hugging Face).</p>"
                "</section>")
    parts = [_family_section(f, i, figures) for i, f in enumerate(families) if i in shown]
    index = _family_index(families, shown) if len(shown) < len(families) else ""
    return (f'<section id="families"><h2>Families</h2>{index}'
            f'{_not_detailed("families", len(shown), len(families))}{"".join(parts)}</section>')


def _family_index(families: Sequence[FamilyView], shown: frozenset[int]) -> str:
    """One line per family: its pattern and what the sync analysis found."""
    rows = []
    for i, fam in enumerate(families):
        name = esc(fam.family.family_id, 100)
        s = fam.sync
        rows.append([
            f'<a class="name" href="#family-{i}">{name}</a>' if i in shown else name,
            esc(s.pattern, 60), esc(s.lag, 40), str(len(fam.family.variants)),
            str(sum(st.stale_files for st in fam.staleness)),
            _severity_badges(fam.findings) or NA,
        ])
    return "<h3>Families at a glance</h3>" + table(
        ["family", "pattern", "lag", "variants", "stale files", "sync findings"], rows)


def _family_section(fam: FamilyView, index: int, figures: _Figures) -> str:
    s = fam.sync
    facts = table(
        ["pattern", "type", "intensity", "lag (who moves first)", "platform switches",
         "switch lag mean / median (days)", "maturity", "change-type similarity"],
        [[esc(s.pattern, 60), esc(s.sync_type, 20), esc(s.intensity, 20), esc(s.lag, 40),
          NA if s.switch_lag_count is None else str(s.switch_lag_count),
          f"{number(s.switch_lag_mean)} / {number(s.switch_lag_median)}",
          f"{esc(s.maturity, 20)} ({number(s.maturity_days, 0)} days)",
          number(s.similarity, 2)]],
    )
    stale_rows = [
        [esc(st.variant, 80), _when(st.last_commit),
         NA if st.upstream_commits_after is None else str(st.upstream_commits_after),
         NA if st.days_behind is None else str(st.days_behind), str(st.stale_files)]
        for st in fam.staleness
    ]
    # "Upstream kept going" is a family-level measure; how stale each shipped file is comes
    # from the sync analysis (its findings, listed below the table).
    stale = (table(["variant", "last commit", "upstream commits since",
                    "days upstream kept going after it", "stale files (see findings)"],
                   stale_rows) if stale_rows else '<p class="note">No variants.</p>')
    messages = "".join(
        f"<li>{badge(f.severity.value, f.severity.value)}{esc(f.rule_id, 60)}: "
        f"{esc(f.message, 240)}</li>"
        for f in fam.findings[:50]
    )
    upstream = esc(fam.family.upstream, 160)
    t0 = fam.t0.isoformat() if fam.t0 else NA
    return (
        f'<section class="family" id="family-{index}"><h3>{esc(fam.family.family_id, 100)}</h3>'
        f'<p class="facts">upstream {upstream} · {len(fam.family.variants)} variants · '
        f"t0 {t0} · {fam.bin_count} two-week bins</p>{facts}"
        + figures.box(plots.timeline_plot(fam), "No commits stored for this family.")
        + f"<h4>Staleness</h4>{stale}"
        + (f"<h4>Sync findings</h4><ul>{messages}</ul>" if messages else
           '<p class="note">No sync findings for this family (sync has not run).</p>')
        + "</section>"
    )


# --- corpus --------------------------------------------------------------------------------------
def _corpus(data: ReportData, figures: _Figures) -> str:
    c = data.corpus
    no_sync = "No synchronization patterns yet (run the sync analysis over families)."
    return (
        '<section id="corpus"><h2>Corpus views</h2><div class="grid2">'
        + f"<div>{figures.box(plots.pattern_plot(c), no_sync)}</div>"
        + f"<div>{figures.box(plots.pattern_maturity_plot(c), no_sync)}</div>"
        + "</div>"
        + figures.box(plots.change_type_plot(c), "No commits in any family.")
        + figures.box(plots.missing_heatmap(c),
                      "No attribute findings yet (run the attributes analysis).")
        + "</section>"
    )
