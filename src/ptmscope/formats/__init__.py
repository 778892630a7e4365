"""Byte-level readers and writers of model file formats, shared by the analyses.

One module per format (``safetensors``: its header reader, its writer, its dtype table).
What belongs here is what several analyses would otherwise each write again: parsing a
format's own structure into frozen records and serialising small files for demos and tests.
Modules here do no I/O beyond bounded reads of a local file they are given: no network, no
store, no clock, and they never load, import or execute anything from an artifact.

They are lenient readers for measuring (counts, sizes, names), not validators: the risk
scanners under ``ptmscope.risk`` keep their own strict parsers, so that a weakness in a reader
here can never hide a finding there.
"""

from __future__ import annotations
