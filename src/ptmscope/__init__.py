"""ptmscope: audit the supply chain of pre-trained models.

Data flows one way: ``sources`` (hub, git, local folders, manifests) -> ``store`` (DuckDB)
-> analyses (``attributes``, ``risk``, ``perf``, ``sync``) -> ``report``. Every layer is usable
as a library; ``ptmscope.cli`` only wires them together.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
