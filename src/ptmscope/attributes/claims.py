"""Performance claims: every ``model-index`` result as a row, validated, never dropped.

``huggingface_hub.model_index_to_eval_results`` reads a well-formed ``model-index`` into
``EvalResult`` objects, but ``ModelCardData(ignore_metadata_errors=True)`` silently drops the
whole index when one entry is malformed. The study's measure ("machine-parseable performance
claims") needs the opposite: every entry kept, with what is wrong with it. So this module walks
the raw YAML value itself (the card specification: ``name``, ``results[].task.type``,
``results[].dataset.{type,name}``, ``results[].metrics[].{type,value}``), makes one
:class:`ClaimRow` per metric, and attaches problems to the rows (or to the index when its shape
is wrong). A row whose required keys are all present and whose value is a finite number is
*parseable*; it is then also read through ``EvalResult`` to make sure the library agrees.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: Metric names the Hub and ``evaluate`` know, folded by :func:`metric_key`.
KNOWN_METRICS: frozenset[str] = frozenset(
    {
        "accuracy", "acc", "balancedaccuracy", "top1accuracy", "top5accuracy", "f1", "f1score",
        "precision", "recall", "exactmatch", "em", "bleu", "sacrebleu", "googlebleu", "rouge",
        "rouge1", "rouge2", "rougel", "rougelsum", "meteor", "chrf", "chrfplusplus", "ter",
        "wer", "cer", "perplexity", "ppl", "loss", "evalloss", "mse", "mae", "rmse", "mape",
        "r2", "pearson", "pearsonr", "spearman", "spearmanr", "spearmancorrelation",
        "pearsoncorrelation", "kendalltau", "matthewscorrelation", "mcc", "auc", "rocauc",
        "prauc", "map", "map50", "map5095", "meaniou", "iou", "miou", "dice", "meanaccuracy",
        "bertscore", "bleurt", "comet", "squad", "squadv2", "seqeval", "glue", "superglue",
        "fid", "is", "inceptionscore", "clipscore", "psnr", "ssim", "lpips", "ndcg", "ndcg10",
        "mrr", "mrr10", "recall1", "recall5", "recall10", "hitrate", "cosinepearson",
        "cosinespearman", "bitsperbyte", "bpb", "code_eval", "codeeval", "passat1", "pass1",
        "passatk", "normalizedaccuracy", "accnorm", "truthfulqamc2", "mc2", "emscore", "wer_avg",
    }
)

#: Prefixes that make a variant of a known metric (``f1_macro``, ``accuracy_top1``).
_KNOWN_PREFIXES: tuple[str, ...] = (
    "accuracy", "f1", "precision", "recall", "rouge", "bleu", "map", "ndcg", "recall",
    "exactmatch", "wer", "cer", "pass", "spearman", "pearson", "auc", "mrr",
)

#: Metrics reported as a fraction or a percentage: a value must lie in [0, 100].
_BOUNDED_0_100: tuple[str, ...] = (
    "acc", "f1", "precision", "recall", "exactmatch", "em", "bleu", "sacrebleu", "rouge",
    "meteor", "chrf", "map", "auc", "iou", "miou", "meaniou", "dice", "bertscore", "ndcg",
    "mrr", "hitrate", "top1", "top5", "pass", "squad", "balancedaccuracy", "meanaccuracy",
)
#: Correlations: a value must lie in [-100, 100] (fraction or percentage).
_CORRELATIONS: tuple[str, ...] = ("pearson", "spearman", "kendall", "matthews", "mcc", "cosine")
#: Non-negative measures (errors, losses, distances).
_NON_NEGATIVE: tuple[str, ...] = (
    "wer", "cer", "ter", "perplexity", "ppl", "loss", "mse", "mae", "rmse", "mape", "fid",
    "bitsperbyte", "bpb", "lpips",
)

#: Problems that make a row unusable by a machine (the rest are warnings on a usable row).
BREAKING = (" missing", "not a number", "not a mapping", "not a list")


def metric_key(name: str) -> str:
    """Fold a metric name for matching: lower case, letters and digits only.

    >>> metric_key("Exact-Match")
    'exactmatch'
    """
    return re.sub(r"[^0-9a-z]+", "", name.lower())


def is_known_metric(name: str) -> bool:
    """True when ``name`` is a metric the Hub / ``evaluate`` know (or a variant of one)."""
    key = metric_key(name)
    return key in KNOWN_METRICS or any(key.startswith(p) for p in _KNOWN_PREFIXES)


def range_problem(name: str, value: float) -> str | None:
    """Why ``value`` is out of range for metric ``name``, or None when it is plausible."""
    if not math.isfinite(value):
        return f"value {value} is not finite"
    key = metric_key(name)
    if key.startswith(_CORRELATIONS):
        if not -100 <= value <= 100:
            return f"value {value} is outside [-100, 100] for a correlation"
    elif key.startswith(_BOUNDED_0_100):
        if not 0 <= value <= 100:
            return f"value {value} is outside [0, 100] for {name[:40]!r}"
    elif key.startswith(_NON_NEGATIVE) and value < 0:
        return f"value {value} is negative for {name[:40]!r}"
    return None


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """One claimed metric value.

    Attributes:
        where: the key path in the front matter (``model-index[0].results[1].metrics[0]``).
        model_name: the index entry's ``name``.
        task / task_name: ``task.type`` / ``task.name``.
        dataset / dataset_name / config / split: ``dataset.type`` / ``.name`` / ``.config`` /
            ``.split``.
        metric / metric_name: ``metrics[].type`` / ``.name``.
        value: the value as a number, when it is one.
        raw_value: the value as written (clipped).
        verified: ``metrics[].verified`` (True only for Hub-verified evaluations).
        source_url: ``source.url``, when given.
        problems: what is wrong with the row (empty for a clean row).
    """

    where: str
    model_name: str | None
    task: str | None
    task_name: str | None
    dataset: str | None
    dataset_name: str | None
    config: str | None
    split: str | None
    metric: str | None
    metric_name: str | None
    value: float | None
    raw_value: str | None
    verified: bool | None
    source_url: str | None
    problems: tuple[str, ...] = ()

    @property
    def parseable(self) -> bool:
        """True when a machine can use the row (required keys there, value a number)."""
        return not any(p.endswith(BREAKING) for p in self.problems)


@dataclass(frozen=True, slots=True)
class ClaimsReport:
    """The claims of one card.

    Attributes:
        declared: the card has a ``model-index`` key at all.
        rows: one row per claimed metric, broken ones included.
        problems: problems of the index's shape not tied to one row, as (where, problem).
        line: 1-based line of ``model-index:`` in the card, when known.
    """

    declared: bool
    rows: tuple[ClaimRow, ...] = ()
    problems: tuple[tuple[str, str], ...] = ()
    line: int | None = None

    @property
    def parseable_rows(self) -> tuple[ClaimRow, ...]:
        """Rows a machine can use."""
        return tuple(r for r in self.rows if r.parseable)

    @property
    def broken(self) -> tuple[tuple[str, str], ...]:
        """Every problem, as (where, problem): index-level ones, then per row."""
        return self.problems + tuple((r.where, p) for r in self.rows for p in r.problems)


def _text(value: Any, limit: int = 200) -> str | None:
    if value is None or isinstance(value, Mapping | list):
        return None
    return str(value)[:limit]


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    return None


def _library_agrees(name: Any, result: Mapping[str, Any]) -> str | None:
    """Read one clean result through huggingface_hub; the error text when it refuses."""
    from huggingface_hub.repocard_data import model_index_to_eval_results

    try:
        model_index_to_eval_results([{"name": name, "results": [dict(result)]}])
    except Exception as err:
        return f"huggingface_hub refuses it: {type(err).__name__}: {str(err)[:120]}"
    return None


def _mapping_field(result: Mapping[str, Any], key: str, problems: list[str]) -> Mapping[str, Any]:
    value = result.get(key)
    if value is None:
        problems.append(f"{key} missing")
        return {}
    if not isinstance(value, Mapping):
        problems.append(f"{key} is not a mapping")
        return {}
    return value


def _result_rows(name: Any, result: Any, where: str) -> list[ClaimRow]:
    base: list[str] = []
    if name is None:
        base.append("model-index entry name missing")
    if not isinstance(result, Mapping):
        return [_row(where, name, {}, {}, {}, [*base, "result is not a mapping"])]
    task = _mapping_field(result, "task", base)
    if isinstance(result.get("task"), Mapping) and not _text(task.get("type")):
        base.append("task.type missing")
    dataset = _mapping_field(result, "dataset", base)
    if isinstance(result.get("dataset"), Mapping):
        base += [f"dataset.{k} missing" for k in ("type", "name") if not _text(dataset.get(k))]
    metrics = result.get("metrics")
    if not isinstance(metrics, list) or not metrics:
        problem = "metrics missing" if not metrics else "metrics is not a list"
        return [_row(where, name, task, dataset, {}, [*base, problem])]
    rows: list[ClaimRow] = []
    for index, metric in enumerate(metrics):
        spot = f"{where}.metrics[{index}]"
        problems = list(base)
        if not isinstance(metric, Mapping):
            rows.append(_row(spot, name, task, dataset, {}, [*problems, "metric is not a mapping"]))
            continue
        metric_type = _text(metric.get("type"))
        if not metric_type:
            problems.append("metrics.type missing")
        elif not is_known_metric(metric_type):
            problems.append(f"unknown metric name {metric_type[:60]!r}")
        if "value" not in metric or metric.get("value") is None:
            problems.append("metrics.value missing")
        else:
            number = _as_number(metric["value"])
            if number is None:
                problems.append(f"metrics.value {str(metric['value'])[:40]!r} is not a number")
            elif metric_type and (issue := range_problem(metric_type, number)):
                problems.append(issue)
        source = result.get("source")
        row = _row(spot, name, task, dataset, metric, problems, source)
        if row.parseable:
            refusal = _library_agrees(name, {**result, "metrics": [metric]})
            if refusal:
                row = _row(spot, name, task, dataset, metric, [*problems, refusal], source)
        rows.append(row)
    return rows


def _row(
    where: str,
    name: Any,
    task: Mapping[str, Any],
    dataset: Mapping[str, Any],
    metric: Mapping[str, Any],
    problems: list[str],
    source: Any = None,
) -> ClaimRow:
    verified = metric.get("verified")
    return ClaimRow(
        where=where,
        model_name=_text(name),
        task=_text(task.get("type")),
        task_name=_text(task.get("name")),
        dataset=_text(dataset.get("type")),
        dataset_name=_text(dataset.get("name")),
        config=_text(dataset.get("config")),
        split=_text(dataset.get("split")),
        metric=_text(metric.get("type")),
        metric_name=_text(metric.get("name")),
        value=_as_number(metric.get("value")),
        raw_value=_text(metric.get("value"), 60),
        verified=verified if isinstance(verified, bool) else None,
        source_url=_text(source.get("url")) if isinstance(source, Mapping) else None,
        problems=tuple(problems),
    )


def extract_claims(metadata: Mapping[str, Any] | None, line: int | None = None) -> ClaimsReport:
    """Every claim in the card's raw ``model-index``, validated.

    Args:
        metadata: the raw front matter (None when the card has none).
        line: the line of ``model-index:`` in the card, for evidence.
    Returns:
        the report; ``declared`` is False when there is no ``model-index`` key.

    >>> report = extract_claims({"model-index": [{"name": "m", "results": [{"task": {"type":
    ...     "text-classification"}, "dataset": {"type": "glue", "name": "GLUE"},
    ...     "metrics": [{"type": "accuracy", "value": 0.91}]}]}]})
    >>> [(r.metric, r.value, r.parseable) for r in report.rows]
    [('accuracy', 0.91, True)]
    """
    if not metadata or "model-index" not in metadata:
        return ClaimsReport(declared=False, line=line)
    index = metadata["model-index"]
    problems: list[tuple[str, str]] = []
    if isinstance(index, Mapping):
        problems.append(("model-index", "model-index is a mapping, not a list (read as one entry)"))
        index = [index]
    if not isinstance(index, list):
        problems.append(("model-index", f"model-index is a {type(index).__name__}, not a list"))
        return ClaimsReport(True, (), tuple(problems), line)
    if not index:
        problems.append(("model-index", "model-index is an empty list"))
    rows: list[ClaimRow] = []
    for position, entry in enumerate(index):
        where = f"model-index[{position}]"
        if not isinstance(entry, Mapping):
            problems.append((where, "entry is not a mapping"))
            continue
        results = entry.get("results")
        if results is None:
            problems.append((where, "results missing"))
            continue
        if not isinstance(results, list):
            problems.append((where, "results is not a list"))
            continue
        for number, result in enumerate(results):
            rows += _result_rows(entry.get("name"), result, f"{where}.results[{number}]")
    return ClaimsReport(True, tuple(rows), tuple(problems), line)
