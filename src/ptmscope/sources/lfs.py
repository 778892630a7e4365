"""Git LFS pointer files: recognise and parse them (spec v1), nothing else.

A pointer is a tiny text file standing in for a large object::

    version https://git-lfs.github.com/spec/v1
    oid sha256:<64 hex>
    size <bytes>
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_VERSION = re.compile(
    rb"^version https://(git-lfs\.github\.com/spec/v1|hawser\.github\.com/spec/v1)$"
)
_OID = re.compile(rb"^oid sha256:([0-9a-f]{64})$")
_SIZE = re.compile(rb"^size (\d{1,20})$")
MAX_POINTER_BYTES = 1024
#: git-lfs stores sizes as int64 (so does the store): a larger size is not a valid pointer.
MAX_OBJECT_SIZE = 2**63 - 1


@dataclass(frozen=True, slots=True)
class LfsPointer:
    """A parsed LFS pointer: the object's sha256 and size."""

    sha256: str
    size: int


def parse_lfs_pointer(data: bytes) -> LfsPointer | None:
    """Parse ``data`` as an LFS pointer; None when it is not one.

    >>> parse_lfs_pointer(b"version https://git-lfs.github.com/spec/v1\\noid sha256:" +
    ...     b"a" * 64 + b"\\nsize 12\\n")
    LfsPointer(sha256='aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', size=12)
    """
    if not data.startswith(b"version ") or len(data) > MAX_POINTER_BYTES:
        return None
    lines = data.rstrip(b"\n").split(b"\n")
    if not lines or not _VERSION.match(lines[0]):
        return None
    oid = size = None
    for line in lines[1:]:
        if (m := _OID.match(line)) is not None:
            oid = m.group(1).decode("ascii")
        elif (m := _SIZE.match(line)) is not None:
            size = int(m.group(1))
    if oid is None or size is None or size > MAX_OBJECT_SIZE:
        return None
    return LfsPointer(oid, size)
