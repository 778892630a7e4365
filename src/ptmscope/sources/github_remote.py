"""Fetch an upstream GitHub repository (``https://github.com/owner/repo``) into a local cache.

The repository is cloned bare and blob-less (``git clone --bare --filter=blob:none``): history
and trees arrive, file contents do not, so even large repositories clone in seconds. The
clone lives at ``<cache_dir>/github/<owner>/<repo>.git`` (lower-cased, since GitHub names
are case-insensitive); when it is already there it is updated with ``git fetch`` instead.
:func:`ptmscope.sources.git.mine_git_repo` then reads it like any other bare repository
(history with name-status only, as the blobs needed for line counts are missing).

A clone is made in a temporary folder next to its destination and renamed into place when
complete, so an interrupted run never leaves a half-written clone to be mistaken for a
finished one. URLs are validated strictly before git sees them, and git's failures become
one-line ``OfflineError`` (no network) or ``RemoteError`` (not found, private, refused).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ptmscope.errors import OfflineError, RemoteError, SourceError
from ptmscope.progress import Progress
from ptmscope.records import Platform, RepoSnapshot
from ptmscope.sources.git import mine_git_repo
from ptmscope.sources.gitcmd import SAFE_CONFIG, first_line, git_env, git_executable

__all__ = [
    "GithubRepo",
    "Runner",
    "clone_github",
    "clone_path",
    "is_github_url",
    "mine_github_remote",
    "parse_github_url",
]

#: Runs a command like ``subprocess.run`` (injectable for tests).
Runner = Callable[..., "subprocess.CompletedProcess[bytes]"]

# GitHub owners: letters, digits and '-', not starting with '-', at most 39 characters.
# Repositories: letters, digits, '.', '_' and '-', at most 100, not starting with '.'.
_GITHUB_URL_RE = re.compile(
    r"https://github\.com/"
    r"(?P<owner>[A-Za-z0-9][A-Za-z0-9-]{0,38})/"
    r"(?P<name>[A-Za-z0-9_-][A-Za-z0-9._-]{0,99})/?",
    re.IGNORECASE,
)

# Abort transfers slower than 1 KB/s for a minute instead of hanging on a dead connection.
_TRANSFER_CONFIG: tuple[str, ...] = (
    "-c", "http.lowSpeedLimit=1000",
    "-c", "http.lowSpeedTime=60",
)  # fmt: skip

#: Transports a clone or fetch may use: https for GitHub, file for local test upstreams.
_CLONE_PROTOCOLS = "https:file"

# Substrings of git's stderr (LC_ALL=C) that mean the network is not there.
_OFFLINE_SIGNS: tuple[str, ...] = (
    "could not resolve host",
    "failed to connect",
    "connection timed out",
    "connection refused",
    "network is unreachable",
    "operation timed out",
    "temporary failure in name resolution",
    "couldn't connect to server",
)
# ... and that mean the repository is missing, private, or refused to us.
_NOT_FOUND_SIGNS: tuple[str, ...] = (
    "repository not found",
    "could not read username",
    "terminal prompts disabled",
    "authentication failed",
    "returned error: 403",
    "returned error: 404",
    "does not appear to be a git repository",
    "does not exist",
)


@dataclass(frozen=True, slots=True)
class GithubRepo:
    """A validated GitHub repository reference.

    Attributes:
        owner: the user or organisation, as written in the URL.
        name: the repository name, without a ``.git`` suffix.
    """

    owner: str
    name: str

    @property
    def slug(self) -> str:
        """``owner/name``, the name ptmscope records (``github:owner/name``)."""
        return f"{self.owner}/{self.name}"

    @property
    def url(self) -> str:
        """The canonical ``https://github.com/owner/name`` URL."""
        return f"https://github.com/{self.slug}"


def is_github_url(text: str) -> bool:
    """True when ``text`` looks meant as a GitHub URL (validated by ``parse_github_url``).

    >>> is_github_url("https://github.com/google-research/bert")
    True
    """
    return text.lower().startswith(("https://github.com/", "http://github.com/"))


def parse_github_url(url: str) -> GithubRepo:
    """Validate ``https://github.com/owner/repo`` (optional ``.git`` or trailing ``/``).

    Anything else (other hosts or schemes, credentials, ports, sub-paths such as
    ``/tree/main``, queries, odd characters) is rejected rather than guessed at, because the
    URL is handed to git.

    Raises:
        SourceError: the URL is not a plain GitHub repository URL.

    >>> parse_github_url("https://github.com/google-research/bert.git").slug
    'google-research/bert'
    """
    match = _GITHUB_URL_RE.fullmatch(url)
    name = match.group("name") if match is not None else ""
    if name.lower().endswith(".git"):
        name = name[: -len(".git")]
    if match is None or not name or name in {".", ".."}:
        shown = "".join(ch if ch.isprintable() else "?" for ch in url)[:120]
        raise SourceError(
            f"not a GitHub repository URL: {shown!r}",
            hint="Write it as https://github.com/owner/repo (no sub-path, query or credentials).",
        )
    return GithubRepo(owner=match.group("owner"), name=name)


def clone_path(repo: GithubRepo, cache_dir: Path) -> Path:
    """Where the bare clone of ``repo`` lives under ``cache_dir``."""
    return cache_dir / "github" / repo.owner.lower() / f"{repo.name.lower()}.git"


def clone_github(
    url: str,
    cache_dir: Path,
    *,
    runner: Runner = subprocess.run,
    url_for_clone: Callable[[str], str] | None = None,
) -> Path:
    """Clone (bare, blob-less) or update the GitHub repository at ``url`` in ``cache_dir``.

    Args:
        url (`str`): ``https://github.com/owner/repo``.
        cache_dir (`Path`): the cache root; the clone goes to
            ``<cache_dir>/github/<owner>/<repo>.git``.
        runner (*optional*): runs git, with ``subprocess.run``'s signature.
        url_for_clone (*optional*): maps the canonical URL to the one git fetches from
            (tests point it at a ``file://`` repository).

    Returns:
        The path of the bare clone, ready for ``mine_git_repo``.

    Raises:
        SourceError: the URL is not a GitHub repository URL, git is missing, or the cache
            path is taken by something that is not a bare clone.
        OfflineError: github.com cannot be reached.
        RemoteError: the repository does not exist, is private, or git failed otherwise.

    Example:
        >>> url = "https://github.com/google-research/bert"
        >>> clone_github(url, Path("cache"))  # doctest: +SKIP
        PosixPath('cache/github/google-research/bert.git')
    """
    repo = parse_github_url(url)
    remote = url_for_clone(repo.url) if url_for_clone is not None else repo.url
    dest = clone_path(repo, cache_dir)
    if dest.exists():
        _require_bare_clone(dest, runner)
        _update(repo, dest, runner)
    else:
        _clone(repo, remote, dest, runner)
    return dest


def mine_github_remote(
    url: str,
    cache_dir: Path,
    *,
    runner: Runner = subprocess.run,
    url_for_clone: Callable[[str], str] | None = None,
    progress: Progress | None = None,
) -> RepoSnapshot:
    """Clone or update ``url`` in ``cache_dir`` (see :func:`clone_github`) and mine the clone.

    The snapshot is recorded as ``github:owner/repo`` with the canonical URL as its source.
    Its history has no line counts (the clone has no blobs), which the snapshot says.

    Raises:
        SourceError, OfflineError, RemoteError: as :func:`clone_github` and ``mine_git_repo``.
    """
    repo = parse_github_url(url)
    path = clone_github(url, cache_dir, runner=runner, url_for_clone=url_for_clone)
    return mine_git_repo(
        path, platform=Platform.GITHUB, name=repo.slug, source=repo.url, progress=progress
    )


def _clone(repo: GithubRepo, remote: str, dest: Path, runner: Runner) -> None:
    """Clone into a temporary sibling folder, then rename it into place."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}.partial-"))
    try:
        args = ["clone", "--bare", "--filter=blob:none", "--quiet", "--", remote, str(partial)]
        proc = _git(runner, None, args)
        if proc.returncode != 0:
            raise _failure(repo, "clone", proc.stderr)
        try:
            partial.rename(dest)
        except OSError:
            if not dest.exists():
                raise
            # Another run finished the same clone first; theirs is as good as ours.
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def _update(repo: GithubRepo, dest: Path, runner: Runner) -> None:
    """Fetch new commits, branches and tags into an existing bare clone, keep HEAD current."""
    refspecs = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"]
    proc = _git(
        runner, dest, ["fetch", "--quiet", "--prune", "--filter=blob:none", "origin", *refspecs]
    )
    if proc.returncode != 0:
        raise _failure(repo, "update the cached clone of", proc.stderr, cached=dest)
    # The default branch may have been renamed upstream (master -> main): follow it.
    heads = _git(runner, dest, ["ls-remote", "--symref", "origin", "HEAD"])
    target = _symref_target(heads.stdout) if heads.returncode == 0 else None
    if target is not None:
        _git(runner, dest, ["symbolic-ref", "HEAD", target])


def _require_bare_clone(dest: Path, runner: Runner) -> None:
    """Refuse to touch a cache path holding anything but a bare git repository."""
    proc = _git(runner, dest, ["rev-parse", "--is-bare-repository"])
    if proc.returncode != 0 or proc.stdout.strip() != b"true":
        raise SourceError(
            f"{dest} is in the way: it is not a bare git clone",
            hint="Move or delete it, then retry; ptmscope will clone there again.",
        )


def _symref_target(ls_remote: bytes) -> str | None:
    """``refs/heads/main`` from ``ref: refs/heads/main<TAB>HEAD`` (ls-remote --symref)."""
    for line in ls_remote.decode("utf-8", "replace").splitlines():
        if line.startswith("ref: refs/heads/") and line.endswith("\tHEAD"):
            return line[len("ref: ") : -len("\tHEAD")]
    return None


def _git(
    runner: Runner, repo: Path | None, args: Sequence[str]
) -> subprocess.CompletedProcess[bytes]:
    """Run git with the safe config, no prompts, output captured."""
    where = ["-C", str(repo)] if repo is not None else []
    command = [git_executable(), *where, *SAFE_CONFIG, *_TRANSFER_CONFIG, *args]
    return runner(command, capture_output=True, env=git_env(_CLONE_PROTOCOLS), check=False)


def _failure(
    repo: GithubRepo, action: str, stderr: bytes | None, *, cached: Path | None = None
) -> SourceError:
    """The one-line error for a failed clone or fetch, chosen from git's stderr."""
    line = first_line(stderr or b"")
    text = (stderr or b"").decode("utf-8", "replace").lower()
    if any(sign in text for sign in _OFFLINE_SIGNS):
        hint = (
            f"A cached clone exists: ingest it as it is with `ptmscope ingest {cached}`."
            if cached is not None
            else "Retry with network access, or clone it elsewhere and ingest the local folder."
        )
        return OfflineError(f"cannot reach github.com to {action} {repo.slug}: {line}", hint=hint)
    if any(sign in text for sign in _NOT_FOUND_SIGNS):
        return RemoteError(
            f"{repo.url} was not found (or it is private): {line}",
            hint="Check the owner and repository name; private repositories are not supported.",
        )
    return RemoteError(f"git could not {action} {repo.slug}: {line}")
