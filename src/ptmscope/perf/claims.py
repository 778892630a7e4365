"""Performance claims read from a model card's ``model-index``.

The card's YAML front matter may hold a ``model-index`` (the Hub's machine-readable results
table). We flatten it with huggingface_hub's ``model_index_to_eval_results``; when that
refuses a malformed index we walk the raw YAML tolerantly, keeping every entry that still
names a metric, so one broken entry does not hide the others.

Values are kept as written (``raw_value``) and parsed to a float when they are numeric or a
string such as ``"91.3"``, ``"91.3 ± 0.2"`` or ``"91.3%"`` (the percent sign is remembered:
whether 91.3 fits the metric's scale is decided later, in ``verify``, not guessed here).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ptmscope.records import CardRecord, JsonDict

#: Bound on the README bytes read from a local model folder.
MAX_CARD_BYTES = 1_000_000

_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


@dataclass(frozen=True, slots=True)
class Claim:
    """One claimed metric value.

    Attributes:
        task_type: the task the claim is about (``text-classification``...), "" when unnamed.
        dataset_type: the dataset id the claim names (``imdb``, ``glue``...).
        dataset_name: its pretty name.
        dataset_config: the dataset configuration (``sst2``), when given.
        dataset_split: the split (``test``, ``validation``), when given.
        metric_type: the metric id as written (``accuracy``, ``f1``...).
        metric_name: its pretty name, when given.
        value: the value parsed as a float, or None when it is not numeric.
        raw_value: the value exactly as written, as text.
        percent_sign: True when the written value carried a ``%``.
        metric_args: arguments the card gives for the metric (``{"average": "macro"}``).
        model_name: the ``name`` of the model-index entry.
    """

    task_type: str
    dataset_type: str
    dataset_name: str
    metric_type: str
    value: float | None
    raw_value: str
    dataset_config: str | None = None
    dataset_split: str | None = None
    metric_name: str | None = None
    percent_sign: bool = False
    metric_args: JsonDict = field(default_factory=dict)
    model_name: str = ""

    @property
    def label(self) -> str:
        """A short human name: ``accuracy on imdb (test)``."""
        data = self.dataset_type or self.dataset_name or "unnamed data"
        if self.dataset_config:
            data += f"/{self.dataset_config}"
        split = f" ({self.dataset_split})" if self.dataset_split else ""
        return f"{self.metric_type} on {data}{split}"


@dataclass(frozen=True, slots=True)
class ClaimSet:
    """What a card claims, plus what could not be read.

    Attributes:
        claims: every claim found, in card order.
        problems: human notes about entries that were skipped (malformed index...).
        has_model_index: True when the card had a ``model-index`` key at all.
    """

    claims: tuple[Claim, ...] = ()
    problems: tuple[str, ...] = ()
    has_model_index: bool = False


def parse_value(raw: Any) -> tuple[float | None, bool]:
    """Parse a claimed value to ``(number, had_percent_sign)``.

    >>> parse_value("91.3 ± 0.2")
    (91.3, False)
    >>> parse_value("0.9%")
    (0.9, True)
    >>> parse_value("n/a")
    (None, False)
    """
    if isinstance(raw, bool):
        return None, False
    if isinstance(raw, int | float):
        number = float(raw)
        return (number if number == number else None), False  # NaN is not a claim
    if isinstance(raw, str):
        match = _NUMBER.search(raw)
        if match is None:
            return None, False
        return float(match.group(0)), "%" in raw
    return None, False


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _optional_text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _claim_from_parts(
    model_name: str, task: Mapping[str, Any], dataset: Mapping[str, Any],
    metric: Mapping[str, Any],
) -> Claim:
    value, percent = parse_value(metric.get("value"))
    args = metric.get("args")
    return Claim(
        task_type=_text(task.get("type")),
        dataset_type=_text(dataset.get("type")),
        dataset_name=_text(dataset.get("name")),
        dataset_config=_optional_text(dataset.get("config")),
        dataset_split=_optional_text(dataset.get("split")),
        metric_type=_text(metric.get("type")),
        metric_name=_optional_text(metric.get("name")),
        value=value,
        raw_value=_text(metric.get("value")),
        percent_sign=percent,
        metric_args=dict(args) if isinstance(args, Mapping) else {},
        model_name=model_name,
    )


def _claims_with_hub(model_index: list[dict[str, Any]]) -> tuple[Claim, ...]:
    """Flatten with huggingface_hub (raises on malformed entries)."""
    from huggingface_hub.repocard_data import model_index_to_eval_results

    name, results = model_index_to_eval_results(model_index)
    claims = []
    for r in results:
        value, percent = parse_value(r.metric_value)
        claims.append(Claim(
            task_type=_text(r.task_type), dataset_type=_text(r.dataset_type),
            dataset_name=_text(r.dataset_name), dataset_config=_optional_text(r.dataset_config),
            dataset_split=_optional_text(r.dataset_split), metric_type=_text(r.metric_type),
            metric_name=_optional_text(r.metric_name), value=value,
            raw_value=_text(r.metric_value), percent_sign=percent,
            metric_args=dict(r.metric_args) if isinstance(r.metric_args, Mapping) else {},
            model_name=_text(name),
        ))
    return tuple(claims)


def _claims_from_raw(model_index: Any) -> tuple[tuple[Claim, ...], tuple[str, ...]]:
    """Walk a possibly malformed model-index, keeping whatever names a metric."""
    claims: list[Claim] = []
    problems: list[str] = []
    entries = model_index if isinstance(model_index, list) else [model_index]
    for entry_no, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            problems.append(f"model-index entry {entry_no} is not a mapping")
            continue
        name = _text(entry.get("name"))
        results = entry.get("results")
        if not isinstance(results, list):
            problems.append(f"model-index entry {entry_no} has no results list")
            continue
        for res_no, result in enumerate(results):
            if not isinstance(result, Mapping):
                problems.append(f"result {res_no} is not a mapping")
                continue
            task = result.get("task") if isinstance(result.get("task"), Mapping) else {}
            dataset = result.get("dataset") if isinstance(result.get("dataset"), Mapping) else {}
            metrics = result.get("metrics")
            if not isinstance(metrics, list) or not metrics:
                problems.append(f"result {res_no} lists no metrics")
                continue
            for metric in metrics:
                if not isinstance(metric, Mapping) or not metric.get("type"):
                    problems.append(f"result {res_no} has a metric without a type")
                    continue
                claims.append(_claim_from_parts(name, task or {}, dataset or {}, metric))
    return tuple(claims), tuple(problems)


def claims_from_metadata(metadata: Mapping[str, Any] | None) -> ClaimSet:
    """Extract the claims of a card's parsed YAML metadata.

    Args:
        metadata: the front matter as a mapping (``CardRecord.metadata``), or None.
    Returns:
        a ``ClaimSet``; empty (``has_model_index`` False) when there is no model-index.

    Example:
        >>> meta = {"model-index": [{"name": "m", "results": [{"task": {"type":
        ...     "text-classification"}, "dataset": {"type": "imdb", "name": "IMDB"},
        ...     "metrics": [{"type": "accuracy", "value": 0.9}]}]}]}
        >>> claims_from_metadata(meta).claims[0].value
        0.9
    """
    if not metadata or "model-index" not in metadata:
        return ClaimSet()
    model_index = metadata["model-index"]
    if not model_index:
        return ClaimSet(problems=("model-index is empty",), has_model_index=True)
    if isinstance(model_index, list):
        try:
            claims = _claims_with_hub([dict(e) for e in model_index])
        except Exception:  # noqa: S110 - malformed index: fall back to the tolerant walk
            pass
        else:
            return ClaimSet(claims=claims, has_model_index=True)
    claims, problems = _claims_from_raw(model_index)
    return ClaimSet(claims=claims, problems=problems, has_model_index=True)


def claims_from_card(card: CardRecord | None) -> ClaimSet:
    """Claims of a stored card (``None`` gives an empty set)."""
    if card is None:
        return ClaimSet()
    if card.metadata is None and card.parse_error:
        return ClaimSet(problems=(f"card front matter does not parse: {card.parse_error}",))
    return claims_from_metadata(card.metadata)


def split_front_matter(text: str) -> tuple[str | None, str]:
    """Split a card into (YAML text or None, body)."""
    if not text.startswith("---"):
        return None, text
    lines = text.splitlines(keepends=True)
    for i in range(1, len(lines)):
        if lines[i].rstrip() == "---":
            return "".join(lines[1:i]), "".join(lines[i + 1:])
    return None, text


def load_card_metadata(folder: Path) -> tuple[dict[str, Any] | None, str, str | None]:
    """Read ``README.md`` of a local model folder, bounded.

    Returns:
        ``(metadata or None, body, problem or None)``.
    """
    import yaml

    readme = folder / "README.md"
    if not readme.is_file():
        return None, "", "no README.md"
    with readme.open("rb") as fh:
        text = fh.read(MAX_CARD_BYTES).decode("utf-8", errors="replace")
    yaml_text, body = split_front_matter(text)
    if yaml_text is None:
        return None, body, None
    try:
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError as err:
        return None, body, f"front matter does not parse: {str(err).splitlines()[0]}"
    if not isinstance(data, dict):
        return None, body, "front matter is not a mapping"
    return data, body, None


def claims_from_folder(folder: Path) -> ClaimSet:
    """Claims of the README.md in a local model folder."""
    metadata, _body, problem = load_card_metadata(folder)
    if metadata is None:
        return ClaimSet(problems=(problem,) if problem else ())
    return claims_from_metadata(metadata)


def select_claims(claims: Sequence[Claim], task_types: Sequence[str] = ()) -> tuple[Claim, ...]:
    """The claims about one of ``task_types`` (all when none are given or the task is unnamed)."""
    if not task_types:
        return tuple(claims)
    return tuple(c for c in claims if not c.task_type or c.task_type in task_types)
