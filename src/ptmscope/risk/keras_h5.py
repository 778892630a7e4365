"""Legacy Keras ``.h5`` (HDF5) models: the ``model_config`` attribute, via ``keras_policy``.

Keras 2 stores the architecture as a JSON string attribute ``model_config`` on the file's
root group (and ``training_config`` for the optimizer/loss). We open the file read-only with
h5py (an optional dependency), check the attribute's storage size *before* reading it, parse
the JSON and hand it to ``keras_policy.check_keras_config``. No dataset (weights) is read.
HDF5 files without ``model_config`` are plain data files: recorded as passed, nothing more.
"""

from __future__ import annotations

import io
import json
from typing import Any, BinaryIO, ClassVar

from ptmscope.records import Severity
from ptmscope.risk.base import Inconclusive, RiskIssue, Rule, ScanContext, Scanner, ScanResult
from ptmscope.risk.keras_policy import KERAS_RULES, check_keras_config

FORMAT = "keras-h5"
HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
MAX_ATTRIBUTE = 64 * 1024 * 1024
CONFIG_ATTRIBUTES = ("model_config", "training_config")


class KerasH5Scanner(Scanner):
    """Lambda layers and non-Keras modules in an HDF5 Keras model's ``model_config``."""

    id: ClassVar[str] = "keras-h5"
    formats: ClassVar[tuple[str, ...]] = (FORMAT, "hdf5")
    description: ClassVar[str] = (
        "Keras .h5 (HDF5): Lambda layers and non-Keras modules in the model_config attribute"
    )
    requires: ClassVar[str | None] = "h5py"
    rules: ClassVar[tuple[Rule, ...]] = (*KERAS_RULES, Rule(
        "KERAS-H5-MALFORMED", "HDF5 file or config unreadable",
        "A file h5py cannot open (or a config it cannot parse) may still be read by another "
        "HDF5 reader.", "Treat the file as unchecked.", Severity.MEDIUM))

    @classmethod
    def sniff(cls, head: bytes, name: str) -> bool:
        """The HDF5 signature at offset 0 or at a user-block boundary (512, 1024, 2048)."""
        return any(head[o : o + 8] == HDF5_MAGIC for o in (0, 512, 1024, 2048))

    def scan(self, stream: BinaryIO, ctx: ScanContext) -> ScanResult:
        """Read the config attributes (bounded) and check them."""
        import h5py  # optional dependency, imported only when an HDF5 file is scanned

        result = ScanResult(scanned=[ctx.path])
        stream.seek(0)
        if ctx.size is not None:
            stream = _SizedStream(stream, ctx.size)  # type: ignore[assignment]
        try:
            with h5py.File(stream, "r") as h5:
                for attr in CONFIG_ATTRIBUTES:
                    if attr in h5.attrs:
                        self._check_attribute(h5, attr, ctx, result)
        except (OSError, ValueError, KeyError, RuntimeError, TypeError) as err:
            result.issues.append(RiskIssue(
                "KERAS-H5-MALFORMED", Severity.MEDIUM, "hdf5", f"HDF5 not readable: {err}"[:300],
                "a file h5py cannot open may still be opened by another HDF5 reader", "",
                FORMAT))
            result.inconclusive.append(Inconclusive(ctx.path, f"HDF5: {str(err)[:200]}"))
        if not result.issues:
            result.passed.append("KERAS-LAMBDA")
        return result

    def _check_attribute(self, h5: Any, attr: str, ctx: ScanContext, result: ScanResult) -> None:
        import h5py

        where = f"{ctx.path}:@{attr}"
        attr_id = h5py.h5a.open(h5.id, attr.encode())
        storage = attr_id.get_storage_size()
        if storage > MAX_ATTRIBUTE:
            result.issues.append(RiskIssue(
                "KERAS-CONFIG-BOUND", Severity.MEDIUM, attr,
                f"{attr} attribute is {storage} bytes (bound {MAX_ATTRIBUTE})",
                "the config was not checked", where, FORMAT))
            result.inconclusive.append(Inconclusive(where, "attribute too large"))
            return
        value = h5.attrs[attr]
        result.bytes_read += int(storage)
        text = _as_text(value)
        if text is None:
            return
        if len(text) > MAX_ATTRIBUTE:
            result.inconclusive.append(Inconclusive(where, "attribute text too large"))
            return
        try:
            config = json.loads(text)
        except (ValueError, RecursionError) as err:
            result.issues.append(RiskIssue(
                "KERAS-H5-MALFORMED", Severity.MEDIUM, attr, f"{attr} is not JSON: {err}"[:300],
                "an unreadable config cannot be vetted", where, FORMAT))
            result.inconclusive.append(Inconclusive(where, "config is not JSON"))
            return
        issues, stopped = check_keras_config(config, where, FORMAT)
        result.issues.extend(issues)
        if stopped:
            result.inconclusive.append(Inconclusive(where, stopped))


class _SizedStream(io.RawIOBase):
    """A stream whose size is known, so h5py can seek from the end even when the underlying
    stream (an inflating archive member) cannot."""

    def __init__(self, base: BinaryIO, size: int) -> None:
        super().__init__()
        self.base = base
        self.size = size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.base.tell()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_END:
            return self.base.seek(self.size + offset)
        return self.base.seek(offset, whence)

    def readinto(self, buffer: Any) -> int:
        data = self.base.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _as_text(value: Any) -> str | None:
    """The attribute as text: bytes, str, or a 0-d/1-element numpy array of those."""
    if hasattr(value, "shape") and hasattr(value, "tolist"):
        value = value.tolist()
        if isinstance(value, list):
            value = value[0] if len(value) == 1 else None
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        return value
    return None
