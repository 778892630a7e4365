"""Chat templates (Jinja): server-side template-injection constructs, found without rendering.

Tokenizers ship a Jinja chat template (``tokenizer_config.json`` ``chat_template``, a
``chat_template.jinja`` file, or the GGUF ``tokenizer.chat_template`` key) that inference
servers render. Transformers uses a sandboxed environment, but other runtimes have rendered
templates unsandboxed (llama-cpp-python CVE-2024-34359), and sandbox escapes exist. The
classic payloads walk Python's object graph from any object to ``os``:
``''.__class__.__mro__[1].__subclasses__()``, ``lipsum.__globals__['os'].popen(...)``,
``cycler.__init__.__globals__``, ``self._TemplateReference__context``, ``|attr('__class__')``,
and obfuscations that build ``__class__`` from pieces (``'_'*2``, ``'__cla'~'ss__'``,
``'\\x5f\\x5f'``, ``'__ssalc__'|reverse``).

jinja2 is not a core dependency, so this module tokenizes the Jinja code regions itself
(``{{ }}``, ``{% %}``; comments and ``{% raw %}`` skipped) and looks at identifiers,
attribute names and decoded string literals. Nothing is ever rendered, compiled or imported.

``check_template(text, where)`` is the entry point other scanners (GGUF) reuse.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, BinaryIO, ClassVar

from ptmscope.records import Severity
from ptmscope.risk.base import Inconclusive, RiskIssue, Rule, ScanContext, Scanner, ScanResult

FORMAT = "chat-template"
MAX_TEMPLATE = 1024 * 1024
MAX_JSON = 32 * 1024 * 1024  # tokenizer configs with huge vocabularies stay below this
MAX_ISSUES = 50
MAX_NESTING = 200

#: Dunder names that are the rungs of every known sandbox-escape ladder.
ESCAPE_DUNDERS = frozenset({
    "__class__", "__mro__", "__subclasses__", "__globals__", "__builtins__", "__import__",
    "__base__", "__bases__", "__init__", "__dict__", "__getattribute__", "__code__",
    "__reduce__", "__reduce_ex__", "__self__", "__func__", "__loader__", "__spec__",
    "__getitem__", "__call__", "__closure__", "__module__", "__new__",
})
#: Jinja/Flask globals that expose function objects (and so ``__globals__``).
GADGET_NAMES = frozenset({
    "cycler", "joiner", "lipsum", "self", "request", "config", "url_for",
    "get_flashed_messages", "g", "session", "range_", "_TemplateReference__context",
})
#: Names that mean "run something on the host" whether as a variable or an attribute.
EXEC_NAMES = frozenset({
    "os", "subprocess", "popen", "system", "eval", "exec", "execfile", "compile",
    "__import__", "import_module", "importlib", "builtins", "getattr", "globals", "locals",
    "posix", "spawn", "check_output", "pty", "socket", "sys", "modules",
})
#: Names as plain identifiers that are fine in templates even though in EXEC_NAMES as attrs.
_PLAIN_OK = frozenset({"system", "compile", "modules", "spawn"})
_DUNDER = re.compile(r"__[A-Za-z][A-Za-z0-9_]*__")
_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
    |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<num>\d+(?:\.\d+)?)
    |(?P<op>\*\*|//|==|!=|<=|>=|[-+*/%~|.,:()\[\]{}=<>!])
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|.)",
                     re.DOTALL)
_WHY = ("Jinja template injection: inference servers render chat templates; reaching "
        "Python internals from a template leads to code execution on the server "
        "(CVE-2024-34359)")

CHAT_RULES: tuple[Rule, ...] = (
    Rule("CHAT-TEMPLATE-INJECTION", "Template-injection construct in a chat template", _WHY,
         "Replace the chat template with a known-good one; render templates only in a "
         "sandboxed Jinja environment.", Severity.HIGH),
    Rule("CHAT-TEMPLATE-SIZE", "Chat template too large", "Only part of it was checked.",
         "Inspect the template by hand.", Severity.MEDIUM),
    Rule("CHAT-TEMPLATE-SYNTAX", "Chat template delimiters unbalanced",
         "The renderer may read the template differently from the checker.",
         "Fix the template.", Severity.LOW),
)


@dataclass(frozen=True, slots=True)
class Token:
    """One lexical token of a Jinja code region.

    Attributes:
        kind: ``str``, ``name``, ``num``, ``op`` or ``other``.
        value: the decoded string for ``str`` tokens, the source text otherwise.
        offset: character offset in the template.
    """

    kind: str
    value: str
    offset: int


def _unescape(body: str) -> str:
    def repl(m: re.Match[str]) -> str:
        esc = m.group(1)
        if esc[0] in "xuU":
            return chr(int(esc[1:], 16))
        if esc[0].isdigit():
            return chr(int(esc, 8) & 0x10FFFF)
        return {"n": "\n", "t": "\t", "r": "\r"}.get(esc, esc)

    return _ESCAPE.sub(repl, body)


def code_regions(template: str) -> tuple[list[tuple[str, int]], list[str]]:
    """Split a template into Jinja code regions (text, offset), skipping comments and raw.

    Returns:
        (regions, problems): ``problems`` lists unbalanced delimiters.
    """
    regions: list[tuple[str, int]] = []
    problems: list[str] = []
    pos = 0
    opener = re.compile(r"\{\{|\{%|\{#")
    while True:
        m = opener.search(template, pos)
        if m is None:
            return regions, problems
        kind = m.group(0)
        closer = {"{{": "}}", "{%": "%}", "{#": "#}"}[kind]
        end = _find_closer(template, m.end(), closer)
        if end < 0:  # Jinja refuses to compile this, so the tail cannot run: not tokenized
            problems.append(f"unclosed {kind} at offset {m.start()}")
            return regions, problems
        if kind != "{#":
            body = template[m.end():end].strip("-+ \t\r\n")
            regions.append((template[m.end():end], m.end()))
            if kind == "{%" and re.fullmatch(r"raw", body):
                endraw = re.compile(r"\{%[-+]?\s*endraw\s*[-+]?%\}").search(template, end)
                pos = endraw.end() if endraw else len(template)
                continue
        pos = end + len(closer)


def _find_closer(template: str, start: int, closer: str) -> int:
    """Index of ``closer`` after ``start``, ignoring ones inside string literals."""
    i = start
    quote = ""
    n = len(template)
    while i < n:
        ch = template[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = ""
        elif ch in "'\"" and closer != "#}":
            quote = ch
        elif template.startswith(closer, i):
            return i
        i += 1
    return -1


def tokenize(region: str, base: int) -> list[Token]:
    """Tokens of one code region, with string literals decoded."""
    tokens: list[Token] = []
    for m in _TOKEN.finditer(region):
        kind = m.lastgroup or "other"
        if kind == "ws":
            continue
        value = m.group(0)
        if kind == "str":
            value = _unescape(value[1:-1])
        tokens.append(Token(kind, value, base + m.start()))
    return tokens


@dataclass(frozen=True, slots=True)
class _Hit:
    severity: Severity
    construct: str
    message: str
    offset: int


def _check_tokens(tokens: list[Token]) -> list[_Hit]:
    hits: list[_Hit] = []
    depth = 0
    strings: list[str] = []
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1] if i else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        is_attr = prev is not None and prev.kind == "op" and prev.value == "."
        if tok.kind == "op" and tok.value in "([{":
            depth += 1
            if depth > MAX_NESTING:
                hits.append(_Hit(Severity.MEDIUM, "nesting", "brackets nested deeper than "
                                 f"{MAX_NESTING}", tok.offset))
                return hits
        elif tok.kind == "op" and tok.value in ")]}":
            depth = max(0, depth - 1)
        elif tok.kind == "name":
            hits.extend(_check_name(tok, is_attr, nxt))
            after = tokens[i + 2] if i + 2 < len(tokens) else None
            if tok.value == "attr" and nxt is not None and nxt.value == "(" and (
                    after is None or after.kind != "str"):
                hits.append(_Hit(Severity.HIGH, "attr", "attr() with a computed attribute name",
                                 tok.offset))
        elif tok.kind == "str":
            strings.append(tok.value)
            hits.extend(_check_string(tok, prev, tokens[i - 2] if i > 1 else None))
    joined = _DUNDER.search("".join(strings))
    if joined and not any(_DUNDER.search(s) for s in strings):
        hits.append(_Hit(Severity.CRITICAL, joined.group(0),
                         "string pieces concatenate into a dunder name", tokens[0].offset))
    return hits


def _check_name(tok: Token, is_attr: bool, nxt: Token | None) -> list[_Hit]:
    name = tok.value
    if _DUNDER.fullmatch(name) or name.startswith("_TemplateReference"):
        severity = Severity.CRITICAL if name in ESCAPE_DUNDERS or "TemplateReference" in name \
            else Severity.HIGH
        return [_Hit(severity, name, f"access to Python internal {name!r}", tok.offset)]
    if is_attr and name.startswith("_"):
        return [_Hit(Severity.HIGH, name, f"access to private attribute {name!r}", tok.offset)]
    accessed = nxt is not None and nxt.kind == "op" and nxt.value in (".", "[")
    if name in GADGET_NAMES and not is_attr:
        severity = Severity.HIGH if accessed else Severity.MEDIUM
        return [_Hit(severity, name, f"Jinja/Flask gadget object {name!r}"
                     + (" has its attributes walked" if accessed else " referenced"), tok.offset)]
    if name == "namespace" and not is_attr and accessed:
        return [_Hit(Severity.HIGH, name, "attribute access on the namespace class itself",
                     tok.offset)]
    if name in EXEC_NAMES and (is_attr or name not in _PLAIN_OK):
        return [_Hit(Severity.HIGH, name, f"host-execution name {name!r}", tok.offset)]
    return []


def _check_string(tok: Token, prev: Token | None, prev2: Token | None) -> list[_Hit]:
    value = tok.value
    matches = [(m.group(0), how) for candidate, how in ((value, ""), (value[::-1], " (reversed)"))
               if (m := _DUNDER.search(candidate))]
    if matches:
        name, how = min(matches, key=lambda m: m[0] not in ESCAPE_DUNDERS)
        return [_Hit(Severity.CRITICAL, name, f"string literal names Python internal {name!r}{how}",
                     tok.offset)]
    after_attr = prev2 is not None and prev2.value == "attr" and prev is not None \
        and prev.value == "("
    if after_attr and value.startswith("_"):
        return [_Hit(Severity.HIGH, value[:40], f"attr() with private name {value[:40]!r}",
                         tok.offset)]
    if value and set(value) == {"_"}:
        return [_Hit(Severity.HIGH, value, "string made only of underscores (building a dunder)",
                     tok.offset)]
    if "%c" in value:
        return [_Hit(Severity.MEDIUM, value[:40], "'%c' format string (building names from "
                     "character codes)", tok.offset)]
    if value in EXEC_NAMES - _PLAIN_OK:
        return [_Hit(Severity.MEDIUM, value, f"string names host-execution object {value!r}",
                     tok.offset)]
    return []


def _check_statements(tokens: list[Token]) -> list[_Hit]:
    if tokens and tokens[0].kind == "name" and tokens[0].value in (
            "include", "import", "extends", "from"):
        return [_Hit(Severity.HIGH, tokens[0].value, f"{{% {tokens[0].value} %}} loads another "
                     "template from the server's loader (file read)", tokens[0].offset)]
    return []


def check_template(template: str, where: str, fmt: str = FORMAT) -> list[RiskIssue]:
    """Template-injection issues in one chat template (never rendered).

    Args:
        template: the Jinja source.
        where: location prefix for issues (``chat_template``, ``tokenizer.chat_template``).
        fmt: the artifact format to record on issues.

    Returns:
        Issues sorted by offset, at most ``MAX_ISSUES`` (+1 summary).
    """
    issues: list[RiskIssue] = []
    if len(template) > MAX_TEMPLATE:
        issues.append(RiskIssue("CHAT-TEMPLATE-SIZE", Severity.MEDIUM, "size",
                                f"template is {len(template)} characters; only the first "
                                f"{MAX_TEMPLATE} were checked", _WHY, where, fmt))
        template = template[:MAX_TEMPLATE]
    regions, problems = code_regions(template)
    for problem in problems:
        issues.append(RiskIssue("CHAT-TEMPLATE-SYNTAX", Severity.LOW, "delimiter", problem,
                                "a template the checker cannot delimit may be read differently "
                                "by the renderer", where, fmt))
    hits: list[_Hit] = []
    for region, base in regions:
        tokens = tokenize(region, base)
        hits.extend(_check_statements(tokens))
        hits.extend(_check_tokens(tokens))
    seen: set[tuple[str, int]] = set()
    for hit in sorted(hits, key=lambda h: (h.offset, h.severity.rank)):
        if (hit.construct, hit.offset) in seen:
            continue
        seen.add((hit.construct, hit.offset))
        issues.append(RiskIssue("CHAT-TEMPLATE-INJECTION", hit.severity, hit.construct,
                                hit.message, _WHY, f"{where} char {hit.offset}", fmt))
    if len(issues) > MAX_ISSUES:
        worst = min(issues, key=lambda i: i.severity.rank)
        dropped = len(issues) - MAX_ISSUES
        issues = [*issues[:MAX_ISSUES], RiskIssue(
            "CHAT-TEMPLATE-INJECTION", worst.severity, "...",
            f"{dropped} more template issues not listed", _WHY, where, fmt)]
    return issues


def templates_from_config(config: Any) -> list[tuple[str, str]]:
    """(where, template) pairs from a parsed ``tokenizer_config.json``-like object.

    ``chat_template`` may be a string or a list of ``{"name", "template"}`` objects.
    """
    if not isinstance(config, dict):
        return []
    value = config.get("chat_template")
    if isinstance(value, str):
        return [("chat_template", value)]
    out: list[tuple[str, str]] = []
    if isinstance(value, list):
        for i, item in enumerate(value[:100]):
            if isinstance(item, dict) and isinstance(item.get("template"), str):
                out.append((f"chat_template[{str(item.get('name', i))[:60]}]", item["template"]))
    return out


#: Documents that quote templates rather than being one (the name is only a hint, used to
#: avoid treating a model card's examples as a template).
_DOCUMENT_SUFFIXES = (".md", ".markdown", ".rst", ".html", ".htm", ".py", ".ipynb")


def _is_jinja_text(head: bytes, base: str) -> bool:
    if b"\x00" in head or base.endswith(_DOCUMENT_SUFFIXES):
        return False
    return b"{%" in head and b"%}" in head and any(
        w in head for w in (b"messages", b"bos_token", b"eos_token", b"add_generation_prompt"))


class ChatTemplateScanner(Scanner):
    """Finds template-injection constructs in chat templates (JSON configs and .jinja)."""

    id: ClassVar[str] = "chat-template"
    formats: ClassVar[tuple[str, ...]] = (FORMAT,)
    description: ClassVar[str] = (
        "Jinja chat templates (tokenizer_config.json, .jinja): access to Python internals, "
        "gadget objects, attr()/dunder strings, dunders built from pieces, include/import"
    )
    rules: ClassVar[tuple[Rule, ...]] = CHAT_RULES

    @classmethod
    def sniff(cls, head: bytes, name: str) -> bool:
        """A JSON object with a ``chat_template`` key (or a tokenizer config by name), or
        Jinja text that talks about messages."""
        stripped = head.lstrip()
        base = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
        if stripped.startswith(b"{") and not stripped.startswith((b"{%", b"{{", b"{#")):
            return b'"chat_template"' in head or base in (
                "tokenizer_config.json", "chat_template.json", "processor_config.json")
        if base.endswith((".jinja", ".jinja2", ".j2")):
            return b"\x00" not in head
        return _is_jinja_text(head, base)

    def scan(self, stream: BinaryIO, ctx: ScanContext) -> ScanResult:
        """Read the file (bounded), find its templates, check each."""
        result = ScanResult(scanned=[ctx.path])
        stream.seek(0)
        data = stream.read(MAX_JSON + 1)
        result.bytes_read = len(data)
        if len(data) > MAX_JSON:
            result.inconclusive.append(Inconclusive(ctx.path, f"larger than {MAX_JSON} bytes"))
            data = data[:MAX_JSON]
        text = data.decode("utf-8", errors="replace")
        stripped = text.lstrip()
        templates: list[tuple[str, str]]
        if stripped.startswith("{") and not stripped.startswith(("{%", "{{", "{#")):
            try:
                templates = templates_from_config(json.loads(text))
            except (ValueError, RecursionError) as err:
                result.inconclusive.append(Inconclusive(ctx.path, f"JSON: {str(err)[:200]}"))
                return result
        else:
            templates = [("template", text)]
        for where, template in templates:
            result.issues.extend(check_template(template, where))
        if templates and not result.issues:
            result.passed.append("CHAT-TEMPLATE-INJECTION")
        return result
