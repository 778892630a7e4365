"""The metrics ptmscope can recompute, each as a vectorised statistic over resamples.

A task evaluation yields one of four *outputs* (the predictions a metric needs):

* ``ClassOutputs``: gold and predicted class ids (text classification);
* ``ExampleScores``: one score per example per name (QA exact match / token F1, fill-mask hit);
* ``EntityOutputs``: per-example entity and token counts (token classification, seqeval-style);
* ``PairOutputs``: predicted and gold similarity scores (sentence similarity).

Every metric is a ``MetricSpec`` whose ``statistic(outputs, idx)`` takes an index matrix of shape
``(B, n)`` (row ``b`` = the examples of resample ``b``) and returns ``B`` values, so the point
estimate (``idx = arange(n)``) and the bootstrap (``bootstrap.py``) share one implementation
and the bootstrap runs as a few numpy operations instead of ``B`` Python loops. Metrics
scikit-learn or scipy provide and that do not vectorise (MCC) loop over rows; those libraries
are imported inside the function that needs them.

``evaluate`` is deliberately not used to compute metrics: its metric modules are Python
scripts fetched from the Hub and executed, which a supply-chain auditor should not do; the
metrics it would provide here (accuracy, F1, precision, recall, SQuAD, seqeval, Spearman,
Pearson, MCC) are implemented above or taken from scikit-learn / scipy, and tests check them
against those libraries.

Scales: ``fraction`` metrics lie in [0, 1] (accuracy, F1...), ``percent`` in [0, 100] (SQuAD's
exact match and F1, as ``evaluate``'s ``squad`` metric reports them), ``correlation`` in
[-1, 1]. Differences are reported in percentage points (correlation points times 100).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


class Scale(StrEnum):
    """The range a metric's values live in, which decides how a claim is read."""

    FRACTION = "fraction"
    PERCENT = "percent"
    CORRELATION = "correlation"

    @property
    def bounds(self) -> tuple[float, float]:
        """Lowest and highest legal value."""
        return {"fraction": (0.0, 1.0), "percent": (0.0, 100.0),
                "correlation": (-1.0, 1.0)}[self.value]

    @property
    def to_points(self) -> float:
        """Factor turning a difference on this scale into percentage points."""
        return 1.0 if self is Scale.PERCENT else 100.0


@dataclass(frozen=True, slots=True)
class ClassOutputs:
    """Single-label classification predictions.

    Attributes:
        y_true / y_pred: class ids (``config.json`` ids) per example.
        labels: the model's label names, indexed by id.
    """

    y_true: IntArray
    y_pred: IntArray
    labels: tuple[str, ...]

    @property
    def n(self) -> int:
        """Number of examples."""
        return int(self.y_true.shape[0])


@dataclass(frozen=True, slots=True)
class ExampleScores:
    """Per-example scores, one array per score name (``exact_match``, ``f1``, ``correct``)."""

    scores: Mapping[str, FloatArray]

    @property
    def n(self) -> int:
        """Number of examples."""
        return int(next(iter(self.scores.values())).shape[0]) if self.scores else 0


@dataclass(frozen=True, slots=True)
class EntityOutputs:
    """Per-example counts for entity-level (seqeval-style, exact span match) metrics.

    Attributes:
        true_positive / predicted / gold: entity counts per example.
        tokens_correct / tokens_total: token-level label agreement per example.
    """

    true_positive: FloatArray
    predicted: FloatArray
    gold: FloatArray
    tokens_correct: FloatArray
    tokens_total: FloatArray

    @property
    def n(self) -> int:
        """Number of examples."""
        return int(self.gold.shape[0])


@dataclass(frozen=True, slots=True)
class PairOutputs:
    """Predicted and gold scores of sentence pairs."""

    predicted: FloatArray
    gold: FloatArray

    @property
    def n(self) -> int:
        """Number of examples."""
        return int(self.gold.shape[0])


Outputs = ClassOutputs | ExampleScores | EntityOutputs | PairOutputs
Statistic = Callable[[Any, IntArray], FloatArray]


@dataclass(frozen=True, slots=True)
class MetricSpec:
    """A metric ptmscope recomputes.

    Attributes:
        id: canonical id (``f1_macro``).
        title: human name.
        scale: how its values (and claims) are read.
        outputs: the outputs type it needs.
        statistic: vectorised computation, see the module docstring.
        note: how it is computed, when that is a choice (averaging, positive class...).
    """

    id: str
    title: str
    scale: Scale
    outputs: type
    statistic: Statistic = field(repr=False)
    note: str = ""

    def compute(self, outputs: Outputs) -> float:
        """The point estimate over all examples."""
        n = outputs.n
        return float(self.statistic(outputs, np.arange(n, dtype=np.int64)[None, :])[0])


# --- classification ------------------------------------------------------------------------
def _confusion(out: ClassOutputs, idx: IntArray) -> FloatArray:
    """Confusion counts per resample, shape (B, k, k): [b, true, pred]."""
    k = max(len(out.labels), int(max(out.y_true.max(initial=0), out.y_pred.max(initial=0))) + 1)
    codes = out.y_true[idx] * k + out.y_pred[idx]
    rows = idx.shape[0]
    offsets = (np.arange(rows, dtype=np.int64) * k * k)[:, None]
    counts = np.bincount((codes + offsets).ravel(), minlength=rows * k * k)
    return counts.reshape(rows, k, k).astype(np.float64)


def _safe_div(num: FloatArray, den: FloatArray) -> FloatArray:
    """num / den with 0 where den is 0 (scikit-learn's zero_division=0)."""
    out = np.zeros_like(num)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _per_class(out: ClassOutputs, idx: IntArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    conf = _confusion(out, idx)
    tp = np.diagonal(conf, axis1=1, axis2=2)
    predicted = conf.sum(axis=1)
    actual = conf.sum(axis=2)
    return tp, predicted, actual


def _accuracy(out: ClassOutputs, idx: IntArray) -> FloatArray:
    hits = (out.y_true == out.y_pred).astype(np.float64)
    return np.asarray(hits[idx].mean(axis=1), dtype=np.float64)


def _averaged(kind: str, average: str) -> Statistic:
    """precision / recall / f1 with scikit-learn's averaging rules (zero_division=0)."""

    def stat(out: ClassOutputs, idx: IntArray) -> FloatArray:
        tp, predicted, actual = _per_class(out, idx)
        if average == "micro":
            tp, predicted, actual = (x.sum(axis=1, keepdims=True) for x in (tp, predicted, actual))
        if kind == "precision":
            per = _safe_div(tp, predicted)
        elif kind == "recall":
            per = _safe_div(tp, actual)
        else:
            per = _safe_div(2 * tp, predicted + actual)
        if average == "micro":
            return per[:, 0]
        if average == "binary":
            return per[:, 1] if per.shape[1] > 1 else np.zeros(per.shape[0])
        if average == "weighted":
            return _safe_div((per * actual).sum(axis=1), actual.sum(axis=1))
        present = (predicted + actual) > 0  # sklearn averages over labels seen in y_true|y_pred
        return _safe_div((per * present).sum(axis=1), present.sum(axis=1).astype(np.float64))

    return stat


def _balanced_accuracy(out: ClassOutputs, idx: IntArray) -> FloatArray:
    tp, _predicted, actual = _per_class(out, idx)
    present = actual > 0
    recall = _safe_div(tp, actual)
    return _safe_div((recall * present).sum(axis=1), present.sum(axis=1).astype(np.float64))


def _matthews(out: ClassOutputs, idx: IntArray) -> FloatArray:
    from sklearn.metrics import matthews_corrcoef

    return np.array([matthews_corrcoef(out.y_true[row], out.y_pred[row]) for row in idx],
                    dtype=np.float64)


# --- per-example scores, entities, pairs ---------------------------------------------------
def _mean_of(name: str) -> Statistic:
    def stat(out: ExampleScores, idx: IntArray) -> FloatArray:
        values = np.asarray(out.scores[name], dtype=np.float64)
        return np.asarray(values[idx].mean(axis=1), dtype=np.float64)

    return stat


def _entity(kind: str) -> Statistic:
    def stat(out: EntityOutputs, idx: IntArray) -> FloatArray:
        tp = out.true_positive[idx].sum(axis=1)
        predicted = out.predicted[idx].sum(axis=1)
        gold = out.gold[idx].sum(axis=1)
        if kind == "precision":
            return _safe_div(tp, predicted)
        if kind == "recall":
            return _safe_div(tp, gold)
        if kind == "accuracy":
            return _safe_div(out.tokens_correct[idx].sum(axis=1),
                             out.tokens_total[idx].sum(axis=1))
        return _safe_div(2 * tp, predicted + gold)

    return stat


def _row_pearson(x: FloatArray, y: FloatArray) -> FloatArray:
    xc = x - x.mean(axis=1, keepdims=True)
    yc = y - y.mean(axis=1, keepdims=True)
    den = np.sqrt((xc * xc).sum(axis=1) * (yc * yc).sum(axis=1))
    return _safe_div((xc * yc).sum(axis=1), den)


def _pearson(out: PairOutputs, idx: IntArray) -> FloatArray:
    return _row_pearson(out.predicted[idx], out.gold[idx])


def _spearman(out: PairOutputs, idx: IntArray) -> FloatArray:
    from scipy.stats import rankdata

    ranked_x = np.asarray(rankdata(out.predicted[idx], axis=1), dtype=np.float64)
    ranked_y = np.asarray(rankdata(out.gold[idx], axis=1), dtype=np.float64)
    return _row_pearson(ranked_x, ranked_y)


# --- the table -----------------------------------------------------------------------------
F, P, C = Scale.FRACTION, Scale.PERCENT, Scale.CORRELATION

METRICS: tuple[MetricSpec, ...] = (
    MetricSpec("accuracy", "Accuracy", F, ClassOutputs, _accuracy),
    MetricSpec("balanced_accuracy", "Balanced accuracy", F, ClassOutputs, _balanced_accuracy),
    *(MetricSpec(f"{kind}_{avg}", f"{kind.title()} ({avg})", F, ClassOutputs,
                 _averaged(kind, avg),
                 "positive class = id 1" if avg == "binary" else f"{avg} average")
      for kind in ("f1", "precision", "recall")
      for avg in ("binary", "macro", "micro", "weighted")),
    MetricSpec("matthews_correlation", "Matthews correlation", C, ClassOutputs, _matthews),
    MetricSpec("squad_exact_match", "Exact match (SQuAD)", P, ExampleScores,
               _mean_of("exact_match"), "SQuAD answer normalisation, best over gold answers"),
    MetricSpec("squad_f1", "Token F1 (SQuAD)", P, ExampleScores, _mean_of("f1"),
               "SQuAD answer normalisation, best over gold answers"),
    MetricSpec("top1_accuracy", "Top-1 accuracy", F, ExampleScores, _mean_of("correct"),
               "the top-1 token equals the target word"),
    *(MetricSpec(f"entity_{kind}", f"Entity {kind} (seqeval-style)", F, EntityOutputs,
                 _entity(kind), "exact span match, micro average over entities")
      for kind in ("f1", "precision", "recall")),
    MetricSpec("token_accuracy", "Token accuracy", F, EntityOutputs, _entity("accuracy"),
               "first sub-token of each word"),
    MetricSpec("spearman", "Spearman correlation", C, PairOutputs, _spearman,
               "cosine similarity of the embeddings against the gold score"),
    MetricSpec("pearson", "Pearson correlation", C, PairOutputs, _pearson,
               "cosine similarity of the embeddings against the gold score"),
)

METRICS_BY_ID: Mapping[str, MetricSpec] = {m.id: m for m in METRICS}

_ALIASES: Mapping[str, str] = {
    "acc": "accuracy", "exact_match": "exact_match", "em": "exact_match", "exact": "exact_match",
    "top_1_accuracy": "top1_accuracy", "top1_accuracy": "top1_accuracy", "top_1": "top1_accuracy",
    "mcc": "matthews_correlation", "matthews_corrcoef": "matthews_correlation",
    "spearmanr": "spearman", "cosine_spearman": "spearman", "spearman_correlation": "spearman",
    "spearman_cosine": "spearman", "pearsonr": "pearson", "cosine_pearson": "pearson",
    "pearson_cosine": "pearson", "pearson_correlation": "pearson",
}
_AVERAGES = ("binary", "macro", "micro", "weighted")


def normalise_metric_name(name: str) -> str:
    """``"F1 Macro"`` -> ``"f1_macro"``; ``"macro-f1"`` -> ``"f1_macro"``."""
    text = "_".join(name.strip().lower().replace("-", " ").replace("_", " ").split())
    for avg in _AVERAGES:  # macro_f1 -> f1_macro
        for kind in ("f1", "precision", "recall"):
            if text == f"{avg}_{kind}" or text == f"{kind}_{avg}" or text == f"{avg}_avg_{kind}":
                return f"{kind}_{avg}"
    return _ALIASES.get(text, text)


def resolve_metric(
    name: str, task: str, args: Mapping[str, Any] | None = None, n_classes: int | None = None
) -> MetricSpec | None:
    """The metric a claim names, read in the context of its task.

    ``f1``/``precision``/``recall`` without an average take the card's ``args.average``, else
    ``binary`` for two classes and ``macro`` otherwise (``evaluate``'s own default is binary,
    which fails for more than two classes). In token classification they are entity-level
    (seqeval), in question answering ``f1`` and ``exact_match`` are SQuAD's, in fill-mask
    ``accuracy`` is top-1 accuracy.

    Returns:
        the spec, or None when ptmscope cannot recompute that metric for that task.

    Example:
        >>> resolve_metric("F1", "text-classification", {"average": "macro"}).id
        'f1_macro'
    """
    key = normalise_metric_name(name)
    if task == "question-answering":
        key = {"exact_match": "squad_exact_match", "f1": "squad_f1"}.get(key, key)
    elif task == "token-classification":
        key = {"f1": "entity_f1", "precision": "entity_precision", "recall": "entity_recall",
               "accuracy": "token_accuracy", "overall_f1": "entity_f1",
               "overall_precision": "entity_precision", "overall_recall": "entity_recall",
               "overall_accuracy": "token_accuracy"}.get(key, key)
    elif task == "fill-mask":
        key = {"accuracy": "top1_accuracy", "exact_match": "top1_accuracy"}.get(key, key)
    elif task == "sentence-similarity":
        pass
    else:
        if key == "exact_match":
            key = "accuracy"
        if key in ("f1", "precision", "recall"):
            average = str((args or {}).get("average") or "")
            if average not in _AVERAGES:
                average = "binary" if n_classes == 2 else "macro"
            key = f"{key}_{average}"
    spec = METRICS_BY_ID.get(key)
    return spec
