"""The one registry of attribute checks, in scorecard order.

Adding a check means writing its function and ``Check(...)`` entry in the module of its group
(``checks/<group>.py``) and nothing else: this tuple collects them. ``docs/attributes.md`` is
generated from it (``python -m ptmscope.attributes.docs``) and a test fails when the two differ.
"""

from __future__ import annotations

from ptmscope.attributes.base import Check
from ptmscope.attributes.checks import (
    documentation,
    maintenance,
    portability,
    provenance,
    reproducibility,
)

CHECKS: tuple[Check, ...] = (
    *provenance.CHECKS,
    *reproducibility.CHECKS,
    *portability.CHECKS,
    *documentation.CHECKS,
    *maintenance.CHECKS,
)


def check_by_id(check_id: str) -> Check:
    """The registered check with ``check_id``.

    Raises:
        KeyError: no such check.
    """
    for check in CHECKS:
        if check.id == check_id:
            return check
    raise KeyError(check_id)
