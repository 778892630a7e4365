"""Benchmark: change-type classification speed on generated realistic commits (one core).

Generates N commits (default 200,000, half GitHub, half Hugging Face) from realistic message
templates and file lists (Hub uploads, card edits, config/tokenizer updates, training scripts,
requirement bumps, merges...), with random model/dataset/folder names so that paths repeat the way
they do across real repositories but not more. Times ``classify_commit`` over all of them and
prints commits/s (from this process's CPU time, which other load on a shared machine disturbs
less than wall time; wall time is printed too) and the ratio to the 20,000 commits/s target of
issue 3. A second pass uses
all-unique paths (no path cache hits; both path caches cleared first) as a worst case: base
names such as README.md still repeat, as they do across real repositories.

Run: ``.venv/bin/python bench/classify.py [N]``. Timings on a shared 2-core machine are noisy.
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter

from ptmscope.sync.change_types import _base_plan, _path_rule, classify_commit

TARGET = 20_000

_HF_TEMPLATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Upload folder using huggingface_hub",
     ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
      "special_tokens_map.json", "README.md")),
    ("Update README.md", ("README.md",)),
    ("Update README.md", ()),
    ("initial commit", (".gitattributes",)),
    ("Adding `safetensors` variant of this model", ("model.safetensors",)),
    ("Upload {arch}ForCausalLM",
     ("config.json", "generation_config.json", "model-00001-of-00002.safetensors",
      "model-00002-of-00002.safetensors", "model.safetensors.index.json")),
    ("Upload tokenizer", ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")),
    ("Update config.json", ("config.json",)),
    ("Update tokenizer_config.json", ("tokenizer_config.json",)),
    ("Librarian Bot: Add base_model information to model", ("README.md",)),
    ("Add evaluation results", ("README.md",)),
    ("Training in progress, step {n}", ("pytorch_model.bin", "training_args.bin")),
    ("Upload {k} files", ("samples/{name}_0.png", "samples/{name}_1.png")),
    ("Update modeling_{arch}.py", ("modeling_{arch}.py",)),
    ("Auto Sync from git://github.com/{org}/{name}.git/commit/{sha}", ("README.md", "config.json")),
    ("Delete pytorch_model.bin", ("pytorch_model.bin",)),
    ("Update generation_config.json", ("generation_config.json",)),
    ("Update .gitattributes", (".gitattributes",)),
)
_GH_TEMPLATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("add training script for {name}", ("train_{name}.py", "scripts/train_{name}.sh")),
    ("bump torch to 2.{k}", ("requirements.txt",)),
    ("Bump transformers from 4.{k}.0 to 4.{n}.0", ("requirements.txt",)),
    ("add {name} to requirements", ("requirements.txt", "setup.py")),
    ("Fix typo in README", ("README.md",)),
    ("add data loader for {name}", ("data/{name}.py", "data/__init__.py")),
    ("speed up inference with flash attention", ("{name}/model.py",)),
    ("add evaluation on {name}", ("eval/{name}.py", "README.md")),
    ("refactor {arch} attention", ("models/{arch}/attention.py", "models/{arch}/__init__.py")),
    ("Merge pull request #{n} from {org}/{name}\n\nupdate configs", ("configs/{name}.yaml",)),
    ("add docstrings", ("{name}/utils.py", "{name}/model.py")),
    ("update .gitignore", (".gitignore",)),
    ("Release v1.{k}.0", ("setup.py", "CHANGELOG.md")),
    ("wip", ("{name}/utils.py",)),
    ("fix tokenizer padding", ("{name}/tokenizer.py",)),
    ("add sample outputs", ("outputs/{name}_{k}.png",)),
    ("remove apex dependency", ("requirements.txt",)),
    ("Initial commit", ("LICENSE", "README.md", ".gitignore")),
)
_ARCHS = ("llama", "mistral", "qwen2", "phi", "gpt_neox", "bert", "t5", "falcon", "mpt", "gemma")
_NAMES = tuple(f"{w}{i}" for w in ("squad", "alpaca", "pile", "c4", "coco", "mmlu", "glue")
               for i in range(40))


def generate(n: int, seed: int = 0, unique_paths: bool = False) -> list[tuple[str, list[str], str]]:
    """``n`` commits as (message, files, platform), half per platform, reproducible."""
    rng = random.Random(seed)
    out: list[tuple[str, list[str], str]] = []
    for i in range(n):
        platform = "huggingface" if i % 2 == 0 else "github"
        templates = _HF_TEMPLATES if platform == "huggingface" else _GH_TEMPLATES
        message, files = rng.choice(templates)
        fill = {
            "arch": rng.choice(_ARCHS).capitalize() if "{arch}For" in message
            else rng.choice(_ARCHS),
            "name": rng.choice(_NAMES),
            "org": rng.choice(("meta", "google", "openai", "thudm", "bigscience")),
            "n": rng.randrange(10, 99_999),
            "k": rng.randrange(2, 40),
            "sha": f"{rng.getrandbits(160):040x}",
        }
        paths = [f.format(**fill) for f in files]
        if unique_paths:
            paths = [f"u{i}/{p}" for p in paths]
        out.append((message.format(**fill), paths, platform))
    return out


def _time(commits: list[tuple[str, list[str], str]]) -> tuple[float, float, Counter[str]]:
    """(CPU seconds of this process, wall seconds, label counts)."""
    labels: Counter[str] = Counter()
    cpu, wall = time.process_time(), time.perf_counter()
    for message, files, platform in commits:
        labels[classify_commit(message, files, platform)] += 1
    return time.process_time() - cpu, time.perf_counter() - wall, labels


def main(argv: list[str]) -> int:
    """Run both passes and print the figures."""
    n = int(argv[1]) if len(argv) > 1 else 200_000
    for title, unique in (("realistic paths", False), ("all-unique paths (worst case)", True)):
        commits = generate(n, unique_paths=unique)
        _path_rule.cache_clear()
        _base_plan.cache_clear()
        cpu, wall, labels = _time(commits)
        rate = n / cpu
        print(f"{title}: {n:,} commits in {cpu:.2f} s CPU = {rate:,.0f} commits/s "
              f"= {rate / TARGET:.2f}x the {TARGET:,}/s target (wall {wall:.2f} s = "
              f"{n / wall:,.0f}/s)")
        if not unique:
            top = ", ".join(f"{lab} {c}" for lab, c in labels.most_common(6))
            print(f"  label mix (top 6): {top}")
    print("note: one core, shared 2-core machine; figures are noisy.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
