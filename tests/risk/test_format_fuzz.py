"""Random and mutated bytes never crash or hang a format scanner (hypothesis)."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptmscope.risk.base import ScanContext, Scanner, ScanResult
from ptmscope.risk.chat_template import ChatTemplateScanner, check_template
from ptmscope.risk.gguf import GgufScanner
from ptmscope.risk.keras_zip import KerasConfigScanner
from ptmscope.risk.lfs import LfsPointerScanner
from ptmscope.risk.onnx_scan import OnnxScanner
from ptmscope.risk.safetensors_scan import SafetensorsScanner
from ptmscope.risk.savedmodel import SavedModelScanner

from .pbuild import (
    onnx_graph,
    onnx_model,
    onnx_node,
    onnx_tensor,
    saved_model,
    tf_function,
    tf_graph,
    tf_node,
)
from .test_gguf import benign as gguf_sample

SEEDS: list[tuple[type[Scanner], bytes]] = [
    (SavedModelScanner, saved_model(tf_graph([tf_node("a", "ReadFile")],
                                             (tf_function("f", [tf_node("b", "PyFunc")]),)))),
    (OnnxScanner, onnx_model(onnx_graph([onnx_node("Relu", "x.y")], (onnx_tensor("w", "a"),)))),
    (GgufScanner, gguf_sample()),
    (SafetensorsScanner, b'\x40\x00\x00\x00\x00\x00\x00\x00{"a":{"dtype":"F32","shape":[1],'
                         b'"data_offsets":[0,4]}}          \x00\x00\x00\x00'),
    (ChatTemplateScanner, b'{"chat_template": "{{ messages[0].content }}"}'),
    (KerasConfigScanner, b'{"class_name": "Sequential", "config": {"layers": []}}'),
    (LfsPointerScanner, b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"a" * 64
                        + b"\nsize 3\n"),
]
FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _run(cls: type[Scanner], data: bytes) -> ScanResult:
    result = cls().scan(io.BytesIO(data), ScanContext("fuzz", size=len(data)))
    assert isinstance(result, ScanResult)
    return result


@pytest.mark.parametrize("cls,seed", SEEDS, ids=[c.id for c, _ in SEEDS])
@FUZZ
@given(data=st.data())
def test_mutated_samples_never_crash(cls: type[Scanner], seed: bytes, data: st.DataObject) -> None:
    mutated = bytearray(seed)
    for _ in range(data.draw(st.integers(1, 8))):
        pos = data.draw(st.integers(0, len(mutated) - 1))
        mutated[pos] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(mutated)))
    _run(cls, bytes(mutated[:cut]))


@pytest.mark.parametrize("cls", [c for c, _ in SEEDS], ids=[c.id for c, _ in SEEDS])
@FUZZ
@given(blob=st.binary(max_size=512))
def test_random_bytes_never_crash(cls: type[Scanner], blob: bytes) -> None:
    _run(cls, blob)


@FUZZ
@given(text=st.text(alphabet=st.sampled_from(list("{}%#-+'\"\\_()[]|.~ axrw0")), max_size=300))
def test_template_checker_never_crashes(text: str) -> None:
    check_template(text, "t")
