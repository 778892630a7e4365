"""Token classification (named entities, chunking): seqeval-style entity metrics.

Input: a ``tokens`` column (a list of words per example) and a tag column (``ner_tags``,
``tags``...; ids or names) mapped through ``id2label``. Each word's prediction is the class of
its first sub-token; words cut off by truncation are predicted ``O`` (and counted in a note).
Entities are IOB/IOB2 spans (``B-PER I-PER``); a span counts as found only when type, start
and end all match (seqeval's default, micro-averaged over entities).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ptmscope.perf.datasets_io import LoadedSplit
from ptmscope.perf.metrics import EntityOutputs
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

TASK_ID = "token-classification"
AUTO_CLASS = "AutoModelForTokenClassification"

TOKEN_COLUMNS = ("tokens", "words")
TAG_COLUMNS = ("ner_tags", "tags", "labels", "label", "ner", "chunk_tags", "pos_tags")


def entity_spans(tags: Sequence[str]) -> set[tuple[str, int, int]]:
    """IOB/IOB2 entity spans ``(type, start, end_exclusive)``.

    An ``I-X`` after ``O`` or after another type starts a new entity (seqeval's lenient
    default); ``E-``/``S-`` prefixes are read as ``I-``/``B-``.

    >>> sorted(entity_spans(["B-PER", "I-PER", "O", "I-LOC"]))
    [('LOC', 3, 4), ('PER', 0, 2)]
    """
    spans: set[tuple[str, int, int]] = set()
    current: tuple[str, int] | None = None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-") if "-" in tag else (tag, "", "")
        prefix = prefix.upper()
        begins = prefix in ("B", "S") or (prefix in ("I", "E") and (
            current is None or current[0] != kind))
        if current is not None and (begins or prefix not in ("I", "E")):
            spans.add((current[0], current[1], i))
            current = None
        if begins:
            current = (kind, i)
    return spans


def run(folder: Path, split: LoadedSplit, *, batch_size: int = 32,
        progress: Progress | None = None) -> TaskResult:
    """Tag every word and count entity matches per example.

    Raises:
        NotVerifiable: empty split, missing columns, unknown tags, model does not load.
    """
    require_rows(split)
    token_col = find_column(split, TOKEN_COLUMNS, "tokens")
    tag_col = find_column(split, TAG_COLUMNS, "tag")
    words = [[str(w) for w in (row or [])] for row in split.columns[token_col]]
    tag_rows = [list(row or []) for row in split.columns[tag_col]]
    if any(len(w) != len(t) for w, t in zip(words, tag_rows, strict=True)):
        raise NotVerifiable(Reason.DATA_MALFORMED, "tokens and tags differ in length")
    labels = id2label(read_config(folder))
    flat = [t for row in tag_rows for t in row]
    mapping = map_labels(flat, labels, split.class_names.get(tag_col, ()))
    gold_ids: list[list[int]] = []
    pos = 0
    for row in tag_rows:
        gold_ids.append(list(mapping.ids[pos:pos + len(row)]))
        pos += len(row)

    tokenizer, model = load_model(folder, AUTO_CLASS)
    if not getattr(tokenizer, "is_fast", False):
        raise NotVerifiable(Reason.MODEL_DOES_NOT_LOAD, "needs a fast tokenizer for word ids")
    encodings = tokenizer(words, is_split_into_words=True, truncation=True,
                          max_length=max_length(tokenizer, model))
    outside = next((i for i, name in enumerate(labels) if name.upper() == "O"), 0)
    predicted = [[outside] * len(w) for w in words]

    def step(batch: list[int], tensors: dict[str, Any]) -> None:
        best = model(**tensors).logits.argmax(dim=-1).numpy()
        for row, example in enumerate(batch):
            seen: set[int] = set()
            for position, word in enumerate(encodings.word_ids(example)):
                if word is not None and word not in seen:
                    seen.add(word)
                    predicted[example][word] = int(best[row, position])

    run_batches(encodings, batch_size, progress, step, "tagging",
                getattr(tokenizer, "pad_token_id", 0))
    n = len(words)
    tp, n_pred, n_gold, correct, total = (np.zeros(n) for _ in range(5))
    for i in range(n):
        gold_tags = [labels[k] for k in gold_ids[i]]
        pred_tags = [labels[k] for k in predicted[i]]
        gold_spans, pred_spans = entity_spans(gold_tags), entity_spans(pred_tags)
        tp[i], n_pred[i], n_gold[i] = len(gold_spans & pred_spans), len(pred_spans), len(
            gold_spans)
        correct[i] = sum(g == p for g, p in zip(gold_ids[i], predicted[i], strict=True))
        total[i] = len(gold_ids[i])
    truncated = sum(
        1 for i in range(n)
        if len({w for w in encodings.word_ids(i) if w is not None}) < len(words[i]))
    notes = [mapping.note]
    if truncated:
        notes.append(f"{truncated} examples truncated; cut words predicted as O")
    return TaskResult(EntityOutputs(tp, n_pred, n_gold, correct, total), n, tuple(notes), labels)
