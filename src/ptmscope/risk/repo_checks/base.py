"""What every repository-level risk check is made of: metadata, facts in, findings out.

A check is a ``RepoCheck``: a stable id, a title, why it matters, how to fix it, the severity
it reports a risk at, and a pure function from ``RepoFacts`` to ``Finding``s (analysis
``risk``). The facts are the stored records plus ``read_text``, a bounded reader of file
content (the only I/O, injected so tests can fake it). Checks never import or execute
repository code: Python files are read as text and parsed with ``ast`` only.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ptmscope.records import (
    CardRecord,
    CommitRecord,
    FileRecord,
    Finding,
    Outcome,
    RepoRecord,
    Severity,
)

ANALYSIS = "risk"
#: Largest file a check reads (config JSON, Python source).
MAX_TEXT = 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)

TextReader = Callable[[FileRecord], "str | None"]


def read_text_bounded(record: FileRecord, root: str | None = None,
                      limit: int = MAX_TEXT) -> str | None:
    """The file's text (UTF-8, replacement on errors), or None when it cannot be read safely.

    None when: no ``local_path``; not a regular file (FIFOs and devices are never opened in
    blocking mode); larger than ``limit`` bytes; or, when ``root`` is given, the path
    resolves (through symlinks) outside ``root``.
    """
    path = record.local_path
    if path is None:
        return None
    if root is not None and not _inside_repo(path, root):
        return None
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        data = handle.read(limit + 1)
    if len(data) > limit:
        return None
    return data.decode("utf-8", errors="replace")


def _inside_repo(path: str, root: str) -> bool:
    """True when ``path`` resolves inside ``root`` - or into the ``blobs/`` folder of the
    Hugging Face cache entry ``root`` is a snapshot of (``.../snapshots/<rev>`` links its
    files to ``../../blobs/<hash>``)."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    if real == real_root or real.startswith(real_root + os.sep):
        return True
    blobs = os.path.join(os.path.dirname(os.path.dirname(real_root)), "blobs")
    in_snapshots = os.path.basename(os.path.dirname(real_root)) == "snapshots"
    return in_snapshots and real.startswith(blobs + os.sep)


@dataclass(frozen=True, slots=True)
class RepoFacts:
    """Everything a repository check may look at.

    Attributes:
        repo: the repository. card: its model card, when it has one.
        files: files at HEAD. commits: history, oldest first (empty for plain folders).
        read_text: bounded reader of a file's text (None when unavailable).
    """

    repo: RepoRecord
    card: CardRecord | None
    files: Sequence[FileRecord]
    commits: Sequence[CommitRecord]
    read_text: TextReader

    def file(self, path: str) -> FileRecord | None:
        """The file at ``path`` (exact, repo-relative), or None."""
        for record in self.files:
            if record.path == path:
                return record
        return None


@dataclass(frozen=True, slots=True)
class RepoCheck:
    """A self-describing repository risk check.

    Attributes:
        id: stable rule id (``REPO-REMOTE-CODE``).
        title: short name. why: why it matters. remedy: how to fix it.
        severity: severity of a risk found (individual findings may be lower or higher).
        run: the pure function producing findings.
    """

    id: str
    title: str
    why: str
    remedy: str
    severity: Severity
    run: Callable[[RepoFacts], list[Finding]] = field(repr=False)

    def finding(self, facts: RepoFacts, outcome: Outcome, message: str, *,
                severity: Severity | None = None, path: str | None = None,
                location: str | None = None, evidence: Mapping[str, Any] | None = None
                ) -> Finding:
        """A Finding for this check; risk outcomes default to the check's severity, others
        (present, not applicable, not available) to info."""
        if severity is None:
            risky = outcome in (Outcome.MISSING, Outcome.PARTIAL)
            severity = self.severity if risky else Severity.INFO
        details: dict[str, Any] = {"title": self.title, "why": self.why, "remedy": self.remedy}
        if evidence:
            details["evidence"] = dict(evidence)
        return Finding(ANALYSIS, self.id, facts.repo.repo_id, severity, outcome, message[:500],
                       path, location, details)
