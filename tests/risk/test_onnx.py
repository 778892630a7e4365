"""ONNX scanner: external data escaping the folder, custom domains, nested graphs, hostile input."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from ptmscope.records import Severity
from ptmscope.risk.base import ScanContext, ScanResult
from ptmscope.risk.onnx_scan import OnnxScanner, location_problem

from .pbuild import ld, onnx_graph, onnx_model, onnx_node, onnx_tensor, vi


def scan(data: bytes, folder: Path | None = None) -> ScanResult:
    ctx = ScanContext("model.onnx", folder=str(folder) if folder else None)
    return OnnxScanner().scan(io.BytesIO(data), ctx)


def test_benign_model_with_local_external_data(tmp_path: Path) -> None:
    (tmp_path / "weights.bin").write_bytes(b"\0" * 16)
    data = onnx_model(onnx_graph([onnx_node("Relu")], (onnx_tensor("w", "weights.bin"),)))
    assert OnnxScanner.sniff(data, "renamed.dat")
    result = scan(data, tmp_path)
    assert result.issues == []
    assert "ONNX-EXTERNAL-DATA-ESCAPE" in result.passed


@pytest.mark.parametrize("location", ["../../etc/passwd", "/etc/passwd", "C:\\Windows\\win.ini",
                                      "sub/../../x", "file:///etc/passwd", ""])
def test_escaping_locations_are_high(location: str, tmp_path: Path) -> None:
    data = onnx_model(onnx_graph([onnx_node("Relu")], (onnx_tensor("w", location),)))
    [issue] = scan(data, tmp_path).issues
    assert issue.rule_id == "ONNX-EXTERNAL-DATA-ESCAPE" and issue.severity is Severity.HIGH


def test_symlink_leaving_the_folder_is_caught(tmp_path: Path) -> None:
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    os.symlink("/etc", model_dir / "data")
    assert location_problem("data/passwd", str(model_dir)) is not None
    assert location_problem("weights.bin", str(model_dir)) is None


def test_external_data_inside_a_nested_if_subgraph_is_found() -> None:
    inner = onnx_graph([onnx_node("Identity")], (onnx_tensor("secret", "/root/.ssh/id_rsa"),))
    data = onnx_model(onnx_graph([onnx_node("If", subgraph=inner)]))
    assert [i.construct for i in scan(data).issues] == ["/root/.ssh/id_rsa"]


def test_custom_domain_medium_runtime_contrib_low_local_function_ignored() -> None:
    local_fn = ld(25, ld(1, "MyFn") + ld(10, "my.local") + ld(7, onnx_node("Relu")))
    data = onnx_model(onnx_graph([onnx_node("Evil", "evil.ops"),
                                  onnx_node("FusedGemm", "com.microsoft"),
                                  onnx_node("MyFn", "my.local")]),
                      ("", "evil.ops", "com.microsoft", "my.local"), local_fn)
    issues = {i.construct: i.severity for i in scan(data).issues}
    assert issues == {"evil.ops::Evil": Severity.MEDIUM, "com.microsoft::FusedGemm": Severity.LOW}


def test_deeply_nested_subgraphs_end_with_a_bound_finding() -> None:
    graph = onnx_graph([onnx_node("Relu")])
    for _ in range(200):
        graph = onnx_graph([onnx_node("If", subgraph=graph)])
    result = scan(onnx_model(graph))
    assert [i.rule_id for i in result.issues] == ["ONNX-MALFORMED"]
    assert result.issues[0].severity is Severity.MEDIUM and result.inconclusive


def test_truncated_model_still_reports_the_escape_seen_before_the_cut() -> None:
    data = onnx_model(onnx_graph([onnx_node("Relu")] * 5, (onnx_tensor("w", "/etc/shadow"),
                                                           onnx_tensor("pad" * 40))))
    result = scan(data[:-50])
    rules = {i.rule_id for i in result.issues}
    assert rules == {"ONNX-MALFORMED", "ONNX-EXTERNAL-DATA-ESCAPE"}


def test_sniff_rejects_non_onnx() -> None:
    assert not OnnxScanner.sniff(b"\x08\x07\x12\x03\x00\x01\x02", "m.onnx")  # binary producer
    assert not OnnxScanner.sniff(b"PK\x03\x04", "m.onnx")
    assert OnnxScanner.sniff(vi(1, 7) + ld(7, ld(1, onnx_node("Relu"))), "x")


def test_sparse_3gb_model_is_walked_without_reading_the_initializer(tmp_path: Path) -> None:
    from ptmscope.risk.dispatch import Dispatcher

    from .pbuild import varint

    size = 3 * 1024**3
    head_tensor = vi(1, 4) + ld(8, "w") + varint(9 << 3 | 2) + varint(size)
    tail = ld(5, onnx_tensor("e", "/etc/passwd"))
    graph_len = len(varint(5 << 3 | 2)) + len(varint(len(head_tensor) + size)) \
        + len(head_tensor) + size + len(tail)
    prefix = (vi(1, 8) + ld(2, "pytorch") + varint(7 << 3 | 2) + varint(graph_len)
              + varint(5 << 3 | 2) + varint(len(head_tensor) + size) + head_tensor)
    path = tmp_path / "model.onnx"
    with path.open("wb") as fh:
        fh.write(prefix)
        fh.seek(size, os.SEEK_CUR)
        fh.write(tail)
    result = Dispatcher().scan_file(path, str(path), str(tmp_path))
    assert result.inconclusive == []
    assert [i.construct for i in result.issues] == ["/etc/passwd"]
    assert result.bytes_read < 1024 * 1024
