"""Read a safetensors header, bounded, without touching the weights.

A safetensors file is ``<u64 little-endian N><N bytes of JSON header><raw tensor data>``. The
header maps each tensor name to ``{"dtype", "shape", "data_offsets": [begin, end]}`` (offsets
relative to the data section), plus an optional ``__metadata__`` string map. Counting
parameters is a product of shapes, so a multi-gigabyte model costs a few kilobytes of reading.
Headers over ``MAX_HEADER_BYTES`` (the format's own limit is 100 MB) are refused, as are
malformed ones; nothing in the file is executed or deserialised beyond JSON.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

#: The largest header we read (safetensors itself refuses more than 100 MB).
MAX_HEADER_BYTES = 100_000_000
LFS_POINTER_PREFIX = b"version https://git-lfs"

#: Tensor-name endings that mean packed / quantized storage (element counts understate).
QUANTIZED_MARKERS = ("qweight", "qzeros", "g_idx", ".absmax", "quant_map", "quant_state",
                     "weight_scale", ".scales")
#: Bytes per element of each safetensors dtype.
DTYPE_BYTES: Mapping[str, float] = {
    "F64": 8, "I64": 8, "U64": 8, "F32": 4, "I32": 4, "U32": 4, "F16": 2, "BF16": 2, "I16": 2,
    "U16": 2, "I8": 1, "U8": 1, "BOOL": 1, "F8_E4M3": 1, "F8_E5M2": 1, "F8_E8M0": 1,
    "F4": 0.5, "F6_E2M3": 0.75, "F6_E3M2": 0.75,
}


@dataclass(frozen=True, slots=True)
class HeaderSummary:
    """What a safetensors header tells without reading the weights.

    Attributes:
        path: the file's path inside the repository.
        parameters: total number of elements over all tensors.
        tensors: number of tensors.
        dtypes: element count per dtype.
        data_bytes: the end of the last tensor's data (what the data section must hold).
        header_bytes: the JSON header's length.
        file_size: the file's size on disk.
        quantized: True when tensor names show packed quantized storage.
        problem: why the header could not be read (then the numbers are 0).
    """

    path: str
    parameters: int = 0
    tensors: int = 0
    dtypes: Mapping[str, int] = field(default_factory=dict)
    data_bytes: int = 0
    header_bytes: int = 0
    file_size: int = 0
    quantized: bool = False
    problem: str | None = None

    @property
    def expected_file_size(self) -> int:
        """The size the file must have given its header."""
        return 8 + self.header_bytes + self.data_bytes


def summarise_header(path: str, header: Mapping[str, object], header_bytes: int,
                     file_size: int) -> HeaderSummary:
    """Summarise a parsed header (pure; see ``read_header`` for the I/O)."""
    parameters = 0
    data_end = 0
    tensors = 0
    dtypes: dict[str, int] = {}
    quantized = False
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if not isinstance(entry, Mapping):
            return HeaderSummary(path, file_size=file_size, problem=f"entry {name[:60]!r} is "
                                 "not an object")
        shape, offsets, dtype = entry.get("shape"), entry.get("data_offsets"), entry.get("dtype")
        if (not isinstance(shape, list) or not all(isinstance(d, int) and d >= 0 for d in shape)
                or not isinstance(offsets, list) or len(offsets) != 2
                or not all(isinstance(o, int) for o in offsets) or not isinstance(dtype, str)):
            return HeaderSummary(path, file_size=file_size,
                                 problem=f"tensor {name[:60]!r} has a malformed entry")
        count = math.prod(shape)
        parameters += count
        tensors += 1
        dtypes[dtype] = dtypes.get(dtype, 0) + count
        data_end = max(data_end, int(offsets[1]))
        quantized = quantized or name.endswith(QUANTIZED_MARKERS)
    return HeaderSummary(path, parameters, tensors, dtypes, data_end, header_bytes, file_size,
                         quantized)


def read_header(local_path: str | Path, repo_path: str) -> HeaderSummary:
    """Read and summarise the header of the safetensors file at ``local_path`` (bounded).

    Args:
        local_path: the file on disk.
        repo_path: its path inside the repository (for messages).
    Returns:
        a ``HeaderSummary`` (with ``problem`` set when unreadable, an LFS pointer or malformed).
    """
    path = Path(local_path)
    try:
        file_size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
            if head.startswith(LFS_POINTER_PREFIX[:8]) and (
                    head + fh.read(len(LFS_POINTER_PREFIX) - 8)).startswith(LFS_POINTER_PREFIX):
                return HeaderSummary(repo_path, file_size=file_size,
                                     problem="a Git LFS pointer: the weights are not local")
            if len(head) < 8:
                return HeaderSummary(repo_path, file_size=file_size, problem="shorter than 8 bytes")
            (length,) = struct.unpack("<Q", head)
            if length > MAX_HEADER_BYTES or length > file_size - 8:
                return HeaderSummary(repo_path, file_size=file_size,
                                     problem=f"header length {length} is impossible")
            raw = fh.read(length)
    except OSError as err:
        return HeaderSummary(repo_path, problem=f"unreadable: {err.strerror or err}")
    try:
        header = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return HeaderSummary(repo_path, file_size=file_size, problem="header is not JSON")
    if not isinstance(header, dict):
        return HeaderSummary(repo_path, file_size=file_size, problem="header is not an object")
    return summarise_header(repo_path, header, length, file_size)
