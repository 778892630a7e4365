"""Fill-mask, top-1: does the model's best token for the one mask equal the target word?

Input: a text column holding exactly one mask (the tokenizer's own mask token, or ``[MASK]`` /
``<mask>``, which are rewritten to it) and a target column with the expected word. A target that
is not a single token of the vocabulary can never be predicted, so it is reported as an unknown
label rather than scored as a miss.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ptmscope.perf.datasets_io import LoadedSplit
from ptmscope.perf.metrics import ExampleScores
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

TASK_ID = "fill-mask"
AUTO_CLASS = "AutoModelForMaskedLM"
_PLACEHOLDERS = ("[MASK]", "<mask>")


def _target_ids(tokenizer: Any, word: str) -> set[int]:
    """Vocabulary ids that spell ``word`` as one token (with or without a leading space)."""
    ids: set[int] = set()
    for variant in (word, " " + word):
        encoded = tokenizer(variant, add_special_tokens=False)["input_ids"]
        if len(encoded) == 1:
            ids.add(int(encoded[0]))
    ids.discard(getattr(tokenizer, "unk_token_id", None) or -1)
    return ids


def run(folder: Path, split: LoadedSplit, *, batch_size: int = 32,
        progress: Progress | None = None) -> TaskResult:
    """Predict the masked token of every example.

    Raises:
        NotVerifiable: empty split, missing columns, malformed masks, unknown targets,
            model does not load.
    """
    require_rows(split)
    text_col = find_column(split, ("text", "sentence", "masked_text", "input"), "text")
    target_col = find_column(split, ("target", "label", "answer", "masked_token", "word"),
                             "target")
    read_config(folder)
    tokenizer, model = load_model(folder, AUTO_CLASS)
    mask = tokenizer.mask_token
    if not mask:
        raise NotVerifiable(Reason.MODEL_DOES_NOT_LOAD, "the tokenizer has no mask token")
    texts = []
    for raw in split.columns[text_col]:
        text = str(raw or "")
        for placeholder in _PLACEHOLDERS:
            text = text.replace(placeholder, mask)
        texts.append(text)
    bad = sum(1 for t in texts if t.count(mask) != 1)
    if bad:
        raise NotVerifiable(Reason.DATA_MALFORMED, f"{bad} texts do not hold exactly one mask")
    targets = [str(t or "").strip() for t in split.columns[target_col]]
    target_ids = [_target_ids(tokenizer, t) for t in targets]
    unknown = [t for t, ids in zip(targets, target_ids, strict=True) if not ids]
    if unknown:
        raise NotVerifiable(
            Reason.UNKNOWN_LABELS,
            f"{len(unknown)} targets are not single tokens of the vocabulary: "
            + ", ".join(repr(u)[:30] for u in unknown[:5]),
        )
    encodings = tokenizer(texts, truncation=True, max_length=max_length(tokenizer, model))
    mask_id = tokenizer.mask_token_id
    correct = np.zeros(len(texts))

    def step(batch: list[int], tensors: dict[str, Any]) -> None:
        logits = model(**tensors).logits
        ids = tensors["input_ids"]
        for row, example in enumerate(batch):
            where = (ids[row] == mask_id).nonzero()
            if len(where) != 1:
                continue  # mask truncated away: a miss
            best = int(logits[row, int(where[0][0])].argmax())
            correct[example] = float(best in target_ids[example])

    run_batches(encodings, batch_size, progress, step, "filling masks",
                getattr(tokenizer, "pad_token_id", 0))
    return TaskResult(ExampleScores({"correct": correct}), len(texts),
                      ("top-1 token compared with the target word",))
