"""Safetensors headers: read bounded, never the weights; malformed files give a problem."""

from __future__ import annotations

import struct
from pathlib import Path

from ptmscope.attributes.safetensors import HeaderProblem, SafetensorsHeader, read_header

from .factories import safetensors_bytes


def test_parameters_are_counted_from_the_header(tmp_path: Path) -> None:
    target = tmp_path / "model.safetensors"
    target.write_bytes(safetensors_bytes({"w": ("F32", [4, 8]), "b": ("F16", [8]),
                                          "q": ("I8", [2, 2])}))
    header = read_header(target, "model.safetensors")
    assert isinstance(header, SafetensorsHeader)
    assert (header.tensors, header.parameters) == (3, 44)
    assert header.dtypes == {"F32": 32, "F16": 8, "I8": 4}
    assert header.metadata == {"format": "pt"}


def test_an_lfs_pointer_is_not_parsed(tmp_path: Path) -> None:
    target = tmp_path / "p.safetensors"
    target.write_text("version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 9\n")
    problem = read_header(target, "p.safetensors")
    assert isinstance(problem, HeaderProblem) and "LFS pointer" in problem.reason


def test_a_huge_declared_header_is_refused_without_reading_it(tmp_path: Path) -> None:
    target = tmp_path / "big.safetensors"
    target.write_bytes(struct.pack("<Q", 10**12) + b"{}")
    problem = read_header(target, "big.safetensors", max_bytes=1024)
    assert isinstance(problem, HeaderProblem) and "bound" in problem.reason


def test_truncated_and_garbage_headers_are_problems(tmp_path: Path) -> None:
    short = tmp_path / "short.safetensors"
    short.write_bytes(b"\x01\x02")
    cut = tmp_path / "cut.safetensors"
    cut.write_bytes(struct.pack("<Q", 100) + b'{"a":')
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(struct.pack("<Q", 4) + b"\xff\xfe\x00\x01")
    shape = tmp_path / "shape.safetensors"
    body = b'{"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 0]}}'
    shape.write_bytes(struct.pack("<Q", len(body)) + body)
    for path in (short, cut, junk, shape, tmp_path / "absent.safetensors"):
        assert isinstance(read_header(path, path.name), HeaderProblem), path.name
