"""Plot specifications (plain Plotly JSON) and their static fallbacks, as pure functions.

Figures are plain ``{"data": [...], "layout": {...}}`` dicts that the page hands to
``Plotly.newPlot``; building them without ``plotly.graph_objects`` keeps the report small
(no template is embedded in every figure) and fast to write. Every figure comes with a
readable HTML table of the same numbers, shown when JavaScript is off.

Plotly interprets a few HTML-like tags in text (``<b>``, ``<a href>``...), so every hostile
string placed in a figure goes through ``markup.plot_text`` first: Plotly shows the entities
as the literal characters and never builds elements from them. The same text is safe in the
fallback tables' cells; the one attribute (a cell's ``title``) uses ``markup.esc``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ptmscope.records import SEVERITY_ORDER, Platform
from ptmscope.report.data import (
    BIN_DAYS,
    MATURITY_ORDER,
    UNCLASSIFIED,
    CorpusView,
    FamilyView,
    Overview,
)
from ptmscope.report.markup import esc, plot_text, table

#: Colours of the 15 change types of sync-spec.md (plus ``unclassified``).
CHANGE_TYPE_COLOURS: dict[str, str] = {
    "external documentation": "#4e79a7",
    "internal documentation": "#a0cbe8",
    "project metadata": "#bab0ac",
    "sharing": "#f28e2b",
    "model structure": "#e15759",
    "parameter tuning": "#ffbe7d",
    "preprocessing": "#59a14f",
    "input data": "#8cd17d",
    "output data": "#b6992d",
    "training infrastructure": "#499894",
    "validation infrastructure": "#86bcb6",
    "pipeline performance": "#d37295",
    "add dependency": "#9d7660",
    "update dependency": "#d7b5a6",
    "remove dependency": "#79706e",
    UNCLASSIFIED: "#9ca3af",
}
_SPARE_COLOURS = ("#b07aa1", "#ff9da7", "#17becf", "#bcbd22", "#7f7f7f")

SEVERITY_COLOURS: dict[str, str] = {
    "critical": "#7f1d1d",
    "high": "#dc2626",
    "medium": "#f59e0b",
    "low": "#3b82f6",
    "info": "#9ca3af",
}

_FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12}


@dataclass(frozen=True, slots=True)
class Plot:
    """One figure and its static fallback.

    Attributes:
        figure: Plotly JSON (``data`` and ``layout``), hostile text already escaped.
        fallback: an HTML table with the same numbers (escaped markup).
    """

    title: str
    figure: dict[str, Any]
    fallback: str


def colour_of(change_type: str) -> str:
    """The colour of a change type; unknown types get a stable spare colour."""
    known = CHANGE_TYPE_COLOURS.get(change_type)
    if known is not None:
        return known
    return _SPARE_COLOURS[sum(map(ord, change_type)) % len(_SPARE_COLOURS)]


def _layout(title: str, height: int, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "title": {"text": title, "x": 0, "font": {"size": 14}},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 40, "b": 50},
        "font": _FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#fafafa",
        "legend": {"orientation": "h", "y": -0.2},
    }
    layout.update(extra)
    return layout


def severity_plot(overview: Overview) -> Plot | None:
    """Findings by severity, one stacked bar per analysis (None when there are none)."""
    if not overview.severity_counts:
        return None
    analyses = sorted({a for a, _, _ in overview.severity_counts})
    counts = {(a, s): n for a, s, n in overview.severity_counts}
    traces = [
        {
            "type": "bar", "name": sev.value, "x": analyses,
            "y": [counts.get((a, sev.value), 0) for a in analyses],
            "marker": {"color": SEVERITY_COLOURS[sev.value]},
        }
        for sev in SEVERITY_ORDER
        if any((a, sev.value) in counts for a in analyses)
    ]
    fallback = table(
        ["analysis", *(s.value for s in SEVERITY_ORDER)],
        [[plot_text(a), *(str(counts.get((a, s.value), 0)) for s in SEVERITY_ORDER)]
         for a in analyses],
    )
    figure = {"data": traces, "layout": _layout(
        "Findings by severity", 320, barmode="stack",
        yaxis={"title": {"text": "findings"}})}
    return Plot("Findings by severity", figure, fallback)


def timeline_plot(family: FamilyView) -> Plot | None:
    """The family timeline: one row per platform/variant, a square per active two-week bin
    coloured by its most frequent change type, sized by its commit count."""
    if family.t0 is None or not any(row.cells for row in family.rows):
        return None
    t0 = family.t0
    labels = _unique_labels([row.label for row in family.rows])
    points: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for label, row in zip(labels, family.rows, strict=True):
        for cell in row.cells:
            start = t0 + timedelta(days=cell.bin * BIN_DAYS)
            kinds = ", ".join(f"{plot_text(k, 40)} {n}" for k, n in cell.type_counts[:4])
            hover = (f"{label}<br>bin {cell.bin} from {start.isoformat()}<br>"
                     f"{cell.commits} commit(s): {kinds}<br>first: {plot_text(cell.sample, 80)}")
            group = points[cell.change_type]
            group["x"].append(start.isoformat())
            group["y"].append(label)
            group["text"].append(hover)
            group["size"].append(min(24, 9 + 3 * cell.commits))
    traces = [
        {
            "type": "scatter", "mode": "markers", "name": plot_text(kind, 40),
            "x": pts["x"], "y": pts["y"], "text": pts["text"], "hoverinfo": "text",
            "marker": {"symbol": "square", "color": colour_of(kind), "size": pts["size"],
                       "line": {"width": 0.5, "color": "#333"}},
        }
        for kind, pts in sorted(points.items())
    ]
    figure = {"data": traces, "layout": _layout(
        "Commits per two-week bin, coloured by change type",
        max(110 + 34 * len(labels), 70 + 21 * len(traces)),
        margin={"l": 200, "r": 20, "t": 40, "b": 45},
        xaxis={"type": "date", "title": {"text": "bin start (UTC)"}},
        yaxis={"type": "category", "categoryorder": "array",
               "categoryarray": list(reversed(labels)), "automargin": True},
        legend={"orientation": "v", "x": 1.01, "y": 1, "font": {"size": 11}},
    )}
    return Plot("Timeline", figure, timeline_table(family, labels))


def _unique_labels(raw: list[str]) -> list[str]:
    """Escaped, clipped row labels, made unique (clipping may collide)."""
    out: list[str] = []
    for text in raw:
        label = plot_text(text, 48)
        while label in out:
            label += "′"
        out.append(label)
    return out


def timeline_table(family: FamilyView, labels: list[str]) -> str:
    """The timeline as a table: one row per platform/variant, one column per active bin."""
    bins = sorted({cell.bin for row in family.rows for cell in row.cells})
    header = ["row", *(str(b) for b in bins)]
    rows = []
    for label, row in zip(labels, family.rows, strict=True):
        cells = {cell.bin: cell for cell in row.cells}
        line = [label if row.stored else f"{label} (not in store)"]
        for number in bins:
            cell = cells.get(number)
            if cell is None:
                line.append("")
                continue
            line.append(
                f'<span class="tl" style="background:{colour_of(cell.change_type)}" '
                f'title="{esc(cell.change_type, 40)}: {cell.commits}">{cell.commits}</span>'
            )
        rows.append(line)
    return table(header, rows, cls="timeline")


def pattern_plot(corpus: CorpusView) -> Plot | None:
    """How many families follow each synchronization pattern."""
    if not corpus.pattern_counts:
        return None
    names = [plot_text(p, 60) for p, _ in corpus.pattern_counts]
    values = [n for _, n in corpus.pattern_counts]
    figure = {"data": [{"type": "bar", "x": values, "y": names, "orientation": "h",
                        "marker": {"color": "#4e79a7"}}],
              "layout": _layout("Synchronization patterns", 120 + 30 * len(names),
                                margin={"l": 220, "r": 20, "t": 40, "b": 40},
                                xaxis={"title": {"text": "families"}},
                                yaxis={"automargin": True, "autorange": "reversed"})}
    fallback = table(["pattern", "families"], [[n, str(v)] for n, v in zip(
        names, values, strict=True)])
    return Plot("Synchronization patterns", figure, fallback)


def pattern_maturity_plot(corpus: CorpusView) -> Plot | None:
    """Pattern shares within each maturity tertile (stacked bars)."""
    if not corpus.pattern_by_maturity:
        return None
    maturities = [m for m in MATURITY_ORDER if any(
        row[0] == m for row in corpus.pattern_by_maturity)]
    maturities += sorted({m for m, _, _ in corpus.pattern_by_maturity} - set(maturities))
    patterns = sorted({p for _, p, _ in corpus.pattern_by_maturity})
    counts = {(m, p): n for m, p, n in corpus.pattern_by_maturity}
    traces = [
        {"type": "bar", "name": plot_text(p, 60), "x": [plot_text(m, 30) for m in maturities],
         "y": [counts.get((m, p), 0) for m in maturities]}
        for p in patterns
    ]
    figure = {"data": traces, "layout": _layout(
        "Pattern by family maturity", 340, barmode="stack",
        yaxis={"title": {"text": "families"}})}
    fallback = table(
        ["maturity", *(plot_text(p, 60) for p in patterns)],
        [[plot_text(m, 30), *(str(counts.get((m, p), 0)) for p in patterns)] for m in maturities],
    )
    return Plot("Pattern by maturity", figure, fallback)


def change_type_plot(corpus: CorpusView) -> Plot | None:
    """Share of commits of each change type, per platform (grouped bars, percent)."""
    if not corpus.change_types:
        return None
    totals: dict[str, int] = defaultdict(int)
    for platform, _, n in corpus.change_types:
        totals[platform] += n
    kinds = sorted({k for _, k, _ in corpus.change_types})
    counts = {(p, k): n for p, k, n in corpus.change_types}
    platforms = [p.value for p in Platform if p.value in totals]

    def share(platform: str, kind: str) -> float:
        return round(100.0 * counts.get((platform, kind), 0) / totals[platform], 1)

    traces = [
        {"type": "bar", "name": _platform_label(p), "x": [plot_text(k, 40) for k in kinds],
         "y": [share(p, k) for k in kinds],
         "marker": {"color": "#24292f" if p == Platform.GITHUB.value else "#ff9d00"}}
        for p in platforms
    ]
    figure = {"data": traces, "layout": _layout(
        "Change-type shares per platform (% of commits)", 380, barmode="group",
        margin={"l": 60, "r": 20, "t": 40, "b": 120},
        yaxis={"title": {"text": "% of commits"}}, xaxis={"tickangle": -35},
        # centred above the bars: the title holds the left, the mode bar the right corner
        legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": 1.02,
                "yanchor": "bottom"})}
    fallback = table(
        ["change type", *(f"{_platform_label(p)} % (n={totals[p]})" for p in platforms)],
        [[plot_text(k, 40), *(f"{share(p, k):.1f}" for p in platforms)] for k in kinds],
    )
    return Plot("Change types", figure, fallback)


def _platform_label(platform: str) -> str:
    names = {"github": "GitHub", "huggingface": "Hugging Face"}
    return names.get(platform, plot_text(platform, 20))


def missing_heatmap(corpus: CorpusView) -> Plot | None:
    """Share of models per task missing each attribute (a heatmap, percent)."""
    grid = corpus.missing_by_task
    if not grid.tasks:
        return None
    tasks = [plot_text(t, 40) for t in grid.tasks]
    attributes = [plot_text(a, 40) for a in grid.attributes]
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    for missing_row, total_row in zip(grid.missing, grid.total, strict=True):
        z.append([round(100.0 * m / t, 1) if t else None
                  for m, t in zip(missing_row, total_row, strict=True)])
        text.append([f"{m} of {t} missing" if t else "not checked"
                     for m, t in zip(missing_row, total_row, strict=True)])
    figure = {"data": [{
        "type": "heatmap", "z": z, "x": attributes, "y": tasks, "text": text,
        "zmin": 0, "zmax": 100, "colorscale": [[0, "#f0fdf4"], [0.5, "#fbbf24"], [1, "#b91c1c"]],
        "colorbar": {"title": {"text": "% missing"}},
        "hovertemplate": "%{y} / %{x}: %{z}% (%{text})<extra></extra>",
    }], "layout": _layout(
        "Missing attributes by task (% of models)", 200 + 40 * len(tasks),
        margin={"l": 180, "r": 20, "t": 40, "b": 130},
        xaxis={"tickangle": -35, "automargin": True}, yaxis={"automargin": True})}
    # transposed: attributes are many and tasks few, so the table stays narrow
    fallback = table(
        ["attribute", *(f"{task} (missing/checked)" for task in tasks)],
        [[attribute, *(f"{grid.missing[i][j]}/{grid.total[i][j]}" if grid.total[i][j] else "–"
                       for i in range(len(tasks)))]
         for j, attribute in enumerate(attributes)],
    )
    return Plot("Missing attributes", figure, fallback)
