"""ONNX models: external-data paths that escape the model folder, and custom op domains.

An ONNX tensor may keep its bytes in a side file named by ``external_data`` ``location``;
runtimes join that path to the model's folder and read it. An absolute path, a ``..``
component or a symlink pointing outside the folder turns the model into a file reader
(CVE-2022-25882, CVE-2024-27318 in onnx's own loader). Nodes in a domain outside the standard
ONNX ones need a custom-op library (native code) registered by the user - or are simply
unrunnable. Both are found by walking the protobuf with ``protobuf_wire`` (no onnx import).

Messages walked (onnx/onnx.proto field numbers)::

    ModelProto        7 graph  8 opset_import (1 domain)  20 training_info  25 functions
    TrainingInfoProto 1 initialization (Graph)  2 algorithm (Graph)
    FunctionProto     1 name  7 node  10 domain
    GraphProto        1 node  5 initializer  15 sparse_initializer (1 values, 2 indices)
    NodeProto         3 name  4 op_type  5 attribute  7 domain
    AttributeProto    5 t  6 g  10 tensors  11 graphs  22 sparse_tensor  23 sparse_tensors
    TensorProto       8 name  13 external_data (1 key, 2 value)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import BinaryIO, ClassVar

from ptmscope.records import Severity
from ptmscope.risk import protobuf_wire as pw
from ptmscope.risk.base import Inconclusive, RiskIssue, Rule, ScanContext, Scanner, ScanResult

FORMAT = "onnx"
MAX_IN_MEMORY = 1024 * 1024 * 1024
MAX_ISSUES = 200
#: Domains of the ONNX standard itself.
STANDARD_DOMAINS = frozenset(
    {"", "ai.onnx", "ai.onnx.ml", "ai.onnx.training", "ai.onnx.preview.training",
     "ai.onnx.preview"}
)
#: Contrib domains shipped with ONNX Runtime / PyTorch export: custom but widely deployed.
KNOWN_RUNTIME_DOMAINS = frozenset(
    {"com.microsoft", "com.microsoft.nchwc", "com.microsoft.experimental",
     "com.microsoft.mlfeaturizers", "com.microsoft.dml", "com.ms.internal.nhwc",
     "org.pytorch.aten", "ai.onnx.contrib", "pkg.onnxscript.torch_lib",
     "pkg.onnxscript.torch_lib.common", "pkg.torch.onnx"}
)
_TEXT = 4096


@dataclass(slots=True)
class OnnxFacts:
    """What the walk collected.

    Attributes:
        external: (tensor name, location, offset of the TensorProto).
        node_domains: (domain, op_type, node name, offset) for non-standard domains.
        opset_domains: domains imported at model level.
        local_functions: (domain, name) of model-local functions.
    """

    external: list[tuple[str, str, int]] = field(default_factory=list)
    node_domains: list[tuple[str, str, str, int]] = field(default_factory=list)
    opset_domains: list[str] = field(default_factory=list)
    local_functions: set[tuple[str, str]] = field(default_factory=set)


class _Walker:
    def __init__(self, buf: pw.Buffer, budget: pw.Budget) -> None:
        self.buf = buf
        self.budget = budget
        self.facts = OnnxFacts()

    def model(self) -> None:
        buf = self.buf
        for f in pw.iter_fields(buf, 0, len(buf), self.budget):
            if f.wire_type != pw.LEN:
                continue
            if f.number == 7:
                self.graph(f, 1)
            elif f.number == 8:
                for of in self._fields(f):
                    if of.number == 1 and of.wire_type == pw.LEN:
                        self.facts.opset_domains.append(pw.text(buf, of, _TEXT))
            elif f.number == 20:
                for tf in self._fields(f):
                    if tf.number in (1, 2) and tf.wire_type == pw.LEN:
                        self.graph(tf, 2)
            elif f.number == 25:
                self.function(f)

    def _fields(self, f: pw.WireField) -> list[pw.WireField]:
        return list(pw.iter_fields(self.buf, f.start, f.end, self.budget))

    def function(self, f: pw.WireField) -> None:
        name = domain = ""
        nodes: list[pw.WireField] = []
        for ff in self._fields(f):
            if ff.wire_type != pw.LEN:
                continue
            if ff.number == 1:
                name = pw.text(self.buf, ff, _TEXT)
            elif ff.number == 10:
                domain = pw.text(self.buf, ff, _TEXT)
            elif ff.number == 7:
                nodes.append(ff)
        self.facts.local_functions.add((domain, name))
        for nf in nodes:
            self.node(nf, 2)

    def graph(self, f: pw.WireField, depth: int) -> None:
        self.budget.check_depth(depth, f.offset)
        for gf in pw.iter_fields(self.buf, f.start, f.end, self.budget):
            if gf.wire_type != pw.LEN:
                continue
            if gf.number == 1:
                self.node(gf, depth + 1)
            elif gf.number == 5:
                self.tensor(gf)
            elif gf.number == 15:
                self.sparse(gf)

    def sparse(self, f: pw.WireField) -> None:
        for sf in self._fields(f):
            if sf.number in (1, 2) and sf.wire_type == pw.LEN:
                self.tensor(sf)

    def tensor(self, f: pw.WireField) -> None:
        name = ""
        locations: list[str] = []
        for tf in pw.iter_fields(self.buf, f.start, f.end, self.budget):
            if tf.wire_type != pw.LEN:
                continue
            if tf.number == 8:
                name = pw.text(self.buf, tf, _TEXT)
            elif tf.number == 13:
                key = value = ""
                for ef in self._fields(tf):
                    if ef.wire_type == pw.LEN and ef.number == 1:
                        key = pw.text(self.buf, ef, _TEXT)
                    elif ef.wire_type == pw.LEN and ef.number == 2:
                        value = pw.text(self.buf, ef, _TEXT)
                if key == "location":
                    locations.append(value)
        self.facts.external.extend((name, loc, f.offset) for loc in locations)

    def node(self, f: pw.WireField, depth: int) -> None:
        self.budget.check_depth(depth, f.offset)
        name = op_type = domain = ""
        for nf in pw.iter_fields(self.buf, f.start, f.end, self.budget):
            if nf.wire_type != pw.LEN:
                continue
            if nf.number == 3:
                name = pw.text(self.buf, nf, _TEXT)
            elif nf.number == 4:
                op_type = pw.text(self.buf, nf, _TEXT)
            elif nf.number == 7:
                domain = pw.text(self.buf, nf, _TEXT)
            elif nf.number == 5:
                self.attribute(nf, depth + 1)
        if domain not in STANDARD_DOMAINS:
            self.facts.node_domains.append((domain, op_type, name, f.offset))

    def attribute(self, f: pw.WireField, depth: int) -> None:
        self.budget.check_depth(depth, f.offset)
        for af in pw.iter_fields(self.buf, f.start, f.end, self.budget):
            if af.wire_type != pw.LEN:
                continue
            if af.number in (5, 10):
                self.tensor(af)
            elif af.number in (22, 23):
                self.sparse(af)
            elif af.number in (6, 11):
                self.graph(af, depth + 1)


def location_problem(location: str, folder: str | None) -> str | None:
    """Why an external-data ``location`` escapes the model folder, or None when it is fine.

    Checks, in order: empty or NUL, URL scheme, absolute (POSIX, Windows drive or UNC),
    ``..`` components, and - when the model folder is known - the resolved path (following
    symlinks) leaving the folder.
    """
    if not location or "\x00" in location:
        return "empty or NUL-containing location"
    norm = location.replace("\\", "/")
    if "://" in norm or norm.lower().startswith("file:"):
        return "location is a URL"
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return "absolute path"
    if ".." in norm.split("/"):
        return "'..' component leaves the model folder"
    if folder is not None:
        root = os.path.realpath(folder)
        target = os.path.realpath(os.path.join(root, norm))
        if target != root and not target.startswith(root + os.sep):
            return f"resolves outside the model folder (symlink to {target})"
    return None


class OnnxScanner(Scanner):
    """Flags ONNX external data escaping the model folder and non-standard op domains."""

    id: ClassVar[str] = "onnx"
    formats: ClassVar[tuple[str, ...]] = (FORMAT,)
    description: ClassVar[str] = (
        "ONNX: external_data locations escaping the model folder (absolute, '..', symlinks) "
        "and custom operator domains"
    )
    rules: ClassVar[tuple[Rule, ...]] = (
        Rule("ONNX-EXTERNAL-DATA-ESCAPE", "ONNX external data outside the model folder",
             "The runtime reads the named path when loading, pulling host files into tensors.",
             "Reject the model; external data must sit next to it.", Severity.HIGH),
        Rule("ONNX-CUSTOM-OP-DOMAIN", "ONNX custom operator domain",
             "Ops outside the standard need a custom-op native library registered by the user.",
             "Run only with the official runtime's ops; do not load unknown op libraries.",
             Severity.MEDIUM),
        Rule("ONNX-MALFORMED", "ONNX protobuf malformed",
             "A model that cannot be walked may hide nodes past the break.",
             "Treat the model as unchecked.", Severity.HIGH),
    )

    @classmethod
    def sniff(cls, head: bytes, name: str) -> bool:
        """ONNX starts with ``ir_version`` (field 1, varint 1..20) followed by a known
        ModelProto field; a producer/domain string there must be printable."""
        try:
            if head[:1] != b"\x08":
                return False
            version, pos = pw.read_varint(head, 1, len(head))
            if not 1 <= version <= 20 or pos >= len(head):
                return False
            tag, pos = pw.read_varint(head, pos, len(head))
        except pw.WireError:
            return False
        number, wire_type = tag >> 3, tag & 7
        if number == 5 and wire_type == pw.VARINT:
            return True
        if wire_type != pw.LEN or number not in (2, 3, 4, 6, 7, 8, 14, 20, 25):
            return False
        try:
            length, pos = pw.read_varint(head, pos, len(head))
        except pw.WireError:
            return False
        if number in (2, 3, 4):
            sample = head[pos : pos + min(length, 64)]
            return length < 4096 and all(32 <= b < 127 for b in sample)
        # graph / opset_import payloads begin with a nested field tag, not a string
        return number not in (7, 8) or head[pos : pos + 1] in (b"\x0a", b"\x12", b"\x08")

    def scan(self, stream: BinaryIO, ctx: ScanContext) -> ScanResult:
        """Walk the model; report escaping external data and custom domains."""
        result = ScanResult(scanned=[ctx.path])
        try:
            with pw.open_buffer(stream, MAX_IN_MEMORY) as buf:
                result.bytes_read = len(buf)
                walker = _Walker(buf, pw.Budget())
                try:
                    walker.model()
                except pw.WireError as err:
                    result.issues.append(RiskIssue(
                        "ONNX-MALFORMED", Severity.MEDIUM if err.bound_hit else Severity.HIGH,
                        "protobuf", f"ONNX protobuf: {err.reason}",
                        "a model that cannot be walked to the end may hide nodes or external "
                        "data past the break", f"offset {err.offset}", FORMAT))
                    result.inconclusive.append(Inconclusive(ctx.path, f"ONNX walk stopped: {err}"))
        except pw.WireError as err:
            result.inconclusive.append(Inconclusive(ctx.path, f"ONNX: {err}"))
            return result
        _report(walker.facts, ctx, result)
        return result


def _report(facts: OnnxFacts, ctx: ScanContext, result: ScanResult) -> None:
    issues: list[RiskIssue] = []
    for tensor, location, offset in facts.external:
        problem = location_problem(location, ctx.folder)
        if problem is not None:
            issues.append(RiskIssue(
                "ONNX-EXTERNAL-DATA-ESCAPE", Severity.HIGH, location,
                f"tensor {tensor!r} reads external data from {location!r}: {problem}",
                "the runtime reads this path when loading the model, so the model can pull "
                "arbitrary host files (keys, /etc/passwd) into tensors and leak them in outputs",
                f"TensorProto at offset {offset}", FORMAT))
    seen: set[tuple[str, str]] = set()
    for domain, op_type, node, offset in facts.node_domains:
        if (domain, op_type) in facts.local_functions or (domain, op_type) in seen:
            continue
        seen.add((domain, op_type))
        known = domain in KNOWN_RUNTIME_DOMAINS
        issues.append(RiskIssue(
            "ONNX-CUSTOM-OP-DOMAIN", Severity.LOW if known else Severity.MEDIUM,
            f"{domain}::{op_type}",
            f"node {node!r} uses op {op_type!r} from "
            f"{'runtime contrib' if known else 'custom'} domain {domain!r}",
            "ops outside the ONNX standard need a custom-op library (native code) that the "
            "user must obtain and register; a model asking for one is a lure to load it",
            f"NodeProto at offset {offset}", FORMAT))
    for domain in dict.fromkeys(facts.opset_domains):
        if domain in STANDARD_DOMAINS or domain in KNOWN_RUNTIME_DOMAINS:
            continue
        if any(d == domain for d, _ in facts.local_functions):
            continue
        if any(d == domain for d, _, _, _ in facts.node_domains):
            continue  # already reported per op
        issues.append(RiskIssue(
            "ONNX-CUSTOM-OP-DOMAIN", Severity.LOW, domain,
            f"model imports custom opset domain {domain!r}",
            "a custom domain needs a custom-op library to run", "opset_import", FORMAT))
    result.issues.extend(issues[:MAX_ISSUES])
    if len(issues) > MAX_ISSUES:
        result.issues.append(RiskIssue(
            "ONNX-CUSTOM-OP-DOMAIN", Severity.MEDIUM, "...",
            f"{len(issues) - MAX_ISSUES} more ONNX issues not listed", "see the listed ones",
            "", FORMAT))
    for rule in ("ONNX-EXTERNAL-DATA-ESCAPE", "ONNX-CUSTOM-OP-DOMAIN"):
        if not any(i.rule_id == rule for i in result.issues):
            result.passed.append(rule)
