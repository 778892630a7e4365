"""Zip containers read the way PyTorch reads them, and the tricks that fool other readers.

PyTorch (miniz) locates members through the central directory, takes the data offset from the
local header, ignores the encryption flag bits and does not check CRCs. Python's ``zipfile``
refuses such files, so scanners built on it skip exactly the members PyTorch loads. This module
parses the zip structures itself, with bounds:

* the end-of-central-directory record (and ZIP64) and at most ``MAX_MEMBERS`` entries;
* a bounded walk over the local headers from offset 0, to find members the central directory
  hides and headers that disagree with it;
* each member is handed to the dispatcher as a bounded stream (stored members are a window on
  the file: a 10 GB tensor member costs one head read; deflated ones inflate lazily up to
  ``MAX_INFLATE`` bytes), so every member is detected by content, whatever its name.

The tricks themselves are findings: flag bits, CRC mismatches, local/central mismatches,
hidden members, zip bombs, too many members.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO, ClassVar

from ptmscope.records import Severity
from ptmscope.risk.base import (
    SNIFF_BYTES,
    Inconclusive,
    RiskIssue,
    Rule,
    ScanContext,
    Scanner,
    ScanResult,
)

#: ``issue(rule, severity, construct, message, why)`` helpers of a member scan.
IssueFn = Callable[[str, Severity, str, str, str], None]

MAX_MEMBERS = 100_000
MANY_MEMBERS = 5_000
MAX_INFLATE = 512 * 1024 * 1024
BOMB_RATIO = 200
LOCAL_WALK_MAX = 20_000

RULES: tuple[Rule, ...] = (
    Rule("ZIP-FLAG-TRICK", "Zip member flag bits disagree with its content",
         "Encryption or 'patched data' bits on a member that is not encrypted make Python's "
         "zipfile (and scanners built on it) refuse the member while PyTorch loads it "
         "(CVE-2025-1945).", "Re-create the archive; do not trust it.", Severity.HIGH),
    Rule("ZIP-CRC-MISMATCH", "Zip member CRC does not match its data",
         "PyTorch ignores CRCs, so a bad CRC hides the member from checking readers while the "
         "loader still uses it (CVE-2025-10156).", "Re-create the archive.", Severity.HIGH),
    Rule("ZIP-NAME-MISMATCH", "Zip local header disagrees with the central directory",
         "Readers that trust different headers see different files (CVE-2025-1944).",
         "Re-create the archive.", Severity.HIGH),
    Rule("ZIP-HIDDEN-MEMBER", "Zip member missing from the central directory",
         "A member only reachable by walking local headers is invisible to most readers.",
         "Re-create the archive.", Severity.MEDIUM),
    Rule("ZIP-BOMB", "Zip member inflates far beyond its compressed size",
         "Decompression bombs exhaust memory or disk in loaders and scanners.",
         "Do not extract the archive.", Severity.HIGH),
    Rule("ZIP-MANY-MEMBERS", "Zip archive has very many members",
         "Huge member counts are used to exhaust scanners (every member was still checked "
         "up to the bound).", "Check why the archive needs so many members.", Severity.LOW),
    Rule("ZIP-STRUCTURE", "Zip structure is broken or unusual",
         "A missing or inconsistent central directory makes readers disagree on content.",
         "Re-create the archive.", Severity.MEDIUM),
    Rule("ZIP-MEMBER-NOT-SCANNED", "Zip member could not be read",
         "Encrypted or unsupported members cannot be checked.",
         "Obtain an unencrypted copy to scan.", Severity.INFO),
    Rule("TORCHSCRIPT-CODE", "TorchScript archive carries code",
         "torch.jit.load compiles and runs the code/ members of the archive (TorchScript, a "
         "restricted language, but one that can call any registered operator).",
         "Load TorchScript only from trusted sources; review the listed code.", Severity.LOW),
)


@dataclass(frozen=True, slots=True)
class ZipEntry:
    """One member as a header describes it."""

    name: str
    flags: int
    method: int
    crc: int
    csize: int
    usize: int
    header_offset: int
    raw_name: bytes


@dataclass(slots=True)
class _Counter:
    n: int = 0


class _Window(io.RawIOBase):
    """A read-only, seekable window ``[start, start+size)`` on a stream; counts bytes read."""

    def __init__(self, base: BinaryIO, start: int, size: int, counter: _Counter) -> None:
        self.base, self.start, self.size, self.pos, self.counter = base, start, size, 0, counter

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self.pos, 2: self.size}[whence]
        self.pos = max(0, min(self.size, base + offset))
        return self.pos

    def read(self, n: int | None = -1) -> bytes:
        left = self.size - self.pos
        n = left if n is None or n < 0 else min(n, left)
        if n <= 0:
            return b""
        self.base.seek(self.start + self.pos)
        data = self.base.read(n)
        self.pos += len(data)
        self.counter.n += len(data)
        return data

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)


class _Inflate(io.RawIOBase):
    """Lazily inflates a deflated member, bounded by ``MAX_INFLATE``; seek restarts it."""

    def __init__(self, raw: _Window, declared: int, wbits: int = -15) -> None:
        self.raw, self.declared, self.wbits = raw, declared, wbits
        self.overflow = False
        self.error: str | None = None
        self._restart()

    def _restart(self) -> None:
        self.raw.seek(0)
        self.dec = zlib.decompressobj(self.wbits)
        self.buf = b""
        self.pos = 0
        self.out = 0
        self.eof = False

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence == 2:
            raise io.UnsupportedOperation("seek from end of a deflated member")
        target = offset if whence == 0 else self.pos + offset
        if target < self.pos:
            self._restart()
        while self.pos < target and self.read(min(1 << 20, target - self.pos)):
            pass
        return self.pos

    def _fill(self) -> None:
        tail = self.dec.unconsumed_tail
        if tail:
            self.buf = self.dec.decompress(tail, 1 << 20)
        else:
            comp = self.raw.read(65536)
            if not comp:
                self.buf = self.dec.flush()
                self.eof = True
                return
            self.buf = self.dec.decompress(comp, 1 << 20)
        if self.dec.eof and not self.dec.unconsumed_tail:
            self.eof = True

    def read(self, n: int | None = -1) -> bytes:
        want = MAX_INFLATE if n is None or n < 0 else n
        chunks: list[bytes] = []
        got = 0
        while got < want:
            if not self.buf:
                if self.out >= MAX_INFLATE:
                    self.overflow = True
                    break
                if self.eof:
                    break
                try:
                    self._fill()
                except zlib.error as err:
                    self.error = str(err)
                    self.eof = True
                    break
                self.out += len(self.buf)
                continue
            take = self.buf[: want - got]
            self.buf = self.buf[len(take):]
            chunks.append(take)
            got += len(take)
        self.pos += got
        return b"".join(chunks)


def _u16(b: bytes, o: int) -> int:
    return int.from_bytes(b[o:o + 2], "little")


def _u32(b: bytes, o: int) -> int:
    return int.from_bytes(b[o:o + 4], "little")


def _zip64_extra(extra: bytes, usize: int, csize: int, off: int) -> tuple[int, int, int]:
    i = 0
    while i + 4 <= len(extra):
        tag, size = _u16(extra, i), _u16(extra, i + 2)
        body = extra[i + 4:i + 4 + size]
        if tag == 1:
            j = 0
            if usize == 0xFFFFFFFF and j + 8 <= len(body):
                usize, j = int.from_bytes(body[j:j + 8], "little"), j + 8
            if csize == 0xFFFFFFFF and j + 8 <= len(body):
                csize, j = int.from_bytes(body[j:j + 8], "little"), j + 8
            if off == 0xFFFFFFFF and j + 8 <= len(body):
                off = int.from_bytes(body[j:j + 8], "little")
        i += 4 + size
    return usize, csize, off


@dataclass(slots=True)
class ZipDirectory:
    """What the central directory says, and problems met while reading it."""

    entries: list[ZipEntry]
    problems: list[str]
    truncated: bool = False


def _decode_name(raw: bytes, flags: int) -> str:
    return raw.decode("utf-8" if flags & 0x800 else "cp437", "replace")


def read_central_directory(f: BinaryIO, size: int, counter: _Counter) -> ZipDirectory | None:
    """Parse the end record and central directory (bounded); None when there is none."""
    tail_len = min(size, 65557)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    counter.n += len(tail)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    eocd = tail[at:at + 22]
    total, cd_size, cd_off = _u16(eocd, 10), _u32(eocd, 12), _u32(eocd, 16)
    problems: list[str] = []
    eocd_abs = size - tail_len + at
    if (total == 0xFFFF or cd_off == 0xFFFFFFFF or cd_size == 0xFFFFFFFF) and at >= 20 and \
            tail[at - 20:at - 16] == b"PK\x06\x07":
        z64_off = int.from_bytes(tail[at - 12:at - 4], "little")
        f.seek(z64_off)
        rec = f.read(56)
        counter.n += len(rec)
        if rec[:4] == b"PK\x06\x06":
            total = int.from_bytes(rec[32:40], "little")
            cd_size = int.from_bytes(rec[40:48], "little")
            cd_off = int.from_bytes(rec[48:56], "little")
    shift = 0
    if cd_off + cd_size > eocd_abs:
        # a prefix before the archive shifts offsets; miniz tolerates it the same way
        shift = eocd_abs - cd_size - cd_off
        problems.append(f"central directory offset {cd_off} is inconsistent (shift {shift})")
        cd_off = max(0, eocd_abs - cd_size)
    elif cd_off + cd_size < _cd_end(tail, at, eocd_abs) and f.seek(cd_off) == cd_off and \
            f.read(4) != b"PK\x01\x02":
        # bytes put in front of the archive: zipfile adds the gap to every header offset
        shift = _cd_end(tail, at, eocd_abs) - cd_size - cd_off
        cd_off += shift
    truncated = total > MAX_MEMBERS
    cd_size = min(cd_size, 46 * MAX_MEMBERS + 64 * 1024 * 1024)
    f.seek(cd_off)
    cd = f.read(cd_size)
    counter.n += len(cd)
    entries: list[ZipEntry] = []
    i = 0
    while i + 46 <= len(cd) and len(entries) < MAX_MEMBERS:
        if cd[i:i + 4] != b"PK\x01\x02":
            problems.append(f"central directory entry {len(entries)} has a bad signature")
            break
        flags, method, crc = _u16(cd, i + 8), _u16(cd, i + 10), _u32(cd, i + 16)
        csize, usize = _u32(cd, i + 20), _u32(cd, i + 24)
        nlen, elen, clen = _u16(cd, i + 28), _u16(cd, i + 30), _u16(cd, i + 32)
        off = _u32(cd, i + 42)
        raw = cd[i + 46:i + 46 + nlen]
        extra = cd[i + 46 + nlen:i + 46 + nlen + elen]
        usize, csize, off = _zip64_extra(extra, usize, csize, off)
        entries.append(ZipEntry(_decode_name(raw, flags), flags, method, crc, csize, usize,
                                off + max(shift, 0), raw))
        i += 46 + nlen + elen + clen
    return ZipDirectory(entries, problems, truncated)


def walk_local_headers(f: BinaryIO, size: int, counter: _Counter,
                       limit: int = LOCAL_WALK_MAX) -> list[ZipEntry]:
    """Walk local headers from offset 0 (bounded); stops at the first non-header."""
    out: list[ZipEntry] = []
    off = 0
    while off + 30 <= size and len(out) < limit:
        f.seek(off)
        h = f.read(30)
        counter.n += len(h)
        if h[:4] != b"PK\x03\x04":
            break
        flags, method, crc = _u16(h, 6), _u16(h, 8), _u32(h, 14)
        csize, usize, nlen, elen = _u32(h, 18), _u32(h, 22), _u16(h, 26), _u16(h, 28)
        tail = f.read(nlen + elen)
        counter.n += len(tail)
        raw, extra = tail[:nlen], tail[nlen:]
        usize, csize, _ = _zip64_extra(extra, usize, csize, 0)
        out.append(ZipEntry(_decode_name(raw, flags), flags, method, crc, csize, usize, off, raw))
        if flags & 0x8 and csize == 0:
            break  # size only in a data descriptor: the walk cannot go on safely
        off += 30 + nlen + elen + csize
        if flags & 0x8:
            f.seek(off)
            desc = f.read(16)
            counter.n += len(desc)
            off += 16 if desc[:4] == b"PK\x07\x08" else 12
    return out


def _local_data(f: BinaryIO, entry: ZipEntry, counter: _Counter) -> tuple[int, ZipEntry | None]:
    """Data offset of ``entry`` (from its local header) and the local header itself."""
    f.seek(entry.header_offset)
    h = f.read(30)
    counter.n += len(h)
    if len(h) < 30 or h[:4] != b"PK\x03\x04":
        return -1, None
    nlen, elen = _u16(h, 26), _u16(h, 28)
    raw = f.read(nlen)
    counter.n += len(raw)
    local = ZipEntry(_decode_name(raw, _u16(h, 6)), _u16(h, 6), _u16(h, 8), _u32(h, 14),
                     _u32(h, 18), _u32(h, 22), entry.header_offset, raw)
    return entry.header_offset + 30 + nlen + elen, local


def _cd_end(tail: bytes, at: int, eocd_abs: int) -> int:
    """Where the central directory ends: before the ZIP64 end records when they are there."""
    if at >= 76 and tail[at - 20:at - 16] == b"PK\x06\x07" and \
            tail[at - 76:at - 72] == b"PK\x06\x06":
        return eocd_abs - 76
    return eocd_abs


def has_zip_end(f: BinaryIO) -> bool:
    """Does a zip end-of-central-directory record that a reader would accept end ``f``?

    Like ``zipfile``, the record is searched in the last 64 KiB (a comment may follow it);
    a central directory entry (or an empty archive) where the record points makes it real.
    """
    size = f.seek(0, 2)
    tail_len = min(size, 65557)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    f.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return False
    total, cd_size = _u16(tail, at + 10), _u32(tail, at + 12)
    if total == 0:
        return True
    cd_start = _cd_end(tail, at, size - tail_len + at) - cd_size
    if cd_start < 0:
        return False
    f.seek(cd_start)
    sig = f.read(4)
    f.seek(0)
    return sig == b"PK\x01\x02"


def is_zip(head: bytes) -> bool:
    """A zip by content: a local header, or an empty archive's end record."""
    return head[:4] in (b"PK\x03\x04", b"PK\x05\x06")


_STORAGE_RE = re.compile(r"(^|/)data/\d+$")
_TORCH_RECORDS = frozenset({"version", "byteorder", "serialization_id", ".format_version",
                            ".storage_alignment"})


class ZipScanner(Scanner):
    """Any zip archive: every member detected by content and scanned, tricks reported."""

    id: ClassVar[str] = "zip"
    formats: ClassVar[tuple[str, ...]] = ("zip", "numpy-npz")
    description: ClassVar[str] = (
        "zip archives read like PyTorch reads them; every member dispatched by content; "
        "flag-bit, CRC, header-mismatch, hidden-member and bomb tricks reported"
    )
    rules: ClassVar[tuple[Rule, ...]] = RULES

    @classmethod
    def sniff(cls, head: bytes, name: str) -> bool:
        """Zip magic at offset 0."""
        return is_zip(head)

    def label(self, names: list[str]) -> str:
        """The format name for this archive, from its member names."""
        if names and all(n.endswith(".npy") for n in names):
            return "numpy-npz"
        return "zip"

    def scan(self, stream: BinaryIO, ctx: ScanContext) -> ScanResult:
        """Read the directories, compare them, dispatch every member."""
        counter = _Counter()
        stream.seek(0, 2)
        size = stream.tell()
        result = ScanResult(scanned=[ctx.path])
        directory = read_central_directory(stream, size, counter)
        local = walk_local_headers(stream, size, counter)
        entries = directory.entries if directory else []
        fmt = self.label([e.name for e in entries or local])
        issues = result.issues

        def issue(rule: str, sev: Severity, construct: str, msg: str, why: str,
                  loc: str) -> None:
            issues.append(RiskIssue(rule, sev, construct, msg, why, loc, fmt))

        if directory is None:
            issue("ZIP-STRUCTURE", Severity.MEDIUM, "no central directory",
                  "no end-of-central-directory record: members found by walking local headers",
                  "readers that need the directory see nothing; others see the members",
                  "end of file")
            entries = local
        else:
            for problem in directory.problems:
                issue("ZIP-STRUCTURE", Severity.MEDIUM, "central directory", problem,
                      "readers disagree on where members are", "central directory")
            if directory.truncated:
                issue("ZIP-MANY-MEMBERS", Severity.HIGH, f">{MAX_MEMBERS} members",
                      f"more than {MAX_MEMBERS} members; only the first {MAX_MEMBERS} checked",
                      "member floods exhaust scanners", "central directory")
                result.inconclusive.append(Inconclusive(
                    ctx.path, f"more than {MAX_MEMBERS} members; the rest were not scanned"))
            known = {e.header_offset for e in entries}
            for e in local:
                if e.header_offset not in known:
                    issue("ZIP-HIDDEN-MEMBER", Severity.MEDIUM, e.name,
                          f"member {e.name!r} has a local header but no central directory entry",
                          "it is invisible to readers that trust the directory",
                          f"offset {e.header_offset}")
                    entries = [*entries, e]
        if len(entries) > MANY_MEMBERS:
            issue("ZIP-MANY-MEMBERS", Severity.LOW, f"{len(entries)} members",
                  f"archive has {len(entries)} members", "member floods slow scanners",
                  "central directory")
        code_members = [e.name for e in entries if self.listed_code(e.name)]
        if code_members:
            fmt = "torchscript"
            issue("TORCHSCRIPT-CODE", Severity.LOW, "code/",
                  f"TorchScript code members: {', '.join(code_members[:5])}"
                  + (f" and {len(code_members) - 5} more" if len(code_members) > 5 else ""),
                  "torch.jit.load compiles and runs this code", "code/")
        if not entries and directory is not None:
            result.passed.append("ZIP-STRUCTURE")
        for e in entries:
            self._member(stream, e, ctx, result, counter, fmt)
        result.bytes_read = counter.n
        return result

    def skip_member(self, entry: ZipEntry) -> bool:
        """Members never scanned (none for a generic zip: every member is checked)."""
        return False

    def known_data(self, name: str) -> bool:
        """Raw data members: only a pickle hidden there is looked for, no 'not scanned' info."""
        return False

    def listed_code(self, name: str) -> bool:
        """TorchScript code members, reported together by TORCHSCRIPT-CODE."""
        return "/code/" in f"/{name}" and name.endswith(".py")

    def _member(self, f: BinaryIO, e: ZipEntry, ctx: ScanContext, result: ScanResult,
                counter: _Counter, fmt: str) -> None:
        where = f"{ctx.path}:{e.name}"
        header = f"local header at offset {e.header_offset}"

        def issue(rule: str, sev: Severity, construct: str, msg: str, why: str) -> None:
            result.issues.append(RiskIssue(rule, sev, construct, msg, why, header, fmt, where))

        if e.name.endswith("/") and e.usize == 0:
            return
        data_off, local = _local_data(f, e, counter)
        if data_off < 0 or local is None:
            issue("ZIP-STRUCTURE", Severity.MEDIUM, e.name,
                  f"member {e.name!r}: no local header at offset {e.header_offset}",
                  "the directory points at nothing")
            result.inconclusive.append(Inconclusive(where, "member data could not be located"))
            return
        if local.raw_name != e.raw_name:
            issue("ZIP-NAME-MISMATCH", Severity.HIGH, e.name,
                  f"central directory names {e.name!r}, local header names {local.name!r}",
                  "readers that trust different headers see different files")
        if local.method != e.method or (local.flags & 0x61) != (e.flags & 0x61):
            issue("ZIP-NAME-MISMATCH", Severity.HIGH, e.name,
                  "local header method/flags differ from the central directory",
                  "readers that trust different headers decode differently")
        member_ctx = ctx.member(e.name, e.usize)
        if self.skip_member(e):
            return
        raw = _Window(f, data_off, e.csize, counter)
        stream: BinaryIO
        if e.method == 0:
            stream = raw  # type: ignore[assignment]
        elif e.method == 8:
            if e.csize and e.usize / max(e.csize, 1) > BOMB_RATIO and e.usize > 64 * 2**20:
                issue("ZIP-BOMB", Severity.HIGH, e.name,
                      f"declares {e.usize} bytes from {e.csize} compressed "
                      f"(ratio {e.usize // max(e.csize, 1)})", "decompression bomb")
            stream = _Inflate(raw, e.usize)  # type: ignore[assignment]
        else:
            issue("ZIP-MEMBER-NOT-SCANNED", Severity.INFO, f"method {e.method}",
                  f"member {e.name!r} uses compression method {e.method}, not read",
                  "PyTorch cannot load it either; other loaders might")
            result.inconclusive.append(Inconclusive(where, f"compression method {e.method}"))
            return
        head = stream.read(SNIFF_BYTES)
        stream.seek(0)
        encrypted = bool(e.flags & 0x41)
        if e.flags & 0x61:
            bits = ", ".join(n for b, n in ((0x1, "encrypted"), (0x20, "patched data"),
                                            (0x40, "strong encryption")) if e.flags & b)
            if encrypted and not _plain(head):
                issue("ZIP-MEMBER-NOT-SCANNED", Severity.INFO, "encrypted",
                      f"member {e.name!r} is encrypted and was not scanned",
                      "encrypted content cannot be checked (nor loaded without the password)")
                return
            issue("ZIP-FLAG-TRICK", Severity.HIGH, f"flags 0x{e.flags:04x}",
                  f"member {e.name!r} has flag bits set ({bits}) but readable content",
                  "zipfile-based scanners refuse it; PyTorch loads it")
        if ctx.dispatch is None:
            return
        if self.known_data(e.name) and not (len(head) > 2 and head[0] == 0x80 and head[1] <= 5):
            return  # raw tensor bytes: only a pickle hidden there matters (torch reads none)
        sub = ctx.dispatch(stream, member_ctx)
        if isinstance(stream, _Inflate):
            if stream.overflow:
                issue("ZIP-BOMB", Severity.HIGH, e.name,
                      f"member inflates past the {MAX_INFLATE}-byte bound", "decompression bomb")
                result.inconclusive.append(Inconclusive(where, "inflate bound reached"))
            if stream.error:
                issue("ZIP-STRUCTURE", Severity.MEDIUM, e.name,
                      f"deflate error: {stream.error}", "a broken stream hides content")
        sub.bytes_read = 0  # counted by the window counter
        if self.known_data(e.name) or self.listed_code(e.name):
            sub.issues = [i for i in sub.issues if i.rule_id != "SCAN-NOT-SCANNED"]
        result.merge(sub)
        if sub.scanned and e.usize <= 256 * 2**20:
            self._check_crc(stream, e, issue)

    def _check_crc(self, stream: BinaryIO, e: ZipEntry,
                   issue: IssueFn) -> None:
        """Compare the CRC of a member a scanner really read (small ones only)."""
        stream.seek(0)
        crc = 0
        remaining = e.usize
        while True:
            chunk = stream.read(1 << 20)
            if not chunk:
                break
            crc = zlib.crc32(chunk, crc)
            remaining -= len(chunk)
        if crc != e.crc:
            issue("ZIP-CRC-MISMATCH", Severity.HIGH, e.name,
                  f"CRC-32 is 0x{crc:08x}, the directory says 0x{e.crc:08x}",
                  "PyTorch ignores CRCs; checking readers refuse the member")


def _plain(head: bytes) -> bool:
    """Does ``head`` look like known plaintext (so the 'encrypted' flag lies)?"""
    from ptmscope.risk.pickle_scan import sniff_pickle

    if not head:
        return True
    return sniff_pickle(head, "") or head[:4] == b"PK\x03\x04" or head[:6] == b"\x93NUMPY" \
        or all(32 <= c < 127 or c in (9, 10, 13) for c in head[:256])


class TorchZipScanner(ZipScanner):
    """PyTorch zip checkpoints (torch.save since 1.6) and TorchScript archives."""

    id: ClassVar[str] = "pytorch-zip"
    formats: ClassVar[tuple[str, ...]] = ("pytorch-zip", "torchscript")
    description: ClassVar[str] = (
        "PyTorch zip checkpoints and TorchScript archives: every pickle member (whatever its "
        "name), code/ members listed, zip tricks reported; tensor storages are not read"
    )

    @classmethod
    def sniff(cls, head: bytes, name: str) -> bool:
        """Zip magic and a PyTorch layout marker in the first local headers."""
        return is_zip(head) and (b"data.pkl" in head or b"/version" in head
                                 or b".data/" in head or b"constants.pkl" in head)

    def label(self, names: list[str]) -> str:
        """pytorch-zip (torchscript when code/ members are found, set in ``scan``)."""
        return "pytorch-zip"

    def known_data(self, name: str) -> bool:
        """Tensor storages and PyTorch's small layout records are raw data by design.

        They are still sniffed (a pickle hidden there is found); only the "not recognised"
        info is dropped for them.
        """
        return bool(_STORAGE_RE.search(name)) or name.rsplit("/", 1)[-1] in _TORCH_RECORDS
