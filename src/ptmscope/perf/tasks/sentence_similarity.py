"""Sentence similarity: Spearman (or Pearson) of embedding cosine against gold scores.

Input: ``sentence1``/``sentence2`` and a numeric gold score (``score``, ``label``...). The model
is a sentence-transformers folder or a plain encoder; embeddings are pooled as the folder's
``1_Pooling/config.json`` says (mean of tokens by default, or the CLS token), using plain
``transformers`` so the ``sentence-transformers`` package is not needed.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from ptmscope.perf.datasets_io import LoadedSplit
from ptmscope.perf.metrics import PairOutputs
from ptmscope.perf.reasons import NotVerifiable, Reason
from ptmscope.perf.tasks.base import (
    TaskResult,
    find_column,
    load_model,
    max_length,
    read_config,
    require_rows,
    run_batches,
)
from ptmscope.progress import Progress

TASK_ID = "sentence-similarity"
AUTO_CLASS = "AutoModel"
SCORE_COLUMNS = ("score", "similarity_score", "relatedness_score", "label", "labels")


def pooling_mode(folder: Path) -> str:
    """``cls``, ``max`` or ``mean`` from a sentence-transformers pooling config."""
    for config in sorted(folder.glob("*_Pooling/config.json")):
        try:
            data = json.loads(config.read_bytes()[:100_000])
        except (OSError, ValueError):
            continue
        if data.get("pooling_mode_cls_token"):
            return "cls"
        if data.get("pooling_mode_max_tokens"):
            return "max"
    return "mean"


def is_sentence_transformer(folder: Path) -> bool:
    """True for a sentence-transformers folder (``modules.json``)."""
    return (folder / "modules.json").is_file()


def run(folder: Path, split: LoadedSplit, *, batch_size: int = 32,
        progress: Progress | None = None) -> TaskResult:
    """Embed both sentences of every pair and score them by cosine similarity.

    Raises:
        NotVerifiable: empty split, missing columns, non-numeric scores, model does not load.
    """
    require_rows(split)
    first = find_column(split, ("sentence1", "sentence_a", "text1", "premise"), "first sentence")
    second = find_column(split, ("sentence2", "sentence_b", "text2", "hypothesis"),
                         "second sentence")
    score_col = find_column(split, SCORE_COLUMNS, "score")
    gold: list[float] = []
    for value in split.columns[score_col]:
        number = float(value) if isinstance(value, int | float) and not isinstance(
            value, bool) else math.nan
        if math.isnan(number):
            raise NotVerifiable(Reason.UNKNOWN_LABELS,
                                f"score column {score_col!r} holds a non-numeric value "
                                f"{value!r:.40}")
        gold.append(number)
    read_config(folder)
    tokenizer, model = load_model(folder, AUTO_CLASS)
    mode = pooling_mode(folder)
    left = [str(s or "") for s in split.columns[first]]
    right = [str(s or "") for s in split.columns[second]]
    unique = sorted(set(left) | set(right))
    position = {s: i for i, s in enumerate(unique)}
    encodings = tokenizer(unique, truncation=True, max_length=max_length(tokenizer, model))
    hidden = int(getattr(model.config, "hidden_size", 0)) or 1
    vectors = np.zeros((len(unique), hidden), dtype=np.float64)

    def step(batch: list[int], tensors: dict[str, Any]) -> None:
        states = model(**tensors).last_hidden_state
        mask = tensors["attention_mask"].unsqueeze(-1).to(states.dtype)
        if mode == "cls":
            pooled = states[:, 0]
        elif mode == "max":
            pooled = states.masked_fill(mask == 0, -1e9).max(dim=1).values
        else:
            pooled = (states * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        vectors[batch] = pooled.double().numpy()

    run_batches(encodings, batch_size, progress, step, "embedding",
                getattr(tokenizer, "pad_token_id", 0))
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms > 0, norms, 1.0)
    a = unit[[position[s] for s in left]]
    b = unit[[position[s] for s in right]]
    cosine = (a * b).sum(axis=1)
    return TaskResult(PairOutputs(cosine, np.asarray(gold, dtype=np.float64)), len(left),
                      (f"{mode} pooling, cosine similarity",))
