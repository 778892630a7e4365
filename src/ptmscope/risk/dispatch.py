"""Dispatch artifacts to scanners by content, and fail closed.

The dispatcher walks files and folders, reads the first ``SNIFF_BYTES`` of each artifact, and
asks the registered scanners in priority order whether the head is theirs (the file name is
only a hint). The first that says yes scans it. Containers call back into the dispatcher for
each member (``ScanContext.dispatch``), named ``archive:member``, up to ``MAX_DEPTH`` levels.

Failing closed:

* an artifact no scanner recognises gets an explicit ``SCAN-NOT-SCANNED`` info finding;
* a scanner that raises makes its artifact *inconclusive* (``SCAN-SCANNER-ERROR``) and the run
  goes on with the next artifact;
* nesting past ``MAX_DEPTH`` is a finding and inconclusive;
* a run that scanned nothing is an error for ``exit_codes.determine_exit_code``.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from ptmscope.records import Severity
from ptmscope.risk.base import SNIFF_BYTES, Inconclusive, RiskIssue, Rule, ScanContext, ScanResult
from ptmscope.risk.registry import LoadedScanners, load_scanners
from ptmscope.risk.zip_scan import ZipScanner, has_zip_end, is_zip

#: Container nesting depth (a member of a member of ... ) the dispatcher follows.
MAX_DEPTH = 8
#: Files up to this size are read into memory in one read.
SMALL_FILE = 1024 * 1024
#: Folders never descended into (git internals are not model files).
SKIP_DIRS = frozenset({".git", "__pycache__", ".hg", ".svn"})

DISPATCH_RULES: tuple[Rule, ...] = (
    Rule("SCAN-NOT-SCANNED", "File not scanned: format not recognised",
         "No scanner recognised the content, so nothing was checked (fail closed: it is "
         "listed rather than silently skipped).",
         "Check the file by hand, or convert it to a format ptmscope scans.", Severity.INFO),
    Rule("SCAN-SCANNER-ERROR", "Scanner failed on this file",
         "The scan could not be completed, so the file is inconclusive.",
         "Report the error; treat the file as unchecked.", Severity.LOW),
    Rule("SCAN-NESTING-DEPTH", "Containers nested too deep",
         "Deep nesting is used to exhaust scanners or hide payloads below their depth limit.",
         "Unpack the archive by hand and scan the parts.", Severity.HIGH),
    Rule("SCAN-EMBEDDED-ZIP", "A zip archive ends this file but does not start it",
         "Readers that look for a zip from the end (zipfile.is_zipfile, Keras, many tools) "
         "open the archive hidden behind other content, which a scanner going by the first "
         "bytes never sees: a polyglot file.",
         "Do not load the file; re-create it without the appended archive.", Severity.HIGH),
    Rule("SCAN-UNREADABLE", "File could not be read",
         "The file could not be opened or read, so it was not checked.",
         "Check permissions and that the file exists.", Severity.LOW),
)


@dataclass(slots=True)
class Dispatcher:
    """Routes artifacts to scanners; records each scanned artifact's format.

    Attributes:
        loaded: the available scanners, in sniffing order.
        max_depth: container nesting bound.
        formats: display path -> format (scanner id) of every artifact a scanner took.
    """

    loaded: LoadedScanners = field(default_factory=load_scanners)
    max_depth: int = MAX_DEPTH
    formats: dict[str, str] = field(default_factory=dict)

    def scan_stream(self, stream: BinaryIO, ctx: ScanContext) -> ScanResult:
        """Detect ``stream``'s format by content and scan it (never raises)."""
        if ctx.dispatch is None:
            ctx = replace(ctx, dispatch=self.scan_stream)
        if ctx.depth > self.max_depth:
            return _with_path(ScanResult(
                issues=[RiskIssue("SCAN-NESTING-DEPTH", Severity.HIGH, f"depth {ctx.depth}",
                                  f"containers nested deeper than {self.max_depth} levels",
                                  "payloads below a scanner's depth limit go unseen")],
                inconclusive=[Inconclusive(ctx.path, "nesting depth bound reached")]), ctx.path)
        try:
            head = stream.read(SNIFF_BYTES)
            stream.seek(0)
        except (OSError, ValueError) as err:
            return _unreadable(ctx.path, err)
        name = ctx.path.rsplit(":", 1)[-1]
        for cls in self.loaded.scanners:
            try:
                mine = cls.sniff(head, name)
            except Exception as err:  # a broken sniff must not stop the run
                return _scanner_error(ctx.path, cls.id, err)
            if not mine:
                continue
            self.formats[ctx.path] = cls.id
            try:
                result = cls().scan(stream, ctx)
            except Exception as err:  # one scanner's bug makes one file inconclusive
                return _scanner_error(ctx.path, cls.id, err)
            if ctx.path not in result.scanned:
                result.scanned.append(ctx.path)
            return _with_path(self._embedded_zip(stream, ctx, head, result), ctx.path)
        why = "empty file" if not head else "format not recognised by any scanner"
        return self._embedded_zip(stream, ctx, head, ScanResult(issues=[RiskIssue(
            "SCAN-NOT-SCANNED", Severity.INFO, "unrecognised format", f"not scanned: {why}",
            "nothing in it was checked", "", "unknown", ctx.path)], bytes_read=len(head)))

    def _embedded_zip(self, stream: BinaryIO, ctx: ScanContext, head: bytes,
                      result: ScanResult) -> ScanResult:
        """Also scan a zip archive that ends a top-level file not starting with one.

        zipfile (and Keras, which opens ``.keras`` files with it) finds an archive by its end
        record, so bytes put in front of a zip hide it from a scanner that goes by the head.
        """
        if ctx.depth or is_zip(head) or not has_zip_end(stream):
            return result
        result.issues.append(RiskIssue(
            "SCAN-EMBEDDED-ZIP", Severity.HIGH, "embedded zip",
            "a zip archive ends the file behind other content (polyglot); its members were "
            "scanned too", "zip readers that search from the end open the hidden archive",
            "end of file", "zip", ctx.path))
        try:
            stream.seek(0)
            inner = ZipScanner().scan(stream, ctx)
        except Exception as err:  # one scanner's bug makes one file inconclusive
            return result.merge(_scanner_error(ctx.path, ZipScanner.id, err))
        inner.scanned = [s for s in inner.scanned if s not in result.scanned]
        return result.merge(inner)

    def scan_file(self, path: Path, display: str, folder: str | None = None) -> ScanResult:
        """Open ``path`` read-only and scan it as ``display``."""
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):
                # a FIFO blocks open() forever and a device never ends: both would hang the
                # run, so anything but a regular file is reported, not read
                raise OSError(f"not a regular file: {path}")
            with open(path, "rb") as fh:  # builtin open: cheaper per file than Path.open
                size = os.fstat(fh.fileno()).st_size
                if size <= SMALL_FILE:  # one read instead of a head read plus a full read
                    data = fh.read(size + 1)
                    result = self.scan_stream(io.BytesIO(data),
                                              ScanContext(display, 0, folder, size))
                    result.bytes_read = len(data)
                    return result
                counted = _CountingReader(fh)
                result = self.scan_stream(counted,  # type: ignore[arg-type]
                                          ScanContext(display, 0, folder, size))
                result.bytes_read = counted.count  # what really came off the disk
                return result
        except OSError as err:
            return _unreadable(display, err)


class _CountingReader(io.RawIOBase):
    """Wraps a file object and counts the bytes read through it."""

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__()
        self.raw = raw
        self.count = 0

    def read(self, n: int | None = -1) -> bytes:
        data = self.raw.read(-1 if n is None else n)
        self.count += len(data)
        return data

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.raw.seek(offset, whence)

    def tell(self) -> int:
        return self.raw.tell()

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    @property
    def name(self) -> str:
        return str(getattr(self.raw, "name", ""))

    def fileno(self) -> int:
        return self.raw.fileno()

    def add_mapped(self, nbytes: int) -> None:
        """Count bytes a scanner read through a memory map of this file."""
        self.count += nbytes


def _with_path(result: ScanResult, path: str) -> ScanResult:
    """Fill the path of issues a scanner left empty."""
    result.issues = [i if i.path else RiskIssue(i.rule_id, i.severity, i.construct, i.message,
                                                i.why, i.location, i.format, path)
                     for i in result.issues]
    return result


def _scanner_error(path: str, scanner: str, err: BaseException) -> ScanResult:
    reason = f"scanner {scanner} failed: {type(err).__name__}: {err}"
    return ScanResult(
        issues=[RiskIssue("SCAN-SCANNER-ERROR", Severity.LOW, scanner, reason,
                          "the file could not be checked to the end", "", scanner, path)],
        inconclusive=[Inconclusive(path, reason)],
    )


def _unreadable(path: str, err: BaseException) -> ScanResult:
    reason = f"could not read: {type(err).__name__}: {err}"
    return ScanResult(
        issues=[RiskIssue("SCAN-UNREADABLE", Severity.LOW, "unreadable", reason,
                          "the file was not checked", "", "unknown", path)],
        inconclusive=[Inconclusive(path, reason)],
    )


def iter_files(root: Path) -> Iterator[tuple[Path, str, str]]:
    """Files under ``root`` (or ``root`` itself): (path, display path, model folder).

    Folders are walked in sorted order without following directory symlinks (file symlinks,
    as in the Hugging Face cache, are followed); git internals are skipped.
    """
    if not root.is_dir():
        yield root, str(root), str(root.parent)
        return
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for fname in sorted(filenames):
            full = Path(dirpath) / fname
            yield full, str(full), str(root)
