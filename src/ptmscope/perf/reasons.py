"""Why a claim could not be verified: the reasons, and the exception tasks raise to give one.

Every way verification can stop short is one ``Reason`` member, so reports, JSON and tests
name it identically, and a task deep in an evaluation can stop with ``raise NotVerifiable(...)``
while ``verify`` turns it into a verdict (never a crash).
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Why a claim is not verifiable."""

    NO_CLAIM = "no claim"
    CLAIM_NOT_NUMERIC = "claim value not numeric"
    VALUE_OUT_OF_RANGE = "claim value outside the metric's range"
    METRIC_UNKNOWN = "metric unknown"
    TASK_UNSUPPORTED = "task unsupported"
    DATA_MISSING = "data missing"
    EMPTY_SPLIT = "empty split"
    COLUMN_MISSING = "label or input column missing"
    UNKNOWN_LABELS = "labels the model does not know"
    DATA_MALFORMED = "data malformed"
    MODEL_DOES_NOT_LOAD = "model does not load"
    EXTRA_MISSING = "eval extra not installed"
    EVALUATION_FAILED = "evaluation failed"


class NotVerifiable(Exception):
    """Raised inside a task to stop with a reason; ``verify`` turns it into a verdict.

    Attributes:
        reason: the ``Reason``.
        message: one human line naming what is missing.
    """

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(f"{reason.value}: {message}")
        self.reason = reason
        self.message = message
