"""Claimed versus measured performance: re-run a model on local data and judge each claim.

``verify_model`` reads the claims of a model folder's card (or takes them), runs each claimed
task once per split on the data given, recomputes each claimed metric with a bootstrap 95%
confidence interval, and returns one ``Verdict`` per claim:

* ``consistent``: ``|measured - claimed| <= tolerance`` percentage points;
* ``discrepant``: the gap is larger;
* ``not verifiable``: with a ``Reason`` (no claim, metric unknown, data missing, task
  unsupported, model does not load, label column missing, unknown labels, empty split, a
  value outside the metric's range such as 95 for a fraction...). Nothing here raises for bad
  input; every stop is a verdict.

The tolerance default (5 points, absolute) is the gap most practitioners in the reuse study
would accept. A claim's value is read on the metric's scale and never rescaled by guesswork:
``95`` for accuracy (a fraction) is out of range, ``95%`` is 0.95.

Verdicts become ``Finding`` rows (analysis ``perf``, rule ``perf.claim-vs-measured``) with
``verdict_findings``.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ptmscope.perf.claims import Claim, ClaimSet, claims_from_folder
from ptmscope.perf.reasons import NotVerifiable, Reason
from ptmscope.progress import NullProgress, Progress
from ptmscope.records import Finding, Outcome, Severity

if TYPE_CHECKING:
    from ptmscope.perf.metrics import Outputs

#: Default acceptable gap, in percentage points (the reuse study's most common answer).
DEFAULT_TOLERANCE = 5.0
#: Rule id of the findings ``verify`` writes.
VERIFY_RULE_ID = "perf.claim-vs-measured"
#: How to get the evaluation stack.
INSTALL_HINT = "pip install 'ptmscope[eval]'"
EVAL_MODULES = ("torch", "transformers", "numpy")


class Status(StrEnum):
    """The verdict on one claim."""

    CONSISTENT = "consistent"
    DISCREPANT = "discrepant"
    NOT_VERIFIABLE = "not verifiable"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The verdict on one claim.

    Attributes:
        status: consistent, discrepant or not verifiable.
        claim: the claim judged (None when the card has none).
        reason: why it is not verifiable (None otherwise).
        message: one human line.
        task: the task evaluated, when known.
        metric: the metric id recomputed (``f1_macro``), when known.
        scale: ``fraction``, ``percent`` or ``correlation``, when known.
        claimed: the claimed value on the metric's scale (``95%`` becomes 0.95).
        measured: the recomputed value.
        difference_pp: ``measured - claimed`` in percentage points.
        ci_low / ci_high: bootstrap 95% interval of ``measured``.
        n_examples: examples evaluated.
        tolerance_pp: the tolerance used.
        notes: how the evaluation was made (label mapping, truncation...).
    """

    status: Status
    claim: Claim | None
    reason: Reason | None = None
    message: str = ""
    task: str | None = None
    metric: str | None = None
    scale: str | None = None
    claimed: float | None = None
    measured: float | None = None
    difference_pp: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    n_examples: int = 0
    tolerance_pp: float = DEFAULT_TOLERANCE
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """Everything one ``verify`` run found.

    Attributes:
        model: the model folder.
        data: the data argument as given (None when none was).
        verdicts: one per claim (a single NO_CLAIM verdict when there are none).
        claim_problems: model-index entries that could not be read.
        seconds: wall time of the evaluation.
        examples: examples evaluated in total (all tasks and splits).
    """

    model: str
    data: str | None
    verdicts: tuple[Verdict, ...]
    claim_problems: tuple[str, ...] = ()
    seconds: float = 0.0
    examples: int = 0
    splits: tuple[str, ...] = field(default=())

    @property
    def worst(self) -> Status:
        """Discrepant if any claim is; else consistent if any is; else not verifiable."""
        statuses = {v.status for v in self.verdicts}
        for status in (Status.DISCREPANT, Status.CONSISTENT):
            if status in statuses:
                return status
        return Status.NOT_VERIFIABLE


def eval_extra_missing() -> tuple[str, ...]:
    """The eval-extra modules that are not installed (() when all are)."""
    return tuple(m for m in EVAL_MODULES if importlib.util.find_spec(m) is None)


def _not_verifiable(claim: Claim | None, reason: Reason, message: str, **kw: Any) -> Verdict:
    return Verdict(Status.NOT_VERIFIABLE, claim, reason, message, **kw)


def claimed_on_scale(claim: Claim, scale_name: str, bounds: tuple[float, float]) -> float:
    """The claim's value on the metric's scale, or raise VALUE_OUT_OF_RANGE / NOT_NUMERIC.

    A ``%`` sign is explicit, so ``"95%"`` on a fraction metric is 0.95; a bare 95 is not
    rescaled (that would be a guess).
    """
    if claim.value is None:
        raise NotVerifiable(Reason.CLAIM_NOT_NUMERIC,
                            f"claimed value {claim.raw_value[:40]!r} is not a number")
    value = claim.value
    if claim.percent_sign and scale_name != "percent":
        value = value / 100.0
    low, high = bounds
    if not low <= value <= high:
        raise NotVerifiable(
            Reason.VALUE_OUT_OF_RANGE,
            f"claimed {claim.raw_value[:40]} but {claim.metric_type} is a {scale_name} in "
            f"[{low:g}, {high:g}]" + (" (write 0.95 or 95% for 95 percent)"
                                      if scale_name == "fraction" and value <= 100 else ""),
        )
    return value


def judge(
    claim: Claim, task: str, result: Any, *, tolerance: float = DEFAULT_TOLERANCE,
    resamples: int = 1000, seed: int = 0,
) -> Verdict:
    """Compare one claim with a task's predictions (``TaskResult``); never raises.

    Args:
        claim: the claim.
        task: the task id the predictions are for.
        result: the ``TaskResult`` the task produced.
        tolerance: acceptable absolute gap in percentage points.
        resamples / seed: bootstrap settings.
    """
    from ptmscope.perf.bootstrap import bootstrap_interval
    from ptmscope.perf.metrics import resolve_metric

    n_classes = len(result.labels) or None
    spec = resolve_metric(claim.metric_type, task, claim.metric_args, n_classes)
    if spec is None or not isinstance(result.outputs, spec.outputs):
        return _not_verifiable(claim, Reason.METRIC_UNKNOWN,
                               f"cannot recompute {claim.metric_type[:40]!r} for {task}",
                               task=task, n_examples=result.n_examples, tolerance_pp=tolerance)
    try:
        claimed = claimed_on_scale(claim, spec.scale.value, spec.scale.bounds)
    except NotVerifiable as stop:
        return _not_verifiable(claim, stop.reason, stop.message, task=task, metric=spec.id,
                               scale=spec.scale.value, n_examples=result.n_examples,
                               tolerance_pp=tolerance)
    outputs = cast("Outputs", result.outputs)
    measured = spec.compute(outputs)
    interval = bootstrap_interval(spec, outputs, resamples=resamples, seed=seed)
    difference = (measured - claimed) * spec.scale.to_points
    status = Status.CONSISTENT if abs(difference) <= tolerance else Status.DISCREPANT
    notes = tuple(result.notes) + ((spec.note,) if spec.note else ())
    word = "within" if status is Status.CONSISTENT else "beyond"
    message = (f"{spec.title}: claimed {claimed:.4g}, measured {measured:.4g} "
               f"({difference:+.1f} points, {word} the {tolerance:g}-point tolerance)")
    return Verdict(
        status, claim, None, message, task, spec.id, spec.scale.value, claimed, measured,
        difference, interval.low if interval else None, interval.high if interval else None,
        result.n_examples, tolerance, notes,
    )


def _resolve_task(claim: Claim, folder: Path, override: str | None) -> str:
    from ptmscope.perf.tasks import normalise_task, task_from_model
    from ptmscope.perf.tasks.base import read_config

    if override:
        task = normalise_task(override)
        if task is None:
            raise NotVerifiable(Reason.TASK_UNSUPPORTED, f"task {override!r} is not supported")
        return task
    if claim.task_type:
        task = normalise_task(claim.task_type)
        if task is None:
            raise NotVerifiable(Reason.TASK_UNSUPPORTED,
                                f"task {claim.task_type[:60]!r} is not supported")
        return task
    task = task_from_model(folder, read_config(folder))
    if task is None:
        raise NotVerifiable(Reason.TASK_UNSUPPORTED,
                            "the claim names no task and the model's architecture names none")
    return task


def verify_model(
    model_dir: str | Path,
    data: str | Path | None,
    *,
    split: str | None = None,
    limit: int | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    batch_size: int = 32,
    task: str | None = None,
    claims: ClaimSet | None = None,
    progress: Progress | None = None,
    resamples: int = 1000,
    seed: int = 0,
) -> VerifyReport:
    """Verify every claim of a local model folder against local data.

    Args:
        model_dir: the model folder (config.json, tokenizer, safetensors weights, README.md).
        data: the evaluation data (see ``datasets_io.load_split``); None gives DATA_MISSING.
        split: split to use; default: the split the claim names, else ``test``.
        limit: evaluate only the first ``limit`` examples.
        tolerance: acceptable absolute gap in percentage points.
        batch_size: inference batch size.
        task: force a task instead of the claim's.
        claims: claims to verify instead of the folder's README.md.
        progress: progress reporting.
        resamples / seed: bootstrap settings.
    Returns:
        a ``VerifyReport``; never raises for bad models, data or claims.

    Example:
        >>> report = verify_model("models/sst2-tiny", "data/sst2.csv")  # doctest: +SKIP
        >>> report.verdicts[0].status
        <Status.CONSISTENT: 'consistent'>
    """
    progress = progress or NullProgress()
    folder = Path(model_dir)
    started = time.perf_counter()
    claim_set = claims if claims is not None else claims_from_folder(folder)
    data_text = None if data is None else str(data)
    kw: dict[str, Any] = {"tolerance_pp": tolerance}
    if not claim_set.claims:
        why = "; ".join(claim_set.problems) if claim_set.problems else (
            "the card has no model-index results" if claim_set.has_model_index
            else "the card has no model-index")
        return VerifyReport(str(folder), data_text,
                            (_not_verifiable(None, Reason.NO_CLAIM, why, **kw),),
                            claim_set.problems)
    missing = eval_extra_missing()
    if missing:
        msg = f"needs {', '.join(missing)}: {INSTALL_HINT}"
        return VerifyReport(str(folder), data_text, tuple(
            _not_verifiable(c, Reason.EXTRA_MISSING, msg, **kw) for c in claim_set.claims),
            claim_set.problems)

    verdicts: list[Verdict | None] = [None] * len(claim_set.claims)
    groups: dict[tuple[str, str], list[int]] = {}
    for i, claim in enumerate(claim_set.claims):
        try:
            task_id = _resolve_task(claim, folder, task)
        except NotVerifiable as stop:
            verdicts[i] = _not_verifiable(claim, stop.reason, stop.message, **kw)
            continue
        groups.setdefault((task_id, split or claim.dataset_split or "test"), []).append(i)

    examples = 0
    for (task_id, split_name), members in groups.items():
        try:
            result = _evaluate(folder, data, task_id, split_name, limit, batch_size,
                               [claim_set.claims[i] for i in members], progress)
        except NotVerifiable as stop:
            for i in members:
                verdicts[i] = _not_verifiable(claim_set.claims[i], stop.reason, stop.message,
                                              task=task_id, **kw)
            continue
        examples += result.n_examples
        for i in members:
            verdicts[i] = judge(claim_set.claims[i], task_id, result, tolerance=tolerance,
                                resamples=resamples, seed=seed)
    done = tuple(v for v in verdicts if v is not None)
    return VerifyReport(str(folder), data_text, done, claim_set.problems,
                        time.perf_counter() - started, examples,
                        tuple(sorted({s for _, s in groups})))


def _evaluate(
    folder: Path, data: str | Path | None, task_id: str, split_name: str, limit: int | None,
    batch_size: int, claims: Sequence[Claim], progress: Progress,
) -> Any:
    """Load the split and run the task; every failure becomes ``NotVerifiable``."""
    from ptmscope.errors import EvaluationDataError
    from ptmscope.perf.datasets_io import load_split
    from ptmscope.perf.tasks import task_module

    if data is None:
        names = sorted({c.dataset_type or c.dataset_name for c in claims} - {""})
        raise NotVerifiable(Reason.DATA_MISSING,
                            "no --data given" + (f" (the claim names {', '.join(names)})"
                                                 if names else ""))
    config = next((c.dataset_config for c in claims if c.dataset_config), None)
    try:
        loaded = load_split(data, split=split_name, limit=limit, config=config)
    except EvaluationDataError as err:
        raise NotVerifiable(Reason.DATA_MISSING, str(err)) from err
    except Exception as err:  # a corrupt datasets folder, an odd file: still a verdict
        raise NotVerifiable(Reason.DATA_MISSING,
                            f"{data}: unreadable ({type(err).__name__}: {err})") from err
    module = task_module(task_id)
    try:
        return module.run(folder, loaded, batch_size=batch_size, progress=progress)
    except NotVerifiable:
        raise
    except Exception as err:  # the model ran but failed on this data: report, do not crash
        first = (str(err).strip().splitlines() or [""])[0][:300]
        raise NotVerifiable(Reason.EVALUATION_FAILED, f"{type(err).__name__}: {first}") from err


# --- findings ------------------------------------------------------------------------------
def verdict_severity(verdict: Verdict) -> Severity:
    """Discrepant: medium, high beyond three times the tolerance; otherwise info."""
    if verdict.status is not Status.DISCREPANT or verdict.difference_pp is None:
        return Severity.INFO
    return (Severity.HIGH if abs(verdict.difference_pp) > 3 * verdict.tolerance_pp
            else Severity.MEDIUM)


_OUTCOMES = {Status.CONSISTENT: Outcome.PRESENT, Status.DISCREPANT: Outcome.MISSING,
             Status.NOT_VERIFIABLE: Outcome.NOT_AVAILABLE}


def verdict_findings(report: VerifyReport, subject: str) -> tuple[Finding, ...]:
    """One ``perf`` finding per verdict, about ``subject`` (a RepoId or a folder path)."""
    out = []
    for v in report.verdicts:
        outcome = Outcome.ERROR if v.reason is Reason.EVALUATION_FAILED else _OUTCOMES[v.status]
        label = v.claim.label if v.claim else None
        message = v.message if v.status is not Status.NOT_VERIFIABLE else (
            f"not verifiable ({v.reason.value if v.reason else '?'}): {v.message}")
        out.append(Finding(
            analysis="perf", rule_id=VERIFY_RULE_ID, subject=subject,
            severity=verdict_severity(v), outcome=outcome, message=message[:500],
            path=None, location=label,
            details=verdict_details(v) | {"data": report.data},
        ))
    return tuple(out)


def verdict_details(v: Verdict) -> dict[str, Any]:
    """A verdict as JSON-able facts (also the ``verdicts`` items of the verify JSON)."""
    claim = v.claim
    return {
        "status": v.status.value,
        "reason": v.reason.value if v.reason else None,
        "message": v.message,
        "task": v.task,
        "metric": v.metric,
        "scale": v.scale,
        "claim": None if claim is None else {
            "task_type": claim.task_type, "dataset_type": claim.dataset_type,
            "dataset_name": claim.dataset_name, "dataset_config": claim.dataset_config,
            "dataset_split": claim.dataset_split, "metric_type": claim.metric_type,
            "metric_name": claim.metric_name, "raw_value": claim.raw_value,
            "value": claim.value,
        },
        "claimed": v.claimed,
        "measured": v.measured,
        "difference_pp": v.difference_pp,
        "ci_low": v.ci_low,
        "ci_high": v.ci_high,
        "n_examples": v.n_examples,
        "tolerance_pp": v.tolerance_pp,
        "notes": list(v.notes),
    }
