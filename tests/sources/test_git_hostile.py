"""Hostile repositories: their config, remotes and symlinks must never make ptmscope run a
program or read a file outside the repository."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from ptmscope.sources import git as git_module
from ptmscope.sources import gitcmd
from ptmscope.sources.git import mine_git_repo


def _git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "a",
        "GIT_AUTHOR_EMAIL": "a@example.com",
        "GIT_COMMITTER_NAME": "a",
        "GIT_COMMITTER_EMAIL": "a@example.com",
    }
    proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, env=env, check=True)
    return proc.stdout.decode().strip()


def _marker_script(tmp_path: Path) -> tuple[Path, Path]:
    """A program that records each run in a marker file (and fails)."""
    marker = tmp_path / "MARKER"
    script = tmp_path / "evil.sh"
    script.write_text(f'#!/bin/sh\necho "$0 $*" >> "{marker}"\nexit 1\n')
    script.chmod(0o755)
    return script, marker


def _repo(path: Path, files: dict[str, bytes]) -> Path:
    path.mkdir(parents=True)
    _git(path, "init", "-q")
    for name, data in files.items():
        (path / name).write_bytes(data)
    _git(path, "add", "-A")
    _git(path, "commit", "-qm", "first")
    return path


def test_repository_config_naming_programs_never_runs_them(tmp_path: Path) -> None:
    script, marker = _marker_script(tmp_path)
    repo = _repo(
        tmp_path / "repo",
        {
            ".gitattributes": b"* diff=evil filter=evil\n",
            "config.json": b'{"a": 1}\n',
            "README.md": b"---\nlicense: mit\n---\nhi\n",
        },
    )
    (repo / "config.json").write_bytes(b'{"a": 2}\n')
    _git(repo, "commit", "-qam", "second")
    for key in (
        "core.fsmonitor",
        "diff.evil.textconv",
        "diff.evil.command",
        "diff.external",
        "filter.evil.clean",
        "filter.evil.smudge",
        "filter.evil.process",
        "core.pager",
        "pager.log",
        "gpg.program",
        "core.sshCommand",
        "core.askPass",
    ):
        _git(repo, "config", key, str(script))
    _git(repo, "config", "log.showSignature", "true")
    _git(repo, "config", "core.hooksPath", str(tmp_path))
    snap = mine_git_repo(repo)
    assert [c.message for c in snap.commits] == ["first", "second"]
    assert snap.repo.line_counts_known
    assert not marker.exists()


def test_a_promisor_remote_is_never_contacted_even_where_git_ignores_no_lazy_fetch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repository missing a blob and naming a promisor remote whose upload-pack is a program:
    git < 2.39.4 ignores GIT_NO_LAZY_FETCH and would lazily fetch, running that program."""
    script, marker = _marker_script(tmp_path)
    other = _repo(tmp_path / "other", {"x.txt": b"x\n"})
    repo = _repo(tmp_path / "repo", {"a.txt": b"hello\n"})
    (repo / "a.txt").write_bytes(b"hello again\n")
    _git(repo, "commit", "-qam", "second")
    blob = _git(repo, "rev-parse", "HEAD:a.txt")
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    _git(repo, "config", "remote.evil.url", other.as_uri())
    _git(repo, "config", "remote.evil.promisor", "true")
    _git(repo, "config", "remote.evil.uploadpack", str(script))
    original: Callable[..., dict[str, str]] = gitcmd.git_env

    def old_git_env(*args: str) -> dict[str, str]:
        env = original(*args)
        env.pop("GIT_NO_LAZY_FETCH", None)  # what an older git does with it
        return env

    monkeypatch.setattr(gitcmd, "git_env", old_git_env)
    monkeypatch.setattr(git_module, "git_env", old_git_env)
    snap = mine_git_repo(repo)
    assert len(snap.commits) == 2
    assert not snap.repo.line_counts_known
    assert not marker.exists()


def test_a_committed_symlink_is_never_offered_as_a_local_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not part of any repo\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "config.json").write_bytes(b"{}\n")
    os.symlink(secret, repo / "pytorch_model.bin")
    _repo_commit(repo)
    files = {f.path: f for f in mine_git_repo(repo).files}
    assert files["config.json"].local_path == str(repo.resolve() / "config.json")
    assert files["pytorch_model.bin"].local_path is None


def test_a_work_tree_file_replaced_by_a_symlink_is_never_offered(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not part of any repo\n")
    repo = _repo(tmp_path / "repo", {"model.bin": b"weights", "config.json": b"{}\n"})
    (repo / "model.bin").unlink()
    os.symlink(secret, repo / "model.bin")
    files = {f.path: f for f in mine_git_repo(repo).files}
    assert files["model.bin"].local_path is None


def _repo_commit(repo: Path) -> None:
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "first")


def test_a_huge_card_is_read_only_up_to_the_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ptmscope.sources import card as card_module

    bound = 4096
    monkeypatch.setattr(git_module, "MAX_CARD_BYTES", bound)
    monkeypatch.setattr(card_module, "MAX_CARD_BYTES", bound)
    card = b"---\nlicense: mit\n---\n" + b"lorem ipsum\n" * 5000  # ~60 KB, 15x the bound
    repo = _repo(tmp_path / "repo", {"README.md": card, "config.json": b"{}\n"})
    requested: list[str] = []
    whole_reads = git_module._cat_blobs

    def spy(repo_path: Path, blobs: list[str], limit: int) -> dict[str, bytes]:
        requested.extend(blobs)
        return whole_reads(repo_path, blobs, limit)

    monkeypatch.setattr(git_module, "_cat_blobs", spy)
    snap = mine_git_repo(repo)
    card_blob = _git(repo, "rev-parse", "HEAD:README.md")
    assert card_blob not in requested  # the batch read would load the whole blob in memory
    assert snap.card is not None and snap.card.truncated
    assert snap.card.metadata == {"license": "mit"}
    assert len(snap.card.raw_text) <= bound


def test_an_impossible_time_zone_keeps_the_instant_in_utc(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo", {"config.json": b"{}\n"})
    tree = _git(repo, "rev-parse", "HEAD^{tree}")
    parent = _git(repo, "rev-parse", "HEAD")
    raw = (
        f"tree {tree}\nparent {parent}\n"
        "author Mallory <m@example.com> 1700000000 +9999\n"
        "committer Mallory <m@example.com> 1700000000 +01\n\nodd zones\n"
    )
    forged = (
        subprocess.run(
            ["git", "-C", str(repo), "hash-object", "-t", "commit", "-w", "--literally", "--stdin"],
            input=raw.encode(),
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    _git(repo, "update-ref", "HEAD", forged)
    newest = mine_git_repo(repo).commits[-1]
    assert newest.message == "odd zones"
    assert newest.authored_at.timestamp() == 1700000000
    assert newest.committed_at.timestamp() == 1700000000
    assert newest.authored_at.utcoffset() is not None


def test_a_config_including_a_fifo_fails_instead_of_hanging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ptmscope.errors import CorruptRepositoryError

    repo = _repo(tmp_path / "repo", {"config.json": b"{}\n"})
    os.mkfifo(repo / ".git" / "blocker")
    with (repo / ".git" / "config").open("a") as config:
        config.write("[include]\n\tpath = blocker\n")
    monkeypatch.setattr(git_module, "OPEN_TIMEOUT_SECONDS", 1.0)
    with pytest.raises(CorruptRepositoryError, match="did not answer"):
        mine_git_repo(repo)


def test_a_huge_commit_message_is_stored_cut_with_its_size(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo", {"config.json": b"{}\n"})
    (repo / "config.json").write_bytes(b'{"a": 1}\n')
    _git(repo, "add", "-A")
    message = tmp_path / "msg.txt"
    body = "Update config\n\n" + ("x" * 99 + "\n") * 30_000  # 3 MB
    message.write_text(body)
    _git(repo, "commit", "-q", "-F", str(message))
    snapshot = mine_git_repo(repo)
    newest = snapshot.commits[-1]
    assert newest.message.startswith("Update config\n\nxxx")
    assert len(newest.message) < git_module.MAX_MESSAGE_BYTES + 100
    mark = newest.message.rsplit("[message truncated by ptmscope: ", 1)[1]
    assert abs(int(mark.removesuffix(" bytes]").replace(",", "")) - len(body)) < 10
    # the files of that commit are still parsed after the long message
    assert [f.path for f in snapshot.commit_files if f.sha == newest.sha] == ["config.json"]


def test_nul_tokens_split_the_same_whatever_the_chunking() -> None:
    stream = b"a\x00bb\x00\x00" + b"c" * 10 + b"\x00tail"
    expected = stream.split(b"\x00")
    for size in (1, 2, 3, 7, 64):
        chunks = [stream[i:i + size] for i in range(0, len(stream), size)]
        assert list(git_module._iter_tokens(iter(chunks))) == expected
