"""Record what the rules said about each blind set *before* anyone tuned them on it.

The change-type classifier combines its rules with a token model
(``ptmscope.sync.ct_learned``). Deciding when the model should overrule the rules needs the
rules' real error rate on commits they have never seen, and the current rules have been tuned on
every labelled set. Git history still has them as they were: each blind set was first measured
at a known commit, before any rule was written for it. This script checks out those commits
(``git worktree``, read-only, in a temporary folder), runs their rules on the set they had not
seen yet, and writes the labels and rule ids to ``tests/data/ct_first_rules.json``.
``bench/train_ct_model.py`` fits the combiner on that file, so training needs no git.

Run from a full clone: ``.venv/bin/python bench/first_rule_outputs.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
OUT = DATA / "ct_first_rules.json"

#: Each round: the commit whose rules had not yet been tuned on the round's blind sets (the
#: parent of the commit that added them, or the commit they were first measured at).
ROUNDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("8", "4445d18352b747af0a6f01659000c74df8b56ad2", ("blind8a", "blind8b")),
    ("9", "71d79063400476cd803b7dfef73a9be1d90be424", ("blind9a", "blind9b")),
    ("10", "4f7e8a2d3d7f96c799d056aae7506a3b41fa0f80", ("blind10a", "blind10b")),
    ("11", "96312036a85869a5fcf364bb200f42100002e2ce", ("blind11a", "blind11b")),
    ("12", "5461884c0acec58c71d3e8ea7b19fc343a59e98f", ("blind12a", "blind12b")),
    ("13", "f355779c2cc55a24932e3477ffea68cb355dfd8b", ("blind13a", "blind13b")),
    ("14", "45389fb1e86b905eb14517f1a6861cdf2d9ddcc3", ("blind14a", "blind14b")),
    ("15", "2df115ec2f2dd6b71b57dd5c9b8b1c8782de90b0", ("blind15a", "blind15b")),
    ("16", "8db29a7ee03fb83f168b0250c0e76fd68a1fa872", ("blind16a", "blind16b")),
    ("17", "7935304f511d3f1bd7035fe261e6828e0c7afb6e", ("blind17a", "blind17b")),
    ("18", "3ced494340c68c940b7e2fa817dade621131e4a0", ("blind18a", "blind18b")),
    ("19", "3cd3c425be9e1ec3556eadf4edc14eb537333b40", ("blind19a", "blind19b")),
    ("20", "043ba74886216e6a370a818dbf93cfb1e141aa95", ("blind20a", "blind20b")),
    ("21", "3c5f4f410d651135bca935f8d4c34e7f86a6a2f8", ("blind21a", "blind21b")),
    ("22", "294db52d23054765b6e5f130c8da134bb945f259", ("blind22a", "blind22b")),
    ("23", "0cdbc2954254ed88709836dfc117242373b112fa", ("blind23a", "blind23b")),
    ("24", "34ca288b3a2874098f7370bcadc02339204ac0e3", ("blind24a", "blind24b")),
    ("25", "003b558ab58d45d1ef8b4fa7ed0a33fefef80c70", ("blind25a", "blind25b")),
    ("26", "dbb881b3d9f645f96103190730a94f0dc0648b54", ("blind26a", "blind26b")),
    ("27", "1031d0c958a937148c7f6e5fa43ea29fcee66770", ("blind27a", "blind27b")),
    ("28", "1fac99aba3f004c6bf2b7e058d00a512bc3af2bc", ("blind28a", "blind28b")),
    ("29", "8a2a88cdf03c51504d0ed93fe11d3d3bf8010e80", ("blind29a", "blind29b")),
    ("30", "c713670071af19809c4190a45cfbf76335083029", ("blind30a", "blind30b")),
    ("31", "6020d7b8c6a95be4bb6adf3543d01d332819868f", ("blind31a", "blind31b")),
    ("32", "2950986ec07c449b4f486798f1c1765ac9c40054", ("blind32a", "blind32b")),
    ("33", "1abbeb8e2f4d07993f32cd7e8acd9230de1ae1f9", ("blind33a", "blind33b")),
    ("34", "cc921b7877a64c993cb10ecfac6c6c4c87b7c6e1", ("blind34a", "blind34b")),
    ("35", "5673c288a20f6feaa53dcbf28dacd2dfd3759212", ("blind35a", "blind35b")),
)

#: Runs inside the old checkout: its own rules, the current labelled files (given as paths).
_DUMP = """
import inspect, json, sys
sys.path.insert(0, sys.argv[1])
from ptmscope.sync.change_types import explain_commit
rules_only = {"learned": False} if "learned" in inspect.signature(explain_commit).parameters else {}
out = {}
for path in sys.argv[2:]:
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    out[path] = [
        [c.label, c.rule_id]
        for c in (explain_commit(r["message"], r["files"], r["platform"],
                                 change_kinds=r.get("kinds"), **rules_only) for r in rows)
    ]
print(json.dumps(out))
"""


def rules_at(commit: str, sets: tuple[str, ...]) -> dict[str, list[list[str]]]:
    """Labels and rule ids that the rules of ``commit`` give every commit of ``sets``."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree),
                        commit], check=True)
        try:
            paths = [str(DATA / f"commits_{name}.jsonl") for name in sets]
            done = subprocess.run([sys.executable, "-c", _DUMP, str(tree / "src"), *paths],
                                  check=True, capture_output=True, text=True)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                           check=True)
    by_path = json.loads(done.stdout)
    return {name: by_path[str(DATA / f"commits_{name}.jsonl")] for name in sets}


def main() -> int:
    """Write ``tests/data/ct_first_rules.json``."""
    rounds = []
    for name, commit, sets in ROUNDS:
        outputs = rules_at(commit, sets)
        rounds.append({"round": name, "commit": commit, "sets": outputs})
        print(f"round {name}: rules of {commit[:7]} on {', '.join(sets)} "
              f"({sum(len(v) for v in outputs.values())} commits)")
    payload = {
        "about": "rule labels and rule ids of each blind set, from the rules as they were when "
                 "the set was first measured (bench/first_rule_outputs.py)",
        "rounds": rounds,
    }
    OUT.write_text(json.dumps(payload, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"-> {OUT} ({OUT.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
