"""Helpers for perf tests: tiny BERT models built locally (random weights, no download).

Every model is made from a small ``BertConfig`` and a word-list ``vocab.txt``, saved with
``save_pretrained`` into a module-scoped temporary folder. Tests that need them import torch
through ``pytest.importorskip`` so a checkout without the eval extra skips only those.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
WORDS = [
    "the", "a", "an", "movie", "film", "plot", "acting", "was", "is", "very", "not", "good",
    "bad", "great", "awful", "boring", "fun", "paris", "london", "berlin", "alice", "bob",
    "carol", "visited", "likes", "city", "river", "team", "won", "lost", "game", "who", "what",
    "where", "when", "capital", "of", "france", "germany", "england", "is", "in", "on", "at",
    "and", "or", "but",
]


def write_vocab(folder: Path) -> list[str]:
    """Write a WordPiece vocab.txt and a tokenizer_config.json; return the vocabulary."""
    vocab = SPECIALS + sorted(set(WORDS))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    (folder / "tokenizer_config.json").write_text(
        json.dumps({"tokenizer_class": "BertTokenizer", "do_lower_case": True,
                    "model_max_length": 64}), encoding="utf-8")
    return vocab


def card_text(results: Sequence[Mapping[str, Any]], name: str = "tiny") -> str:
    """A README.md whose model-index holds ``results``."""
    import yaml

    meta = {"license": "mit", "model-index": [{"name": name, "results": list(results)}]}
    return "---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n\n# tiny model\n"


def result(task: str, metrics: Sequence[tuple[str, Any]], dataset: str = "tiny-data",
           split: str = "test", args: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One model-index result entry."""
    return {
        "task": {"type": task},
        "dataset": {"type": dataset, "name": dataset, "split": split},
        "metrics": [{"type": m, "value": v, **({"args": dict(args)} if args else {})}
                    for m, v in metrics],
    }


def sentences(n: int, seed: int, low: int = 3, high: int = 9) -> list[str]:
    """``n`` random sentences over WORDS."""
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))) for _ in range(n)]


def build_bert(folder: Path, head: str, *, labels: Sequence[str] = (), seed: int = 0) -> Path:
    """Save a tiny random ``Bert<head>`` with tokenizer files into ``folder``."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    vocab = write_vocab(folder)
    extra: dict[str, Any] = {}
    if labels:
        extra = {"id2label": dict(enumerate(labels)),
                 "label2id": {name: i for i, name in enumerate(labels)}}
    config = transformers.BertConfig(
        vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=64, initializer_range=0.5, **extra)
    torch.manual_seed(seed)
    model = getattr(transformers, f"Bert{head}")(config)
    model.save_pretrained(folder)
    return folder
