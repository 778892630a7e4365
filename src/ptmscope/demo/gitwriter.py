"""Build a git repository with an exact, deterministic history through ``git fast-import``.

One ``fast-import`` process per repository writes every commit with the dates, authors and
contents we choose, so the demo corpus is the same bytes (and the same commit ids) on every
machine. The working tree is then checked out with LFS smudging disabled, which leaves LFS
files as pointer files, as ``GIT_LFS_SKIP_SMUDGE=1 git clone`` does.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ptmscope.sources.gitcmd import git_env, git_executable

Person = tuple[str, str]


@dataclass(slots=True)
class _Commit:
    when: datetime
    author: Person
    message: str
    changes: dict[str, bytes | None]


@dataclass(slots=True)
class RepoBuilder:
    """Collects commits, then writes them as one repository with ``build``."""

    path: Path
    branch: str = "main"
    commits: list[_Commit] = field(default_factory=list)

    def commit(
        self, when: datetime, author: Person, message: str, changes: Mapping[str, bytes | None]
    ) -> int:
        """Queue a commit (``None`` content deletes the path); returns its index."""
        if when.tzinfo is None:
            raise ValueError("commit dates must be timezone-aware")
        self.commits.append(_Commit(when, author, message, dict(changes)))
        return len(self.commits) - 1

    def _stream(self) -> bytes:
        out: list[bytes] = []
        for index, c in enumerate(sorted(self.commits, key=lambda c: c.when)):
            offset = c.when.utcoffset()
            minutes = int(offset.total_seconds() // 60) if offset is not None else 0
            sign = "+" if minutes >= 0 else "-"
            tz = f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
            stamp = f"{int(c.when.timestamp())} {tz}"
            who = f"{c.author[0]} <{c.author[1]}> {stamp}"
            msg = c.message.encode()
            out.append(
                f"commit refs/heads/{self.branch}\nmark :{index + 1}\nauthor {who}\n"
                f"committer {who}\ndata {len(msg)}\n".encode()
                + msg
                + b"\n"
            )
            for path in sorted(c.changes):
                data = c.changes[path]
                if data is None:
                    out.append(f"D {path}\n".encode())
                else:
                    out.append(
                        f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"
                    )
            out.append(b"\n")
        return b"".join(out)

    def build(self) -> list[str]:
        """Write the repository; returns the commit ids in date order."""
        git = git_executable()
        self.path.mkdir(parents=True, exist_ok=True)
        env = git_env()
        subprocess.run(
            [git, "init", "-q", "--template=", "-b", self.branch, str(self.path)],
            check=True,
            env=env,
        )
        with tempfile.NamedTemporaryFile(suffix=".marks") as marks:
            subprocess.run(
                [
                    git,
                    "-C",
                    str(self.path),
                    "fast-import",
                    "--quiet",
                    "--date-format=raw",
                    f"--export-marks={marks.name}",
                ],
                input=self._stream(),
                check=True,
                env=env,
            )
            lines = Path(marks.name).read_text().split()
        by_mark = {int(lines[i][1:]): lines[i + 1] for i in range(0, len(lines), 2)}
        env["GIT_LFS_SKIP_SMUDGE"] = "1"
        subprocess.run(
            [
                git,
                "-C",
                str(self.path),
                "-c",
                "filter.lfs.smudge=",
                "-c",
                "filter.lfs.process=",
                "-c",
                "filter.lfs.required=false",
                "checkout",
                "-q",
                "-f",
                self.branch,
            ],
            check=True,
            env=env,
        )
        return [by_mark[i] for i in sorted(by_mark)]
