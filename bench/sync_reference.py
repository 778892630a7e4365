"""Compare ptmscope's sync measures with the study's published family-level results.

Reads ``/work/shared/data/sync`` (the study's replication data; never copied into the repo) and
recomputes what can honestly be recomputed from it:

1. switch lags: every row of ``GH_HF_commit_time_differences.csv`` gives the two commits of one
   platform switch. Feeding each family's switch endpoints to ``ptmscope.sync.lag.switches``
   must give back the same switches and days; over all rows, count / mean / median must be
   3,863 / 14.86 / 0 (sync-spec.md).
2. the code -> pattern mapping: for every row of ``all_auto_and_manual_patterns.csv``,
   ``pattern_of(Syncs, intensity)`` against its ``pattern_names`` (older wording translated).
3. pattern, lag, type and intensity counts after the study's exclusions, against the reference
   table of sync-spec.md.
4. maturity groups: ``maturity_group(average_age_days)`` against ``age_group`` of
   ``grouped_data_RQ2.csv`` (this is what decides the 441-451 day gap rule).
5. similarity: mean / median of the published scores and our tertile rule's counts.
6. lag direction consistency: the first switch of an Upstream First family must leave GitHub,
   of a Downstream First family must leave Hugging Face (the full timelines were not
   published, so lag itself cannot be recomputed).

Run: ``.venv/bin/python bench/sync_reference.py``. Skips with a message when the data is absent.
"""

from __future__ import annotations

import csv
import statistics
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

from ptmscope.sync.intensity import Intensity
from ptmscope.sync.lag import switches
from ptmscope.sync.maturity import maturity_group
from ptmscope.sync.patterns import Pattern, pattern_of, study_pattern
from ptmscope.sync.similarity import similarity_tertile
from ptmscope.sync.sync_type import SyncType

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "sync"

SPEC_PATTERNS = {
    Pattern.DISPERSE: 128, Pattern.SPARSE: 50, Pattern.RARE: 46, Pattern.SPORADIC_DISJOINT: 34,
    Pattern.RARE_DISJOINT: 30, Pattern.INTERMITTENT: 24, Pattern.FREQUENT: 8,
    Pattern.DENSE_PARTIAL: 5,
}
SPEC_LAGS = {"Upstream First": 182, "No Lag": 75, "Downstream First": 68}
SPEC_TYPES = {"PS": 183, "CS": 78, "AS": 60, "VS": 4}
SPEC_INTENSITIES = {"S": 185, "R": 127, "F": 13}


def rows(name: str) -> list[dict[str, str]]:
    """The rows of one CSV file of the study."""
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def stamp(text: str) -> datetime:
    """A study timestamp (UTC, no offset written) as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def pct(part: int, whole: int) -> str:
    """``part/whole (x%)``."""
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else f"{part}/0"


def check_switch_lags() -> None:
    """Recompute every published switch from its endpoints."""
    table = rows("GH_HF_commit_time_differences.csv")
    by_family: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in table:
        by_family[row["family"]].append(row)
    same_days = sum(
        (stamp(r["next_commit"]) - stamp(r["prev_commit"])).days == int(r["days_difference"])
        for r in table
    )
    families_equal = 0
    recomputed: list[int] = []
    for family_rows in by_family.values():
        github: set[datetime] = set()
        hf: set[datetime] = set()
        for r in family_rows:
            for side, value in ((r["source"], r["prev_commit"]), (r["target"], r["next_commit"])):
                (github if side == "GH" else hf).add(stamp(value))
        found = switches(sorted(github), {"hf": sorted(hf)})
        recomputed += [s.days for s in found]
        published = sorted(
            (stamp(r["prev_commit"]), int(r["days_difference"])) for r in family_rows
        )
        families_equal += [(s.previous, s.days) for s in found] == published
    days = [int(r["days_difference"]) for r in table]
    print("1. switch lags (GH_HF_commit_time_differences.csv)")
    print(f"   whole-day floor of next - prev equals days_difference: {pct(same_days, len(table))}")
    print(f"   families whose switches are reproduced exactly from their endpoints: "
          f"{pct(families_equal, len(by_family))}")
    print(f"   published: {len(days)} switches, mean {statistics.fmean(days):.2f}, median "
          f"{statistics.median(days):g}, max {max(days)}  (spec: 3,863 / 14.86 / 0)")
    print(f"   ptmscope:  {len(recomputed)} switches, mean {statistics.fmean(recomputed):.2f}, "
          f"median {statistics.median(recomputed):g}, max {max(recomputed)}")


def check_mapping_and_counts() -> None:
    """Code -> pattern mapping per row, and the reference counts after exclusions."""
    table = rows("all_auto_and_manual_patterns.csv")
    excluded = {r["family"] for r in rows("must_exclude_from_all_analysis.csv")}
    agree = 0
    disagreements: list[str] = []
    for r in table:
        ours = pattern_of(SyncType(r["Syncs"]), Intensity(r["intensity"]))
        theirs = study_pattern(r["pattern_names"])
        if ours == theirs:
            agree += 1
        else:
            disagreements.append(f"{r['family']}: {r['codes']} -> {ours.value}, "
                                 f"file says {r['pattern_names']!r}")
        if r["codes"] != r["Syncs"] + r["intensity"]:
            disagreements.append(f"{r['family']}: codes {r['codes']} != Syncs+intensity")
    print("2. code -> pattern mapping (all_auto_and_manual_patterns.csv, old wording translated)")
    print(f"   pattern_of(Syncs, intensity) == pattern_names: {pct(agree, len(table))}")
    for line in disagreements:
        print(f"   differs: {line}")
    kept = [r for r in table if r["family"] not in excluded]
    print(f"3. counts after excluding {len(excluded)} families: {len(kept)} families "
          "(spec: 325)")
    by_file = Counter(study_pattern(r["pattern_names"]) for r in kept)
    by_code = Counter(pattern_of(SyncType(r["Syncs"]), Intensity(r["intensity"])) for r in kept)
    print(f"   {'pattern':36} {'spec':>5} {'file':>5} {'ours*':>5}")
    for name, count in SPEC_PATTERNS.items():
        print(f"   {name.value:36} {count:5d} {by_file[name]:5d} {by_code[name]:5d}")
    print("   (*ours = pattern_of applied to each row's published type and intensity)")
    for title, column, spec in (("lag", "Lagged", SPEC_LAGS), ("type", "Syncs", SPEC_TYPES),
                                ("intensity", "intensity", SPEC_INTENSITIES)):
        got = Counter(r[column] for r in kept)
        same = sum(min(got[k], v) for k, v in spec.items())
        print(f"   {title}: " + ", ".join(f"{k} {got[k]} (spec {v})" for k, v in spec.items())
              + f"; overlap {pct(same, sum(spec.values()))}")


def check_maturity() -> None:
    """maturity_group(average_age_days) against the published age groups."""
    table = rows("grouped_data_RQ2.csv")
    agree = sum(
        maturity_group(float(r["average_age_days"])).value
        == r["age_group"].removesuffix("-Families")
        for r in table
    )
    print("4. maturity groups (grouped_data_RQ2.csv)")
    print(f"   maturity_group(average_age_days) == age_group: {pct(agree, len(table))}")


def check_similarity() -> None:
    """Published similarity scores: mean/median and our tertile counts."""
    scores = [float(r["Similarity Score"]) for r in rows("family_similarity_scores.csv")]
    tertiles = Counter(similarity_tertile(s).value for s in scores)
    print("5. similarity (family_similarity_scores.csv)")
    print(f"   {len(scores)} families, mean {statistics.fmean(scores):.3f}, median "
          f"{statistics.median(scores):.3f} (spec: 0.414 / 0.40); tertiles by our rule: "
          + ", ".join(f"{k} {v}" for k, v in sorted(tertiles.items())))


def check_lag_consistency() -> None:
    """First switch direction against the published lag of each family."""
    first: dict[str, tuple[datetime, str]] = {}
    for r in rows("GH_HF_commit_time_differences.csv"):
        at = stamp(r["prev_commit"])
        if r["family"] not in first or at < first[r["family"]][0]:
            first[r["family"]] = (at, r["source"])
    lags = {r["family"]: r["Lagged"] for r in rows("all_auto_and_manual_patterns.csv")}
    checked = consistent = 0
    for family, (_, source) in first.items():
        lag = lags.get(family)
        if lag in ("Upstream First", "Downstream First"):
            checked += 1
            consistent += (source == "GH") == (lag == "Upstream First")
    print("6. lag direction vs the first switch (Upstream First must start on GitHub)")
    print(f"   consistent: {pct(consistent, checked)} of families with a directional lag")


def main() -> None:
    """Run every comparison."""
    if not DATA.is_dir():
        print(f"skipped: the study's data is not at {DATA}")
        sys.exit(0)
    check_switch_lags()
    check_mapping_and_counts()
    check_maturity()
    check_similarity()
    check_lag_consistency()


if __name__ == "__main__":
    main()
