"""Reading evaluation data (pyarrow only) and the verify JSON schema (no model needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ptmscope.errors import EvaluationDataError
from ptmscope.perf.datasets_io import load_split


def _parquet(path: Path, rows: dict[str, list[object]]) -> Path:
    import pyarrow as pa
    from pyarrow import parquet

    path.parent.mkdir(parents=True, exist_ok=True)
    parquet.write_table(pa.table(rows), path)
    return path


def test_csv_jsonl_and_parquet_files_read_as_columns(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("text,label\nx,pos\ny,neg\nz,pos\n", encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(
        '{"question": "q", "answers": {"text": ["a"], "answer_start": [0]}}\n',
        encoding="utf-8")
    _parquet(tmp_path / "a.parquet", {"sentence1": ["a", "b"], "score": [1.0, 2.5]})
    csv_split = load_split(tmp_path / "a.csv", limit=2)
    assert csv_split.columns == {"text": ["x", "y"], "label": ["pos", "neg"]}
    assert (csv_split.n_rows, csv_split.total_rows) == (2, 3)
    assert load_split(tmp_path / "a.jsonl").columns["answers"] == [
        {"text": ["a"], "answer_start": [0]}]
    assert load_split(tmp_path / "a.parquet").columns["score"] == [1.0, 2.5]


def test_folder_of_split_files_picks_the_split(tmp_path: Path) -> None:
    _parquet(tmp_path / "data" / "test-00000-of-00001.parquet", {"text": ["t"], "label": [1]})
    _parquet(tmp_path / "data" / "validation-00000-of-00001.parquet",
             {"text": ["v", "w"], "label": [0, 1]})
    assert load_split(tmp_path).columns["text"] == ["t"]
    assert load_split(tmp_path, split="validation").n_rows == 2
    with pytest.raises(EvaluationDataError, match="train"):
        load_split(tmp_path, split="train")


@pytest.mark.parametrize("bad", ["missing.csv", "notes.txt", "broken.parquet"])
def test_unreadable_data_raises_one_error_type(tmp_path: Path, bad: str) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 nope")
    with pytest.raises(EvaluationDataError):
        load_split(tmp_path / bad)


def test_json_payload_without_claims_follows_the_schema(tmp_path: Path) -> None:
    import jsonschema

    from ptmscope.commands.verify import verify_payload
    from ptmscope.perf.verify import verify_model
    from ptmscope.report.schemas import load_schema

    report = verify_model(tmp_path, None)  # an empty folder: no card, so no claim
    payload = json.loads(json.dumps(verify_payload(report, str(tmp_path), stored=False)))
    jsonschema.validate(payload, load_schema("verify"))
    assert payload["verdicts"][0]["reason"] == "no claim"
    assert payload["summary"]["not_verifiable"] == 1
