"""The pickle walker and scanner on crafted samples: every protocol, memo tricks, nesting."""

from __future__ import annotations

import pickle
from collections import OrderedDict
from pathlib import Path

import pytest

from ptmscope.records import Severity
from ptmscope.risk.pickle_scan import scan_pickle_bytes, sniff_pickle, walk_pickle
from ptmscope.risk.runner import scan_paths

from . import samples as S

MALICIOUS = [s for s in S.corpus() if s.malicious]
BENIGN = [s for s in S.corpus() if not s.malicious]


def _scan(write, name: str, data: bytes):
    return scan_paths([write(name, data)])


@pytest.mark.parametrize("sample", MALICIOUS, ids=[s.name for s in MALICIOUS])
def test_every_malicious_sample_is_flagged_and_names_the_construct(write, sample):
    report = _scan(write, sample.name, sample.data)
    assert any(i.severity.at_least(Severity.MEDIUM) for i in report.issues), report.issues
    assert any(i.construct == sample.construct for i in report.issues), [
        i.construct for i in report.issues]
    flagged = [i for i in report.issues if i.construct == sample.construct]
    assert all(i.path and i.format and i.why and i.location for i in flagged)


@pytest.mark.parametrize("sample", BENIGN, ids=[s.name for s in BENIGN])
def test_no_benign_sample_is_flagged(write, sample):
    report = _scan(write, sample.name, sample.data)
    assert not [i for i in report.issues if i.severity.at_least(Severity.MEDIUM)]


@pytest.mark.parametrize("protocol", range(6))
def test_benign_pickles_of_every_protocol_are_clean(protocol):
    obj = OrderedDict(a=[1, 2.5, "x" * 300, b"y", (1, 2), {3}, frozenset({4}), None, True])
    data = pickle.dumps(obj, protocol=protocol)  # benign object: dumping is safe
    report, _ = scan_pickle_bytes(data)
    assert report.issues == []
    assert report.complete == 1


@pytest.mark.parametrize("protocol", range(6))
def test_dangerous_global_found_in_every_protocol(protocol):
    body = S.stack_global("os", "system") if protocol >= 4 else S.glob("os", "system")
    head = S.proto(protocol) if protocol >= 2 else b""
    data = head + body + S.MARK + S.bu("id") + S.TUPLE + S.REDUCE + S.STOP
    report, _ = scan_pickle_bytes(data)
    assert [i.construct for i in report.issues] == ["os.system"]
    assert report.issues[0].severity is Severity.CRITICAL


def test_stack_global_through_memo_is_resolved_not_guessed():
    ev = walk_pickle(S.corpus()[6].data)
    assert ev.globals[0][2:] == ("os", "system")
    assert ev.dynamic == []


def test_missing_memo_key_and_type_confusion_are_dynamic_globals():
    for name in ("memo_missing.pkl", "memo_type_confusion.pkl"):
        data = next(s.data for s in S.corpus() if s.name == name)
        ev = walk_pickle(data)
        assert ev.dynamic and "STACK_GLOBAL" in ev.dynamic[0][1]


def test_every_pickle_of_a_stream_is_walked():
    data = S.benign_list() + S.benign_list() + S.p2(S.call(S.glob("os", "system"), "x"))
    report, _ = scan_pickle_bytes(data)
    assert report.pickles == 3
    assert report.issues[0].location == f"offset {2 * len(S.benign_list()) + 2}"


def test_truncated_stream_keeps_what_was_seen_before_the_break():
    data = S.p2(S.call(S.glob("builtins", "exec"), "print(1)"))[:30]
    report, _ = scan_pickle_bytes(data)
    rules = {i.rule_id for i in report.issues}
    assert {"PICKLE-GLOBAL-DANGEROUS", "PICKLE-MALFORMED"} <= rules


def test_nested_pickle_location_names_the_encoding():
    data = next(s.data for s in S.corpus() if s.name == "nested_base64.pkl")
    report, _ = scan_pickle_bytes(data)
    inner = next(i for i in report.issues if i.construct == "os.system")
    assert inner.location.startswith("nested base64 at offset")


def test_huge_length_prefix_is_malformed_not_allocated():
    data = S.proto(4) + b"\x8d" + (2**62).to_bytes(8, "little") + b"abc"
    report, _ = scan_pickle_bytes(data)
    assert any(i.rule_id == "PICKLE-MALFORMED" for i in report.issues)


def test_text_files_are_not_taken_for_pickles():
    for text in (b"cat\ndog\nbird\n", b"# README\n", b"{\"a\": 1}", b"(unclosed paren text", b""):
        assert not sniff_pickle(text, "x.txt")
    assert sniff_pickle(b"cbuiltins\nexec\n(X>\nf", "x")  # broken pickle is still a pickle


def test_invalid_utf8_global_is_malformed_not_a_callable():
    report, _ = scan_pickle_bytes(b"cmod\n\xf8\n.")
    assert [i.rule_id for i in report.issues] == ["PICKLE-MALFORMED"]


def test_real_corpus_style_joblib_and_numpy_dumps_are_clean(tmp_path: Path):
    import io

    import joblib
    import numpy as np

    buf = io.BytesIO()
    joblib.dump({"w": np.arange(50.0), "o": np.array([1, None], dtype=object)}, buf)
    report, _ = scan_pickle_bytes(buf.getvalue())
    assert [i for i in report.issues if i.severity.at_least(Severity.LOW)] == []
    joblib.dump({"w": np.arange(50.0)}, tmp_path / "c.joblib", compress=3)
    compressed = scan_paths([tmp_path / "c.joblib"])
    assert compressed.exit_code() == 0 and len(compressed.scanned) == 2
    np.save(tmp_path / "a.npy", np.array([{"k": 1}, None], dtype=object), allow_pickle=True)
    assert scan_paths([tmp_path / "a.npy"]).exit_code() == 0
