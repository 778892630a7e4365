"""Read a safetensors header (and only the header) to learn tensor shapes and parameter counts.

A safetensors file starts with an 8-byte little-endian length N, then N bytes of JSON mapping
tensor names to ``{"dtype", "shape", "data_offsets"}`` (plus an optional ``__metadata__``).
This module reads those N bytes, with N capped, and never touches the weights. Any malformed
header becomes a :class:`HeaderProblem` value rather than an exception.
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass, field
from pathlib import Path

#: Largest header this module reads (the format's own reference reader caps it at 100 MB).
MAX_HEADER_BYTES = 100 * 1024 * 1024

#: Bytes per element of each safetensors dtype (sub-byte types count as fractions).
DTYPE_BYTES: dict[str, float] = {
    "BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "F8_E8M0": 1,
    "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
    "I32": 4, "U32": 4, "F32": 4,
    "I64": 8, "U64": 8, "F64": 8,
    "F4": 0.5, "F6_E2M3": 0.75, "F6_E3M2": 0.75,
}


@dataclass(frozen=True, slots=True)
class SafetensorsHeader:
    """What a safetensors header says.

    Attributes:
        path: the file's path inside the repo.
        tensors: number of tensors.
        parameters: total elements over all tensors.
        dtypes: element count per dtype.
        metadata: the ``__metadata__`` string map (may be empty).
        header_bytes: the declared header length.
    """

    path: str
    tensors: int
    parameters: int
    dtypes: dict[str, int] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)
    header_bytes: int = 0


@dataclass(frozen=True, slots=True)
class HeaderProblem:
    """Why a safetensors header could not be read (a result, not an exception)."""

    path: str
    reason: str


def parse_header_bytes(path: str, header: bytes) -> SafetensorsHeader | HeaderProblem:
    """Interpret the JSON header bytes of a safetensors file named ``path``.

    >>> raw = b'{"w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}}'
    >>> parse_header_bytes("model.safetensors", raw).parameters
    6
    """
    try:
        doc = json.loads(header.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return HeaderProblem(path, "header is not UTF-8 JSON")
    if not isinstance(doc, dict):
        return HeaderProblem(path, "header is not a JSON object")
    total = 0
    tensors = 0
    dtypes: dict[str, int] = {}
    meta: dict[str, str] = {}
    for name, entry in doc.items():
        if name == "__metadata__":
            if isinstance(entry, dict):
                meta = {str(k): str(v)[:200] for k, v in list(entry.items())[:50]}
            continue
        if not isinstance(entry, dict):
            return HeaderProblem(path, f"tensor {str(name)[:60]!r} is not an object")
        shape = entry.get("shape")
        dtype = entry.get("dtype")
        if not isinstance(shape, list) or not all(
            isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape
        ):
            return HeaderProblem(path, f"tensor {str(name)[:60]!r} has a malformed shape")
        count = math.prod(shape)
        total += count
        tensors += 1
        key = str(dtype) if isinstance(dtype, str) else "?"
        dtypes[key] = dtypes.get(key, 0) + count
    return SafetensorsHeader(path, tensors, total, dtypes, meta, len(header))


def read_header(
    file_path: str | Path, repo_path: str, max_bytes: int = MAX_HEADER_BYTES
) -> SafetensorsHeader | HeaderProblem:
    """Read the header of the safetensors file at ``file_path`` (bounded; weights never read).

    Args:
        file_path: where the file is on disk.
        repo_path: its path inside the repo, used in results.
        max_bytes: refuse headers declaring more than this many bytes.
    Returns:
        the parsed header, or a :class:`HeaderProblem` (LFS pointer, truncated, too large...).
    """
    try:
        with open(file_path, "rb") as handle:
            prefix = handle.read(8)
            if prefix == b"version " and b"git-lfs" in handle.read(40):
                return HeaderProblem(repo_path, "only the Git LFS pointer is on disk")
            if len(prefix) < 8:
                return HeaderProblem(repo_path, "file is shorter than the 8-byte header length")
            (length,) = struct.unpack("<Q", prefix)
            if length > max_bytes:
                return HeaderProblem(
                    repo_path,
                    f"declared header of {length:,} bytes is over the {max_bytes:,} bound",
                )
            header = handle.read(length)
    except OSError as err:
        return HeaderProblem(repo_path, f"cannot read: {err.strerror or type(err).__name__}")
    if len(header) < length:
        return HeaderProblem(repo_path, "file ends inside the header")
    return parse_header_bytes(repo_path, header)
