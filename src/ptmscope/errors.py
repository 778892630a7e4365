"""Every exception ptmscope raises, grouped by layer.

Callers catch at the depth they need: ``PtmscopeError`` for anything of ours, a layer base
(``SourceError``, ``StoreError``, ``ScanError``, ``AnalysisError``, ``ReportError``) for one
layer, or a concrete subclass. Low-level causes are chained with ``raise ... from``. Expected
per-item failures (a gated repo, an unparsable card) are *results*, not exceptions.
"""

from __future__ import annotations


class PtmscopeError(Exception):
    """Base of every ptmscope error. ``str(err)`` is a one-line message naming the input."""

    #: A short next step shown under the message by the CLI, or ``""``.
    hint: str = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        if hint:
            self.hint = hint


# --- sources ---------------------------------------------------------------------------------
class SourceError(PtmscopeError):
    """A source (path, URL, manifest) could not be read."""


class SourceNotFoundError(SourceError):
    """The path or repository does not exist."""


class NotARepositoryError(SourceError):
    """The folder is neither a model folder nor a git repository."""


class CorruptRepositoryError(SourceError):
    """git could not read the repository."""


class ManifestError(SourceError):
    """A family manifest is malformed (missing column, bad YAML...)."""


class OfflineError(SourceError):
    """An online source was asked for while offline (``HF_HUB_OFFLINE=1`` or no network)."""

    hint = "Clone the repository and ingest the local folder, or retry with network access."


class RemoteError(SourceError):
    """The Hub or a git remote answered with an error (not found, gated, rate limited)."""


# --- store -----------------------------------------------------------------------------------
class StoreError(PtmscopeError):
    """The DuckDB store could not be opened, migrated, read or written."""


class SchemaVersionError(StoreError):
    """The store was written by a newer ptmscope, or its schema cannot be migrated."""


class NotInStoreError(StoreError):
    """A model, repository or family named by the user is not in the store."""

    hint = "Run `ptmscope ls` to see what is stored, or `ptmscope ingest` it first."


# --- analyses --------------------------------------------------------------------------------
class AnalysisError(PtmscopeError):
    """An analysis could not run at all (as opposed to a per-item 'not analysable' result)."""


class NotAnalysableError(AnalysisError):
    """One subject (e.g. a family) cannot be measured; ``reason`` is a stable code, ``detail``
    one human line. Corpus runs record it as a result and go on."""

    def __init__(self, reason: str, detail: str, *, hint: str = "") -> None:
        super().__init__(f"not analysable ({reason}): {detail}", hint=hint)
        self.reason = reason
        self.detail = detail


class ScanError(PtmscopeError):
    """The risk scanner could not complete."""


class MissingExtraError(PtmscopeError):
    """An optional extra (for example ``ptmscope[eval]``) is needed and not installed."""


# --- report ----------------------------------------------------------------------------------
class ReportError(PtmscopeError):
    """A report could not be rendered or written."""


class UsageError(PtmscopeError):
    """The user's arguments do not fit together."""


class EvaluationDataError(AnalysisError):
    """Evaluation data could not be read: missing file or split, unreadable format."""
