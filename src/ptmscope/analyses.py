"""The registry of corpus analyses that ``ptmscope demo`` (and ``ptmscope analyze``) run.

Each entry names a function ``run_all(store, progress) -> AnalysisSummary`` by import path, so
importing this module stays cheap and an analysis whose module is absent or whose optional
dependency is missing is reported as unavailable instead of breaking the others. Adding an
analysis means adding its module and one line here.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ptmscope.progress import NullProgress, Progress

if TYPE_CHECKING:
    from ptmscope.store import Store


@dataclass(frozen=True, slots=True)
class AnalysisSummary:
    """What one analysis run over the whole store produced.

    Attributes:
        name: the analysis name (``sync``, ``attributes``...).
        lines: a few human lines for the demo summary.
        counts: machine-readable figures (findings written, subjects analysed...).
    """

    name: str
    lines: tuple[str, ...] = ()
    counts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AnalysisStep:
    """A registered corpus analysis."""

    name: str
    target: str  # "package.module:function"
    description: str

    def load(self) -> Callable[..., AnalysisSummary]:
        """Import the function; raises ImportError / AttributeError when unavailable."""
        module_name, _, attr = self.target.partition(":")
        fn: Callable[..., AnalysisSummary] = getattr(importlib.import_module(module_name), attr)
        return fn


ANALYSES: tuple[AnalysisStep, ...] = (
    AnalysisStep(
        "attributes",
        "ptmscope.attributes.runner:run_all",
        "reuse-attribute audit of every Hugging Face model",
    ),
    AnalysisStep(
        "risk",
        "ptmscope.risk.runner:run_all",
        "risk scan of every stored model's files and repository",
    ),
    AnalysisStep(
        "perf",
        "ptmscope.perf.runner:run_all",
        "cheap claim checks (parameter count, sizes, formats) for every model",
    ),
    AnalysisStep(
        "sync",
        "ptmscope.sync.runner:run_all",
        "GitHub / Hugging Face synchronization of every family",
    ),
)


def run_analyses(
    store: Store, progress: Progress | None = None, only: tuple[str, ...] = ()
) -> list[AnalysisSummary]:
    """Run every registered analysis (or those named in ``only``) over the store.

    An analysis that is not available, or that fails, gives a summary saying so (counts
    ``available: 0`` or ``failed: 1``); the others still run.
    """
    progress = progress or NullProgress()
    out: list[AnalysisSummary] = []
    for step in ANALYSES:
        if only and step.name not in only:
            continue
        try:
            fn = step.load()
        except (ImportError, AttributeError) as err:
            out.append(AnalysisSummary(step.name, (f"not available: {err}",), {"available": 0}))
            continue
        try:
            out.append(fn(store, progress))
        except Exception as err:  # one broken analysis must not stop the others
            if os.environ.get("PTMSCOPE_DEBUG"):
                raise
            out.append(
                AnalysisSummary(step.name, (f"FAILED: {type(err).__name__}: {err}",), {"failed": 1})
            )
    return out
