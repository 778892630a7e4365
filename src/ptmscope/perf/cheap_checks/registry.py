"""The one registry of cheap perf checks. Adding a check = one module + one line here."""

from __future__ import annotations

from ptmscope.perf.cheap_checks import (
    formats,
    param_count,
    safetensors_integrity,
    weight_size,
)
from ptmscope.perf.cheap_checks.base import CheapCheck

CHECKS: tuple[CheapCheck, ...] = (
    param_count.CHECK,
    weight_size.CHECK,
    formats.CHECK,
    safetensors_integrity.CHECK,
)
