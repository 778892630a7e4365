"""Text classification (also sentiment analysis and sentence-pair tasks such as NLI).

Input: one text column (``text``, ``sentence``...) or a pair (``sentence1``/``sentence2``,
``premise``/``hypothesis``...), and a ``label`` column mapped through ``id2label``. The
prediction is the arg-max class of ``AutoModelForSequenceClassification``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ptmscope.perf.datasets_io import LoadedSplit
from ptmscope.perf.metrics import ClassOutputs
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


def run(folder: Path, split: LoadedSplit, *, batch_size: int = 32,
        progress: Progress | None = None) -> TaskResult:
    """Predict every example's class and map the gold labels.

    Raises:
        NotVerifiable: empty split, missing columns, unknown labels, model does not load.
    """
    require_rows(split)
    label_col = find_column(split, LABEL_COLUMNS, "label")
    first, second = _text_columns(split)
    config = read_config(folder)
    if config.get("problem_type") in ("multi_label_classification", "regression") or len(
            id2label(config)) == 1:
        raise NotVerifiable(Reason.TASK_UNSUPPORTED,
                            "multi-label and regression heads are not supported (single-label "
                            "classification only)")
    labels = id2label(config)
    mapping = map_labels(split.columns[label_col], labels, split.class_names.get(label_col, ()))
    texts = [str(t) if t is not None else "" for t in split.columns[first]]
    pairs = [str(t) if t is not None else "" for t in split.columns[second]] if second else None

    tokenizer, model = load_model(folder, AUTO_CLASS)
    model_labels = int(getattr(model.config, "num_labels", len(labels)))
    if model_labels != len(labels):
        raise NotVerifiable(Reason.MODEL_DOES_NOT_LOAD,
                            f"config has {len(labels)} labels but the head has {model_labels}")
    limit = max_length(tokenizer, model)
    encodings = tokenizer(texts, pairs, truncation=True, max_length=limit)
    predicted = np.zeros(len(texts), dtype=np.int64)

    def step(batch: list[int], tensors: dict[str, Any]) -> None:
        logits = model(**tensors).logits
        predicted[batch] = logits.argmax(dim=-1).numpy()

    run_batches(encodings, batch_size, progress, step, "classifying",
                getattr(tokenizer, "pad_token_id", 0))
    outputs = ClassOutputs(np.asarray(mapping.ids, dtype=np.int64), predicted, labels)
    return TaskResult(outputs, len(texts), (mapping.note,), labels)
