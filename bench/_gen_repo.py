"""Generate a large, realistic git repository quickly and deterministically for benchmarks.

The history is written as a ``git fast-import`` stream (one process, no per-commit git
calls), so 20,000 commits over 5,000 files build in well under a minute. Each commit edits a
few text files with small hunks (change, insert or delete a handful of lines), so
``git log --numstat`` has real line counts to compute; files are added over the first part of
the history, and a few are deleted or renamed later, as in a real project. Edits favour a
"hot" subset of files, the way real churn concentrates. Everything comes from one seeded
``random.Random``, so the same parameters always give the same commit shas.

Built repositories are cached under ``bench/.cache/`` (git-ignored) and reused.

Run directly to (re)build and print the path::

    .venv/bin/python bench/_gen_repo.py --commits 20000 --files 5000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

CACHE_DIR = Path(__file__).resolve().parent / ".cache"
READY_MARKER = "ptmscope-bench.json"
#: Bump when the generator changes, so stale cached repos are not reused.
GENERATOR_VERSION = 1

_AUTHORS = [
    ("Ada Lovelace", "ada@example.test", "+0000"),
    ("Grace Hopper", "grace@example.test", "-0500"),
    ("Alan Turing", "alan@example.test", "+0100"),
    ("Katherine Johnson", "kj@example.test", "-0400"),
    ("Edsger Dijkstra", "ewd@example.test", "+0200"),
    ("Barbara Liskov", "liskov@example.test", "-0500"),
    ("Donald Knuth", "knuth@example.test", "-0800"),
    ("Margaret Hamilton", "mh@example.test", "-0400"),
    ("Ken Thompson", "ken@example.test", "-0700"),
    ("Frances Allen", "fran@example.test", "-0500"),
    ("Yukihiro Matsumoto", "matz@example.test", "+0900"),
    ("Guido van Rossum", "guido@example.test", "+0100"),
]
_VERBS = ["Fix", "Add", "Update", "Refactor", "Tune", "Clean up", "Document", "Speed up", "Handle"]
_NOUNS = [
    "tokenizer padding", "learning-rate schedule", "data loader", "eval metrics", "config parsing",
    "checkpoint saving", "logging", "attention mask", "mixed precision", "README", "CLI flags",
    "gradient clipping", "dropout", "weight init", "dataset split", "unit tests",
]  # fmt: skip
_WORDS = [
    "model",
    "tensor",
    "batch",
    "layer",
    "weight",
    "grad",
    "loss",
    "optim",
    "step",
    "epoch",
    "config",
    "token",
    "embed",
    "hidden",
    "attention",
    "head",
    "mask",
    "score",
    "logits",
    "label",
    "input",
    "output",
    "shape",
    "device",
    "cache",
    "value",
    "key",
    "query",
]
_DIRS = [
    "src/model",
    "src/data",
    "src/train",
    "src/eval",
    "src/utils",
    "configs",
    "scripts",
    "tests",
]


@dataclass(frozen=True)
class RepoSpec:
    """What to generate.

    Attributes:
        commits: number of commits (linear history on ``main``).
        files: number of distinct files created over the history.
        seed: the random seed; the same spec always yields the same repository.
    """

    commits: int = 20_000
    files: int = 5_000
    seed: int = 20_241_125

    @property
    def key(self) -> str:
        """Cache folder name."""
        return f"repo-v{GENERATOR_VERSION}-c{self.commits}-f{self.files}-s{self.seed}"


def ensure_repo(spec: RepoSpec, cache_dir: Path = CACHE_DIR, *, rebuild: bool = False) -> Path:
    """Return a working-tree repository for ``spec``, building it when not cached.

    The repository is built in a temporary folder and renamed into place once complete, so
    an interrupted build is never reused.
    """
    dest = cache_dir / spec.key
    if rebuild and dest.exists():
        shutil.rmtree(dest)
    if (dest / ".git" / READY_MARKER).is_file():
        return dest
    cache_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=cache_dir, prefix=f".{spec.key}.building-"))
    try:
        _build(spec, work)
        if dest.exists():
            shutil.rmtree(dest)
        work.rename(dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return dest


def _git(repo: Path, *args: str, stdin: IO[bytes] | None = None) -> None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", "-C", str(repo), *args], check=True, stdin=stdin, env=env)


def _build(spec: RepoSpec, repo: Path) -> None:
    """git init, stream the history into fast-import, check out HEAD."""
    _git(repo, "init", "-q", "-b", "main")
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    proc = subprocess.Popen(
        ["git", "-C", str(repo), "fast-import", "--quiet", "--done"],
        stdin=subprocess.PIPE,
        env=env,
    )
    assert proc.stdin is not None
    try:
        for chunk in generate_stream(spec):
            proc.stdin.write(chunk)
        proc.stdin.write(b"done\n")
    finally:
        proc.stdin.close()
    if proc.wait() != 0:
        raise RuntimeError("git fast-import failed")
    _git(repo, "reset", "-q", "--hard", "main")
    # Repack as a real, maintained repository would be (fast-import's pack is loosely deltified).
    _git(repo, "gc", "-q")
    (repo / ".git" / READY_MARKER).write_text(json.dumps(asdict(spec)))


def generate_stream(spec: RepoSpec) -> Iterator[bytes]:
    """The ``git fast-import`` stream for ``spec``, one commit at a time."""
    rng = random.Random(spec.seed)
    contents: dict[str, list[str]] = {}
    live: list[str] = []
    created = 0
    when = 1_577_836_800  # 2020-01-01T00:00:00Z
    # Files are all created within the first 40% of the history.
    creation_span = max(1, int(spec.commits * 0.4))
    for index in range(spec.commits):
        when += rng.randint(600, 6 * 3600)
        target = min(spec.files, (index + 1) * spec.files // creation_span + 1)
        changes: list[bytes] = []
        touched: set[str] = set()
        while created < target:
            path = _new_path(created, rng)
            contents[path] = [_line(rng) for _ in range(rng.randint(12, 60))]
            live.append(path)
            touched.add(path)
            changes.append(_modify(path, contents[path]))
            created += 1
        roll = rng.random()
        if roll < 0.007 and len(live) > 100:
            victim = live[rng.randrange(len(live))]
            if victim not in touched:
                # About 0.4% of commits delete a file, 0.3% rename one.
                renamed = _renamed(victim, index) if roll >= 0.004 else None
                changes.append(_retire(victim, renamed, live, contents))
                touched.update(p for p in (victim, renamed) if p)
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
            path = _pick_hot(live, rng)
            if path in touched:
                continue
            touched.add(path)
            _edit(contents[path], rng)
            changes.append(_modify(path, contents[path]))
        yield _commit(index, when, rng, changes)


def _new_path(number: int, rng: random.Random) -> str:
    folder = _DIRS[number % len(_DIRS)]
    sub = number // 200
    stem = f"{_WORDS[number % len(_WORDS)]}_{number}"
    ext = rng.choice((".py", ".py", ".py", ".yaml", ".md", ".txt"))
    return f"{folder}/part{sub:02d}/{stem}{ext}"


def _retire(
    path: str, renamed: str | None, live: list[str], contents: dict[str, list[str]]
) -> bytes:
    """Delete ``path`` or rename it to ``renamed``; return the fast-import command."""
    if renamed is None:
        live.remove(path)
        del contents[path]
        return f"D {path}\n".encode()
    live[live.index(path)] = renamed
    contents[renamed] = contents.pop(path)
    return f"R {path} {renamed}\n".encode()


def _renamed(path: str, index: int) -> str:
    folder, _, name = path.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    return f"{folder}/{stem}_r{index}{dot}{ext}"


def _pick_hot(live: list[str], rng: random.Random) -> str:
    """Mostly one of a recent/hot tenth of files, sometimes any file."""
    if rng.random() < 0.6:
        return live[rng.randrange(max(1, len(live) // 10))]
    return live[rng.randrange(len(live))]


def _line(rng: random.Random) -> str:
    words = rng.sample(_WORDS, rng.randint(2, 7))
    indent = "    " * rng.randint(0, 2)
    return f"{indent}{words[0]} = {'_'.join(words[1:])}({rng.randint(0, 999)})"


def _edit(lines: list[str], rng: random.Random) -> None:
    """One to three small hunks: change, insert or delete a few lines."""
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(lines) + 1)
        kind = rng.random()
        if kind < 0.5 and lines:
            at = min(at, len(lines) - 1)
            for offset in range(rng.randint(1, 3)):
                if at + offset < len(lines):
                    lines[at + offset] = _line(rng)
        elif kind < 0.85 or len(lines) < 8:
            lines[at:at] = [_line(rng) for _ in range(rng.randint(1, 4))]
        else:
            at = min(at, len(lines) - 1)  # never an empty (no-op) deletion
            del lines[at : at + rng.randint(1, 2)]


def _modify(path: str, lines: list[str]) -> bytes:
    body = ("\n".join(lines) + "\n").encode()
    return b"M 100644 inline " + path.encode() + b"\n" + _data(body)


def _data(payload: bytes) -> bytes:
    return b"data " + str(len(payload)).encode() + b"\n" + payload + b"\n"


def _commit(index: int, when: int, rng: random.Random, changes: list[bytes]) -> bytes:
    name, email, tz = _AUTHORS[rng.randrange(len(_AUTHORS))]
    subject = f"{rng.choice(_VERBS)} {rng.choice(_NOUNS)}"
    message = subject if rng.random() < 0.7 else f"{subject}\n\nPart of change #{index}.\n"
    header = [
        b"commit refs/heads/main\n",
        f"mark :{index + 1}\n".encode(),
        f"author {name} <{email}> {when} {tz}\n".encode(),
        f"committer {name} <{email}> {when + rng.randint(0, 600)} {tz}\n".encode(),
        _data(message.encode()),
    ]
    if index > 0:
        header.append(f"from :{index}\n".encode())
    return b"".join(header) + b"".join(changes) + b"\n"


def main(argv: list[str] | None = None) -> int:
    """Build (or find) the repository and print its path."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=RepoSpec.commits)
    parser.add_argument("--files", type=int, default=RepoSpec.files)
    parser.add_argument("--seed", type=int, default=RepoSpec.seed)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)
    spec = RepoSpec(commits=args.commits, files=args.files, seed=args.seed)
    print(ensure_repo(spec, rebuild=args.rebuild))
    return 0


if __name__ == "__main__":
    sys.exit(main())
