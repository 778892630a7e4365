"""The evaluation tasks ptmscope can run, one module each, in one registry.

A task module defines ``TASK_ID``, ``AUTO_CLASS`` (the transformers auto class) and
``run(folder, split, *, batch_size, progress) -> TaskResult``. The task names cards use and the
``architectures`` suffixes that identify a task live here, so resolving a task imports nothing.
Adding a task = one module + one line in ``_MODULES`` (plus its aliases). Modules are
imported on first use, because they need the ``eval`` extra.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

_MODULES: Mapping[str, str] = {
    "text-classification": "ptmscope.perf.tasks.text_classification",
    "token-classification": "ptmscope.perf.tasks.token_classification",
    "question-answering": "ptmscope.perf.tasks.question_answering",
    "fill-mask": "ptmscope.perf.tasks.fill_mask",
    "sentence-similarity": "ptmscope.perf.tasks.sentence_similarity",
}

#: Task names as cards write them -> our task id (kept here so no import is needed).
TASK_ALIASES: Mapping[str, str] = {
    "text-classification": "text-classification",
    "sentiment-analysis": "text-classification",
    "sentiment-classification": "text-classification",
    "natural-language-inference": "text-classification",
    "topic-classification": "text-classification",
    "token-classification": "token-classification",
    "named-entity-recognition": "token-classification",
    "ner": "token-classification",
    "part-of-speech": "token-classification",
    "chunking": "token-classification",
    "question-answering": "question-answering",
    "extractive-question-answering": "question-answering",
    "extractive-qa": "question-answering",
    "fill-mask": "fill-mask",
    "masked-language-modeling": "fill-mask",
    "masked-lm": "fill-mask",
    "sentence-similarity": "sentence-similarity",
    "semantic-similarity": "sentence-similarity",
    "semantic-textual-similarity": "sentence-similarity",
    "sts": "sentence-similarity",
    "text-similarity": "sentence-similarity",
}

_ARCHITECTURES: tuple[tuple[str, str], ...] = (
    ("ForSequenceClassification", "text-classification"),
    ("ForTokenClassification", "token-classification"),
    ("ForQuestionAnswering", "question-answering"),
    ("ForMaskedLM", "fill-mask"),
)

SUPPORTED_TASKS: tuple[str, ...] = tuple(_MODULES)


def normalise_task(name: str | None) -> str | None:
    """Our task id for a card's task name, or None when unsupported / unnamed.

    >>> normalise_task("Sentiment Analysis")
    'text-classification'
    """
    if not name:
        return None
    key = "-".join(name.strip().lower().replace("_", " ").split())
    return TASK_ALIASES.get(key)


def task_from_model(folder: Path, config: Mapping[str, Any]) -> str | None:
    """The task a model folder is built for, from its files and ``architectures``."""
    if (folder / "modules.json").is_file():
        return "sentence-similarity"
    archs = config.get("architectures")
    if isinstance(archs, Sequence) and not isinstance(archs, str):
        for arch in archs:
            for suffix, task in _ARCHITECTURES:
                if isinstance(arch, str) and arch.endswith(suffix):
                    return task
    return None


def task_module(task: str) -> ModuleType:
    """Import the module of ``task`` (needs the eval extra)."""
    return importlib.import_module(_MODULES[task])
