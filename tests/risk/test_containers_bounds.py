"""Containers (zip tricks, 7z, tar, nesting) and resource bounds: findings, not exhaustion."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest

from ptmscope.records import Severity
from ptmscope.risk import pickle_scan, zip_scan
from ptmscope.risk.dispatch import Dispatcher
from ptmscope.risk.runner import scan_paths

from . import samples as S

MAL = S.p2(S.call(S.glob("builtins", "eval"), "1"))


def rules_of(report) -> set[str]:
    return {i.rule_id for i in report.issues}


@pytest.mark.parametrize(("member", "rule"), [
    (S.Member("archive/data.pkl", MAL, flags=0x1), "ZIP-FLAG-TRICK"),
    (S.Member("archive/data.pkl", MAL, flags=0x40), "ZIP-FLAG-TRICK"),
    (S.Member("archive/data.pkl", MAL, crc=0xDEADBEEF), "ZIP-CRC-MISMATCH"),
    (S.Member("archive/data.pkl", MAL, local_name="archive/other.txt"), "ZIP-NAME-MISMATCH"),
], ids=["encrypted flag on plain data", "strong-encryption flag", "bad CRC",
        "local name differs from central"])
def test_zip_tricks_are_findings_and_the_member_is_still_scanned(write, member, rule):
    report = scan_paths([write("m.pt", S.build_zip([member]))])
    assert rule in rules_of(report)
    assert any(i.construct == "builtins.eval" and i.path.endswith(":archive/data.pkl")
               for i in report.issues)


def test_member_hidden_from_central_directory_is_found(write):
    data = S.build_zip([S.Member("a.txt", b"x"), S.Member("h.pkl", MAL, in_central=False)])
    report = scan_paths([write("h.zip", data)])
    assert {"ZIP-HIDDEN-MEMBER", "PICKLE-GLOBAL-DANGEROUS"} <= rules_of(report)


def test_wrong_extension_member_found_by_content(write):
    report = scan_paths([write("w.zip", S.build_zip([S.Member("notes/readme.txt", MAL)]))])
    assert report.formats[f"{report.files[0]}:notes/readme.txt"] == "pickle"


def test_encrypted_member_is_reported_not_scanned(write):
    data = S.build_zip([S.Member("secret.bin", os.urandom(64), flags=0x1)])
    report = scan_paths([write("enc.zip", data)])
    assert "ZIP-MEMBER-NOT-SCANNED" in rules_of(report)
    assert not any(i.severity.at_least(Severity.MEDIUM) for i in report.issues)


def test_7z_member_scanned(tmp_path: Path):
    import py7zr

    path = tmp_path / "m.7z"
    with py7zr.SevenZipFile(path, "w") as z:
        z.writestr(MAL, "inner/data.pkl")
    report = scan_paths([path])
    assert any(i.construct == "builtins.eval" and i.path.endswith("m.7z:inner/data.pkl")
               for i in report.issues)


def test_torchscript_code_members_are_listed(write):
    data = S.build_zip([S.Member("m/data.pkl", S.benign_list()),
                        S.Member("m/code/__torch__/model.py", b"def forward(self): ...")])
    report = scan_paths([write("ts.pt", data)])
    listed = [i for i in report.issues if i.rule_id == "TORCHSCRIPT-CODE"]
    assert listed and "code/__torch__/model.py" in listed[0].message


def test_deep_nesting_is_a_finding(write):
    data = MAL
    for level in range(12):
        data = S.build_zip([S.Member(f"l{level}.zip" if level else "data.pkl", data)])
    report = scan_paths([write("deep.zip", data)])
    assert "SCAN-NESTING-DEPTH" in rules_of(report)
    assert report.exit_code() == 2


def test_zip_bomb_declared_size_is_a_finding(write):
    data = S.build_zip([S.Member("big.bin", b"\x00" * 4096, method=8,
                                 declared_size=50 * 2**30)])
    report = scan_paths([write("bomb.zip", data)])
    assert "ZIP-BOMB" in rules_of(report)


def test_inflating_bomb_stops_at_the_bound(write, monkeypatch):
    monkeypatch.setattr(zip_scan, "MAX_INFLATE", 1 << 20)
    payload = S.proto(2) + S.EMPTY_LIST + S.MARK + b"K\x01" * (2 << 20)  # 4 MB, never closed
    data = S.build_zip([S.Member("data.pkl", payload, method=8)])
    report = scan_paths([write("bomb2.zip", data)])
    assert "ZIP-BOMB" in rules_of(report)
    assert report.exit_code() == 2


def test_ten_thousand_members_end_with_a_finding_quickly(write):
    members = [S.Member(f"m/{i}.txt", b"x") for i in range(10_000)]
    path = write("many.zip", S.build_zip(members))
    start = time.perf_counter()
    report = scan_paths([path])
    assert "ZIP-MANY-MEMBERS" in rules_of(report)
    assert time.perf_counter() - start < 30


def test_billion_laughs_pickle_is_walked_without_building_it(write):
    report = scan_paths([write("laughs.pkl", S.billion_laughs(levels=30, width=50))])
    assert report.exit_code() == 0  # references only; nothing materialised


def test_memo_flood_is_a_finding(write, monkeypatch):
    monkeypatch.setattr(pickle_scan, "MAX_MEMO", 10_000)
    report = scan_paths([write("flood.pkl", S.many_memo(200_000))])
    assert "PICKLE-LIMIT" in rules_of(report)
    assert report.exit_code() == 2


def test_huge_npy_header_is_a_finding(write):
    data = b"\x93NUMPY\x02\x00" + (2**31).to_bytes(4, "little") + b"{" + b" " * 100
    report = scan_paths([write("huge.npy", data)])
    assert "NPY-HEADER" in rules_of(report)


def test_sparse_10gb_checkpoint_reads_only_its_pickle_members(tmp_path: Path):
    path = tmp_path / "huge.pt"
    pickle_member = S.p2(S.call(S.glob("os", "system"), "id"))
    with path.open("wb") as fh:
        S.build_zip([S.Member("archive/data/0", b"", sparse_size=10 * 2**30),
                     S.Member("archive/data.pkl", pickle_member)], sink=fh)
    assert path.stat().st_size > 10 * 2**30
    report = scan_paths([path])
    assert any(i.construct == "os.system" for i in report.issues)
    assert report.bytes_read < 512 * 1024, report.bytes_read
    assert report.inconclusive == ()


def test_scanner_exception_makes_the_file_inconclusive(write, monkeypatch):
    def boom(self, stream, ctx):
        raise RuntimeError("bug")

    monkeypatch.setattr(pickle_scan.PickleScanner, "scan", boom)
    report = scan_paths([write("x.pkl", S.benign_list())])
    assert "SCAN-SCANNER-ERROR" in rules_of(report)
    assert report.exit_code() == 2


def test_dispatcher_scans_streams_directly():
    result = Dispatcher().scan_stream(io.BytesIO(MAL), __import__(
        "ptmscope.risk.base", fromlist=["ScanContext"]).ScanContext("mem.pkl"))
    assert result.scanned == ["mem.pkl"] and result.issues[0].path == "mem.pkl"


def test_pickle_hidden_in_a_tensor_storage_member_is_found(write):
    data = S.build_zip([S.Member("archive/data.pkl", S.torch_like_state_dict()),
                        S.Member("archive/data/0", MAL)])
    report = scan_paths([write("storage.pt", data)])
    assert any(i.construct == "builtins.eval" and i.path.endswith(":archive/data/0")
               for i in report.issues)


def test_torchscript_list_builders_and_compiled_classes_are_not_flagged(write):
    body = (S.glob("__torch__.torch.nn.modules.linear", "Linear") + S.EMPTY_TUPLE + b"\x81" +
            S.glob("torch.jit._pickle", "build_intlist") + S.EMPTY_LIST + S.TUPLE1 + S.REDUCE +
            b"\x86")
    report = scan_paths([write("ts.pt", S.build_zip([S.Member("ts/data.pkl", S.p2(body))]))])
    assert not [i for i in report.issues if i.severity.at_least(Severity.MEDIUM)]


def test_sparse_3gb_pickle_is_mapped_and_its_tensor_bytes_never_read(tmp_path: Path):
    path = tmp_path / "huge.pkl"
    with path.open("wb") as fh:
        fh.write(S.proto(4) + S.EMPTY_LIST + S.MARK + b"\x8e" + (3 * 2**30).to_bytes(8, "little"))
        fh.seek(3 * 2**30, 1)
        fh.write(S.call(S.glob("os", "system"), "id") + b"e" + S.STOP)
    report = scan_paths([path])
    assert [i.construct for i in report.issues] == ["os.system"]
    assert report.bytes_read < 1024 * 1024 and report.inconclusive == ()


def test_large_7z_members_are_spooled_to_disk_and_still_scanned(tmp_path: Path):
    import tracemalloc

    import py7zr

    path = tmp_path / "big.7z"
    filler = b"\x00" * (4 * 1024 * 1024)  # compresses to almost nothing
    with py7zr.SevenZipFile(path, "w") as z:
        for i in range(40):  # 160 MB once extracted
            z.writestr(filler, f"blobs/{i}.bin")
        z.writestr(MAL, "inner/data.pkl")
    tracemalloc.start()
    try:
        report = scan_paths([path])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert any(i.construct == "builtins.eval" and i.path.endswith("big.7z:inner/data.pkl")
               for i in report.issues)
    # members past the in-memory budget went to temporary files, not to RAM
    assert peak < 120 * 1024 * 1024, peak
