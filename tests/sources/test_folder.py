"""Plain model folders: snapshot_download folders and Hugging Face cache snapshots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ptmscope.errors import NotARepositoryError, SourceNotFoundError
from ptmscope.records import Platform
from ptmscope.sources.folder import git_blob_id, mine_folder


def test_a_snapshot_download_folder_gives_files_and_card(tmp_path: Path) -> None:
    folder = tmp_path / "org" / "model"
    folder.mkdir(parents=True)
    (folder / "config.json").write_text('{"model_type": "bert"}')
    (folder / "README.md").write_bytes(b"---\r\nlicense: mit\r\n---\r\n# Card\r\n")
    (folder / "model.safetensors").write_bytes(b"\x08" + b"\x00" * 7 + b"{}      ")
    (folder / ".cache").mkdir()
    (folder / ".cache" / "ignored").write_text("x")
    snap = mine_folder(folder)
    assert snap.repo.repo_id == "huggingface:org/model"
    assert not snap.repo.has_git_history and snap.commits == ()
    assert [f.path for f in snap.files] == ["README.md", "config.json", "model.safetensors"]
    config = next(f for f in snap.files if f.path == "config.json")
    assert config.blob_id == git_blob_id(b'{"model_type": "bert"}')
    assert snap.card is not None and snap.card.metadata == {"license": "mit"}


def test_git_blob_ids_match_git() -> None:
    # `printf 'hello\n' | git hash-object --stdin`
    assert git_blob_id(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"


def test_a_hub_cache_snapshot_takes_name_revision_and_lfs_ids_from_the_layout(
    tmp_path: Path,
) -> None:
    entry = tmp_path / "hub" / "models--acme--tiny"
    blobs = entry / "blobs"
    snap_dir = entry / "snapshots" / ("1" * 40)
    blobs.mkdir(parents=True)
    snap_dir.mkdir(parents=True)
    weights = blobs / ("a" * 64)
    weights.write_bytes(b"w" * 2048)
    config = blobs / ("c" * 40)
    config.write_text("{}")
    os.symlink(os.path.relpath(weights, snap_dir), snap_dir / "model.safetensors")
    os.symlink(os.path.relpath(config, snap_dir), snap_dir / "config.json")
    snap = mine_folder(snap_dir)
    assert snap.repo.name == "acme/tiny" and snap.repo.head == "1" * 40
    files = {f.path: f for f in snap.files}
    assert files["model.safetensors"].lfs_sha256 == "a" * 64
    assert files["model.safetensors"].lfs_size == 2048
    assert files["config.json"].blob_id == "c" * 40


def test_symlinks_leaving_the_folder_are_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    folder = tmp_path / "o" / "m"
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{}")
    os.symlink(secret, folder / "leak.txt")
    files = {f.path: f for f in mine_folder(folder).files}
    assert files["leak.txt"].local_path is None
    assert files["leak.txt"].security == {"symlink_outside": True}


def test_a_folder_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x" / "notes").mkdir(parents=True)
    (tmp_path / "x" / "notes" / "todo.txt").write_text("buy milk")
    with pytest.raises(NotARepositoryError, match="not a model folder"):
        mine_folder(tmp_path / "x" / "notes")
    forced = mine_folder(tmp_path / "x" / "notes", platform=Platform.GITHUB)
    assert forced.repo.platform is Platform.GITHUB


def test_a_missing_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError):
        mine_folder(tmp_path / "nope")


def test_fifos_and_sockets_are_listed_but_never_opened(tmp_path: Path) -> None:
    folder = tmp_path / "o" / "m"
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{}")
    os.mkfifo(folder / "pipe")
    files = {f.path: f for f in mine_folder(folder).files}
    assert files["pipe"].security == {"not_a_regular_file": True}
    assert files["pipe"].local_path is None


def test_file_names_that_are_not_utf8_become_storable_text(tmp_path: Path) -> None:
    folder = tmp_path / "o" / "m"
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{}")
    (folder / os.fsdecode(b"caf\xe9.bin")).write_bytes(b"x")
    (folder / "new\nline.bin").write_bytes(b"y")
    files = {f.path: f for f in mine_folder(folder).files}
    assert set(files) == {"config.json", "caf\ufffd.bin", "new\nline.bin"}
    assert files["caf\ufffd.bin"].size == 1 and files["caf\ufffd.bin"].local_path is None
    for record in files.values():
        record.path.encode("utf-8")  # what the store needs


def test_a_file_that_is_not_a_manifest_says_what_sources_are_accepted(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n")
    with pytest.raises(NotARepositoryError, match="not a model folder, a git repository or a"):
        mine_folder(notes)
