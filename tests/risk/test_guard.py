"""Scanning never executes: an audit hook watches every malicious sample being scanned.

The hook (``sys.addaudithook`` cannot be removed, so it only records while ``ACTIVE``) fails
the test on exec / compile, an import of a module the samples name, process creation,
``os.system``, sockets, ``pickle.find_class`` (an unpickler resolving a global), marshal and
ctypes loading.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ptmscope.risk.runner import scan_paths

from . import samples as S

EVENTS: list[tuple[str, str]] = []
ACTIVE = False
FORBIDDEN_PREFIXES = ("exec", "compile", "subprocess.", "os.system", "os.exec", "os.spawn",
                      "os.posix_spawn", "os.fork", "socket.", "pickle.find_class",
                      "marshal.load", "ctypes.", "urllib.Request", "webbrowser.", "pty.")


def _hook(event: str, args: tuple[object, ...]) -> None:
    if ACTIVE and (event.startswith(FORBIDDEN_PREFIXES) or event == "import"):
        EVENTS.append((event, repr(args)[:200]))


sys.addaudithook(_hook)


def test_scanning_every_malicious_sample_runs_nothing(tmp_path: Path):
    global ACTIVE
    paths = []
    for sample in S.corpus():
        if sample.malicious:
            path = tmp_path / sample.name
            path.write_bytes(sample.data)
            paths.append(path)
    bounds = tmp_path / "laughs.pkl"
    bounds.write_bytes(S.billion_laughs())
    paths.append(bounds)
    scan_paths(paths)  # warm-up: ptmscope's own lazy imports happen here, unrecorded
    EVENTS.clear()
    ACTIVE = True
    try:
        report = scan_paths(paths)
    finally:
        ACTIVE = False
    imports = [args for event, args in EVENTS if event == "import"]
    others = [(e, a) for e, a in EVENTS if e != "import"]
    assert others == []
    assert imports == [], imports
    assert len({i.path.split(":")[0] for i in report.issues}) == len(paths) - 1
