"""``trust_remote_code``: ``auto_map`` entries and the Python files they make users run.

When ``config.json`` (or ``tokenizer_config.json``, a processor config) has an ``auto_map``,
``from_pretrained(..., trust_remote_code=True)`` imports the named module *from the model
repository* and runs it. Entries of the form ``owner/repo--module.Class`` pull the code from
another repository. This check lists every entry, then reads each referenced ``.py`` file
(and the files it imports relatively) as text and looks, with ``ast``, for calls that reach
the host: processes, ``eval``/``exec``, sockets and HTTP clients, pickle/marshal loaders,
native libraries, dynamic imports, and decode-then-exec chains (``exec(b64decode(...))``).
"""

from __future__ import annotations

import ast
import json
import posixpath
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from ptmscope.records import Finding, Outcome, Severity
from ptmscope.risk.repo_checks import pyast
from ptmscope.risk.repo_checks.base import RepoCheck, RepoFacts

CONFIG_FILES = ("config.json", "tokenizer_config.json", "preprocessor_config.json",
                "processor_config.json", "feature_extractor_config.json")
MAX_CODE_FILES = 50
MAX_CALL_FINDINGS = 40

#: Dangerous call targets (fnmatch patterns on resolved dotted names) -> (severity, category).
DANGEROUS_CALLS: tuple[tuple[str, Severity, str], ...] = (
    ("os.system", Severity.HIGH, "process"), ("os.popen", Severity.HIGH, "process"),
    ("os.exec*", Severity.HIGH, "process"), ("os.spawn*", Severity.HIGH, "process"),
    ("os.posix_spawn*", Severity.HIGH, "process"), ("os.fork*", Severity.HIGH, "process"),
    ("subprocess.*", Severity.HIGH, "process"), ("pty.spawn", Severity.HIGH, "process"),
    ("commands.*", Severity.HIGH, "process"),
    ("eval", Severity.HIGH, "exec"), ("exec", Severity.HIGH, "exec"),
    ("builtins.eval", Severity.HIGH, "exec"), ("builtins.exec", Severity.HIGH, "exec"),
    ("compile", Severity.MEDIUM, "exec"), ("builtins.compile", Severity.MEDIUM, "exec"),
    ("__import__", Severity.MEDIUM, "import"), ("builtins.__import__", Severity.MEDIUM, "import"),
    ("importlib.import_module", Severity.MEDIUM, "import"),
    ("runpy.*", Severity.HIGH, "exec"), ("code.interact", Severity.HIGH, "exec"),
    ("socket.*", Severity.HIGH, "network"), ("requests.*", Severity.HIGH, "network"),
    ("httpx.*", Severity.HIGH, "network"), ("urllib.request.*", Severity.HIGH, "network"),
    ("urllib.urlopen", Severity.HIGH, "network"), ("urllib2.*", Severity.HIGH, "network"),
    ("http.client.*", Severity.HIGH, "network"), ("ftplib.*", Severity.HIGH, "network"),
    ("smtplib.*", Severity.HIGH, "network"), ("telnetlib.*", Severity.HIGH, "network"),
    ("aiohttp.*", Severity.HIGH, "network"), ("paramiko.*", Severity.HIGH, "network"),
    ("pickle.load*", Severity.HIGH, "deserialize"), ("_pickle.load*", Severity.HIGH,
                                                     "deserialize"),
    ("cPickle.load*", Severity.HIGH, "deserialize"), ("dill.load*", Severity.HIGH,
                                                      "deserialize"),
    ("marshal.load*", Severity.HIGH, "deserialize"), ("shelve.open", Severity.HIGH,
                                                      "deserialize"),
    ("joblib.load", Severity.HIGH, "deserialize"), ("cloudpickle.load*", Severity.HIGH,
                                                    "deserialize"),
    ("torch.load", Severity.MEDIUM, "deserialize"),
    ("numpy.load", Severity.LOW, "deserialize"),
    ("ctypes.CDLL", Severity.HIGH, "native"), ("ctypes.cdll.*", Severity.HIGH, "native"),
    ("ctypes.WinDLL", Severity.HIGH, "native"), ("ctypes.windll.*", Severity.HIGH, "native"),
    ("torch.ops.load_library", Severity.MEDIUM, "native"),
    ("webbrowser.*", Severity.MEDIUM, "process"), ("shutil.rmtree", Severity.MEDIUM, "file"),
)
#: Calls that turn opaque data into code or bytes (the first half of a decode-exec chain).
DECODERS = ("base64.*decode", "base64.b*decode", "binascii.a2b_*", "binascii.unhexlify",
            "bytes.fromhex", "codecs.decode", "zlib.decompress", "gzip.decompress",
            "lzma.decompress", "bz2.decompress", "marshal.loads")
EXECUTORS = ("eval", "exec", "builtins.eval", "builtins.exec", "compile", "builtins.compile",
             "types.FunctionType", "marshal.loads")


@dataclass(frozen=True, slots=True)
class AutoMapRef:
    """One ``auto_map`` reference.

    Attributes:
        key: the Auto class (``AutoModel``). reference: the raw value.
        config: config file it came from. module_file: repo path of the code file, or None.
        other_repo: ``owner/repo`` when the code lives in another repository.
    """

    key: str
    reference: str
    config: str
    module_file: str | None
    other_repo: str | None


def parse_reference(key: str, reference: str, config: str) -> AutoMapRef:
    """Split ``[owner/repo--]module.path.Class`` into the code file it needs."""
    other_repo = None
    target = reference
    if "--" in reference:
        other_repo, target = reference.split("--", 1)
    module = target.rsplit(".", 1)[0] if "." in target else ""
    module_file = f"{module.replace('.', '/')}.py" if module and not other_repo else None
    return AutoMapRef(key, reference, config, module_file, other_repo)


def auto_map_refs(config: Any, config_path: str) -> list[AutoMapRef]:
    """Every reference in a parsed config's ``auto_map`` (and ``custom_pipelines`` impls)."""
    refs: list[AutoMapRef] = []
    if not isinstance(config, dict):
        return refs
    auto_map = config.get("auto_map")
    if isinstance(auto_map, dict):
        for key, value in list(auto_map.items())[:200]:
            values = value if isinstance(value, list) else [value]
            refs.extend(parse_reference(str(key), v[:300], config_path)
                        for v in values[:10] if isinstance(v, str) and v)
    pipelines = config.get("custom_pipelines")
    if isinstance(pipelines, dict):
        for task, spec in list(pipelines.items())[:50]:
            impl = spec.get("impl") if isinstance(spec, dict) else None
            if isinstance(impl, str) and impl:
                refs.append(parse_reference(f"pipeline:{task}", impl[:300], config_path))
    return refs


def _matches(target: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatchcase(target, p) for p in patterns)


def dangerous_calls(tree: ast.Module) -> list[tuple[str, Severity, str, int, bool]]:
    """(target, severity, category, line, at_import) for every dangerous call in a module."""
    found: list[tuple[str, Severity, str, int, bool]] = []
    aliases = pyast.import_aliases(tree)
    for call in pyast.calls(tree):
        target = call.target
        if not target:
            continue
        if _matches(target, EXECUTORS) and _has_decoder(call.node, aliases):
            found.append((f"{target}(decode(...))", Severity.CRITICAL, "decode-exec chain",
                          call.node.lineno, call.at_import))
            continue
        for pattern, severity, category in DANGEROUS_CALLS:
            if fnmatchcase(target, pattern):
                if target == "torch.load" and _weights_only(call.node):
                    break
                found.append((target, severity, category, call.node.lineno, call.at_import))
                break
    return found


def _has_decoder(node: ast.Call, aliases: dict[str, str]) -> bool:
    for arg in [*node.args, *(k.value for k in node.keywords)]:
        for sub in ast.walk(arg):
            if isinstance(sub, ast.Call) and _matches(pyast.dotted(sub.func, aliases), DECODERS):
                return True
    return False


def _weights_only(node: ast.Call) -> bool:
    value = pyast.keyword(node, "weights_only")
    return isinstance(value, ast.Constant) and value.value is True


def _relative_imports(tree: ast.Module, module_file: str) -> list[str]:
    """Repo paths of modules imported relatively (``from .x import y``)."""
    here = posixpath.dirname(module_file)
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = here
            for _ in range(node.level - 1):
                base = posixpath.dirname(base)
            if node.module:
                out.append(posixpath.join(base, node.module.replace(".", "/") + ".py"))
            else:
                out.extend(posixpath.join(base, a.name + ".py") for a in node.names)
    return [posixpath.normpath(p).lstrip("/") for p in out]


def run(facts: RepoFacts) -> list[Finding]:
    """Findings for every auto_map reference and every dangerous call in its code."""
    refs: list[AutoMapRef] = []
    for name in CONFIG_FILES:
        record = facts.file(name)
        text = facts.read_text(record) if record is not None else None
        if text is None:
            continue
        try:
            refs.extend(auto_map_refs(json.loads(text), name))
        except (ValueError, RecursionError):
            continue
    if not refs:
        return [CHECK.finding(facts, Outcome.NOT_APPLICABLE, "no auto_map: the model loads "
                              "without trust_remote_code")]
    findings = [CHECK.finding(
        facts, Outcome.MISSING, f"{len(refs)} auto_map entries need trust_remote_code=True "
        f"(e.g. {refs[0].key} -> {refs[0].reference!r})", severity=Severity.MEDIUM,
        path=refs[0].config, location="auto_map",
        evidence={"auto_map": [f"{r.config}:{r.key}={r.reference}" for r in refs[:50]]})]
    for ref in refs:
        if ref.other_repo is not None:
            findings.append(CHECK.finding(
                facts, Outcome.MISSING, f"auto_map {ref.key} runs code from another "
                f"repository {ref.other_repo!r} ({ref.reference!r})", severity=Severity.HIGH,
                path=ref.config, location=f"auto_map.{ref.key}"))
    findings.extend(_scan_code(facts, refs))
    return findings


def _scan_code(facts: RepoFacts, refs: list[AutoMapRef]) -> list[Finding]:
    findings: list[Finding] = []
    queue = list(dict.fromkeys(r.module_file for r in refs if r.module_file))
    seen: set[str] = set()
    calls_reported = 0
    while queue and len(seen) < MAX_CODE_FILES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        record = facts.file(path)
        if record is None:
            if any(r.module_file == path for r in refs):
                findings.append(CHECK.finding(
                    facts, Outcome.NOT_AVAILABLE, f"auto_map points to {path}, which is not "
                    "in the repository", severity=Severity.MEDIUM, path=path))
            continue
        text = facts.read_text(record)
        if text is None:
            findings.append(CHECK.finding(facts, Outcome.NOT_AVAILABLE, f"cannot read {path} "
                                          "(not on disk, too large or not a regular file)",
                                          severity=Severity.MEDIUM, path=path))
            continue
        tree = pyast.parse_source(text)
        if isinstance(tree, str):
            findings.append(CHECK.finding(facts, Outcome.ERROR, f"cannot parse {path}: {tree}",
                                          severity=Severity.MEDIUM, path=path))
            continue
        queue.extend(_relative_imports(tree, path))
        for target, severity, category, line, at_import in dangerous_calls(tree):
            calls_reported += 1
            if calls_reported > MAX_CALL_FINDINGS:
                continue
            when = " at import time" if at_import else ""
            findings.append(CHECK.finding(
                facts, Outcome.MISSING, f"remote code calls {target} ({category}){when}",
                severity=severity, path=path, location=f"line {line}",
                evidence={"call": target, "category": category, "at_import": at_import}))
    if calls_reported > MAX_CALL_FINDINGS:
        extra = calls_reported - MAX_CALL_FINDINGS
        findings.append(CHECK.finding(facts, Outcome.MISSING,
                                      f"{extra} more dangerous calls not listed",
                                      severity=Severity.HIGH))
    return findings


CHECK = RepoCheck(
    id="REPO-REMOTE-CODE",
    title="Remote code (trust_remote_code)",
    why="auto_map makes transformers import and run Python files from the model repository "
        "(or another one); that code runs with the user's privileges on load",
    remedy="Prefer a model that loads with built-in classes; otherwise pin the revision, read "
           "the referenced .py files, and load with trust_remote_code only after review",
    severity=Severity.HIGH,
    run=run,
)
