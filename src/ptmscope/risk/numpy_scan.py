"""NumPy ``.npy`` files: header sanity, and the pickle inside object arrays.

An ``.npy`` file is a magic string, a small Python-literal header (dtype, order, shape) and
the raw array. When the dtype holds Python objects the "raw array" is a pickle, which
``np.load(allow_pickle=True)`` unpickles: it is walked like any pickle. The header is read
with patterns (never compiled or evaluated) and bounded. ``.npz`` archives are zips
of ``.npy`` members and reach this scanner through the zip scanner.
"""

from __future__ import annotations

import math
import re
from typing import BinaryIO, ClassVar

from ptmscope.records import Severity
from ptmscope.risk.base import Inconclusive, RiskIssue, Rule, ScanContext, Scanner, ScanResult
from ptmscope.risk.pickle_scan import RULES as PICKLE_RULES
from ptmscope.risk.pickle_scan import scan_pickle_stream

NPY_MAGIC = b"\x93NUMPY"
#: numpy's own default bound on header size (``max_header_size``) is 10,000 bytes.
MAX_HEADER = 10_000

RULES: tuple[Rule, ...] = (
    Rule("NPY-OBJECT-ARRAY", "NumPy array of Python objects (pickle inside)",
         "Loading needs allow_pickle=True, which unpickles the data: it can run code.",
         "Store numeric arrays only; load with allow_pickle=False.", Severity.LOW),
    Rule("NPY-HEADER", "NumPy header is malformed or oversized",
         "Oversized or malformed headers attack parsers (numpy refuses headers over 10,000 "
         "bytes by default).", "Re-create the file.", Severity.HIGH),
    Rule("NPY-SIZE-MISMATCH", "NumPy data size disagrees with its header",
         "Extra bytes after the array can carry a payload for a custom reader.",
         "Re-create the file.", Severity.LOW),
)


_DESCR = re.compile(
    r"""['"]descr['"]\s*:\s*('[^']*'|"[^"]*"|\[.*\])\s*,\s*['"](?:fortran_order|shape)""",
    re.S)
_SHAPE = re.compile(r"""['"]shape['"]\s*:\s*\(([\d\s,]*)\)""")


def parse_header(text: str) -> tuple[str, tuple[int, ...] | None] | None:
    """(descr text, shape) from an ``.npy`` header, by pattern (never compiled or evaluated).

    ``descr`` is returned as written (a quoted dtype string or a structured-dtype list);
    ``shape`` is None when it is not a plain tuple of integers.
    """
    if not text.lstrip().startswith("{"):
        return None
    m = _DESCR.search(text)
    if m is None:
        return None
    s = _SHAPE.search(text)
    shape = tuple(int(x) for x in s.group(1).replace(" ", "").split(",") if x) if s else None
    return m.group(1), shape


#: dtype spellings numpy maps to Python objects (``np.dtype("object")`` as well as ``"|O"``)
_OBJECT_DTYPE = re.compile(r"O|object")


def _itemsize(descr: str) -> int | None:
    m = re.fullmatch(r"[<>|=]?([a-zA-Z])(\d*)", descr)
    if not m:
        return None
    kind, digits = m.group(1), m.group(2)
    n = int(digits) if digits else 1
    return n * 4 if kind == "U" else n


class NumpyScanner(Scanner):
    """``.npy`` arrays: object arrays' pickles walked, header bounded and checked."""

    id: ClassVar[str] = "numpy"
    formats: ClassVar[tuple[str, ...]] = ("numpy-npy",)
    description: ClassVar[str] = (
        "NumPy .npy headers (bounded, literal-only parse) and the pickle of object arrays"
    )
    rules: ClassVar[tuple[Rule, ...]] = RULES + tuple(
        r for r in PICKLE_RULES if r.id == "PICKLE-GLOBAL-DANGEROUS")

    @classmethod
    def sniff(cls, head: bytes, name: str) -> bool:
        """The ``\\x93NUMPY`` magic."""
        return head.startswith(NPY_MAGIC)

    def scan(self, stream: BinaryIO, ctx: ScanContext) -> ScanResult:
        """Parse the header; walk the pickle of object arrays; check the data size."""
        result = ScanResult(scanned=[ctx.path])
        pre = stream.read(12)
        result.bytes_read += len(pre)

        def issue(rule: str, sev: Severity, construct: str, msg: str, why: str,
                  loc: str = "header") -> None:
            result.issues.append(RiskIssue(rule, sev, construct, msg, why, loc, "numpy-npy"))

        if len(pre) < 10:
            issue("NPY-HEADER", Severity.MEDIUM, "truncated", "file ends inside the header",
                  "a truncated header cannot be checked")
            return result
        major = pre[6]
        if major == 1:
            hlen, start = int.from_bytes(pre[8:10], "little"), 10
        else:
            hlen, start = int.from_bytes(pre[8:12], "little"), 12
        if hlen > MAX_HEADER:
            issue("NPY-HEADER", Severity.HIGH, f"header {hlen} bytes",
                  f"header declares {hlen} bytes (bound {MAX_HEADER})",
                  "oversized headers exhaust parsers; numpy refuses them by default")
            result.inconclusive.append(Inconclusive(ctx.path, "npy header over the bound"))
            return result
        stream.seek(start)
        raw = stream.read(hlen)
        result.bytes_read += len(raw)
        parsed = parse_header(raw.decode("latin-1"))
        if parsed is None:
            issue("NPY-HEADER", Severity.MEDIUM, "header", "header is not a valid literal dict",
                  "a malformed header may target other parsers")
            result.inconclusive.append(Inconclusive(ctx.path, "npy header unreadable"))
            return result
        descr, shape = parsed
        data_start = start + hlen
        if _OBJECT_DTYPE.search(descr):  # '|O', "object", [('a', 'O')]...: all pickles
            issue("NPY-OBJECT-ARRAY", Severity.LOW, f"dtype {descr}",
                  "object array: its data is a pickle (allow_pickle=True needed)",
                  "np.load(allow_pickle=True) unpickles it", f"offset {data_start}")
            stream.seek(data_start)
            inner = scan_pickle_stream(stream, ctx, fmt="numpy-npy")
            inner.scanned = []
            inner.issues = [
                RiskIssue(i.rule_id, i.severity, i.construct, i.message, i.why,
                          _shift(i.location, data_start), i.format, i.path)
                for i in inner.issues
            ]
            result.merge(inner)
            return result
        itemsize = _itemsize(descr.strip("'\"")) if descr[:1] in "'\"" else None
        if itemsize is not None and shape is not None:
            expected = math.prod(shape) * itemsize
            if ctx.size is not None and ctx.size != data_start + expected:
                issue("NPY-SIZE-MISMATCH", Severity.LOW, "data size",
                      f"header implies {expected} data bytes, file has "
                      f"{ctx.size - data_start}", "extra or missing bytes after the array",
                      f"offset {data_start}")
        result.passed.append("NPY-OBJECT-ARRAY")
        return result


def _shift(location: str, by: int) -> str:
    """Make ``offset N`` locations relative to the file start."""
    m = re.match(r"offset (\d+)(.*)", location)
    return f"offset {int(m.group(1)) + by}{m.group(2)}" if m else location
