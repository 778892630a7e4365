"""Benchmark: how fast ptmscope mines git history, against raw git and PyDriller.

Builds (or reuses, from ``bench/.cache/``) a generated repository of 20,000 commits over
5,000 files (see ``bench/_gen_repo.py``), then measures commits per second for:

a) ptmscope: ``mine_git_repo`` plus ``Store.write_snapshot`` into a fresh DuckDB file, in a
   child process whose peak memory (max RSS, git child included) is read with ``wait4``
   (the ratios use this figure); also ``ptmscope ingest PATH --db tmp`` end to end, wall time
   including interpreter start-up, for reference;
b) ``git log --numstat`` with its output sent to /dev/null (the floor: git's own work);
c) PyDriller 2.x reading the same per-file line counts (``modified_files`` ->
   ``added_lines`` / ``deleted_lines``). PyDriller runs one diff per commit, so it is timed
   on the first N commits only and its rate extrapolated; the report says so.

It also checks that PyDriller and ptmscope agree on the line counts of the commits both
read, and prints the ratios against the issue's targets (ptmscope >= 10x PyDriller,
>= 0.7x raw ``git log --numstat``, peak memory < 500 MB).

Timings are wall-clock and noisy on a shared machine: each figure is the median of
``--repeat`` runs (PyDriller: one run).

Usage::

    .venv/bin/python bench/mine.py                      # defaults: 20,000 commits, 5,000 files
    .venv/bin/python bench/mine.py --pydriller-commits 1000 --repeat 5
    .venv/bin/python bench/mine.py --commits 2000 --files 500   # quick look
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _gen_repo import RepoSpec, ensure_repo

TARGET_VS_PYDRILLER = 10.0
TARGET_VS_GIT = 0.7
TARGET_PEAK_MB = 500.0

# Run in a child process: mine + store, timed inside (no interpreter start-up), per-commit
# line totals dumped for the cross-check with PyDriller.
_PTMSCOPE_CHILD = r"""
import json, sys, time
from pathlib import Path
from ptmscope.records import Platform
from ptmscope.sources.git import mine_git_repo
from ptmscope.store import Store

repo, db, dump = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
start = time.perf_counter()
snapshot = mine_git_repo(repo, platform=Platform.GITHUB, name="bench/generated")
mined = time.perf_counter()
with Store(db) as store:
    store.write_snapshot(snapshot)
done = time.perf_counter()
if dump:
    totals = {}
    for row in snapshot.commit_files:
        added, removed = totals.get(row.sha, (0, 0))
        totals[row.sha] = (added + (row.lines_added or 0), removed + (row.lines_removed or 0))
    Path(dump).write_text(json.dumps(totals))
print(json.dumps({
    "commits": len(snapshot.commits), "commit_files": len(snapshot.commit_files),
    "line_counts_known": snapshot.repo.line_counts_known,
    "mine_s": mined - start, "write_s": done - mined, "total_s": done - start,
}))
"""

_PYDRILLER_CHILD = r"""
import json, sys, time
from pathlib import Path
from pydriller import Repository

repo, limit, dump = sys.argv[1], int(sys.argv[2]), sys.argv[3]
totals = {}
start = time.perf_counter()
for commit in Repository(repo).traverse_commits():
    added = removed = 0
    for modified in commit.modified_files:
        added += modified.added_lines
        removed += modified.deleted_lines
    totals[commit.hash] = (added, removed)
    if len(totals) >= limit:
        break
elapsed = time.perf_counter() - start
Path(dump).write_text(json.dumps(totals))
print(json.dumps({"commits": len(totals), "total_s": elapsed}))
"""


@dataclass(frozen=True)
class Child:
    """What a child process printed (its last line, as JSON) and its peak memory."""

    result: dict[str, float]
    peak_mb: float
    wall_s: float


def run_child(args: list[str]) -> Child:
    """Run ``args``, return its JSON result, max RSS (itself and waited-for children) and wall."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # wait4 gives this child's own rusage (not the sum over every child we ever ran).
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    assert proc.stdout is not None and proc.stderr is not None
    out, err = proc.stdout.read().decode(), proc.stderr.read().decode()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"child failed ({proc.returncode}): {' '.join(args[:3])}\n{err}")
    return Child(json.loads(out.strip().splitlines()[-1]), usage.ru_maxrss / 1024, wall)


def run_child_wall(args: list[str]) -> float:
    """Wall time of ``args`` (output discarded); fails loudly when it fails."""
    start = time.perf_counter()
    done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(args)}\n{done.stderr.decode()}")
    return time.perf_counter() - start


def time_command(args: list[str], repeat: int) -> float:
    """Median wall time of ``args`` with stdout to /dev/null."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, check=True)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def rate(commits: float, seconds: float) -> float:
    """Commits per second."""
    return commits / seconds if seconds > 0 else float("inf")


def verdict(ok: bool) -> str:
    """PASS / MISS."""
    return "PASS" if ok else "MISS"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=RepoSpec.commits)
    parser.add_argument("--files", type=int, default=RepoSpec.files)
    parser.add_argument("--seed", type=int, default=RepoSpec.seed)
    parser.add_argument("--pydriller-commits", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--rebuild", action="store_true", help="regenerate the repository")
    args = parser.parse_args(argv)
    python = sys.executable

    spec = RepoSpec(commits=args.commits, files=args.files, seed=args.seed)
    start = time.perf_counter()
    repo = ensure_repo(spec, rebuild=args.rebuild)
    print(f"repository: {repo} ({time.perf_counter() - start:.1f} s to build or find)")
    commits = int(subprocess.run(
        ["git", "-C", str(repo), "rev-list", "--count", "HEAD"],
        capture_output=True, text=True, check=True,
    ).stdout)  # fmt: skip
    paths = len(set(subprocess.run(
        ["git", "-C", str(repo), "log", "--format=", "--name-only"],
        capture_output=True, text=True, check=True,
    ).stdout.split()))  # fmt: skip
    print(f"  {commits:,} commits touching {paths:,} distinct paths")
    print("  timings are wall-clock medians on a shared machine: expect noise\n")

    # (b) raw git log --numstat, output discarded.
    git_s = time_command(["git", "-C", str(repo), "log", "--numstat"], args.repeat)
    # Diagnostic: the heavier log ptmscope actually runs (raw + numstat + renames, NUL-split).
    ptm_git_args = [
        "git", "-C", str(repo), "log", "-z", "--pretty=raw", "--raw", "--no-abbrev",
        "--numstat", "-M", "HEAD",
    ]  # fmt: skip
    ptm_git_s = time_command(ptm_git_args, args.repeat)

    # (a) ptmscope ingest including the store writes, in a fresh store each run.
    with tempfile.TemporaryDirectory(prefix="ptmscope-bench-") as tmp:
        dump = Path(tmp) / "ptmscope_totals.json"
        runs = []
        for index in range(args.repeat):
            db = Path(tmp) / f"run{index}.duckdb"
            runs.append(run_child([python, "-c", _PTMSCOPE_CHILD, str(repo), str(db), str(dump)]))
        ptm = sorted(runs, key=lambda child: child.result["total_s"])[len(runs) // 2]
        peak_mb = max(child.peak_mb for child in runs)
        ptm_totals = json.loads(dump.read_text())
        # The same through the CLI, as a user runs it (interpreter start-up, run records).
        cli = [str(Path(python).with_name("ptmscope")), "ingest", str(repo), "--platform", "github"]
        cli_s = statistics.median(
            run_child_wall([*cli, "--db", str(Path(tmp) / f"cli{index}.duckdb")])
            for index in range(args.repeat)
        )

        # (c) PyDriller on the first N commits, extrapolated.
        pyd_dump = Path(tmp) / "pydriller_totals.json"
        pyd = run_child(
            [python, "-c", _PYDRILLER_CHILD, str(repo), str(args.pydriller_commits), str(pyd_dump)]
        )
        pyd_totals = json.loads(pyd_dump.read_text())

    if ptm.result["commits"] != commits or not ptm.result["line_counts_known"]:
        print(f"WARNING: ptmscope read {ptm.result['commits']} commits, line counts known="
              f"{ptm.result['line_counts_known']}")  # fmt: skip
    agree = sum(1 for sha, counts in pyd_totals.items() if ptm_totals.get(sha) == counts)

    git_rate = rate(commits, git_s)
    ptm_rate = rate(commits, ptm.result["total_s"])
    pyd_rate = rate(pyd.result["commits"], pyd.result["total_s"])
    print(f"{'':44}{'seconds':>10}{'commits/s':>12}")
    print(f"{'(b) git log --numstat > /dev/null':44}{git_s:>10.2f}{git_rate:>12,.0f}")
    print(f"{'(a) ptmscope mine + store write':44}{ptm.result['total_s']:>10.2f}{ptm_rate:>12,.0f}")
    print(f"{'      of which mining (git log + parse)':44}{ptm.result['mine_s']:>10.2f}")
    print(f"{'      of which DuckDB write':44}{ptm.result['write_s']:>10.2f}")
    print(f"{'      (its git log alone, > /dev/null)':44}{ptm_git_s:>10.2f}"
          f"{rate(commits, ptm_git_s):>12,.0f}")  # fmt: skip
    print(f"{'(a) same via `ptmscope ingest` CLI (wall)':44}{cli_s:>10.2f}"
          f"{rate(commits, cli_s):>12,.0f}")  # fmt: skip
    print(f"{'(c) PyDriller, first ' + format(pyd.result['commits'], ',') + ' commits':44}"
          f"{pyd.result['total_s']:>10.2f}{pyd_rate:>12,.0f}")  # fmt: skip
    print(
        f"      extrapolated to all {commits:,} commits: {rate(commits, pyd_rate):,.0f} s "
        "(assumes a constant rate; PyDriller's cost grows with diff size, not history length)"
    )
    print()
    vs_pyd = ptm_rate / pyd_rate
    vs_git = ptm_rate / git_rate
    print(f"ptmscope / PyDriller     = {vs_pyd:6.1f}x   target >= {TARGET_VS_PYDRILLER:g}x  "
          f"{verdict(vs_pyd >= TARGET_VS_PYDRILLER)}")  # fmt: skip
    print(f"ptmscope / git --numstat = {vs_git:6.2f}x   target >= {TARGET_VS_GIT:g}x  "
          f"{verdict(vs_git >= TARGET_VS_GIT)}")  # fmt: skip
    print(f"ptmscope peak memory     = {peak_mb:6.0f} MB  target <  {TARGET_PEAK_MB:g} MB "
          f"{verdict(peak_mb < TARGET_PEAK_MB)}")  # fmt: skip
    print(f"line counts: PyDriller and ptmscope agree on {agree:,} of {len(pyd_totals):,} commits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
