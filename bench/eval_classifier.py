"""Evaluate the change-type classifier on the labelled commit sets in tests/data.

Prints, for the development set (``commits_dev.jsonl``, which the rules were tuned on) and the
held-out sets (``commits_holdout.jsonl``, written before the rules; ``commits_holdout_hard.jsonl``,
deliberately harder commits written after the rules; neither used to tune them), accuracy and
Cohen's kappa per platform and overall, then a confusion summary (every (gold -> predicted) pair
that occurred, with its count and the deciding rules).

``--embed`` adds the optional second stage (``ct_embedding``: nearest centroid of the dev set's
labelled commits, local all-MiniLM-L6-v2; imports torch) for commits the rules leave unclassified
and evaluates it on the held-out sets. ``--errors`` lists every miss.

Caveat, printed too: all sets were written and labelled by the classifier's author, so even the
held-out figure is optimistic. Issue 3's targets (>= 90% on Hugging Face, >= 97.5% on GitHub) are
about real, independently hand-labelled commits, which the project does not have yet.

``--file PATH`` (repeatable) also evaluates any other labelled JSONL file with the same line format,
e.g. ``tests/data/commits_independent.jsonl``: commits labelled by an independent labeller (not the
classifier's author) before reading the rules; its phase-1 figure is the honest unseen one.
``tests/data/commits_blind2.jsonl`` (a second independent labeller) was unseen at 0.888 HF / 0.823
GitHub; the rules were then tuned on its labeller's error categories (not its commits), so it is
no longer unseen either: the next honest figure is a fresh blind set (``commits_blind3.jsonl``).

Run: ``.venv/bin/python bench/eval_classifier.py [--errors] [--embed] [--file PATH ...]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

from ptmscope.sync.change_types import Classification, explain_commit

Explain = Callable[..., Classification]

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
SETS = (("development (rules tuned on it)", "commits_dev.jsonl"),
        ("held-out (written before the rules, never tuned on)", "commits_holdout.jsonl"),
        ("held-out, harder (written after the rules, never tuned on)",
         "commits_holdout_hard.jsonl"))


def load(path: Path) -> list[dict[str, object]]:
    """The labelled commits of one JSONL file."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(rows: list[dict[str, object]], show_errors: bool,
             explain: Explain = explain_commit) -> None:
    """Print accuracy, kappa and confusions for one set."""
    by_platform: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    confusions: Counter[tuple[str, str]] = Counter()
    rules: dict[tuple[str, str], set[str]] = defaultdict(set)
    errors: list[str] = []
    for row in rows:
        platform = str(row["platform"])
        files = [str(f) for f in row["files"]]  # type: ignore[attr-defined]
        kinds = row.get("kinds")
        got = explain(str(row["message"]), files, platform, change_kinds=kinds)
        gold = str(row["label"])
        for key in (platform, "overall"):
            by_platform[key][0].append(gold)
            by_platform[key][1].append(got.label)
        if got.label != gold:
            confusions[(gold, got.label)] += 1
            rules[(gold, got.label)].add(got.rule_id)
            errors.append(f"    [{platform}] {str(row['message'])[:60]!r} {files[:3]} "
                          f"gold={gold!r} got={got.label!r} ({got.rule_id}: {got.reason[:90]})")
    for key in ("huggingface", "github", "overall"):
        gold_labels, predicted = by_platform[key]
        if not gold_labels:
            continue
        correct = sum(g == p for g, p in zip(gold_labels, predicted, strict=True))
        kappa = cohen_kappa_score(gold_labels, predicted)
        print(f"  {key:12s} n={len(gold_labels):4d}  accuracy {correct / len(gold_labels):.3f} "
              f"({correct}/{len(gold_labels)})  Cohen's kappa {kappa:.3f}")
    if confusions:
        print("  confusions (gold -> predicted: count, deciding rules):")
        for (gold, got), count in confusions.most_common():
            print(f"    {gold} -> {got}: {count} ({', '.join(sorted(rules[(gold, got)]))})")
    else:
        print("  confusions: none")
    if show_errors:
        print("  errors:")
        print("\n".join(errors) or "    none")


def embedding_leave_one_out(rows: list[dict[str, object]]) -> None:
    """How well the embedding alone labels dev commits (leave-one-out centroids), by cosine."""
    import math

    from ptmscope.sync.ct_embedding import commit_text, minilm_encoder

    labelled = [r for r in rows if r["label"] != "unclassified"]
    encode = minilm_encoder()
    vectors = encode([commit_text(str(r["message"]), [str(f) for f in r["files"]])  # type: ignore[attr-defined]
                      for r in labelled])
    sums: dict[tuple[str, str], list[float]] = {}
    for row, v in zip(labelled, vectors, strict=True):
        acc = sums.setdefault((str(row["platform"]), str(row["label"])), [0.0] * len(v))
        for i, x in enumerate(v):
            acc[i] += x
    results: list[tuple[float, bool]] = []
    for row, v in zip(labelled, vectors, strict=True):
        best, best_label = -2.0, ""
        for (plat, label), acc in sums.items():
            if plat != row["platform"]:
                continue
            c = [a - x for a, x in zip(acc, v, strict=True)] if label == row["label"] else acc
            norm = math.sqrt(sum(x * x for x in c)) or 1.0
            score = sum(a * b for a, b in zip(c, v, strict=True)) / norm
            if score > best:
                best, best_label = score, label
        results.append((best, best_label == row["label"]))
    print("embedding alone, leave-one-out on the dev set (labelled commits only):")
    for threshold in (0.0, 0.45, 0.6, 0.7):
        kept = [ok for score, ok in results if score >= threshold]
        if kept:
            print(f"  cosine >= {threshold:.2f}: labels {len(kept)}/{len(results)}, "
                  f"accuracy {sum(kept) / len(kept):.3f}")


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command-line options (argv without the program name)."""
    parser = argparse.ArgumentParser(description="Evaluate the change-type classifier.")
    parser.add_argument("--errors", action="store_true", help="list every miss")
    parser.add_argument("--embed", action="store_true", help="add the embedding second stage")
    parser.add_argument("--file", action="append", default=[], type=Path, metavar="PATH",
                        help="also evaluate this labelled JSONL file (repeatable)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    """Evaluate every set that exists, then every --file."""
    args = parse_args(argv[1:])
    sets = [(title, DATA / name) for title, name in SETS]
    sets += [(f"extra labelled file {path}", path) for path in args.file]
    for title, path in sets:
        if not path.exists():
            print(f"{path.name}: not found at {path}, skipped")
            continue
        rows = load(path)
        print(f"{title}: {path.name}, {len(rows)} commits")
        evaluate(rows, args.errors)
        if args.embed and path.name != "commits_dev.jsonl":
            from ptmscope.sync.ct_embedding import EmbeddingFallback

            stage = EmbeddingFallback(load(DATA / "commits_dev.jsonl"))
            print(f"  with the embedding second stage (min cosine {stage.min_similarity}):")
            evaluate(rows, args.errors, stage.explain)
    if args.embed:
        embedding_leave_one_out(load(DATA / "commits_dev.jsonl"))
    print("caveat: the tests/data sets commits_dev/holdout/holdout_hard were labelled by the "
          "classifier's author; the issue's targets (>= 0.90 HF, >= 0.975 GitHub) need real, "
          "independently hand-labelled commits (see --file tests/data/commits_independent.jsonl).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
