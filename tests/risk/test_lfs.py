"""Git LFS pointers: strict format, and real files checked against their pointer."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest

from ptmscope.records import FileRecord, RepoId, Severity
from ptmscope.risk.base import ScanContext
from ptmscope.risk.lfs import LfsPointerScanner, parse_pointer, verify_file_record, verify_object

CONTENT = b"real weights " * 1000
SHA = hashlib.sha256(CONTENT).hexdigest()
POINTER = (f"version https://git-lfs.github.com/spec/v1\noid sha256:{SHA}\n"
           f"size {len(CONTENT)}\n").encode()


def test_valid_pointer_parses_and_scans_with_only_an_info_issue() -> None:
    pointer, problems = parse_pointer(POINTER)
    assert problems == [] and pointer is not None and pointer.size == len(CONTENT)
    assert LfsPointerScanner.sniff(POINTER, "model.safetensors")
    result = LfsPointerScanner().scan(io.BytesIO(POINTER), ScanContext("model.safetensors"))
    assert [(i.rule_id, i.severity) for i in result.issues] == [
        ("LFS-CONTENT-ABSENT", Severity.INFO)]


@pytest.mark.parametrize("text,problem", [
    (f"oid sha256:{SHA}\nversion https://git-lfs.github.com/spec/v1\nsize 1\n", "first key"),
    (f"version https://git-lfs.github.com/spec/v1\nsize 1\noid sha256:{SHA}\n", "not sorted"),
    (f"version https://git-lfs.github.com/spec/v1\noid sha256:{SHA.upper()}\nsize 1\n", "oid"),
    (f"version https://git-lfs.github.com/spec/v1\noid sha256:{SHA}\nsize -1\n", "size"),
    (f"version https://git-lfs.github.com/spec/v1\noid sha256:{SHA}\nsize 01\n", "size"),
    (f"version https://git-lfs.github.com/spec/v1\noid sha256:{SHA}\nsize 1", "newline"),
    (f"version https://git-lfs.github.com/spec/v9\noid sha256:{SHA}\nsize 1\n", "version"),
    (f"version https://git-lfs.github.com/spec/v1\noid sha256:{SHA}\nsize 1\nzz 1\n",
     "unknown keys"),
    ("version https://git-lfs.github.com/spec/v1\n" + "x" * 2000, "bytes"),
], ids=["version not first", "unsorted", "uppercase oid", "negative size", "leading zero",
        "no final newline", "unknown version", "unknown key", "oversized"])
def test_malformed_pointers_are_reported(text: str, problem: str) -> None:
    result = LfsPointerScanner().scan(io.BytesIO(text.encode()), ScanContext("p"))
    messages = [i.message for i in result.issues if i.rule_id == "LFS-POINTER-FORMAT"]
    assert any(problem in m for m in messages), messages


def test_verify_object_match_and_mismatches(tmp_path: Path) -> None:
    real = tmp_path / "model.bin"
    real.write_bytes(CONTENT)
    assert verify_object(SHA, len(CONTENT), str(real)) == []
    [size] = verify_object(SHA, len(CONTENT) + 1, str(real))
    assert size.rule_id == "LFS-OBJECT-MISMATCH" and size.construct == "size"
    real.write_bytes(CONTENT[:-1] + b"X")
    [digest] = verify_object(SHA, len(CONTENT), str(real))
    assert digest.rule_id == "LFS-OBJECT-MISMATCH" and digest.severity is Severity.HIGH


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    [issue] = verify_object(SHA, 10, str(fifo))
    assert issue.rule_id == "LFS-OBJECT-UNVERIFIED"


def test_verify_file_record(tmp_path: Path) -> None:
    rid = RepoId("huggingface:o/m")
    real = tmp_path / "w.bin"
    real.write_bytes(CONTENT)
    ok = FileRecord(rid, "w.bin", 130, lfs_sha256=SHA, lfs_size=len(CONTENT),
                    local_path=str(real))
    assert verify_file_record(ok) == []
    pointer_only = tmp_path / "p.bin"
    pointer_only.write_bytes(POINTER)
    assert verify_file_record(FileRecord(rid, "p.bin", 130, lfs_sha256=SHA,
                                         lfs_size=len(CONTENT), local_path=str(pointer_only))) == []
    tampered = FileRecord(rid, "w.bin", 130, lfs_sha256="0" * 64, lfs_size=len(CONTENT),
                          local_path=str(real))
    assert [i.rule_id for i in verify_file_record(tampered)] == ["LFS-OBJECT-MISMATCH"]
    assert verify_file_record(FileRecord(rid, "x", 1)) == []
