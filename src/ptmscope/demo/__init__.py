"""The bundled demo: a generated corpus (``corpus``) and the pipeline that runs on it (``run``)."""

from __future__ import annotations

from ptmscope.demo.corpus import DemoCorpus, build_corpus
from ptmscope.demo.run import DemoResult, run_demo

__all__ = ["DemoCorpus", "DemoResult", "build_corpus", "run_demo"]
