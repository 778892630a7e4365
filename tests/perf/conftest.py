"""Fixtures for perf tests (the helpers live in ``perf_helpers``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from perf_helpers import build_bert


@pytest.fixture(scope="module")
def tiny_factory(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Build a tiny model folder: ``tiny_factory("ForSequenceClassification", labels=...)``."""

    def make(head: str, **kw: Any) -> Path:
        return build_bert(tmp_path_factory.mktemp(head), head, **kw)

    return make
