"""Hostile bytes never crash the core scanners: every input ends as a result."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ptmscope.risk.base import ScanContext
from ptmscope.risk.dispatch import Dispatcher
from ptmscope.risk.numpy_scan import NumpyScanner
from ptmscope.risk.pickle_scan import PickleScanner, scan_pickle_bytes, sniff_pickle
from ptmscope.risk.zip_scan import ZipScanner

from . import samples as S

SEEDS = [s.data for s in S.corpus()]
DISPATCHER = Dispatcher()


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A crafted sample with a few bytes flipped, cut or inserted."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.integers(0, 2))
        if kind == 0:
            data[at] = draw(st.integers(0, 255))
        elif kind == 1:
            del data[at:]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
    return bytes(data)


INPUTS = st.one_of(st.binary(max_size=300), mutated())


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(INPUTS)
def test_core_scanners_never_raise(data: bytes) -> None:
    ctx = ScanContext("fuzz", dispatch=DISPATCHER.scan_stream)
    sniff_pickle(data[:4096], "x")
    scan_pickle_bytes(data)
    for scanner in (PickleScanner(), ZipScanner(), NumpyScanner()):
        scanner.scan(io.BytesIO(data), ctx)


@settings(max_examples=500, deadline=None)
@given(INPUTS)
def test_dispatch_of_any_bytes_is_a_result_not_a_scanner_error(data: bytes) -> None:
    result = DISPATCHER.scan_stream(io.BytesIO(data), ScanContext("fuzz"))
    errors = [i for i in result.issues if i.rule_id == "SCAN-SCANNER-ERROR"
              and i.construct in ("pickle", "zip", "pytorch-zip", "numpy", "pytorch-legacy")]
    assert errors == []
