"""Terminal (rich) rendering of sync results: one family, or the corpus tables.

Presentation only: everything shown comes from :class:`~ptmscope.sync.runner.FamilyReport` and
:class:`~ptmscope.sync.corpus.CorpusSummary`. Repository names, paths and messages come from
the store and are treated as hostile: they pass through :func:`safe` before reaching rich.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ptmscope.sync.bins import BIN_DAYS
from ptmscope.sync.corpus import STUDY_CHANGE_TYPE_SHARES, STUDY_FAMILIES, STUDY_PATTERN_COUNTS
from ptmscope.sync.patterns import FamilyPattern, Pattern

if TYPE_CHECKING:
    from ptmscope.sync.corpus import CorpusSummary
    from ptmscope.sync.links import StaleFile
    from ptmscope.sync.runner import FamilyReport

#: Timeline glyphs: GitHub active; variant active in a GitHub bin; variant active alone; idle.
GLYPH_GITHUB, GLYPH_SHARED, GLYPH_ALONE, GLYPH_IDLE = "█", "█", "▒", "·"

SYNC_SOURCE_WORDS = {"auto_sync": "auto-sync", "blob": "same blob",
                     "fallback_last_variant_commit": "own last commit", "none": "no link"}
TYPE_WORDS = {"CS": "complete", "PS": "partial", "VS": "variant-dominated", "AS": "asynchronous"}
INTENSITY_WORDS = {"R": "rare", "F": "frequent", "S": "sporadic"}


def plain(text: object, limit: int = 120) -> str:
    """Hostile text made printable (control and bidi characters become spaces) and cut to
    ``limit`` characters: for ``Text(...)``, which never parses markup."""
    clean = "".join(ch if ch.isprintable() else " " for ch in str(text))
    if len(clean) > limit:
        clean = clean[: limit - 1] + "…"
    return clean


def safe(text: object, limit: int = 120) -> str:
    """Hostile text made printable and markup-free, for strings rich parses as markup (table
    cells, ``Text.from_markup``); see ``commands._common.escape``. Never pass it to
    ``Text(...)``: the escaping backslashes would be shown (use :func:`plain`)."""
    from rich.markup import escape

    return escape(plain(text, limit))


def timeline_rows(
    pattern: FamilyPattern, max_columns: int = 80
) -> tuple[list[int], list[tuple[str, str]]]:
    """The active bins shown (one column each) and ``(label, glyphs)`` rows.

    Only bins where some side is active get a column, so years of history stay compact; when
    there are more than ``max_columns`` active bins the latest ones are shown.
    """
    active = sorted(set(pattern.github_bins).union(*map(set, pattern.variant_bins.values())))
    shown = active[-max_columns:] if max_columns > 0 else active
    github = set(pattern.github_bins)
    rows = [("GitHub", "".join(GLYPH_GITHUB if b in github else GLYPH_IDLE for b in shown))]
    for name, bins in pattern.variant_bins.items():
        mine = set(bins)
        rows.append((name, "".join(
            (GLYPH_SHARED if b in github else GLYPH_ALONE) if b in mine else GLYPH_IDLE
            for b in shown
        )))
    return shown, rows


def render_timeline(pattern: FamilyPattern, width: int = 120) -> RenderableType:
    """The compact timeline of active two-week bins."""
    label_width = min(40, max(len(n) for n in ["GitHub", *pattern.variant_bins]))
    shown, rows = timeline_rows(pattern, max(10, width - label_width - 4))
    active_total = len(set(pattern.github_bins).union(*map(set, pattern.variant_bins.values())))
    first = pattern.t0 + timedelta(days=shown[0] * BIN_DAYS)
    last = pattern.t0 + timedelta(days=shown[-1] * BIN_DAYS)
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, width=label_width)
    table.add_column(no_wrap=True)
    for label, glyphs in rows:
        styled = Text(glyphs)
        if label != "GitHub":
            for i, ch in enumerate(glyphs):
                if ch == GLYPH_ALONE:
                    styled.stylize("yellow", i, i + 1)
                elif ch == GLYPH_SHARED:
                    styled.stylize("green", i, i + 1)
        else:
            styled.stylize("cyan")
        table.add_row(Text(plain(label, label_width)), styled)
    more = active_total - len(shown)
    note = (
        f"{len(shown)} active two-week bins from {first} to {last}"
        + (f" (the latest; {more} earlier not shown)" if more else "")
        + f"; {GLYPH_SHARED} variant active with GitHub, {GLYPH_ALONE} variant alone"
    )
    return Group(Text("Timeline", style="bold"), table, Text(note, style="dim"))


def _kv(rows: list[tuple[str, str]], title: str) -> Table:
    table = Table(title=title, show_header=False, title_justify="left", box=None)
    table.add_column(style="bold")
    table.add_column()
    for key, value in rows:
        table.add_row(key, value)
    return table


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def render_family(report: FamilyReport, width: int = 120) -> Iterator[RenderableType]:
    """Everything ``ptmscope sync FAMILY`` prints, one renderable at a time."""
    head = f"[bold]{safe(report.family_id)}[/]  upstream {safe(report.upstream or '-')}, "
    head += f"{len(report.variants)} variant(s)"
    yield Text.from_markup(head)
    p = report.pattern
    if p is None:
        reason, detail = report.not_analysable or ("unknown", "")
        yield Text.from_markup(f"[red]not analysable[/] ({safe(reason)}): {safe(detail, 300)}")
    else:
        s = p.lag_stats
        biggest = "-" if s.maximum is None else str(s.maximum)
        group = report.maturity.value if report.maturity else "-"
        tertile = report.similarity_tertile.value if report.similarity_tertile else "-"
        yield _kv([
            ("pattern", f"{p.pattern.value} ({p.code})"),
            ("lag", p.lag.value),
            ("type", f"{p.sync_type.value} ({TYPE_WORDS[p.sync_type.value]})"),
            ("intensity", f"{p.intensity.value} ({INTENSITY_WORDS[p.intensity.value]})"),
            ("switch lags", f"{s.count} switches, mean {_fmt(s.mean, 2)} d, median "
                            f"{_fmt(s.median)} d, max {biggest} d"),
            ("maturity", f"{group} (average variant age {_fmt(report.average_age_days)} days)"),
            ("similarity", _similarity_text(report, tertile)),
        ], "Synchronization")
        yield render_timeline(p, width)
    yield render_profiles(report)
    yield from render_links(report)


def _similarity_text(report: FamilyReport, tertile: str) -> str:
    """The similarity line, or why it was not measured."""
    if report.similarity is not None:
        return f"{report.similarity:.3f} Jaccard of change-type sets ({tertile})"
    sides = [name for name, profile in (("GitHub", report.github_profile),
                                         ("Hugging Face", report.hf_profile))
             if not profile.types]
    return "not measured: no classified commit on " + (" and ".join(sides) or "either side")


def render_profiles(report: FamilyReport) -> Table:
    """Change-type profile of each side (counts and % of classified commits)."""
    gh, hf = report.github_profile, report.hf_profile
    gh_share, hf_share = gh.shares(), hf.shares()
    table = Table(title="Change types", title_justify="left")
    table.add_column("change type")
    table.add_column("GitHub", justify="right")
    table.add_column("Hugging Face", justify="right")
    for label in sorted(set(gh.counts) | set(hf.counts), key=lambda k: (k == "unclassified", k)):
        def cell(counts: dict[str, int], shares: dict[str, float], key: str = label) -> str:
            n = counts.get(key, 0)
            return f"{n} ({shares[key]:.0f}%)" if key in shares and n else str(n)
        table.add_row(label, cell(dict(gh.counts), gh_share), cell(dict(hf.counts), hf_share))
    table.add_row("[dim]total[/]", str(gh.total), str(hf.total))
    return table


METHOD_WORDS = {"blob_history": "per-commit blob ids",
                "path_dates": "HEAD blobs + path dates (no per-commit blob ids)"}


def _short_sha(sha: str | None) -> str:
    return "-" if sha is None else sha[:10]


def _short(sha: str | None) -> str:
    """A short sha escaped for markup."""
    return safe(_short_sha(sha))


def _stale_line(s: StaleFile) -> Text:
    """``variant  file (= upstream file of DATE, taken DATE): upstream changed it ...``."""
    version = []
    if s.upstream_version_at is not None:
        version.append(f"= {safe(s.upstream_path, 60)} of {s.upstream_version_at.date()}")
    elif s.upstream_path != s.variant_path:
        version.append(f"vs {safe(s.upstream_path, 60)}")
    if s.variant_version_at is not None:
        version.append(f"taken {s.variant_version_at.date()}")
    changes = len(s.upstream_changes)
    later = (f", then {changes - 1} more change(s) up to {s.last_upstream_change_at.date()}"
             if changes > 1 else "")
    return Text.from_markup(
        f"  {safe(s.variant, 60)}  [bold]{safe(s.variant_path, 60)}[/]"
        + (f" ({', '.join(version)})" if version else "")
        + f": upstream changed it {s.first_missed_at.date()} in {_short(s.first_missed_sha)}"
        + f"{later}; [red]{s.days_stale} days stale[/]"
    )


def render_links(report: FamilyReport) -> Iterator[RenderableType]:
    """Content links: links, isolated changes, staleness and variant-only edits."""
    links = report.links
    if links is None:
        return
    methods = ", ".join(METHOD_WORDS.get(m, m) for m in links.methods) or "-"
    lines = [Text(f"Content links (as of {links.as_of.date()}; compared by {methods})",
                  style="bold")]
    for v in links.variants:
        auto = v.auto_sync
        resolved = sum(a.resolved for a in auto)
        when = "-" if v.last_sync_at is None else str(v.last_sync_at.date())
        via = SYNC_SOURCE_WORDS.get(v.last_sync_source, v.last_sync_source)
        tag = "" if v.method.value == "blob_history" else " [yellow](path dates)[/]"
        lines.append(Text.from_markup(
            f"  [bold]{safe(v.variant, 60)}[/]{tag}: last sync {when} ({via}) · links: "
            f"{resolved}/{len(auto)} auto-sync resolved, {len(v.blob_links)} identical blob · "
            f"{len(v.isolated_changes)} upstream change(s) never picked up · "
            f"{len(v.stale_files)} stale file(s) · {len(v.variant_only_edits)} variant-only "
            "edit(s)"
            + (f" · [yellow]{len(v.shared_history)} commit(s) shared with upstream (same git "
               "history)[/]" if v.shared_history else "")
        ))
    yield Group(*lines)
    stale = sorted((s for v in links.variants for s in v.stale_files),
                   key=lambda s: (-s.days_stale, s.variant, s.variant_path))
    if stale:
        yield Group(Text("Stale files (shipped in an older version than upstream)",
                         style="bold"), *map(_stale_line, stale[:30]))
    edits = [e for v in links.variants for e in v.variant_only_edits]
    if edits:
        yield Group(
            Text("Variant-only edits (versions upstream never had)", style="bold"),
            *(Text(f"  {plain(e.variant, 60)}  {plain(e.variant_path, 60)} in "
                   f"{plain(_short_sha(e.sha))} ({e.at.date()})") for e in edits[:20]),
            *([Text(f"  … {len(edits) - 20} more")] if len(edits) > 20 else []),
        )
    yield Text(
        f"{len(links.isolated_changes)} upstream commit(s) changed shipped files and no "
        "variant picked them up"
        + (": " + ", ".join(plain(_short_sha(sha)) for sha in links.isolated_changes[:8])
           if links.isolated_changes else ""),
        style="dim",
    )


def render_corpus(summary: CorpusSummary) -> Iterator[RenderableType]:
    """The corpus tables of ``ptmscope sync --all``."""
    yield Text.from_markup(
        f"[bold]{summary.families}[/] families: {summary.analysed} analysed, "
        f"{len(summary.not_analysable)} not analysable"
    )
    n = max(summary.analysed, 1)
    table = Table(title="Pattern distribution", title_justify="left")
    table.add_column("pattern")
    table.add_column("families", justify="right")
    table.add_column("%", justify="right")
    table.add_column(f"study % (n={STUDY_FAMILIES})", justify="right", style="dim")
    for name, count in summary.patterns.items():
        study = 100 * STUDY_PATTERN_COUNTS.get(name, 0) / STUDY_FAMILIES
        table.add_row(name, str(count), f"{100 * count / n:.1f}", f"{study:.1f}")
    yield table
    yield Text(
        "lag: " + ", ".join(f"{k} {v}" for k, v in summary.lags.items())
        + " | type: " + ", ".join(f"{k} {v}" for k, v in summary.sync_types.items())
        + " | intensity: " + ", ".join(f"{k} {v}" for k, v in summary.intensities.items())
        + f" | switches: {summary.switches}, mean {_fmt(summary.switch_lag_mean, 2)} d, "
        f"median {_fmt(summary.switch_lag_median)} d"
    )
    groups = list(summary.pattern_by_maturity)
    by_group = Table(title="Pattern by maturity group (% of the group)", title_justify="left")
    by_group.add_column("pattern")
    totals = {g: sum(summary.pattern_by_maturity[g].values()) for g in groups}
    for g in groups:
        by_group.add_column(f"{g} (n={totals[g]})", justify="right")
    for name in Pattern:
        by_group.add_row(name.value, *(
            f"{100 * summary.pattern_by_maturity[g].get(name.value, 0) / totals[g]:.1f}"
            if totals[g] else "-" for g in groups
        ))
    yield by_group
    shares = Table(title="Change-type shares (% of classified commits)", title_justify="left")
    shares.add_column("change type")
    shares.add_column("GitHub", justify="right")
    shares.add_column("Hugging Face", justify="right")
    shares.add_column("study GitHub", justify="right", style="dim")
    shares.add_column("study HF", justify="right", style="dim")
    gh, hf = summary.change_type_shares("github"), summary.change_type_shares("huggingface")
    labels = set(gh) | set(hf) | set(STUDY_CHANGE_TYPE_SHARES)
    for label in sorted(labels, key=lambda k: -(gh.get(k, 0) + hf.get(k, 0))):
        study_gh, study_hf = STUDY_CHANGE_TYPE_SHARES.get(label, (0.0, 0.0))
        shares.add_row(label, f"{gh.get(label, 0):.1f}", f"{hf.get(label, 0):.1f}",
                       f"{study_gh:.1f}", f"{study_hf:.1f}")
    unc = [summary.change_types.get(side, {}).get("unclassified", 0)
           for side in ("github", "huggingface")]
    shares.add_row("[dim]unclassified (commits)[/]", str(unc[0]), str(unc[1]))
    yield shares
    sim = Table(title="Similarity tertiles", title_justify="left")
    sim.add_column("tertile")
    sim.add_column("families", justify="right")
    for name, count in summary.similarity_tertiles.items():
        sim.add_row(name, str(count))
    yield sim
    yield Text(f"similarity mean {_fmt(summary.similarity_mean, 3)}, "
               f"median {_fmt(summary.similarity_median, 3)}", style="dim")
    if summary.not_analysable:
        bad = Table(title="Not analysable", title_justify="left")
        for col in ("family", "reason", "detail"):
            bad.add_column(col)
        for fid, reason, detail in summary.not_analysable:
            bad.add_row(safe(fid, 60), safe(reason, 40), safe(detail, 100))
        yield bad
