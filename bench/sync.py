"""Benchmark: ``ptmscope sync --all`` over a generated corpus of 1,000 families.

Each family has one upstream GitHub repo and 3 Hugging Face variants, 100 commits per repo
(400 commits per family, 400,000 in all) with realistic messages and touched files, plus HEAD
files with blob ids for the content links. The store is generated once with
``Store.write_snapshot`` / ``write_families`` and cached under ``bench/.cache/``.

Target (issue 3): under 10 s on 2 cores. Run::

    .venv/bin/python bench/sync.py [--families N] [--rebuild]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ptmscope.records import (
    ChangeKind,
    CommitFileRecord,
    CommitRecord,
    CommitSha,
    FamilyId,
    FamilyRecord,
    FileRecord,
    Platform,
    RepoRecord,
    RepoSnapshot,
    repo_id,
)
from ptmscope.store import Store

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
TARGET_SECONDS = 10.0
COMMITS_PER_REPO = 100
VARIANTS = 3

GITHUB_TEMPLATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Update README.md", ("README.md",)),
    ("Fix typo in docs/usage.md", ("docs/usage.md",)),
    ("Add evaluation script for {task}", ("eval_{task}.py",)),
    ("Refactor attention layer ({n})", ("src/modeling_{task}.py",)),
    ("train longer with cosine schedule, run {n}", ("train.py", "configs/train_{n}.yaml")),
    ("bump torch to 2.{n}", ("requirements.txt",)),
    ("Add dataset loader for {task}", ("data/{task}_loader.py",)),
    ("Merge pull request #{n} from user/feature-{n}", ("src/utils.py", "tests/test_utils.py")),
    ("Speed up tokenization with fused kernels", ("src/tokenization.py",)),
    ("update config for {task}", ("config.json",)),
    ("add docstrings to {task} module", ("src/{task}.py",)),
    ("new checkpoint {n}", ("checkpoints/model_{n}.safetensors",)),
    ("tokenizer: add special tokens {n}", ("tokenizer.json", "tokenizer_config.json")),
    ("Release v0.{n}", ("setup.py", "CHANGELOG.md")),
)
HF_TEMPLATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Upload folder using huggingface_hub", ("config.json", "model.safetensors", "tokenizer.json")),
    ("Update README.md", ("README.md",)),
    ("Upload {n} files", ("model-0000{n}-of-00003.safetensors",)),
    ("Training in progress, step {n}00", ("pytorch_model.bin", "training_args.bin")),
    ("Update config.json", ("config.json",)),
    ("Upload tokenizer", ("tokenizer.json", "vocab.txt")),
    ("Add evaluation results", ("README.md", "eval_results.json")),
    ("initial commit", (".gitattributes",)),
    ("Auto Sync from git://github.com/{owner}/{repo}.git/commit/{sha}", ("config.json",)),
)
TASKS = ("ner", "qa", "glue", "squad", "mlm", "summarize", "translate")


def _sha(*parts: object) -> str:
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()


def _repo(platform: Platform, name: str, rnd: random.Random, start: datetime,
          templates: tuple[tuple[str, tuple[str, ...]], ...], upstream: tuple[str, list[str]] | None
          ) -> RepoSnapshot:
    rid = repo_id(platform, name)
    commits: list[CommitRecord] = []
    touched: list[CommitFileRecord] = []
    when = start
    for i in range(COMMITS_PER_REPO):
        when += timedelta(days=rnd.expovariate(1 / 6), seconds=rnd.randint(0, 86399))
        template, paths = rnd.choice(templates)
        n, task = rnd.randint(1, 40), rnd.choice(TASKS)
        owner, repo, sha = "", "", ""
        if upstream is not None:
            owner, repo = upstream[0].split("/")
            sha = rnd.choice(upstream[1])
        message = template.format(n=n, task=task, owner=owner, repo=repo, sha=sha)
        sha_i = _sha(rid, i)
        commits.append(CommitRecord(
            repo_id=rid, sha=CommitSha(sha_i), author_name="dev", author_email="dev@example.org",
            authored_at=when, committer_name="dev", committer_email="dev@example.org",
            committed_at=when, message=message,
        ))
        for p in paths:
            touched.append(CommitFileRecord(rid, CommitSha(sha_i),
                                            p.format(n=n, task=task), ChangeKind.MODIFIED))
    shared = ("config.json", "tokenizer.json", "README.md")
    files = [FileRecord(rid, p, 100, _sha("blob", p, rnd.randint(0, 2))) for p in shared]
    return RepoSnapshot(
        repo=RepoRecord(rid, platform, name, "bench"), commits=tuple(commits),
        commit_files=tuple(touched), files=tuple(files),
    )


def build(path: Path, families: int, seed: int = 7) -> None:
    """Generate the corpus into a new store at ``path``."""
    rnd = random.Random(seed)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    records: list[FamilyRecord] = []
    with Store(tmp) as store:
        for f in range(families):
            owner, repo = f"org{f}", f"model{f}"
            start = datetime(2019, 1, 1, tzinfo=UTC) + timedelta(days=rnd.randint(0, 1500))
            up = _repo(Platform.GITHUB, f"{owner}/{repo}", rnd, start, GITHUB_TEMPLATES, None)
            store.write_snapshot(up)
            up_shas = [c.sha for c in up.commits]
            names = []
            for v in range(VARIANTS):
                name = f"{owner}/{repo}-v{v}"
                names.append(name)
                v_start = start + timedelta(days=rnd.randint(-30, 300))
                store.write_snapshot(_repo(Platform.HUGGINGFACE, name, rnd, v_start,
                                           HF_TEMPLATES, (f"{owner}/{repo}", up_shas)))
            records.append(FamilyRecord(FamilyId(f"{owner}_{repo}"),
                                        f"https://github.com/{owner}/{repo}",
                                        repo_id(Platform.GITHUB, f"{owner}/{repo}"),
                                        tuple(names), "bench"))
            if f % 100 == 99:
                print(f"  generated {f + 1} families", file=sys.stderr)
        store.write_families(records)
    tmp.rename(path)


def main() -> None:
    """Build (or reuse) the corpus, then time ``ptmscope sync --all``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    db = CACHE / f"sync-{args.families}x{VARIANTS}x{COMMITS_PER_REPO}.duckdb"
    if args.rebuild or not db.exists():
        t = time.perf_counter()
        build(db, args.families)
        print(f"built {db} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    with Store(db, read_only=True) as store:
        counts = store.counts()
    print(f"corpus: {counts['families']} families, {counts['repos']} repos, "
          f"{counts['commits']} commits, {counts['commit_files']} touched paths")

    exe = Path(sys.executable).with_name("ptmscope")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run([str(exe), "sync", "--all", "--db", str(db)], capture_output=True,
                          text=True, check=False)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        raise SystemExit(f"ptmscope sync --all failed with exit code {done.returncode}")
    t = time.perf_counter()
    subprocess.run([str(exe), "sync", "--all", "--json", "--db", str(db)], capture_output=True,
                   check=True)
    wall_json = time.perf_counter() - t

    from ptmscope.sync.profile import CachedClassifier
    from ptmscope.sync.runner import analyse_store

    label = CachedClassifier()
    with Store(db, read_only=True) as store:
        t, c = time.perf_counter(), time.process_time()
        reports = analyse_store(store, classify=label)
        in_process, in_cpu = time.perf_counter() - t, time.process_time() - c
    analysed = sum(r.pattern is not None for r in reports)
    print(f"ptmscope sync --all (subprocess, incl. start-up): {wall:.2f} s wall, {cpu:.2f} s CPU "
          f"(target {TARGET_SECONDS:.0f} s: wall ratio {wall / TARGET_SECONDS:.2f}, "
          f"CPU ratio {cpu / TARGET_SECONDS:.2f})")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"ptmscope sync --all --json (subprocess):           {wall_json:.2f} s")
    print(f"analyse_store in process: {in_process:.2f} s wall, {in_cpu:.2f} s CPU for "
          f"{len(reports)} families "
          f"({analysed} analysed); {label.calls} commits labelled, "
          f"{label.distinct} distinct (message, files) shapes classified")
    print("note: the machine is shared by several jobs; timings are noisy.")


if __name__ == "__main__":
    main()
