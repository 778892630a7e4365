"""GGUF header sanity and the embedded chat template, on files built with struct.pack."""

from __future__ import annotations

import io
import struct

import pytest

from ptmscope.records import Severity
from ptmscope.risk.base import ScanContext, ScanResult
from ptmscope.risk.gguf import GgufScanner


def gstr(text: str | bytes) -> bytes:
    data = text.encode() if isinstance(text, str) else text
    return struct.pack("<Q", len(data)) + data


def kv_string(key: str, value: str) -> bytes:
    return gstr(key) + struct.pack("<I", 8) + gstr(value)


def kv_u32(key: str, value: int) -> bytes:
    return gstr(key) + struct.pack("<I", 4) + struct.pack("<I", value)


def kv_string_array(key: str, values: list[str]) -> bytes:
    return (gstr(key) + struct.pack("<I", 9) + struct.pack("<IQ", 8, len(values))
            + b"".join(gstr(v) for v in values))


def tensor_info(name: str, dims: list[int], ggml_type: int, offset: int) -> bytes:
    return (gstr(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
            + struct.pack("<IQ", ggml_type, offset))


def build(kvs: list[bytes], tensors: list[bytes], data: bytes, *, version: int = 3,
          tensor_count: int | None = None, kv_count: int | None = None) -> bytes:
    header = b"GGUF" + struct.pack("<I", version) + struct.pack(
        "<QQ", len(tensors) if tensor_count is None else tensor_count,
        len(kvs) if kv_count is None else kv_count)
    body = header + b"".join(kvs) + b"".join(tensors)
    pad = (-len(body)) % 32
    return body + b"\0" * pad + data


def scan(blob: bytes) -> ScanResult:
    return GgufScanner().scan(io.BytesIO(blob), ScanContext("model.gguf"))


BENIGN_TEMPLATE = ("{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
                   "{{ message['content'] }}<|im_end|>\n{% endfor %}")


def benign(template: str = BENIGN_TEMPLATE) -> bytes:
    return build([kv_string("general.architecture", "llama"), kv_u32("general.alignment", 32),
                  kv_string_array("tokenizer.ggml.tokens", ["<s>", "</s>", "a"]),
                  kv_string("tokenizer.chat_template", template)],
                 [tensor_info("tok_embd", [4], 0, 0), tensor_info("out", [32], 8, 32)],
                 b"\0" * 16 + b"\0" * 16 + b"\0" * 34)


def test_benign_gguf_is_clean() -> None:
    blob = benign()
    assert GgufScanner.sniff(blob[:4096], "x.bin")
    result = scan(blob)
    assert result.issues == [] and result.inconclusive == []


def test_malicious_chat_template_in_gguf_is_critical() -> None:
    payload = "{{ cycler.__init__.__globals__.os.popen('id').read() }}"
    result = scan(benign(payload))
    assert {i.format for i in result.issues} == {"gguf"}
    assert max(i.severity.rank for i in result.issues) >= 0
    assert any(i.severity is Severity.CRITICAL and i.construct == "__globals__"
               for i in result.issues)
    assert all(i.location.startswith("tokenizer.chat_template") for i in result.issues)


@pytest.mark.parametrize("blob,needle", [
    (build([], [], b"", kv_count=1 << 60), "metadata entries cannot fit"),
    (build([], [], b"", tensor_count=1 << 40), "tensors cannot fit"),
    (build([gstr("k") + struct.pack("<I", 8) + struct.pack("<Q", 1 << 50)], [], b""),
     "does not fit"),
    (build([gstr("k") + struct.pack("<I", 9) + struct.pack("<IQ", 4, 1 << 50)], [], b""),
     "array of"),
    (build([gstr("k") + struct.pack("<I", 9) + struct.pack("<IQ", 9, 1)
            + struct.pack("<IQ", 9, 1) + struct.pack("<IQ", 9, 1)], [], b""), "nested"),
    (build([gstr("k") + struct.pack("<I", 77)], [], b""), "unknown metadata value type"),
    (build([], [tensor_info("t", [1, 1, 1, 1, 1], 0, 0)], b""), "dimensions"),
    (build([], [tensor_info("t", [4], 200, 0)], b""), "unknown ggml type"),
    (build([kv_u32("general.alignment", 3)], [], b""), "power of two"),
    (b"GGUF" + struct.pack("<I", 99) + b"\0" * 16, "version 99"),
    (b"GGUF\x03\x00", "bad magic"),
    (benign()[:60], "cannot fit"),
    (benign()[:200], "does not fit"),
], ids=["kv count", "tensor count", "string length", "array length", "nested arrays",
        "value type", "dims", "ggml type", "alignment", "version", "short",
        "truncated counts", "truncated"])
def test_hostile_headers_end_with_a_finding(blob: bytes, needle: str) -> None:
    result = scan(blob)
    assert any(needle in i.message for i in result.issues), [i.message for i in result.issues]
    assert result.inconclusive


def test_tensor_past_the_data_section_and_misaligned_are_reported() -> None:
    blob = build([], [tensor_info("big", [1 << 30], 0, 0), tensor_info("odd", [1], 0, 3)],
                 b"\0" * 64)
    issues = scan(blob).issues
    assert {(i.rule_id, i.construct) for i in issues} >= {("GGUF-TENSOR-RANGE", "big"),
                                                          ("GGUF-TENSOR-RANGE", "odd")}


def test_overlapping_tensors_are_reported() -> None:
    blob = build([], [tensor_info("a", [8], 0, 0), tensor_info("b", [8], 0, 0)], b"\0" * 32)
    assert any("overlaps" in i.message for i in scan(blob).issues)
