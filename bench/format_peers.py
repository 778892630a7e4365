"""Non-pickle formats: ptmscope vs modelscan on crafted Keras / TF / ONNX / GGUF / template /
safetensors samples (malicious and benign), built in code and only ever read as bytes.

picklescan and fickling only read pickles, so modelscan (which has Keras Lambda and
TensorFlow op scanners) is the peer here. modelscan's SavedModel and .keras scanners need
tensorflow, which the bench extra does not install: their files count as not flagged, with the
reason printed. The sample builders are the ones the tests use (tests/risk).

Run: ``.venv/bin/python bench/format_peers.py``
"""

from __future__ import annotations

import json
import struct
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from ptmscope.records import Severity  # noqa: E402
from ptmscope.risk.dispatch import Dispatcher  # noqa: E402
from risk import test_keras as K  # noqa: E402
from risk.pbuild import (  # noqa: E402
    onnx_graph,
    onnx_model,
    onnx_node,
    onnx_tensor,
    saved_model,
    tf_function,
    tf_graph,
    tf_node,
)
from risk.test_gguf import benign as gguf  # noqa: E402

Builder = Callable[[Path], None]


def _write(data: bytes) -> Builder:
    return lambda path: path.write_bytes(data)


def _h5(config: dict[str, object]) -> Builder:
    return lambda path: K.h5_file(path, {"model_config": json.dumps(config).encode()})


def _safetensors(header: dict[str, object], data: bytes) -> bytes:
    raw = json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + data


K2_LAMBDA = {"class_name": "Sequential", "config": {"layers": [
    {"class_name": "Lambda", "config": {"function": [K.FAKE_BYTECODE, None, None],
                                        "function_type": "lambda"}}]}}
K2_BENIGN = {"class_name": "Sequential", "config": {"layers": [
    {"class_name": "Dense", "config": {"units": 3}}]}}
TEMPLATE_OK = "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}{% endfor %}"

# (format, file name, malicious, builder)
SAMPLES: list[tuple[str, str, bool, Builder]] = [
    ("keras-v3", "lambda.keras", True, _write(K.keras_zip(K.keras3_model(K.dense("d"),
                                                                         K.LAMBDA3)))),
    ("keras-v3", "os_module.keras", True, _write(K.keras_zip(K.keras3_model(
        {**K.dense("e"), "config": {"activation": K.OS_FUNCTION}})))),
    ("keras-v3", "benign.keras", False, _write(K.keras_zip(K.keras3_model(K.dense("d"))))),
    ("keras-h5", "lambda.h5", True, _h5(K2_LAMBDA)),
    ("keras-h5", "benign.h5", False, _h5(K2_BENIGN)),
    ("savedmodel", "pyfunc/saved_model.pb", True, _write(saved_model(tf_graph(
        [tf_node("c", "StatefulPartitionedCall")],
        (tf_function("f", [tf_node("p", "PyFunc")]),))))),
    ("savedmodel", "readfile/saved_model.pb", True, _write(saved_model(tf_graph(
        [tf_node("r", "ReadFile"), tf_node("w", "WriteFile")])))),
    ("savedmodel", "benign/saved_model.pb", False, _write(saved_model(tf_graph(
        [tf_node("x", "MatMul"), tf_node("s", "SaveV2")])))),
    ("onnx", "escape.onnx", True, _write(onnx_model(onnx_graph(
        [onnx_node("Relu")], (onnx_tensor("w", "../../../etc/passwd"),))))),
    ("onnx", "benign.onnx", False, _write(onnx_model(onnx_graph([onnx_node("Relu")])))),
    ("gguf", "template.gguf", True, _write(gguf("{{ lipsum.__globals__['os'].popen('id') }}"))),
    ("gguf", "benign.gguf", False, _write(gguf(TEMPLATE_OK))),
    ("chat-template", "evil/tokenizer_config.json", True, _write(json.dumps(
        {"chat_template": "{{ ''|attr('__cla' ~ 'ss__') }}"}).encode())),
    ("chat-template", "ok/tokenizer_config.json", False, _write(json.dumps(
        {"chat_template": TEMPLATE_OK}).encode())),
    ("safetensors", "overlap.safetensors", True, _write(_safetensors(
        {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
         "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}, b"\0" * 12))),
    ("safetensors", "benign.safetensors", False, _write(_safetensors(
        {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, b"\0" * 8))),
]


def ptmscope_flags(path: Path) -> bool:
    result = Dispatcher().scan_file(path, str(path), str(path.parent))
    return any(i.severity.at_least(Severity.MEDIUM) for i in result.issues)


def modelscan_flags(path: Path) -> tuple[bool, str]:
    from modelscan.modelscan import ModelScan

    report = ModelScan().scan(str(path))
    errors = "; ".join(e.get("description", "")[:60] for e in report.get("errors", []))
    return bool(report.get("issues")), errors


def main() -> int:
    try:
        import modelscan  # noqa: F401
    except ImportError:
        print("skipped: modelscan is not installed (pip install -e '.[bench]')")
        return 0
    tally: dict[str, dict[str, list[int]]] = {"ptmscope": {}, "modelscan": {}}
    timings = {"ptmscope": 0.0, "modelscan": 0.0}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, name, malicious, build in SAMPLES:
            path = Path(tmp) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            build(path)
            start = time.perf_counter()
            ours = ptmscope_flags(path)
            timings["ptmscope"] += time.perf_counter() - start
            start = time.perf_counter()
            theirs, errors = modelscan_flags(path)
            timings["modelscan"] += time.perf_counter() - start
            for tool, flagged in (("ptmscope", ours), ("modelscan", theirs)):
                row = tally[tool].setdefault(fmt, [0, 0, 0, 0])  # tp, malicious, fp, benign
                row[0 if malicious else 2] += flagged
                row[1 if malicious else 3] += 1
            note = f"  (modelscan: {errors})" if errors else ""
            print(f"{name:30s} {'malicious' if malicious else 'benign':9s} "
                  f"ptmscope={'flag' if ours else '-':4s} modelscan={'flag' if theirs else '-'}"
                  f"{note}")
    print()
    for tool, rows in tally.items():
        tp = sum(r[0] for r in rows.values())
        mal = sum(r[1] for r in rows.values())
        fp = sum(r[2] for r in rows.values())
        ben = sum(r[3] for r in rows.values())
        per = ", ".join(f"{f} {r[0]}/{r[1]}" for f, r in rows.items())
        print(f"{tool:9s} detection {tp}/{mal} ({tp / mal:.0%}), false positives {fp}/{ben}; "
              f"{per}; {timings[tool]:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
