"""Keras v3 ``.keras`` archives and Keras JSON configs.

A ``.keras`` file is a zip holding ``metadata.json``, ``config.json`` (the architecture) and
``model.weights.h5``. Loading it rebuilds every object in ``config.json``; Lambda layers and
objects from non-Keras modules run code (see ``keras_policy``).

Two scanners cooperate through the dispatcher:

* ``KerasZipScanner`` is the tolerant zip reader of ``zip_scan.ZipScanner`` (zip tricks,
  bombs and member floods reported; every member dispatched by content) recognising Keras
  archives by their first member, and reporting an archive without ``config.json``;
* ``KerasConfigScanner`` recognises a Keras config *by content* (a JSON object with
  ``class_name`` and ``config``) - the ``config.json`` member, or a standalone
  ``model.to_json()`` file - reads it with a byte cap and checks it.
"""

from __future__ import annotations

import json
from dataclasses import replace
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
from ptmscope.risk.keras_policy import KERAS_RULES, check_keras_config
from ptmscope.risk.zip_scan import ZipScanner, is_zip

FORMAT = "keras-v3"
CONFIG_FORMAT = "keras-config"
MAX_CONFIG = 16 * 1024 * 1024  # Keras configs are KB-MB; json.loads of more costs ~10x in RAM
CONFIG_MEMBER = "config.json"
#: Member names Keras v3 writers put first; a zip whose first member is one of these is Keras.
KERAS_MEMBERS = ("metadata.json", "config.json", "model.weights.h5", "model.weights.npz")

ZIP_RULES: tuple[Rule, ...] = (
    Rule("KERAS-CONFIG-MISSING", "Keras archive without config.json",
         "A .keras file the loader cannot rebuild from config.json is not what it claims to be.",
         "Inspect the archive members by hand.", Severity.MEDIUM),
    Rule("KERAS-CONFIG-MALFORMED", "Keras config unreadable",
         "A config the scanner cannot parse may still be parsed by the loader.",
         "Treat the model as unchecked.", Severity.MEDIUM),
)


def _first_member_name(head: bytes) -> str:
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        return ""
    name_len = int.from_bytes(head[26:28], "little")
    return head[30 : 30 + name_len].decode("utf-8", errors="replace")


class KerasZipScanner(ZipScanner):
    """Keras v3 ``.keras`` zips: members dispatched by content, config.json required."""

    id: ClassVar[str] = "keras-zip"
    formats: ClassVar[tuple[str, ...]] = (FORMAT,)
    description: ClassVar[str] = (
        "Keras v3 .keras zip: config.json checked for Lambda layers and non-Keras modules; "
        "other members scanned by content; zip tricks reported"
    )
    rules: ClassVar[tuple[Rule, ...]] = (*ZipScanner.rules, *ZIP_RULES)

    @classmethod
    def sniff(cls, head: bytes, name: str) -> bool:
        """A zip whose first member is one of the Keras v3 names (or a ``.keras`` zip)."""
        first = _first_member_name(head)
        return bool(first) and (first in KERAS_MEMBERS or (
            name.lower().endswith(".keras") and is_zip(head) and b"config.json" in head))

    def label(self, names: list[str]) -> str:
        """Always ``keras-v3``."""
        return FORMAT

    def known_data(self, name: str) -> bool:
        """Keras' own metadata and asset files are expected to be unrecognised."""
        return name in ("metadata.json",) or name.startswith("assets/")

    def scan(self, stream: BinaryIO, ctx: ScanContext) -> ScanResult:
        """Scan as a zip (members by content), then require a scanned config.json.

        Used without a dispatcher (as a library), members are still checked for a Keras
        config so the archive's main risk is never silently skipped.
        """
        if ctx.dispatch is None:
            ctx = replace(ctx, dispatch=_config_only_dispatch)
        result = super().scan(stream, ctx)
        if not any(p.endswith(f":{CONFIG_MEMBER}") for p in result.scanned):
            result.issues.append(RiskIssue(
                "KERAS-CONFIG-MISSING", Severity.MEDIUM, CONFIG_MEMBER,
                "Keras archive without a readable config.json", ZIP_RULES[0].why, "", FORMAT))
        return result


def _config_only_dispatch(stream: BinaryIO, ctx: ScanContext) -> ScanResult:
    """Minimal member dispatch: Keras configs are scanned, anything else is left alone."""
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if KerasConfigScanner.sniff(head, ctx.path):
        return KerasConfigScanner().scan(stream, ctx)
    return ScanResult()


def _looks_like_keras_config(head: bytes) -> bool:
    stripped = head.lstrip()
    return stripped.startswith(b"{") and b'"class_name"' in head and b'"config"' in head


class KerasConfigScanner(Scanner):
    """Keras architecture JSON (``config.json`` in ``.keras``, ``model.to_json()`` files)."""

    id: ClassVar[str] = "keras-config"
    formats: ClassVar[tuple[str, ...]] = (CONFIG_FORMAT,)
    description: ClassVar[str] = (
        "Keras config JSON: Lambda layers (and their bytecode), TFOpLambda file/python ops, "
        "module or registered_name outside Keras"
    )
    rules: ClassVar[tuple[Rule, ...]] = (*KERAS_RULES, ZIP_RULES[1])

    @classmethod
    def sniff(cls, head: bytes, name: str) -> bool:
        """A JSON object with ``class_name`` and ``config`` keys near the top."""
        return _looks_like_keras_config(head)

    def scan(self, stream: BinaryIO, ctx: ScanContext) -> ScanResult:
        """Read the JSON (bounded) and check it with ``keras_policy``."""
        result = ScanResult(scanned=[ctx.path])
        stream.seek(0)
        data = stream.read(MAX_CONFIG + 1)
        result.bytes_read = len(data)
        reason = None
        if len(data) > MAX_CONFIG:
            reason = f"larger than {MAX_CONFIG} bytes"
        else:
            try:
                config = json.loads(data.decode("utf-8", errors="replace"))
            except (ValueError, RecursionError) as err:
                reason = f"not JSON: {str(err)[:200]}"
        if reason is not None:
            result.issues.append(RiskIssue("KERAS-CONFIG-MALFORMED", Severity.MEDIUM, "config",
                                           f"Keras config {reason}", ZIP_RULES[1].why, "",
                                           CONFIG_FORMAT))
            result.inconclusive.append(Inconclusive(ctx.path, f"Keras config {reason}"))
            return result
        issues, stopped = check_keras_config(config, ctx.path, CONFIG_FORMAT)
        result.issues.extend(issues)
        if stopped:
            result.inconclusive.append(Inconclusive(ctx.path, stopped))
        if not issues:
            result.passed.append("KERAS-LAMBDA")
        return result
