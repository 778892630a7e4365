"""Run a benchmark's child process to completion and measure it with ``wait4``.

``wait4`` gives this child's own resource usage (and that of the children it waited for, such
as git), unlike ``RUSAGE_CHILDREN``, which keeps the largest peak of every child so far.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Run:
    """One finished child process.

    Attributes:
        wall_s: wall-clock seconds from start to exit.
        cpu_s: user + system CPU seconds of the child and the children it waited for (git).
        peak_mb: max RSS of the child or any child it waited for, in MiB.
        result: the JSON object the child printed last, if any.
    """

    wall_s: float
    cpu_s: float
    peak_mb: float
    result: dict[str, Any]


def run(args: list[str], *, json_out: bool = False) -> Run:
    """Run ``args`` to completion and measure it with ``wait4`` (this child's rusage only)."""
    start = time.perf_counter()
    stdout = subprocess.PIPE if json_out else subprocess.DEVNULL
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(args, stdout=stdout, stderr=errors)
        out = proc.stdout.read() if proc.stdout is not None else b""
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace")
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(args[:4])}\n{message}")
    result = json.loads(out.decode().strip().splitlines()[-1]) if json_out else {}
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, result)
