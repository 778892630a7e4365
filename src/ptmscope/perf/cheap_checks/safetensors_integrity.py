"""Each safetensors file is as long as its header says.

The header fixes where every tensor's bytes end; a file shorter than that was truncated (an
interrupted upload or download) and one longer carries bytes no tensor accounts for. Either
way the checkpoint is not the one described. Only the header is read.
"""

from __future__ import annotations

from ptmscope.formats.safetensors import HeaderProblem, ProblemKind
from ptmscope.perf.cheap_checks.base import CheapCheck, CheckContext
from ptmscope.records import Finding, Outcome, Severity


def _run(ctx: CheckContext) -> tuple[Finding, ...]:
    headers = [h for p, h in sorted(ctx.headers.items()) if p.endswith(".safetensors")]
    if not headers:
        return (CHECK.finding(ctx, Outcome.NOT_APPLICABLE, "no local safetensors files"),)
    out: list[Finding] = []
    for h in headers:
        if isinstance(h, HeaderProblem):
            # Weights that are not on disk could not be checked: unknown, not broken.
            unknown = h.kind in (ProblemKind.LFS_POINTER, ProblemKind.NOT_LOCAL)
            outcome = Outcome.NOT_AVAILABLE if unknown else Outcome.MISSING
            out.append(CHECK.finding(ctx, outcome, f"header unreadable: {h.reason}",
                                     path=h.path))
        elif h.file_size != h.expected_file_size:
            kind = "truncated" if h.file_size < h.expected_file_size else "has trailing bytes"
            out.append(CHECK.finding(
                ctx, Outcome.MISSING,
                f"{kind}: {h.file_size} bytes, header says {h.expected_file_size}", path=h.path,
                details={"file_size": h.file_size, "expected": h.expected_file_size}))
        else:
            out.append(CHECK.finding(ctx, Outcome.PRESENT,
                                     f"{h.tensors} tensors, size matches the header",
                                     path=h.path, details={"parameters": h.parameters}))
    return tuple(out)


CHECK = CheapCheck(
    id="perf.safetensors-integrity",
    title="Safetensors files match their headers",
    why="A truncated or padded weight file is not the checkpoint its card describes: it fails "
        "to load, or loads bytes nobody declared.",
    remediation="Re-upload the file from the original checkpoint and compare its hash.",
    severity=Severity.MEDIUM,
    run=_run,
)
