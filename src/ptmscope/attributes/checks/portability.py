"""Portability checks: can the model move to another framework, machine or domain?

Practitioners look for framework and format support, quantized variants, hardware needs,
fine-tuning instructions, a licence and the model's size.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ptmscope.attributes.base import (
    Category,
    Check,
    CheckResult,
    Evidence,
    missing,
    partial,
    present,
)
from ptmscope.attributes.checks._common import (
    NO_CARD,
    clip,
    file_evidence,
    files_matching,
    line_evidence,
    meta_evidence,
    no_card_suffix,
    probe,
    section_evidence,
    sections,
)
from ptmscope.attributes.facts import ModelFacts
from ptmscope.formats.safetensors import SafetensorsHeader
from ptmscope.records import FileRecord, Severity

#: Weight formats by file-name pattern (lower-cased path). Order is the display order.
WEIGHT_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("safetensors", re.compile(r"\.safetensors$")),
    ("pytorch", re.compile(r"(?:\.pt|\.pth|\.ckpt|(?:^|/)(?!training_args)[^/]*\.bin)$")),
    ("tensorflow", re.compile(r"(?:\.h5|\.keras|saved_model\.pbt?|\.tflite)$")),
    ("flax", re.compile(r"\.msgpack$")),
    ("onnx", re.compile(r"\.onnx$")),
    ("gguf", re.compile(r"\.(?:gguf|ggml)$")),
    ("coreml", re.compile(r"\.(?:mlmodel|mlpackage/.*)$")),
    ("openvino", re.compile(r"openvino[^/]*\.xml$")),
)
PICKLE_FORMATS = frozenset({"pytorch"})

_LIBRARY_FILES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("peft", re.compile(r"(?:^|/)adapter_config\.json$")),
    ("diffusers", re.compile(r"(?:^|/)model_index\.json$")),
    ("sentence-transformers", re.compile(r"(?:^|/)(?:sentence_bert_config|modules)\.json$")),
    ("gguf", re.compile(r"\.gguf$")),
    ("transformers", re.compile(r"(?:^|/)config\.json$")),
)
_QUANT_NAMES = re.compile(
    r"gptq|awq|exl2|int8|int4|4bit|8bit|-q\d|\.q\d|_q\d|q\d_k|\bnf4\b|bnb|\.gguf$|quant"
)
_QUANT_TAGS = re.compile(r"gptq|awq|gguf|quantiz|4-?bit|8-?bit|int[48]|bitsandbytes|exl2")
_QUANT_DTYPES = frozenset({"I8", "U8", "F8_E5M2", "F8_E4M3", "F4", "I4", "U4"})
_HW_NEEDS = probe(
    r"\b(?:\d+(?:\.\d+)?\s?(?:GB|GiB)\s+(?:of\s+)?(?:V?RAM|GPU|memory)|VRAM|GPU memory|"
    r"memory (?:requirements?|footprint|usage)|requires? (?:an? )?(?:GPU|\d+\s?GB)|"
    r"runs? on (?:a )?(?:CPU|GPU)|hardware requirements?)",
    "gb", "gib", "vram", "memory", "require", "runs on", "run on", "hardware requirement",
)
_USAGE_SECTIONS = (r"how to get started", r"how to use", r"^usage", r"uses?$", r"quick ?start",
                   r"getting started", r"^inference", r"fine ?tun", r"downstream use",
                   r"example")
_PARAMS_TEXT = probe(
    r"\b\d+(?:\.\d+)?\s?(?:[MBK]|million|billion)\s+param(?:eter)?s?\b",
    'param',
)


def weight_formats_of(
    files: Sequence[FileRecord], lower_paths: Sequence[str]
) -> dict[str, list[str]]:
    """Weight files per format name."""
    found: dict[str, list[str]] = {}
    for record, path in zip(files, lower_paths, strict=True):
        for name, pattern in WEIGHT_FORMATS:
            if pattern.search(path):
                found.setdefault(name, []).append(record.path)
                break
    return found


def weight_formats(facts: ModelFacts) -> CheckResult:
    """Which weight formats the repo ships."""
    found = weight_formats_of(facts.files, facts.lower_paths)
    if not found:
        return missing("no weight files", formats=[])
    names = list(found)
    evidence = tuple(Evidence(path=paths[0], key=name) for name, paths in found.items())
    if set(names) <= PICKLE_FORMATS:
        return partial(
            "only pickle-based weights (" + ", ".join(names) + "); no safetensors", *evidence,
            formats=names,
        )
    return present("formats: " + ", ".join(names), *evidence, formats=names)


def library(facts: ModelFacts) -> CheckResult:
    """The library / framework that loads the model."""
    if facts.meta.library_name:
        return present(
            f"library {clip(facts.meta.library_name, 40)}",
            meta_evidence(facts, "library_name", facts.meta.library_name),
            library=facts.meta.library_name,
        )
    platform = facts.repo.metadata.get("library_name")
    if isinstance(platform, str) and platform:
        return present(
            f"library {clip(platform, 40)} (from the platform)",
            Evidence(key="platform: library_name", excerpt=clip(platform)), library=platform,
        )
    for name, pattern in _LIBRARY_FILES:
        files = files_matching(facts, pattern)
        if files:
            return partial(
                f"library not declared; {name} guessed from files", *file_evidence(files, 1),
                library=name,
            )
    return missing("no library declared" + no_card_suffix(facts))


def quantized_variants(facts: ModelFacts) -> CheckResult:
    """Quantized weights in the repo (names, dtypes, tags or a ``quantized`` relation)."""
    if facts.meta.base_model_relation == "quantized":
        return present("this model is a quantized variant",
                       meta_evidence(facts, "base_model_relation", "quantized"))
    files = [
        f for f in files_matching(facts, _QUANT_NAMES)
        if any(p.search(f.path.lower()) for _, p in WEIGHT_FORMATS)
    ]
    if files:
        return present(f"{len(files)} quantized weight file(s)", *file_evidence(files))
    for header in facts.headers:
        if isinstance(header, SafetensorsHeader) and _QUANT_DTYPES & set(header.dtypes):
            return present("quantized tensors in safetensors", Evidence(path=header.path))
    tags = [t for t in facts.meta.tags if _QUANT_TAGS.search(t.lower())]
    if tags:
        return partial(
            "quantization tag without quantized files", meta_evidence(facts, "tags", tags[0])
        )
    return missing("no quantized variant in this repo")


def hardware_needs(facts: ModelFacts) -> CheckResult:
    """What hardware inference needs (memory, GPU), stated in the card."""
    found = line_evidence(facts, _HW_NEEDS)
    if found is not None:
        return present("hardware needs stated", found)
    return missing("no hardware needs stated" + no_card_suffix(facts))


def usage_instructions(facts: ModelFacts) -> CheckResult:
    """A filled usage / getting-started / fine-tuning section."""
    found = sections(facts, *_USAGE_SECTIONS)
    with_code = [s for s in found if s.filled and s.has_code]
    if with_code:
        return present("usage instructions with code", section_evidence(facts, with_code[0]))
    filled = [s for s in found if s.filled]
    if filled:
        return partial("usage described without code", section_evidence(facts, filled[0]))
    if found:
        return partial("usage section left unfilled", section_evidence(facts, found[0]))
    return missing("no usage or fine-tuning instructions" + no_card_suffix(facts))


_LICENSE_FILES = re.compile(r"^(?:licen[cs]e|copying)(?:\.\w+)?$")


def licence(facts: ModelFacts) -> CheckResult:
    """The licence: ``license`` in the metadata (``other`` needs a name or link), or a file."""
    meta = facts.meta
    files = files_matching(facts, _LICENSE_FILES)
    if meta.license and meta.license.lower() != "other":
        return present(f"licence {clip(meta.license, 40)}",
                       meta_evidence(facts, "license", meta.license), license=meta.license)
    if meta.license:
        if meta.license_name or meta.license_link:
            named = meta.license_name or meta.license_link or ""
            return present(f"custom licence {clip(named, 60)}",
                           meta_evidence(facts, "license", "other"), license="other")
        if files:
            return present("licence 'other' with a licence file",
                           meta_evidence(facts, "license", "other"), *file_evidence(files, 1))
        return partial("licence 'other' without license_name or license_link",
                       meta_evidence(facts, "license", "other"), license="other")
    if files:
        return partial("licence file present but not declared in the card metadata",
                       *file_evidence(files, 1))
    if facts.card is None:
        return missing(f"{NO_CARD} and no LICENSE file")
    if facts.card.metadata is None:
        return missing("card has no usable metadata and there is no LICENSE file")
    return missing("card declares no licence and there is no LICENSE file")


def size_and_parameters(facts: ModelFacts) -> CheckResult:
    """Parameter count (from safetensors headers) and weight size."""
    headers = [h for h in facts.headers if isinstance(h, SafetensorsHeader)]
    weights = [f for fmt in weight_formats_of(facts.files, facts.lower_paths).values()
               for f in fmt]
    weight_paths = set(weights)
    sizes = {f.path: f.real_size for f in facts.files if f.path in weight_paths}
    total_bytes = sum(s for s in sizes.values() if s is not None)
    if headers:
        params = sum(h.parameters for h in headers)
        return present(
            f"{params:,} parameters in {len(headers)} safetensors file(s)",
            *(Evidence(path=h.path, key="safetensors header") for h in headers[:5]),
            parameters=params, weight_bytes=total_bytes,
        )
    if weights and total_bytes:
        why = next((h.reason for h in facts.headers if not isinstance(h, SafetensorsHeader)),
                   "no readable safetensors header")
        return partial(
            f"{total_bytes:,} bytes of weights; parameter count unknown ({clip(why, 60)})",
            *file_evidence(f for f in facts.files if f.path in sizes),
            weight_bytes=total_bytes,
        )
    stated = line_evidence(facts, _PARAMS_TEXT)
    if stated is not None:
        return partial("parameter count stated in the card only", stated)
    return missing("size and parameter count unknown: no weight files" + no_card_suffix(facts))


CHECKS: tuple[Check, ...] = (
    Check(
        "weight-formats", Category.PORTABILITY, "Weight formats",
        "The formats shipped decide which frameworks and runtimes can load the model.",
        "Publish safetensors weights (and ONNX/GGUF when targeting other runtimes).",
        3, Severity.MEDIUM, weight_formats,
    ),
    Check(
        "library", Category.PORTABILITY, "Library / framework",
        "A reuser must know which library loads the model before trying it.",
        "Set `library_name:` in the card metadata.",
        2, Severity.LOW, library,
    ),
    Check(
        "quantized-variants", Category.PORTABILITY, "Quantized variants",
        "Quantized weights let a model run on smaller hardware.",
        "Publish a quantized variant (GGUF, GPTQ, AWQ) or link one with base_model_relation.",
        1, Severity.INFO, quantized_variants,
    ),
    Check(
        "hardware-needs", Category.PORTABILITY, "Hardware needs",
        "Deployment needs memory and accelerator requirements up front.",
        "State the memory (GB) and accelerator needed for inference in the card.",
        1, Severity.LOW, hardware_needs,
    ),
    Check(
        "usage-instructions", Category.PORTABILITY, "Usage / fine-tuning instructions",
        "Fine-tuning instructions are what practitioners need to move a model to their domain.",
        "Fill 'How to Get Started with the Model' with a runnable example and fine-tuning notes.",
        2, Severity.MEDIUM, usage_instructions,
    ),
    Check(
        "licence", Category.PORTABILITY, "Licence",
        "Without a licence a model cannot legally be reused.",
        "Set `license:` in the card metadata (or `other` with `license_name`/`license_link`).",
        3, Severity.HIGH, licence,
    ),
    Check(
        "size-parameters", Category.PORTABILITY, "Size and parameter count",
        "Size decides whether a model fits the target hardware and latency budget.",
        "Publish safetensors weights (their header gives the parameter count) and state the size.",
        2, Severity.LOW, size_and_parameters,
    ),
)
