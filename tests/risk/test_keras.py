"""Keras scanners: .keras zips (through the dispatcher), standalone configs, and .h5 files."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import h5py
import numpy as np
import pytest

from ptmscope.records import Severity
from ptmscope.risk.base import ScanContext, ScanResult
from ptmscope.risk.dispatch import Dispatcher
from ptmscope.risk.keras_h5 import KerasH5Scanner
from ptmscope.risk.keras_policy import bytecode_names, check_keras_config
from ptmscope.risk.keras_zip import KerasConfigScanner, KerasZipScanner

# Bytes shaped like marshalled bytecode naming os.system (never real code, never unmarshalled).
FAKE_BYTECODE = base64.b64encode(b"\xe3\x00\x00\x00\xda\x02os\xda\x06system\xda\x02id").decode()


def dense(name: str) -> dict[str, Any]:
    return {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
            "config": {"name": name, "units": 4, "activation": "relu",
                       "kernel_initializer": {"module": "keras.initializers",
                                              "class_name": "GlorotUniform", "config": {}}}}


def keras3_model(*layers: dict[str, Any]) -> dict[str, Any]:
    return {"module": "keras", "class_name": "Sequential", "registered_name": None,
            "config": {"name": "sequential", "layers": list(layers)}}


LAMBDA3 = {"module": "keras.layers", "class_name": "Lambda", "registered_name": None,
           "config": {"name": "evil", "function": {
               "class_name": "__lambda__", "config": {"code": FAKE_BYTECODE,
                                                      "defaults": None, "closure": None}}}}
OS_FUNCTION = {"module": "os", "class_name": "function", "config": "system",
               "registered_name": "system"}
CUSTOM = {"module": "my_package.layers", "class_name": "Fancy",
          "registered_name": "MyPackage>Fancy", "config": {}}


def weights_h5() -> bytes:
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        f.create_dataset("layers/dense/vars/0", data=np.zeros(4, dtype="float32"))
    return buf.getvalue()


def keras_zip(config: dict[str, Any], extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("metadata.json", json.dumps({"keras_version": "3.5.0"}))
        zf.writestr("config.json", json.dumps(config))
        zf.writestr("model.weights.h5", weights_h5())
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def scan_file(tmp_path: Path, name: str, data: bytes) -> ScanResult:
    path = tmp_path / name
    path.write_bytes(data)
    return Dispatcher().scan_file(path, str(path), str(tmp_path))


def test_benign_keras_zip_has_no_risk(tmp_path: Path) -> None:
    data = keras_zip(keras3_model(dense("d1"), dense("d2")))
    assert KerasZipScanner.sniff(data[:4096], "renamed.zip")
    result = scan_file(tmp_path, "model.keras", data)
    risky = [i for i in result.issues if i.severity.rank <= Severity.LOW.rank]
    assert risky == [], risky
    assert any(p.endswith(":config.json") for p in result.scanned)


def test_lambda_with_bytecode_in_keras_zip_is_critical(tmp_path: Path) -> None:
    result = scan_file(tmp_path, "model.keras", keras_zip(keras3_model(dense("d"), LAMBDA3)))
    [issue] = [i for i in result.issues if i.rule_id == "KERAS-LAMBDA"]
    assert issue.severity is Severity.CRITICAL
    assert "system" in issue.message and "config.json" in issue.location


def test_module_outside_keras_is_flagged_by_danger(tmp_path: Path) -> None:
    model = keras3_model(dense("d"), {**dense("e"), "config": {"activation": OS_FUNCTION}},
                         CUSTOM)
    result = scan_file(tmp_path, "model.keras", keras_zip(model))
    found = {(i.construct, i.severity) for i in result.issues if i.rule_id == "KERAS-MODULE"}
    assert ("os.function", Severity.CRITICAL) in found
    assert ("my_package.layers.Fancy", Severity.MEDIUM) in found


def test_keras_zip_scanned_without_a_dispatcher_still_checks_config() -> None:
    data = keras_zip(keras3_model(dense("d"), LAMBDA3))
    result = KerasZipScanner().scan(io.BytesIO(data), ScanContext("m.keras", size=len(data)))
    assert any(i.rule_id == "KERAS-LAMBDA" for i in result.issues)
    assert not any(i.rule_id == "KERAS-CONFIG-MISSING" for i in result.issues)


def test_keras_zip_without_config_is_reported(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("metadata.json", "{}")
    result = scan_file(tmp_path, "model.keras", buf.getvalue())
    assert "KERAS-CONFIG-MISSING" in {i.rule_id for i in result.issues}


def test_pickle_smuggled_into_keras_zip_is_still_scanned(tmp_path: Path) -> None:
    evil = b"\x80\x04\x95\x1a\x00\x00\x00\x00\x00\x00\x00\x8c\x02os\x94\x8c\x06system\x94\x93" \
           b"\x8c\x02id\x94\x85\x94R\x94."
    result = scan_file(tmp_path, "model.keras",
                       keras_zip(keras3_model(dense("d")), {"assets/x.pkl": evil}))
    assert any(i.severity is Severity.CRITICAL and "system" in i.construct
               for i in result.issues)


def test_keras2_lambda_and_tfoplambda_in_standalone_config() -> None:
    config = {"class_name": "Functional", "config": {"layers": [
        {"class_name": "Lambda", "config": {"function": [FAKE_BYTECODE, None, None],
                                            "function_type": "lambda"}},
        {"class_name": "Lambda", "config": {"function": "system", "module": "os",
                                            "function_type": "function"}},
        {"class_name": "TFOpLambda", "config": {"function": "io.write_file"}},
        {"class_name": "TFOpLambda", "config": {"function": "math.add"}},
        {"class_name": "MyCustomLayer", "config": {}},
    ]}, "keras_version": "2.15.0"}
    data = json.dumps(config).encode()
    assert KerasConfigScanner.sniff(data, "model.json")
    result = KerasConfigScanner().scan(io.BytesIO(data), ScanContext("model.json"))
    got = sorted((i.rule_id, i.severity.value) for i in result.issues)
    assert got == [("KERAS-CUSTOM-CLASS", "low"), ("KERAS-LAMBDA", "critical"),
                   ("KERAS-LAMBDA", "critical"), ("KERAS-TF-OP", "high")]


def test_bytecode_names_are_read_without_unmarshalling() -> None:
    assert bytecode_names(FAKE_BYTECODE) == ["os", "system"]
    assert bytecode_names("not base64 !!") == []


def test_deep_and_huge_configs_end_with_a_finding() -> None:
    deep: Any = {"class_name": "Dense", "config": {}}
    for _ in range(400):
        deep = {"class_name": "Dense", "config": {"inner": deep}}
    issues, stopped = check_keras_config(deep, "x", "keras-config")
    assert stopped and issues[-1].rule_id == "KERAS-CONFIG-BOUND"
    nested = b'{"class_name": "A", "config": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    result = KerasConfigScanner().scan(io.BytesIO(nested), ScanContext("c.json"))
    assert result.issues and result.inconclusive


def h5_file(path: Path, attrs: dict[str, Any]) -> Path:
    with h5py.File(path, "w") as f:
        f.create_dataset("w", data=np.zeros(4, dtype="float32"))
        for key, value in attrs.items():
            f.attrs[key] = value
    return path


def scan_h5(path: Path) -> ScanResult:
    with path.open("rb") as fh:
        assert KerasH5Scanner.sniff(fh.read(4096), "x")
        return KerasH5Scanner().scan(fh, ScanContext(str(path)))


def test_h5_benign_and_plain_hdf5_are_clean(tmp_path: Path) -> None:
    benign = {"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Dense", "config": {"units": 3}}]}}
    assert scan_h5(h5_file(tmp_path / "m.h5", {"model_config": json.dumps(benign).encode()}))\
        .issues == []
    assert scan_h5(h5_file(tmp_path / "plain.h5", {})).issues == []


@pytest.mark.parametrize("as_bytes", [True, False], ids=["fixed bytes", "vlen str"])
def test_h5_lambda_is_found(tmp_path: Path, as_bytes: bool) -> None:
    config = json.dumps({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Lambda", "config": {"function": [FAKE_BYTECODE, None, None],
                                            "function_type": "lambda"}}]}})
    value = config.encode() if as_bytes else config
    result = scan_h5(h5_file(tmp_path / "m.h5", {"model_config": value}))
    assert [i.severity for i in result.issues] == [Severity.CRITICAL]


def test_h5_broken_file_and_bad_json_end_with_findings(tmp_path: Path) -> None:
    broken = tmp_path / "broken.h5"
    broken.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\xff" * 500)
    assert scan_h5(broken).inconclusive
    bad = scan_h5(h5_file(tmp_path / "bad.h5", {"model_config": b"{not json"}))
    assert bad.issues and bad.inconclusive
