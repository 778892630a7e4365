"""Tar, 7z and single-stream compressed files (gzip, bzip2, xz): members scanned by content.

Nothing is extracted to disk. Every member goes back through the dispatcher as a bounded
in-memory or seekable stream named ``archive:member``, so a pickle inside a 7z inside a tar is
found like a top-level one. Member counts and inflated sizes are bounded; crossing a bound is a
finding and the archive is reported inconclusive (fail closed).
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import tempfile
import zlib
from typing import Any, BinaryIO, ClassVar, cast

from ptmscope.records import Severity
from ptmscope.risk.base import Inconclusive, RiskIssue, Rule, ScanContext, Scanner, ScanResult

MAX_MEMBERS = 100_000
MAX_MEMBER_BYTES = 512 * 1024 * 1024
#: Extracted 7z members stay in memory up to this size each, and only while all members held
#: in memory total less than ``SPOOL_RAM_BUDGET``; the rest go to private temporary files.
SPOOL_BYTES = 1024 * 1024
SPOOL_RAM_BUDGET = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024**3

RULES: tuple[Rule, ...] = (
    Rule("ARCHIVE-LIMIT", "Archive exceeds a resource bound",
         "Member floods and decompression bombs exhaust loaders and scanners.",
         "Do not extract the archive.", Severity.HIGH),
    Rule("ARCHIVE-PATH", "Archive member path escapes the extraction folder",
         "Absolute paths, '..' parts and links overwrite files when extracted.",
         "Do not extract the archive.", Severity.HIGH),
    Rule("ARCHIVE-NOT-SCANNED", "Archive member could not be read",
         "Encrypted or unreadable members cannot be checked.",
         "Obtain a readable copy to scan.", Severity.INFO),
)


def _issue(result: ScanResult, rule: str, sev: Severity, construct: str, msg: str, why: str,
           loc: str, fmt: str) -> None:
    result.issues.append(RiskIssue(rule, sev, construct, msg, why, loc, fmt))


def _bad_path(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":")


def _v7_checksum_ok(block: bytes) -> bool:
    """Does a 512-byte block carry a valid tar header checksum (as tarfile checks it)?"""
    field = block[148:156].split(b"\0", 1)[0].strip()
    if not field or not block[:100].strip(b"\0") or any(c not in b"01234567" for c in field):
        return False
    wanted = int(field, 8)
    unsigned = sum(block[:148]) + 8 * 32 + sum(block[156:512])
    return wanted == unsigned and wanted != 8 * 32


class _Bounded(io.RawIOBase):
    """A seekable stream that refuses to read past ``limit`` bytes (flags the overflow)."""

    def __init__(self, inner: Any, limit: int) -> None:
        self.inner, self.limit, self.overflow = inner, limit, False

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return int(self.inner.tell())

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence == 2:
            raise io.UnsupportedOperation("seek from end of a compressed stream")
        return int(self.inner.seek(min(offset, self.limit), whence))

    def read(self, n: int | None = -1) -> bytes:
        left = self.limit - self.tell()
        want = left if n is None or n < 0 else min(n, left)
        data = bytes(self.inner.read(want)) if want > 0 else b""
        if (want <= 0 or n is None or n < 0 or n > left) and self.inner.read(1):
            self.overflow = True
        return data


class TarScanner(Scanner):
    """Tar archives (plain or compressed): every regular member dispatched by content."""

    id: ClassVar[str] = "tar"
    formats: ClassVar[tuple[str, ...]] = ("tar",)
    description: ClassVar[str] = "tar archives: members scanned by content, paths and links checked"
    rules: ClassVar[tuple[Rule, ...]] = RULES

    @classmethod
    def sniff(cls, head: bytes, name: str) -> bool:
        """``ustar`` magic at offset 257, or an old (v7) header with a valid checksum.

        v7 tar has no magic, yet ``tarfile`` (and legacy ``torch.load``, which tries tar
        first) opens it; its checksum is what tarfile itself trusts.
        """
        if len(head) >= 262 and head[257:262] == b"ustar":
            return True
        return len(head) >= 512 and _v7_checksum_ok(head[:512])

    def scan(self, stream: BinaryIO, ctx: ScanContext) -> ScanResult:
        """Walk the members (bounded) and dispatch each regular file."""
        result = ScanResult(scanned=[ctx.path])
        try:
            tf = tarfile.open(fileobj=stream, mode="r:")  # noqa: SIM115 - closed below
        except tarfile.TarError as err:
            result.inconclusive.append(Inconclusive(ctx.path, f"tar unreadable: {err}"))
            return result
        count = 0
        total = 0
        try:
            for member in tf:
                count += 1
                if count > MAX_MEMBERS:
                    _issue(result, "ARCHIVE-LIMIT", Severity.HIGH, f">{MAX_MEMBERS} members",
                           f"more than {MAX_MEMBERS} members", "member flood", ctx.path, "tar")
                    result.inconclusive.append(Inconclusive(ctx.path, "member bound reached"))
                    break
                where = f"{ctx.path}:{member.name}"
                if _bad_path(member.name) or member.issym() or member.islnk():
                    kind = "link" if member.issym() or member.islnk() else "path"
                    _issue(result, "ARCHIVE-PATH", Severity.HIGH, member.name,
                           f"member {kind} escapes or redirects extraction: "
                           f"{member.name!r} -> {member.linkname!r}",
                           "extraction can overwrite files outside the folder", where, "tar")
                if not member.isfile():
                    continue
                total += member.size
                if member.size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
                    _issue(result, "ARCHIVE-LIMIT", Severity.MEDIUM, member.name,
                           f"member of {member.size} bytes over the scan bound", "size bound",
                           where, "tar")
                    result.inconclusive.append(Inconclusive(where, "member over the size bound"))
                    continue
                fobj = tf.extractfile(member)
                if fobj is None or ctx.dispatch is None:
                    continue
                result.merge(ctx.dispatch(fobj,  # type: ignore[arg-type]
                                          ctx.member(member.name, member.size)))
        except (tarfile.TarError, OSError, EOFError) as err:
            result.inconclusive.append(Inconclusive(ctx.path, f"tar broken: {err}"))
        finally:
            tf.close()
        return result


class SevenZipScanner(Scanner):
    """7z archives through py7zr, members decompressed in memory under a bound."""

    id: ClassVar[str] = "7z"
    formats: ClassVar[tuple[str, ...]] = ("7z",)
    description: ClassVar[str] = "7z archives: members decompressed in memory (bounded), scanned"
    requires: ClassVar[str | None] = "py7zr"
    rules: ClassVar[tuple[Rule, ...]] = RULES

    @classmethod
    def sniff(cls, head: bytes, name: str) -> bool:
        """The 7z signature."""
        return head.startswith(b"7z\xbc\xaf\x27\x1c")

    def scan(self, stream: BinaryIO, ctx: ScanContext) -> ScanResult:
        """List members (sizes bounded before anything is inflated), then dispatch each."""
        import py7zr
        import py7zr.io

        result = ScanResult(scanned=[ctx.path])
        try:
            archive = py7zr.SevenZipFile(stream, mode="r")
        except Exception as err:  # py7zr raises many types on hostile input
            result.inconclusive.append(Inconclusive(ctx.path, f"7z unreadable: {err}"))
            return result
        with archive:
            if archive.needs_password():
                _issue(result, "ARCHIVE-NOT-SCANNED", Severity.INFO, "encrypted",
                       "7z archive is encrypted; members not scanned",
                       "encrypted content cannot be checked", ctx.path, "7z")
                return result
            infos = [i for i in archive.list() if not i.is_directory]
            if len(infos) > MAX_MEMBERS or sum(i.uncompressed for i in infos) > MAX_TOTAL_BYTES:
                _issue(result, "ARCHIVE-LIMIT", Severity.HIGH, "7z size",
                       f"{len(infos)} members, {sum(i.uncompressed for i in infos)} bytes "
                       "declared: over the bound", "decompression bomb", ctx.path, "7z")
                result.inconclusive.append(Inconclusive(ctx.path, "7z over the size bound"))
                return result
            for info in infos:
                if _bad_path(info.filename):
                    _issue(result, "ARCHIVE-PATH", Severity.HIGH, info.filename,
                           f"member path escapes extraction: {info.filename!r}",
                           "extraction can overwrite files outside the folder",
                           f"{ctx.path}:{info.filename}", "7z")

            class _Mem(py7zr.io.Py7zIO):
                """One extracted member: in memory while small, spooled to a private temporary
                file past ``SPOOL_BYTES`` (a 7z can declare up to ``MAX_TOTAL_BYTES`` of
                members, far more than should sit in RAM at once)."""

                def __init__(self) -> None:
                    in_ram = ram[0] < SPOOL_RAM_BUDGET
                    self.buf = cast(BinaryIO, tempfile.SpooledTemporaryFile(  # noqa: SIM115
                        max_size=SPOOL_BYTES if in_ram else 1, prefix="ptmscope-7z-"))
                    self.written = 0
                    self.overflow = False

                def write(self, s: bytes | bytearray) -> int:
                    if self.written + len(s) > MAX_MEMBER_BYTES:
                        self.overflow = True
                        return len(s)
                    if self.written < SPOOL_BYTES:
                        ram[0] += min(len(s), SPOOL_BYTES - self.written)
                    self.written += len(s)
                    return self.buf.write(s)

                def read(self, size: int | None = None) -> bytes:
                    return self.buf.read(-1 if size is None else size)

                def seek(self, offset: int, whence: int = 0) -> int:
                    return self.buf.seek(offset, whence)

                def flush(self) -> None:
                    """Nothing to flush."""

                def size(self) -> int:
                    return self.written

            members: dict[str, _Mem] = {}
            ram = [0]  # bytes of extracted members held in memory (an upper estimate)

            class _Factory(py7zr.io.WriterFactory):
                def create(self, filename: str) -> py7zr.io.Py7zIO:
                    members[filename] = _Mem()
                    return members[filename]

            try:
                archive.extract(factory=_Factory())
            except Exception as err:  # hostile input
                result.inconclusive.append(Inconclusive(ctx.path, f"7z extraction failed: {err}"))
        try:
            for name, mem in members.items():
                if mem.overflow:
                    _issue(result, "ARCHIVE-LIMIT", Severity.HIGH, name,
                           "member over the size bound", "decompression bomb",
                           f"{ctx.path}:{name}", "7z")
                    result.inconclusive.append(Inconclusive(f"{ctx.path}:{name}", "size bound"))
                    continue
                if ctx.dispatch is not None:
                    mem.buf.seek(0)
                    result.merge(ctx.dispatch(mem.buf, ctx.member(name, mem.size())))
        finally:
            for mem in members.values():
                mem.buf.close()  # frees the memory and deletes any spooled file
        return result


SNIFF = 4096


def _is_zlib(head: bytes) -> bool:
    """A zlib header (CMF/FLG check) whose first bytes really inflate."""
    if len(head) < 8 or head[0] != 0x78 or (head[0] * 256 + head[1]) % 31:
        return False
    try:
        zlib.decompressobj().decompress(head, 64)
    except zlib.error:
        return False
    return True


_COMPRESSED: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"),
)


class CompressedScanner(Scanner):
    """gzip / bzip2 / xz single streams: the decompressed content is scanned by content."""

    id: ClassVar[str] = "compressed"
    formats: ClassVar[tuple[str, ...]] = ("gzip", "bzip2", "xz", "zlib")
    description: ClassVar[str] = (
        "gzip, bzip2, xz and zlib streams (tar.gz, compressed pickles and joblib files): "
        "inflated lazily under a bound, then dispatched by content"
    )
    rules: ClassVar[tuple[Rule, ...]] = RULES

    @classmethod
    def sniff(cls, head: bytes, name: str) -> bool:
        """gzip, bzip2 or xz magic, or a zlib stream (joblib's ``compress=``) that inflates."""
        if head.startswith(b"BZh"):
            return len(head) > 3 and head[3:4].isdigit()
        return any(head.startswith(m) for m, _ in _COMPRESSED) or _is_zlib(head)

    def scan(self, stream: BinaryIO, ctx: ScanContext) -> ScanResult:
        """Dispatch the decompressed stream as ``file:<decompressed>``."""
        head = stream.read(SNIFF)
        stream.seek(0)
        kind = next((k for m, k in _COMPRESSED if head.startswith(m)), "zlib")
        inner: Any
        if kind == "zlib":
            from ptmscope.risk.zip_scan import _Counter, _Inflate, _Window

            stream.seek(0, 2)
            size = stream.tell()
            stream.seek(0)
            inner = _Inflate(_Window(stream, 0, size, _Counter()), -1, wbits=15)
        else:
            inner = (gzip.GzipFile(fileobj=stream, mode="rb") if kind == "gzip"
                     else bz2.BZ2File(stream, mode="rb") if kind == "bzip2"
                     else lzma.LZMAFile(stream, mode="rb"))  # noqa: SIM115
        result = ScanResult(scanned=[ctx.path])
        bounded = _Bounded(inner, MAX_MEMBER_BYTES)
        try:
            if ctx.dispatch is not None:
                result.merge(ctx.dispatch(bounded,  # type: ignore[arg-type]
                                          ctx.member(f"<{kind}-decompressed>")))
        except (OSError, EOFError, lzma.LZMAError, zlib.error) as err:
            result.inconclusive.append(Inconclusive(ctx.path, f"{kind} stream broken: {err}"))
        finally:
            inner.close()  # the caller's stream stays open
        if bounded.overflow:
            _issue(result, "ARCHIVE-LIMIT", Severity.HIGH, kind,
                   f"decompresses past the {MAX_MEMBER_BYTES}-byte bound", "decompression bomb",
                   ctx.path, kind)
            result.inconclusive.append(Inconclusive(ctx.path, "decompression bound reached"))
        return result
