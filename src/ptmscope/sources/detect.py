"""Decide what a local source is: Hugging Face model repo or upstream code repo, and its name.

Detection reads content, not names: an LFS ``.gitattributes``, a card with YAML metadata, a
``config.json`` or weight files say "model repository"; ``--platform`` overrides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ptmscope.records import CardRecord, FileRecord, Platform
from ptmscope.sources.gitcmd import git_config_values

WEIGHT_SUFFIXES = (
    ".safetensors",
    ".bin",
    ".pt",
    ".pth",
    ".ckpt",
    ".h5",
    ".keras",
    ".onnx",
    ".gguf",
    ".msgpack",
    ".tflite",
    ".mlmodel",
    ".pb",
    ".joblib",
    ".pkl",
    ".npz",
)
_CODE_SUFFIXES = (".py", ".ipynb", ".sh", ".cpp", ".cu", ".c", ".js", ".ts", ".go", ".rs")
_HF_URL = re.compile(r"huggingface\.co/(?:models/)?([\w.-]+/[\w.-]+?)(?:\.git)?/?$")
_GH_URL = re.compile(r"github\.com[:/]([\w.-]+/[\w.-]+?)(?:\.git)?/?$")
_HF_CACHE = re.compile(r"^models--([\w.-]+)--([\w.-]+)$")


def detect_platform(
    paths: Sequence[str], card: CardRecord | None, files: Sequence[FileRecord] = ()
) -> Platform:
    """Guess the platform of a repository from its files and card.

    Scores model-repo evidence (config.json at top level, weights, LFS pointers, a card with
    Hub metadata keys) against code-repo evidence (many code files, setup.py/pyproject).
    """
    top = {p for p in paths if "/" not in p}
    model = 0
    if "config.json" in top:
        model += 2
    if any(p.endswith(WEIGHT_SUFFIXES) for p in top):
        model += 2
    if any(f.lfs_sha256 for f in files):
        model += 2
    if card is not None and card.metadata:
        hub_keys = {
            "license",
            "pipeline_tag",
            "library_name",
            "tags",
            "model-index",
            "base_model",
            "datasets",
            "language",
        }
        if hub_keys & set(card.metadata):
            model += 2
    code_files = sum(p.endswith(_CODE_SUFFIXES) for p in paths)
    code = min(code_files, 6)
    if {"setup.py", "pyproject.toml", "requirements.txt", "Makefile"} & top:
        code += 2
    if any(p.startswith((".github/", "src/", "tests/")) for p in paths):
        code += 2
    return Platform.HUGGINGFACE if model >= max(code, 2) else Platform.GITHUB


def name_from_url(url: str) -> str | None:
    """``owner/name`` from a Hugging Face or GitHub URL, or None."""
    for pattern in (_HF_URL, _GH_URL):
        if (m := pattern.search(url.strip())) is not None:
            return m.group(1)
    return None


def name_from_folder(path: Path) -> str:
    """``owner/name`` from a folder: HF cache layout, ``owner/name`` layout, or ``local/name``."""
    path = path.resolve()
    if path.name == ".git":  # the git folder of a checkout names the checkout
        path = path.parent
    parts = path.parts
    for index, part in enumerate(parts):
        if (m := _HF_CACHE.match(part)) is not None and index + 1 < len(parts):
            return f"{m.group(1)}/{m.group(2)}"
    leaf = path.name.removesuffix(".git")
    parent = path.parent.name
    if parent and parent not in ("", "/", "tmp") and re.fullmatch(r"[\w.-]+", parent):
        return f"{parent}/{leaf}"
    return f"local/{leaf}"


def infer_name(repo: Path, bare: bool) -> str:
    """``owner/name`` of a git repository: from its origin URL, else from its folder."""
    for url in git_config_values(repo, "remote.origin.url"):
        found = name_from_url(url)
        if found:
            return found
    return name_from_folder(repo)
