"""Keras v3 ``.keras`` archives: the ``config.json`` inside, checked with ``keras_policy``.

A ``.keras`` file is a zip holding ``metadata.json``, ``config.json`` (the architecture) and
``model.weights.h5``. Loading it rebuilds every object in ``config.json``; Lambda layers and
objects from non-Keras modules run code (see ``keras_policy``). The zip is read with bounds:
member count, config size (read with a byte cap, so a lying header or a zip bomb cannot
inflate memory), and unexpected members (pickles, Python files, native libraries) are
reported because nothing in a Keras archive needs them.
"""

from __future__ import annotations

import json
import zipfile
from typing import BinaryIO, ClassVar

from ptmscope.records import Severity
from ptmscope.risk.base import Inconclusive, RiskIssue, ScanContext, Scanner, ScanResult
from ptmscope.risk.keras_policy import check_keras_config

FORMAT = "keras-v3"
MAX_MEMBERS = 10_000
MAX_CONFIG = 64 * 1024 * 1024
CONFIG_MEMBER = "config.json"
#: Member names every Keras v3 writer uses; a zip whose first member is one of these is Keras.
KERAS_MEMBERS = ("metadata.json", "config.json", "model.weights.h5", "model.weights.npz")
_ODD_SUFFIXES = (".pkl", ".pickle", ".py", ".pyc", ".so", ".dll", ".dylib", ".sh", ".exe",
                 ".bin", ".pt", ".pth", ".joblib", ".npy")


def _first_member_name(head: bytes) -> str:
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        return ""
    name_len = int.from_bytes(head[26:28], "little")
    return head[30 : 30 + name_len].decode("utf-8", errors="replace")


class KerasZipScanner(Scanner):
    """Lambda layers and non-Keras modules in a ``.keras`` archive's config.json."""

    id: ClassVar[str] = "keras-zip"
    formats: ClassVar[tuple[str, ...]] = (FORMAT,)
    description: ClassVar[str] = (
        "Keras v3 .keras zip: Lambda layers (and their bytecode), objects whose module or "
        "registered_name is outside Keras, unexpected archive members"
    )

    @classmethod
    def sniff(cls, head: bytes, name: str) -> bool:
        """A zip whose first member is one of the Keras v3 names (or a ``.keras`` zip)."""
        first = _first_member_name(head)
        if not first:
            return False
        return first in KERAS_MEMBERS or (name.lower().endswith(".keras")
                                          and b"config.json" in head)

    def scan(self, stream: BinaryIO, ctx: ScanContext) -> ScanResult:
        """Open the zip, bound it, check config.json and the member list."""
        result = ScanResult(scanned=[ctx.path])
        stream.seek(0)
        try:
            archive = zipfile.ZipFile(stream)
        except (zipfile.BadZipFile, OSError, ValueError) as err:
            self._broken(result, ctx, f"not a readable zip: {err}")
            return result
        with archive:
            infos = archive.infolist()
            if len(infos) > MAX_MEMBERS:
                self._broken(result, ctx, f"{len(infos)} members exceed the {MAX_MEMBERS} bound")
                return result
            self._odd_members(infos, ctx, result)
            configs = [i for i in infos if i.filename == CONFIG_MEMBER]
            if not configs:
                result.issues.append(RiskIssue(
                    "KERAS-CONFIG-MISSING", Severity.MEDIUM, CONFIG_MEMBER,
                    "Keras archive without config.json", "a .keras file the loader cannot "
                    "rebuild from config.json is not what it claims to be", "", FORMAT))
            if len(configs) > 1:
                result.issues.append(RiskIssue(
                    "KERAS-ZIP-DUPLICATE", Severity.HIGH, CONFIG_MEMBER,
                    f"{len(configs)} members named config.json", "zip readers disagree on "
                    "which duplicate wins, so a scanner and the loader can see different "
                    "configs; every copy is checked", "", FORMAT))
            for info in configs:
                self._check_config(archive, info, ctx, result)
        if not result.issues:
            result.passed.append("KERAS-LAMBDA")
        return result

    @staticmethod
    def _broken(result: ScanResult, ctx: ScanContext, reason: str) -> None:
        result.issues.append(RiskIssue("KERAS-ZIP-MALFORMED", Severity.HIGH, "zip", reason,
                                       "an archive the scanner cannot read may still be read by "
                                       "the loader", "", FORMAT))
        result.inconclusive.append(Inconclusive(ctx.path, f"Keras zip: {reason}"))

    @staticmethod
    def _odd_members(infos: list[zipfile.ZipInfo], ctx: ScanContext,
                     result: ScanResult) -> None:
        for info in infos:
            lowered = info.filename.lower()
            if lowered.endswith(_ODD_SUFFIXES) or ".." in lowered.split("/") \
                    or lowered.startswith("/"):
                result.issues.append(RiskIssue(
                    "KERAS-ZIP-MEMBER", Severity.MEDIUM, info.filename[:200],
                    f"unexpected member {info.filename[:200]!r} in a Keras archive",
                    "Keras archives hold JSON and weights only; executables, pickles or "
                    "escaping paths are payloads for other tools", f"{ctx.path}:{info.filename}"
                    [:300], FORMAT))

    def _check_config(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, ctx: ScanContext,
                      result: ScanResult) -> None:
        where = f"{ctx.path}:{info.filename}"
        try:
            with archive.open(info) as member:
                data = member.read(MAX_CONFIG + 1)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError,
                EOFError) as err:
            self._broken(result, ctx, f"cannot read {info.filename}: {err}")
            return
        result.bytes_read += len(data)
        if len(data) > MAX_CONFIG:
            self._broken(result, ctx, f"{info.filename} larger than {MAX_CONFIG} bytes")
            return
        try:
            config = json.loads(data.decode("utf-8", errors="replace"))
        except (ValueError, RecursionError) as err:
            self._broken(result, ctx, f"{info.filename} is not JSON: {str(err)[:200]}")
            return
        issues, stopped = check_keras_config(config, where, FORMAT)
        result.issues.extend(issues)
        if stopped:
            result.inconclusive.append(Inconclusive(where, stopped))
