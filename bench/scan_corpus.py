"""Benchmark the risk scanner against picklescan, modelscan and fickling.

Corpora:
* ``../shared/data/risk`` (real samples from public scanners' test suites, labelled in
  MANIFEST.tsv); skipped with a message when absent;
* the crafted corpus of ``tests/risk/samples.py`` (built from opcodes and zip records, never
  loaded), written to a temporary folder;
* benign files written by torch / numpy / joblib themselves (state dicts, legacy and
  TorchScript archives, arrays), when those libraries are installed.

For each tool: detection rate (malicious flagged), false-positive rate (benign flagged), errors
and throughput. A file counts as flagged by ptmscope when it has a finding of medium severity
or more; by picklescan when it reports issues or infected files; by modelscan when it reports
issues; by fickling when ``is_likely_safe`` says no. Then: a 16 MB pickle with about 4 million
opcodes (time and peak memory, in a child process) and directory throughput vs picklescan.

Every tool only reads files; nothing is unpickled. Run: ``.venv/bin/python bench/scan_corpus.py``
(timings on a shared 2-core machine are noisy).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "risk"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))


@dataclass(frozen=True)
class Item:
    """One labelled file."""

    path: Path
    malicious: bool


def real_corpus() -> list[Item]:
    """The labelled shared corpus, or [] (with a message) when absent."""
    manifest = SHARED / "MANIFEST.tsv"
    if not manifest.exists():
        print(f"shared corpus not found at {SHARED}: skipped")
        return []
    with manifest.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [Item(SHARED / r["path"], r["expected"] == "malicious") for r in rows]


def crafted_corpus(folder: Path) -> list[Item]:
    """Write the crafted samples (bytes only) and return them labelled."""
    from risk.samples import corpus

    items = []
    for sample in corpus():
        path = folder / sample.name
        path.write_bytes(sample.data)
        items.append(Item(path, sample.malicious))
    return items


def library_corpus(folder: Path) -> list[Item]:
    """Benign files written by the real libraries (state dicts, TorchScript, NumPy, joblib).

    Only weights-style content: whole pickled modules or estimators import library classes and
    are (rightly) reported as unknown callables, so they are not labelled benign here.
    """
    items: list[Item] = []
    try:
        import joblib
        import numpy as np
        import torch
    except ImportError as err:
        print(f"library corpus skipped: {err}")
        return items
    model = torch.nn.Sequential(torch.nn.Linear(8, 4), torch.nn.BatchNorm1d(4))
    torch.save(model.state_dict(), folder / "state_dict.pt")
    torch.save(model.state_dict(), folder / "state_dict_legacy.pt",
               _use_new_zipfile_serialization=False)
    torch.save({"model": model.state_dict(), "epoch": 3,
                "optimizer": torch.optim.SGD(model.parameters(), lr=0.1).state_dict()},
               folder / "checkpoint.pt")
    torch.jit.save(torch.jit.script(model), folder / "torchscript.pt")
    np.save(folder / "array.npy", np.arange(10.0))
    np.savez_compressed(folder / "arrays.npz", a=np.arange(3), b=np.ones((2, 2)))
    joblib.dump({"w": np.arange(5.0), "names": ["a", "b"]}, folder / "arrays.joblib")
    for path in sorted(folder.iterdir()):
        items.append(Item(path, False))
    return items


# --- tools: each returns True (flagged), False (clean) or raises (error) ---------------------


def ptmscope_flags(path: Path) -> bool:
    from ptmscope.records import Severity
    from ptmscope.risk.runner import scan_paths

    report = scan_paths([path])
    return any(i.severity.at_least(Severity.MEDIUM) for i in report.issues)


def picklescan_flags(path: Path) -> bool:
    from picklescan.scanner import scan_file_path

    result = scan_file_path(str(path))
    return bool(result.issues_count or result.infected_files)


def modelscan_flags(path: Path) -> bool:
    from modelscan.modelscan import ModelScan

    out = ModelScan().scan(path)
    return bool(out.get("summary", {}).get("total_issues", 0))


def fickling_flags(path: Path) -> bool:
    import fickling

    return not fickling.is_likely_safe(str(path))


TOOLS: dict[str, Callable[[Path], bool]] = {
    "ptmscope": ptmscope_flags,
    "picklescan": picklescan_flags,
    "modelscan": modelscan_flags,
    "fickling": fickling_flags,
}


def evaluate(name: str, items: list[Item]) -> None:
    """Print detection / false-positive rates and throughput of every tool on ``items``."""
    if not items:
        return
    mal = sum(i.malicious for i in items)
    ben = len(items) - mal
    size = sum(i.path.stat().st_size for i in items)
    print(f"\n== {name}: {len(items)} files ({mal} malicious, {ben} benign, {size} bytes)")
    print(f"{'tool':<11} {'detected':>10} {'det.rate':>9} {'false+':>7} {'fp.rate':>8} "
          f"{'errors':>7} {'files/s':>9}")
    for tool, fn in TOOLS.items():
        det = fp = err = 0
        missed: list[str] = []
        with contextlib.suppress(Exception):  # warm-up: one-time imports are not throughput
            fn(items[0].path)
        start = time.perf_counter()
        for item in items:
            try:
                flagged = fn(item.path)
            except Exception:  # a peer crashing on a file counts as an error (not flagged)
                err += 1
                flagged = False
            if item.malicious and flagged:
                det += 1
            elif item.malicious:
                missed.append(item.path.name)
            elif flagged:
                fp += 1
        took = time.perf_counter() - start
        print(f"{tool:<11} {det:>4}/{mal:<5} {det / max(mal, 1):>9.1%} {fp:>3}/{ben:<3} "
              f"{fp / max(ben, 1):>8.1%} {err:>7} {len(items) / took:>9.1f}")
        if tool == "ptmscope" and missed:
            print(f"   ptmscope missed: {', '.join(missed)}")


def big_pickle(path: Path) -> None:
    """Write a ~16 MB pickle of ~4M opcodes: a list of ints (BININT / BININT2), APPENDS per 1000."""
    import struct

    parts = [b"\x80\x04]("]
    for _ in range(4000):
        parts.append(b"".join(b"J" + struct.pack("<i", 70000 + i) if i % 2
                              else b"M" + struct.pack("<H", i) for i in range(1000)) + b"e(")
    path.write_bytes(b"".join(parts)[:-1] + b".")


def big_pickle_bench(folder: Path) -> None:
    """Scan the big pickle in a child process: time and peak memory (ru_maxrss)."""
    path = folder / "big.pkl"
    big_pickle(path)
    code = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from ptmscope.risk.pickle_scan import scan_pickle_bytes
data = open(sys.argv[2], "rb").read()
def hwm():  # peak RSS of this process in kB (VmHWM is reset by exec, unlike ru_maxrss)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0
base = hwm()
t, c = time.perf_counter(), time.process_time()
report, _ = scan_pickle_bytes(data)
took, cpu = time.perf_counter() - t, time.process_time() - c
peak = hwm()
print(len(data), report.ops, round(took, 3), round(cpu, 3), base // 1024, peak // 1024,
      len(report.issues))
"""
    out = subprocess.run([sys.executable, "-c", code, str(ROOT / "src"), str(path)],
                         capture_output=True, text=True, check=True).stdout.split()
    size, ops, took, cpu, base, peak, issues = out
    print(f"\n== big pickle: {int(size) / 2**20:.1f} MB, {int(ops):,} opcodes walked in "
          f"{float(took):.2f} s wall, {float(cpu):.2f} s cpu "
          f"({int(ops) / float(cpu) / 1e6:.1f} M ops/s cpu); peak RSS "
          f"{peak} MB ({base} MB before the scan, input included); issues {issues} "
          "(target < 2 s, < 300 MB)")
    path.unlink()


def directory_throughput(folders: list[Path], rounds: int = 5) -> None:
    """Whole-folder scans, ptmscope ``scan_paths`` vs picklescan ``scan_directory_path``.

    Runs alternate and the best of ``rounds`` is kept, in CPU time (process_time) and wall
    time: on a shared machine CPU time is the fairer figure.
    """
    from picklescan.scanner import scan_directory_path

    from ptmscope.risk.runner import scan_paths

    def best(fn: Callable[[], object]) -> tuple[float, float]:
        cpu = wall = float("inf")
        for _ in range(rounds):
            c, w = time.process_time(), time.perf_counter()
            fn()
            cpu, wall = min(cpu, time.process_time() - c), min(wall, time.perf_counter() - w)
        return cpu, wall

    for folder in folders:
        nbytes = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        nfiles = sum(1 for p in folder.rglob("*") if p.is_file())
        ours = best(lambda f=folder: scan_paths([f]))  # type: ignore[misc]
        theirs = best(lambda f=folder: scan_directory_path(str(f)))  # type: ignore[misc]
        print(f"\n== directory {folder.name} ({nfiles} files, {nbytes / 2**20:.2f} MB), best "
              f"of {rounds}: ptmscope cpu {ours[0]:.4f} s / wall {ours[1]:.4f} s "
              f"({nfiles / ours[0]:.0f} files/s cpu); picklescan cpu {theirs[0]:.4f} s / wall "
              f"{theirs[1]:.4f} s ({nfiles / theirs[0]:.0f} files/s cpu); ptmscope throughput "
              f"= {theirs[0] / ours[0]:.2f}x picklescan's (cpu), {theirs[1] / ours[1]:.2f}x "
              "(wall)")


def main() -> None:
    """Run every part of the benchmark."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    real = real_corpus()
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as lib:
        crafted = crafted_corpus(Path(tmp))
        evaluate("shared corpus (../shared/data/risk)", real)
        evaluate("crafted corpus (tests/risk/samples.py)", crafted)
        evaluate("benign files written by torch / numpy / joblib", library_corpus(Path(lib)))
        big_pickle_bench(Path(tmp))
        directory_throughput(([SHARED] if real else []) + [Path(tmp)])
    print("\n" + json.dumps({"python": sys.version.split()[0]}))


if __name__ == "__main__":
    main()
