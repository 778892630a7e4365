"""Progress reporting without coupling the library to a UI (after pip-audit's ``AuditState``).

Library code takes a ``Progress`` and calls it; the CLI passes one backed by rich, tests and
library users pass nothing (``NullProgress``).
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """What long-running library code reports."""

    def start(self, task: str, total: int | None = None) -> None:
        """A new phase begins; ``total`` items are expected when known."""

    def advance(self, amount: int = 1, note: str = "") -> None:
        """``amount`` more items are done; ``note`` names the current one."""

    def finish(self) -> None:
        """The current phase is over."""


class NullProgress:
    """A ``Progress`` that reports nothing."""

    def start(self, task: str, total: int | None = None) -> None:
        """Ignore."""

    def advance(self, amount: int = 1, note: str = "") -> None:
        """Ignore."""

    def finish(self) -> None:
        """Ignore."""
