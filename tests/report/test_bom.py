"""The CycloneDX 1.6 ML-BOM: valid against the schema, and saying what the audit found."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ptmscope.errors import NotInStoreError
from ptmscope.records import Platform, RepoSnapshot, repo_id
from ptmscope.report.bom import (
    bom_facts,
    card_licenses,
    card_metrics,
    hash_weight,
    render_bom,
    validate_bom,
    write_bom,
)
from ptmscope.report.data import FileView
from ptmscope.store import Store

from .conftest import SCRIPT, weights

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def _bom(store: Store, name: str) -> dict[str, object]:
    text, errors = write_bom(store, name)
    assert errors == []
    loaded: dict[str, object] = json.loads(text)
    return loaded


@pytest.mark.parametrize("name", [
    "acme/bert-base", "acme/clean-model", "other/gpt-small", "github:acme/bert",
    "huggingface:googIe-bert/bert-base" + "x" * 300,
])
def test_every_stored_repo_gets_a_valid_cyclonedx_1_6_bom(filled_store: Store,
                                                          name: str) -> None:
    bom = _bom(filled_store, name)
    assert bom["specVersion"] == "1.6"
    component = bom["metadata"]["component"]  # type: ignore[index]
    assert component["type"] == "machine-learning-model"
    assert "modelCard" in component


def test_bom_carries_card_data_datasets_base_model_licence_hashes_and_upstream(
    filled_store: Store,
) -> None:
    bom = _bom(filled_store, "acme/bert-base")
    model = bom["metadata"]["component"]  # type: ignore[index]
    assert model["licenses"] == [{"license": {"id": "Apache-2.0"}}]
    refs = {(r["type"], r["url"]) for r in model["externalReferences"]}
    assert ("vcs", "https://github.com/acme/bert") in refs
    card = model["modelCard"]
    assert card["modelParameters"]["task"] == "fill-mask"
    assert card["quantitativeAnalysis"]["performanceMetrics"] == [
        {"type": "accuracy", "value": "0.91", "slice": "fill-mask / GLUE"}]
    components = {c["bom-ref"]: c for c in bom["components"]}  # type: ignore[attr-defined]
    assert components["dataset:wikipedia"]["type"] == "data"
    assert components["base-model:acme/bert-tiny"]["type"] == "machine-learning-model"
    safetensors = components["file:model.safetensors"]
    assert safetensors["hashes"] == [{"alg": "SHA-256", "content": "ab" * 32}]
    assert "config.json" not in {c["name"] for c in components.values()}  # not a weight file


def test_risk_findings_become_vulnerabilities_on_the_weight_file(filled_store: Store) -> None:
    bom = _bom(filled_store, "huggingface:googIe-bert/bert-base" + "x" * 300)
    vulns = {v["id"]: v for v in bom["vulnerabilities"]}  # type: ignore[attr-defined]
    pickle = vulns["PICKLE-GLOBAL-DANGEROUS"]
    assert pickle["ratings"] == [{"severity": "critical"}]
    assert pickle["affects"] == [{"ref": "file:pytorch_model.bin"}]
    assert SCRIPT in pickle["description"]  # JSON text, escaped by the serializer
    assert vulns["NAME-TYPOSQUAT"]["affects"][0]["ref"].startswith("model:")


def test_local_weights_are_hashed_and_big_ones_are_not(tmp_path: Path) -> None:
    blob = tmp_path / "w.bin"
    blob.write_bytes(b"weights" * 1000)
    view = FileView("w.bin", 7000, "pytorch/pickle", False, None, str(blob))
    hashed = hash_weight(view)
    assert hashed.sha256 == hashlib.sha256(blob.read_bytes()).hexdigest()
    assert hashed.hash_source == "computed"
    too_big = hash_weight(view, limit=100)
    assert too_big.sha256 is None and "bound" in too_big.hash_note
    gone = hash_weight(FileView("x.bin", 1, "pytorch/pickle", False, None, str(tmp_path / "x")))
    assert gone.sha256 is None and "cannot read" in gone.hash_note


def test_a_local_file_hash_reaches_the_bom(tmp_path: Path) -> None:
    blob = tmp_path / "model.safetensors"
    blob.write_bytes(b"\x00" * 64)
    rid = repo_id(Platform.HUGGINGFACE, "me/local")
    store = Store(tmp_path / "s.duckdb")
    from ptmscope.records import RepoRecord

    store.write_snapshot(RepoSnapshot(
        repo=RepoRecord(rid, Platform.HUGGINGFACE, "me/local", str(tmp_path)),
        files=(weights(rid, "model.safetensors", size=64, local=str(blob)),),
    ))
    facts = bom_facts(store, store.resolve_repo("me/local"), now=NOW)
    text = render_bom(facts)
    assert validate_bom(text) == []
    assert hashlib.sha256(b"\x00" * 64).hexdigest() in text


def test_unknown_model_is_a_clear_error(filled_store: Store) -> None:
    with pytest.raises(NotInStoreError):
        write_bom(filled_store, "nobody/nothing")


def test_bom_written_to_a_file(filled_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "bom.json"
    text, _ = write_bom(filled_store, "acme/bert-base", out)
    assert out.read_text() == text


def test_validation_catches_a_broken_bom() -> None:
    assert validate_bom(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6",
                                    "components": [{"type": "nonsense"}]})) != []


@pytest.mark.parametrize(("meta", "expected"), [
    ({"license": "mit"}, ("mit",)),
    ({"license": "other", "license_name": "my-licence"}, ("my-licence",)),
    ({"license": ["mit", "apache-2.0"]}, ("mit", "apache-2.0")),
    ({}, ()),
])
def test_card_licences(meta: dict[str, object], expected: tuple[str, ...]) -> None:
    assert card_licenses(meta) == expected


def test_broken_model_index_shapes_are_skipped() -> None:
    meta = {"model-index": [{"results": [None, {"metrics": "x"},
                                         {"metrics": [{"type": "f1", "value": 0.5}, {}]}]},
                            "junk"]}
    assert [(m.type, m.value) for m in card_metrics(meta)] == [("f1", "0.5")]
