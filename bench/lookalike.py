"""Look-alike check, measured on the study's popular models (../shared/data/sync/...).

Prints, for the 900-odd popular model ids of the study dataset:

* coverage: how many of them the shipped ``popular_models.txt`` lists;
* false positives: how many real popular ids the check flags (medium or worse) against the
  shipped list - every one is a legitimate model, so every flag is a false alarm;
* detection: typosquats generated from each id (homoglyph, rn->m, Cyrillic letter, owner
  typo, separator swap, swapped owner/name) flagged against the shipped list and against the
  study list itself (the upper bound when the list covers the imitated model);
* speed: checks per second.

Run: ``.venv/bin/python bench/lookalike.py`` (skips cleanly without ../shared).
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

from ptmscope.records import Severity
from ptmscope.risk.repo_checks.lookalike import find_lookalikes, popular_ids

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "sync" / "complete_dataset.csv"


def mutations(model_id: str) -> dict[str, str]:
    """Typosquats of ``owner/name`` (only those that differ from the original)."""
    owner, _, name = model_id.partition("/")
    out = {
        "l->I": owner.replace("l", "I", 1),
        "m->rn": owner.replace("m", "rn", 1),
        "cyrillic a": owner.replace("a", "\u0430", 1),
        "o->0": owner.replace("o", "0", 1),
        "owner typo": owner[:-1] if len(owner) > 4 else owner + "x",
        "- -> _": owner.replace("-", "_", 1),
        "owner suffix": owner + "-official",
    }
    result = {k: f"{v}/{name}" for k, v in out.items() if v != owner}
    result["swapped"] = f"{name}/{owner}"
    return result


def flagged(name: str, popular: tuple[str, ...]) -> bool:
    return any(f.severity.at_least(Severity.MEDIUM) for f in find_lookalikes(name, popular))


def main() -> int:
    if not DATA.exists():
        print(f"skipped: {DATA} not found (the study data lives outside the repository)")
        return 0
    with DATA.open(newline="", encoding="utf-8") as fh:
        ids = sorted({row["model_name"] for row in csv.DictReader(fh) if "/" in row["model_name"]})
    shipped = popular_ids()
    study = tuple(ids)
    shipped_folded = {p.casefold() for p in shipped}
    covered = sum(1 for i in ids if i.casefold() in shipped_folded)
    print(f"study popular ids: {len(ids)}; shipped list: {len(shipped)} ids")
    print(f"coverage: {covered}/{len(ids)} ({covered / len(ids):.1%}) of study ids are shipped")
    start = time.perf_counter()
    false_pos = [i for i in ids if flagged(i, shipped)]
    elapsed = time.perf_counter() - start
    print(f"false positives (real ids flagged >= medium vs shipped list): {len(false_pos)}/"
          f"{len(ids)} ({len(false_pos) / len(ids):.1%})")
    for fp in false_pos[:15]:
        print(f"  {fp}: {[(f.kind, f.popular) for f in find_lookalikes(fp, shipped)][:2]}")
    print(f"speed: {len(ids) / elapsed:.0f} checks/s against {len(shipped)} ids")
    for label, popular in (("shipped list", shipped), ("study list", study)):
        per_kind: dict[str, list[int]] = {}
        for model_id in ids:
            if label == "shipped list" and model_id.casefold() not in shipped_folded:
                continue
            for kind, fake in mutations(model_id).items():
                if fake.casefold() in {p.casefold() for p in (model_id,)}:
                    continue
                hit = flagged(fake, popular)
                per_kind.setdefault(kind, [0, 0])[0] += hit
                per_kind[kind][1] += 1
        total = sum(v[0] for v in per_kind.values())
        count = sum(v[1] for v in per_kind.values())
        print(f"detection vs {label}: {total}/{count} ({total / max(count, 1):.1%})")
        for kind, (hit, n) in sorted(per_kind.items()):
            print(f"  {kind:14s} {hit}/{n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
