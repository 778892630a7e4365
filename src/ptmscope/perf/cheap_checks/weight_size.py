"""Weight-file sizes against the sizes a card states ("the checkpoint is 440 MB").

A card's size statement is found on a line that talks about the model's size, weights, files,
checkpoint or download (lines about memory, VRAM, datasets or corpora are ignored: those sizes
are not the files'). It holds when it is within ``RATIO_BAND`` of one weight file, of the total
of one format, or of all weights (cards state either). Sizes come from the file records, so
Git LFS pointers count with the size of the object they point to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ptmscope.perf.cheap_checks.base import CheapCheck, CheckContext
from ptmscope.records import FileRecord, Finding, Outcome, Severity

RATIO_BAND = (0.8, 1.25)
WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".h5", ".keras", ".onnx",
                   ".gguf", ".msgpack", ".tflite", ".mlmodel", ".pb", ".ggml")
_UNITS = {"kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12, "kib": 2**10, "mib": 2**20,
          "gib": 2**30, "tib": 2**40}
_SIZE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)\b", re.IGNORECASE)
_ABOUT_FILES = re.compile(r"\b(size|weights?|files?|checkpoints?|download|disk|storage)\b",
                          re.IGNORECASE)
_NOT_FILES = re.compile(r"\b(memory|ram|vram|gpu|dataset|corpus|tokens|context|batch)\b",
                        re.IGNORECASE)


def size_statements(text: str) -> tuple[tuple[str, float], ...]:
    """``(quoted text, bytes)`` of every file-size statement in a card.

    >>> size_statements("The checkpoint is 440 MB.\\nNeeds 16 GB of GPU memory.")
    (('440 MB', 440000000.0),)
    """
    out: list[tuple[str, float]] = []
    for line in text.splitlines():
        if not _ABOUT_FILES.search(line) or _NOT_FILES.search(line):
            continue
        for match in _SIZE.finditer(line):
            value = float(match.group(1).replace(",", "."))
            out.append((match.group(0), value * _UNITS[match.group(2).lower()]))
    return tuple(out)


def weight_files(files: Iterable[FileRecord]) -> list[FileRecord]:
    """Files that hold weights, by name (sizes known)."""
    return [f for f in files if f.path.lower().endswith(WEIGHT_SUFFIXES)
            and f.real_size is not None and not f.path.lower().endswith("training_args.bin")]


def _candidates(weights: list[FileRecord]) -> list[float]:
    sizes: list[float] = [float(f.real_size or 0) for f in weights]
    by_suffix: dict[str, float] = {}
    for f in weights:
        suffix = f.path.lower().rsplit(".", 1)[-1]
        by_suffix[suffix] = by_suffix.get(suffix, 0.0) + float(f.real_size or 0)
    return sizes + list(by_suffix.values()) + [sum(sizes)]


def _mb(size: float) -> str:
    return f"{size / 1e6:,.1f} MB"


def _run(ctx: CheckContext) -> tuple[Finding, ...]:
    statements = size_statements(ctx.card.body if ctx.card else "")
    if not statements:
        return (CHECK.finding(ctx, Outcome.NOT_APPLICABLE, "the card states no file size"),)
    weights = weight_files(ctx.files)
    if not weights:
        return (CHECK.finding(ctx, Outcome.NOT_AVAILABLE,
                              "the card states a size but no weight file size is known"),)
    candidates = _candidates(weights)
    details = {"stated": [s for s, _ in statements],
               "weights": {f.path: f.real_size for f in weights}}
    for text, size in statements:
        if not any(RATIO_BAND[0] * size <= c <= RATIO_BAND[1] * size for c in candidates):
            return (CHECK.finding(
                ctx, Outcome.MISSING,
                f"the card says {text} but the weight files are "
                + ", ".join(f"{f.path} {_mb(float(f.real_size or 0))}" for f in weights[:4]),
                location="card", details=details),)
    return (CHECK.finding(ctx, Outcome.PRESENT, "stated file sizes match the weight files",
                          details=details),)


CHECK = CheapCheck(
    id="perf.weight-size",
    title="Weight-file size matches the card",
    why="Size decides whether a model fits a deployment; a card whose stated size does not "
        "match the files describes another checkpoint, or the files were replaced.",
    remediation="Update the size the card states, or upload the checkpoint it describes.",
    severity=Severity.LOW,
    run=_run,
)
