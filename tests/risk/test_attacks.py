"""Evasions found by an adversarial review, each a regression test (built from raw bytes).

Every test here failed before its fix: the payload was not scanned, scanned but graded below
the default ``--fail-on high`` gate, or scanning it crashed or took quadratic time.
"""

from __future__ import annotations

import gzip
import os
import time
import zlib

import pytest

from ptmscope.records import Severity
from ptmscope.risk.exit_codes import EXIT_FINDINGS
from ptmscope.risk.globals_policy import classify
from ptmscope.risk.pickle_scan import MAX_IMPORT_OPS, scan_pickle_bytes, sniff_pickle, walk_pickle
from ptmscope.risk.runner import scan_paths

from . import samples as S

OS_SYSTEM = S.glob("os", "system") + S.MARK + b"S'id'\n" + S.TUPLE + S.REDUCE + S.STOP


def _verdict(write, name: str, data: bytes) -> tuple[int, set[str]]:
    """Exit code and the constructs at or above high, scanning the file inside a folder that
    also holds a clean file (so 'nothing scanned' cannot turn a miss into exit 2)."""
    write("config.json", b'{"model_type": "bert"}')
    write("model.safetensors", b"\x02\x00\x00\x00\x00\x00\x00\x00{}")
    path = write(name, data)
    report = scan_paths([path.parent])
    return report.exit_code(), {i.construct for i in report.issues
                                if i.severity.at_least(Severity.HIGH)}


@pytest.mark.parametrize("opener", [b"K\x010", b"X\x01\x00\x00\x00a0", b"J\x00\x00\x00\x000",
                                    b"\x95" + (len(OS_SYSTEM)).to_bytes(8, "little")])
def test_a_pickle_may_open_with_any_opcode(write, opener):
    # pickle.loads accepts any opcode first; only dumps-style openers used to be sniffed
    code, found = _verdict(write, "weights.bin", opener + OS_SYSTEM)
    assert code == EXIT_FINDINGS and "os.system" in found


def test_text_is_still_not_taken_for_a_pickle():
    assert not sniff_pickle(b"Keras model card\nsome text\n", "README")
    assert not sniff_pickle(b"Xylophone notes: " + b"a" * 600, "notes")


def test_a_stacked_pickle_opening_with_any_opcode_is_walked(write):
    code, found = _verdict(write, "stacked.pkl", b"}." + b"K\x010" + OS_SYSTEM)
    assert code == EXIT_FINDINGS and "os.system" in found


def test_legacy_torch_pickles_after_the_magic_are_walked_whatever_their_opener(write):
    data = S.LEGACY_MAGIC + b"K\x010" + OS_SYSTEM + b"\x00" * 32
    code, found = _verdict(write, "pytorch_model.bin", data)
    assert code == EXIT_FINDINGS and "os.system" in found


@pytest.mark.parametrize(("module", "name"), [
    ("thread", "start_new_thread"),  # fix_imports: thread -> _thread
    ("SimpleHTTPServer", "test"),  # -> http.server
    ("_winreg", "SetValueEx"),  # -> winreg
    ("__builtin__", "reduce"),  # NAME_MAPPING: -> functools.reduce
])
def test_python2_names_the_loader_maps_are_mapped_first(module, name):
    assert classify(module, name).severity.at_least(Severity.HIGH)


@pytest.mark.parametrize("dotted", [
    "numpy.ctypeslib.load_library", "torch.ops.load_library", "torch.classes.load_library",
    "torch.utils.cpp_extension.load_inline", "_imp.create_dynamic",
    "_frozen_importlib_external.SourceFileLoader", "codecs.open", "_pyio.open",
    "site.addsitedir", "compileall.compile_dir", "py_compile.compile", "_winapi.CreateProcess",
    "_thread.start_new_thread", "atexit.register", "operator.call", "copyreg.add_extension",
    "numpy.memmap", "numpy.save", "numpy.fromfile", "torch.utils.model_zoo.load_url",
    "transformers.AutoModel.from_pretrained", "torch.distributed.rpc.rpc_sync",
    "numexpr.evaluate", "sympy.sympify", "antigravity.geohash",
])
def test_names_that_run_code_touch_files_or_load_more_are_at_least_high(dotted):
    module, _, name = dotted.rpartition(".")
    if dotted.startswith(("torch.ops.", "torch.classes.", "transformers.")):
        module, _, name = dotted.partition(".")  # reached as attributes of the package
        name = name if not dotted.startswith("transformers.") else "AutoModel.from_pretrained"
    verdict = classify(module, name)
    assert verdict.kind == "dangerous" and verdict.severity.at_least(Severity.HIGH), verdict


@pytest.mark.parametrize("name", ["Tensor", "FloatStorage", "_rebuild_tensor_v2"])
def test_torch_reconstructors_stay_allowed(name):
    module = "torch._utils" if name.startswith("_") else "torch"
    assert classify(module, name).kind == "safe"


def test_a_zip_behind_other_bytes_is_found_from_the_end(write):
    # zipfile.is_zipfile / Keras open it; the head is a benign pickle
    mal = S.p2(S.call(S.glob("builtins", "eval"), "1"))
    data = b"}." + S.build_zip([S.Member("config.pkl", mal)])
    code, found = _verdict(write, "model.keras", data)
    assert code == EXIT_FINDINGS and {"builtins.eval", "embedded zip"} <= found


def test_a_file_ending_in_a_zip_signature_by_chance_is_not_an_embedded_zip(write):
    code, found = _verdict(write, "notes.txt", b"hello\n" + b"PK\x05\x06" + b"\x01" * 18)
    assert code == 0 and "embedded zip" not in found


@pytest.mark.parametrize("descr", ["object", "[('a', 'object')]"])
def test_npy_object_dtype_in_any_spelling_gets_its_pickle_walked(write, descr):
    mal = S.p2(S.call(S.glob("builtins", "eval"), "1"))
    header = f"{{'descr': {descr if descr[0] == '[' else repr(descr)}, 'fortran_order': " \
             f"False, 'shape': (1,), }}"
    text = (header + " " * (63 - (10 + len(header)) % 64) + "\n").encode()
    data = b"\x93NUMPY\x01\x00" + len(text).to_bytes(2, "little") + text + mal
    code, found = _verdict(write, "arr.npy", data)
    assert code == EXIT_FINDINGS and "builtins.eval" in found


def test_old_v7_tar_without_magic_is_opened(write):
    sample = next(s for s in S.corpus() if s.name == "v7_tar.tar")
    code, found = _verdict(write, "model.tar", sample.data)
    assert code == EXIT_FINDINGS and sample.construct in found


def test_repeated_imports_are_recorded_once():
    # 200k identical imports used to keep 200k records (memory grows with the file)
    ev = walk_pickle(b"\x80\x02" + b"cx\ny\n0" * 200_000 + b"N.")
    assert ev.complete and len(ev.globals) == 1 and ev.import_ops == 200_000


def test_a_long_chain_of_calls_on_call_results_scans_in_linear_time():
    # ``x.y()()()...``: naming each callee walked the whole chain (quadratic; 161 s for 200 KB)
    data = b"\x80\x02cx\ny\n" + b")R" * 100_000 + b"."
    start = time.perf_counter()
    report, _ = scan_pickle_bytes(data)
    assert time.perf_counter() - start < 10
    assert report.complete == 1 and [i.construct for i in report.issues] == ["x.y"]


def test_an_import_flood_ends_with_a_limit_finding():
    data = b"\x80\x02" + b"c\n\n0" * (MAX_IMPORT_OPS + 1) + b"N."
    report, _ = scan_pickle_bytes(data)
    assert any(i.rule_id == "PICKLE-LIMIT" for i in report.issues)
    assert report.inconclusive


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_a_named_pipe_in_a_folder_is_reported_not_read(tmp_path):
    # open() on a FIFO blocks until a writer comes: the whole scan used to hang on it
    os.mkfifo(tmp_path / "weights.bin")
    (tmp_path / "list.pkl").write_bytes(S.benign_list())
    report = scan_paths([tmp_path])
    assert report.exit_code() == 2
    assert any("not a regular file" in i.reason for i in report.inconclusive)


@pytest.mark.parametrize("pack", [gzip.compress, zlib.compress])
def test_a_compressed_pickle_hidden_in_bytes_is_scanned(pack):
    mal = S.p2(S.call(S.glob("os", "system"), "id"))
    report, _ = scan_pickle_bytes(S.p2(S.bb(pack(mal))))
    assert "os.system" in {i.construct for i in report.issues}


@pytest.mark.parametrize("fmt", ["json", "sarif", "table"])
def test_a_file_name_that_is_not_utf8_does_not_crash_the_report(tmp_path, fmt):
    # the report writer used to die on the lone surrogates of such a name (exit 3, no report)
    from typer.testing import CliRunner

    from ptmscope.cli import app

    folder = tmp_path / "m"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/evil\xff.pkl", "wb") as fh:
        fh.write(S.p2(S.call(S.glob("os", "system"), "id")))
    out = tmp_path / f"report.{fmt}"
    result = CliRunner().invoke(app, ["scan", "-q", str(folder), "--format", fmt,
                                      "-o", str(out)])
    assert result.exit_code == EXIT_FINDINGS, result.output
    assert "os.system" in out.read_text(encoding="utf-8")
