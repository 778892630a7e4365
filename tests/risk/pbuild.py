"""Tiny protobuf wire-format encoder for building SavedModel / ONNX samples by hand."""

from __future__ import annotations


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def vi(number: int, value: int) -> bytes:
    """A varint field."""
    return varint(number << 3) + varint(value)


def ld(number: int, payload: bytes | str) -> bytes:
    """A length-delimited field."""
    data = payload.encode() if isinstance(payload, str) else payload
    return varint(number << 3 | 2) + varint(len(data)) + data


# --- TensorFlow ---------------------------------------------------------------------------
def tf_node(name: str, op: str, **string_attrs: str) -> bytes:
    body = ld(1, name) + ld(2, op)
    for key, value in string_attrs.items():
        body += ld(5, ld(1, key) + ld(2, ld(2, value)))
    return body


def tf_function(name: str, nodes: list[bytes]) -> bytes:
    return ld(1, ld(1, name)) + b"".join(ld(3, n) for n in nodes)


def tf_graph(nodes: list[bytes], functions: tuple[bytes, ...] = ()) -> bytes:
    body = b"".join(ld(1, n) for n in nodes)
    if functions:
        body += ld(2, b"".join(ld(1, f) for f in functions))
    return body


def saved_model(graph: bytes, op_list: tuple[str, ...] = ()) -> bytes:
    ops = b"".join(ld(1, ld(1, op)) for op in op_list)
    meta_info = ld(1, "v1") + (ld(2, ops) if ops else b"") + ld(4, "serve")
    meta_graph = ld(1, meta_info) + ld(2, graph)
    return vi(1, 1) + ld(2, meta_graph)


# --- ONNX --------------------------------------------------------------------------------
def onnx_tensor(name: str, location: str | None = None) -> bytes:
    body = vi(1, 4) + vi(2, 1) + ld(8, name)
    if location is not None:
        body += ld(13, ld(1, "location") + ld(2, location)) + vi(14, 1)
    return body


def onnx_node(op: str, domain: str = "", subgraph: bytes | None = None) -> bytes:
    body = ld(1, "x") + ld(2, "y") + ld(3, f"{op}_0") + ld(4, op)
    if subgraph is not None:
        body += ld(5, ld(1, "then_branch") + ld(6, subgraph) + vi(20, 5))
    if domain:
        body += ld(7, domain)
    return body


def onnx_graph(nodes: list[bytes], initializers: tuple[bytes, ...] = ()) -> bytes:
    return (b"".join(ld(1, n) for n in nodes) + ld(2, "g")
            + b"".join(ld(5, t) for t in initializers))


def onnx_model(graph: bytes, domains: tuple[str, ...] = ("",), functions: bytes = b"") -> bytes:
    opsets = b"".join(ld(8, ld(1, d) + vi(2, 17)) for d in domains)
    return vi(1, 8) + ld(2, "pytorch") + ld(3, "2.1.0") + opsets + ld(7, graph) + functions
