"""Cheap claim checks: no data, no eval extra (see ``registry.CHECKS`` and ``base``)."""

from __future__ import annotations

from ptmscope.perf.cheap_checks.base import CheapCheck, CheckContext

__all__ = ["CheapCheck", "CheckContext"]
