"""Small, real weight files for the demo corpus, written byte by byte (no torch needed).

Safetensors files are written with ``ptmscope.formats.safetensors.safetensors_bytes``.

* ``torch_zip_bytes``: a PyTorch zip checkpoint whose ``data.pkl`` is assembled from pickle
  opcodes. With ``payload`` set, the state dict carries an extra entry that calls
  ``posix.system`` when unpickled: the demo's planted malicious file. It is only ever written
  and scanned as bytes here; nothing in ptmscope loads it.
"""

from __future__ import annotations

import io
import struct
import zipfile

import numpy as np

__all__ = ["lfs_pointer", "small_model", "state_dict_pickle", "torch_zip_bytes"]

#: The torch storage class of each dtype the pickled state dict may hold.
_STORAGES = {np.dtype("float32"): "FloatStorage", np.dtype("int64"): "LongStorage"}


# --- pickle opcodes (protocol 2) -------------------------------------------------------------
def _global(module: str, name: str) -> bytes:
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


def _str(text: str) -> bytes:
    data = text.encode()
    return b"X" + struct.pack("<I", len(data)) + data


def _int(value: int) -> bytes:
    return b"K" + bytes([value]) if 0 <= value < 256 else b"J" + struct.pack("<i", value)


def _tuple(items: list[bytes]) -> bytes:
    return b"(" + b"".join(items) + b"t"


def _tensor(key: int, array: np.ndarray) -> bytes:
    storage = _STORAGES[array.dtype]
    pid = _tuple(
        [_str("storage"), _global("torch", storage), _str(str(key)), _str("cpu"), _int(array.size)]
    )
    strides = [s // array.itemsize for s in array.strides]
    args = [
        pid + b"Q",
        _int(0),
        _tuple([_int(d) for d in array.shape]),
        _tuple([_int(s) for s in strides]),
        b"\x89",
        _global("collections", "OrderedDict") + b")R",
    ]
    return _global("torch._utils", "_rebuild_tensor_v2") + _tuple(args) + b"R"


def state_dict_pickle(tensors: dict[str, np.ndarray], payload: str | None = None) -> bytes:
    """A ``data.pkl`` for ``tensors``; ``payload`` adds a ``posix.system`` call (malicious)."""
    body = b"\x80\x02" + _global("collections", "OrderedDict") + b")R("
    for index, name in enumerate(sorted(tensors)):
        body += _str(name) + _tensor(index, np.ascontiguousarray(tensors[name]))
    if payload is not None:
        body += _str("_metadata_hook") + _global("posix", "system") + _tuple([_str(payload)]) + b"R"
    return body + b"u."


def torch_zip_bytes(
    tensors: dict[str, np.ndarray], payload: str | None = None, archive: str = "archive"
) -> bytes:
    """A PyTorch zip checkpoint (``torch.save`` layout) holding ``tensors``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr(f"{archive}/data.pkl", state_dict_pickle(tensors, payload))
        zf.writestr(f"{archive}/byteorder", "little")
        for index, name in enumerate(sorted(tensors)):
            zf.writestr(f"{archive}/data/{index}", np.ascontiguousarray(tensors[name]).tobytes())
        zf.writestr(f"{archive}/version", "3\n")
        zf.writestr(f"{archive}/.data/serialization_id", "0" * 40)
    return buffer.getvalue()


def small_model(
    rng: np.random.Generator, hidden: int = 16, vocab: int = 64, layers: int = 2
) -> dict[str, np.ndarray]:
    """A believable little transformer-ish state dict of float32 weights."""
    tensors: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": rng.standard_normal((vocab, hidden), dtype=np.float32),
    }
    for layer in range(layers):
        prefix = f"encoder.layer.{layer}"
        tensors[f"{prefix}.attention.query.weight"] = rng.standard_normal(
            (hidden, hidden), dtype=np.float32
        )
        tensors[f"{prefix}.attention.query.bias"] = np.zeros(hidden, dtype=np.float32)
        tensors[f"{prefix}.output.dense.weight"] = rng.standard_normal(
            (hidden, hidden), dtype=np.float32
        )
    tensors["classifier.weight"] = rng.standard_normal((2, hidden), dtype=np.float32)
    return tensors


def lfs_pointer(data: bytes) -> bytes:
    """The Git LFS pointer file for ``data``."""
    import hashlib

    oid = hashlib.sha256(data).hexdigest()
    return (
        f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {len(data)}\n".encode()
    )
