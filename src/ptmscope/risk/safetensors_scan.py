"""safetensors: validate the header against the byte buffer it describes.

A safetensors file is ``u64 little-endian N`` + ``N`` bytes of JSON + the tensor bytes. The
format cannot run code, but a malformed header is how parser bugs are reached (huge lengths,
overlapping ranges, offsets past the end) and how extra data rides along unnoticed (gaps,
trailing bytes, metadata stuffed with code or encoded blobs). Checks, each a rule id:

* ``SAFETENSORS-HEADER``: length vs file size, JSON size cap, JSON must be an object without
  duplicate keys or NaN/Infinity, entries must be objects with ``dtype``/``shape``/``data_offsets``;
* ``SAFETENSORS-DTYPE``: unknown dtype; ``SAFETENSORS-SHAPE``: non-integer or negative dims;
* ``SAFETENSORS-OFFSETS``: offsets out of range, ``end < begin``, byte count not equal to
  dtype size x shape, overlapping ranges;
* ``SAFETENSORS-HIDDEN-DATA``: gaps between tensors or bytes after the last one;
* ``SAFETENSORS-METADATA``: ``__metadata__`` not a str->str map, or values that look like code,
  templates, encoded payloads, or are very long.

Only the header is read (at most ``MAX_HEADER`` bytes); tensor bytes are never touched.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any, BinaryIO, ClassVar

# Only the dtype table is shared: this scanner keeps its own strict parser, independent of
# the lenient reader in ptmscope.formats.safetensors (re-exported: a public name here before).
from ptmscope.formats.safetensors import DTYPE_BITS as DTYPE_BITS
from ptmscope.records import Severity
from ptmscope.risk.base import Inconclusive, RiskIssue, Rule, ScanContext, Scanner, ScanResult

FORMAT = "safetensors"
#: Header JSON cap (the reference implementation refuses more than 100 MB).
MAX_HEADER = 100 * 1024 * 1024
MAX_TENSORS = 1_000_000
MAX_ISSUES_PER_RULE = 25
METADATA_VALUE_CAP = 64 * 1024
_SUSPICIOUS_METADATA = re.compile(
    r"__\w+__|\b(?:os\.system|subprocess|eval|exec|import\s+\w|__import__|popen)\b|"
    r"\{\{|\{%|<script|\\x[0-9a-f]{2}",
    re.IGNORECASE,
)
_BLOB = re.compile(r"[A-Za-z0-9+/=]{512,}")
_WHY_PARSER = (
    "a malformed header is where parser bugs are reached, and different loaders may "
    "interpret it differently (one sees tensors another does not)"
)


class _DuplicateKeyError(ValueError):
    pass


def _pairs_no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKeyError(key)
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")


class SafetensorsScanner(Scanner):
    """Validates safetensors headers against the file (see module doc)."""

    id: ClassVar[str] = "safetensors"
    formats: ClassVar[tuple[str, ...]] = (FORMAT,)
    description: ClassVar[str] = (
        "safetensors: header length, JSON, dtypes, shapes and offsets vs the byte buffer; "
        "gaps, trailing data and suspicious __metadata__"
    )
    rules: ClassVar[tuple[Rule, ...]] = (
        Rule("SAFETENSORS-HEADER", "safetensors header invalid", _WHY_PARSER,
             "Re-save the tensors with the safetensors library.", Severity.HIGH),
        Rule("SAFETENSORS-DTYPE", "Unknown safetensors dtype", _WHY_PARSER,
             "Re-save the tensors with the safetensors library.", Severity.MEDIUM),
        Rule("SAFETENSORS-SHAPE", "Invalid tensor shape", _WHY_PARSER,
             "Re-save the tensors with the safetensors library.", Severity.HIGH),
        Rule("SAFETENSORS-OFFSETS", "Tensor byte range invalid or overlapping", _WHY_PARSER,
             "Re-save the tensors with the safetensors library.", Severity.HIGH),
        Rule("SAFETENSORS-HIDDEN-DATA", "Bytes no tensor claims",
             "Unclaimed bytes are invisible to loaders and reviewers: a place for a payload.",
             "Inspect the unclaimed range; re-save the tensors.", Severity.MEDIUM),
        Rule("SAFETENSORS-METADATA", "Suspicious safetensors metadata",
             "Metadata is free text copied into logs, UIs and templates.",
             "Inspect and strip the metadata entry.", Severity.MEDIUM),
    )

    @classmethod
    def sniff(cls, head: bytes, name: str) -> bool:
        """8-byte little-endian length, then a JSON object opening with ``{``."""
        if len(head) < 10:
            return False
        length = int.from_bytes(head[:8], "little")
        return 2 <= length < (1 << 40) and head[8:9] == b"{" and head[9:10] in b' \t\r\n"}'

    def scan(self, stream: BinaryIO, ctx: ScanContext) -> ScanResult:
        """Read and validate the header; never read tensor bytes."""
        result = ScanResult(scanned=[ctx.path])
        size = ctx.size if ctx.size is not None else _stream_size(stream)
        stream.seek(0)
        prefix = stream.read(8)
        result.bytes_read = len(prefix)
        if len(prefix) < 8:
            self._bad(result, ctx, "file shorter than the 8-byte header length")
            return result
        length = int.from_bytes(prefix, "little")
        if length > MAX_HEADER:
            self._bad(result, ctx, f"header length {length} exceeds the {MAX_HEADER}-byte cap")
            return result
        if size is not None and 8 + length > size:
            self._bad(result, ctx, f"header length {length} runs past the file size {size}")
            return result
        raw = stream.read(length)
        result.bytes_read += len(raw)
        if len(raw) < length:
            self._bad(result, ctx, f"truncated header: {len(raw)} of {length} bytes")
            return result
        try:
            header = json.loads(
                raw.decode("utf-8"),
                object_pairs_hook=_pairs_no_duplicates,
                parse_constant=_reject_constant,
            )
        except _DuplicateKeyError as err:
            self._bad(result, ctx, f"duplicate key {str(err)[:100]!r} in header JSON")
            return result
        except (ValueError, RecursionError) as err:
            self._bad(result, ctx, f"header is not valid JSON: {str(err)[:200]}")
            return result
        if not isinstance(header, dict):
            self._bad(result, ctx, f"header JSON is a {type(header).__name__}, not an object")
            return result
        buffer_len = size - 8 - length if size is not None else None
        issues = check_header(header, buffer_len)
        _cap_per_rule(issues, result)
        for rule in ("SAFETENSORS-HEADER", "SAFETENSORS-OFFSETS", "SAFETENSORS-METADATA"):
            if not any(i.rule_id == rule for i in result.issues):
                result.passed.append(rule)
        return result

    @staticmethod
    def _bad(result: ScanResult, ctx: ScanContext, message: str) -> None:
        result.issues.append(RiskIssue(
            "SAFETENSORS-HEADER", Severity.HIGH, "header", message, _WHY_PARSER, "offset 0",
            FORMAT))
        result.inconclusive.append(Inconclusive(ctx.path, f"safetensors: {message}"))


def _stream_size(stream: BinaryIO) -> int | None:
    try:
        return stream.seek(0, io.SEEK_END)
    except (OSError, ValueError):
        return None


def _cap_per_rule(issues: list[RiskIssue], result: ScanResult) -> None:
    counts: dict[str, int] = {}
    for issue in issues:
        counts[issue.rule_id] = counts.get(issue.rule_id, 0) + 1
        if counts[issue.rule_id] <= MAX_ISSUES_PER_RULE:
            result.issues.append(issue)
    for rule, count in counts.items():
        if count > MAX_ISSUES_PER_RULE:
            result.issues.append(RiskIssue(
                rule, Severity.MEDIUM, "...", f"{count - MAX_ISSUES_PER_RULE} more {rule} "
                "issues not listed", _WHY_PARSER, "", FORMAT))


def _issue(rule: str, severity: Severity, construct: str, message: str, key: str,
           why: str = _WHY_PARSER) -> RiskIssue:
    return RiskIssue(rule, severity, construct, message, why, f"header key {key[:120]!r}",
                     FORMAT)


def check_header(header: dict[str, Any], buffer_len: int | None) -> list[RiskIssue]:
    """Validate a parsed header against the tensor buffer length (None when unknown).

    Returns:
        Every problem found, in header order; empty for a valid file.
    """
    issues: list[RiskIssue] = []
    ranges: list[tuple[int, int, str]] = []
    if len(header) > MAX_TENSORS:
        return [_issue("SAFETENSORS-HEADER", Severity.HIGH, "tensors",
                       f"{len(header)} entries exceed the {MAX_TENSORS} bound", "*")]
    for key, entry in header.items():
        if key == "__metadata__":
            issues.extend(check_metadata(entry))
            continue
        span = _check_entry(key, entry, buffer_len, issues)
        if span is not None:
            ranges.append((span[0], span[1], key))
    issues.extend(_check_layout(ranges, buffer_len))
    return issues


def _check_entry(key: str, entry: Any, buffer_len: int | None,
                 issues: list[RiskIssue]) -> tuple[int, int] | None:
    """Check one tensor entry; append issues; return its byte range when usable."""
    if not isinstance(entry, dict):
        issues.append(_issue("SAFETENSORS-HEADER", Severity.HIGH, "entry",
                             f"tensor {key[:80]!r} is not an object", key))
        return None
    extra = set(entry) - {"dtype", "shape", "data_offsets"}
    if extra:
        issues.append(_issue("SAFETENSORS-HEADER", Severity.LOW, "entry",
                             f"tensor {key[:80]!r} has unexpected keys {sorted(extra)[:5]}", key))
    dtype, shape, offsets = entry.get("dtype"), entry.get("shape"), entry.get("data_offsets")
    bits = DTYPE_BITS.get(dtype) if isinstance(dtype, str) else None
    if bits is None:
        issues.append(_issue("SAFETENSORS-DTYPE", Severity.MEDIUM, str(dtype)[:40],
                             f"tensor {key[:80]!r} has unknown dtype {str(dtype)[:40]!r}", key))
    if not (isinstance(shape, list) and all(_is_int(d) and d >= 0 for d in shape)):
        issues.append(_issue("SAFETENSORS-SHAPE", Severity.HIGH, str(shape)[:60],
                             f"tensor {key[:80]!r} shape is not a list of non-negative ints",
                             key))
        shape = None
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(_is_int(o) for o in offsets)):
        issues.append(_issue("SAFETENSORS-OFFSETS", Severity.HIGH, str(offsets)[:60],
                             f"tensor {key[:80]!r} data_offsets is not [begin, end]", key))
        return None
    begin, end = offsets
    if begin < 0 or end < begin:
        issues.append(_issue("SAFETENSORS-OFFSETS", Severity.HIGH, f"[{begin}, {end}]",
                             f"tensor {key[:80]!r} has an inverted or negative range", key))
        return None
    if buffer_len is not None and end > buffer_len:
        issues.append(_issue("SAFETENSORS-OFFSETS", Severity.HIGH, f"[{begin}, {end}]",
                             f"tensor {key[:80]!r} ends at {end}, past the {buffer_len}-byte "
                             "data buffer", key))
    if bits is not None and shape is not None:
        elements = 1
        for dim in shape:
            elements *= dim
        total_bits = elements * bits
        if total_bits % 8 or total_bits // 8 != end - begin:
            issues.append(_issue("SAFETENSORS-OFFSETS", Severity.HIGH, f"[{begin}, {end}]",
                                 f"tensor {key[:80]!r} is {dtype} {shape[:8]} = {total_bits / 8:g} "
                                 f"bytes but its range holds {end - begin}", key))
    return begin, end


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_layout(ranges: list[tuple[int, int, str]], buffer_len: int | None) -> list[RiskIssue]:
    """Overlaps, gaps and trailing bytes, from the sorted ranges."""
    issues: list[RiskIssue] = []
    hidden_why = ("bytes no tensor claims are invisible to loaders and reviewers: a place to "
                  "smuggle a payload or a second model")
    cursor = 0
    last_key = "<start>"
    for begin, end, key in sorted(ranges):
        if begin < cursor:
            issues.append(_issue("SAFETENSORS-OFFSETS", Severity.HIGH, f"[{begin}, {end}]",
                                 f"tensor {key[:80]!r} overlaps {last_key[:80]!r}", key))
        elif begin > cursor:
            issues.append(_issue("SAFETENSORS-HIDDEN-DATA", Severity.MEDIUM, f"[{cursor}, {begin}]",
                                 f"{begin - cursor} unclaimed bytes before tensor {key[:80]!r}",
                                 key, hidden_why))
        if end > cursor:
            cursor, last_key = end, key
    if buffer_len is not None and cursor < buffer_len:
        issues.append(_issue("SAFETENSORS-HIDDEN-DATA", Severity.MEDIUM,
                             f"[{cursor}, {buffer_len}]",
                             f"{buffer_len - cursor} bytes after the last tensor", last_key,
                             hidden_why))
    return issues


def check_metadata(metadata: Any) -> list[RiskIssue]:
    """``__metadata__`` must map str to str; flag code-like, template or blob values."""
    key = "__metadata__"
    if not isinstance(metadata, dict):
        return [_issue("SAFETENSORS-METADATA", Severity.MEDIUM, type(metadata).__name__,
                       "__metadata__ is not an object", key)]
    issues: list[RiskIssue] = []
    why = ("metadata is free text that tools copy into logs, UIs and templates; code, "
           "template syntax or encoded blobs there are a payload waiting for a consumer")
    for name, value in metadata.items():
        where = f"{key}.{name}"
        if not isinstance(value, str):
            issues.append(_issue("SAFETENSORS-METADATA", Severity.MEDIUM, str(name)[:60],
                                 f"metadata {str(name)[:60]!r} is a {type(value).__name__}, "
                                 "not a string", where))
            continue
        if len(value) > METADATA_VALUE_CAP:
            issues.append(_issue("SAFETENSORS-METADATA", Severity.LOW, str(name)[:60],
                                 f"metadata {str(name)[:60]!r} is {len(value)} characters long",
                                 where, why))
        head = value[:METADATA_VALUE_CAP]
        match = _SUSPICIOUS_METADATA.search(head)
        if match:
            issues.append(_issue("SAFETENSORS-METADATA", Severity.MEDIUM, match.group(0)[:60],
                                 f"metadata {str(name)[:60]!r} contains {match.group(0)[:60]!r}",
                                 where, why))
            continue
        blob = None if head.startswith("data:image/") else _BLOB.search(head)
        if blob:  # LoRA thumbnails are base64 images (skipped above); other blobs are odd
            issues.append(_issue("SAFETENSORS-METADATA", Severity.LOW, "encoded blob",
                                 f"metadata {str(name)[:60]!r} holds a {len(blob.group(0))}-"
                                 "character encoded blob", where, why))
    return issues
