"""Malicious and benign model-file samples built from raw bytes (pickle opcodes, zip records).

Nothing here pickles a malicious object or loads anything: every malicious sample is written
opcode by opcode, every container record byte by byte. The samples are used by the tests and by
``bench/scan_corpus.py`` (``corpus()``), each with its expected verdict and, for malicious ones,
the construct a scanner must name.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import io
import struct
import tarfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

# --- pickle opcode helpers -----------------------------------------------------------------


def proto(n: int) -> bytes:
    """PROTO n."""
    return b"\x80" + bytes([n])


def glob(module: str, name: str) -> bytes:
    """GLOBAL (protocol 0+)."""
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def sbu(text: str) -> bytes:
    """SHORT_BINUNICODE."""
    raw = text.encode()
    return b"\x8c" + bytes([len(raw)]) + raw


def bu(text: str) -> bytes:
    """BINUNICODE."""
    raw = text.encode()
    return b"X" + struct.pack("<I", len(raw)) + raw


def bb(raw: bytes) -> bytes:
    """BINBYTES."""
    return b"B" + struct.pack("<I", len(raw)) + raw


def stack_global(module: str, name: str) -> bytes:
    """STACK_GLOBAL fed by two strings."""
    return sbu(module) + sbu(name) + b"\x93"


MARK, STOP, TUPLE1, TUPLE, REDUCE, BUILD = b"(", b".", b"\x85", b"t", b"R", b"b"
EMPTY_DICT, EMPTY_TUPLE, EMPTY_LIST, MEMOIZE, NONE = b"}", b")", b"]", b"\x94", b"N"


def call(func: bytes, arg: str) -> bytes:
    """``func(arg)`` with a protocol-2+ tuple."""
    return func + bu(arg) + TUPLE1 + REDUCE


def p2(body: bytes) -> bytes:
    """A protocol 2 pickle around ``body``."""
    return proto(2) + body + STOP


def p4(body: bytes) -> bytes:
    """A protocol 4 pickle with a FRAME around ``body``."""
    inner = body + STOP
    return proto(4) + b"\x95" + struct.pack("<Q", len(inner)) + inner


def benign_list(n: int = 3) -> bytes:
    """A protocol 2 list of small ints."""
    return p2(EMPTY_LIST + MARK + b"".join(b"K" + bytes([i % 256]) for i in range(n)) + b"e")


def torch_like_state_dict(n: int = 2) -> bytes:
    """What torch.save writes into data.pkl for ``n`` tensors (persistent ids, rebuilds)."""
    out = proto(2) + glob("collections", "OrderedDict") + EMPTY_TUPLE + REDUCE + b"q\x00" + MARK
    for i in range(n):
        out += bu(f"layer{i}.weight")
        out += glob("torch._utils", "_rebuild_tensor_v2")
        out += MARK + MARK + bu("storage") + glob("torch", "FloatStorage") + bu(str(i)) + \
            bu("cpu") + b"K\x04" + TUPLE + b"Q"  # BINPERSID
        out += b"K\x00" + b"K\x02" + b"K\x02\x86" + b"K\x02K\x01\x86" + b"\x89"  # off, size..
        out += glob("collections", "OrderedDict") + EMPTY_TUPLE + REDUCE + TUPLE + REDUCE
    return out + b"u" + STOP


# --- zip builder -----------------------------------------------------------------------------


@dataclass
class Member:
    """One zip member and the lies its headers may tell."""

    name: str
    data: bytes
    method: int = 0  # 0 stored, 8 deflate
    flags: int = 0
    crc: int | None = None  # override (a wrong CRC)
    local_name: str | None = None  # a different name in the local header
    in_central: bool = True  # False: only a local header (a hidden member)
    declared_size: int | None = None  # override the uncompressed size (bomb claims)
    sparse_size: int = 0  # > 0: a stored member of this many zero bytes left as a file hole


def build_zip(members: list[Member], sink: io.BufferedIOBase | None = None) -> bytes:
    """Write a zip (ZIP64 when needed) byte by byte; returns the bytes unless ``sink`` is given.

    With ``sink`` (a real file), sparse members are written as holes (seek past them).
    """
    out = sink or io.BytesIO()
    central = b""
    count = 0
    for m in members:
        offset = out.tell()
        if m.sparse_size:
            size = csize = m.sparse_size
            crc = 0
            comp = b""
        else:
            comp = m.data
            if m.method == 8:
                co = zlib.compressobj(6, zlib.DEFLATED, -15)
                comp = co.compress(m.data) + co.flush()
            size, csize = len(m.data), len(comp)
            crc = binascii.crc32(m.data)
        if m.crc is not None:
            crc = m.crc
        if m.declared_size is not None:
            size = m.declared_size
        big = size >= 0xFFFFFFFF or csize >= 0xFFFFFFFF or offset >= 0xFFFFFFFF
        lname = (m.local_name or m.name).encode()
        z64 = struct.pack("<HHQQ", 1, 16, size, csize) if big else b""
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 45 if big else 20, m.flags,
                              m.method, 0, 0x21, crc, 0xFFFFFFFF if big else csize,
                              0xFFFFFFFF if big else size, len(lname), len(z64)))
        out.write(lname + z64)
        if m.sparse_size:
            out.seek(m.sparse_size, 1)
        else:
            out.write(comp)
        if not m.in_central:
            continue
        count += 1
        cname = m.name.encode()
        cz64 = struct.pack("<HHQQQ", 1, 24, size, csize, offset) if big else b""
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 45, 45 if big else 20,
                               m.flags, m.method, 0, 0x21, crc,
                               0xFFFFFFFF if big else csize, 0xFFFFFFFF if big else size,
                               len(cname), len(cz64), 0, 0, 0, 0,
                               0xFFFFFFFF if big else offset) + cname + cz64
    cd_off = out.tell()
    out.write(central)
    z64_off = out.tell()
    out.write(struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count,
                          len(central), cd_off))
    out.write(struct.pack("<4sIQI", b"PK\x06\x07", 0, z64_off, 1))
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, min(count, 0xFFFF),
                          min(count, 0xFFFF), len(central), min(cd_off, 0xFFFFFFFF), 0))
    if sink is not None:
        return b""
    assert isinstance(out, io.BytesIO)
    return out.getvalue()


def npy(descr: str, shape: tuple[int, ...], payload: bytes) -> bytes:
    """An ``.npy`` v1 file with the given header fields and data bytes."""
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape!r}, }}"
    pad = 64 - (10 + len(header) + 1) % 64
    text = (header + " " * pad + "\n").encode("latin-1")
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text + payload


LEGACY_MAGIC = b"\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19."


def legacy_torch(payload: bytes) -> bytes:
    """A legacy torch.save file: magic, protocol, sys info, ``payload``, keys, raw data."""
    protocol = p2(b"M\xe9\x03")
    sysinfo = p2(EMPTY_DICT + MARK + bu("little_endian") + b"\x88" + b"u")
    keys = p2(EMPTY_LIST + MARK + bu("0") + b"e")
    raw = struct.pack("<q", 4) + b"cos\nsystem\n" * 3  # data bytes that look like opcodes
    return LEGACY_MAGIC + protocol + sysinfo + payload + keys + raw


def joblib_like(after: bytes = b"") -> bytes:
    """A joblib stream: a NumpyArrayWrapper, its raw float bytes, then ``after`` ops."""
    state = (EMPTY_DICT + MARK + bu("subclass") + glob("numpy", "ndarray") + bu("shape") +
             b"K\x03" + TUPLE1 + bu("order") + bu("C") + bu("dtype") + glob("numpy", "dtype") +
             bu("f8") + b"\x89\x88\x87" + REDUCE + bu("allow_mmap") + b"\x89" + b"u")
    wrapper = glob("joblib.numpy_pickle", "NumpyArrayWrapper") + EMPTY_TUPLE + b"\x81" + \
        state + BUILD
    raw = b"cos\nsystem\n" + b"\x00" * 13  # 24 array bytes that look like opcodes
    return proto(4) + EMPTY_LIST + MARK + wrapper + raw + after + b"e" + STOP


# --- the corpus ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One crafted file: name, bytes, whether it is malicious, what must be named."""

    name: str
    data: bytes
    malicious: bool
    construct: str = ""
    note: str = ""
    tags: tuple[str, ...] = field(default=())


EVAL = "builtins.eval"


def _malicious() -> Iterator[Sample]:
    cmd = "echo pwned"
    yield Sample("p0_global.pkl", glob("os", "system") + MARK + b"S'echo pwned'\n" + TUPLE +
                 REDUCE + STOP, True, "os.system", "protocol 0 GLOBAL + REDUCE")
    yield Sample("p1_global.pkl", glob("posix", "system") + MARK + b"U\x04echo" + TUPLE +
                 REDUCE + STOP, True, "posix.system", "protocol 1 SHORT_BINSTRING")
    yield Sample("p2_eval.pkl", p2(call(glob("builtins", "eval"), "1+1")), True, EVAL,
                 "protocol 2")
    yield Sample("p3_exec.pkl", proto(3) + glob("builtins", "exec") + bb(b"print(1)") + TUPLE1
                 + REDUCE + STOP, True, "builtins.exec", "protocol 3 BINBYTES")
    yield Sample("p4_stack_global.pkl", p4(call(stack_global("os", "system"), cmd)), True,
                 "os.system", "protocol 4 STACK_GLOBAL in a FRAME")
    yield Sample("p5_stack_global.pkl", proto(5) + call(stack_global("subprocess", "run"), cmd)
                 + STOP, True, "subprocess.run", "protocol 5")
    yield Sample("memo_binput.pkl", proto(4) + sbu("os") + b"q\x07" + sbu("system") + b"q\x08" +
                 b"0" + b"0" + b"h\x07" + b"h\x08" + b"\x93" + bu(cmd) + TUPLE1 + REDUCE + STOP,
                 True, "os.system", "STACK_GLOBAL args fetched from the memo (BINPUT/BINGET)")
    yield Sample("memo_long.pkl", proto(4) + sbu("os") + b"r\x00\x01\x00\x00" + sbu("system") +
                 b"r\x01\x01\x00\x00" + b"00" + b"j\x00\x01\x00\x00" + b"j\x01\x01\x00\x00" +
                 b"\x93" + bu(cmd) + TUPLE1 + REDUCE + STOP, True, "os.system",
                 "LONG_BINPUT / LONG_BINGET")
    yield Sample("memo_memoize.pkl", proto(4) + sbu("builtins") + MEMOIZE + sbu("eval") + MEMOIZE
                 + b"00" + b"h\x00h\x01\x93" + bu("1") + TUPLE1 + REDUCE + STOP, True, EVAL,
                 "MEMOIZE then BINGET")
    yield Sample("memo_text_put.pkl", b"Vos\np0\n0Vsystem\np1\n0g0\ng1\n\x93" + MARK +
                 b"Vls\nt" + REDUCE + STOP, True, "os.system",
                 "protocol-0 PUT/GET text memo feeding STACK_GLOBAL")
    yield Sample("memo_missing.pkl", proto(4) + sbu("os") + MEMOIZE + b"h\x05h\x00\x93" +
                 bu(cmd) + TUPLE1 + REDUCE + STOP, True, "STACK_GLOBAL(dynamic)",
                 "memo key never stored (KeyError evasion)")
    yield Sample("memo_type_confusion.pkl", proto(4) + b"J\x2a\x00\x00\x00" + MEMOIZE +
                 sbu("system") + MEMOIZE + b"h\x00h\x01\x93" + bu(cmd) + TUPLE1 + REDUCE + STOP,
                 True, "STACK_GLOBAL(dynamic)", "int in the memo where a module name goes")
    yield Sample("inst.pkl", MARK + b"S'ls'\n" + b"ios\nsystem\n" + STOP, True, "os.system",
                 "INST opcode")
    yield Sample("obj.pkl", proto(1) + MARK + glob("subprocess", "Popen") + bu("ls") + b"o" +
                 STOP, True, "subprocess.Popen", "OBJ opcode")
    yield Sample("newobj.pkl", p2(glob("socket", "socket") + EMPTY_TUPLE + b"\x81"), True,
                 "socket.socket", "NEWOBJ")
    yield Sample("newobj_ex.pkl", p4(stack_global("pty", "spawn") + EMPTY_TUPLE + EMPTY_DICT +
                                     b"\x92"), True, "pty.spawn", "NEWOBJ_EX")
    yield Sample("build_on_global.pkl", p4(stack_global("torch", "_utils") + EMPTY_DICT +
                                           sbu("_rebuild_tensor") + sbu("builtins") + b"s" +
                                           BUILD), True, "BUILD torch._utils",
                 "BUILD rewriting a module (module override)")
    yield Sample("dotted.pkl", p4(call(stack_global("torch.serialization", "os.system"), cmd)),
                 True, "torch.serialization.os.system", "dotted name resolves to os.system")
    yield Sample("dotted_builtins.pkl", p4(call(stack_global("numpy", "__builtins__.eval"), "1")
                                           ), True, "numpy.__builtins__.eval",
                 "dotted attribute path to eval")
    inner = p2(call(glob("os", "system"), cmd))
    yield Sample("nested_base64.pkl", p2(call(glob("builtins", "str"),
                                              base64.b64encode(inner).decode())),
                 True, "os.system", "base64 pickle in a string")
    yield Sample("nested_hex.pkl", p2(call(glob("builtins", "str"), inner.hex())), True,
                 "os.system", "hex pickle in a string")
    yield Sample("nested_bytes.pkl", p2(glob("pickle", "loads") + b"C" + bytes([len(inner)]) +
                                        inner + TUPLE1 + REDUCE), True, "pickle.loads",
                 "raw pickle in bytes")
    yield Sample("nested_bytes_only.pkl", proto(3) + b"C" + bytes([len(inner)]) + inner + STOP,
                 True, "os.system", "a pickle inside a bytes value, nothing else")
    yield Sample("stacked.pkl", benign_list() + p2(call(glob("os", "system"), cmd)), True,
                 "os.system", "benign pickle then a malicious one")
    yield Sample("truncated.pkl", p2(call(glob("builtins", "exec"), "x"))[:-1][:40], True,
                 "builtins.exec", "truncated after the dangerous call")
    yield Sample("broken_after.pkl", p2(call(glob("os", "system"), cmd))[:-1] + b"\xff\xfe" * 4,
                 True, "os.system", "invalid opcode after the call")
    yield Sample("ext.pkl", p2(b"\x82\x01" + EMPTY_TUPLE + REDUCE), True, "EXT 1",
                 "copyreg extension code")
    yield Sample("getattr.pkl", p2(glob("builtins", "getattr") + MARK + glob("builtins", "dict")
                                   + bu("__class__") + TUPLE + REDUCE), True, "builtins.getattr",
                 "attribute access gadget")
    yield Sample("unknown_callable.pkl", p2(call(glob("evil_ptm_module", "payload"), "x")), True,
                 "evil_ptm_module.payload", "unknown module: medium")
    yield Sample("dill_code.pkl", p2(call(glob("dill._dill", "_create_code"), "x")), True,
                 "dill._dill._create_code", "dill code object")
    yield Sample("joblib_after_array.joblib",
                 joblib_like(glob("os", "system") + bu(cmd) + TUPLE1 + REDUCE), True,
                 "os.system", "os.system after a joblib array's raw bytes")
    yield Sample("legacy_torch.bin", legacy_torch(p2(call(glob("os", "system"), cmd))), True,
                 "os.system", "legacy torch: payload is the 4th stacked pickle")
    mal = p2(call(glob("builtins", "eval"), "1"))
    yield Sample("torch_zip.pt", build_zip([Member("archive/data.pkl", mal),
                                            Member("archive/version", b"3\n")]), True, EVAL,
                 "PyTorch zip")
    yield Sample("zip_flag_0x1.pt", build_zip([Member("archive/data.pkl", mal, flags=1)]), True,
                 EVAL, "encrypted flag on plain data")
    yield Sample("zip_flag_0x20.pt", build_zip([Member("archive/data.pkl", mal, flags=0x20)]),
                 True, EVAL, "patched-data flag")
    yield Sample("zip_crc.pt", build_zip([Member("archive/data.pkl", mal, crc=0x1234)]), True,
                 EVAL, "CRC mismatch")
    yield Sample("zip_wrong_ext.zip", build_zip([Member("model/data.txt", mal)]), True, EVAL,
                 "pickle named .txt")
    yield Sample("zip_name_mismatch.zip", build_zip([Member("data.pkl", mal,
                                                           local_name="innocent.txt")]), True,
                 EVAL, "local vs central name")
    yield Sample("zip_hidden.zip", build_zip([Member("a.txt", b"hello"),
                                              Member("hidden.pkl", mal, in_central=False)]),
                 True, EVAL, "member only in local headers")
    yield Sample("zip_deflate.zip", build_zip([Member("x/data.pkl", mal, method=8)]), True,
                 EVAL, "deflated member")
    yield Sample("npy_object.npy", npy("|O", (1,), mal), True, EVAL, "object array pickle")
    yield Sample("npz_object.npz", build_zip([Member("a.npy", npy("|O", (1,), mal))]), True,
                 EVAL, "npz with object npy")
    tar_buf = io.BytesIO()
    with tarfile.open(fileobj=tar_buf, mode="w") as tf:
        info = tarfile.TarInfo("model/weights.bin")
        info.size = len(mal)
        tf.addfile(info, io.BytesIO(mal))
    yield Sample("in_tar.tar", tar_buf.getvalue(), True, EVAL, "pickle in a tar")
    yield Sample("in_tar.tar.gz", gzip.compress(tar_buf.getvalue(), mtime=0), True, EVAL,
                 "pickle in a tar.gz")
    yield Sample("gzip_pickle.pkl.gz", gzip.compress(mal, mtime=0), True, EVAL, "gzip pickle")
    yield Sample("zlib_joblib.joblib", zlib.compress(joblib_like(glob("os", "system") + bu(cmd) +
                                                                 TUPLE1 + REDUCE)), True,
                 "os.system", "zlib-compressed joblib (compress=3)")
    yield Sample("zip_in_zip.zip", build_zip([Member("inner.zip", build_zip(
        [Member("data.pkl", mal)]))]), True, EVAL, "nested containers")
    # found by the adversarial review: each got past the scanner before its fix
    yield Sample("binint_first.pkl", b"K\x010" + glob("os", "system") + MARK + b"S'id'\n" +
                 TUPLE + REDUCE + STOP, True, "os.system",
                 "protocol 0 pickle opening with BININT1 + POP (not a dumps-style opener)")
    yield Sample("legacy_second_binint.bin", LEGACY_MAGIC + b"K\x010" + glob("os", "system") +
                 MARK + b"S'id'\n" + TUPLE + REDUCE + STOP + b"\x00" * 32, True, "os.system",
                 "legacy torch: the protocol pickle is the payload and opens with BININT1")
    yield Sample("npy_object_spelled.npy", npy("object", (1,), mal), True, EVAL,
                 "npy object array whose dtype is spelled 'object', not '|O'")
    yield Sample("keras_prefixed.keras", b"}." + build_zip([Member("data.pkl", mal)]), True,
                 EVAL, "a zip behind a benign pickle: zipfile finds it from the end")
    yield Sample("thread_compat.pkl", p2(call(glob("thread", "start_new_thread"), "x")), True,
                 "thread.start_new_thread", "Python 2 name the loader maps to _thread")
    yield Sample("cpp_extension.pkl", p2(call(glob("torch.utils.cpp_extension", "load_inline"),
                                              "x")), True,
                 "torch.utils.cpp_extension.load_inline", "compiles and loads native code")
    v7 = bytearray(512)
    v7[:6] = b"pickle"
    v7[100:108], v7[124:136], v7[136:148] = b"0000644\0", b"%011o\0" % len(mal), b"0" * 11 + b"\0"
    v7[148:156] = b" " * 8
    v7[148:156] = b"%06o\0 " % sum(v7)
    yield Sample("v7_tar.tar", bytes(v7) + mal + b"\0" * (-len(mal) % 512 + 1024), True, EVAL,
                 "old (v7) tar without the ustar magic, as legacy torch.load opens first")


def _benign() -> Iterator[Sample]:
    yield Sample("benign_list_p2.pkl", benign_list(), False)
    yield Sample("benign_p0.pkl", b"(lp0\nVa\np1\naVb\np2\na.", False)
    yield Sample("benign_state_dict.pkl", torch_like_state_dict(), False)
    yield Sample("benign_torch_zip.pt", build_zip([
        Member("archive/data.pkl", torch_like_state_dict()), Member("archive/byteorder",
                                                                    b"little"),
        Member("archive/data/0", b"\x80\x02" + b"\x00" * 30), Member("archive/version", b"3\n"),
    ]), False)
    yield Sample("benign_legacy_torch.bin", legacy_torch(torch_like_state_dict()), False)
    yield Sample("benign_npy.npy", npy("<f8", (2,), b"\x00" * 16), False)
    yield Sample("benign_npy_object.npy", npy("|O", (2,), p2(
        glob("numpy.core.multiarray", "_reconstruct") + glob("numpy", "ndarray") + b"K\x00" +
        TUPLE1 + b"C\x01b" + b"\x87" + REDUCE)), False)
    yield Sample("benign_joblib.joblib", joblib_like(), False)
    yield Sample("benign_zip.zip", build_zip([Member("readme.txt", b"hello", method=8)]), False)
    yield Sample("benign_text.txt", b"cat\ndog\nbird\n", False)
    yield Sample("benign_json.json", b'{"architectures": ["BertModel"]}', False)
    yield Sample("benign_long_strings.pkl", p2(EMPTY_LIST + MARK + bu("gAAAAA" + "x" * 40) +
                                               bu("63" * 20) + bu("encoder.layer.0.weight") +
                                               b"e"), False)


def corpus() -> list[Sample]:
    """Every crafted sample (malicious first)."""
    return [*_malicious(), *_benign()]


#: Builders of bounds samples (resource attacks), name -> function returning bytes.
def billion_laughs(levels: int = 12, width: int = 10) -> bytes:
    """Each level is a list of ``width`` memo references to the previous one (never built)."""
    out = proto(2) + EMPTY_LIST + b"q\x00"
    for lvl in range(1, levels + 1):
        out += EMPTY_LIST + MARK + (b"h" + bytes([lvl - 1])) * width + b"e" + b"q" + bytes([lvl])
    return out + STOP


def many_memo(count: int) -> bytes:
    """``count`` MEMOIZE of one value (a memo flood)."""
    return proto(4) + NONE + MEMOIZE * count + STOP


BOUNDS: dict[str, Callable[[], bytes]] = {
    "billion_laughs.pkl": billion_laughs,
}
