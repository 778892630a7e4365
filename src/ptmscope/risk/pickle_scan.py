"""Pickle scanning by walking opcodes over bytes: nothing is ever unpickled or imported.

The walker (``walk_pickle``) reads one pickle (protocols 0-5) opcode by opcode and simulates
only what a security verdict needs: a stack of symbolic values (strings, small ints, tuples,
small dicts, imported globals, results of calls), the MARK stack, and the memo (PUT, BINPUT,
LONG_BINPUT, MEMOIZE, GET...). That is enough to see every GLOBAL / INST / STACK_GLOBAL, to
tell a STACK_GLOBAL fed by plain strings (even through the memo) from one fed by anything else
(a memo key never stored, an int, the result of a call: the "type confusion" and "module
override" tricks), to see REDUCE / NEWOBJ / OBJ / BUILD targets, and to find pickles hidden in
bytes, base64 or hex strings. It stops at STOP; ``scan_pickle_bytes`` then walks the next pickle
of the stream, so stacked pickles are all seen. Everything found before a parse error is still
reported, with the error.

Bounds: the stack and memo sizes are checked every 64 KiB of input, nested pickles go at most
``MAX_NESTED_DEPTH`` deep, and the caller bounds how many bytes are read.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import io
import mmap
import re
import struct
import warnings
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO, ClassVar

from ptmscope.records import Severity
from ptmscope.risk.base import Inconclusive, RiskIssue, Rule, ScanContext, Scanner, ScanResult
from ptmscope.risk.globals_policy import classify

#: Largest pickle read into memory for a walk (a bigger one is inconclusive).
MAX_PICKLE_BYTES = 2 * 1024**3
#: Stack / memo entries before the walk is stopped as a resource attack.
MAX_STACK = 4_000_000
MAX_MEMO = 2_000_000
#: How deep pickles hidden inside pickles are followed.
MAX_NESTED_DEPTH = 6
#: Strings longer than this are copied only when their head may hide a pickle.
BIG_STRING = 1 << 20
#: Pickles bigger than this are memory-mapped instead of read (when the stream is a file).
MMAP_ABOVE = 64 * 1024 * 1024
#: Strings shorter than this are not checked for hidden pickles.
MIN_NESTED_LEN = 12
#: Pickles after the first one in a stream that are followed (legacy torch has 5).
MAX_STACKED = 64
#: GLOBAL / INST / STACK_GLOBAL opcodes one walk follows. Real files import each callable
#: once and fetch it from the memo after that; millions of imports are a CPU attack.
MAX_IMPORT_OPS = 1_000_000

RULES: tuple[Rule, ...] = (
    Rule("PICKLE-GLOBAL-DANGEROUS", "Pickle imports a dangerous callable",
         "Loading the file imports and can call a function that runs code, starts processes, "
         "opens connections, writes files or loads more code.",
         "Do not load the file; get the weights as safetensors, or load with "
         "torch.load(weights_only=True) after confirming the source.", Severity.CRITICAL),
    Rule("PICKLE-GLOBAL-UNKNOWN", "Pickle imports a callable outside the allowlist",
         "The loader imports and may call it; it is not one of the known-safe reconstructors.",
         "Check that the named class belongs to the model's library; prefer safetensors.",
         Severity.MEDIUM),
    Rule("PICKLE-GLOBAL-DYNAMIC", "Pickle builds an import name at load time",
         "STACK_GLOBAL operands that are not plain strings (a missing memo key, an int, the "
         "result of a call) hide what is imported: a known evasion of pickle scanners.",
         "Do not load the file.", Severity.HIGH),
    Rule("PICKLE-BUILD-ON-GLOBAL", "Pickle overwrites attributes of an imported object",
         "BUILD applied to an imported class or module rewrites it, e.g. to swap a safe name "
         "for eval before it is imported again.", "Do not load the file.", Severity.HIGH),
    Rule("PICKLE-EXTENSION-CODE", "Pickle uses the copyreg extension registry",
         "EXT opcodes import whatever the loading process registered under a number.",
         "Re-export the file without extension codes.", Severity.MEDIUM),
    Rule("PICKLE-NESTED", "Pickle hides another pickle in a string",
         "A pickle inside bytes, base64 or hex is invisible to scanners that stop at the "
         "outer one and is typically loaded by a nested loader.",
         "Inspect the nested findings; do not load the file.", Severity.MEDIUM),
    Rule("PICKLE-MALFORMED", "Pickle is broken or truncated",
         "A broken stream can hide what follows from scanners that give up; what was read "
         "before the break is reported.", "Re-export the file.", Severity.LOW),
    Rule("PICKLE-LIMIT", "Pickle exceeds a resource bound",
         "Huge stacks or memos (billion-laughs style) exhaust memory in loaders and scanners.",
         "Do not load the file.", Severity.HIGH),
    Rule("PICKLE-TRAILING-DATA", "Data after the last pickle",
         "Bytes after the final STOP are not a pickle; they may hide a payload for a custom "
         "loader.", "Check what reads the trailing bytes.", Severity.LOW),
)

_INT4 = struct.Struct("<i")
_UINT2 = struct.Struct("<H")
_LEN_WIDTH = {0x54: 4, 0x55: 1, 0x42: 4, 0x43: 1, 0x8D: 8, 0x8E: 8, 0x96: 8}
_EXT_WIDTH = {0x82: 1, 0x83: 2, 0x84: 4}
_CONSTANTS: dict[int, Any] = {0x88: True, 0x89: False, 0x29: ()}
_MISSING = object()  # a memo key that was never stored


@dataclass(frozen=True, slots=True)
class Glob:
    """An imported global on the simulated stack."""

    module: str
    name: str
    offset: int


@dataclass(frozen=True, slots=True)
class Made:
    """The result of calling ``func`` (REDUCE, NEWOBJ, OBJ, INST) with ``args``.

    ``depth`` counts the calls between it and the callable at the root of ``func`` (a call on
    the result of a call...), kept so naming it costs O(1) however long the chain is.
    """

    func: object
    args: object = None
    depth: int = 1


@dataclass(slots=True)
class WalkEvents:
    """What one walk saw (plain data; the scanner turns it into issues)."""

    globals: list[tuple[int, str, str, str]] = field(default_factory=list)  # off, op, mod, name
    dynamic: list[tuple[int, str]] = field(default_factory=list)
    build_on_global: list[tuple[int, str]] = field(default_factory=list)
    calls: list[tuple[int, str, str]] = field(default_factory=list)  # offset, op, callee
    extensions: list[tuple[int, int]] = field(default_factory=list)
    nested: list[tuple[int, bytes, str]] = field(default_factory=list)
    malformed: list[tuple[int, str]] = field(default_factory=list)
    limit: str | None = None
    error: str | None = None
    error_offset: int = -1
    end: int = 0  # offset after STOP (or where the walk stopped)
    complete: bool = False  # reached STOP
    ops: int = 0
    skipped: int = 0  # bytes of big strings stepped over without being read
    import_ops: int = 0
    inflated: int = 0  # bytes of compressed hidden strings inflated so far
    # what was already recorded: a repeated import or call is kept once (first offset), so
    # millions of repeats cost no memory
    seen: set[tuple[str, str, str]] = field(default_factory=set)


class _Stop(Exception):
    """Internal: the walk must end (error or limit)."""


_B64_RE = re.compile(rb"[A-Za-z0-9+/_\-=\s]+")
_HEX_RE = re.compile(rb"[0-9a-fA-F]+")
_PROTO0_START = frozenset(b"c(]}).NIFLSVgi")


def looks_like_pickle(data: bytes) -> bool:
    """A cheap content test: a PROTO header, or a protocol 0/1 stream ending with STOP."""
    if len(data) < 2:
        return False
    if data[0] == 0x80 and data[1] <= 5:
        return True
    return data[0] in _PROTO0_START and data.rstrip()[-1:] == b"." and b"\n" in data[:512]


#: Bytes a compressed pickle hidden in a string is inflated to, at most, for the check.
MAX_NESTED_INFLATE = 64 * 1024 * 1024
_GZIP_OR_ZLIB = (b"\x1f\x8b", b"\x78\x01", b"\x78\x5e", b"\x78\x9c", b"\x78\xda")


def _inflate_head(raw: bytes) -> bytes:
    """``raw`` gunzipped or zlib-inflated, at most ``MAX_NESTED_INFLATE`` bytes (b"" if not)."""
    try:
        inflater = zlib.decompressobj(31 if raw[:2] == b"\x1f\x8b" else 15)
        return inflater.decompress(raw, MAX_NESTED_INFLATE)
    except zlib.error:
        return b""


def _maybe_hidden(head: bytes) -> bool:
    """Could a string starting with ``head`` hide a pickle or zip (raw, base64, hex, gzip)?"""
    return looks_like_pickle(head + b"\n.") or head[:4] == b"PK\x03\x04" or \
        head[:2] in _GZIP_OR_ZLIB or \
        head[:1] in b"gYKXfUo" or head[:2] in (b"80", b"63", b"28", b"5d", b"7d", b"50")


def _decode_hidden(raw: bytes, inflate: bool = True) -> tuple[bytes, str] | None:
    """A pickle or zip hidden in ``raw`` as-is, base64, hex or (when ``inflate``) gzip or
    zlib compressed, with how it was encoded."""
    if looks_like_pickle(raw) or raw[:4] == b"PK\x03\x04":
        return raw, "raw bytes"
    if inflate and raw[:2] in _GZIP_OR_ZLIB:  # compressed, for a loader inflating first
        inflated = _inflate_head(raw)
        if looks_like_pickle(inflated) or inflated[:4] == b"PK\x03\x04":
            return inflated, "gzip" if raw[:2] == b"\x1f\x8b" else "zlib"
    if len(raw) >= MIN_NESTED_LEN and raw[:1] in b"gYKXfUo" and _B64_RE.fullmatch(raw):
        try:
            dec = base64.b64decode(raw + b"==", altchars=b"-_" if b"-" in raw or b"_" in raw
                                   else None)
        except (binascii.Error, ValueError):
            dec = b""
        if dec and (looks_like_pickle(dec) or dec[:4] == b"PK\x03\x04"):
            return dec, "base64"
    if len(raw) >= MIN_NESTED_LEN and len(raw) % 2 == 0 and raw[:2] in (
        b"80", b"63", b"28", b"5d", b"7d", b"50"
    ) and _HEX_RE.fullmatch(raw):
        dec = bytes.fromhex(raw.decode("ascii"))
        if looks_like_pickle(dec) or dec[:4] == b"PK\x03\x04":
            return dec, "hex"
    return None


def _itemsize(dtype_text: str) -> int | None:
    """Bytes per element of a NumPy dtype string such as ``<f8`` (None for object)."""
    m = re.fullmatch(r"[<>|=]?([a-zA-Z])(\d*)", dtype_text)
    if not m:
        return None
    kind, digits = m.group(1), m.group(2)
    if kind == "O":
        return None
    n = int(digits) if digits else 1
    return n * 4 if kind == "U" else n


class _Walker:
    """One pickle walk over ``data[start:end]``; see the module docstring."""

    def __init__(self, data: bytes, start: int, end: int, nested_ok: bool = True) -> None:
        self.data = data
        self.pos = start
        self.end = end
        self.ev = WalkEvents()
        self.stack: list[Any] = []
        self.marks: list[int] = []
        self.memo: dict[int, Any] = {}
        self.nested_ok = nested_ok

    # --- helpers -----------------------------------------------------------------------------
    def fail(self, why: str, at: int) -> None:
        self.ev.error = why
        self.ev.error_offset = at
        raise _Stop

    def line(self, at: int) -> tuple[bytes, int]:
        nl = self.data.find(b"\n", at, self.end)
        if nl < 0:
            self.fail("truncated: line argument without newline", at)
        return self.data[at:nl], nl + 1

    def take(self, at: int, n: int) -> bytes:
        if n < 0 or at + n > self.end:
            self.fail(f"truncated: {n}-byte argument runs past the end", at)
        return self.data[at:at + n]

    def pop(self, at: int) -> Any:
        if not self.stack or (self.marks and len(self.stack) <= self.marks[-1]):
            self.fail("stack underflow", at)
        return self.stack.pop()

    def pop_mark(self, at: int) -> list[Any]:
        if not self.marks:
            self.fail("pop to MARK without a MARK", at)
        k = self.marks.pop()
        items = self.stack[k:]
        del self.stack[k:]
        return items

    def string_at(self, start: int, n: int, at: int, is_bytes: bool) -> Any:
        """Like ``string`` for ``data[start:start+n]``, copying a big string only when its
        head says it may hide a pickle or an archive (so a memory-mapped 5 GB BINBYTES costs
        one page, not 5 GB)."""
        if n > BIG_STRING:
            head = bytes(self.data[start:start + 16])
            if not (self.nested_ok and _maybe_hidden(head)):
                self.ev.skipped += n - 16
                return None
        return self.string(self.data[start:start + n], at, is_bytes)

    def string(self, raw: bytes, at: int, is_bytes: bool) -> Any:
        """The value a string opcode pushes; checks it for a hidden pickle."""
        if self.nested_ok and len(raw) >= MIN_NESTED_LEN:
            # inflated blobs are kept until the walk ends: their total is bounded, or a
            # thousand small gzip bombs would each cost MAX_NESTED_INFLATE
            hidden = _decode_hidden(raw, self.ev.inflated < MAX_NESTED_INFLATE)
            if hidden is not None:
                if hidden[1] in ("gzip", "zlib"):
                    self.ev.inflated += len(hidden[0])
                self.ev.nested.append((at, hidden[0], hidden[1]))
        if is_bytes:
            return raw if len(raw) <= 256 else None
        if len(raw) > 1024:
            return None
        try:
            return raw.decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            return None

    def add_global(self, at: int, op: str, module: str, name: str) -> Glob:
        ev = self.ev
        ev.import_ops += 1
        if ev.import_ops > MAX_IMPORT_OPS:
            ev.limit = f"more than {MAX_IMPORT_OPS} import opcodes at offset {at}"
            raise _Stop
        if ("g", module, name) not in ev.seen:
            ev.seen.add(("g", module, name))
            ev.globals.append((at, op, module, name))
        return Glob(module, name, at)

    def callee(self, func: Any) -> str:
        # iterative: a chain of calls on call results (``)R)R)R...``) is as long as the
        # attacker likes, and recursion over it would crash the scan
        depth = 0
        while isinstance(func, Made):  # at most a few steps: see ``call``
            depth += func.depth
            func = func.func
        base = f"{func.module}.{func.name}" if isinstance(func, Glob) else "unknown value"
        if depth > 3:
            return f"result of ({depth} nested calls of) {base}"
        return "result of " * depth + base

    def call(self, at: int, op: str, func: Any, args: Any) -> Made:
        callee = f"{func.module}.{func.name}" if isinstance(func, Glob) else self.callee(func)
        if ("c", op, callee) not in self.ev.seen:
            self.ev.seen.add(("c", op, callee))
            self.ev.calls.append((at, op, callee))
        if isinstance(func, Made):  # point at the chain's root: naming stays O(1)
            return Made(func.func, args, func.depth + 1)
        return Made(func, args)

    # --- the walk ----------------------------------------------------------------------------
    def run(self) -> WalkEvents:
        try:
            self._loop()
        except _Stop:
            pass
        except (IndexError, struct.error):
            self.ev.error = "truncated: the stream ends before STOP"
            self.ev.error_offset = self.pos
        self.ev.end = self.pos
        return self.ev

    def _loop(self) -> None:
        data, end = self.data, self.end
        stack, marks, memo = self.stack, self.marks, self.memo
        push = stack.append
        pos = self.pos
        ops = 0
        frm = int.from_bytes
        unpack_i, unpack_h = _INT4.unpack_from, _UINT2.unpack_from
        try:
            while True:
                # bounds are checked once per 64 KiB of input, not once per opcode
                if pos >= end:
                    self.pos = pos
                    self.fail("truncated: the stream ends before STOP", pos)
                if len(stack) > MAX_STACK or len(memo) > MAX_MEMO:
                    self.ev.limit = f"stack {len(stack)} / memo {len(memo)} entries at offset {pos}"
                    self.pos = pos
                    raise _Stop
                limit = min(end, pos + 65536)
                while pos < limit:
                    op = data[pos]
                    ops += 1
                    # --- hot opcodes first ---
                    if op == 0x4B:  # BININT1
                        push(data[pos + 1])
                        pos += 2
                    elif op == 0x4A:  # BININT
                        push(unpack_i(data, pos + 1)[0])
                        pos += 5
                    elif op == 0x4D:  # BININT2
                        push(unpack_h(data, pos + 1)[0])
                        pos += 3
                    elif op == 0x71:  # BINPUT
                        if not stack:
                            self.pos = pos
                            self.fail("PUT on an empty stack", pos)
                        memo[data[pos + 1]] = stack[-1]
                        pos += 2
                    elif op == 0x68:  # BINGET
                        push(memo.get(data[pos + 1], _MISSING))
                        pos += 2
                    elif op == 0x94:  # MEMOIZE
                        if not stack:
                            self.pos = pos
                            self.fail("MEMOIZE on an empty stack", pos)
                        memo[len(memo)] = stack[-1]
                        pos += 1
                    elif op == 0x28:  # MARK
                        marks.append(len(stack))
                        pos += 1
                    elif op == 0x65 or op == 0x75 or op == 0x90:  # APPENDS, SETITEMS, ADDITEMS
                        if not marks:
                            self.pos = pos
                            self.fail("pop to MARK without a MARK", pos)
                        k = marks.pop()
                        if op == 0x75 and k >= 1 and isinstance(stack[k - 1], dict):
                            self._setitems(stack[k - 1], stack[k:])
                        del stack[k:]
                        if k == 0 or (marks and k <= marks[-1]):
                            self.pos = pos
                            self.fail("APPENDS/SETITEMS without a target", pos)
                        pos += 1
                    elif op == 0x47:  # BINFLOAT
                        push(None)
                        pos += 9
                    elif op == 0x8C or op == 0x58:  # SHORT_BINUNICODE, BINUNICODE
                        if op == 0x8C:
                            n, a = data[pos + 1], pos + 2
                        else:
                            n, a = frm(data[pos + 1:pos + 5], "little"), pos + 5
                        if a + n > end:
                            self.pos = pos
                            self.fail("truncated: string runs past the end", pos)
                        push(self.string_at(a, n, pos, False))
                        pos = a + n
                    elif op == 0x85:  # TUPLE1
                        if not stack:
                            self.pos = pos
                            self.fail("stack underflow", pos)
                        stack[-1] = (stack[-1],)
                        pos += 1
                    elif op == 0x86 or op == 0x87:  # TUPLE2, TUPLE3
                        n = op - 0x84
                        if len(stack) < n:
                            self.pos = pos
                            self.fail("stack underflow", pos)
                        t = tuple(stack[-n:])
                        del stack[-n:]
                        push(t)
                        pos += 1
                    elif op == 0x51:  # BINPERSID
                        if not stack:
                            self.pos = pos
                            self.fail("stack underflow", pos)
                        stack[-1] = None
                        pos += 1
                    elif op == 0x30 and stack and not (marks and len(stack) <= marks[-1]):
                        stack.pop()  # POP (a POP of a MARK takes the slow path)
                        pos += 1
                    elif op == 0x52 and len(stack) >= 2 and not (
                            marks and len(stack) - 2 < marks[-1]):  # REDUCE
                        args = stack.pop()
                        stack[-1] = self.call(pos, "REDUCE", stack[-1], args)
                        pos += 1
                    elif op == 0x29 or op == 0x4E:  # EMPTY_TUPLE, NONE
                        push(() if op == 0x29 else None)
                        pos += 1
                    elif op == 0x2E:  # STOP
                        self.ev.complete = True
                        self.pos = pos + 1
                        return
                    else:
                        self.pos = pos
                        pos = self._slow(op, pos)
        except (IndexError, struct.error):
            self.pos = pos
            raise
        finally:
            self.ev.ops += ops

    def _setitems(self, target: dict[Any, Any], items: list[Any]) -> None:
        if len(target) > 64:
            return
        for i in range(0, min(len(items) - 1, 128), 2):
            key = items[i]
            if isinstance(key, (str, int)):
                target[key] = items[i + 1]

    def _slow(self, op: int, pos: int) -> int:
        """Every other opcode; returns the next position."""
        stack = self.stack
        push = stack.append
        frm = int.from_bytes
        a = pos + 1
        if op == 0x80:  # PROTO
            proto = self.take(a, 1)[0]
            if proto > 5:
                self.fail(f"unsupported pickle protocol {proto}", pos)
            return a + 1
        if op == 0x95:  # FRAME
            self.take(a, 8)
            return a + 8
        if op in (0x63, 0x69):  # GLOBAL, INST
            mod_raw, b = self.line(a)
            name_raw, c = self.line(b)
            opname = "GLOBAL" if op == 0x63 else "INST"
            try:
                module, name = mod_raw.decode("utf-8"), name_raw.decode("utf-8")
            except UnicodeDecodeError:
                self.ev.malformed.append((pos, f"{opname} name is not valid UTF-8 (the loader "
                                               "rejects it before importing)"))
                if op == 0x69:
                    self.pop_mark(pos)
                push(_MISSING)
                return c
            g = self.add_global(pos, opname, module, name)
            if op == 0x63:
                push(g)
            else:
                args = self.pop_mark(pos)
                push(self.call(pos, "INST", g, tuple(args)))
            return c
        if op == 0x93:  # STACK_GLOBAL
            name = self.pop(pos)
            module = self.pop(pos)
            if isinstance(module, str) and isinstance(name, str):
                push(self.add_global(pos, "STACK_GLOBAL", module, name))
            else:
                self.ev.dynamic.append((pos, self._why_dynamic(module, name)))
                push(Made(None))
            return a
        if op == 0x52:  # REDUCE
            args = self.pop(pos)
            func = self.pop(pos)
            push(self.call(pos, "REDUCE", func, args))
            return a
        if op == 0x81:  # NEWOBJ
            args = self.pop(pos)
            cls = self.pop(pos)
            push(self.call(pos, "NEWOBJ", cls, args))
            return a
        if op == 0x92:  # NEWOBJ_EX
            self.pop(pos)
            args = self.pop(pos)
            cls = self.pop(pos)
            push(self.call(pos, "NEWOBJ_EX", cls, args))
            return a
        if op == 0x6F:  # OBJ
            items = self.pop_mark(pos)
            if not items:
                self.fail("OBJ without a class", pos)
            push(self.call(pos, "OBJ", items[0], tuple(items[1:])))
            return a
        if op == 0x62:  # BUILD
            state = self.pop(pos)
            if not stack:
                self.fail("BUILD without a target", pos)
            target = stack[-1]
            if isinstance(target, Glob):
                self.ev.build_on_global.append((pos, f"{target.module}.{target.name}"))
            elif isinstance(target, Made) and target.depth == 1 and \
                    isinstance(target.func, Glob) and \
                    target.func.name in ("NumpyArrayWrapper", "NDArrayWrapper") and \
                    target.func.module.startswith(("joblib", "sklearn.externals.joblib")):
                return self._joblib_array(state, a)
            return a
        if op in (0x70, 0x72, 0x67, 0x6A):  # PUT, LONG_BINPUT, GET, LONG_BINGET
            if op == 0x70 or op == 0x67:
                raw, nxt = self.line(a)
                try:
                    idx = int(raw)
                except ValueError:
                    self.fail("PUT/GET index is not a number", pos)
            else:
                idx, nxt = frm(self.take(a, 4), "little"), a + 4
            if op in (0x70, 0x72):
                if not stack:
                    self.fail("PUT on an empty stack", pos)
                self.memo[idx] = stack[-1]
            else:
                push(self.memo.get(idx, _MISSING))
            return nxt
        if op in (0x53, 0x56):  # STRING, UNICODE (text line)
            raw, nxt = self.line(a)
            if op == 0x53:
                if len(raw) >= 2 and raw[:1] == raw[-1:] and raw[:1] in b"'\"":
                    raw = raw[1:-1]
                try:
                    with warnings.catch_warnings():  # invalid escapes warn; the bytes are data
                        warnings.simplefilter("ignore")
                        unescaped = codecs.escape_decode(raw)[0]
                except ValueError:
                    self.fail("STRING argument is not a valid escaped string", pos)
                push(self.string(unescaped, pos, False))
            else:
                try:
                    text = raw.decode("raw-unicode-escape")
                except UnicodeDecodeError:
                    self.fail("UNICODE argument is not valid", pos)
                push(self.string(text.encode("utf-8", "surrogatepass"), pos, False))
            return nxt
        if op in (0x54, 0x55, 0x42, 0x43, 0x8D, 0x8E, 0x96):  # length-prefixed strings
            width = _LEN_WIDTH[op]
            n = frm(self.take(a, width), "little", signed=op == 0x54)
            if n < 0 or a + width + n > self.end:
                self.fail(f"truncated: {n}-byte argument runs past the end", a + width)
            push(self.string_at(a + width, n, pos, op in (0x42, 0x43, 0x8E, 0x96)))
            return a + width + n
        if op in (0x49, 0x4C, 0x46):  # INT, LONG, FLOAT (text)
            raw, nxt = self.line(a)
            number: int | None = None
            if op != 0x46:
                try:
                    number = int(raw.rstrip(b"L")) if len(raw) < 40 else None
                except ValueError:
                    self.fail("INT/LONG argument is not a number", pos)
            push(number)
            return nxt
        if op in (0x8A, 0x8B):  # LONG1, LONG4
            width = 1 if op == 0x8A else 4
            n = frm(self.take(a, width), "little", signed=op == 0x8B)
            raw = self.take(a + width, n)
            push(frm(raw, "little", signed=True) if n <= 8 else None)
            return a + width + n
        if op in (0x4E, 0x88, 0x89, 0x5D, 0x29, 0x8F):  # NONE, TRUE, FALSE, [], (), set()
            push(_CONSTANTS.get(op))
            return a
        if op == 0x7D:  # EMPTY_DICT
            push({})
            return a
        if op == 0x50:  # PERSID
            _, nxt = self.line(a)
            push(None)
            return nxt
        if op in (0x6C, 0x74, 0x64, 0x91):  # LIST, TUPLE, DICT, FROZENSET
            items = self.pop_mark(pos)
            push(tuple(items) if op == 0x74 else None)
            return a
        if op == 0x61:  # APPEND
            self.pop(pos)
            if not stack:
                self.fail("APPEND without a list", pos)
            return a
        if op == 0x73:  # SETITEM
            item = self.pop(pos)
            key = self.pop(pos)
            if not stack:
                self.fail("SETITEM without a dict", pos)
            if isinstance(stack[-1], dict):
                self._setitems(stack[-1], [key, item])
            return a
        if op == 0x30:  # POP
            if self.marks and len(stack) == self.marks[-1]:
                self.marks.pop()  # POP of a MARK, as the C unpickler allows
            else:
                self.pop(pos)
            return a
        if op == 0x31:  # POP_MARK
            self.pop_mark(pos)
            return a
        if op == 0x32:  # DUP
            if not stack:
                self.fail("DUP on an empty stack", pos)
            push(stack[-1])
            return a
        if op in (0x82, 0x83, 0x84):  # EXT1, EXT2, EXT4
            width = _EXT_WIDTH[op]
            code = frm(self.take(a, width), "little")
            self.ev.extensions.append((pos, code))
            push(Made(None))
            return a + width
        if op == 0x97:  # NEXT_BUFFER
            push(None)
            return a
        if op == 0x98:  # READONLY_BUFFER
            self.pop(pos)
            push(None)
            return a
        self.fail(f"invalid opcode 0x{op:02x}", pos)
        return a  # unreachable

    def _why_dynamic(self, module: Any, name: Any) -> str:
        def describe(v: Any) -> str:
            if v is _MISSING:
                return "a memo entry that was never stored"
            if isinstance(v, (Glob, Made)):
                return f"an object made at load time ({self.callee(v)})"
            if isinstance(v, str):
                return repr(v[:80])
            return f"a non-string value ({type(v).__name__})"
        return f"STACK_GLOBAL module is {describe(module)}, name is {describe(name)}"

    def _joblib_array(self, state: Any, at: int) -> int:
        """Skip the raw array bytes joblib writes right after a NumpyArrayWrapper's BUILD."""
        if not isinstance(state, dict):
            self.fail("joblib array wrapper state could not be read", at)
        pos = at
        if state.get("allow_mmap"):
            pad = self.take(pos, 1)[0]
            pos += 1 + pad
        dtype = state.get("dtype")
        dtype_text = None
        if isinstance(dtype, Made) and isinstance(dtype.args, tuple) and dtype.args:
            first = dtype.args[0]
            dtype_text = first if isinstance(first, str) else None
        shape = state.get("shape")
        if dtype_text is None or not isinstance(shape, tuple):
            self.fail("joblib array wrapper dtype/shape could not be read", at)
        itemsize = _itemsize(dtype_text or "")
        if itemsize is None:  # object array: a whole pickle follows in the stream
            sub = _Walker(self.data, pos, self.end, self.nested_ok).run()
            self._merge_sub(sub)
            if not sub.complete:
                self.fail(sub.error or "object array pickle incomplete", pos)
            return sub.end
        count = 1
        for dim in shape:
            if not isinstance(dim, int) or dim < 0:
                self.fail("joblib array shape is not a tuple of ints", at)
            count *= dim
        nbytes = count * itemsize
        if pos + nbytes > self.end:
            self.fail("truncated: joblib array data runs past the end", at)
        return pos + nbytes

    def _merge_sub(self, sub: WalkEvents) -> None:
        ev = self.ev
        ev.globals += sub.globals
        ev.dynamic += sub.dynamic
        ev.build_on_global += sub.build_on_global
        ev.calls += sub.calls
        ev.extensions += sub.extensions
        ev.nested += sub.nested
        ev.malformed += sub.malformed
        ev.ops += sub.ops


def walk_pickle(data: bytes, start: int = 0, end: int | None = None,
                *, find_nested: bool = True) -> WalkEvents:
    """Walk one pickle of ``data`` from ``start`` until STOP, an error or ``end``.

    Never constructs an object of the artifact: values are simulated.
    """
    return _Walker(data, start, len(data) if end is None else end, find_nested).run()


@dataclass(slots=True)
class PickleReport:
    """Everything ``scan_pickle_bytes`` found in one stream."""

    issues: list[RiskIssue] = field(default_factory=list)
    inconclusive: list[str] = field(default_factory=list)
    pickles: int = 0
    complete: int = 0
    end: int = 0  # offset the walks reached
    skipped: int = 0  # bytes inside that were stepped over, not read
    ops: int = 0
    formats: set[str] = field(default_factory=set)


def _issues_from(ev: WalkEvents, base: int, fmt: str, where: str) -> list[RiskIssue]:
    """Turn walk events into issues (deduplicated by construct, first offset kept)."""
    out: list[RiskIssue] = []
    seen: set[tuple[str, str]] = set()

    def add(rule: str, sev: Severity, construct: str, msg: str, why: str, off: int) -> None:
        if (rule, construct) in seen:
            return
        seen.add((rule, construct))
        out.append(RiskIssue(rule, sev, construct, msg, why, f"{where}offset {base + off}", fmt))

    called = {callee for _, _, callee in ev.calls}
    for off, op, module, name in ev.globals:
        verdict = classify(module, name)
        if verdict.kind == "safe":
            continue
        shown = f"{module}.{name}"
        alias = f" (resolves to {verdict.resolved})" if verdict.resolved != shown else ""
        use = "calls" if shown in called else "imports"
        if verdict.kind == "dangerous":
            add("PICKLE-GLOBAL-DANGEROUS", verdict.severity, shown,
                f"{op} {use} {shown}{alias}: {verdict.category}", verdict.why, off)
        else:
            add("PICKLE-GLOBAL-UNKNOWN", Severity.MEDIUM, shown,
                f"{op} {use} {shown}, which is not an allowlisted reconstructor", verdict.why,
                off)
    for off, why in ev.dynamic:
        add("PICKLE-GLOBAL-DYNAMIC", Severity.HIGH, "STACK_GLOBAL(dynamic)", why,
            "the imported name is computed at load time, hiding what runs", off)
    for off, target in ev.build_on_global:
        add("PICKLE-BUILD-ON-GLOBAL", Severity.HIGH, f"BUILD {target}",
            f"BUILD rewrites attributes of the imported {target}",
            "rewriting a class or module lets later imports resolve to anything", off)
    for off, code in ev.extensions:
        add("PICKLE-EXTENSION-CODE", Severity.MEDIUM, f"EXT {code}",
            f"extension registry code {code} is imported",
            "the code maps to whatever callable the loading process registered", off)
    for off, why in ev.malformed:
        add("PICKLE-MALFORMED", Severity.LOW, "malformed", why,
            "a malformed stream is rejected by the loader, but may target other parsers", off)
    return out


def scan_pickle_bytes(data: bytes, *, fmt: str = "pickle", where: str = "",
                      max_stacked: int = MAX_STACKED, depth: int = 0,
                      on_nested_container: Callable[[bytes, str], ScanResult] | None = None,
                      ) -> tuple[PickleReport, list[ScanResult]]:
    """Scan every pickle in ``data`` (stacked pickles included), hidden ones too.

    Args:
        data: the stream's bytes.
        fmt: the format label issues carry.
        where: a prefix for locations (``"nested base64 at offset 12 > "``).
        max_stacked: how many pickles of the stream to walk (legacy torch: 5).
        depth: nesting depth of hidden pickles (bounded by ``MAX_NESTED_DEPTH``).
        on_nested_container: called with a hidden zip's bytes; returns its scan.
    Returns:
        the report, and the scans of hidden containers.
    """
    report = PickleReport()
    extra: list[ScanResult] = []
    pos, end = 0, len(data)
    while pos < end and report.pickles < max_stacked:
        if report.pickles and not _plausible_next(data, pos):
            report.issues.append(RiskIssue(
                "PICKLE-TRAILING-DATA", Severity.INFO, "trailing data",
                f"{end - pos} bytes after the last pickle are not a pickle",
                "a standard loader reads only the pickles before them",
                f"{where}offset {pos}", fmt))
            break
        ev = walk_pickle(data, pos, end, find_nested=depth < MAX_NESTED_DEPTH)
        report.pickles += 1
        report.complete += ev.complete
        report.end = max(report.end, ev.end)
        report.skipped += ev.skipped
        report.ops += ev.ops
        report.issues += _issues_from(ev, 0, fmt, where)
        for off, blob, how in ev.nested:
            loc = f"{where}nested {how} at offset {off} > "
            if blob[:4] == b"PK\x03\x04":
                if on_nested_container is not None:
                    extra.append(on_nested_container(blob, loc))
                report.issues.append(RiskIssue(
                    "PICKLE-NESTED", Severity.MEDIUM, f"nested zip ({how})",
                    f"a zip archive is hidden in a string ({how})",
                    "an archive inside a pickle is typically loaded by a nested loader",
                    f"{where}offset {off}", fmt))
                continue
            sub, sub_extra = scan_pickle_bytes(blob, fmt=fmt, where=loc, max_stacked=1,
                                               depth=depth + 1,
                                               on_nested_container=on_nested_container)
            extra += sub_extra
            real = [i for i in sub.issues if i.rule_id not in _NOISE]
            if not sub.complete and not real:
                continue  # looked like a pickle, was not one
            report.issues.append(RiskIssue(
                "PICKLE-NESTED", Severity.MEDIUM if real else Severity.LOW,
                f"nested pickle ({how})", f"a pickle is hidden in a string ({how}); "
                f"{len(sub.issues)} finding(s) inside", "a nested loader runs it at load time",
                f"{where}offset {off}", fmt))
            report.issues += sub.issues
            report.inconclusive += sub.inconclusive
        if ev.limit:
            report.issues.append(RiskIssue(
                "PICKLE-LIMIT", Severity.HIGH, "resource bound", f"walk stopped: {ev.limit}",
                "a stack or memo this large exhausts memory (billion-laughs style)",
                f"{where}offset {ev.end}", fmt))
            report.inconclusive.append(f"pickle exceeds resource bounds ({ev.limit})")
            break
        if not ev.complete:
            first = report.pickles == 1
            if first or ev.globals or data[pos] == 0x80:
                report.issues.append(RiskIssue(
                    "PICKLE-MALFORMED", Severity.LOW, "malformed",
                    f"pickle broken at offset {ev.error_offset}: {ev.error}",
                    "what was read before the break is reported; the rest was not parsed",
                    f"{where}offset {ev.error_offset}", fmt))
                if ev.ops <= 1 and first:
                    report.inconclusive.append(f"not a parsable pickle: {ev.error}")
            else:  # bytes that only looked like a further pickle
                report.issues.append(RiskIssue(
                    "PICKLE-TRAILING-DATA", Severity.INFO, "trailing data",
                    f"{end - pos} bytes after the last pickle are not a pickle",
                    "a standard loader reads only the pickles before them",
                    f"{where}offset {pos}", fmt))
            break
        pos = ev.end
        while pos < end and data[pos] in b"\x00\n\r\t ":  # padding between pickles
            pos += 1
    return report, extra


_NOISE = frozenset({"PICKLE-MALFORMED", "PICKLE-TRAILING-DATA"})


def _plausible_next(data: bytes, pos: int) -> bool:
    """Does a further pickle start at ``pos``? (PROTO header, or a protocol 0/1 opener)."""
    if data[pos] == 0x80:
        return pos + 1 < len(data) and data[pos + 1] <= 5
    # any opcode may open the next pickle (a loader calling load() again accepts it)
    return data[pos] in _VALID_OPCODES and data[pos] != 0x2E and walk_pickle(
        data, pos, min(len(data), pos + 4096), find_nested=False).error_offset != pos


def sniff_pickle(head: bytes, name: str) -> bool:
    """True when ``head`` starts a pickle (any protocol).

    Protocol 2+ starts with PROTO; protocol 0/1 must walk cleanly through the head (to STOP,
    or to the end of the head after several opcodes), so text files are not taken for pickles.
    """
    if len(head) >= 2 and head[0] == 0x80 and head[1] <= 5 and len(head) >= 3:
        return head[2] in _VALID_OPCODES
    if not head or head[0] not in _VALID_OPCODES or head[0] == 0x2E:
        # any opcode may open a pickle the loader accepts (``K\x01 0`` = push 1, POP, then
        # GLOBAL...), not only the ones pickle.dumps writes first; the walk below decides
        return False
    ev = walk_pickle(head, 0, len(head), find_nested=False)
    if ev.complete:
        return ev.ops >= 2
    truncated = ev.error is not None and ev.error.startswith("truncated")
    if truncated and ev.globals and ev.ops >= 2:
        return all(_IDENT.fullmatch(m) and _IDENT.fullmatch(n) for _, _, m, n in ev.globals)
    return truncated and ev.ops >= 8 and len(head) >= 512


_IDENT = re.compile(r"[A-Za-z_][\w.]*")


_VALID_OPCODES = frozenset(b"(.012FIJKLMNPQRSTUVXabcdeghijloprstu}])GBC") | frozenset(
    range(0x80, 0x99)
)

_JOBLIB_MODULES = ("joblib.", "sklearn.externals.joblib")


def _format_of(data: bytes, name: str) -> str:
    head = data[:65536]
    if b"joblib.numpy_pickle" in head or b"NumpyArrayWrapper" in head:
        return "joblib"
    if b"dill._dill" in head:
        return "dill"
    lower = name.lower()
    if lower.endswith(".joblib"):
        return "joblib"
    if lower.endswith(".dill"):
        return "dill"
    return "pickle"


def read_bounded(stream: BinaryIO, limit: int) -> tuple[bytes, bool]:
    """Read at most ``limit`` bytes; the flag says whether more followed."""
    data = stream.read(limit + 1)
    return data[:limit], len(data) > limit


def scan_pickle_stream(stream: BinaryIO, ctx: ScanContext, *, fmt: str | None = None,
                       max_stacked: int = MAX_STACKED,
                       limit: int = MAX_PICKLE_BYTES) -> ScanResult:
    """Read a pickle stream (bounded) and scan it; shared by every pickle-based scanner.

    A big pickle in a real file is memory-mapped read-only rather than read: the walk then
    touches only the pages it needs (big tensor strings are skipped by arithmetic).
    """
    mapped = _mmap_file(stream, ctx)
    if mapped is not None:
        with mapped:
            result = _scan_data(mapped, ctx, fmt, max_stacked, len(mapped),  # type: ignore[arg-type]
                                False)
        add_mapped = getattr(stream, "add_mapped", None)
        if add_mapped is not None:  # the dispatcher's byte counter cannot see mapped reads
            add_mapped(result.bytes_read)
        return result
    data, more = read_bounded(stream, limit)
    return _scan_data(data, ctx, fmt, max_stacked, limit, more)


def _mmap_file(stream: BinaryIO, ctx: ScanContext) -> mmap.mmap | None:
    """A read-only map of the whole file behind ``stream``, for big top-level files only."""
    if ctx.depth or ctx.size is None or ctx.size <= MMAP_ABOVE:
        return None
    try:
        return mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return None


def _scan_data(data: bytes, ctx: ScanContext, fmt: str | None, max_stacked: int, limit: int,
               more: bool) -> ScanResult:
    result = ScanResult(scanned=[ctx.path])
    label = fmt or _format_of(data, ctx.path)

    def nested_zip(blob: bytes, loc: str) -> ScanResult:
        if ctx.dispatch is None:
            return ScanResult()
        return ctx.dispatch(io.BytesIO(blob), ctx.member(f"<{loc.strip(' >')}>", len(blob)))

    report, extra = scan_pickle_bytes(data, fmt=label, max_stacked=max_stacked,
                                      depth=0, on_nested_container=nested_zip)
    result.bytes_read = report.end - report.skipped  # skipped big strings were not read
    result.issues += report.issues
    result.inconclusive += [Inconclusive(ctx.path, why) for why in report.inconclusive]
    if more:
        result.inconclusive.append(Inconclusive(
            ctx.path, f"pickle larger than the {limit}-byte scan bound; the rest was not read"))
    for sub in extra:
        result.merge(sub)
    if not report.issues:
        result.passed.append("PICKLE-GLOBAL-DANGEROUS")
    return result


class PickleScanner(Scanner):
    """Raw pickle streams, including joblib and dill files (which are pickles)."""

    id: ClassVar[str] = "pickle"
    formats: ClassVar[tuple[str, ...]] = ("pickle", "joblib", "dill")
    description: ClassVar[str] = (
        "pickle opcodes (protocols 0-5, stacked, nested in strings): dangerous, unknown and "
        "dynamically built imports, attribute rewrites, broken streams"
    )
    rules: ClassVar[tuple[Rule, ...]] = RULES

    @classmethod
    def sniff(cls, head: bytes, name: str) -> bool:
        """A pickle by content (see ``sniff_pickle``)."""
        return sniff_pickle(head, name)

    def scan(self, stream: BinaryIO, ctx: ScanContext) -> ScanResult:
        """Walk every pickle of the stream."""
        return scan_pickle_stream(stream, ctx)


#: First pickle of a legacy (pre-1.6) torch.save file: the LONG1 magic number.
LEGACY_TORCH_MAGIC = b"\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19"


class LegacyTorchScanner(Scanner):
    """Legacy PyTorch files: five stacked pickles, then raw tensor bytes."""

    id: ClassVar[str] = "pytorch-legacy"
    formats: ClassVar[tuple[str, ...]] = ("pytorch-legacy",)
    description: ClassVar[str] = (
        "legacy torch.save files: every stacked pickle (magic, protocol, sys info, object, "
        "storage keys); raw tensor data after them is not parsed as pickle"
    )

    @classmethod
    def sniff(cls, head: bytes, name: str) -> bool:
        """The legacy magic number pickle opens the file."""
        return head.startswith(LEGACY_TORCH_MAGIC)

    def scan(self, stream: BinaryIO, ctx: ScanContext) -> ScanResult:
        """Walk the five pickles; the tensor data after them is not parsed.

        The pickles come first and are small next to the tensor data, so the file is read in
        growing chunks until the five pickles are complete (never the whole file at once).
        """
        limit = 16 * 1024 * 1024
        while True:
            stream.seek(0)
            result = scan_pickle_stream(stream, ctx, fmt="pytorch-legacy", max_stacked=5,
                                        limit=limit)
            truncated = any(i.rule_id == "PICKLE-MALFORMED" and "truncated" in i.message
                            for i in result.issues)
            more = any("scan bound" in i.reason for i in result.inconclusive)
            if not (truncated and more) or limit >= MAX_PICKLE_BYTES:
                break
            limit *= 4
        if not truncated:
            result.inconclusive = [i for i in result.inconclusive if "scan bound" not in i.reason]
        # the storage bytes after the fifth pickle are data, not a trailing-pickle risk
        result.issues = [i for i in result.issues if i.rule_id != "PICKLE-TRAILING-DATA"]
        return result
