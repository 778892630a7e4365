"""Claimed versus actual performance.

Two parts:

* cheap checks (``cheap_checks/``, run for every stored model by ``runner.run_all``): the
  parameter count read from safetensors headers against the size the id or card names, weight
  file sizes against the card, the formats the card claims against the files present, and
  safetensors files against their headers. No data and no eval extra needed.
* verification (``verify.verify_model``, ``ptmscope verify``): re-run the model on local data,
  recompute each metric the card's ``model-index`` claims (``claims``, ``metrics``) with a
  bootstrap interval (``bootstrap``), and judge each claim consistent, discrepant or not
  verifiable with a reason. Needs the ``eval`` extra (torch, transformers, datasets,
  scikit-learn, scipy), imported only inside the functions that use it.

``tiny_model`` writes a transformers-loadable tiny classifier without torch (demo, tests).
"""
