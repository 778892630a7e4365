"""Family manifests: which upstream repo and which Hugging Face variants make each family.

Two shapes are accepted:

* CSV with a header. Column names are matched case-insensitively with aliases, so the
  synchronization study's ``complete_dataset.csv`` (``family``, ``cleaned_github``,
  ``model_name``) is read as it is: one row per variant, rows grouped by family.
* YAML: ``families: [{id, upstream, upstream_path?, variants: [id | {id, path}]}]``, where
  ``*_path`` entries point to local clones (relative to the manifest) to ingest as well.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ptmscope.errors import ManifestError, SourceNotFoundError
from ptmscope.records import FamilyId, FamilyRecord, Platform, RepoId, repo_id

MAX_MANIFEST_BYTES = 64 * 1024 * 1024
_FAMILY_COLS = ("family", "family_id", "family id")
_UPSTREAM_COLS = ("cleaned_github", "upstream", "github", "upstream_repo", "github_url")
_VARIANT_COLS = ("model_name", "variant", "model_id", "hf_id", "variant_id", "model")
_GITHUB = re.compile(r"github\.com[/:]([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)")
_HF_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


@dataclass(frozen=True, slots=True)
class LocalMember:
    """A local clone named by a YAML manifest, to ingest with the given platform and name."""

    path: Path
    platform: Platform
    name: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """A parsed manifest: the families, and local clones it names (YAML only)."""

    families: tuple[FamilyRecord, ...]
    local_members: tuple[LocalMember, ...] = ()


def github_repo_id(url: str | None) -> RepoId | None:
    """``github:owner/repo`` for a GitHub URL (tree/blob sub-paths ignored), else None."""
    if not url:
        return None
    m = _GITHUB.search(url)
    if m is None:
        return None
    return repo_id(Platform.GITHUB, f"{m.group(1)}/{m.group(2).removesuffix('.git')}")


def _pick(header: list[str], aliases: tuple[str, ...], what: str, source: Path) -> int:
    lowered = [h.strip().lower() for h in header]
    for alias in aliases:
        if alias in lowered:
            return lowered.index(alias)
    raise ManifestError(
        f"{source}: missing column for {what} (one of: {', '.join(aliases)}); "
        f"found: {', '.join(h.strip() for h in header[:12])}"
    )


def read_csv_manifest(path: Path, text: str) -> Manifest:
    """Parse a CSV (or, for ``.tsv`` files, tab-separated) manifest: one row per variant."""
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as err:  # e.g. a cell longer than csv.field_size_limit() (128 KiB)
        raise ManifestError(f"{path}: not a readable CSV file: {err}") from err
    if not rows:
        raise ManifestError(f"{path}: empty manifest")
    header, body = rows[0], rows[1:]
    fam_col = _pick(header, _FAMILY_COLS, "the family id", path)
    up_col = _pick(header, _UPSTREAM_COLS, "the upstream repository", path)
    var_col = _pick(header, _VARIANT_COLS, "the Hugging Face variant id", path)
    upstreams: dict[str, str] = {}
    variants: dict[str, list[str]] = {}
    for line_no, row in enumerate(body, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(fam_col, up_col, var_col):
            raise ManifestError(f"{path}:{line_no}: row has {len(row)} cells, header {len(header)}")
        family, upstream, variant = row[fam_col].strip(), row[up_col].strip(), row[var_col].strip()
        if not family:
            raise ManifestError(f"{path}:{line_no}: empty family id")
        if variant and not _HF_ID.match(variant):
            raise ManifestError(
                f"{path}:{line_no}: {variant!r} is not a Hugging Face id (org/name)"
            )
        upstreams.setdefault(family, upstream)
        bucket = variants.setdefault(family, [])
        if variant and variant not in bucket:
            bucket.append(variant)
    families = tuple(
        FamilyRecord(
            family_id=FamilyId(fid),
            upstream=upstreams[fid] or None,
            upstream_repo_id=github_repo_id(upstreams[fid]),
            variants=tuple(variants[fid]),
            source=str(path),
        )
        for fid in sorted(variants)
    )
    return Manifest(families)


def _variant_entry(entry: Any, where: str) -> tuple[str, str | None]:
    if isinstance(entry, str):
        return entry, None
    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
        local = entry.get("path")
        return entry["id"], local if isinstance(local, str) else None
    raise ManifestError(f"{where}: a variant must be an id or a mapping with 'id'")


def read_yaml_manifest(path: Path, text: str) -> Manifest:
    """Parse a YAML manifest."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ManifestError(f"{path}: broken YAML: {str(err).splitlines()[0]}") from err
    entries = data.get("families") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise ManifestError(f"{path}: expected a list under 'families'")
    families: list[FamilyRecord] = []
    members: list[LocalMember] = []
    for index, entry in enumerate(entries):
        where = f"{path}: families[{index}]"
        if not isinstance(entry, dict):
            raise ManifestError(f"{where}: must be a mapping")
        fid = entry.get("id", entry.get("family"))
        if not isinstance(fid, str) or not fid:
            raise ManifestError(f"{where}: missing 'id'")
        upstream = entry.get("upstream")
        if upstream is not None and not isinstance(upstream, str):
            raise ManifestError(f"{where}: 'upstream' must be a URL string")
        raw_variants = entry.get("variants") or []
        if not isinstance(raw_variants, list):
            raise ManifestError(f"{where}: 'variants' must be a list")
        variant_ids: list[str] = []
        for v in raw_variants:
            vid, local = _variant_entry(v, where)
            if not _HF_ID.match(vid):
                raise ManifestError(f"{where}: {vid!r} is not a Hugging Face id (org/name)")
            variant_ids.append(vid)
            if local:
                members.append(LocalMember(path.parent / local, Platform.HUGGINGFACE, vid))
        up_id = github_repo_id(upstream)
        up_path = entry.get("upstream_path")
        if isinstance(up_path, str) and up_id is not None:
            members.append(
                LocalMember(path.parent / up_path, Platform.GITHUB, up_id.split(":", 1)[1])
            )
        families.append(FamilyRecord(FamilyId(fid), upstream, up_id, tuple(variant_ids), str(path)))
    return Manifest(tuple(families), tuple(members))


def read_manifest(path: Path) -> Manifest:
    """Read a CSV or YAML family manifest.

    Raises:
        SourceNotFoundError: no such file.
        ManifestError: the file is malformed; the message names the file, line or column.
    """
    if not path.is_file():
        raise SourceNotFoundError(f"{path}: no such manifest file")
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
    except OSError as err:
        raise ManifestError(f"{path}: cannot read: {err.strerror}") from err
    if len(raw) > MAX_MANIFEST_BYTES:
        raise ManifestError(f"{path}: larger than {MAX_MANIFEST_BYTES} bytes")
    text = raw.decode("utf-8-sig", "replace")
    if path.suffix.lower() in (".yaml", ".yml"):
        return read_yaml_manifest(path, text)
    return read_csv_manifest(path, text)


def is_manifest(path: Path) -> bool:
    """True when ``path`` names a manifest file (by suffix; content is validated on read)."""
    return path.is_file() and path.suffix.lower() in (".csv", ".tsv", ".yaml", ".yml")
