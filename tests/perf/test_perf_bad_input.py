"""Bad input gives a 'not verifiable' verdict with its reason, never a crash."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from perf_helpers import card_text, result

from ptmscope.perf.reasons import Reason
from ptmscope.perf.tiny_model import (
    write_tiny_card,
    write_tiny_dataset,
    write_tiny_text_classifier,
)
from ptmscope.perf.verify import Status, verify_model

CLAIM = result("text-classification", [("accuracy", 0.8)])


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, float]:
    """A tiny classifier written without torch, a dataset, and its known accuracy."""
    root = tmp_path_factory.mktemp("tiny")
    write_tiny_text_classifier(root / "model", seed=0)
    accuracy = write_tiny_dataset(root / "test.csv", n=40, positive_share=0.75)
    return root / "model", root / "test.csv", accuracy


def _folder_with_card(tmp_path: Path, *results: dict[str, object]) -> Path:
    folder = tmp_path / "m"
    folder.mkdir(exist_ok=True)
    (folder / "README.md").write_text(card_text(list(results)), encoding="utf-8")
    return folder


def _one(folder: Path, data: Path | str | None, **kw: object) -> tuple[Status, Reason | None,
                                                                      str]:
    verdict = verify_model(folder, data, **kw).verdicts[0]  # type: ignore[arg-type]
    return verdict.status, verdict.reason, verdict.message


@pytest.mark.eval
def test_tiny_model_written_without_torch_loads_and_scores_as_promised(
    tiny: tuple[Path, Path, float]
) -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    model_dir, data, accuracy = tiny
    model = transformers.AutoModelForSequenceClassification.from_pretrained(model_dir)
    reference = transformers.BertForSequenceClassification(model.config)
    assert set(model.state_dict()) == set(reference.state_dict())
    tok = transformers.AutoTokenizer.from_pretrained(model_dir)
    with torch.no_grad():
        logits = model(**tok(["the movie was bad", "great fun"], padding=True,
                             return_tensors="pt")).logits
    assert logits.argmax(-1).tolist() == [1, 1]  # always the last label, by construction
    write_tiny_card(model_dir, accuracy=0.95)
    verdict = verify_model(model_dir, data, resamples=50).verdicts[0]
    assert verdict.measured == pytest.approx(accuracy) == pytest.approx(0.75)
    assert verdict.status is Status.DISCREPANT
    assert verdict.difference_pp == pytest.approx(-20.0)


@pytest.mark.eval
def test_dataset_without_label_column(tiny: tuple[Path, Path, float], tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    model_dir, _, _ = tiny
    write_tiny_card(model_dir, accuracy=0.9)
    data = tmp_path / "nolabel.csv"
    data.write_text("text,sentiment\nthe film,positive\n", encoding="utf-8")
    status, reason, message = _one(model_dir, data)
    assert (status, reason) == (Status.NOT_VERIFIABLE, Reason.COLUMN_MISSING)
    assert "label" in message and "sentiment" in message


@pytest.mark.eval
@pytest.mark.parametrize("breakage", ["no weights", "pickle only", "corrupt safetensors",
                                      "config is not JSON"])
def test_model_that_does_not_load(tiny: tuple[Path, Path, float], tmp_path: Path,
                                  breakage: str) -> None:
    pytest.importorskip("transformers")
    model_dir, data, _ = tiny
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("config.json", "vocab.txt", "tokenizer_config.json"):
        (broken / name).write_bytes((model_dir / name).read_bytes())
    if breakage == "pickle only":
        (broken / "pytorch_model.bin").write_bytes(b"PK\x03\x04 not really a zip")
    elif breakage == "corrupt safetensors":
        (broken / "model.safetensors").write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{oops")
    elif breakage == "config is not JSON":
        (broken / "config.json").write_text("{not json", encoding="utf-8")
        (broken / "model.safetensors").write_bytes((model_dir / "model.safetensors")
                                                   .read_bytes())
    write_tiny_card(broken, accuracy=0.9)
    status, reason, message = _one(broken, data)
    assert (status, reason) == (Status.NOT_VERIFIABLE, Reason.MODEL_DOES_NOT_LOAD), message
    if breakage == "pickle only":
        assert "pickle" in message


def test_no_claim_and_no_card(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    assert _one(folder, None)[1] is Reason.NO_CLAIM
    (folder / "README.md").write_text("---\nlicense: mit\n---\n# hi\n", encoding="utf-8")
    status, reason, message = _one(folder, None)
    assert (status, reason) == (Status.NOT_VERIFIABLE, Reason.NO_CLAIM)
    assert "model-index" in message
    (folder / "README.md").write_text("---\nlicense: [unclosed\n---\n", encoding="utf-8")
    assert _one(folder, None)[1] is Reason.NO_CLAIM


@pytest.mark.eval
@pytest.mark.parametrize(("results", "reason"), [
    ([result("image-classification", [("accuracy", 0.9)])], Reason.TASK_UNSUPPORTED),
    ([result("text-classification", [("bleu", 0.3)])], Reason.METRIC_UNKNOWN),
    ([result("text-classification", [("accuracy", "high")])], Reason.CLAIM_NOT_NUMERIC),
    ([result("text-classification", [("accuracy", 95)])], Reason.VALUE_OUT_OF_RANGE),
    ([result("text-classification", [("accuracy", -0.2)])], Reason.VALUE_OUT_OF_RANGE),
], ids=["an image task is unsupported", "bleu is not a classification metric",
        "a word is not a value", "95 is not a fraction", "a negative accuracy"])
def test_claims_that_cannot_be_checked(tiny: tuple[Path, Path, float], tmp_path: Path,
                                       results: list[dict[str, object]], reason: Reason) -> None:
    pytest.importorskip("transformers")
    model_dir, data, _ = tiny
    folder = tmp_path / "copy"
    folder.mkdir()
    for f in model_dir.iterdir():
        if f.name != "README.md":
            (folder / f.name).write_bytes(f.read_bytes())
    (folder / "README.md").write_text(card_text(results), encoding="utf-8")
    status, got, _message = _one(folder, data, resamples=20)
    assert (status, got) == (Status.NOT_VERIFIABLE, reason)


@pytest.mark.eval
def test_data_missing(tiny: tuple[Path, Path, float], tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    folder = _folder_with_card(tmp_path, CLAIM)
    status, reason, message = _one(folder, None)
    assert (status, reason) == (Status.NOT_VERIFIABLE, Reason.DATA_MISSING)
    assert "tiny-data" in message  # names the dataset the claim names
    assert _one(folder, tmp_path / "missing.parquet")[1] is Reason.DATA_MISSING
    assert _one(folder, "surely-not-a-cached-dataset-name")[1] is Reason.DATA_MISSING
    (tmp_path / "data.txt").write_text("x", encoding="utf-8")
    assert _one(folder, tmp_path / "data.txt")[1] is Reason.DATA_MISSING


def test_perf_imports_and_cheap_checks_run_without_the_eval_extra(tmp_path: Path) -> None:
    code = f"""
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('torch', 'transformers', 'datasets', 'evaluate', 'sklearn',
                                  'scipy'):
            raise ImportError('blocked ' + name)
sys.meta_path.insert(0, Block())
import ptmscope.cli, ptmscope.perf.runner, ptmscope.perf.verify
from ptmscope.perf.runner import run_all
from ptmscope.store import Store
from ptmscope.perf.verify import eval_extra_missing
with Store({str(tmp_path / 's.duckdb')!r}) as store:
    print(run_all(store).counts['models'])
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "0"
