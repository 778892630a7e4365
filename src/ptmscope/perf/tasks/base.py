"""What every task shares: model loading, column lookup, label mapping, batched inference.

Models are loaded from a local folder only (``local_files_only``), never with remote code, and
only from safetensors weights: a pickle-based ``pytorch_model.bin`` can execute code when
loaded, so such a model is "does not load" with that reason rather than a risk we take.

Label mapping follows ``config.json``'s ``id2label`` and never guesses: a dataset label that
is not one of the model's label names (case-insensitive), or an integer id outside the model's
range, is reported as an unknown label.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ptmscope.perf.datasets_io import LoadedSplit
from ptmscope.perf.reasons import NotVerifiable, Reason
from ptmscope.progress import NullProgress, Progress

MAX_CONFIG_BYTES = 2_000_000
_GENERIC_LABEL = re.compile(r"^label_(\d+)$")


@dataclass(frozen=True, slots=True)
class TaskResult:
    """A task's predictions plus what the reader should know about how they were made.

    Attributes:
        outputs: the metric outputs (``ptmscope.perf.metrics``).
        n_examples: examples evaluated.
        notes: remarks (labels mapped by id, examples truncated...).
        labels: the model's label names (classification tasks), else ().
    """

    outputs: Any
    n_examples: int
    notes: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()


def read_config(folder: Path) -> dict[str, Any]:
    """``config.json`` of a model folder as a dict (bounded read).

    Raises:
        NotVerifiable: MODEL_DOES_NOT_LOAD when it is missing or not JSON.
    """
    path = folder / "config.json"
    if not path.is_file():
        raise NotVerifiable(Reason.MODEL_DOES_NOT_LOAD, f"{folder}: no config.json")
    try:
        with path.open("rb") as fh:
            data = json.loads(fh.read(MAX_CONFIG_BYTES))
    except (OSError, ValueError) as err:
        raise NotVerifiable(Reason.MODEL_DOES_NOT_LOAD, f"config.json unreadable: {err}") from err
    if not isinstance(data, dict):
        raise NotVerifiable(Reason.MODEL_DOES_NOT_LOAD, "config.json is not an object")
    return data


def id2label(config: Mapping[str, Any]) -> tuple[str, ...]:
    """The model's label names indexed by id, from ``config.json`` (() when absent)."""
    raw = config.get("id2label")
    if not isinstance(raw, Mapping) or not raw:
        return ()
    try:
        pairs = sorted((int(k), str(v)) for k, v in raw.items())
    except (TypeError, ValueError):
        return ()
    if [k for k, _ in pairs] != list(range(len(pairs))):
        return ()
    return tuple(v for _, v in pairs)


def labels_are_generic(labels: Sequence[str]) -> bool:
    """True when every name is ``LABEL_<id>`` (transformers' placeholder names)."""
    for i, name in enumerate(labels):
        match = _GENERIC_LABEL.match(name.strip().lower())
        if match is None or int(match.group(1)) != i:
            return False
    return bool(labels)


@dataclass(frozen=True, slots=True)
class LabelMapping:
    """How dataset labels were turned into model ids."""

    ids: tuple[int, ...]
    note: str


def map_labels(
    values: Sequence[Any], model_labels: Sequence[str], class_names: Sequence[str] = ()
) -> LabelMapping:
    """Map dataset label values to the model's class ids through ``id2label``.

    Strings (or ``ClassLabel`` names) must equal a model label name (case-insensitive).
    Integers without names are taken as model ids and must be in range; integers with
    ``ClassLabel`` names are mapped by name, or by id when the model's names are only the
    generic ``LABEL_<id>`` placeholders.

    Raises:
        NotVerifiable: UNKNOWN_LABELS, listing a few of the labels that cannot be mapped.

    Example:
        >>> map_labels(["pos", "NEG"], ["neg", "pos"]).ids
        (1, 0)
    """
    if not model_labels:
        raise NotVerifiable(Reason.UNKNOWN_LABELS, "config.json has no id2label to map labels")
    by_name = {name.strip().lower(): i for i, name in enumerate(model_labels)}
    generic = labels_are_generic(model_labels)
    ids: list[int] = []
    unknown: dict[str, int] = {}
    note = "labels mapped by name through config.json id2label"
    for value in values:
        target: int | None = None
        if isinstance(value, bool) or value is None:
            target = None
        elif isinstance(value, int):
            if class_names and not generic:
                name = class_names[value] if 0 <= value < len(class_names) else None
                target = by_name.get(name.strip().lower()) if name is not None else None
            else:
                target = value if 0 <= value < len(model_labels) else None
                note = (
                    "dataset class ids taken as model ids (model labels are LABEL_<id>)"
                    if class_names else "integer labels taken as model class ids"
                )
        elif isinstance(value, str):
            target = by_name.get(value.strip().lower())
        if target is None:
            key = repr(value)[:40]
            unknown[key] = unknown.get(key, 0) + 1
        else:
            ids.append(target)
    if unknown:
        shown = ", ".join(f"{k} ({n}x)" for k, n in list(unknown.items())[:5])
        total = sum(unknown.values())
        raise NotVerifiable(
            Reason.UNKNOWN_LABELS,
            f"{total} of {len(values)} labels are not among the model's labels "
            f"({', '.join(model_labels[:8])}): {shown}",
        )
    return LabelMapping(tuple(ids), note)


def find_column(split: LoadedSplit, candidates: Sequence[str], what: str) -> str:
    """The first of ``candidates`` present in ``split`` (case-insensitive).

    Raises:
        NotVerifiable: COLUMN_MISSING naming the columns looked for and those present.
    """
    lowered = {c.lower(): c for c in split.columns}
    for cand in candidates:
        if cand.lower() in lowered:
            return lowered[cand.lower()]
    raise NotVerifiable(
        Reason.COLUMN_MISSING,
        f"no {what} column (looked for {', '.join(candidates)}; "
        f"found {', '.join(list(split.columns)[:12]) or 'none'})",
    )


def require_rows(split: LoadedSplit) -> None:
    """Raise EMPTY_SPLIT when the split has no rows."""
    if split.n_rows == 0:
        where = f"split {split.split!r} of " if split.split else ""
        raise NotVerifiable(Reason.EMPTY_SPLIT, f"{where}{split.source} has no rows")


def load_model(folder: Path, auto_class: str) -> tuple[Any, Any]:
    """Load tokenizer and model (``transformers.<auto_class>``) from a local folder, CPU.

    Raises:
        NotVerifiable: MODEL_DOES_NOT_LOAD with the first line of the cause.
    """
    if not any(folder.glob("*.safetensors")):
        pickles = [p.name for p in folder.glob("*.bin")] + [p.name for p in folder.glob("*.pt")]
        detail = (f"only pickle-based weights ({', '.join(pickles[:3])}); ptmscope evaluates "
                  "safetensors weights only, as loading a pickle can run code"
                  if pickles else "no safetensors weights in the folder")
        raise NotVerifiable(Reason.MODEL_DOES_NOT_LOAD, detail)
    try:
        import transformers

        # our own progress is shown; transformers' bars and warnings would interleave with it
        transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call, unused-ignore]
        transformers.utils.logging.set_verbosity_error()  # type: ignore[no-untyped-call, unused-ignore]
        tokenizer = transformers.AutoTokenizer.from_pretrained(
            str(folder), local_files_only=True, trust_remote_code=False)
        model = getattr(transformers, auto_class).from_pretrained(
            str(folder), local_files_only=True, trust_remote_code=False, use_safetensors=True)
    except Exception as err:  # any failure to load is a verdict, not a crash
        first = (str(err).strip().splitlines() or [type(err).__name__])[0][:300]
        raise NotVerifiable(Reason.MODEL_DOES_NOT_LOAD, f"{type(err).__name__}: {first}") from err
    model.eval()
    return tokenizer, model


def max_length(tokenizer: Any, model: Any, cap: int = 512) -> int:
    """The longest input the model takes (bounded by ``cap``)."""
    limits = [cap]
    tok_max = getattr(tokenizer, "model_max_length", None)
    if isinstance(tok_max, int) and 0 < tok_max < 100_000:
        limits.append(tok_max)
    pos = getattr(model.config, "max_position_embeddings", None)
    if isinstance(pos, int) and pos > 0:
        limits.append(pos)
    return min(limits)


def length_sorted_batches(lengths: Sequence[int], batch_size: int) -> Iterator[list[int]]:
    """Example indices in batches of similar length (less padding, faster CPU inference)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    for start in range(0, len(order), max(1, batch_size)):
        yield order[start:start + batch_size]


def run_batches(
    encodings: Mapping[str, Sequence[Any]], batch_size: int, progress: Progress | None,
    step: Callable[[list[int], dict[str, Any]], None], task: str, pad_id: int | None = 0,
) -> None:
    """Pad and feed length-sorted batches to ``step(indices, tensors)`` under inference mode.

    ``input_ids`` are padded with ``pad_id`` (the tokenizer's pad token), the other keys with 0.
    """
    import torch

    progress = progress or NullProgress()
    ids = encodings["input_ids"]
    keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in encodings]
    progress.start(task, total=len(ids))
    try:
        with torch.inference_mode():
            for batch in length_sorted_batches([len(x) for x in ids], batch_size):
                width = max(len(ids[i]) for i in batch)
                tensors: dict[str, Any] = {}
                for key in keys:
                    pad = (pad_id or 0) if key == "input_ids" else 0
                    rows = [list(encodings[key][i]) + [pad] * (width - len(encodings[key][i]))
                            for i in batch]
                    tensors[key] = torch.tensor(rows, dtype=torch.long)
                step(batch, tensors)
                progress.advance(len(batch))
    finally:
        progress.finish()

