"""Running git safely: fixed argument lists, no prompts, no hooks, no pager, no lazy fetch.

Repositories are hostile input: their config must not make us run anything (no external
diff, no textconv, no fsmonitor, no credential prompts), and a blob-less clone must never
start fetching blobs behind our back.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from ptmscope.errors import CorruptRepositoryError, SourceError

#: Options that neutralise repository config that could run programs or change output.
SAFE_CONFIG: tuple[str, ...] = (
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.quotePath=false",
    "-c",
    "diff.external=",
    "-c",
    "log.showSignature=false",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "protocol.ext.allow=never",
    "-c",
    "safe.directory=*",
)


def git_env(allow_protocols: str = "") -> dict[str, str]:
    """Environment for git child processes: no prompts, no pager, no lazy blob fetches.

    Args:
        allow_protocols: colon-separated transports git may use (``GIT_ALLOW_PROTOCOL``).
            Empty, the default, forbids every transport: mining a local repository never
            needs one, and a hostile repository declaring a promisor remote (whose
            ``remote.<name>.uploadpack`` or ``core.sshCommand`` names a program) must not
            get git to run it through a lazy fetch on git versions that ignore
            ``GIT_NO_LAZY_FETCH`` (before 2.39.4).
    """
    env = dict(os.environ)
    env.update(
        GIT_ALLOW_PROTOCOL=allow_protocols,
        GIT_TERMINAL_PROMPT="0",
        GIT_PAGER="cat",
        GIT_NO_LAZY_FETCH="1",
        GIT_ASKPASS="true",
        LC_ALL="C",
        GIT_CONFIG_NOSYSTEM="1",
    )
    return env


def git_executable() -> str:
    """Path of the git binary.

    Raises:
        SourceError: git is not installed.
    """
    found = shutil.which("git")
    if found is None:
        raise SourceError("git is not installed", hint="Install git (apt-get install git).")
    return found


def git_command(repo: Path, *args: str) -> list[str]:
    """The argument list running ``git args`` in ``repo`` with the safe config."""
    return [git_executable(), "-C", str(repo), *SAFE_CONFIG, *args]


def run_git(repo: Path, *args: str, check: bool = True, input_bytes: bytes | None = None) -> bytes:
    """Run a short git command and return its stdout.

    Raises:
        CorruptRepositoryError: git failed (when ``check``); the message names the repo and
            git's first error line.
    """
    proc = subprocess.run(
        git_command(repo, *args),
        input=input_bytes,
        capture_output=True,
        env=git_env(),
        check=False,
    )
    if check and proc.returncode != 0:
        raise CorruptRepositoryError(f"{repo}: git {args[0]} failed: {first_line(proc.stderr)}")
    return proc.stdout


def first_line(stderr: bytes) -> str:
    """git's first meaningful error line, decoded and clipped."""
    for line in stderr.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line:
            return line.removeprefix("fatal: ").removeprefix("error: ")[:300]
    return "unknown error"


def git_config_values(repo: Path, key: str) -> Sequence[str]:
    """Values of a git config key in ``repo`` (empty when unset)."""
    out = run_git(repo, "config", "--get-all", key, check=False)
    return [v for v in out.decode("utf-8", "replace").splitlines() if v]
