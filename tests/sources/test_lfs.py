"""Git LFS pointers: what is and is not a pointer."""

from __future__ import annotations

import pytest

from ptmscope.sources.lfs import parse_lfs_pointer

OID = b"ab" * 32


def pointer(size: bytes) -> bytes:
    return b"version https://git-lfs.github.com/spec/v1\noid sha256:" + OID + b"\nsize " + size


@pytest.mark.parametrize(
    ("size", "expected"),
    [(b"0", 0), (b"123456", 123456), (b"9223372036854775807", 2**63 - 1)],
    ids=["an empty object", "a usual size", "the largest int64"],
)
def test_pointer_sizes_that_fit_in_int64_are_read(size: bytes, expected: int) -> None:
    parsed = parse_lfs_pointer(pointer(size) + b"\n")
    assert parsed is not None and parsed.size == expected and parsed.sha256 == OID.decode()


@pytest.mark.parametrize(
    "size", [b"9223372036854775808", b"99999999999999999999"], ids=["int64 max + 1", "20 nines"]
)
def test_a_size_beyond_int64_is_not_a_pointer(size: bytes) -> None:
    # The store keeps sizes as BIGINT: such a "pointer" used to crash ingest with OverflowError.
    assert parse_lfs_pointer(pointer(size) + b"\n") is None
