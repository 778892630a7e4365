"""Git LFS pointer files: the pointer format, and the real file against the pointer.

A pointer is a tiny text file standing in for a large object::

    version https://git-lfs.github.com/spec/v1
    oid sha256:<64 lowercase hex>
    size <bytes>

The spec (git-lfs docs/spec.md) requires ``version`` first, the other keys sorted, each line
``key value\\n``, and pointers under 1024 bytes. A malformed pointer is reported (tools
disagree on what it names). ``verify_object`` streams a real file through SHA-256 (1 MiB
chunks, so memory stays flat) and compares size and digest with the pointer: a mismatch means
the weights on disk are not the ones the repository history vouches for.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from typing import BinaryIO, ClassVar

from ptmscope.records import FileRecord, Severity
from ptmscope.risk.base import RiskIssue, Rule, ScanContext, Scanner, ScanResult

FORMAT = "git-lfs-pointer"
MAX_POINTER = 1024
SPEC_PREFIX = b"version https://git-lfs.github.com/spec/"
KNOWN_VERSIONS = ("https://git-lfs.github.com/spec/v1", "https://hawser.github.com/spec/v1")
CHUNK = 1024 * 1024
_OID = re.compile(r"sha256:[0-9a-f]{64}")
_SIZE = re.compile(r"0|[1-9][0-9]{0,18}")
_KEY = re.compile(r"[a-z0-9.-]+")
_WHY_FORMAT = ("a malformed pointer is resolved differently by different tools, or not at "
               "all; the object it names cannot be verified")
_WHY_MISMATCH = ("the file on disk is not the object the repository's LFS pointer names: "
                 "the weights were replaced or corrupted after the commit")


@dataclass(frozen=True, slots=True)
class LfsPointer:
    """A parsed pointer.

    Attributes:
        version: the spec URL.
        sha256: 64 lowercase hex digits.
        size: object size in bytes.
        extensions: ``ext-*`` keys and values.
    """

    version: str
    sha256: str
    size: int
    extensions: tuple[tuple[str, str], ...] = ()


def parse_pointer(data: bytes) -> tuple[LfsPointer | None, list[str]]:
    """Parse pointer bytes strictly.

    Returns:
        (pointer or None, problems): ``problems`` is empty for a spec-conformant pointer; the
        pointer is returned whenever oid and size could be read, even with problems.
    """
    problems: list[str] = []
    if len(data) >= MAX_POINTER:
        problems.append(f"pointer is {len(data)} bytes (spec: under {MAX_POINTER})")
        data = data[:MAX_POINTER]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, ["pointer is not UTF-8 text"]
    if not text.endswith("\n"):
        problems.append("last line does not end with a newline")
    if "\r" in text:
        problems.append("carriage returns in pointer")
    entries: list[tuple[str, str]] = []
    for line in text.replace("\r", "").split("\n"):
        if not line:
            continue
        key, sep, value = line.partition(" ")
        if not sep or not _KEY.fullmatch(key):
            problems.append(f"malformed line {line[:60]!r}")
            continue
        entries.append((key, value))
    keys = [k for k, _ in entries]
    if not keys or keys[0] != "version":
        problems.append("first key is not 'version'")
    if len(set(keys)) != len(keys):
        problems.append("duplicate keys")
    if keys[1:] != sorted(keys[1:]):
        problems.append("keys after 'version' are not sorted")
    values = dict(entries)
    version = values.get("version", "")
    if version not in KNOWN_VERSIONS:
        problems.append(f"unknown spec version {version[:80]!r}")
    oid, size_text = values.get("oid", ""), values.get("size", "")
    if not _OID.fullmatch(oid):
        problems.append(f"oid {oid[:80]!r} is not sha256:<64 lowercase hex>")
    if not _SIZE.fullmatch(size_text):
        problems.append(f"size {size_text[:40]!r} is not a non-negative decimal")
    unknown = [k for k in keys if k not in ("version", "oid", "size") and not k.startswith("ext-")]
    if unknown:
        problems.append(f"unknown keys {unknown[:5]}")
    if not _OID.fullmatch(oid) or not _SIZE.fullmatch(size_text):
        return None, problems
    extensions = tuple((k, v) for k, v in entries if k.startswith("ext-"))
    return LfsPointer(version, oid.removeprefix("sha256:"), int(size_text), extensions), problems


# Symlinks are followed (the Hugging Face cache links snapshot files to blobs); the target
# must be a regular file, and O_NONBLOCK keeps a FIFO from blocking the open.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)


def _open_regular(path: str) -> BinaryIO | str:
    """Open a regular file (after symlinks) without blocking on a FIFO or device."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as err:
        return f"cannot open: {err.strerror}"
    handle = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        handle.close()
        return "not a regular file"
    return handle


def _hash_file(path: str, expected_size: int) -> tuple[int, str] | str:
    """(size, sha256) of a regular file, streamed; or why it cannot be hashed."""
    opened = _open_regular(path)
    if isinstance(opened, str):
        return opened
    with opened as handle:
        info = os.fstat(handle.fileno())
        if info.st_size != expected_size:
            return info.st_size, ""
        digest = hashlib.sha256()
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
        return info.st_size, digest.hexdigest()


def verify_object(sha256: str, size: int, path: str, display: str = "") -> list[RiskIssue]:
    """Compare a real file with the sha256 and size its LFS pointer declares.

    The size is compared first (no hashing when it already differs). Special files are
    refused (a FIFO would block); only the digest leaves this function, never content.

    Args:
        sha256: expected digest (hex). size: expected size in bytes.
        path: the real file on disk. display: path shown in issues (default ``path``).

    Returns:
        ``[]`` when both match; otherwise one ``LFS-OBJECT-MISMATCH`` (high) or
        ``LFS-OBJECT-UNVERIFIED`` (info) issue.
    """
    shown = display or path
    outcome = _hash_file(path, size)
    if isinstance(outcome, str):
        return [RiskIssue("LFS-OBJECT-UNVERIFIED", Severity.INFO, "lfs", f"cannot verify "
                          f"{shown}: {outcome}", _WHY_MISMATCH, "", FORMAT, shown)]
    actual_size, digest = outcome
    if actual_size != size:
        return [RiskIssue("LFS-OBJECT-MISMATCH", Severity.HIGH, "size",
                          f"{shown} is {actual_size} bytes; its LFS pointer says {size}",
                          _WHY_MISMATCH, "", FORMAT, shown)]
    if digest != sha256.lower():
        return [RiskIssue("LFS-OBJECT-MISMATCH", Severity.HIGH, "sha256",
                          f"{shown} sha256 {digest} differs from its LFS pointer {sha256}",
                          _WHY_MISMATCH, "", FORMAT, shown)]
    return []


def verify_file_record(record: FileRecord) -> list[RiskIssue]:
    """Check a stored file against its LFS pointer facts when the real content is on disk.

    Returns ``[]`` when the record is not an LFS pointer, has no local file, or the local
    file is the pointer itself (a checkout without ``git lfs pull``).
    """
    if record.lfs_sha256 is None or record.lfs_size is None or record.local_path is None:
        return []
    opened = _open_regular(record.local_path)
    if isinstance(opened, str):
        return []
    with opened as handle:
        if handle.read(len(SPEC_PREFIX)) == SPEC_PREFIX:
            return []
    return verify_object(record.lfs_sha256, record.lfs_size, record.local_path, record.path)


class LfsPointerScanner(Scanner):
    """Validates Git LFS pointer files (the object itself is checked by ``verify_object``)."""

    id: ClassVar[str] = "lfs-pointer"
    formats: ClassVar[tuple[str, ...]] = (FORMAT,)
    description: ClassVar[str] = (
        "Git LFS pointers: spec format (version, sorted keys, sha256 oid, size); the real "
        "object is compared with the pointer when present"
    )
    rules: ClassVar[tuple[Rule, ...]] = (
        Rule("LFS-POINTER-FORMAT", "Malformed Git LFS pointer", _WHY_FORMAT,
             "Re-create the pointer with git lfs.", Severity.MEDIUM),
        Rule("LFS-CONTENT-ABSENT", "LFS object not present", "Only the pointer was available.",
             "Run git lfs pull and scan again.", Severity.INFO),
        Rule("LFS-OBJECT-MISMATCH", "File differs from its LFS pointer", _WHY_MISMATCH,
             "Re-download the object and compare with the repository history.", Severity.HIGH),
        Rule("LFS-OBJECT-UNVERIFIED", "LFS object could not be verified", _WHY_MISMATCH,
             "Check the file by hand.", Severity.INFO),
    )

    @classmethod
    def sniff(cls, head: bytes, name: str) -> bool:
        """Starts with the spec's ``version https://git-lfs.github.com/spec/`` line."""
        return head.startswith(SPEC_PREFIX) or head.startswith(b"version https://hawser.")

    def scan(self, stream: BinaryIO, ctx: ScanContext) -> ScanResult:
        """Parse the pointer; report format problems and that the content is absent."""
        result = ScanResult(scanned=[ctx.path])
        stream.seek(0)
        data = stream.read(MAX_POINTER + 1)
        result.bytes_read = len(data)
        pointer, problems = parse_pointer(data)
        for problem in problems:
            result.issues.append(RiskIssue("LFS-POINTER-FORMAT", Severity.MEDIUM, "pointer",
                                           problem, _WHY_FORMAT, "", FORMAT))
        if pointer is not None:
            result.issues.append(RiskIssue(
                "LFS-CONTENT-ABSENT", Severity.INFO, f"sha256:{pointer.sha256}",
                f"LFS pointer to a {pointer.size}-byte object; the object itself is not here "
                "and was not scanned", "only the pointer was available, so the real content "
                "could not be checked", "", FORMAT))
        if not problems:
            result.passed.append("LFS-POINTER-FORMAT")
        return result
