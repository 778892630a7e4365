"""Safetensors at the byte level: one bounded header reader, one writer, the dtype table.

A safetensors file is ``<u64 little-endian N><N bytes of UTF-8 JSON header><tensor data>``.
The header maps each tensor name to ``{"dtype", "shape", "data_offsets": [begin, end]}``
(offsets relative to the data section) plus an optional ``__metadata__`` string map. Counting
parameters is a product of shapes, so a multi-gigabyte model costs a few kilobytes of reading.

* :func:`read_header` reads the length and the header of a local file, never the tensor data,
  refusing headers over a bound (the format's reference reader refuses more than 100 MB). It
  returns a :class:`SafetensorsHeader`, or a :class:`HeaderProblem` saying why not (an LFS
  pointer in place of the weights, a truncated file, a header over the bound, not JSON, a
  malformed entry...): bad files are results, never exceptions.
* :func:`safetensors_bytes` writes small files (demo corpus, test fixtures, tiny models).
* :data:`DTYPE_BITS` / :data:`DTYPE_BYTES` give the element size of every dtype.

The reader is lenient on purpose (it measures; unknown dtypes and gaps between tensors are let
through): ``ptmscope.risk.safetensors_scan`` validates headers strictly with its own parser.
"""

from __future__ import annotations

import json
import os
import stat
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:  # numpy is only needed by callers of the writer, not to import this module
    import numpy.typing as npt

#: The largest header read (the reference implementation refuses more than 100 MB).
MAX_HEADER_BYTES = 100_000_000
#: Element counts past this overflow the reference reader's 64-bit arithmetic: malformed.
MAX_ELEMENTS = 2**64 - 1
#: ``__metadata__`` is kept clipped: this many entries, each value this many characters.
METADATA_MAX_ENTRIES = 50
METADATA_MAX_CHARS = 200

#: Bits per element of every dtype safetensors defines (sub-byte floats included).
DTYPE_BITS: Mapping[str, int] = MappingProxyType({
    "BOOL": 8, "U8": 8, "I8": 8, "F8_E5M2": 8, "F8_E4M3": 8, "F8_E8M0": 8,
    "I16": 16, "U16": 16, "F16": 16, "BF16": 16,
    "I32": 32, "U32": 32, "F32": 32, "C64": 64,
    "I64": 64, "U64": 64, "F64": 64,
    "F4": 4, "F6_E2M3": 6, "F6_E3M2": 6,
})
#: Bytes per element of every dtype (sub-byte types count as fractions: ``F4`` is 0.5).
DTYPE_BYTES: Mapping[str, float] = MappingProxyType(
    {name: bits / 8 for name, bits in DTYPE_BITS.items()})

#: Tensor-name endings that mean packed / quantized storage (element counts understate the
#: parameters): GPTQ/AWQ ``qweight``/``qzeros``/``g_idx``/``scales``, bitsandbytes
#: ``absmax``/``quant_map``/``quant_state``, FP8 ``weight_scale``.
QUANTIZED_MARKERS = ("qweight", "qzeros", "g_idx", ".absmax", "quant_map", "quant_state",
                     "weight_scale", ".scales")

#: numpy dtype names the writer serialises, with their safetensors names.
_NUMPY_TO_SAFETENSORS: Mapping[str, str] = MappingProxyType({
    "bool": "BOOL", "uint8": "U8", "int8": "I8", "uint16": "U16", "int16": "I16",
    "float16": "F16", "uint32": "U32", "int32": "I32", "float32": "F32", "uint64": "U64",
    "int64": "I64", "float64": "F64", "complex64": "C64",
})
_LFS_SPEC_URLS = (b"https://git-lfs.github.com/spec/", b"https://hawser.github.com/spec/")
_LENGTH = struct.Struct("<Q")


class ProblemKind(StrEnum):
    """Why a header was not read; callers decide outcomes by kind, not by message text."""

    NOT_LOCAL = "not_local"  #: the caller has no file on disk (listing only)
    SKIPPED = "skipped"  #: the caller chose not to read it (a per-model budget)
    UNREADABLE = "unreadable"  #: the OS refused, or it is not a regular file
    LFS_POINTER = "lfs_pointer"  #: only the Git LFS pointer is on disk, not the weights
    TOO_SHORT = "too_short"  #: fewer than the 8 bytes of the length field
    OVER_BOUND = "over_bound"  #: the declared header length is over the reader's bound
    TRUNCATED = "truncated"  #: the file ends inside the header
    NOT_JSON = "not_json"  #: the header is not UTF-8 JSON
    NOT_OBJECT = "not_object"  #: the header is JSON but not an object
    MALFORMED_ENTRY = "malformed_entry"  #: a tensor entry lacks a valid dtype/shape/offsets


@dataclass(frozen=True, slots=True)
class HeaderProblem:
    """Why a safetensors header could not be read (a result, not an exception).

    Attributes:
        path: the file's path inside the repository.
        reason: one human line (names from the file clipped, still to escape on display).
        kind: the class of problem.
    """

    path: str
    reason: str
    kind: ProblemKind


@dataclass(frozen=True, slots=True)
class SafetensorsHeader:
    """What a safetensors header says, read without touching the weights.

    Attributes:
        path: the file's path inside the repository.
        tensors: number of tensors.
        parameters: total number of elements over all tensors.
        dtypes: element count per dtype.
        metadata: the ``__metadata__`` string map, clipped (may be empty).
        header_bytes: the declared JSON header length.
        data_bytes: the end of the last tensor's data (what the data section must hold).
        file_size: the file's size on disk (0 when only header bytes were parsed).
        quantized: True when tensor names show packed quantized storage.
    """

    path: str
    tensors: int
    parameters: int
    dtypes: Mapping[str, int] = field(default_factory=dict)
    metadata: Mapping[str, str] = field(default_factory=dict)
    header_bytes: int = 0
    data_bytes: int = 0
    file_size: int = 0
    quantized: bool = False

    @property
    def expected_file_size(self) -> int:
        """The size the file must have given its header (length field, header, data)."""
        return _LENGTH.size + self.header_bytes + self.data_bytes


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _element_count(shape: object) -> int | None:
    """The product of ``shape``; None unless a list of non-negative ints fitting 64 bits."""
    if not isinstance(shape, list) or not all(_is_count(d) for d in shape):
        return None
    count = 1
    for dim in shape:  # stop early: a hostile shape must not build a huge integer
        count *= dim
        if count > MAX_ELEMENTS:
            return None
    return count


def _data_end(offsets: object) -> int | None:
    """The end offset of ``[begin, end]``; None unless two ordered non-negative ints."""
    if (not isinstance(offsets, list) or len(offsets) != 2
            or not all(_is_count(o) for o in offsets) or offsets[0] > offsets[1]):
        return None
    return int(offsets[1])


def _clip_metadata(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k)[:METADATA_MAX_CHARS]: str(v)[:METADATA_MAX_CHARS]
            for k, v in list(value.items())[:METADATA_MAX_ENTRIES]}


def _tensor_entry(path: str, name: str, entry: object) -> tuple[str, int, int] | HeaderProblem:
    """``(dtype, element count, data end)`` of one tensor entry, or why it is malformed."""
    if not isinstance(entry, dict):
        return HeaderProblem(path, f"tensor {name[:60]!r} is not an object",
                             ProblemKind.MALFORMED_ENTRY)
    count = _element_count(entry.get("shape"))
    end = _data_end(entry.get("data_offsets"))
    dtype = entry.get("dtype")
    if count is not None and end is not None and isinstance(dtype, str):
        return dtype, count, end
    flaw = "shape" if count is None else "data_offsets" if end is None else "dtype"
    return HeaderProblem(path, f"tensor {name[:60]!r} has a malformed {flaw}",
                         ProblemKind.MALFORMED_ENTRY)


def parse_header_bytes(path: str, header: bytes, *,
                       file_size: int = 0) -> SafetensorsHeader | HeaderProblem:
    """Interpret the JSON header bytes of a safetensors file named ``path`` (pure).

    Args:
        path: the file's path inside the repository, used in results.
        header: the ``N`` header bytes (after the 8-byte length).
        file_size: the whole file's size, when known.

    >>> raw = b'{"w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}}'
    >>> parse_header_bytes("model.safetensors", raw).parameters
    6
    """
    try:
        doc = json.loads(header.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return HeaderProblem(path, "header is not JSON (or not UTF-8)", ProblemKind.NOT_JSON)
    if not isinstance(doc, dict):
        return HeaderProblem(path, "header is JSON but not an object", ProblemKind.NOT_OBJECT)
    parameters = tensors = data_end = 0
    dtypes: dict[str, int] = {}
    quantized = False
    for name, entry in doc.items():
        if name == "__metadata__":
            continue
        read = _tensor_entry(path, name, entry)
        if isinstance(read, HeaderProblem):
            return read
        dtype, count, end = read
        parameters += count
        tensors += 1
        dtypes[dtype] = dtypes.get(dtype, 0) + count
        data_end = max(data_end, end)
        quantized = quantized or name.endswith(QUANTIZED_MARKERS)
    return SafetensorsHeader(path, tensors, parameters, dtypes,
                             _clip_metadata(doc.get("__metadata__")), len(header), data_end,
                             file_size, quantized)


def _open_regular(file_path: str | Path) -> BinaryIO | None:
    """Open a file for reading; None when it is not a regular file (never blocks on a FIFO)."""
    fd = os.open(file_path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    os.close(fd)
    return None


def _is_lfs_pointer(prefix: bytes, handle: BinaryIO) -> bool:
    if prefix != b"version ":
        return False
    rest = handle.read(max(len(url) for url in _LFS_SPEC_URLS))
    return rest.startswith(_LFS_SPEC_URLS)


def read_header(file_path: str | Path, repo_path: str,
                max_bytes: int = MAX_HEADER_BYTES) -> SafetensorsHeader | HeaderProblem:
    """Read the header of the safetensors file at ``file_path`` (bounded; weights never read).

    At most ``8 + min(max_bytes, file size - 8)`` bytes are read (a file starting with
    ``version `` gets a 32-byte look for an LFS pointer instead).

    Args:
        file_path: where the file is on disk.
        repo_path: its path inside the repository, used in results.
        max_bytes: refuse headers declaring more than this many bytes.
    Returns:
        the header, or a :class:`HeaderProblem` (LFS pointer, truncated, over the bound...).
    """
    try:
        opened = _open_regular(file_path)
        if opened is None:
            return HeaderProblem(repo_path, "not a regular file", ProblemKind.UNREADABLE)
        with opened as handle:
            file_size = os.fstat(handle.fileno()).st_size
            prefix = handle.read(_LENGTH.size)
            if _is_lfs_pointer(prefix, handle):
                return HeaderProblem(repo_path, "only the Git LFS pointer is on disk",
                                     ProblemKind.LFS_POINTER)
            if len(prefix) < _LENGTH.size:
                return HeaderProblem(repo_path, "file is shorter than 8 bytes (the length field)",
                                     ProblemKind.TOO_SHORT)
            (length,) = _LENGTH.unpack(prefix)
            if length > max_bytes:
                return HeaderProblem(
                    repo_path, f"declared header of {length:,} bytes is over the "
                    f"{max_bytes:,}-byte bound", ProblemKind.OVER_BOUND)
            header = handle.read(min(length, max(file_size - _LENGTH.size, 0)))
    except OSError as err:
        return HeaderProblem(repo_path, f"cannot read: {err.strerror or type(err).__name__}",
                             ProblemKind.UNREADABLE)
    if len(header) < length:
        return HeaderProblem(
            repo_path, f"file ends inside the header ({len(header):,} of {length:,} bytes)",
            ProblemKind.TRUNCATED)
    return parse_header_bytes(repo_path, header, file_size=file_size)


def safetensors_bytes(tensors: Mapping[str, npt.NDArray[Any]],
                      metadata: Mapping[str, str] | None = None) -> bytes:
    """Serialise numpy arrays in the safetensors format.

    Tensors are written in name order, little endian, C order; the header is padded with
    spaces to a multiple of 8 bytes as the reference writer does.

    Raises:
        ValueError: a dtype safetensors cannot hold, or a tensor named ``__metadata__``.
    """
    header: dict[str, object] = {}
    if metadata:
        header["__metadata__"] = dict(metadata)
    blobs: list[bytes] = []
    offset = 0
    for name in sorted(tensors):
        array = tensors[name]
        dtype = _NUMPY_TO_SAFETENSORS.get(array.dtype.name)
        if dtype is None or name == "__metadata__":
            raise ValueError(f"cannot write tensor {name!r} of numpy dtype {array.dtype}")
        data = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes(order="C")
        header[name] = {"dtype": dtype, "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return _LENGTH.pack(len(text)) + text + b"".join(blobs)
