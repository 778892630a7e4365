"""The DuckDB store: schema and migrations (``schema``), the single writer and reads (``store``)."""

from __future__ import annotations

from ptmscope.store.schema import SCHEMA_VERSION
from ptmscope.store.store import DEFAULT_DB, Store

__all__ = ["DEFAULT_DB", "SCHEMA_VERSION", "Store"]
