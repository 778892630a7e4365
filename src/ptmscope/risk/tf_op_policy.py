"""TensorFlow op policy: which graph ops are risky in a model someone else published, and why.

A SavedModel graph runs when the model is served or called. Most ops are arithmetic; the ones
below reach outside the tensor world: they run Python registered in the process, read or
write files, list directories, memory-map files or talk to the network. The table is data on
purpose (one entry per op, severity and reason) so reviewers can audit it line by line.

Checkpoint ops (``SaveV2``, ``RestoreV2``, ``MergeV2Checkpoints``, ``ShardedFilename``) are in
every SavedModel's saver graph and are *not* listed: flagging them would flag every model.
Ops whose danger depends on an attribute (``PrintV2`` writing to ``file://``, debug ops with
``file://``/``grpc://`` URLs) are in ``ATTR_RULES``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ptmscope.records import Severity


@dataclass(frozen=True, slots=True)
class OpPolicy:
    """Why one op is risky.

    Attributes:
        severity: how bad its presence is.
        category: ``python``, ``file-read``, ``file-write``, ``filesystem``, ``network``.
        why: one line a user reads in the finding.
    """

    severity: Severity
    category: str
    why: str


_PY = "runs a Python callable registered in the loading process (arbitrary code on call)"
_READ = "reads files from the host filesystem; a graph can exfiltrate their content"
_WRITE = "writes files on the host filesystem when the graph runs"
_LIST = "lists files on the host filesystem"
_NET = "opens network connections (RPC) when the graph runs"

OP_POLICY: dict[str, OpPolicy] = {
    # Python execution
    "PyFunc": OpPolicy(Severity.CRITICAL, "python", _PY),
    "PyFuncStateless": OpPolicy(Severity.CRITICAL, "python", _PY),
    "EagerPyFunc": OpPolicy(Severity.CRITICAL, "python", _PY),
    # File reads
    "ReadFile": OpPolicy(Severity.HIGH, "file-read", _READ),
    "WholeFileReader": OpPolicy(Severity.MEDIUM, "file-read", _READ),
    "WholeFileReaderV2": OpPolicy(Severity.MEDIUM, "file-read", _READ),
    "TextLineReader": OpPolicy(Severity.MEDIUM, "file-read", _READ),
    "TextLineReaderV2": OpPolicy(Severity.MEDIUM, "file-read", _READ),
    "FixedLengthRecordReader": OpPolicy(Severity.MEDIUM, "file-read", _READ),
    "FixedLengthRecordReaderV2": OpPolicy(Severity.MEDIUM, "file-read", _READ),
    "TFRecordReader": OpPolicy(Severity.MEDIUM, "file-read", _READ),
    "TFRecordReaderV2": OpPolicy(Severity.MEDIUM, "file-read", _READ),
    "TextLineDataset": OpPolicy(Severity.MEDIUM, "file-read", _READ),
    "TFRecordDataset": OpPolicy(Severity.MEDIUM, "file-read", _READ),
    "TFRecordDatasetV2": OpPolicy(Severity.MEDIUM, "file-read", _READ),
    "FixedLengthRecordDataset": OpPolicy(Severity.MEDIUM, "file-read", _READ),
    "FixedLengthRecordDatasetV2": OpPolicy(Severity.MEDIUM, "file-read", _READ),
    "LoadDataset": OpPolicy(Severity.MEDIUM, "file-read", _READ),
    "ImmutableConst": OpPolicy(
        Severity.MEDIUM, "file-read", "memory-maps a file named in the graph into a tensor"
    ),
    "InitializeTableFromTextFile": OpPolicy(Severity.LOW, "file-read", _READ),
    "InitializeTableFromTextFileV2": OpPolicy(Severity.LOW, "file-read", _READ),
    # File writes
    "WriteFile": OpPolicy(Severity.HIGH, "file-write", _WRITE),
    "DatasetToTFRecord": OpPolicy(Severity.HIGH, "file-write", _WRITE),
    "ExperimentalDatasetToTFRecord": OpPolicy(Severity.HIGH, "file-write", _WRITE),
    "SaveDataset": OpPolicy(Severity.MEDIUM, "file-write", _WRITE),
    "SaveDatasetV2": OpPolicy(Severity.MEDIUM, "file-write", _WRITE),
    "CreateSummaryFileWriter": OpPolicy(Severity.MEDIUM, "file-write", _WRITE),
    "CreateSummaryDbWriter": OpPolicy(Severity.MEDIUM, "file-write", _WRITE),
    "WriteAudioSummary": OpPolicy(Severity.LOW, "file-write", _WRITE),
    # Filesystem listing
    "MatchingFiles": OpPolicy(Severity.MEDIUM, "filesystem", _LIST),
    "MatchingFilesDataset": OpPolicy(Severity.MEDIUM, "filesystem", _LIST),
    "ExperimentalMatchingFilesDataset": OpPolicy(Severity.MEDIUM, "filesystem", _LIST),
    # Network
    "RpcCall": OpPolicy(Severity.HIGH, "network", _NET),
    "RpcClient": OpPolicy(Severity.HIGH, "network", _NET),
    "RpcServer": OpPolicy(Severity.HIGH, "network", _NET),
    "RpcServerStart": OpPolicy(Severity.HIGH, "network", _NET),
    "RpcServerRegister": OpPolicy(Severity.HIGH, "network", _NET),
    "Rpc": OpPolicy(Severity.HIGH, "network", _NET),
    "TryRpc": OpPolicy(Severity.HIGH, "network", _NET),
}


@dataclass(frozen=True, slots=True)
class AttrRule:
    """An op that is risky only when one of its string attributes has a given prefix.

    Attributes:
        attr: attribute name (``output_stream``, ``debug_urls``).
        prefixes: lowercase value prefixes that make it risky.
        policy: what to report then.
    """

    attr: str
    prefixes: tuple[str, ...]
    policy: OpPolicy


_DEBUG_URL = AttrRule(
    "debug_urls",
    ("file://", "grpc://"),
    OpPolicy(Severity.HIGH, "file-write", "debug op dumps tensors to a file or gRPC URL"),
)

ATTR_RULES: dict[str, AttrRule] = {
    "PrintV2": AttrRule(
        "output_stream",
        ("file://",),
        OpPolicy(Severity.HIGH, "file-write", "PrintV2 writes its output to a file path"),
    ),
    "DebugIdentity": _DEBUG_URL,
    "DebugIdentityV2": _DEBUG_URL,
    "DebugIdentityV3": _DEBUG_URL,
    "DebugNanCount": _DEBUG_URL,
    "DebugNumericSummary": _DEBUG_URL,
}
