"""Cheap claim checks: registry, safetensors headers, size / format claims, the runner."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ptmscope.formats.safetensors import safetensors_bytes
from ptmscope.perf.cheap_checks.base import CheckContext
from ptmscope.perf.cheap_checks.param_count import sizes_in_card, sizes_in_name
from ptmscope.perf.cheap_checks.registry import CHECKS
from ptmscope.perf.cheap_checks.weight_size import size_statements
from ptmscope.perf.runner import check_model, read_headers, run_all
from ptmscope.records import (
    CardRecord,
    FileRecord,
    Finding,
    Outcome,
    Platform,
    RepoId,
    RepoRecord,
    RepoSnapshot,
    repo_id,
)


def test_every_registered_check_describes_itself_with_a_unique_id() -> None:
    ids = [c.id for c in CHECKS]
    assert len(ids) == len(set(ids))
    for check in CHECKS:
        assert check.id.startswith("perf.")
        assert check.title.strip() and check.why.strip() and check.remediation.strip()


def _weights(path: Path, n_params: int, *, extra: bytes = b"", cut: int = 0) -> Path:
    data = safetensors_bytes({"w": np.zeros(n_params, dtype="<f4")}) + extra
    path.write_bytes(data[: len(data) - cut] if cut else data)
    return path


def _card(text: str, metadata: dict[str, object] | None = None) -> CardRecord:
    return CardRecord(RepoId("huggingface:o/m"), "README.md", text, None, metadata, text)


def _ctx(tmp_path: Path, name: str, files: dict[str, Path | int], card: CardRecord | None = None
         ) -> CheckContext:
    rid = repo_id(Platform.HUGGINGFACE, name)
    repo = RepoRecord(rid, Platform.HUGGINGFACE, name, str(tmp_path))
    records = tuple(
        FileRecord(rid, p, size=v if isinstance(v, int) else v.stat().st_size,
                   local_path=None if isinstance(v, int) else str(v))
        for p, v in files.items())
    return CheckContext(repo, records, card, read_headers(repo, records))


def _by_rule(findings: tuple[Finding, ...], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule_id == rule]


@pytest.mark.parametrize(("name", "expected"), [
    ("meta/llama-2-7b-chat", ["7b"]), ("facebook/opt-350m", ["350m"]),
    ("Qwen/qwen2-1.5b", ["1.5b"]), ("google-bert/bert-base-uncased", ["base"]),
    ("openai/whisper-large-v3", ["large"]), ("org/gpt2", []),
], ids=lambda v: str(v))
def test_sizes_named_in_ids(name: str, expected: list[str]) -> None:
    assert [c.text for c in sizes_in_name(name)] == expected


def test_size_claims_in_card_text() -> None:
    assert sizes_in_card("This model has 110M parameters.")[0].nominal == 110e6
    assert sizes_in_card("It has 1.3 billion params")[0].nominal == 1.3e9
    assert size_statements("Download: the checkpoint is 440 MB.\nUses 16 GB of GPU memory.") == (
        ("440 MB", 440e6),)


def test_param_count_consistent_with_tiny_and_discrepant_with_large(tmp_path: Path) -> None:
    weights = {"model.safetensors": _weights(tmp_path / "model.safetensors", 5000)}
    tiny = check_model(_ctx(tmp_path, "org/bert-tiny", weights))
    assert _by_rule(tiny, "perf.param-count")[0].outcome is Outcome.PRESENT
    large = _by_rule(check_model(_ctx(tmp_path, "org/bert-large", weights)),
                     "perf.param-count")[0]
    assert large.outcome is Outcome.MISSING
    assert "5K parameters" in large.message and "'large'" in large.message
    seven_b = _by_rule(check_model(_ctx(tmp_path, "org/llama-7b", weights, _card(
        "A 7B parameters model"))), "perf.param-count")[0]
    assert seven_b.outcome is Outcome.MISSING
    unnamed = _by_rule(check_model(_ctx(tmp_path, "org/gpt2", weights)), "perf.param-count")
    assert unnamed[0].outcome is Outcome.NOT_APPLICABLE


def test_weight_size_and_formats_against_the_card(tmp_path: Path) -> None:
    card = _card("The checkpoint file is 440 MB.\nAn ONNX export is in model.onnx.\n",
                 {"tags": ["onnx", "safetensors"], "library_name": "transformers"})
    good = check_model(_ctx(tmp_path, "org/m", {
        "model.safetensors": 438_000_000, "model.onnx": 439_000_000}, card))
    assert _by_rule(good, "perf.weight-size")[0].outcome is Outcome.PRESENT
    assert _by_rule(good, "perf.formats")[0].outcome is Outcome.PRESENT
    bad = check_model(_ctx(tmp_path, "org/m", {"model.safetensors": 120_000_000}, card))
    assert _by_rule(bad, "perf.weight-size")[0].outcome is Outcome.MISSING
    formats = _by_rule(bad, "perf.formats")[0]
    assert formats.outcome is Outcome.MISSING
    assert "onnx" in formats.message and "model.onnx" in formats.message
    assert formats.details["missing_formats"] == ["onnx"]


def test_truncated_safetensors_file_is_flagged(tmp_path: Path) -> None:
    files = {"a.safetensors": _weights(tmp_path / "a.safetensors", 100, cut=12),
             "b.safetensors": _weights(tmp_path / "b.safetensors", 100)}
    found = _by_rule(check_model(_ctx(tmp_path, "org/m", files)), "perf.safetensors-integrity")
    assert {f.path: f.outcome for f in found} == {"a.safetensors": Outcome.MISSING,
                                                  "b.safetensors": Outcome.PRESENT}
    assert "truncated" in found[0].message


def test_integrity_is_not_available_for_lfs_pointers_and_failed_for_garbage(
        tmp_path: Path) -> None:
    pointer = tmp_path / "p.safetensors"
    pointer.write_bytes(b"version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 9\n")
    garbage = tmp_path / "g.safetensors"
    garbage.write_bytes(b"\x01\x02")
    found = _by_rule(check_model(_ctx(tmp_path, "org/m", {"p.safetensors": pointer,
                                                          "g.safetensors": garbage})),
                     "perf.safetensors-integrity")
    assert {f.path: f.outcome for f in found} == {"p.safetensors": Outcome.NOT_AVAILABLE,
                                                  "g.safetensors": Outcome.MISSING}
    assert all(f.message.startswith("header unreadable: ") for f in found)


def test_quantized_weights_are_not_compared_with_the_named_size(tmp_path: Path) -> None:
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(safetensors_bytes({"l.qweight": np.zeros(64, dtype="<i4"),
                                           "l.scales": np.zeros(8, dtype="<f2")}))
    found = _by_rule(check_model(_ctx(tmp_path, "org/llama-7b", {"model.safetensors": weights})),
                     "perf.param-count")
    assert [f.outcome for f in found] == [Outcome.NOT_AVAILABLE]
    assert "quantized" in found[0].message


def test_runner_checks_every_stored_model(tmp_path: Path) -> None:
    from ptmscope.store import Store

    folder = tmp_path / "bert-large"
    folder.mkdir()
    _weights(folder / "model.safetensors", 2000)
    rid = repo_id(Platform.HUGGINGFACE, "org/bert-large")
    with Store(tmp_path / "s.duckdb") as store:
        store.write_snapshot(RepoSnapshot(
            RepoRecord(rid, Platform.HUGGINGFACE, "org/bert-large", str(folder),
                       has_git_history=False),
            files=(FileRecord(rid, "model.safetensors", size=(folder / "model.safetensors")
                              .stat().st_size, local_path=str(folder / "model.safetensors")),)))
        summary = run_all(store)
        findings = store.findings("perf", rid)
    assert summary.counts["models"] == 1
    assert summary.counts["failed_by_rule"] == {"perf.param-count": 1}
    assert {f.rule_id for f in findings} == {c.id for c in CHECKS}
