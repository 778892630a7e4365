"""SavedModel scanner: ops in the graph and in nested library functions, hostile protobufs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ptmscope.records import Severity
from ptmscope.risk import protobuf_wire as pw
from ptmscope.risk.base import ScanContext, ScanResult
from ptmscope.risk.onnx_scan import OnnxScanner
from ptmscope.risk.savedmodel import SavedModelScanner

from .pbuild import (
    ld,
    onnx_graph,
    onnx_model,
    onnx_node,
    saved_model,
    tf_function,
    tf_graph,
    tf_node,
)

BENIGN = saved_model(tf_graph(
    [tf_node("x", "Placeholder"), tf_node("w", "Const"), tf_node("y", "MatMul"),
     tf_node("save/SaveV2", "SaveV2"), tf_node("save/RestoreV2", "RestoreV2")],
    [tf_function("__inference_call_1", [tf_node("relu", "Relu")])]),
    ("MatMul", "SaveV2", "RestoreV2"))


def scan(data: bytes) -> ScanResult:
    return SavedModelScanner().scan(io.BytesIO(data), ScanContext("saved_model.pb"))


def test_benign_graph_has_no_issues_and_is_sniffed() -> None:
    assert SavedModelScanner.sniff(BENIGN[:4096], "renamed.bin")
    result = scan(BENIGN)
    assert result.issues == []
    assert "SAVEDMODEL-DANGEROUS-OP" in result.passed
    assert result.inconclusive == []


def test_pyfunc_hidden_in_a_nested_library_function_is_critical() -> None:
    data = saved_model(tf_graph(
        [tf_node("call", "StatefulPartitionedCall")],
        [tf_function("__inference_f_9", [tf_node("inner", "EagerPyFunc", token="pyfunc_0")])]))
    result = scan(data)
    [issue] = [i for i in result.issues if i.construct == "EagerPyFunc"]
    assert issue.severity is Severity.CRITICAL
    assert "function __inference_f_9" in issue.location
    assert "pyfunc_0" in issue.message


@pytest.mark.parametrize("op,severity", [("ReadFile", Severity.HIGH),
                                         ("WriteFile", Severity.HIGH),
                                         ("MatchingFiles", Severity.MEDIUM),
                                         ("PyFunc", Severity.CRITICAL)])
def test_file_and_python_ops_in_the_main_graph_are_flagged(op: str, severity: Severity) -> None:
    result = scan(saved_model(tf_graph([tf_node("n", op)])))
    assert [(i.construct, i.severity) for i in result.issues] == [(op, severity)]


def test_printv2_only_flagged_when_it_writes_to_a_file() -> None:
    to_file = scan(saved_model(tf_graph([tf_node("p", "PrintV2", output_stream="file:///tmp/x")])))
    to_stderr = scan(saved_model(tf_graph([tf_node("p", "PrintV2", output_stream="stderr")])))
    assert [i.construct for i in to_file.issues] == ["PrintV2"]
    assert to_stderr.issues == []


def test_op_only_in_stripped_op_list_is_reported() -> None:
    result = scan(saved_model(tf_graph([tf_node("a", "Add")]), ("Add", "WriteFile")))
    assert [i.location.split(" ")[0] for i in result.issues] == ["stripped_op_list"]


def test_keras_lambda_in_object_graph_metadata_is_flagged() -> None:
    meta = b'{"class_name": "Lambda", "config": {"function": ["YWJj", null, null]}}'
    data = saved_model(tf_graph([tf_node("a", "Add")])) + ld(3, meta)
    assert any(i.rule_id == "SAVEDMODEL-KERAS-LAMBDA" for i in scan(data).issues)


def test_truncated_file_reports_what_it_saw_and_is_inconclusive() -> None:
    data = saved_model(tf_graph([tf_node("r", "ReadFile"), tf_node("pad", "Const" * 50)]))
    result = scan(data[:-60])
    rules = {i.rule_id for i in result.issues}
    assert "SAVEDMODEL-MALFORMED" in rules
    assert any(i.construct == "ReadFile" for i in result.issues)
    assert result.inconclusive


@pytest.mark.parametrize("data", [
    b"\x08\x01\x12\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f",  # 10-byte length varint, huge
    b"\x08\x01\x12\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01",  # over-long varint
    b"\x08\x01\x12\x05\x0f\x0f\x0f\x0f\x0f",  # invalid wire type 7 inside
])
def test_hostile_lengths_end_with_a_finding(data: bytes) -> None:
    result = scan(data)
    assert result.issues and result.inconclusive


def test_field_budget_bounds_a_field_flood(monkeypatch: pytest.MonkeyPatch) -> None:
    flood = b"".join(ld(1, tf_node(f"n{i}", "Add")) for i in range(1000))
    with pytest.raises(pw.WireError) as err:
        for _ in pw.iter_fields(flood, 0, len(flood), pw.Budget(max_fields=500)):
            pass
    assert err.value.bound_hit
    small = pw.Budget(max_fields=300)
    monkeypatch.setattr(pw, "Budget", lambda: small)
    result = scan(saved_model(tf_graph([tf_node(f"n{i}", "Add") for i in range(1000)])))
    [issue] = result.issues
    assert issue.rule_id == "SAVEDMODEL-MALFORMED" and issue.severity is Severity.MEDIUM
    assert result.inconclusive


def test_memory_mapped_file_is_scanned(tmp_path: Path) -> None:
    path = tmp_path / "saved_model.pb"
    path.write_bytes(saved_model(tf_graph([tf_node("w", "WriteFile")])))
    with path.open("rb") as fh:
        result = SavedModelScanner().scan(fh, ScanContext(str(path)))
    assert [i.construct for i in result.issues] == ["WriteFile"]


def test_savedmodel_and_onnx_sniffers_do_not_claim_each_other() -> None:
    onnx = onnx_model(onnx_graph([onnx_node("Relu")]))
    assert OnnxScanner.sniff(onnx, "model.bin") and not SavedModelScanner.sniff(onnx, "x")
    assert not OnnxScanner.sniff(BENIGN, "model.onnx")
    assert not SavedModelScanner.sniff(b"\x80\x04\x95", "saved_model.pb")


def test_keras_metadata_file_is_sniffed_by_name_and_lambda_found() -> None:
    meta = ld(1, ld(4, '{"class_name": "Lambda", "config": {}}'))
    assert SavedModelScanner.sniff(meta, "variables/../keras_metadata.pb")
    assert [i.rule_id for i in scan(meta).issues] == ["SAVEDMODEL-KERAS-LAMBDA"]
