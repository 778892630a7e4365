"""The scanner interface every risk module implements, and the result it returns.

A scanner is a small class with class-level metadata (id, formats, description, optional
dependency), a ``sniff`` classmethod that decides *by content* whether it applies (the file
name is only a hint), and ``scan`` that reads the artifact as bytes - never unpickling,
importing or executing anything - and returns a ``ScanResult``. Scanners are listed in one
ordered table in ``ptmscope.risk.registry``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import BinaryIO, ClassVar

from ptmscope.records import Severity

#: How many bytes ``sniff`` receives from the start of a file.
SNIFF_BYTES = 4096


@dataclass(frozen=True, slots=True)
class Rule:
    """Metadata of one rule a scanner can report (one SARIF rule each).

    Attributes:
        id: the ``rule_id`` its issues carry (``PICKLE-GLOBAL-DANGEROUS``).
        title: one short line.
        why: why it matters.
        fix: what to do about it.
        severity: the usual severity of its issues (the issue's own severity wins).
    """

    id: str
    title: str
    why: str
    fix: str
    severity: Severity = Severity.HIGH


@dataclass(frozen=True, slots=True)
class RiskIssue:
    """One risk found in one artifact.

    Attributes:
        rule_id: stable id of the rule (e.g. ``PICKLE-GLOBAL-DANGEROUS``), set at creation.
        severity: critical / high / medium / low / info.
        construct: the exact callable, op or construct (``os.system``, ``PyFunc``...).
        message: one line saying what was found.
        why: why it is dangerous.
        location: byte offset (``offset 1234``), member (``archive.zip:data.pkl``), key...
        format: the artifact format the scanner recognised (``pickle``, ``pytorch-zip``...).
        path: the file (or ``archive:member``) the issue is in; filled by the dispatcher when
            the scanner leaves it empty.
    """

    rule_id: str
    severity: Severity
    construct: str
    message: str
    why: str
    location: str = ""
    format: str = ""
    path: str = ""


@dataclass(frozen=True, slots=True)
class Inconclusive:
    """An artifact (or part) that could not be scanned to the end, and why (fail closed)."""

    path: str
    reason: str


@dataclass(slots=True)
class ScanResult:
    """What scanning produced: issues, inconclusive parts, and the checks that passed.

    ``merge`` lets a container scanner fold in what its members' scans found.
    """

    issues: list[RiskIssue] = field(default_factory=list)
    inconclusive: list[Inconclusive] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)  # rule ids checked and clean
    scanned: list[str] = field(default_factory=list)  # paths actually scanned
    bytes_read: int = 0

    def merge(self, other: ScanResult) -> ScanResult:
        """Add ``other`` into this result and return self."""
        self.issues.extend(other.issues)
        self.inconclusive.extend(other.inconclusive)
        self.passed.extend(other.passed)
        self.scanned.extend(other.scanned)
        self.bytes_read += other.bytes_read
        return self


@dataclass(frozen=True, slots=True)
class ScanContext:
    """Where an artifact sits, for scanners that need more than its bytes.

    Attributes:
        path: display path of the artifact (``folder/file`` or ``archive:member``).
        depth: container nesting depth (the dispatcher refuses past a limit).
        folder: the model folder on disk, when known (ONNX external data, auto_map code...).
        size: the artifact's size in bytes, when known.
        dispatch: set by the dispatcher: container scanners call it on a member's stream
            with ``ctx.member(name)`` to have the member detected and scanned by content.
    """

    path: str
    depth: int = 0
    folder: str | None = None
    size: int | None = None
    dispatch: Callable[[BinaryIO, ScanContext], ScanResult] | None = None

    def member(self, name: str, size: int | None = None) -> ScanContext:
        """The context of member ``name`` of this container (``archive:member``, depth + 1)."""
        return replace(self, path=f"{self.path}:{name}", depth=self.depth + 1, size=size)


class Scanner(ABC):
    """Base class of every format scanner."""

    #: Stable id, e.g. ``"pickle"``.
    id: ClassVar[str]
    #: Formats it recognises, e.g. ``("pickle", "joblib", "dill")``.
    formats: ClassVar[tuple[str, ...]]
    #: One line on what it checks.
    description: ClassVar[str]
    #: Import name of an optional dependency it needs (``"h5py"``), or ``None``.
    requires: ClassVar[str | None] = None
    #: The rules its issues can carry (for SARIF and the docs); optional.
    rules: ClassVar[tuple[Rule, ...]] = ()

    @classmethod
    @abstractmethod
    def sniff(cls, head: bytes, name: str) -> bool:
        """True when ``head`` (the first ``SNIFF_BYTES`` bytes) is this scanner's format.

        ``name`` is only a hint: a renamed file must still be recognised by content.
        """

    @abstractmethod
    def scan(self, stream: BinaryIO, ctx: ScanContext) -> ScanResult:
        """Scan the artifact read from ``stream`` (seekable, opened in binary mode).

        Must never unpickle, import or execute anything from the artifact, and must bound
        every read; an artifact it cannot finish is reported in ``inconclusive``.
        """
