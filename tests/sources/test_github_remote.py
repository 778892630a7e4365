"""Tests for ptmscope.sources.github_remote: real blob-less clones of a local repo via file://.

The "GitHub" repository is a small repo made in the test; ``url_for_clone`` points the
canonical ``https://github.com/acme/widgets`` at it, so git really clones, filters blobs and
fetches, and nothing touches the network. Network failures are simulated with a fake runner
that answers like git does when offline.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ptmscope.errors import OfflineError, RemoteError, SourceError
from ptmscope.records import Platform
from ptmscope.sources.git import mine_git_repo
from ptmscope.sources.github_remote import (
    GithubRepo,
    clone_github,
    clone_path,
    is_github_url,
    mine_github_remote,
    parse_github_url,
)

URL = "https://github.com/acme/widgets"

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Ada",
    "GIT_AUTHOR_EMAIL": "ada@example.test",
    "GIT_COMMITTER_NAME": "Ada",
    "GIT_COMMITTER_EMAIL": "ada@example.test",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with a fixed identity and no user config."""
    env = {**os.environ, **GIT_IDENTITY}
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, env=env, check=True, text=True
    )
    return done.stdout


def commit_file(repo: Path, path: str, text: str, message: str) -> None:
    """Write ``path`` and commit it."""
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    git(repo, "add", path)
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def upstream(tmp_path: Path) -> Path:
    """A small upstream repo on ``main`` with three commits, serving filtered clones."""
    repo = tmp_path / "upstream"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "uploadpack.allowFilter", "true")
    commit_file(repo, "README.md", "# widgets\n", "initial commit")
    commit_file(repo, "train.py", "print('train')\n", "add training script")
    commit_file(repo, "configs/base.yaml", "lr: 0.1\n", "add config")
    return repo


def to_file_url(upstream: Path) -> Callable[[str], str]:
    """A ``url_for_clone`` that sends the GitHub URL to the local upstream."""

    def rewrite(url: str) -> str:
        assert url == URL
        return upstream.as_uri()

    return rewrite


def local_object_types(repo: Path) -> set[str]:
    """Types of the objects present in ``repo`` (missing promisor blobs are not listed)."""
    out = git(repo, "cat-file", "--batch-all-objects", "--batch-check=%(objecttype)")
    return set(out.split())


# --- cloning and updating ------------------------------------------------------------------


def test_clones_bare_and_blobless_into_the_cache(upstream: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"

    path = clone_github(URL, cache, url_for_clone=to_file_url(upstream))

    assert path == cache / "github" / "acme" / "widgets.git"
    assert git(path, "rev-parse", "--is-bare-repository").strip() == "true"
    assert git(path, "rev-list", "--count", "HEAD").strip() == "3"
    assert git(path, "config", "remote.origin.promisor").strip() == "true"
    assert local_object_types(path) == {"commit", "tree"}
    # Only the finished clone is left: no temporary folder next to it.
    assert sorted(p.name for p in path.parent.iterdir()) == ["widgets.git"]


def test_a_second_call_fetches_new_commits_into_the_same_clone(
    upstream: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = clone_github(URL, cache, url_for_clone=to_file_url(upstream))
    commit_file(upstream, "train.py", "print('train v2')\n", "tune training")
    git(upstream, "branch", "release")

    second = clone_github(URL, cache, url_for_clone=to_file_url(upstream))

    assert second == first
    assert git(second, "rev-list", "--count", "HEAD").strip() == "4"
    assert git(second, "rev-parse", "HEAD") == git(upstream, "rev-parse", "HEAD")
    assert "release" in git(second, "branch", "--format=%(refname:short)").split()
    assert local_object_types(second) == {"commit", "tree"}


def test_the_update_follows_a_renamed_default_branch(upstream: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    clone_github(URL, cache, url_for_clone=to_file_url(upstream))
    git(upstream, "branch", "-m", "main", "trunk")

    path = clone_github(URL, cache, url_for_clone=to_file_url(upstream))

    assert git(path, "symbolic-ref", "HEAD").strip() == "refs/heads/trunk"
    assert "main" not in git(path, "branch", "--format=%(refname:short)").split()


def test_the_git_miner_reads_the_blobless_clone_with_history_but_no_line_counts(
    upstream: Path, tmp_path: Path
) -> None:
    path = clone_github(URL, tmp_path / "cache", url_for_clone=to_file_url(upstream))

    snapshot = mine_git_repo(path, platform=Platform.GITHUB, name="acme/widgets", source=URL)

    assert snapshot.repo.repo_id == "github:acme/widgets"
    assert sorted(c.subject for c in snapshot.commits) == [
        "add config",
        "add training script",
        "initial commit",
    ]
    assert {f.path for f in snapshot.commit_files} == {"README.md", "train.py", "configs/base.yaml"}
    assert not snapshot.repo.line_counts_known
    # Reading it must not have fetched any blob behind our back.
    assert local_object_types(path) == {"commit", "tree"}


def test_mine_github_remote_clones_and_mines_under_the_canonical_name(
    upstream: Path, tmp_path: Path
) -> None:
    snapshot = mine_github_remote(
        "https://github.com/acme/widgets.git/",
        tmp_path / "cache",
        url_for_clone=lambda _: upstream.as_uri(),
    )

    assert snapshot.repo.repo_id == "github:acme/widgets"
    assert snapshot.repo.source == URL
    assert snapshot.repo.head == git(upstream, "rev-parse", "HEAD").strip()
    assert len(snapshot.commits) == 3
    assert {f.path for f in snapshot.files} == {"README.md", "train.py", "configs/base.yaml"}


def test_a_cache_path_taken_by_something_else_is_left_alone(upstream: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    squatter = clone_path(GithubRepo("acme", "widgets"), cache)
    squatter.mkdir(parents=True)
    (squatter / "notes.txt").write_text("mine")

    with pytest.raises(SourceError, match="is in the way"):
        clone_github(URL, cache, url_for_clone=to_file_url(upstream))

    assert (squatter / "notes.txt").read_text() == "mine"


def test_a_missing_remote_repository_is_a_remote_error_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "cache"
    missing = (tmp_path / "nowhere").as_uri()

    with pytest.raises(RemoteError) as err:
        clone_github(URL, cache, url_for_clone=lambda _: missing)

    assert "acme/widgets" in str(err.value)
    assert "\n" not in str(err.value)
    assert list((cache / "github" / "acme").iterdir()) == []


# --- failures reported by git --------------------------------------------------------------


class FakeGit:
    """A runner answering every git call with one exit code and stderr; records the calls."""

    def __init__(self, returncode: int, stderr: bytes) -> None:
        self.returncode = returncode
        self.stderr = stderr
        self.calls: list[list[str]] = []

    def __call__(self, args: list[str], **_: Any) -> subprocess.CompletedProcess[bytes]:
        self.calls.append(args)
        return subprocess.CompletedProcess(args, self.returncode, b"", self.stderr)


OFFLINE_STDERR = (
    b"Cloning into bare repository 'x'...\n"
    b"fatal: unable to access 'https://github.com/acme/widgets/': "
    b"Could not resolve host: github.com\n"
)
NOT_FOUND_STDERR = (
    b"remote: Repository not found.\n"
    b"fatal: repository 'https://github.com/acme/widgets/' not found\n"
)


@pytest.mark.parametrize(
    ("stderr", "error", "says"),
    [
        (OFFLINE_STDERR, OfflineError, "cannot reach github.com to clone acme/widgets"),
        (
            b"fatal: unable to access 'x': Failed to connect to github.com port 443\n",
            OfflineError,
            "cannot reach",
        ),
        (NOT_FOUND_STDERR, RemoteError, "was not found (or it is private)"),
        (
            b"fatal: could not read Username for 'https://github.com': terminal prompts disabled\n",
            RemoteError,
            "was not found",
        ),
        (b"fatal: early EOF\n", RemoteError, "git could not clone acme/widgets: early EOF"),
    ],
    ids=[
        "no DNS is offline",
        "no route is offline",
        "missing repo",
        "private repo",
        "other git failure",
    ],
)
def test_git_clone_failures_become_one_line_errors(
    tmp_path: Path, stderr: bytes, error: type[Exception], says: str
) -> None:
    fake = FakeGit(128, stderr)

    with pytest.raises(error) as err:
        clone_github(URL, tmp_path / "cache", runner=fake)

    assert says in str(err.value)
    assert "\n" not in str(err.value)
    clone_args = fake.calls[0]
    assert clone_args[-3:-1] == ["--", URL]
    assert {"--bare", "--filter=blob:none"} <= set(clone_args)
    assert list((tmp_path / "cache" / "github" / "acme").iterdir()) == []


def test_an_offline_update_points_at_the_cached_clone(upstream: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    path = clone_github(URL, cache, url_for_clone=to_file_url(upstream))

    def offline_fetch(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
        if "fetch" in args:
            return subprocess.CompletedProcess(args, 128, b"", OFFLINE_STDERR)
        return subprocess.run(args, **kwargs)

    with pytest.raises(OfflineError, match="update the cached clone of acme/widgets") as err:
        clone_github(URL, cache, runner=offline_fetch)

    assert str(path) in err.value.hint


# --- URL validation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "owner", "name"),
    [
        ("https://github.com/google-research/bert", "google-research", "bert"),
        ("https://github.com/google-research/bert/", "google-research", "bert"),
        ("https://github.com/google-research/bert.git", "google-research", "bert"),
        ("https://github.com/facebookresearch/fastText", "facebookresearch", "fastText"),
        ("https://GitHub.com/01-ai/Yi.1_5-x", "01-ai", "Yi.1_5-x"),
    ],
)
def test_plain_github_urls_are_accepted(url: str, owner: str, name: str) -> None:
    assert parse_github_url(url) == GithubRepo(owner, name)


@pytest.mark.parametrize(
    "url",
    [
        "http://github.com/a/b",
        "git@github.com:a/b.git",
        "ssh://git@github.com/a/b",
        "https://gitlab.com/a/b",
        "https://github.com.evil.test/a/b",
        "https://user:token@github.com/a/b",
        "https://github.com:8443/a/b",
        "https://www.github.com/a/b",
        "https://github.com/a",
        "https://github.com/a/b/tree/main",
        "https://github.com/a/b?tab=readme",
        "https://github.com/a/b#readme",
        "https://github.com/-a/b",
        "https://github.com/a/..",
        "https://github.com/a/.git",
        "https://github.com/a/.hidden",
        "https://github.com/a b/c",
        "https://github.com/a/b\n--upload-pack=evil",
        "https://github.com/" + "o" * 40 + "/b",
        "file:///etc/passwd",
        "",
    ],
)
def test_anything_else_is_rejected_before_git_runs(url: str, tmp_path: Path) -> None:
    fake = FakeGit(0, b"")

    with pytest.raises(SourceError) as err:
        clone_github(url, tmp_path / "cache", runner=fake)

    assert type(err.value) is SourceError
    assert "\n" not in str(err.value)
    assert fake.calls == []
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [(URL, True), ("HTTPS://GITHUB.COM/a/b", True), ("hf://a/b", False), ("./github.com/a", False)],
)
def test_is_github_url_recognises_what_to_validate(text: str, expected: bool) -> None:
    assert is_github_url(text) is expected


def test_the_cache_path_ignores_case() -> None:
    repo = parse_github_url("https://github.com/Acme/Widgets")

    assert repo.slug == "Acme/Widgets"
    assert clone_path(repo, Path("/c")) == Path("/c/github/acme/widgets.git")
