"""Claims: every model-index result becomes a row; broken entries are reported, not dropped."""

from __future__ import annotations

from typing import Any

import pytest

from ptmscope.attributes.claims import extract_claims, is_known_metric, range_problem


def index(*results: Any, name: Any = "m") -> dict[str, Any]:
    return {"model-index": [{"name": name, "results": list(results)}]}


def result(metrics: Any, task: Any = None, dataset: Any = None) -> dict[str, Any]:
    return {
        "task": task if task is not None else {"type": "text-classification"},
        "dataset": dataset if dataset is not None else {"type": "glue", "name": "GLUE",
                                                        "config": "sst2", "split": "test"},
        "metrics": metrics,
    }


def test_a_valid_result_becomes_one_clean_row_per_metric() -> None:
    report = extract_claims(index(result([{"type": "accuracy", "value": 0.9, "verified": True},
                                          {"type": "f1", "value": 88.5}])))
    assert report.declared
    assert [(r.metric, r.value, r.verified, r.parseable) for r in report.rows] == [
        ("accuracy", 0.9, True, True), ("f1", 88.5, None, True)]
    first = report.rows[0]
    assert (first.task, first.dataset, first.config, first.split) == (
        "text-classification", "glue", "sst2", "test")
    assert report.broken == ()


def test_no_model_index_is_not_declared() -> None:
    assert not extract_claims({"license": "mit"}).declared
    assert not extract_claims(None).declared


@pytest.mark.parametrize(
    ("metadata", "expected_problem", "parseable_rows"),
    [
        (index(result([{"type": "accuracy", "value": 1.2e3}])), "outside [0, 100]", 1),
        (index(result([{"type": "wer", "value": -0.1}])), "is negative", 1),
        (index(result([{"type": "made_up", "value": 1}])), "unknown metric name", 1),
        (index(result([{"type": "accuracy", "value": "90%"}])), "is not a number", 0),
        (index(result([{"type": "accuracy"}])), "metrics.value missing", 0),
        (index(result([{"value": 0.5}])), "metrics.type missing", 0),
        (index(result([{"type": "accuracy", "value": 0.5}], dataset={"type": "glue"})),
         "dataset.name missing", 0),
        (index(result([{"type": "accuracy", "value": 0.5}], task={"name": "x"})),
         "task.type missing", 0),
        (index(result("accuracy")), "metrics is not a list", 0),
        (index(result([{"type": "accuracy", "value": 0.5}]), name=None),
         "model-index entry name missing", 0),
        ({"model-index": "nope"}, "not a list", 0),
        ({"model-index": {"name": "m", "results": []}}, "a mapping, not a list", 0),
        ({"model-index": [3]}, "entry is not a mapping", 0),
        ({"model-index": [{"name": "m"}]}, "results missing", 0),
        ({"model-index": []}, "empty list", 0),
        (index(result([{"type": "accuracy", "value": float("nan")}])), "not finite", 1),
    ],
    ids=[
        "an accuracy above 100 is out of range",
        "a negative word error rate is out of range",
        "an unknown metric name is reported",
        "a value written as text is not a number",
        "a metric without a value is broken",
        "a metric without a type is broken",
        "a dataset without a name is broken",
        "a task without a type is broken",
        "metrics that are not a list are broken",
        "an entry without a name is broken",
        "a model-index that is a string is broken",
        "a model-index that is a mapping is reported",
        "an entry that is a number is broken",
        "an entry without results is broken",
        "an empty model-index is reported",
        "a NaN value is reported",
    ],
)
def test_broken_entries_are_reported_not_dropped(
    metadata: dict[str, Any], expected_problem: str, parseable_rows: int
) -> None:
    report = extract_claims(metadata)
    assert report.declared
    assert any(expected_problem in problem for _, problem in report.broken), report.broken
    assert len(report.parseable_rows) == parseable_rows


def test_huggingface_hub_drops_what_we_keep() -> None:
    """The reason this module exists: ModelCardData silently drops a broken index."""
    from huggingface_hub import ModelCardData

    metadata = index(result([{"type": "accuracy", "value": 0.9}]),
                     result([{"type": "accuracy"}]))
    data = ModelCardData(ignore_metadata_errors=True, **metadata)
    assert data.eval_results is None
    report = extract_claims(metadata)
    assert len(report.rows) == 2 and len(report.parseable_rows) == 1


def test_metric_names_and_ranges() -> None:
    assert is_known_metric("Exact-Match") and is_known_metric("f1_macro")
    assert not is_known_metric("vibes")
    assert range_problem("pearson", -0.5) is None
    assert range_problem("spearmanr", -150) is not None
    assert range_problem("perplexity", 12.3) is None
