"""safetensors header validation: benign files pass, every malformation is a finding."""

from __future__ import annotations

import io
import json
import struct
from typing import Any

import pytest

from ptmscope.records import Severity
from ptmscope.risk.base import ScanContext, ScanResult
from ptmscope.risk.safetensors_scan import SafetensorsScanner


def build(header: dict[str, Any] | str, data: bytes, declared: int | None = None) -> bytes:
    raw = header if isinstance(header, str) else json.dumps(header)
    encoded = raw.encode()
    length = len(encoded) if declared is None else declared
    return struct.pack("<Q", length) + encoded + data


def scan(blob: bytes) -> ScanResult:
    return SafetensorsScanner().scan(io.BytesIO(blob), ScanContext("model.safetensors"))


GOOD_HEADER = {
    "__metadata__": {"format": "pt"},
    "a": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
    "b": {"dtype": "BF16", "shape": [4], "data_offsets": [16, 24]},
}


def rules(result: ScanResult) -> set[str]:
    return {i.rule_id for i in result.issues}


def test_benign_file_is_clean_and_sniffed() -> None:
    blob = build(GOOD_HEADER, b"\0" * 24)
    assert SafetensorsScanner.sniff(blob[:4096], "weights.bin")
    result = scan(blob)
    assert result.issues == [] and result.inconclusive == []
    assert result.bytes_read < 200  # tensor bytes are never read


@pytest.mark.parametrize("header,data,expected", [
    ({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
      "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}, 12, "SAFETENSORS-OFFSETS"),
    ({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
      "b": {"dtype": "F32", "shape": [2], "data_offsets": [16, 24]}}, 24,
     "SAFETENSORS-HIDDEN-DATA"),
    ({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, 4096,
     "SAFETENSORS-HIDDEN-DATA"),
    ({"a": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}, 8, "SAFETENSORS-OFFSETS"),
    ({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8000]}}, 8,
     "SAFETENSORS-OFFSETS"),
    ({"a": {"dtype": "F32", "shape": [2], "data_offsets": [8, 0]}}, 8, "SAFETENSORS-OFFSETS"),
    ({"a": {"dtype": "Q4", "shape": [2], "data_offsets": [0, 8]}}, 8, "SAFETENSORS-DTYPE"),
    ({"a": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}, 8, "SAFETENSORS-SHAPE"),
    ({"a": {"dtype": "F32", "shape": [True, 2], "data_offsets": [0, 8]}}, 8,
     "SAFETENSORS-SHAPE"),
    ({"a": [1, 2]}, 0, "SAFETENSORS-HEADER"),
    ({"__metadata__": {"k": 3}}, 0, "SAFETENSORS-METADATA"),
    ({"__metadata__": {"k": "__import__('os').system('id')"}}, 0, "SAFETENSORS-METADATA"),
    ({"__metadata__": {"k": "A" * 600}}, 0, "SAFETENSORS-METADATA"),
    ({"__metadata__": ["x"]}, 0, "SAFETENSORS-METADATA"),
], ids=["overlap", "gap", "trailing bytes", "dtype*shape != range", "past buffer",
        "inverted range", "unknown dtype", "negative dim", "bool dim", "entry not object",
        "metadata not str", "metadata code", "metadata blob", "metadata not object"])
def test_malformed_headers_are_reported(header: dict[str, Any], data: int, expected: str) -> None:
    assert expected in rules(scan(build(header, b"\0" * data)))


@pytest.mark.parametrize("blob,why", [
    (build(GOOD_HEADER, b"", declared=1 << 39), "cap"),
    (build(GOOD_HEADER, b"", declared=5000), "runs past the file"),
    (build(GOOD_HEADER, b"", declared=(1 << 27)), "cap"),
    (build("[1, 2]", b""), "not an object"),
    (build('{"a": 1, "a": 2}', b""), "duplicate key"),
    (build('{"a": NaN}', b""), "not valid JSON"),
    (build("{" + "[" * 100_000, b""), "not valid JSON"),
    (b"\x05\x00", "shorter"),
    (build('{"a": {"dtype"', b""), "not valid JSON"),
], ids=["huge length", "past file", "over cap", "array", "duplicate", "nan", "deep nesting", "tiny",
        "truncated json"])
def test_hostile_headers_end_with_a_high_finding(blob: bytes, why: str) -> None:
    result = scan(blob)
    [issue] = result.issues
    assert issue.rule_id == "SAFETENSORS-HEADER" and issue.severity is Severity.HIGH
    assert why in issue.message and result.inconclusive


def test_sniff_needs_a_json_object_after_the_length() -> None:
    assert not SafetensorsScanner.sniff(b"\x80\x04\x95" + b"\0" * 20, "model.safetensors")
    assert not SafetensorsScanner.sniff(struct.pack("<Q", 10) + b"[]", "model.safetensors")


def test_lora_style_metadata_is_not_an_alarm() -> None:
    metadata = {"format": "pt", "ss_network_module": "networks.lora",
                "modelspec.thumbnail": "data:image/jpeg;base64," + "A" * 4000,
                "ss_tag_frequency": json.dumps({"set": {"cat": 3, "dog": 2}})}
    header = {"__metadata__": metadata, "w": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]}}
    assert scan(build(header, b"\0" * 4)).issues == []
