"""Mine a plain model folder with no git: a ``snapshot_download`` folder or a Hugging Face
cache snapshot (``models--org--name/snapshots/<sha>/``).

There is no history, so the snapshot has files and the card only. In the Hub cache, files are
symlinks into ``blobs/``, whose names are the LFS sha256 (64 hex) or the git blob id (40 hex):
that is recorded without hashing gigabytes. Symlinks leading outside the model's cache entry
(or outside the folder) are not followed.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

from ptmscope.errors import NotARepositoryError, SourceError, SourceNotFoundError
from ptmscope.records import FileRecord, Platform, RepoId, RepoRecord, RepoSnapshot
from ptmscope.sources.card import CARD_NAMES, MAX_CARD_BYTES, parse_card
from ptmscope.sources.detect import detect_platform, name_from_folder
from ptmscope.sources.lfs import MAX_POINTER_BYTES, parse_lfs_pointer

#: Folders with more files than this are refused (a model folder has tens to hundreds).
MAX_FILES = 100_000
#: Git blob ids are computed for files up to this size (weights are identified by LFS oid).
BLOB_ID_MAX_BYTES = 1 << 20
_SKIP_DIRS = {".git", ".cache", "__pycache__", ".ipynb_checkpoints"}
_SNAPSHOT = re.compile(r"^[0-9a-f]{40}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_HEX40 = re.compile(r"^[0-9a-f]{40}$")


def git_blob_id(data: bytes) -> str:
    """The git blob id (sha1 of ``blob <len>\\0<data>``) of ``data``."""
    digest = hashlib.sha1(b"blob %d\x00" % len(data), usedforsecurity=False)
    digest.update(data)
    return digest.hexdigest()


def _cache_root(folder: Path) -> Path | None:
    """The ``models--org--name`` folder when ``folder`` is a cache snapshot."""
    if _SNAPSHOT.match(folder.name) and folder.parent.name == "snapshots":
        return folder.parent.parent
    return None


def _read_bounded(path: Path, limit: int) -> bytes:
    with path.open("rb") as handle:
        return handle.read(limit)


def storable(text: str) -> str:
    """``text`` with undecodable file-name bytes (held as surrogates by ``os``) replaced by
    U+FFFD, as git paths are decoded: the store only takes valid UTF-8."""
    return os.fsencode(text).decode("utf-8", "replace")


def _file_record(rid: RepoId, folder: Path, path: Path, trusted_root: Path) -> FileRecord | None:
    rel = storable(path.relative_to(folder).as_posix())
    target = path.resolve()
    if trusted_root not in target.parents and target != trusted_root:
        return FileRecord(repo_id=rid, path=rel, security={"symlink_outside": True})
    try:
        info = target.stat()
    except OSError:
        return FileRecord(repo_id=rid, path=rel)
    if not stat.S_ISREG(info.st_mode):
        # Sockets, FIFOs and devices are never opened: a FIFO would block the read forever.
        return FileRecord(repo_id=rid, path=rel, security={"not_a_regular_file": True})
    size = info.st_size
    lfs_sha = lfs_size = blob = None
    if path.is_symlink() and _HEX64.match(target.name):
        lfs_sha, lfs_size = target.name, size
    elif path.is_symlink() and _HEX40.match(target.name):
        blob = target.name
    if size <= BLOB_ID_MAX_BYTES and blob is None and lfs_sha is None:
        try:
            data = _read_bounded(target, BLOB_ID_MAX_BYTES)
        except OSError as err:
            raise SourceError(f"{path}: cannot read: {err.strerror}") from err
        blob = git_blob_id(data)
        if size <= MAX_POINTER_BYTES and (pointer := parse_lfs_pointer(data)) is not None:
            lfs_sha, lfs_size = pointer.sha256, pointer.size
    return FileRecord(
        repo_id=rid,
        path=rel,
        size=size,
        blob_id=blob,
        lfs_sha256=lfs_sha,
        lfs_size=lfs_size,
        # A path that is not valid UTF-8 cannot be stored, so it cannot be reopened from the store.
        local_path=str(target) if storable(str(target)) == str(target) else None,
    )


def list_folder(folder: Path) -> list[Path]:
    """Files under ``folder`` (sorted; hidden tool folders skipped; bounded count)."""
    found: list[Path] = []
    for root, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        for name in sorted(names):
            found.append(Path(root) / name)
            if len(found) > MAX_FILES:
                raise SourceError(f"{folder}: more than {MAX_FILES} files; not a model folder?")
    return found


def mine_folder(
    folder: Path,
    *,
    platform: Platform | None = None,
    name: str | None = None,
    source: str | None = None,
) -> RepoSnapshot:
    """Mine a model folder without git history.

    Raises:
        SourceNotFoundError: the folder does not exist.
        NotARepositoryError: the folder holds nothing that looks like a model or code repo.
    """
    if not folder.exists():
        raise SourceNotFoundError(f"{folder}: no such file or folder")
    if not folder.is_dir():
        raise NotARepositoryError(
            f"{folder}: a file, not a model folder, a git repository or a manifest",
            hint="Manifests are .csv, .tsv, .yaml or .yml files; pass a folder otherwise.",
        )
    cache_root = _cache_root(folder.resolve())
    trusted = cache_root or folder.resolve()
    inferred = name or name_from_folder(folder)
    provisional = RepoId(f"unknown:{inferred}")
    files = [
        rec
        for p in list_folder(folder)
        if (rec := _file_record(provisional, folder, p, trusted)) is not None
    ]
    card = None
    card_file = next((folder / n for n in CARD_NAMES if (folder / n).is_file()), None)
    if card_file is not None:
        try:
            raw = _read_bounded(card_file.resolve(), MAX_CARD_BYTES + 1)
        except OSError as err:
            raise SourceError(f"{card_file}: cannot read: {err.strerror or err}") from err
        card = parse_card(provisional, card_file.name, raw)
    paths = [f.path for f in files]
    detected = platform or detect_platform(paths, card, files)
    if (
        platform is None
        and card is None
        and not any(
            p.endswith((".json", ".safetensors", ".bin", ".py", ".gguf", ".onnx", ".h5", ".pt"))
            for p in paths
        )
    ):
        raise NotARepositoryError(
            f"{folder}: no model card, config, weights or code here; not a model folder",
            hint="Pass --platform huggingface|github to ingest it anyway.",
        )
    rid = RepoId(f"{detected.value}:{inferred}")
    from dataclasses import replace

    return RepoSnapshot(
        repo=RepoRecord(
            repo_id=rid,
            platform=detected,
            name=inferred,
            source=source or str(folder),
            head=folder.resolve().name if cache_root is not None else None,
            has_git_history=False,
            line_counts_known=False,
            metadata={"hf_cache": cache_root is not None},
        ),
        files=tuple(replace(f, repo_id=rid) for f in files),
        card=None if card is None else replace(card, repo_id=rid),
        notes=("no git history: files and card only",),
    )
