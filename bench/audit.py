"""Benchmark the reuse-attribute audit: 10,000 generated model cards, audited and stored.

Target (issue 4): 10,000 cards of realistic size (2 to 40 KB, varied metadata) audited in under
30 seconds on 2 cores, with the findings stored. The corpus is generated in code (seeded), so
the benchmark needs nothing from /work/shared. The timed part is exactly what ``run_all`` does
(bulk reads from the store, the audit in a process pool, one bulk ``replace_findings``),
spelled out here to time each phase.
Setting up the store (writing 10,000 snapshots) is timed separately and reported too.

Run: ``.venv/bin/python bench/audit.py [--cards N] [--workers W] [--db PATH]``
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ptmscope.attributes.audit import ANALYSIS
from ptmscope.attributes.corpus import corpus_view
from ptmscope.attributes.runner import (
    AuditInput,
    audit_all,
    audit_batch,
    load_inputs,
    summary_lines,
)
from ptmscope.records import (
    CardRecord,
    CommitRecord,
    CommitSha,
    FileRecord,
    Platform,
    RepoRecord,
    RepoSnapshot,
    repo_id,
)
from ptmscope.store import Store

TARGET_SECONDS = 30.0
TASKS = ("text-classification", "token-classification", "text-generation", "fill-mask",
         "question-answering", "image-classification", "automatic-speech-recognition",
         "summarization", "translation", None)
LICENSES = ("apache-2.0", "mit", "other", "cc-by-4.0", "llama3", None, None)
FILLER = (
    "This model was trained to be useful for downstream tasks and evaluated on held-out data. "
    "It inherits the biases of its training corpus and should not be used for decisions about "
    "people without further evaluation. Results may vary with the tokenizer and precision. "
)


def _model_index(rng: random.Random, task: str | None) -> str:
    metric = rng.choice(("accuracy", "f1", "wer", "rouge1", "exact_match", "made_up_metric"))
    value = rng.choice((round(rng.random(), 4), round(rng.random() * 100, 2), "n/a", -3))
    broken = rng.random() < 0.15
    dataset = "    dataset: {type: glue}\n" if broken else (
        "    dataset: {type: glue, name: GLUE, config: sst2, split: validation}\n"
    )
    return (
        "model-index:\n- name: generated\n  results:\n"
        f"  - task: {{type: {task or 'text-classification'}}}\n" + dataset
        + f"    metrics:\n    - {{type: {metric}, value: {value}, verified: false}}\n"
    )


def make_card(rng: random.Random, index: int, task: str | None) -> str:
    """One synthetic card: varied metadata, template sections, code, 2 to 40 KB."""
    meta: list[str] = []
    lic = rng.choice(LICENSES)
    if lic:
        meta.append(f"license: {lic}")
    if rng.random() < 0.2:
        meta.append("datasets:\n- glue\n- squad")
    if rng.random() < 0.5:
        meta.append("base_model: google-bert/bert-base-uncased")
        if rng.random() < 0.5:
            meta.append("base_model_relation: finetune")
    if task:
        meta.append(f"pipeline_tag: {task}")
    if rng.random() < 0.6:
        meta.append("library_name: transformers")
    meta.append("tags:\n- generated\n- arxiv:1810.04805" if rng.random() < 0.3 else "tags: [x]")
    if rng.random() < 0.08:
        meta.append(_model_index(rng, task))
    parts = ["---", *meta, "---", f"# Model {index}", ""]
    sections = ["Model Details", "Uses", "Bias, Risks, and Limitations",
                "How to Get Started with the Model", "Training Details", "Training procedure",
                "Training hyperparameters", "Evaluation", "Citation", "Framework versions"]
    target = rng.randint(2_000, 40_000)
    size = sum(len(p) + 1 for p in parts)
    while size < target:
        title = rng.choice(sections)
        if rng.random() < 0.25:
            block = f"## {title}\n\n[More Information Needed]\n"
        elif rng.random() < 0.3:
            block = (f"## {title}\n\n```python\n# {title} inside code, not a heading\n"
                     "from transformers import pipeline\nclf = pipeline('text-classification')\n"
                     "```\n")
        else:
            block = f"## {title}\n\n" + FILLER * rng.randint(1, 12) + (
                "\n- learning_rate: 2e-05\n- train_batch_size: 16\n- hardware: 8x A100\n"
                if title.startswith("Training") else "\n")
        parts.append(block)
        size += len(block) + 1
    return "\n".join(parts)


def make_snapshot(rng: random.Random, index: int, base: datetime) -> RepoSnapshot:
    """One synthetic Hugging Face repo with a card, files and a short history."""
    task = rng.choice(TASKS)
    name = f"org{index % 97}/model-{index}"
    rid = repo_id(Platform.HUGGINGFACE, name)
    text = "" if rng.random() < 0.01 else make_card(rng, index, task)
    card = None if rng.random() < 0.03 else CardRecord(rid, "README.md", text, None, None, "")
    files = [FileRecord(rid, "README.md", size=len(text)), FileRecord(rid, "config.json", size=700)]
    if rng.random() < 0.7:
        files.append(FileRecord(rid, "model.safetensors", size=134, lfs_sha256="0" * 64,
                                lfs_size=rng.randint(10**7, 10**9)))
    if rng.random() < 0.5:
        files.append(FileRecord(rid, "pytorch_model.bin", size=134, lfs_sha256="1" * 64,
                                lfs_size=rng.randint(10**7, 10**9)))
    commits = tuple(
        CommitRecord(rid, CommitSha(f"{index:020x}{n:020x}"), "a", "a@x",
                     base - timedelta(days=n * 40), "a", "a@x", base - timedelta(days=n * 40),
                     "Update README.md")
        for n in range(rng.randint(1, 4))
    )
    meta = {"downloads": rng.randint(0, 10**6), "likes": rng.randint(0, 500)}
    if task:
        meta["pipeline_tag"] = task
    repo = RepoRecord(rid, Platform.HUGGINGFACE, name, "bench", metadata=meta)
    return RepoSnapshot(repo=repo, commits=commits, files=tuple(files), card=card)


def build_store(path: Path, cards: int, seed: int = 4) -> tuple[float, int]:
    """Write ``cards`` synthetic repos into a new store; returns (seconds, card bytes)."""
    rng = random.Random(seed)
    base = datetime(2026, 11, 1, tzinfo=UTC)
    started = time.perf_counter()
    total = 0
    with Store(path) as store:
        for index in range(cards):
            snap = make_snapshot(rng, index, base)
            total += len(snap.card.raw_text) if snap.card else 0
            store.write_snapshot(snap)
    return time.perf_counter() - started, total


def _cpu_seconds() -> float:
    """CPU seconds used by this process and its (finished) children so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    """Build the corpus, time the audit, print figures and the ratio to the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--db", type=Path, default=None, help="reuse/keep this store file")
    parser.add_argument("--peer-sample", type=int, default=1000,
                        help="cards timed against huggingface_hub's ModelCard (0: skip)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.duckdb"
        if not db.exists():
            setup, volume = build_store(db, args.cards)
            print(f"setup: wrote {args.cards:,} repos ({volume / 1e6:.1f} MB of cards) "
                  f"in {setup:.1f} s (not part of the target)")
        with Store(db) as store:
            cpu_started = _cpu_seconds()
            started = time.perf_counter()
            items = load_inputs(store)
            loaded = time.perf_counter()
            findings, rows = audit_all(items, workers=args.workers, as_of=datetime.now(UTC))
            audited = time.perf_counter()
            written = store.replace_findings(ANALYSIS, [i.repo.repo_id for i in items], findings)
            elapsed = time.perf_counter() - started
            cpu = _cpu_seconds() - cpu_started
            view = corpus_view(rows)
        models = view.models
        print(f"audit: {models:,} models, {written:,} findings stored in {elapsed:.2f} s "
              f"(read {loaded - started:.2f} s, audit {audited - loaded:.2f} s, "
              f"write {elapsed - (audited - started):.2f} s)")
        print(f"throughput: {models / elapsed:,.0f} cards/s")
        cores = os.cpu_count() or 1
        print(f"cpu: {cpu:.1f} s of CPU (this process + workers); on {cores} otherwise idle "
              f"core(s) that is about {cpu / cores:.1f} s of wall time. The machine is shared: "
              "wall time above includes waiting for other processes.")
        print(f"target: {TARGET_SECONDS:.0f} s for 10,000 cards; ratio elapsed/target "
              f"(scaled to 10,000) = {elapsed * 10_000 / max(models, 1) / TARGET_SECONDS:.2f}")
        for line in summary_lines(view, written):
            print("  " + line)
        _peer(items[: args.peer_sample])


def _peer(sample: list[AuditInput]) -> None:
    """Per-card cost of our whole audit vs huggingface_hub merely parsing the card (one core)."""
    import logging

    from huggingface_hub import ModelCard

    for name in ("huggingface_hub.repocard", "huggingface_hub.repocard_data"):
        logging.getLogger(name).setLevel(logging.ERROR)
    cards = [i.card.raw_text for i in sample if i.card is not None]
    if not cards:
        return
    started = time.process_time()
    for text in cards:
        try:
            ModelCard(text, ignore_metadata_errors=True)
        except Exception:  # a peer refusing a card is fine here
            continue
    hub = (time.process_time() - started) / len(cards)
    started = time.process_time()
    audit_batch(sample, None)
    ours = (time.process_time() - started) / len(sample)
    print(f"peer (one core, {len(cards)} cards, CPU time): huggingface_hub ModelCard parse only "
          f"{hub * 1000:.2f} ms/card; ptmscope full audit (31 checks, claims, findings) "
          f"{ours * 1000:.2f} ms/card; ratio ours/peer {ours / hub:.1f}")


if __name__ == "__main__":
    main()
