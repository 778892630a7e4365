"""Reading Python source as data: parse with ``ast`` (never compile to code, never run) and
resolve call targets through import aliases.

``parse_source`` uses ``ast.parse`` - which raises the ``compile`` audit event with the
filename ``AST_FILENAME`` but only builds a syntax tree (``PyCF_ONLY_AST``); no code object
is created and nothing runs. Audit-hook guards can recognise that filename.

``calls(tree)`` yields every call with its resolved dotted target (``import subprocess as
sp; sp.run(...)`` -> ``subprocess.run``; ``from os import system as s`` -> ``os.system``;
``getattr(os, "system")`` -> ``os.system``; ``__import__("os").system`` -> ``os.system``)
and whether it runs at import time (not inside a function body).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

#: Filename given to ``ast.parse`` so audit hooks can tell AST-only parsing apart.
AST_FILENAME = "<ptmscope-ast-only>"
MAX_AST_NODES = 500_000


@dataclass(frozen=True, slots=True)
class Call:
    """One call site.

    Attributes:
        target: resolved dotted name (``subprocess.run``) or "" when not resolvable.
        node: the ``ast.Call``.
        at_import: True when the call is outside any function/lambda (runs on import).
    """

    target: str
    node: ast.Call
    at_import: bool


def parse_source(text: str) -> ast.Module | str:
    """The module's AST, or why it could not be parsed (syntax error, too deep, too big)."""
    try:
        tree = ast.parse(text, filename=AST_FILENAME)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as err:
        return f"{type(err).__name__}: {str(err)[:200]}"
    count = sum(1 for _ in zip(ast.walk(tree), range(MAX_AST_NODES + 1), strict=False))
    if count > MAX_AST_NODES:
        return f"more than {MAX_AST_NODES} syntax nodes"
    return tree


def import_aliases(tree: ast.Module) -> dict[str, str]:
    """Local name -> fully qualified name for every import in the module."""
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    root = alias.name.split(".", 1)[0]
                    aliases.setdefault(root, root)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if alias.name != "*":
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def dotted(expr: ast.expr, aliases: dict[str, str]) -> str:
    """The dotted name an expression refers to, through aliases; "" when unknown."""
    if isinstance(expr, ast.Name):
        return aliases.get(expr.id, expr.id)
    if isinstance(expr, ast.Attribute):
        base = dotted(expr.value, aliases)
        return f"{base}.{expr.attr}" if base else ""
    if isinstance(expr, ast.Call):
        func = dotted(expr.func, aliases)
        args = expr.args
        if func in ("__import__", "importlib.import_module", "builtins.__import__") and args \
                and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
            return args[0].value
        if func in ("getattr", "builtins.getattr") and len(args) >= 2 \
                and isinstance(args[1], ast.Constant) and isinstance(args[1].value, str):
            base = dotted(args[0], aliases)
            return f"{base}.{args[1].value}" if base else ""
    if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant) \
            and isinstance(expr.slice.value, str):
        base = dotted(expr.value, aliases)
        if base in ("__builtins__", "builtins", "globals", "vars", "locals"):
            return f"builtins.{expr.slice.value}"
    return ""


def calls(tree: ast.Module) -> Iterator[Call]:
    """Every call in the module with its resolved target (see module doc)."""
    aliases = import_aliases(tree)
    stack: list[tuple[ast.AST, bool]] = [(tree, True)]
    while stack:
        node, at_import = stack.pop()
        if isinstance(node, ast.Call):
            yield Call(dotted(node.func, aliases), node, at_import)
        inner = at_import and not isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        stack.extend((child, inner) for child in ast.iter_child_nodes(node))


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """The value of keyword argument ``name``, or None."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def const_str(expr: ast.expr | None) -> str | None:
    """The string value of a constant expression, else None."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    return None
