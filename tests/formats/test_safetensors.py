"""The shared safetensors module: writer -> reader round trips, every problem, bounds, markers."""

from __future__ import annotations

import doctest
import json
import os
import struct
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ptmscope.formats import safetensors as st_format
from ptmscope.formats.safetensors import (
    DTYPE_BITS,
    DTYPE_BYTES,
    MAX_HEADER_BYTES,
    METADATA_MAX_CHARS,
    METADATA_MAX_ENTRIES,
    HeaderProblem,
    ProblemKind,
    SafetensorsHeader,
    parse_header_bytes,
    read_header,
    safetensors_bytes,
)
from ptmscope.risk import safetensors_scan


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _raw_header(doc: object, *, data: bytes = b"") -> bytes:
    """A file whose header is exactly ``doc`` as JSON (no validation, for malformed cases)."""
    text = json.dumps(doc).encode()
    return struct.pack("<Q", len(text)) + text + data


def _read_ok(path: Path, **kwargs: Any) -> SafetensorsHeader:
    header = read_header(path, path.name, **kwargs)
    assert isinstance(header, SafetensorsHeader), header
    return header


# --- round trips ---------------------------------------------------------------------------
def test_round_trip_keeps_counts_dtypes_metadata_and_sizes(tmp_path: Path) -> None:
    tensors = {
        "w": np.arange(32, dtype="<f4").reshape(4, 8),
        "b": np.ones(8, dtype="<f2"),
        "q": np.full((2, 2), 3, dtype="i1"),
        "ids": np.arange(5, dtype="<i8"),
        "mask": np.array([True, False, True]),
    }
    data = safetensors_bytes(tensors, {"format": "pt"})
    header = _read_ok(_write(tmp_path / "model.safetensors", data))
    assert (header.path, header.tensors, header.parameters) == ("model.safetensors", 5, 52)
    assert header.dtypes == {"F32": 32, "F16": 8, "I8": 4, "I64": 5, "BOOL": 3}
    assert header.metadata == {"format": "pt"}
    assert header.header_bytes % 8 == 0  # padded like the reference writer
    assert header.data_bytes == sum(a.nbytes for a in tensors.values())
    assert header.file_size == len(data) == header.expected_file_size
    assert header.quantized is False


def test_writer_stores_little_endian_c_order_bytes_at_the_declared_offsets() -> None:
    big_endian = np.arange(6, dtype=">i4").reshape(2, 3)
    transposed = np.arange(6, dtype="<f8").reshape(2, 3).T  # not C-contiguous
    data = safetensors_bytes({"a": big_endian, "t": transposed})
    (length,) = struct.unpack("<Q", data[:8])
    doc = json.loads(data[8:8 + length])
    body = data[8 + length:]
    assert "__metadata__" not in doc  # none given, none written
    assert list(doc) == ["a", "t"]
    a_begin, a_end = doc["a"]["data_offsets"]
    t_begin, t_end = doc["t"]["data_offsets"]
    assert (doc["a"]["dtype"], doc["a"]["shape"]) == ("I32", [2, 3])
    assert (doc["t"]["dtype"], doc["t"]["shape"]) == ("F64", [3, 2])
    assert body[a_begin:a_end] == np.arange(6, dtype="<i4").tobytes()
    assert body[t_begin:t_end] == np.ascontiguousarray(transposed).astype("<f8").tobytes()
    assert t_end == len(body)


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(
    st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=12)
    .filter(lambda n: n != "__metadata__"),
    st.tuples(st.sampled_from(["<f4", "<f2", "<f8", "i1", "u1", "<i2", "<u4", "<i8", "?"]),
              st.lists(st.integers(0, 4), max_size=3)),
    max_size=5))
def test_any_written_file_reads_back_its_shapes(spec: dict[str, tuple[str, list[int]]]) -> None:
    arrays = {name: np.zeros(shape, dtype=dtype) for name, (dtype, shape) in spec.items()}
    data = safetensors_bytes(arrays)
    (length,) = struct.unpack("<Q", data[:8])
    header = parse_header_bytes("m.safetensors", data[8:8 + length], file_size=len(data))
    assert isinstance(header, SafetensorsHeader)
    assert header.tensors == len(arrays)
    assert header.parameters == sum(a.size for a in arrays.values())
    assert header.expected_file_size == len(data)


def test_writer_refuses_what_safetensors_cannot_hold() -> None:
    with pytest.raises(ValueError, match="numpy dtype"):
        safetensors_bytes({"when": np.zeros(2, dtype="datetime64[s]")})
    with pytest.raises(ValueError, match="__metadata__"):
        safetensors_bytes({"__metadata__": np.zeros(1, dtype="<f4")})


# --- problems ------------------------------------------------------------------------------
_ENTRY = {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}


@pytest.mark.parametrize(("content", "kind", "words"), [
    (b"version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 9\n",
     ProblemKind.LFS_POINTER, "LFS pointer"),
    (b"version https://hawser.github.com/spec/v1\noid sha256:ab\nsize 9\n",
     ProblemKind.LFS_POINTER, "LFS pointer"),
    (b"", ProblemKind.TOO_SHORT, "shorter than 8 bytes"),
    (b"\x01\x02", ProblemKind.TOO_SHORT, "shorter than 8 bytes"),
    (struct.pack("<Q", 10**12) + b"{}", ProblemKind.OVER_BOUND, "bound"),
    (struct.pack("<Q", 100) + b'{"a":', ProblemKind.TRUNCATED, "ends inside the header"),
    (struct.pack("<Q", 5) + b"nope!", ProblemKind.NOT_JSON, "not JSON"),
    (struct.pack("<Q", 4) + b"\xff\xfe\x00\x01", ProblemKind.NOT_JSON, "not JSON"),
    (struct.pack("<Q", 2) + b"[]", ProblemKind.NOT_OBJECT, "not an object"),
    (struct.pack("<Q", 24) + b'{"w":{"dtype":"F32"}}   ', ProblemKind.MALFORMED_ENTRY,
     "malformed shape"),
    (_raw_header({"w": [1, 2]}), ProblemKind.MALFORMED_ENTRY, "not an object"),
    (_raw_header({"w": {**_ENTRY, "shape": [-1]}}), ProblemKind.MALFORMED_ENTRY,
     "malformed shape"),
    (_raw_header({"w": {**_ENTRY, "shape": [True, 2]}}), ProblemKind.MALFORMED_ENTRY,
     "malformed shape"),
    (_raw_header({"w": {**_ENTRY, "shape": [2.0]}}), ProblemKind.MALFORMED_ENTRY,
     "malformed shape"),
    (_raw_header({"w": {**_ENTRY, "shape": [2**40, 2**40]}}), ProblemKind.MALFORMED_ENTRY,
     "malformed shape"),
    (_raw_header({"w": {**_ENTRY, "data_offsets": [8, 0]}}), ProblemKind.MALFORMED_ENTRY,
     "malformed data_offsets"),
    (_raw_header({"w": {**_ENTRY, "data_offsets": [0]}}), ProblemKind.MALFORMED_ENTRY,
     "malformed data_offsets"),
    (_raw_header({"w": {"dtype": "F32", "shape": [2]}}), ProblemKind.MALFORMED_ENTRY,
     "malformed data_offsets"),
    (_raw_header({"w": {**_ENTRY, "dtype": 7}}), ProblemKind.MALFORMED_ENTRY,
     "malformed dtype"),
], ids=["lfs pointer", "old lfs pointer", "empty", "two bytes", "huge declared length",
        "file ends in the header", "garbage", "not utf-8", "header is a list",
        "entry lacks shape", "entry is a list", "negative dim", "bool dim", "float dim",
        "element count overflows 64 bits", "offsets reversed", "one offset", "no offsets",
        "dtype not a string"])
def test_broken_files_are_problems_not_exceptions(tmp_path: Path, content: bytes,
                                                  kind: ProblemKind, words: str) -> None:
    problem = read_header(_write(tmp_path / "x.safetensors", content), "repo/x.safetensors")
    assert isinstance(problem, HeaderProblem)
    assert (problem.path, problem.kind) == ("repo/x.safetensors", kind)
    assert words in problem.reason


def test_missing_files_directories_and_fifos_are_unreadable(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.safetensors"
    os.mkfifo(fifo)  # opening it for reading must not block
    for path in (tmp_path / "absent.safetensors", tmp_path, fifo):
        problem = read_header(path, path.name)
        assert isinstance(problem, HeaderProblem) and problem.kind is ProblemKind.UNREADABLE


def test_tensor_names_in_reasons_are_clipped(tmp_path: Path) -> None:
    name = "n" * 5000
    problem = read_header(_write(tmp_path / "x.safetensors", _raw_header({name: 1})), "x")
    assert isinstance(problem, HeaderProblem) and len(problem.reason) < 120


# --- bounds --------------------------------------------------------------------------------
def test_the_bound_is_inclusive_and_refuses_without_reading(tmp_path: Path) -> None:
    data = safetensors_bytes({"w": np.zeros(3, dtype="<f4")})
    (length,) = struct.unpack("<Q", data[:8])
    path = _write(tmp_path / "m.safetensors", data)
    assert _read_ok(path, max_bytes=length).header_bytes == length
    problem = read_header(path, "m.safetensors", max_bytes=length - 1)
    assert isinstance(problem, HeaderProblem) and problem.kind is ProblemKind.OVER_BOUND
    assert f"{length:,} bytes" in problem.reason and "bound" in problem.reason
    assert MAX_HEADER_BYTES == 100_000_000  # the reference reader's own limit


class _CountingReader:
    """A file object that counts the bytes handed out (to prove reads stay bounded)."""

    def __init__(self, inner: BinaryIO) -> None:
        self.inner, self.count = inner, 0

    def read(self, size: int = -1) -> bytes:
        assert size >= 0, "an unbounded read"
        chunk = self.inner.read(size)
        self.count += len(chunk)
        return chunk

    def fileno(self) -> int:
        return self.inner.fileno()

    def __enter__(self) -> _CountingReader:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.inner.close()


def test_only_the_length_and_header_are_read(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    big = np.zeros(250_000, dtype="<f4")  # 1 MB of data that must stay unread
    path = _write(tmp_path / "m.safetensors", safetensors_bytes({"w": big}))
    opened: list[_CountingReader] = []

    def counting_open(file_path: str | Path) -> _CountingReader:
        opened.append(_CountingReader(open(file_path, "rb")))  # noqa: SIM115
        return opened[-1]

    monkeypatch.setattr(st_format, "_open_regular", counting_open)
    header = _read_ok(path)
    assert opened[0].count == 8 + header.header_bytes < 200
    cut = _write(tmp_path / "cut.safetensors", struct.pack("<Q", 10_000) + b"{}")
    assert isinstance(read_header(cut, "cut"), HeaderProblem)
    assert opened[1].count == 10  # never asks for more than the file holds


def test_metadata_is_clipped_and_non_maps_are_ignored(tmp_path: Path) -> None:
    meta = {f"k{i}": "v" * 1000 for i in range(METADATA_MAX_ENTRIES + 10)}
    header = _read_ok(_write(tmp_path / "m.safetensors", safetensors_bytes(
        {"w": np.zeros(1, dtype="<f4")}, meta)))
    assert len(header.metadata) == METADATA_MAX_ENTRIES
    assert all(len(v) == METADATA_MAX_CHARS for v in header.metadata.values())
    odd = _read_ok(_write(tmp_path / "o.safetensors", _raw_header(
        {"__metadata__": ["x"], "w": _ENTRY}, data=bytes(8))))
    assert odd.metadata == {} and odd.parameters == 2


def test_file_size_shows_truncation_and_trailing_bytes(tmp_path: Path) -> None:
    data = safetensors_bytes({"w": np.zeros(100, dtype="<f4")})
    cut = _read_ok(_write(tmp_path / "cut.safetensors", data[:-12]))
    padded = _read_ok(_write(tmp_path / "pad.safetensors", data + b"xx"))
    assert cut.file_size == cut.expected_file_size - 12
    assert padded.file_size == padded.expected_file_size + 2


# --- quantized markers ---------------------------------------------------------------------
@pytest.mark.parametrize("name", [
    "model.layers.0.self_attn.q_proj.qweight", "model.layers.0.mlp.qzeros", "layer.g_idx",
    "layer.weight.absmax", "layer.weight.quant_map", "layer.weight.quant_state",
    "layer.weight_scale", "layer.scales",
])
def test_quantized_tensor_names_are_marked(tmp_path: Path, name: str) -> None:
    data = safetensors_bytes({name: np.zeros(4, dtype="i1"), "embed.weight":
                              np.zeros(4, dtype="<f2")})
    assert _read_ok(_write(tmp_path / "q.safetensors", data)).quantized is True


@pytest.mark.parametrize("name", ["layer.weight", "layer.bias", "scales_embedding.weight",
                                  "qweight_norm.weight"])
def test_ordinary_tensor_names_are_not_quantized(tmp_path: Path, name: str) -> None:
    data = safetensors_bytes({name: np.zeros(4, dtype="<f4")})
    assert _read_ok(_write(tmp_path / "p.safetensors", data)).quantized is False


# --- tables and docs -----------------------------------------------------------------------
def test_dtype_tables_agree_and_are_the_ones_the_risk_scanner_uses() -> None:
    assert DTYPE_BYTES.keys() == DTYPE_BITS.keys()
    assert all(DTYPE_BYTES[k] * 8 == DTYPE_BITS[k] for k in DTYPE_BITS)
    assert (DTYPE_BYTES["F32"], DTYPE_BYTES["BF16"], DTYPE_BYTES["F4"]) == (4, 2, 0.5)
    assert safetensors_scan.DTYPE_BITS is DTYPE_BITS
    with pytest.raises(TypeError):
        DTYPE_BITS["X"] = 1  # type: ignore[index]


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(st_format)
    assert result.attempted > 0 and result.failed == 0
