"""TensorFlow SavedModel (``saved_model.pb``): graph ops that run Python or touch files.

The protobuf is walked with ``protobuf_wire`` (no tensorflow import). We collect the op of
every ``NodeDef`` in each meta graph's ``GraphDef`` *and* in every ``FunctionDef`` of the
graph's function library (``tf.function`` bodies, ``While``/``If`` branches and Keras call
graphs all live there, so hiding a ``ReadFile`` inside a nested function does not work), plus
the ``stripped_op_list`` the exporter records. Each op is looked up in
``tf_op_policy.OP_POLICY`` / ``ATTR_RULES``. Keras Lambda layers serialized into the object
graph metadata are flagged too.

Messages walked (field numbers from tensorflow/core/protobuf and framework protos)::

    SavedModel      1 schema_version  2 meta_graphs (MetaGraphDef)
    MetaGraphDef    1 meta_info_def   2 graph_def   6 asset_file_def
    MetaInfoDef     2 stripped_op_list (OpList: 1 op (OpDef: 1 name))
    GraphDef        1 node (NodeDef)  2 library (FunctionDefLibrary: 1 function)
    FunctionDef     1 signature (OpDef: 1 name)  3 node_def (NodeDef)
    NodeDef         1 name  2 op  5 attr (map entry: 1 key, 2 AttrValue)
    AttrValue       1 list (ListValue: 2 s)  2 s
    AssetFileDef    2 filename
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import BinaryIO, ClassVar

from ptmscope.records import Severity
from ptmscope.risk import protobuf_wire as pw
from ptmscope.risk.base import Inconclusive, RiskIssue, Rule, ScanContext, Scanner, ScanResult
from ptmscope.risk.tf_op_policy import ATTR_RULES, OP_POLICY, OpPolicy

FORMAT = "tf-savedmodel"
#: Files without a descriptor (archive members) are read into memory up to this size.
MAX_IN_MEMORY = 512 * 1024 * 1024
#: Issues reported per op name before the rest are summarised.
MAX_ISSUES_PER_OP = 20
_NAME_LIMIT = 256
# TFOpLambda is left out: Keras 2 emits it for every tf.* call in a functional model.
_KERAS_LAMBDA = re.compile(rb'"class_name"\s*:\s*"(Lambda|__lambda__)"')


@dataclass(frozen=True, slots=True)
class OpUse:
    """One node (or op-list entry) using an op.

    Attributes:
        op: op name.
        node: node name ("" for op-list entries).
        where: ``graph``, ``function <name>`` or ``stripped_op_list``.
        offset: byte offset of the NodeDef.
        string_attrs: string attribute values, for attribute-dependent rules.
    """

    op: str
    node: str
    where: str
    offset: int
    string_attrs: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _walk_node(buf: pw.Buffer, f: pw.WireField, budget: pw.Budget, where: str) -> OpUse:
    name_field: pw.WireField | None = None
    op = ""
    attr_fields: list[pw.WireField] = []
    for nf in pw.iter_fields(buf, f.start, f.end, budget):
        if nf.wire_type != pw.LEN:
            continue
        if nf.number == 1:
            name_field = nf
        elif nf.number == 2:
            op = pw.text(buf, nf, _NAME_LIMIT)
        elif nf.number == 5:
            attr_fields.append(nf)
    if op not in ATTR_RULES and op not in OP_POLICY:
        return OpUse(op, "", where, f.offset)  # the common case: no name or attrs needed
    attrs: dict[str, tuple[str, ...]] = {}
    for af in attr_fields:
        key, values = _string_attr(buf, af, budget)
        if key:
            attrs[key] = values
    name = pw.text(buf, name_field, _NAME_LIMIT) if name_field is not None else ""
    return OpUse(op, name, where, f.offset, attrs)


def _string_attr(
    buf: pw.Buffer, entry: pw.WireField, budget: pw.Budget
) -> tuple[str, tuple[str, ...]]:
    """Decode one ``map<string, AttrValue>`` entry's key and its string value(s)."""
    key = ""
    values: list[str] = []
    for ef in pw.iter_fields(buf, entry.start, entry.end, budget):
        if ef.wire_type != pw.LEN:
            continue
        if ef.number == 1:
            key = pw.text(buf, ef, _NAME_LIMIT)
        elif ef.number == 2:
            for vf in pw.iter_fields(buf, ef.start, ef.end, budget):
                if vf.number == 2 and vf.wire_type == pw.LEN:
                    values.append(pw.text(buf, vf, 1024))
                elif vf.number == 1 and vf.wire_type == pw.LEN:
                    values.extend(
                        pw.text(buf, lf, 1024)
                        for lf in pw.iter_fields(buf, vf.start, vf.end, budget)
                        if lf.number == 2 and lf.wire_type == pw.LEN
                    )
    return key, tuple(values[:16])


def _walk_function(
    buf: pw.Buffer, f: pw.WireField, budget: pw.Budget, uses: list[OpUse]
) -> None:
    fname = "?"
    node_fields: list[pw.WireField] = []
    for ff in pw.iter_fields(buf, f.start, f.end, budget):
        if ff.wire_type != pw.LEN:
            continue
        if ff.number == 1:
            for sf in pw.iter_fields(buf, ff.start, ff.end, budget):
                if sf.number == 1 and sf.wire_type == pw.LEN:
                    fname = pw.text(buf, sf, _NAME_LIMIT)
        elif ff.number == 3:
            node_fields.append(ff)
    uses.extend(_walk_node(buf, nf, budget, f"function {fname}") for nf in node_fields)


def _walk_graph(buf: pw.Buffer, f: pw.WireField, budget: pw.Budget, uses: list[OpUse]) -> None:
    for gf in pw.iter_fields(buf, f.start, f.end, budget):
        if gf.wire_type != pw.LEN:
            continue
        if gf.number == 1:
            uses.append(_walk_node(buf, gf, budget, "graph"))
        elif gf.number == 2:
            for lf in pw.iter_fields(buf, gf.start, gf.end, budget):
                if lf.number == 1 and lf.wire_type == pw.LEN:
                    _walk_function(buf, lf, budget, uses)


def _walk_op_list(
    buf: pw.Buffer, f: pw.WireField, budget: pw.Budget, uses: list[OpUse]
) -> None:
    for mf in pw.iter_fields(buf, f.start, f.end, budget):
        if mf.number != 2 or mf.wire_type != pw.LEN:
            continue
        for of in pw.iter_fields(buf, mf.start, mf.end, budget):
            if of.number != 1 or of.wire_type != pw.LEN:
                continue
            for nf in pw.iter_fields(buf, of.start, of.end, budget):
                if nf.number == 1 and nf.wire_type == pw.LEN:
                    op = pw.text(buf, nf, _NAME_LIMIT)
                    uses.append(OpUse(op, "", "stripped_op_list", of.offset))


def collect_ops(
    buf: pw.Buffer, budget: pw.Budget, uses: list[OpUse], assets: list[str]
) -> None:
    """Append every op use in a SavedModel buffer to ``uses`` and asset names to ``assets``.

    Results are appended as they are found, so a caller catching ``WireError`` still has
    everything seen before the break.

    Raises:
        WireError: malformed protobuf or a bound hit.
    """
    for top in pw.iter_fields(buf, 0, len(buf), budget):
        if top.number != 2 or top.wire_type != pw.LEN:
            continue
        for mf in pw.iter_fields(buf, top.start, top.end, budget):
            if mf.wire_type != pw.LEN:
                continue
            if mf.number == 1:
                _walk_op_list(buf, mf, budget, uses)
            elif mf.number == 2:
                _walk_graph(buf, mf, budget, uses)
            elif mf.number == 6:
                assets.extend(
                    pw.text(buf, af, 1024)
                    for af in pw.iter_fields(buf, mf.start, mf.end, budget)
                    if af.number == 2 and af.wire_type == pw.LEN
                )


def policy_for(use: OpUse) -> OpPolicy | None:
    """The policy entry that makes this op use risky, or None."""
    if use.op in OP_POLICY:
        return OP_POLICY[use.op]
    rule = ATTR_RULES.get(use.op)
    if rule is None:
        return None
    values = use.string_attrs.get(rule.attr, ())
    if any(v.lower().startswith(rule.prefixes) for v in values):
        return rule.policy
    return None


def _asset_escapes(name: str) -> bool:
    norm = name.replace("\\", "/")
    return norm.startswith("/") or ".." in norm.split("/") or (len(norm) > 1 and norm[1] == ":")


class SavedModelScanner(Scanner):
    """Flags Python-running, file-touching and network ops in SavedModel graphs."""

    id: ClassVar[str] = "tf-savedmodel"
    formats: ClassVar[tuple[str, ...]] = (FORMAT,)
    description: ClassVar[str] = (
        "TensorFlow SavedModel: ops that run Python or touch files/network, in the graph and "
        "in every library function; Keras Lambda layers in the object graph"
    )
    rules: ClassVar[tuple[Rule, ...]] = (
        Rule("SAVEDMODEL-DANGEROUS-OP", "TensorFlow op that runs Python or touches files",
             "PyFunc-family ops run Python in the serving process; file and RPC ops read, "
             "write or send data when the graph runs (see tf_op_policy).",
             "Do not serve the model; re-export it without these ops.", Severity.HIGH),
        Rule("SAVEDMODEL-KERAS-LAMBDA", "Keras Lambda layer in a SavedModel",
             "Keras Lambda layers carry Python code that runs when the model is rebuilt.",
             "Load the graph only (tf.saved_model.load), never as a Keras model.",
             Severity.HIGH),
        Rule("SAVEDMODEL-ASSET-PATH", "SavedModel asset path escapes the folder",
             "The loader reads asset files from these paths.", "Reject the model.",
             Severity.HIGH),
        Rule("SAVEDMODEL-MALFORMED", "SavedModel protobuf malformed",
             "A graph that cannot be walked may hide ops past the break.",
             "Treat the model as unchecked.", Severity.HIGH),
    )

    @classmethod
    def sniff(cls, head: bytes, name: str) -> bool:
        """SavedModel = optional ``schema_version`` varint, then a MetaGraphDef whose first
        field is itself a nested message (0x0a / 0x12) - unlike ONNX, whose field 2 is a
        printable producer name."""
        if name.endswith("keras_metadata.pb") and head[:1] == b"\x0a":
            return True  # SavedMetadata: Keras configs of a SavedModel, Lambda regex applies
        pos = 0
        try:
            if head[:1] == b"\x08":
                version, pos = pw.read_varint(head, 1, len(head))
                if version > 10:
                    return False
            if head[pos : pos + 1] != b"\x12":
                return False
            length, pos = pw.read_varint(head, pos + 1, len(head))
        except (pw.WireError, IndexError):
            return False
        return length > 2 and head[pos : pos + 1] in (b"\x0a", b"\x12")

    def scan(self, stream: BinaryIO, ctx: ScanContext) -> ScanResult:
        """Walk the graph and its function library; report risky ops (see module doc)."""
        result = ScanResult(scanned=[ctx.path])
        try:
            with pw.open_buffer(stream, MAX_IN_MEMORY) as buf:
                result.bytes_read = len(buf)
                self._scan_buffer(buf, ctx, result)
        except pw.WireError as err:
            result.inconclusive.append(Inconclusive(ctx.path, f"SavedModel: {err}"))
        return result

    def _scan_buffer(self, buf: pw.Buffer, ctx: ScanContext, result: ScanResult) -> None:
        budget = pw.Budget()
        uses: list[OpUse] = []
        assets: list[str] = []
        try:
            collect_ops(buf, budget, uses, assets)
        except pw.WireError as err:
            result.issues.append(_malformed(err))
            result.inconclusive.append(Inconclusive(ctx.path, f"SavedModel walk stopped: {err}"))
        self._report_ops(uses, result)
        for asset in assets:
            if _asset_escapes(asset):
                result.issues.append(RiskIssue(
                    "SAVEDMODEL-ASSET-PATH", Severity.HIGH, asset,
                    f"asset file name escapes the model folder: {asset!r}",
                    "an asset path outside the SavedModel's assets/ folder makes the loader "
                    "read arbitrary host files", "asset_file_def", FORMAT))
        match = _KERAS_LAMBDA.search(buf)
        if match:
            construct = match.group(1).decode()
            result.issues.append(RiskIssue(
                "SAVEDMODEL-KERAS-LAMBDA", Severity.HIGH, construct,
                f"Keras {construct} layer serialized in the SavedModel metadata",
                "Keras Lambda layers carry Python bytecode or function references that run "
                "when the Keras model is rebuilt", f"offset {match.start()}", FORMAT))
        if not result.issues:
            result.passed.append("SAVEDMODEL-DANGEROUS-OP")

    @staticmethod
    def _report_ops(uses: list[OpUse], result: ScanResult) -> None:
        per_op: dict[str, int] = {}
        graph_ops = {u.op for u in uses if u.where != "stripped_op_list"}
        for use in uses:
            policy = policy_for(use)
            if policy is None:
                continue
            if use.where == "stripped_op_list" and use.op in graph_ops:
                continue  # already reported at the node that uses it
            count = per_op.get(use.op, 0) + 1
            per_op[use.op] = count
            if count > MAX_ISSUES_PER_OP:
                continue
            place = f"{use.where}, node {use.node!r}" if use.node else use.where
            evidence = "; ".join(f"{k}={v[0]!r}" for k, v in use.string_attrs.items() if v)
            message = f"op {use.op} ({policy.category}) in {place}"
            if evidence:
                message += f" [{evidence[:200]}]"
            result.issues.append(RiskIssue(
                "SAVEDMODEL-DANGEROUS-OP", policy.severity, use.op, message, policy.why,
                f"{place} (offset {use.offset})", FORMAT))
        for op, count in per_op.items():
            if count > MAX_ISSUES_PER_OP:
                worst = OP_POLICY.get(op) or ATTR_RULES[op].policy
                result.issues.append(RiskIssue(
                    "SAVEDMODEL-DANGEROUS-OP", worst.severity, op,
                    f"{count - MAX_ISSUES_PER_OP} more uses of op {op} not listed",
                    worst.why, "", FORMAT))


def _malformed(err: pw.WireError) -> RiskIssue:
    severity = Severity.MEDIUM if err.bound_hit else Severity.HIGH
    return RiskIssue(
        "SAVEDMODEL-MALFORMED", severity, "protobuf", f"SavedModel protobuf: {err.reason}",
        "a graph that cannot be walked to the end may hide ops past the break; TensorFlow's "
        "own parser may read it differently", f"offset {err.offset}", FORMAT)
