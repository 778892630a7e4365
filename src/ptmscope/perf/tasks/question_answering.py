"""Extractive question answering, scored like SQuAD (exact match and token F1, 0-100).

Input: ``question``, ``context`` and ``answers`` (SQuAD's ``{"text": [...], ...}`` or a plain
string / list of strings). The predicted answer is the best-scoring span of the context
(start <= end, at most ``MAX_ANSWER_TOKENS`` tokens). A context longer than the model's input
is read in overlapping windows (document stride, as SQuAD evaluation scripts do) and the best
span over all its windows is the answer; the number of such contexts is given in a note.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Mapping, Sequence
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

TASK_ID = "question-answering"
AUTO_CLASS = "AutoModelForQuestionAnswering"
MAX_ANSWER_TOKENS = 30
#: Longest window fed to the model (SQuAD's usual setting), and the overlap between windows.
WINDOW_TOKENS = 384
STRIDE_TOKENS = 128
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = set(string.punctuation)


def normalize_answer(text: str) -> str:
    """SQuAD's normalisation: lower case, no punctuation, no articles, single spaces.

    >>> normalize_answer("The  Eiffel Tower!")
    'eiffel tower'
    """
    text = "".join(ch for ch in text.lower() if ch not in _PUNCT)
    return " ".join(_ARTICLES.sub(" ", text).split())


def token_f1(prediction: str, gold: str) -> float:
    """SQuAD token-overlap F1 of two answers (0..1)."""
    pred_tokens, gold_tokens = normalize_answer(prediction).split(), normalize_answer(gold).split()
    if not pred_tokens or not gold_tokens:
        return float(pred_tokens == gold_tokens)
    common = sum((Counter(pred_tokens) & Counter(gold_tokens)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred_tokens), common / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def gold_answers(value: Any) -> list[str]:
    """The gold answer texts of one row, whatever shape the column has."""
    if isinstance(value, Mapping):
        value = value.get("text", [])
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence):
        return [str(v) for v in value if v is not None]
    return []


def score_answer(prediction: str, golds: Sequence[str]) -> tuple[float, float]:
    """``(exact_match, f1)`` of one prediction on SQuAD's 0-100 scale, best over the golds."""
    if not golds:
        return 0.0, 0.0
    exact = max(float(normalize_answer(prediction) == normalize_answer(g)) for g in golds)
    f1 = max(token_f1(prediction, g) for g in golds)
    return 100.0 * exact, 100.0 * f1


def _best_span(
    start: np.ndarray, end: np.ndarray, allowed: np.ndarray
) -> tuple[int, int, float]:
    """Best (start, end, score) token pair among context tokens, end >= start, bounded length."""
    start = np.where(allowed, start, -np.inf)
    end = np.where(allowed, end, -np.inf)
    scores = start[:, None] + end[None, :]
    n = len(start)
    band = np.triu(np.ones((n, n), dtype=bool)) & ~np.triu(np.ones((n, n), dtype=bool),
                                                           k=MAX_ANSWER_TOKENS)
    scores = np.where(band, scores, -np.inf)
    flat = int(np.argmax(scores))
    return flat // n, flat % n, float(scores.flat[flat])


def run(folder: Path, split: LoadedSplit, *, batch_size: int = 16,
        progress: Progress | None = None) -> TaskResult:
    """Answer every question and score it against the gold answers.

    Raises:
        NotVerifiable: empty split, missing columns, model does not load.
    """
    require_rows(split)
    q_col = find_column(split, ("question", "query"), "question")
    c_col = find_column(split, ("context", "passage"), "context")
    a_col = find_column(split, ("answers", "answer", "answer_text"), "answers")
    read_config(folder)
    questions = [str(q or "") for q in split.columns[q_col]]
    contexts = [str(c or "") for c in split.columns[c_col]]
    golds = [gold_answers(a) for a in split.columns[a_col]]
    if not any(golds):
        raise NotVerifiable(Reason.DATA_MALFORMED, "no gold answers in the answers column")

    tokenizer, model = load_model(folder, AUTO_CLASS)
    if not getattr(tokenizer, "is_fast", False):
        raise NotVerifiable(Reason.MODEL_DOES_NOT_LOAD, "needs a fast tokenizer for offsets")
    window = min(WINDOW_TOKENS, max_length(tokenizer, model))
    # every window keeps the question, so the context part is shorter than the window
    encodings = tokenizer(questions, contexts, truncation="only_second", max_length=window,
                          stride=min(STRIDE_TOKENS, window // 4),
                          return_overflowing_tokens=True, return_offsets_mapping=True)
    example_of = list(encodings["overflow_to_sample_mapping"])
    best: list[tuple[float, str]] = [(-np.inf, "")] * len(questions)

    def step(batch: list[int], tensors: dict[str, Any]) -> None:
        out = model(**tensors)
        starts, ends = out.start_logits.numpy(), out.end_logits.numpy()
        for row, feature in enumerate(batch):
            example = example_of[feature]
            sequence = encodings.sequence_ids(feature)
            offsets = encodings["offset_mapping"][feature]
            allowed = np.zeros(starts.shape[1], dtype=bool)
            allowed[: len(sequence)] = [s == 1 for s in sequence]
            if not allowed.any():
                continue
            s, e, score = _best_span(starts[row], ends[row], allowed)
            if score > best[example][0]:  # the best span over all windows of the context
                best[example] = (score, contexts[example][offsets[s][0]:offsets[e][1]])

    tensors_only = {k: v for k, v in encodings.items()
                    if k not in ("offset_mapping", "overflow_to_sample_mapping")}
    run_batches(tensors_only, batch_size, progress, step, "answering",
                getattr(tokenizer, "pad_token_id", 0))
    answers = [text for _, text in best]
    scored = [score_answer(a, g) for a, g in zip(answers, golds, strict=True)]
    exact = np.array([s[0] for s in scored])
    f1 = np.array([s[1] for s in scored])
    windowed = sum(1 for n in Counter(example_of).values() if n > 1)
    notes = ["SQuAD scoring (0-100), best over gold answers"]
    if windowed:
        notes.append(f"{windowed} contexts longer than the model's {window}-token input were "
                     f"read in overlapping windows (stride {min(STRIDE_TOKENS, window // 4)})")
    return TaskResult(ExampleScores({"exact_match": exact, "f1": f1}), len(questions),
                      tuple(notes))
