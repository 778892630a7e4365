"""Parameter count from the safetensors headers against the size the id or the card names.

Names carry sizes two ways: numbers (``llama-7b``, ``opt-350m``, ``qwen-0.5b``) and words
(``bert-base``, ``t5-large``, ``whisper-tiny``). Numbers are checked within a ratio band,
words within a broad range that covers the families using them (a "base" model is 66M for
DistilBERT and 278M for XLM-R). A card line such as "110M parameters" is checked the same way.
Quantized checkpoints pack several weights per element, so their counts are not compared.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ptmscope.formats.safetensors import HeaderProblem, SafetensorsHeader
from ptmscope.perf.cheap_checks.base import CheapCheck, CheckContext
from ptmscope.records import Finding, Outcome, Severity

#: measured / named must fall in this band for a numeric size ("7b": 4.9B to 9.8B).
RATIO_BAND = (0.7, 1.4)
#: Parameter ranges the size words cover across common families (inclusive).
SIZE_WORDS: Mapping[str, tuple[float, float]] = {
    "tiny": (0, 60e6), "mini": (0, 60e6), "small": (5e6, 350e6), "base": (40e6, 450e6),
    "medium": (100e6, 1.1e9), "large": (200e6, 2.5e9), "xl": (700e6, 5e9),
    "xxl": (4e9, 15e9),
}
_NUMERIC = re.compile(r"^(\d+(?:\.\d+)?)([bm])$")
_CARD_CLAIM = re.compile(
    r"(\d+(?:\.\d+)?)\s*(billion|million|[BM])\s+(?:parameters|params)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SizeClaim:
    """A size named somewhere: a number of parameters or a size word."""

    text: str
    source: str  # "id" or "card"
    low: float
    high: float
    nominal: float | None = None


def sizes_in_name(name: str) -> tuple[SizeClaim, ...]:
    """Sizes named in a model id (``org/llama-2-7b-chat`` -> 7B).

    >>> [c.text for c in sizes_in_name("google-bert/bert-base-uncased")]
    ['base']
    """
    model = name.rsplit("/", 1)[-1].lower()
    out: list[SizeClaim] = []
    for part in re.split(r"[-_\s]+", model):  # '.' stays: "1.3b" is one token
        match = _NUMERIC.match(part)
        if match:
            value = float(match.group(1)) * (1e9 if match.group(2) == "b" else 1e6)
            out.append(SizeClaim(part, "id", value * RATIO_BAND[0], value * RATIO_BAND[1],
                                 value))
        elif part in SIZE_WORDS:
            low, high = SIZE_WORDS[part]
            out.append(SizeClaim(part, "id", low, high))
    return tuple(out)


def sizes_in_card(text: str) -> tuple[SizeClaim, ...]:
    """Sizes a card states as "<number> million/billion/M/B parameters" (first one)."""
    match = _CARD_CLAIM.search(text)
    if match is None:
        return ()
    unit = match.group(2).lower()
    value = float(match.group(1)) * (1e9 if unit in ("b", "billion") else 1e6)
    return (SizeClaim(match.group(0), "card", value * RATIO_BAND[0], value * RATIO_BAND[1],
                      value),)


def human(count: float) -> str:
    """``110_000_000`` -> ``"110M"``."""
    if count >= 1e9:
        return f"{count / 1e9:.3g}B"
    if count >= 1e6:
        return f"{count / 1e6:.3g}M"
    return f"{count / 1e3:.3g}K"


def _run(ctx: CheckContext) -> tuple[Finding, ...]:
    claims = sizes_in_name(ctx.repo.name) + sizes_in_card(ctx.card_text)
    if not claims:
        return (CHECK.finding(ctx, Outcome.NOT_APPLICABLE, "no size named in the id or card"),)
    weights = [h for p, h in sorted(ctx.headers.items()) if p.endswith(".safetensors")]
    if not weights:
        return (CHECK.finding(ctx, Outcome.NOT_AVAILABLE,
                              "no safetensors weights to count parameters from"),)
    unreadable = [h for h in weights if isinstance(h, HeaderProblem)]
    if unreadable:
        return (CHECK.finding(
            ctx, Outcome.NOT_AVAILABLE,
            f"cannot count parameters: {unreadable[0].path}: {unreadable[0].reason}",
            path=unreadable[0].path),)
    readable = [h for h in weights if isinstance(h, SafetensorsHeader)]
    if any(h.quantized for h in readable):
        return (CHECK.finding(ctx, Outcome.NOT_AVAILABLE,
                              "quantized weights: packed element counts are not parameters"),)
    count = sum(h.parameters for h in readable)
    details = {"parameters": count, "files": [h.path for h in readable],
               "named": [{"text": c.text, "source": c.source, "low": c.low, "high": c.high}
                         for c in claims]}
    wrong = [c for c in claims if not c.low <= count <= c.high]
    if wrong:
        c = wrong[0]
        return (CHECK.finding(
            ctx, Outcome.MISSING,
            f"{human(count)} parameters, but the {c.source} says {c.text!r} "
            f"(expected {human(c.low)}-{human(c.high)})", location=c.source,
            details=details),)
    said = ", ".join(repr(c.text) for c in claims)
    return (CHECK.finding(ctx, Outcome.PRESENT, f"{human(count)} parameters fits {said}",
                          details=details),)


CHECK = CheapCheck(
    id="perf.param-count",
    title="Parameter count matches the size in the name or card",
    why="A reuser picks a model by its size for latency, memory and cost; a '7b' that holds "
        "1B parameters (or a 'base' that is a 'large') is a different model than advertised.",
    remediation="Rename the model or correct the card so the size it names matches the "
                "weights, or publish the weights the name describes.",
    severity=Severity.MEDIUM,
    run=_run,
)
