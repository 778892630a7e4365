"""A bounded reader for the Protocol Buffers wire format (no generated code, no protobuf lib).

TensorFlow SavedModel (``saved_model.pb``) and ONNX files are protobuf messages. Scanning them
needs only a few fields (op names, domains, external-data paths), so instead of depending on
tensorflow/onnx we walk the wire format ourselves: every field is a varint *tag* (field number
and wire type) followed by a varint, a fixed 4/8-byte value, or a length-delimited payload
(strings, bytes and nested messages). A nested message is walked by iterating the fields of its
payload range.

Everything here is bounded, because the input is hostile:

* varints are at most 10 bytes; lengths must fit in the enclosing range;
* a ``Budget`` caps the total number of fields visited and the nesting depth, so a 10-million
  field file or 10,000-deep nesting ends with ``WireError``, not with a hang or a
  ``RecursionError``;
* payloads are never copied unless asked for (``text``/``raw`` take a byte limit), so multi-GB
  initializers are skipped by index arithmetic.

Buffers may be ``bytes`` or a ``memoryview`` over an ``mmap`` (see ``open_buffer``), so large
files are not read into memory.

Example::

    >>> buf = bytes([0x08, 0x01, 0x12, 0x03]) + b"abc"
    >>> [(f.number, f.wire_type) for f in iter_fields(buf, 0, len(buf), Budget())]
    [(1, 0), (2, 2)]
"""

from __future__ import annotations

import contextlib
import io
import mmap
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Final

VARINT: Final = 0
FIXED64: Final = 1
LEN: Final = 2
START_GROUP: Final = 3
END_GROUP: Final = 4
FIXED32: Final = 5

Buffer = bytes | memoryview


class WireError(ValueError):
    """The bytes are not a well-formed protobuf message, or a bound was hit.

    Attributes:
        offset: absolute byte offset where the problem was seen.
        reason: one line saying what was wrong.
        bound_hit: True when a safety bound (fields, depth) stopped the walk rather than
            malformed bytes.
    """

    def __init__(self, reason: str, offset: int, *, bound_hit: bool = False) -> None:
        super().__init__(f"{reason} at offset {offset}")
        self.reason = reason
        self.offset = offset
        self.bound_hit = bound_hit


class Budget:
    """Shared limits for one walk: total fields visited and nesting depth.

    Args:
        max_fields: fields visited across the whole walk before ``WireError``.
        max_depth: nested messages entered before ``WireError``.
    """

    def __init__(self, max_fields: int = 5_000_000, max_depth: int = 64) -> None:
        self.max_fields = max_fields
        self.max_depth = max_depth
        self.fields_seen = 0

    def charge(self, offset: int) -> None:
        """Raise ``WireError`` when the fields counted so far exceed the budget."""
        if self.fields_seen > self.max_fields:
            raise WireError(
                f"more than {self.max_fields} protobuf fields", offset, bound_hit=True
            )

    def check_depth(self, depth: int, offset: int) -> None:
        """Raise ``WireError`` when ``depth`` exceeds the nesting bound."""
        if depth > self.max_depth:
            raise WireError(
                f"messages nested deeper than {self.max_depth}", offset, bound_hit=True
            )


@dataclass(frozen=True, slots=True)
class WireField:
    """One field as found on the wire.

    Attributes:
        number: the field number.
        wire_type: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32 (3/4 groups).
        offset: absolute offset of the tag.
        value: the varint or fixed value; the payload length for length-delimited fields.
        start: absolute offset of the payload (length-delimited) or of the value.
    """

    number: int
    wire_type: int
    offset: int
    value: int
    start: int

    @property
    def end(self) -> int:
        """Offset just past a length-delimited payload (``start`` for other types)."""
        return self.start + self.value if self.wire_type == LEN else self.start


def read_varint(buf: Buffer, pos: int, end: int) -> tuple[int, int]:
    """Decode the varint at ``pos`` (at most 10 bytes, not past ``end``).

    Returns:
        (value, offset just after it).

    Raises:
        WireError: truncated or over-long varint.
    """
    result = 0
    shift = 0
    start = pos
    while True:
        if pos >= end:
            raise WireError("truncated varint", start)
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
        if shift >= 70:
            raise WireError("varint longer than 10 bytes", start)


def iter_fields(buf: Buffer, start: int, end: int, budget: Budget) -> Iterator[WireField]:
    """Yield the fields of the message occupying ``buf[start:end]``.

    Raises:
        WireError: malformed bytes (bad wire type, length past the range...) or a bound hit.
            A length running past the range first yields the field clamped to the range.
    """
    pos = start
    while pos < end:
        offset = pos
        budget.fields_seen += 1
        if budget.fields_seen > budget.max_fields:
            budget.charge(offset)  # raises
        tag = buf[pos]
        if tag < 0x80:  # fast path: one-byte tag (field numbers 1-15)
            pos += 1
        else:
            tag, pos = read_varint(buf, pos, end)
        number, wire_type = tag >> 3, tag & 7
        if number == 0:
            raise WireError("field number 0", offset)
        if wire_type == VARINT:
            value, pos = read_varint(buf, pos, end)
            yield WireField(number, wire_type, offset, value, pos)
        elif wire_type == LEN:
            if pos < end and buf[pos] < 0x80:  # fast path: one-byte length
                length = buf[pos]
                pos += 1
            else:
                length, pos = read_varint(buf, pos, end)
            if length > end - pos:
                # Truncated (or lying) length: let the caller walk what is there first, so a
                # broken file still reports what it revealed, then fail.
                yield WireField(number, wire_type, offset, end - pos, pos)
                raise WireError(f"length {length} runs past the enclosing message", offset)
            yield WireField(number, wire_type, offset, length, pos)
            pos += length
        elif wire_type in (FIXED64, FIXED32):
            size = 8 if wire_type == FIXED64 else 4
            if pos + size > end:
                raise WireError("truncated fixed-width value", offset)
            value = int.from_bytes(bytes(buf[pos : pos + size]), "little")
            yield WireField(number, wire_type, offset, value, pos)
            pos += size
        elif wire_type in (START_GROUP, END_GROUP):
            # Deprecated groups carry no payload of their own; their fields follow inline.
            yield WireField(number, wire_type, offset, 0, pos)
        else:
            raise WireError(f"invalid wire type {wire_type}", offset)


def raw(buf: Buffer, field: WireField, limit: int) -> bytes:
    """The first ``limit`` bytes of a length-delimited payload, copied."""
    stop = field.start + min(field.value, limit)
    return bytes(buf[field.start : stop])


def text(buf: Buffer, field: WireField, limit: int = 4096) -> str:
    """A length-delimited payload decoded as UTF-8 (replacement on errors), bounded."""
    return raw(buf, field, limit).decode("utf-8", errors="replace")


def looks_like_message(buf: Buffer, start: int, end: int, max_fields: int = 64) -> bool:
    """True when ``buf[start:end]`` parses as protobuf fields (checking the first few)."""
    budget = Budget(max_fields=max_fields)
    try:
        for _ in iter_fields(buf, start, end, budget):
            pass
    except WireError as err:
        return err.bound_hit
    return True


@contextlib.contextmanager
def open_buffer(stream: BinaryIO, max_in_memory: int) -> Iterator[Buffer]:
    """Expose ``stream`` as a buffer: an ``mmap`` view for real files, else bytes read.

    Memory-mapping keeps large files out of the heap: only the pages the walker touches are
    read. Streams without a file descriptor (archive members, ``BytesIO``) are read into
    memory up to ``max_in_memory`` bytes.

    Raises:
        WireError: the stream has no descriptor and is larger than ``max_in_memory``.
    """
    mapped: mmap.mmap | None = None
    try:
        size = stream.seek(0, io.SEEK_END)
        fileno = _same_file_descriptor(stream, size)
        if fileno is not None and size > 0:
            mapped = mmap.mmap(fileno, 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError, io.UnsupportedOperation):
        mapped = None
    if mapped is not None:
        view = memoryview(mapped)
        try:
            yield view
        finally:
            view.release()
            with contextlib.suppress(BufferError):  # a lingering slice; GC unmaps it later
                mapped.close()
        return
    stream.seek(0)
    data = stream.read(max_in_memory + 1)
    if len(data) > max_in_memory:
        raise WireError(f"larger than the {max_in_memory}-byte in-memory bound", 0, bound_hit=True)
    yield data


def _same_file_descriptor(stream: BinaryIO, size: int) -> int | None:
    """A descriptor whose whole file *is* the stream's content, or None.

    Counting wrappers (the dispatcher's) expose the real file as ``.raw`` without a
    ``fileno``; it is used only when the file's size equals the stream's, so an archive member
    window is never mistaken for the whole file.
    """
    for candidate in (stream, getattr(stream, "raw", None)):
        if candidate is None:
            continue
        try:
            fileno = int(candidate.fileno())
        except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
            continue
        if os.fstat(fileno).st_size == size:
            return fileno
    return None
