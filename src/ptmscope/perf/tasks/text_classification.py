"""Text classification (also sentiment analysis and sentence-pair tasks such as NLI).

A regression head (one output, GLUE STS-B style) is scored by Pearson / Spearman of its raw
output against numeric gold labels.

Input: one text column (``text``, ``sentence``...) or a pair (``sentence1``/``sentence2``,
``premise``/``hypothesis``...), and a ``label`` column mapped through ``id2label``. The
prediction is the arg-max class of ``AutoModelForSequenceClassification``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ptmscope.perf.datasets_io import LoadedSplit
from ptmscope.perf.metrics import ClassOutputs, PairOutputs
from ptmscope.perf.reasons import NotVerifiable, Reason
from ptmscope.perf.tasks.base import (
    TaskResult,
    find_column,
    id2label,
    load_model,
    map_labels,
    max_length,
    read_config,
    require_rows,
    run_batches,
)
from ptmscope.progress import Progress

TASK_ID = "text-classification"
AUTO_CLASS = "AutoModelForSequenceClassification"

LABEL_COLUMNS = ("label", "labels", "class", "target")
PAIR_COLUMNS = (("sentence1", "sentence2"), ("premise", "hypothesis"), ("question", "sentence"),
                ("question1", "question2"), ("text", "text_pair"))
TEXT_COLUMNS = ("text", "sentence", "content", "review", "document", "tweet")


def _text_columns(split: LoadedSplit) -> tuple[str, str | None]:
    lowered = {c.lower(): c for c in split.columns}
    for first, second in PAIR_COLUMNS:
        if first in lowered and second in lowered:
            return lowered[first], lowered[second]
    return find_column(split, TEXT_COLUMNS, "text"), None


def _gold_scores(values: list[Any]) -> np.ndarray:
    """Numeric gold scores of a regression task (STS-B style); others are unknown labels."""
    bad = [v for v in values if isinstance(v, bool) or not isinstance(v, int | float)]
    if bad:
        raise NotVerifiable(Reason.UNKNOWN_LABELS,
                            f"{len(bad)} labels are not numbers for a regression head: "
                            + ", ".join(repr(b)[:30] for b in bad[:5]))
    return np.asarray(values, dtype=np.float64)


def run(folder: Path, split: LoadedSplit, *, batch_size: int = 32,
        progress: Progress | None = None) -> TaskResult:
    """Predict every example's class (or score, for a regression head) and map the gold labels.

    A single-output regression head (GLUE STS-B style) gives ``PairOutputs`` (predicted vs
    gold score: Pearson / Spearman claims); a classification head gives ``ClassOutputs``.

    Raises:
        NotVerifiable: empty split, missing columns, unknown labels, model does not load.
    """
    require_rows(split)
    label_col = find_column(split, LABEL_COLUMNS, "label")
    first, second = _text_columns(split)
    config = read_config(folder)
    if config.get("problem_type") == "multi_label_classification":
        raise NotVerifiable(Reason.TASK_UNSUPPORTED,
                            "multi-label heads are not supported (single-label or regression)")
    labels = id2label(config)
    regression = config.get("problem_type") == "regression" or config.get("num_labels") == 1 \
        or len(labels) == 1
    gold: np.ndarray
    if regression:
        gold, note = _gold_scores(split.columns[label_col]), "regression head: raw score"
    else:
        mapping = map_labels(split.columns[label_col], labels,
                             split.class_names.get(label_col, ()))
        gold, note = np.asarray(mapping.ids, dtype=np.int64), mapping.note
    texts = [str(t) if t is not None else "" for t in split.columns[first]]
    pairs = [str(t) if t is not None else "" for t in split.columns[second]] if second else None

    tokenizer, model = load_model(folder, AUTO_CLASS)
    outputs_per_example = int(getattr(model.config, "num_labels", len(labels)))
    if regression != (outputs_per_example == 1) or (
            not regression and outputs_per_example != len(labels)):
        raise NotVerifiable(Reason.MODEL_DOES_NOT_LOAD,
                            f"config has {len(labels)} labels but the head has "
                            f"{outputs_per_example} outputs")
    encodings = tokenizer(texts, pairs, truncation=True, max_length=max_length(tokenizer, model))
    predicted: Any = np.zeros(len(texts), dtype=np.float64 if regression else np.int64)

    def step(batch: list[int], tensors: dict[str, Any]) -> None:
        logits = model(**tensors).logits
        predicted[batch] = (logits[:, 0] if regression else logits.argmax(dim=-1)).numpy()

    run_batches(encodings, batch_size, progress, step, "classifying",
                getattr(tokenizer, "pad_token_id", 0))
    if regression:
        return TaskResult(PairOutputs(predicted, gold), len(texts), (note,))
    return TaskResult(ClassOutputs(gold, predicted, labels), len(texts), (note,), labels)
