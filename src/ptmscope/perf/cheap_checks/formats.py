"""Formats the card says exist against the files present.

A card claims formats through its metadata (the Hub's ``tags`` such as ``pytorch``, ``onnx``,
``gguf``, ``safetensors``; and ``library_name``) and by naming weight files in its text
(``model.onnx``, ``ggml-model-q4_0.gguf``). Each claimed format needs at least one file of that
format; each file named in the card must exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ptmscope.perf.cheap_checks.base import CheapCheck, CheckContext
from ptmscope.records import Finding, Outcome, Severity

#: Format -> file-name patterns that hold it.
FORMAT_FILES: Mapping[str, tuple[str, ...]] = {
    "pytorch": (r"\.bin$", r"\.pt$", r"\.pth$"),
    "safetensors": (r"\.safetensors$",),
    "tensorflow": (r"\.h5$", r"\.keras$", r"saved_model\.pb$", r"\.pb$"),
    "jax": (r"\.msgpack$",),
    "onnx": (r"\.onnx$",),
    "gguf": (r"\.gguf$",),
    "tflite": (r"\.tflite$",),
    "coreml": (r"\.mlmodel$", r"\.mlpackage/"),
    "openvino": (r"openvino.*\.xml$", r"openvino.*\.bin$"),
}
#: Tag / library_name values -> format.
TAG_FORMATS: Mapping[str, str] = {
    "pytorch": "pytorch", "safetensors": "safetensors", "tf": "tensorflow",
    "tensorflow": "tensorflow", "keras": "tensorflow", "tf-keras": "tensorflow", "jax": "jax",
    "flax": "jax", "onnx": "onnx", "gguf": "gguf", "tflite": "tflite", "coreml": "coreml",
    "openvino": "openvino",
}
_NAMED_FILE = re.compile(
    r"(?<![\w/.-])([\w.-]+\.(?:onnx|gguf|safetensors|tflite|mlmodel|msgpack|h5))(?![\w])")


def claimed_formats(metadata: Mapping[str, object] | None) -> set[str]:
    """Formats the card's metadata claims.

    >>> sorted(claimed_formats({"tags": ["ONNX", "text-classification"],
    ...                          "library_name": "transformers"}))
    ['onnx']
    """
    if not metadata:
        return set()
    values: list[str] = []
    tags = metadata.get("tags")
    if isinstance(tags, list):
        values += [str(t) for t in tags]
    elif isinstance(tags, str):
        values.append(tags)
    library = metadata.get("library_name")
    if isinstance(library, str):
        values.append(library)
    return {TAG_FORMATS[v.strip().lower()] for v in values if v.strip().lower() in TAG_FORMATS}


def named_files(text: str) -> set[str]:
    """Weight file names the card text mentions (``model.onnx``)."""
    return {m.group(1) for m in _NAMED_FILE.finditer(text) if not m.group(1).startswith(".")}


def has_format(paths: Iterable[str], fmt: str) -> bool:
    """True when one of ``paths`` holds ``fmt``."""
    patterns = [re.compile(p, re.IGNORECASE) for p in FORMAT_FILES[fmt]]
    return any(p.search(path) for path in paths for p in patterns)


def _run(ctx: CheckContext) -> tuple[Finding, ...]:
    formats = claimed_formats(ctx.card.metadata if ctx.card else None)
    names = named_files(ctx.card.body if ctx.card else "")
    if not formats and not names:
        return (CHECK.finding(ctx, Outcome.NOT_APPLICABLE, "the card claims no format"),)
    paths = [f.path for f in ctx.files]
    basenames = {p.rsplit("/", 1)[-1] for p in paths}
    missing_formats = sorted(f for f in formats if not has_format(paths, f))
    missing_files = sorted(n for n in names if n not in basenames and n not in paths)
    details = {"claimed_formats": sorted(formats), "named_files": sorted(names),
               "missing_formats": missing_formats, "missing_files": missing_files}
    if missing_formats or missing_files:
        parts = []
        if missing_formats:
            parts.append("claims " + ", ".join(missing_formats) + " but has no such file")
        if missing_files:
            parts.append("names " + ", ".join(missing_files[:5]) + " which are absent")
        return (CHECK.finding(ctx, Outcome.MISSING, "the card " + "; ".join(parts),
                              location="card", details=details),)
    return (CHECK.finding(ctx, Outcome.PRESENT, "every format the card claims has files",
                          details=details),)


CHECK = CheapCheck(
    id="perf.formats",
    title="Formats the card claims are present",
    why="Practitioners pick models by framework and format support (portability); a card that "
        "advertises ONNX or GGUF files the repository does not hold misleads that choice.",
    remediation="Upload the files in the claimed formats, or remove the claim from the card's "
                "tags and text.",
    severity=Severity.MEDIUM,
    run=_run,
)
