"""GGUF (llama.cpp) files: header sanity and the embedded chat template.

GGUF = ``b"GGUF"`` + u32 version + tensor count + metadata (key/value) count, then the
key/values, then one info record per tensor (name, dims, ggml type, offset), then aligned
tensor data. Parsers in C have had heap overflows from counts and string lengths that do not
fit the file (CVE-2024-25664..25668), so every count and length is checked against the bytes
that remain before anything is read. The ``tokenizer.chat_template`` value(s) are handed to
``chat_template.check_template``.

Rule ids: ``GGUF-HEADER`` (magic, version, counts, lengths, types, dims, offsets),
``GGUF-TENSOR-RANGE`` (tensor data outside the file or overlapping), plus the chat-template
rules with format ``gguf``.
"""

from __future__ import annotations

import io
import struct
from typing import BinaryIO, ClassVar

from ptmscope.records import Severity
from ptmscope.risk.base import Inconclusive, RiskIssue, Rule, ScanContext, Scanner, ScanResult
from ptmscope.risk.chat_template import CHAT_RULES, check_template

FORMAT = "gguf"
MAGIC = b"GGUF"
#: Metadata + tensor-info bytes read at most (vocabularies are a few MB).
MAX_HEADER_BYTES = 256 * 1024 * 1024
MAX_STRING = 64 * 1024 * 1024
MAX_ARRAY_DEPTH = 2
MAX_DIMS = 4
MAX_ARRAY_ITEMS = 4_000_000
MAX_TENSORS = 1_000_000
MAX_KV = 1_000_000
DEFAULT_ALIGNMENT = 32
CHAT_TEMPLATE_KEY = "tokenizer.chat_template"
#: Fixed byte sizes of scalar metadata value types (type id -> size).
SCALAR_SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
STRING_TYPE, ARRAY_TYPE = 8, 9
#: ggml tensor types whose storage we know: type id -> (bytes per block, elements per block).
GGML_BLOCKS: dict[int, tuple[int, int]] = {
    0: (4, 1), 1: (2, 1), 2: (18, 32), 3: (20, 32), 6: (22, 32), 7: (24, 32), 8: (34, 32),
    9: (36, 32), 10: (84, 256), 11: (110, 256), 12: (144, 256), 13: (176, 256),
    14: (210, 256), 15: (292, 256), 24: (1, 1), 25: (2, 1), 26: (4, 1), 27: (8, 1),
    28: (8, 1), 30: (2, 1),
}
MAX_GGML_TYPE = 64
_WHY = ("GGUF loaders written in C trust these counts and lengths; values that do not fit the "
        "file have caused heap overflows (CVE-2024-25664..25668)")


class GgufError(ValueError):
    """A header value that does not fit the file (message says which, offset says where)."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class _Reader:
    """Sequential little-endian reads that never go past the file or the header budget."""

    def __init__(self, stream: BinaryIO, size: int, version: int) -> None:
        self.stream = stream
        self.size = size
        self.version = version
        self.pos = 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > self.size:
            raise GgufError(f"needs {n} bytes at offset {self.pos} but the file has "
                            f"{self.size - self.pos} left", self.pos)
        if self.pos + n > MAX_HEADER_BYTES:
            raise GgufError(f"header larger than the {MAX_HEADER_BYTES}-byte bound", self.pos)
        data = self.stream.read(n)
        if len(data) != n:
            raise GgufError("truncated read", self.pos)
        self.pos += n
        return data

    def u32(self) -> int:
        return int(struct.unpack("<I", self.take(4))[0])

    def u64(self) -> int:
        return int(struct.unpack("<Q", self.take(8))[0])

    def count(self) -> int:
        return self.u32() if self.version == 1 else self.u64()

    def string(self) -> str:
        start = self.pos
        length = self.count()
        if length > MAX_STRING or length > self.size - self.pos:
            raise GgufError(f"string length {length} does not fit the file", start)
        return self.take(length).decode("utf-8", errors="replace")

    def skip(self, n: int) -> None:
        if n < 0 or self.pos + n > self.size:
            raise GgufError(f"value of {n} bytes runs past the end of the file", self.pos)
        if self.pos + n > MAX_HEADER_BYTES:
            raise GgufError(f"header larger than the {MAX_HEADER_BYTES}-byte bound", self.pos)
        self.stream.seek(n, io.SEEK_CUR)
        self.pos += n


def _read_value(reader: _Reader, vtype: int, depth: int, keep: bool) -> object:
    """Read (or skip) one metadata value; return it only when ``keep`` and it is a string."""
    if vtype in SCALAR_SIZES:
        data = reader.take(SCALAR_SIZES[vtype])
        return int.from_bytes(data, "little") if vtype in (4, 10) else None
    if vtype == STRING_TYPE:
        start = reader.pos
        length = reader.count()
        if length > reader.size - reader.pos:
            raise GgufError(f"string length {length} does not fit the file", start)
        if keep and length <= MAX_STRING:
            return reader.take(length).decode("utf-8", errors="replace")
        reader.skip(length)
        return None
    if vtype == ARRAY_TYPE:
        if depth >= MAX_ARRAY_DEPTH:
            raise GgufError(f"arrays nested deeper than {MAX_ARRAY_DEPTH}", reader.pos)
        start = reader.pos
        etype = reader.u32()
        n = reader.count()
        min_size = SCALAR_SIZES.get(etype, 8)
        if n * min_size > reader.size - reader.pos:
            raise GgufError(f"array of {n} elements does not fit the file", start)
        if n > MAX_ARRAY_ITEMS and etype not in SCALAR_SIZES:
            raise GgufError(f"array of {n} elements exceeds the {MAX_ARRAY_ITEMS} bound", start)
        if etype in SCALAR_SIZES:
            reader.skip(n * SCALAR_SIZES[etype])
        else:
            for _ in range(n):
                _read_value(reader, etype, depth + 1, keep=False)
        return None
    raise GgufError(f"unknown metadata value type {vtype}", reader.pos - 4)


def _issue(message: str, offset: int, rule: str = "GGUF-HEADER",
           severity: Severity = Severity.HIGH, construct: str = "header") -> RiskIssue:
    return RiskIssue(rule, severity, construct, message, _WHY, f"offset {offset}", FORMAT)


class GgufScanner(Scanner):
    """Validates GGUF headers against the file and checks the embedded chat template."""

    id: ClassVar[str] = "gguf"
    formats: ClassVar[tuple[str, ...]] = (FORMAT,)
    description: ClassVar[str] = (
        "GGUF: magic, version, tensor/kv counts and string/array lengths vs file size, tensor "
        "ranges; tokenizer.chat_template checked for template injection"
    )
    rules: ClassVar[tuple[Rule, ...]] = (
        Rule("GGUF-HEADER", "GGUF header does not fit the file", _WHY,
             "Do not load the file with C/C++ loaders; re-convert from the source weights.",
             Severity.HIGH),
        Rule("GGUF-TENSOR-RANGE", "GGUF tensor data out of range or overlapping", _WHY,
             "Re-convert from the source weights.", Severity.HIGH),
        *CHAT_RULES,
    )

    @classmethod
    def sniff(cls, head: bytes, name: str) -> bool:
        """The four magic bytes ``GGUF``."""
        return head[:4] == MAGIC

    def scan(self, stream: BinaryIO, ctx: ScanContext) -> ScanResult:
        """Walk the header; check counts, lengths, tensor ranges and the chat template."""
        result = ScanResult(scanned=[ctx.path])
        size = ctx.size if ctx.size is not None else stream.seek(0, io.SEEK_END)
        stream.seek(0)
        head = stream.read(8)
        if len(head) < 8 or head[:4] != MAGIC:
            result.issues.append(_issue("not a GGUF file (bad magic or shorter than 8 bytes)", 0))
            result.inconclusive.append(Inconclusive(ctx.path, "GGUF: bad magic"))
            return result
        version = int.from_bytes(head[4:8], "little")
        if version not in (1, 2, 3):
            result.issues.append(_issue(f"unsupported GGUF version {version}", 4))
            result.inconclusive.append(Inconclusive(ctx.path, f"GGUF version {version}"))
            return result
        reader = _Reader(stream, size, version)
        reader.pos = 8
        try:
            self._walk(reader, result)
        except GgufError as err:
            result.issues.append(_issue(str(err), err.offset))
            result.inconclusive.append(Inconclusive(ctx.path, f"GGUF header: {err}"))
        result.bytes_read = reader.pos
        if not result.issues:
            result.passed.append("GGUF-HEADER")
        return result

    def _walk(self, reader: _Reader, result: ScanResult) -> None:
        tensor_count = reader.count()
        kv_count = reader.count()
        remaining = reader.size - reader.pos
        # every kv needs >= 8+4 bytes (key length, type), every tensor info >= 8+4+4+8
        if kv_count * 12 > remaining:
            raise GgufError(f"{kv_count} metadata entries cannot fit in {remaining} bytes", 16)
        if tensor_count * 24 > remaining:
            raise GgufError(f"{tensor_count} tensors cannot fit in {remaining} bytes", 8)
        if tensor_count > MAX_TENSORS or kv_count > MAX_KV:
            raise GgufError(f"{tensor_count} tensors / {kv_count} metadata entries exceed the "
                            f"{MAX_TENSORS}/{MAX_KV} bounds", 8)
        alignment = DEFAULT_ALIGNMENT
        for _ in range(kv_count):
            key_offset = reader.pos
            key = reader.string()
            vtype = reader.u32()
            keep = key.startswith(CHAT_TEMPLATE_KEY)
            value = _read_value(reader, vtype, 0, keep)
            if keep and isinstance(value, str):
                result.issues.extend(check_template(value, key, FORMAT))
            elif key == "general.alignment" and isinstance(value, int):
                if value == 0 or value & (value - 1):
                    raise GgufError(f"general.alignment {value} is not a power of two",
                                    key_offset)
                alignment = value
        tensors = [self._tensor_info(reader) for _ in range(tensor_count)]
        data_start = -(-reader.pos // alignment) * alignment
        self._check_ranges(tensors, data_start, alignment, reader.size, result)

    @staticmethod
    def _tensor_info(reader: _Reader) -> tuple[str, int, int, int, int]:
        """(name, ggml type, byte size or -1 if unknown, offset, info offset)."""
        info_offset = reader.pos
        name = reader.string()
        n_dims = reader.u32()
        if n_dims > MAX_DIMS:
            raise GgufError(f"tensor {name[:80]!r} has {n_dims} dimensions (max {MAX_DIMS})",
                            info_offset)
        elements = 1
        for _ in range(n_dims):
            elements *= reader.u64()
        ggml_type = reader.u32()
        if ggml_type > MAX_GGML_TYPE:
            raise GgufError(f"tensor {name[:80]!r} has unknown ggml type {ggml_type}",
                            info_offset)
        offset = reader.u64()
        block = GGML_BLOCKS.get(ggml_type)
        nbytes = -1
        if block is not None:
            nbytes = -(-elements // block[1]) * block[0]
        return name, ggml_type, nbytes, offset, info_offset

    @staticmethod
    def _check_ranges(tensors: list[tuple[str, int, int, int, int]], data_start: int,
                      alignment: int, size: int, result: ScanResult) -> None:
        data_len = size - data_start
        spans: list[tuple[int, int, str]] = []
        for name, _ggml_type, nbytes, offset, info_offset in tensors:
            if offset % alignment:
                result.issues.append(_issue(f"tensor {name[:80]!r} offset {offset} is not "
                                            f"aligned to {alignment}", info_offset,
                                            "GGUF-TENSOR-RANGE", Severity.MEDIUM, name[:80]))
            end = offset + max(nbytes, 0)
            if offset > data_len or end > data_len:
                result.issues.append(_issue(
                    f"tensor {name[:80]!r} data [{offset}, {end}) runs past the "
                    f"{data_len}-byte data section", info_offset, "GGUF-TENSOR-RANGE",
                    Severity.HIGH, name[:80]))
            elif nbytes > 0:
                spans.append((offset, end, name))
        last_end, last_name = 0, ""
        for begin, end, name in sorted(spans):
            if begin < last_end:
                result.issues.append(_issue(f"tensor {name[:80]!r} overlaps {last_name[:80]!r}",
                                            data_start + begin, "GGUF-TENSOR-RANGE",
                                            Severity.MEDIUM, name[:80]))
            if end > last_end:
                last_end, last_name = end, name
