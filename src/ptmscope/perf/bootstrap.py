"""Bootstrap confidence intervals: seeded, vectorised with numpy.

We resample examples with replacement ``resamples`` times and take the 2.5th and 97.5th
percentiles of the metric (the percentile bootstrap). Resamples are drawn as one index matrix
and handed to the metric's vectorised statistic, in chunks so that ``chunk x n`` stays bounded
in memory for large evaluations. The same seed always gives the same interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ptmscope.perf.metrics import MetricSpec, Outputs

#: Resamples drawn by default (enough for a stable 95% percentile interval).
DEFAULT_RESAMPLES = 1000
#: Largest index matrix (elements) built at once.
MAX_CHUNK_ELEMENTS = 4_000_000


@dataclass(frozen=True, slots=True)
class Interval:
    """A confidence interval.

    Attributes:
        low / high: the bounds, on the metric's own scale.
        level: the confidence level (0.95).
        resamples: how many bootstrap resamples it rests on.
        seed: the random seed used.
    """

    low: float
    high: float
    level: float
    resamples: int
    seed: int


def bootstrap_interval(
    metric: MetricSpec, outputs: Outputs, *, resamples: int = DEFAULT_RESAMPLES,
    level: float = 0.95, seed: int = 0,
) -> Interval | None:
    """Percentile bootstrap interval of ``metric`` over ``outputs``.

    Args:
        metric: the metric (its vectorised statistic is used).
        outputs: the task's predictions.
        resamples: number of resamples.
        level: confidence level.
        seed: random seed (same seed, same interval).
    Returns:
        the interval, or None when there are no examples.

    Example:
        >>> import numpy as np
        >>> from ptmscope.perf.metrics import METRICS_BY_ID, ClassOutputs
        >>> out = ClassOutputs(np.array([0, 1, 1, 0]), np.array([0, 1, 0, 0]), ("a", "b"))
        >>> ci = bootstrap_interval(METRICS_BY_ID["accuracy"], out, resamples=200)
        >>> 0.0 <= ci.low <= 0.75 <= ci.high <= 1.0
        True
    """
    n = outputs.n
    if n == 0 or resamples <= 0:
        return None
    rng = np.random.default_rng(seed)
    chunk = max(1, min(resamples, MAX_CHUNK_ELEMENTS // n))
    values: list[np.ndarray] = []
    done = 0
    while done < resamples:
        rows = min(chunk, resamples - done)
        idx = rng.integers(0, n, size=(rows, n), dtype=np.int64)
        values.append(np.asarray(metric.statistic(outputs, idx), dtype=np.float64))
        done += rows
    stats = np.concatenate(values)
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(stats, [alpha, 1.0 - alpha])
    return Interval(float(low), float(high), level, resamples, seed)
