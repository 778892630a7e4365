"""The one ordered table of risk scanners (after ModelAudit's registry).

Each line names a scanner class by import path, with a priority (lower is tried first when
sniffing a file's head: specific formats before generic ones) and the optional dependency it
needs. Classes are imported lazily, on first use; a scanner whose module or dependency is
missing is *recorded* (``load_scanners().failures``), never fatal, and the scan report says
which formats could not be checked.

Adding a scanner = one module under ``ptmscope/risk/`` with a ``Scanner`` subclass (see
``base.py``) + one line in ``SCANNERS``.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from functools import cache

from ptmscope.risk.base import Rule, Scanner


@dataclass(frozen=True, slots=True)
class ScannerEntry:
    """One registered scanner.

    Attributes:
        target: ``"package.module:Class"``.
        priority: sniffing order; lower first (specific formats before generic containers).
        requires: import name of an optional dependency, checked before importing.
    """

    target: str
    priority: int
    requires: str | None = None


#: Priorities: specific formats recognised by magic or layout 10-59 (a zip-based format such
#: as Keras must come before the generic zip scanner), generic containers 60-69, the pickle
#: scanner last (protocol 0/1 pickles are recognised by a trial walk, not by a magic).
SCANNERS: tuple[ScannerEntry, ...] = (
    ScannerEntry("ptmscope.risk.pickle_scan:LegacyTorchScanner", 10),
    ScannerEntry("ptmscope.risk.zip_scan:TorchZipScanner", 20),
    ScannerEntry("ptmscope.risk.numpy_scan:NumpyScanner", 30),
    ScannerEntry("ptmscope.risk.gguf:GgufScanner", 12),
    ScannerEntry("ptmscope.risk.lfs:LfsPointerScanner", 13),
    ScannerEntry("ptmscope.risk.keras_h5:KerasH5Scanner", 14, "h5py"),
    ScannerEntry("ptmscope.risk.safetensors_scan:SafetensorsScanner", 15),
    ScannerEntry("ptmscope.risk.keras_zip:KerasZipScanner", 18),
    ScannerEntry("ptmscope.risk.savedmodel:SavedModelScanner", 40),
    ScannerEntry("ptmscope.risk.onnx_scan:OnnxScanner", 41),
    ScannerEntry("ptmscope.risk.keras_zip:KerasConfigScanner", 50),
    ScannerEntry("ptmscope.risk.chat_template:ChatTemplateScanner", 51),
    ScannerEntry("ptmscope.risk.archive_scan:SevenZipScanner", 60, "py7zr"),
    ScannerEntry("ptmscope.risk.archive_scan:TarScanner", 61),
    ScannerEntry("ptmscope.risk.archive_scan:CompressedScanner", 62),
    ScannerEntry("ptmscope.risk.zip_scan:ZipScanner", 65),
    ScannerEntry("ptmscope.risk.pickle_scan:PickleScanner", 70),
)


@dataclass(frozen=True, slots=True)
class LoadFailure:
    """A registered scanner that could not be loaded, and why."""

    target: str
    reason: str


@dataclass(frozen=True, slots=True)
class LoadedScanners:
    """The scanners available in this process, in sniffing order, and the load failures."""

    scanners: tuple[type[Scanner], ...]
    failures: tuple[LoadFailure, ...]

    def rules(self) -> tuple[Rule, ...]:
        """Every rule of every loaded scanner (first definition of an id wins)."""
        seen: dict[str, Rule] = {}
        for cls in self.scanners:
            for rule in cls.rules:
                seen.setdefault(rule.id, rule)
        return tuple(seen.values())


def load_entry(entry: ScannerEntry) -> type[Scanner]:
    """Import one scanner class; raises ImportError / AttributeError / TypeError."""
    if entry.requires and importlib.util.find_spec(entry.requires) is None:
        raise ImportError(f"optional dependency {entry.requires!r} is not installed")
    module_name, _, attr = entry.target.partition(":")
    cls = getattr(importlib.import_module(module_name), attr)
    if not (isinstance(cls, type) and issubclass(cls, Scanner)):
        raise TypeError(f"{entry.target} is not a Scanner subclass")
    return cls


def load_scanners(entries: tuple[ScannerEntry, ...] = SCANNERS) -> LoadedScanners:
    """Import every registered scanner (cached for the default table)."""
    if entries is SCANNERS:
        return _load_default()
    return _load(entries)


@cache
def _load_default() -> LoadedScanners:
    return _load(SCANNERS)


def _load(entries: tuple[ScannerEntry, ...]) -> LoadedScanners:
    ok: list[type[Scanner]] = []
    failures: list[LoadFailure] = []
    for entry in sorted(entries, key=lambda e: e.priority):  # stable: table order breaks ties
        try:
            ok.append(load_entry(entry))
        except Exception as err:  # any import-time failure is recorded, not fatal
            failures.append(LoadFailure(entry.target, f"{type(err).__name__}: {err}"))
    return LoadedScanners(tuple(ok), tuple(failures))
