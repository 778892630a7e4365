"""Test data for the attribute audit, built in code: cards (good and broken), repos, snapshots."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from ptmscope.attributes.facts import CommitSummary, ModelFacts, build_facts
from ptmscope.formats.safetensors import HeaderProblem, SafetensorsHeader, safetensors_bytes
from ptmscope.records import (
    CardRecord,
    CommitRecord,
    CommitSha,
    FileRecord,
    Platform,
    RepoRecord,
    RepoSnapshot,
    repo_id,
)

GOOD_CARD = """\
---
license: apache-2.0
language: en
library_name: transformers
pipeline_tag: text-classification
datasets:
- glue
base_model: google-bert/bert-base-uncased
base_model_relation: finetune
tags:
- arxiv:1810.04805
model-index:
- name: good-model
  results:
  - task:
      type: text-classification
      name: Text Classification
    dataset:
      type: glue
      name: GLUE SST-2
      config: sst2
      split: validation
    metrics:
    - type: accuracy
      value: 0.925
      verified: false
---
# good-model

## Model Details

A BERT fine-tuned on SST-2. Code: https://github.com/example-org/good-model

## Uses

Sentiment classification of English sentences.

## Bias, Risks, and Limitations

It inherits the biases of BERT and of movie reviews.

## How to Get Started with the Model

```python
# Usage: this line is a comment, not a heading
from transformers import pipeline
clf = pipeline("text-classification", model="org/good-model")
```

## Training Details

### Training procedure

Fine-tuned for 3 epochs on 1x A100 GPU; needs 2 GB of GPU memory for inference.

### Training hyperparameters

- learning_rate: 2e-05
- train_batch_size: 32

### Framework versions

- Transformers 4.44.0

## Evaluation

Accuracy 92.5 on the SST-2 validation split.

## Environmental Impact

About 1 kg CO2.

## Technical Specifications

BERT base, 110M parameters.

## Citation

```bibtex
@article{devlin2018bert, title={BERT}}
```
"""

BASE_TIME = datetime(2026, 10, 1, tzinfo=UTC)


def hf_repo(name: str = "org/model", **metadata: Any) -> RepoRecord:
    """A Hugging Face repo record."""
    return RepoRecord(repo_id(Platform.HUGGINGFACE, name), Platform.HUGGINGFACE, name,
                      "test", metadata=metadata)


def card_of(repo: RepoRecord, text: str, **kwargs: Any) -> CardRecord:
    """A card record holding ``text`` (metadata left for the audit to parse)."""
    return CardRecord(repo.repo_id, "README.md", text, kwargs.pop("yaml_text", None),
                      kwargs.pop("metadata", None), "", **kwargs)


def facts_for(
    text: str | None,
    files: Sequence[str] = (),
    *,
    name: str = "org/model",
    headers: Sequence[SafetensorsHeader | HeaderProblem] = (),
    commits: CommitSummary | None = None,
    **repo_meta: Any,
) -> ModelFacts:
    """Facts for a model with card ``text`` (None: no card) and files named ``files``."""
    repo = hf_repo(name, **repo_meta)
    card = None if text is None else card_of(repo, text)
    records = [FileRecord(repo.repo_id, path, size=100) for path in files]
    return build_facts(repo, card, records, commits or CommitSummary(), headers,
                       as_of=BASE_TIME)


#: numpy dtypes of the safetensors dtypes test files use.
_NUMPY_DTYPES = {"F32": "<f4", "F16": "<f2", "I8": "i1"}


def zeroed_safetensors(tensors: dict[str, tuple[str, list[int]]]) -> bytes:
    """A real (tiny) safetensors file of zeroed tensors given as ``name: (dtype, shape)``."""
    arrays = {name: np.zeros(shape, dtype=_NUMPY_DTYPES[dtype])
              for name, (dtype, shape) in tensors.items()}
    return safetensors_bytes(arrays, {"format": "pt"})


def snapshot(
    name: str,
    card_text: str | None,
    files: dict[str, bytes] | None = None,
    folder: Path | None = None,
    commits: int = 2,
    **meta: Any,
) -> RepoSnapshot:
    """A snapshot with a card, files written under ``folder`` and a short history."""
    repo = hf_repo(name, **meta)
    records: list[FileRecord] = []
    for path, content in (files or {}).items():
        local = None
        if folder is not None:
            target = folder / name.replace("/", "__") / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            local = str(target)
        records.append(FileRecord(repo.repo_id, path, size=len(content), local_path=local))
    history = tuple(
        CommitRecord(repo.repo_id, CommitSha(f"{abs(hash(name)) % 10**8:08x}{n:032x}"), "a",
                     "a@example.org", BASE_TIME - timedelta(days=10 * n), "a", "a@example.org",
                     BASE_TIME - timedelta(days=10 * n), f"commit {n}")
        for n in range(commits)
    )
    card = None if card_text is None else card_of(repo, card_text)
    return RepoSnapshot(repo=repo, commits=history, files=tuple(records), card=card)


#: Broken inputs the audit must survive, as (id, card text or None).
BAD_CARDS: tuple[tuple[str, str | None], ...] = (
    ("no-card", None),
    ("empty-card", ""),
    ("yaml-is-a-list", "---\n- a\n- b\n---\n# Title\n"),
    ("yaml-does-not-parse", "---\nlicense: [mit\n---\nbody\n"),
    ("tabs-in-yaml", "---\nlicense: mit\ndatasets:\n\t- glue\n---\n# T\n"),
    ("windows-line-breaks", GOOD_CARD.replace("\n", "\r\n")),
    ("non-utf8-replaced", "---\nlicense: mit\n---\n# Caf\ufffd \ufffd\ufffd\n\x00\x01 text\n"),
    ("model-index-is-a-string", "---\nmodel-index: nope\n---\n"),
    ("model-index-wrong-shape", "---\nmodel-index:\n- results: {task: 1}\n- 3\n---\n"),
    ("huge-card", "---\nlicense: mit\n---\n" + ("## Usage\n" + "word " * 200 + "\n") * 5000),
)
