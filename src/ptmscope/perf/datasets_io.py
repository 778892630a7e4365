"""Read the evaluation data a claim names, from local sources only.

Accepted ``--data`` values:

* a folder written by ``datasets``' ``save_to_disk`` (a ``DatasetDict`` with splits, or one
  ``Dataset``); ``ClassLabel`` names are kept so labels can be mapped by name;
* a CSV, JSON Lines (``.jsonl``/``.json``) or Parquet file (read with pyarrow; the file *is*
  the split);
* a folder holding one such file per split (``test.csv``, ``validation.jsonl``,
  ``test-00000-of-00001.parquet``, also under ``data/``);
* a dataset name (``imdb``, ``glue``) present in the local Hugging Face cache, loaded with
  ``datasets`` offline (no download ever happens).

Nothing is executed: ``datasets`` folders and files are data; dataset *scripts* are never run
(``trust_remote_code`` stays off).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ptmscope.errors import EvaluationDataError

_FILE_SUFFIXES = (".csv", ".jsonl", ".json", ".parquet")


@dataclass(frozen=True, slots=True)
class LoadedSplit:
    """One split of evaluation data, as plain Python columns.

    Attributes:
        columns: column name -> values (row order kept).
        class_names: for ``ClassLabel`` columns (or sequences of them), the label names.
        n_rows: number of rows (after ``limit``).
        source: where it was read from.
        split: the split name when the source had splits, else None.
        total_rows: rows in the split before ``limit``.
    """

    columns: Mapping[str, list[Any]]
    class_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    n_rows: int = 0
    source: str = ""
    split: str | None = None
    total_rows: int = 0


def _from_table(table: Any, source: str, split: str | None, limit: int | None) -> LoadedSplit:
    total = int(table.num_rows)
    if limit is not None:
        table = table.slice(0, max(0, limit))
    columns = {name: table.column(name).to_pylist() for name in table.column_names}
    return LoadedSplit(columns, {}, int(table.num_rows), source, split, total)


def read_table_file(path: Path, limit: int | None = None, split: str | None = None) -> LoadedSplit:
    """Read a CSV / JSON Lines / Parquet file with pyarrow.

    Raises:
        EvaluationDataError: unknown suffix or unreadable file.
    """
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]

    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            from pyarrow import csv

            table = csv.read_csv(path)
        elif suffix in (".jsonl", ".json"):
            from pyarrow import json as pa_json

            table = pa_json.read_json(path)
        elif suffix == ".parquet":
            from pyarrow import parquet

            table = parquet.read_table(path)
        else:
            raise EvaluationDataError(
                f"{path}: unsupported data file type {suffix or '(none)'}",
                hint="Use a datasets folder, .csv, .jsonl or .parquet.",
            )
    except (pa.ArrowInvalid, OSError) as err:
        raise EvaluationDataError(f"{path}: cannot read: {err}") from err
    return _from_table(table, str(path), split, limit)


def _class_names(features: Any) -> dict[str, tuple[str, ...]]:
    from datasets import ClassLabel

    out: dict[str, tuple[str, ...]] = {}
    for name, feature in features.items():
        inner = getattr(feature, "feature", None)
        if isinstance(feature, ClassLabel):
            out[name] = tuple(feature.names)
        elif isinstance(inner, ClassLabel):
            out[name] = tuple(inner.names)
    return out


def _from_dataset(ds: Any, source: str, split: str | None, limit: int | None) -> LoadedSplit:
    total = len(ds)
    if limit is not None and limit < total:
        ds = ds.select(range(max(0, limit)))
    columns = {k: list(v) for k, v in ds.to_dict().items()}
    return LoadedSplit(columns, _class_names(ds.features), len(ds), source, split, total)


def _pick_split(available: list[str], split: str, source: str) -> str:
    if split in available:
        return split
    raise EvaluationDataError(
        f"{source}: no split {split!r} (available: {', '.join(sorted(available)) or 'none'})",
        hint="Choose one with --split.",
    )


def _split_file(folder: Path, split: str) -> Path | None:
    """A file holding ``split`` inside ``folder`` (``test.csv``, ``data/test-0000.parquet``)."""
    for base in (folder, folder / "data"):
        if not base.is_dir():
            continue
        for suffix in _FILE_SUFFIXES:
            exact = base / f"{split}{suffix}"
            if exact.is_file():
                return exact
        shards = sorted(base.glob(f"{split}-*.parquet"))
        if shards:
            return shards[0] if len(shards) == 1 else None
    return None


@contextmanager
def _offline() -> Iterator[None]:
    """Force datasets and huggingface_hub offline for the duration (they read env at import)."""
    import datasets.config
    from huggingface_hub import constants

    saved = (datasets.config.HF_HUB_OFFLINE, constants.HF_HUB_OFFLINE)
    datasets.config.HF_HUB_OFFLINE = constants.HF_HUB_OFFLINE = True
    try:
        yield
    finally:
        datasets.config.HF_HUB_OFFLINE, constants.HF_HUB_OFFLINE = saved


def _load_cached(name: str, config: str | None, split: str, limit: int | None) -> LoadedSplit:
    """Load ``name`` from the local Hugging Face cache, never downloading."""
    try:
        import datasets

        with _offline():
            ds = datasets.load_dataset(name, config, split=split)
    except Exception as err:  # datasets raises many kinds; all mean "not usable here"
        raise EvaluationDataError(
            f"{name}: not a local path, and not loadable from the local Hugging Face cache "
            f"({type(err).__name__})",
            hint="Pass a local file or a folder saved with datasets' save_to_disk.",
        ) from err
    return _from_dataset(ds, f"hf-cache:{name}", split, limit)


def load_split(
    data: str | Path, *, split: str = "test", limit: int | None = None,
    config: str | None = None,
) -> LoadedSplit:
    """Load one split of evaluation data.

    Args:
        data: a path (folder or file) or a dataset name in the local Hugging Face cache.
        split: the split to read when the source has several.
        limit: keep only the first ``limit`` rows.
        config: dataset configuration, for the Hugging Face cache.
    Returns:
        the split as columns.
    Raises:
        EvaluationDataError: the data or the split is missing or unreadable.

    Example:
        >>> load_split("tests/data/sst2.csv", limit=10)  # doctest: +SKIP
    """
    path = Path(data)
    if path.is_file():
        return read_table_file(path, limit)
    if path.is_dir():
        if (path / "dataset_dict.json").is_file():
            import datasets

            dd = datasets.load_from_disk(str(path))
            chosen = _pick_split(list(dd.keys()), split, str(path))
            return _from_dataset(dd[chosen], str(path), chosen, limit)
        if (path / "state.json").is_file():
            import datasets

            return _from_dataset(datasets.load_from_disk(str(path)), str(path), None, limit)
        found = _split_file(path, split)
        if found is not None:
            return read_table_file(found, limit, split)
        raise EvaluationDataError(
            f"{path}: no datasets folder and no {split}.csv/.jsonl/.parquet file in it",
            hint="Pass a file, a save_to_disk folder, or choose another --split.",
        )
    text = str(data)
    if looks_like_dataset_name(text):
        return _load_cached(text, config, split, limit)
    raise EvaluationDataError(f"{data}: no such file or folder")


def looks_like_dataset_name(text: str) -> bool:
    """Whether ``text`` reads as a dataset name (``glue`` or ``org/name``), not a path.

    >>> looks_like_dataset_name("acme-nlp/reviews"), looks_like_dataset_name("./x.csv")
    (True, False)
    """
    return bool(text) and (
        not text.startswith((".", "/", "~")) and text.count("/") <= 1
        and not text.lower().endswith(_FILE_SUFFIXES)
    )
