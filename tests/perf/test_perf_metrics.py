"""Metrics against scikit-learn / scipy, the bootstrap, and claim parsing (no model needed)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ptmscope.perf.bootstrap import bootstrap_interval
from ptmscope.perf.claims import claims_from_metadata, parse_value
from ptmscope.perf.metrics import (
    METRICS_BY_ID,
    ClassOutputs,
    EntityOutputs,
    ExampleScores,
    PairOutputs,
    normalise_metric_name,
    resolve_metric,
)


def _outputs(y_true: list[int], y_pred: list[int], k: int) -> ClassOutputs:
    return ClassOutputs(np.array(y_true, dtype=np.int64), np.array(y_pred, dtype=np.int64),
                        tuple(f"c{i}" for i in range(k)))


labels_strategy = st.integers(2, 4).flatmap(lambda k: st.tuples(
    st.just(k),
    st.lists(st.tuples(st.integers(0, k - 1), st.integers(0, k - 1)), min_size=1, max_size=40)))


@pytest.mark.eval
@pytest.mark.filterwarnings("ignore::UserWarning")
@settings(max_examples=40, deadline=None)
@given(labels_strategy)
def test_classification_metrics_equal_scikit_learn(case: tuple[int, list[tuple[int, int]]]
                                                   ) -> None:
    skm = pytest.importorskip("sklearn.metrics")

    k, pairs = case
    y_true, y_pred = [t for t, _ in pairs], [p for _, p in pairs]
    out = _outputs(y_true, y_pred, k)
    assert METRICS_BY_ID["accuracy"].compute(out) == pytest.approx(
        skm.accuracy_score(y_true, y_pred))
    for kind, fn in (("f1", skm.f1_score), ("precision", skm.precision_score),
                     ("recall", skm.recall_score)):
        for avg in ("macro", "micro", "weighted"):
            assert METRICS_BY_ID[f"{kind}_{avg}"].compute(out) == pytest.approx(
                fn(y_true, y_pred, average=avg, zero_division=0)), (kind, avg)
        assert METRICS_BY_ID[f"{kind}_binary"].compute(out) == pytest.approx(
            fn(y_true, y_pred, labels=[1], average="micro", zero_division=0))
    assert METRICS_BY_ID["balanced_accuracy"].compute(out) == pytest.approx(
        skm.balanced_accuracy_score(y_true, y_pred))


@pytest.mark.eval
def test_spearman_and_pearson_equal_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")

    rng = np.random.default_rng(3)
    gold = rng.integers(0, 5, 50).astype(float)  # ties, as STS scores have
    predicted = gold + rng.normal(0, 1.5, 50)
    out = PairOutputs(predicted, gold)
    assert METRICS_BY_ID["spearman"].compute(out) == pytest.approx(
        stats.spearmanr(predicted, gold).statistic)
    assert METRICS_BY_ID["pearson"].compute(out) == pytest.approx(
        stats.pearsonr(predicted, gold).statistic)


def test_entity_metrics_are_micro_over_entities() -> None:
    out = EntityOutputs(np.array([1.0, 0.0]), np.array([2.0, 1.0]), np.array([1.0, 2.0]),
                        np.array([4.0, 3.0]), np.array([5.0, 5.0]))
    assert METRICS_BY_ID["entity_precision"].compute(out) == pytest.approx(1 / 3)
    assert METRICS_BY_ID["entity_recall"].compute(out) == pytest.approx(1 / 3)
    assert METRICS_BY_ID["token_accuracy"].compute(out) == pytest.approx(0.7)


@pytest.mark.parametrize(("name", "task", "args", "classes", "expected"), [
    ("accuracy", "text-classification", None, 2, "accuracy"),
    ("F1", "text-classification", None, 2, "f1_binary"),
    ("f1", "text-classification", None, 3, "f1_macro"),
    ("f1", "text-classification", {"average": "weighted"}, 3, "f1_weighted"),
    ("macro-f1", "text-classification", None, 2, "f1_macro"),
    ("F1 Micro", "text-classification", None, 2, "f1_micro"),
    ("exact_match", "question-answering", None, None, "squad_exact_match"),
    ("f1", "question-answering", None, None, "squad_f1"),
    ("f1", "token-classification", None, None, "entity_f1"),
    ("accuracy", "fill-mask", None, None, "top1_accuracy"),
    ("cosine_spearman", "sentence-similarity", None, None, "spearman"),
    ("mcc", "text-classification", None, 2, "matthews_correlation"),
], ids=lambda v: str(v))
def test_claimed_metric_names_resolve_in_their_task(
    name: str, task: str, args: dict[str, str] | None, classes: int | None, expected: str
) -> None:
    spec = resolve_metric(name, task, args, classes)
    assert spec is not None and spec.id == expected


def test_unknown_metric_resolves_to_none() -> None:
    assert resolve_metric("bleu", "text-classification") is None
    assert normalise_metric_name("Macro F1") == "f1_macro"


def test_bootstrap_is_seeded_bounded_and_brackets_the_estimate() -> None:
    rng = np.random.default_rng(0)
    out = ExampleScores({"correct": (rng.random(500) < 0.7).astype(float)})
    spec = METRICS_BY_ID["top1_accuracy"]
    first = bootstrap_interval(spec, out, resamples=400, seed=1)
    again = bootstrap_interval(spec, out, resamples=400, seed=1)
    assert first == again
    assert first is not None
    value = spec.compute(out)
    assert first.low < value < first.high
    assert 0.02 < first.high - first.low < 0.2  # about 2 x 1.96 x sqrt(.21/500) = 0.08
    assert bootstrap_interval(spec, ExampleScores({"correct": np.zeros(0)})) is None


@pytest.mark.eval
def test_bootstrap_of_macro_f1_matches_a_loop_over_resamples() -> None:
    f1_score = pytest.importorskip("sklearn.metrics").f1_score

    rng = np.random.default_rng(5)
    y_true, y_pred = rng.integers(0, 3, 80), rng.integers(0, 3, 80)
    out = ClassOutputs(y_true, y_pred, ("a", "b", "c"))
    idx = np.random.default_rng(9).integers(0, 80, size=(25, 80))
    vectorised = METRICS_BY_ID["f1_macro"].statistic(out, idx)
    looped = [f1_score(y_true[r], y_pred[r], average="macro", zero_division=0) for r in idx]
    assert vectorised == pytest.approx(looped)


@pytest.mark.parametrize(("raw", "expected"), [
    (0.91, (0.91, False)), ("91.3", (91.3, False)), ("91.3 ± 0.2", (91.3, False)),
    ("95%", (95.0, True)), ("n/a", (None, False)), (True, (None, False)), (None, (None, False)),
], ids=lambda v: repr(v))
def test_claim_values_parse_without_guessing_the_scale(raw: object, expected: object) -> None:
    assert parse_value(raw) == expected


def test_claims_come_from_the_model_index_and_survive_a_broken_entry() -> None:
    good = {"task": {"type": "text-classification"},
            "dataset": {"type": "imdb", "name": "IMDB", "split": "test"},
            "metrics": [{"type": "accuracy", "value": 0.93}, {"type": "f1", "value": "0.9"}]}
    claims = claims_from_metadata({"model-index": [{"name": "m", "results": [good]}]})
    assert [(c.metric_type, c.value, c.dataset_split) for c in claims.claims] == [
        ("accuracy", 0.93, "test"), ("f1", 0.9, "test")]
    broken = claims_from_metadata({"model-index": [{"name": "m", "results": [
        good, {"task": "oops", "metrics": "none"}, {"metrics": [{"value": 1}]}]}]})
    assert len(broken.claims) == 2
    assert broken.problems
    assert claims_from_metadata({"license": "mit"}).has_model_index is False
    assert claims_from_metadata({"model-index": []}).claims == ()
