"""Format scanners never execute: malicious Keras/TF/ONNX/GGUF/template/safetensors samples are
scanned through the dispatcher while an audit hook watches for exec, compile, imports of
artifact-named modules, processes, sockets and unpickling."""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

from ptmscope.records import Severity
from ptmscope.risk.dispatch import Dispatcher

from . import test_keras as K
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
from .test_gguf import benign as gguf_with_template

FORBIDDEN = ("exec", "compile", "subprocess.", "os.system", "os.exec", "os.spawn", "os.fork",
             "socket.", "pickle.find_class", "marshal.load", "ctypes.", "webbrowser.")
ARTIFACT_MODULES = ("os", "subprocess", "my_package", "builtins.system")
EVENTS: list[str] = []
ACTIVE = [False]


def _hook(event: str, args: tuple[object, ...]) -> None:
    if not ACTIVE[0]:
        return
    if event.startswith(FORBIDDEN):
        EVENTS.append(f"{event} {args!r:.100}")
    elif event == "import" and args and str(args[0]).startswith(ARTIFACT_MODULES):
        EVENTS.append(f"import {args[0]}")


sys.addaudithook(_hook)


def malicious_samples(tmp_path: Path) -> dict[str, bytes]:
    config = K.keras3_model(K.dense("d"), K.LAMBDA3, K.CUSTOM,
                            {**K.dense("e"), "config": {"activation": K.OS_FUNCTION}})
    header = json.dumps({"__metadata__": {"note": "{{ ''.__class__ }}"},
                         "a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}).encode()
    return {
        "model.keras": K.keras_zip(config),
        "saved_model.pb": saved_model(tf_graph(
            [tf_node("c", "StatefulPartitionedCall")],
            (tf_function("f", [tf_node("p", "PyFunc", token="pyfunc_0")]),))),
        "model.onnx": onnx_model(onnx_graph([onnx_node("Relu")],
                                            (onnx_tensor("w", "../../../etc/passwd"),))),
        "model.gguf": gguf_with_template("{{ lipsum.__globals__['os'].popen('id').read() }}"),
        "tokenizer_config.json": json.dumps(
            {"chat_template": "{{ ''.__class__.__mro__[1].__subclasses__() }}"}).encode(),
        "model.safetensors": struct.pack("<Q", len(header)) + header + b"\0" * 4,
        "config.json": json.dumps(config).encode(),
    }


def test_malicious_format_samples_are_flagged_and_nothing_runs(tmp_path: Path) -> None:
    samples = malicious_samples(tmp_path)
    paths = []
    for name, data in samples.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(path)
    h5 = K.h5_file(tmp_path / "model.h5", {"model_config": json.dumps(
        K.keras3_model(K.LAMBDA3)).encode()})
    paths.append(h5)
    dispatcher = Dispatcher()
    for path in paths:  # warm-up: ptmscope's own lazy imports (h5py...) are not recorded
        dispatcher.scan_file(path, str(path), str(tmp_path))
    EVENTS.clear()
    ACTIVE[0] = True
    try:
        results = {p.name: dispatcher.scan_file(p, str(p), str(tmp_path)) for p in paths}
    finally:
        ACTIVE[0] = False
    assert EVENTS == []
    for name, result in results.items():
        worst = min((i.severity.rank for i in result.issues), default=99)
        assert worst <= Severity.MEDIUM.rank, (name, result.issues)
    declared = {r.id for r in dispatcher.loaded.rules()} | {"SCAN-NOT-SCANNED"}
    emitted = {i.rule_id for r in results.values() for i in r.issues}
    assert emitted <= declared, emitted - declared
