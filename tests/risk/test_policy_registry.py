"""Globals policy as data, the scanner registry and the rules' metadata."""

from __future__ import annotations

import pytest

from ptmscope.records import Severity
from ptmscope.risk.base import Rule
from ptmscope.risk.dispatch import DISPATCH_RULES
from ptmscope.risk.globals_policy import ALLOWED, DENY_GROUPS, classify
from ptmscope.risk.registry import SCANNERS, ScannerEntry, load_scanners


@pytest.mark.parametrize(("module", "name", "kind", "severity"), [
    ("collections", "OrderedDict", "safe", Severity.INFO),
    ("torch._utils", "_rebuild_tensor_v2", "safe", Severity.INFO),
    ("__builtin__", "set", "safe", Severity.INFO),
    ("posix", "system", "dangerous", Severity.CRITICAL),
    ("torch.serialization", "os.system", "dangerous", Severity.CRITICAL),
    ("torch.utils.bottleneck.__main__", "run_cprofile", "dangerous", Severity.CRITICAL),
    ("_operator", "attrgetter", "dangerous", Severity.CRITICAL),
    ("httplib", "HTTPSConnection", "dangerous", Severity.HIGH),
    ("builtins", "print", "dangerous", Severity.HIGH),
    ("sklearn.linear_model", "LogisticRegression", "unknown", Severity.MEDIUM),
    ("collections", "OrderedDict.fromkeys", "unknown", Severity.MEDIUM),
], ids=lambda v: str(v))
def test_classify(module, name, kind, severity):
    verdict = classify(module, name)
    assert (verdict.kind, verdict.severity) == (kind, severity)


def test_policy_data_is_well_formed():
    assert all(":" in p for p in ALLOWED)
    for group in DENY_GROUPS:
        assert group.severity in (Severity.CRITICAL, Severity.HIGH)
        assert group.why and group.category and all(":" in p for p in group.patterns)


def test_every_registered_scanner_loads_with_unique_id_and_rules():
    loaded = load_scanners()
    assert loaded.failures == (), loaded.failures
    assert len(loaded.scanners) == len(SCANNERS)
    ids = [cls.id for cls in loaded.scanners]
    assert len(ids) == len(set(ids))
    for cls in loaded.scanners:
        assert cls.description and cls.formats


def test_every_rule_has_unique_id_and_texts():
    rules: list[Rule] = list(DISPATCH_RULES) + list(load_scanners().rules())
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert rule.title and rule.why and rule.fix


def test_a_broken_registry_line_is_recorded_not_fatal():
    entries = (ScannerEntry("ptmscope.risk.nope:Missing", 1),
               ScannerEntry("ptmscope.risk.pickle_scan:PickleScanner", 2),
               ScannerEntry("ptmscope.risk.pickle_scan:PickleScanner", 3, "no_such_dep_ptm"))
    loaded = load_scanners(entries)
    assert [c.id for c in loaded.scanners] == ["pickle"]
    assert len(loaded.failures) == 2


@pytest.mark.parametrize("qualname", [
    "torch.serialization._get_layout", "torch.cuda.FloatStorage", "torch.sparse.FloatTensor",
    "torch.LongTensor", "torch.bits8", "torch.per_channel_affine_float_qparams",
    "torch._utils._rebuild_device_tensor_from_cpu_tensor", "torch._utils._rebuild_qtensor",
    "torch._tensor._rebuild_from_type_v2", "torch.bfloat16", "torch.uint8", "_codecs.encode",
    "numpy._core.multiarray._reconstruct", "numpy.dtypes.Float64DType",
    "joblib.numpy_pickle.NumpyArrayWrapper", "torch.jit._pickle.build_intlist",
])
def test_what_torch_weights_only_and_numpy_need_is_allowlisted(qualname):
    module, _, name = qualname.rpartition(".")
    assert classify(module, name).kind == "safe"
