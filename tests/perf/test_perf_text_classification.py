"""End to end: a tiny text classifier, a card with claims, data whose metrics are known."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from perf_helpers import card_text, result, sentences

from ptmscope.perf.reasons import Reason
from ptmscope.perf.verify import Status, verdict_findings, verify_model

pytestmark = pytest.mark.eval

LABELS = ("negative", "positive")
N = 60
CORRECT = 45  # the first 45 examples get the model's own prediction as gold label


def predict(folder: Path, texts: list[str]) -> list[int]:
    """The model's predictions, computed here independently of ptmscope."""
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    tok = transformers.AutoTokenizer.from_pretrained(folder)
    model = transformers.AutoModelForSequenceClassification.from_pretrained(folder).eval()
    with torch.no_grad():
        logits = model(**tok(texts, padding=True, return_tensors="pt")).logits
    return [int(x) for x in logits.argmax(-1)]


@pytest.fixture(scope="module")
def setup(tiny_factory: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory
          ) -> dict[str, Any]:
    folder = tiny_factory("ForSequenceClassification", labels=LABELS, seed=1)
    texts = sentences(N, seed=7)
    predicted = predict(folder, texts)
    gold = [p if i < CORRECT else 1 - p for i, p in enumerate(predicted)]
    data = tmp_path_factory.mktemp("data") / "test.csv"
    with data.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label"])
        writer.writerows([t, LABELS[g]] for t, g in zip(texts, gold, strict=True))
    return {"folder": folder, "data": data, "gold": gold, "predicted": predicted}


def test_accuracy_claim_matching_the_data_is_consistent_and_wrong_one_discrepant(
    setup: dict[str, Any],
) -> None:
    from sklearn.metrics import accuracy_score, f1_score

    gold, predicted = setup["gold"], setup["predicted"]
    accuracy = accuracy_score(gold, predicted)
    assert accuracy == CORRECT / N
    macro = f1_score(gold, predicted, average="macro")
    (setup["folder"] / "README.md").write_text(card_text([
        result("text-classification", [("accuracy", accuracy), ("f1", macro + 0.2)],
               args={"average": "macro"}),
        result("text-classification", [("accuracy", "95%")]),
    ]), encoding="utf-8")

    report = verify_model(setup["folder"], setup["data"], resamples=300)

    first, second, third = report.verdicts
    assert first.status is Status.CONSISTENT
    assert first.measured == pytest.approx(accuracy)
    assert first.difference_pp == pytest.approx(0.0, abs=1e-9)
    assert first.ci_low is not None and first.ci_high is not None
    assert first.ci_low <= accuracy <= first.ci_high
    assert first.n_examples == N
    assert second.status is Status.DISCREPANT
    assert second.metric == "f1_macro"
    assert second.measured == pytest.approx(macro)
    assert second.difference_pp == pytest.approx(-20.0)
    assert third.claimed == pytest.approx(0.95)  # an explicit percent sign is read as such
    assert third.status is Status.DISCREPANT
    assert report.worst is Status.DISCREPANT

    findings = verdict_findings(report, "huggingface:org/tiny")
    assert [f.outcome.value for f in findings] == ["present", "missing", "missing"]
    assert all(f.analysis == "perf" for f in findings)


def test_limit_evaluates_only_the_first_examples(setup: dict[str, Any]) -> None:
    (setup["folder"] / "README.md").write_text(card_text([
        result("text-classification", [("accuracy", 1.0)])]), encoding="utf-8")
    report = verify_model(setup["folder"], setup["data"], limit=20, resamples=100)
    verdict = report.verdicts[0]
    assert verdict.n_examples == 20
    assert verdict.measured == pytest.approx(1.0)  # the first 20 are all predicted right
    assert verdict.status is Status.CONSISTENT


def test_value_95_for_a_fraction_metric_is_not_verifiable(setup: dict[str, Any]) -> None:
    (setup["folder"] / "README.md").write_text(card_text([
        result("text-classification", [("accuracy", 95)])]), encoding="utf-8")
    verdict = verify_model(setup["folder"], setup["data"], resamples=50).verdicts[0]
    assert verdict.status is Status.NOT_VERIFIABLE
    assert verdict.reason is Reason.VALUE_OUT_OF_RANGE
    assert "fraction" in verdict.message


def test_labels_the_model_does_not_know_are_reported(
    setup: dict[str, Any], tmp_path: Path
) -> None:
    data = tmp_path / "odd.csv"
    data.write_text("text,label\nthe movie,positive\nthe plot,neutral\n", encoding="utf-8")
    (setup["folder"] / "README.md").write_text(card_text([
        result("text-classification", [("accuracy", 0.5)])]), encoding="utf-8")
    verdict = verify_model(setup["folder"], data).verdicts[0]
    assert verdict.status is Status.NOT_VERIFIABLE
    assert verdict.reason is Reason.UNKNOWN_LABELS
    assert "neutral" in verdict.message


def test_datasets_folder_with_class_label_names_and_split(
    setup: dict[str, Any], tmp_path: Path
) -> None:
    datasets = pytest.importorskip("datasets")
    rows = {"sentence": sentences(N, seed=7), "label": setup["gold"]}
    features = datasets.Features({"sentence": datasets.Value("string"),
                                  "label": datasets.ClassLabel(names=list(LABELS))})
    dd = datasets.DatasetDict({
        "validation": datasets.Dataset.from_dict(rows, features=features),
    })
    dd.save_to_disk(str(tmp_path / "ds"))
    (setup["folder"] / "README.md").write_text(card_text([
        result("text-classification", [("accuracy", CORRECT / N)], split="validation")]),
        encoding="utf-8")
    verdict = verify_model(setup["folder"], tmp_path / "ds", resamples=50).verdicts[0]
    assert verdict.status is Status.CONSISTENT, verdict.message
    assert verdict.measured == pytest.approx(CORRECT / N)

    missing = verify_model(setup["folder"], tmp_path / "ds", split="train").verdicts[0]
    assert missing.reason is Reason.DATA_MISSING
    assert "available: validation" in missing.message


def test_empty_split_is_not_verifiable(setup: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "test.csv").write_text("text,label\n", encoding="utf-8")
    (setup["folder"] / "README.md").write_text(card_text([
        result("text-classification", [("accuracy", 0.5)])]), encoding="utf-8")
    verdict = verify_model(setup["folder"], tmp_path).verdicts[0]  # the folder's test.csv
    assert verdict.reason is Reason.EMPTY_SPLIT


def test_regression_head_is_scored_by_correlation(
    tiny_factory: Callable[..., Path], tmp_path: Path
) -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    stats = pytest.importorskip("scipy.stats")
    folder = tiny_factory("ForSequenceClassification", labels=("LABEL_0",), seed=8)
    first, second = sentences(30, seed=41), sentences(30, seed=42)
    tok = transformers.AutoTokenizer.from_pretrained(folder)
    model = transformers.AutoModelForSequenceClassification.from_pretrained(folder).eval()
    with torch.no_grad():
        raw = model(**tok(first, second, padding=True, return_tensors="pt")).logits[:, 0]
    gold = [round(float(x) + 0.3 * ((i * 7) % 5 - 2), 3) for i, x in enumerate(raw)]
    expected = stats.spearmanr(raw.tolist(), gold).statistic
    data = tmp_path / "stsb.csv"
    with data.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["sentence1", "sentence2", "label"])
        writer.writerows(zip(first, second, gold, strict=True))
    (folder / "README.md").write_text(card_text([result(
        "text-classification", [("spearmanr", round(float(expected), 4)), ("pearson", 0.1),
                                ("accuracy", 0.9)], dataset="glue", split="test")]),
        encoding="utf-8")
    spearman, pearson, accuracy = verify_model(folder, data, resamples=100).verdicts
    assert spearman.status is Status.CONSISTENT, spearman.message
    assert spearman.measured == pytest.approx(expected, abs=1e-4)
    assert pearson.status is Status.DISCREPANT
    assert accuracy.reason is Reason.METRIC_UNKNOWN
