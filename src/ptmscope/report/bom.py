"""The CycloneDX 1.6 ML-BOM of one model: what the audit found, for supply-chain tools.

``bom_facts(store, repo)`` gathers the facts (card data, datasets, base models, licence,
weight-file hashes, upstream repository, risk and attribute findings); it is the only part
that reads the store or a file. ``render_bom(facts)`` is pure: it builds the BOM with
``cyclonedx-python-lib`` (metadata component of type ``machine-learning-model``, ``data``
components for datasets, ``machine-learning-model`` components for base models, ``file``
components with SHA-256 hashes, risk findings that report a risk as ``vulnerabilities``,
every other finding as a ``ptmscope:<analysis>:<rule>`` property) and adds the
``modelCard`` object, which the library does not model yet, to the serialized JSON.

Hashes come from the Git LFS pointer when there is one; otherwise the local file is hashed,
reading at most ``MAX_HASH_BYTES`` (a larger file gets no hash, and a property says why).
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ptmscope import __version__
from ptmscope.errors import ReportError
from ptmscope.records import Finding, Outcome, Platform, RepoRecord, Severity
from ptmscope.report.data import FileView, file_format
from ptmscope.store import Store

#: Local weight files larger than this are not hashed (bounded reads, see module docstring).
MAX_HASH_BYTES = 4 * 1024**3
_CHUNK = 1024 * 1024

#: Property namespace for ptmscope facts in the BOM.
NS = "ptmscope"


@dataclass(frozen=True, slots=True)
class WeightFile:
    """A weight file and its hash (None with ``hash_note`` saying why)."""

    path: str
    format: str
    size: int | None
    sha256: str | None
    hash_source: str  # "lfs-pointer" | "computed" | "none"
    hash_note: str = ""


@dataclass(frozen=True, slots=True)
class Metric:
    """One performance claim from the card's ``model-index``."""

    type: str
    value: str
    dataset: str | None = None
    task: str | None = None


@dataclass(frozen=True, slots=True)
class BomFacts:
    """Everything the BOM of one model says.

    Attributes:
        licenses: licence ids or names declared by the card.
        datasets / base_models: names declared by the card.
        upstream: upstream repository URL (from the model's family), when known.
        findings: risk findings (become vulnerabilities) and others (become properties).
    """

    repo: RepoRecord
    licenses: tuple[str, ...]
    datasets: tuple[str, ...]
    base_models: tuple[str, ...]
    task: str | None
    architecture: str | None
    architecture_family: str | None
    metrics: tuple[Metric, ...]
    weights: tuple[WeightFile, ...]
    upstream: str | None
    findings: tuple[Finding, ...]
    card_state: str
    generated_at: datetime


def _names(value: Any) -> tuple[str, ...]:
    """A card field that may be a string, a list of strings or of dicts, as names."""
    if value is None or value == "":
        return ()
    items = value if isinstance(value, list | tuple) else [value]
    out = []
    for item in items:
        if isinstance(item, Mapping):
            item = item.get("name") or item.get("id")
        if item not in (None, ""):
            out.append(str(item))
    return tuple(dict.fromkeys(out))


def card_licenses(meta: Mapping[str, Any]) -> tuple[str, ...]:
    """Licences declared in card metadata (``other`` resolves to ``license_name``)."""
    names = _names(meta.get("license"))
    if names == ("other",) and meta.get("license_name"):
        return _names(meta.get("license_name"))
    return names


def card_metrics(meta: Mapping[str, Any]) -> tuple[Metric, ...]:
    """Performance claims of the card's ``model-index`` (tolerant of broken shapes)."""
    out: list[Metric] = []
    index = meta.get("model-index")
    for entry in index if isinstance(index, list) else []:
        results = entry.get("results") if isinstance(entry, Mapping) else None
        for result in results if isinstance(results, list) else []:
            if not isinstance(result, Mapping):
                continue
            task, dataset = _mapping(result.get("task")), _mapping(result.get("dataset"))
            metrics = result.get("metrics")
            for metric in metrics if isinstance(metrics, list) else []:
                if isinstance(metric, Mapping) and metric.get("value") is not None:
                    out.append(Metric(
                        type=str(metric.get("type") or metric.get("name") or "metric"),
                        value=str(metric.get("value")),
                        dataset=_first(dataset.get("name"), dataset.get("type")),
                        task=_first(task.get("type"), task.get("name")),
                    ))
    return tuple(out)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _first(*values: Any) -> str | None:
    for value in values:
        if value not in (None, ""):
            return str(value)
    return None


def hash_weight(view: FileView, limit: int = MAX_HASH_BYTES) -> WeightFile:
    """The SHA-256 of a weight file: from its LFS pointer, else from the local file (bounded)."""
    if view.sha256:
        return WeightFile(view.path, view.format, view.size, view.sha256, "lfs-pointer")
    if not view.local_path:
        return WeightFile(view.path, view.format, view.size, None, "none",
                          "no LFS pointer and no local copy")
    local = Path(view.local_path)
    try:
        if local.stat().st_size > limit:
            return WeightFile(view.path, view.format, view.size, None, "none",
                              f"larger than the {limit} byte hashing bound")
        digest = hashlib.sha256()
        read = 0
        with local.open("rb") as stream:
            while read <= limit and (chunk := stream.read(_CHUNK)):
                digest.update(chunk)
                read += len(chunk)
    except OSError as err:
        return WeightFile(view.path, view.format, view.size, None, "none",
                          f"cannot read: {err.strerror or err}")
    return WeightFile(view.path, view.format, view.size, digest.hexdigest(), "computed")


def bom_facts(store: Store, repo: RepoRecord, now: datetime | None = None) -> BomFacts:
    """Gather the BOM facts of ``repo`` from the store (and hash local weight files)."""
    card = store.card(repo.repo_id)
    meta: Mapping[str, Any] = dict(card.metadata or {}) if card is not None else {}
    card_state = "missing" if card is None else (
        "unparsable" if card.yaml_text is not None and card.metadata is None else "present")
    weights = tuple(
        hash_weight(FileView(f.path, f.real_size, file_format(f.path), f.is_lfs_pointer,
                             f.lfs_sha256, f.local_path))
        for f in store.files(repo.repo_id)
        if FileView(f.path, None, file_format(f.path), False, None).is_weights
    )
    upstream = None
    if repo.platform is Platform.HUGGINGFACE:
        for fam in store.families():
            if repo.repo_id in fam.variant_repo_ids and fam.upstream:
                upstream = fam.upstream
                break
    config = _config(store, repo)
    return BomFacts(
        repo=repo,
        licenses=card_licenses(meta),
        datasets=_names(meta.get("datasets")),
        base_models=_names(meta.get("base_model")),
        task=_first(meta.get("pipeline_tag"), repo.metadata.get("pipeline_tag")),
        architecture=_first(*_names(config.get("architectures"))),
        architecture_family=_first(config.get("model_type")),
        metrics=card_metrics(meta),
        weights=weights,
        upstream=upstream,
        findings=tuple(store.findings(subject=repo.repo_id)),
        card_state=card_state,
        generated_at=now or datetime.now(UTC),
    )


#: config.json larger than this is not read for the architecture name.
_MAX_CONFIG_BYTES = 1024 * 1024


def _config(store: Store, repo: RepoRecord) -> Mapping[str, Any]:
    """config.json of the repo when a local copy exists (bounded read, JSON only)."""
    for f in store.files(repo.repo_id):
        if f.path == "config.json" and f.local_path:
            try:
                with open(f.local_path, "rb") as stream:
                    raw = stream.read(_MAX_CONFIG_BYTES + 1)
                if len(raw) > _MAX_CONFIG_BYTES:
                    return {}
                loaded = json.loads(raw.decode("utf-8", errors="replace"))
            except (OSError, ValueError):
                return {}
            return loaded if isinstance(loaded, dict) else {}
    return {}


def _ref(kind: str, name: str) -> str:
    """A bom-ref: stable, readable, and free of characters that need quoting."""
    clean = "".join(ch if ch.isalnum() or ch in "._-/:@" else "_" for ch in name)
    return f"{kind}:{clean}"[:200]


def render_bom(facts: BomFacts) -> str:
    """The BOM as CycloneDX 1.6 JSON text (pure: everything comes from ``facts``)."""
    from cyclonedx.model.bom import Bom
    from cyclonedx.output.json import JsonV1Dot6

    bom = Bom()
    model = _model_component(facts)
    bom.metadata.component = model
    bom.metadata.timestamp = facts.generated_at
    _add_tool(bom)
    parts = _dependency_components(facts)
    for part in parts:
        bom.components.add(part)
    bom.register_dependency(model, [p for p in parts if p.type.value != "file"])
    for vulnerability in _vulnerabilities(facts, model):
        bom.vulnerabilities.add(vulnerability)
    with warnings.catch_warnings():  # a model without datasets/base models is a valid root
        warnings.simplefilter("ignore", UserWarning)
        document = json.loads(JsonV1Dot6(bom).output_as_string())
    document["metadata"]["component"]["modelCard"] = model_card(facts)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _add_tool(bom: Any) -> None:
    from cyclonedx.model.component import Component, ComponentType

    bom.metadata.tools.components.add(Component(
        type=ComponentType.APPLICATION, name="ptmscope", version=__version__,
    ))


def _model_component(facts: BomFacts) -> Any:
    try:  # cyclonedx-python-lib >= 11; the older path still works but warns
        from cyclonedx.contrib.license.factories import LicenseFactory
    except ImportError:  # pragma: no cover - older cyclonedx-python-lib
        from cyclonedx.factory.license import LicenseFactory
    from cyclonedx.model import ExternalReference, ExternalReferenceType, Property, XsUri
    from cyclonedx.model.component import Component, ComponentType

    repo = facts.repo
    refs = []
    if repo.platform is Platform.HUGGINGFACE:
        refs.append(ExternalReference(type=ExternalReferenceType.DISTRIBUTION,
                                      url=XsUri(f"https://huggingface.co/{repo.name}")))
    elif repo.platform is Platform.GITHUB:
        refs.append(ExternalReference(type=ExternalReferenceType.VCS,
                                      url=XsUri(f"https://github.com/{repo.name}")))
    if facts.upstream:
        refs.append(ExternalReference(type=ExternalReferenceType.VCS,
                                      url=XsUri(facts.upstream), comment="upstream repository"))
    factory = LicenseFactory()
    properties = [
        Property(name=f"{NS}:repo_id", value=repo.repo_id),
        Property(name=f"{NS}:source", value=repo.source),
        Property(name=f"{NS}:card", value=facts.card_state),
    ]
    if repo.head:
        properties.append(Property(name=f"{NS}:head", value=repo.head))
    properties += [
        Property(name=f"{NS}:{f.analysis}:{f.rule_id}",
                 value=f.outcome.value + (f" {f.path}" if f.path else ""))
        for f in facts.findings if not is_vulnerability(f)
    ][:_MAX_FINDING_PROPERTIES]
    return Component(
        type=ComponentType.MACHINE_LEARNING_MODEL,
        name=repo.name,
        group=repo.owner or None,
        version=repo.head[:12] if repo.head else None,
        bom_ref=_ref("model", repo.repo_id),
        licenses=[factory.make_from_string(name) for name in facts.licenses],
        external_references=refs,
        properties=properties,
    )


def _dependency_components(facts: BomFacts) -> list[Any]:
    from cyclonedx.model import HashAlgorithm, HashType, Property
    from cyclonedx.model.component import Component, ComponentType

    parts: list[Any] = [
        Component(type=ComponentType.DATA, name=name, bom_ref=_ref("dataset", name))
        for name in facts.datasets
    ]
    parts += [
        Component(type=ComponentType.MACHINE_LEARNING_MODEL, name=name,
                  bom_ref=_ref("base-model", name),
                  properties=[Property(name=f"{NS}:relation", value="base_model")])
        for name in facts.base_models
    ]
    for weight in facts.weights:
        props = [Property(name=f"{NS}:format", value=weight.format),
                 Property(name=f"{NS}:hash_source", value=weight.hash_source)]
        if weight.size is not None:
            props.append(Property(name=f"{NS}:size", value=str(weight.size)))
        if weight.hash_note:
            props.append(Property(name=f"{NS}:hash_note", value=weight.hash_note))
        parts.append(Component(
            type=ComponentType.FILE, name=weight.path, bom_ref=_ref("file", weight.path),
            hashes=[HashType(alg=HashAlgorithm.SHA_256, content=weight.sha256)]
            if weight.sha256 else [],
            properties=props,
        ))
    return parts


#: At most this many non-vulnerability findings are listed as properties.
_MAX_FINDING_PROPERTIES = 200


def is_vulnerability(finding: Finding) -> bool:
    """A risk finding that reports a risk (not a note, a passed check or a scanner failure)."""
    return (finding.analysis == "risk" and finding.severity is not Severity.INFO
            and finding.outcome in (Outcome.MISSING, Outcome.PARTIAL))


def _vulnerabilities(facts: BomFacts, model: Any) -> list[Any]:
    from cyclonedx.model.vulnerability import (
        BomTarget,
        Vulnerability,
        VulnerabilityRating,
        VulnerabilitySeverity,
        VulnerabilitySource,
    )

    weight_paths = {w.path for w in facts.weights}
    out = []
    for number, finding in enumerate(f for f in facts.findings if is_vulnerability(f)):
        target_path = (finding.path or "").split(":", 1)[0]
        target = (_ref("file", target_path) if target_path in weight_paths
                  else str(model.bom_ref))
        why = finding.details.get("why")
        out.append(Vulnerability(
            bom_ref=f"risk-{number}",
            id=finding.rule_id,
            source=VulnerabilitySource(name="ptmscope"),
            ratings=[VulnerabilityRating(severity=VulnerabilitySeverity(finding.severity.value))],
            description=finding.message,
            detail=str(why) if why else None,
            affects=[BomTarget(ref=target)],
        ))
    return out


def model_card(facts: BomFacts) -> dict[str, Any]:
    """The CycloneDX ``modelCard`` object (schema 1.6) from the facts."""
    parameters: dict[str, Any] = {}
    if facts.task:
        parameters["task"] = facts.task
    if facts.architecture_family:
        parameters["architectureFamily"] = facts.architecture_family
    if facts.architecture:
        parameters["modelArchitecture"] = facts.architecture
    if facts.datasets:
        parameters["datasets"] = [{"ref": _ref("dataset", d)} for d in facts.datasets]
    card: dict[str, Any] = {"bom-ref": _ref("model-card", facts.repo.repo_id)}
    if parameters:
        card["modelParameters"] = parameters
    if facts.metrics:
        card["quantitativeAnalysis"] = {"performanceMetrics": [
            {k: v for k, v in (("type", m.type), ("value", m.value),
                               ("slice", _slice(m))) if v}
            for m in facts.metrics
        ]}
    limitations = [f.message for f in facts.findings
                   if f.analysis in ("risk", "perf") and f.severity.rank <= 2]
    if limitations:
        card["considerations"] = {"technicalLimitations": limitations[:50]}
    return card


def _slice(metric: Metric) -> str | None:
    parts = [p for p in (metric.task, metric.dataset) if p]
    return " / ".join(parts) or None


def write_bom(store: Store, model: str, output: Path | None = None) -> tuple[str, Sequence[str]]:
    """Build the BOM of ``model`` (as a user names it) and write it to ``output`` if given.

    Returns:
        the JSON text and the validation errors (empty when it matches CycloneDX 1.6).

    Raises:
        NotInStoreError: the model is not stored.
        ReportError: the file cannot be written.
    """
    repo = store.resolve_repo(model)
    text = render_bom(bom_facts(store, repo))
    errors = validate_bom(text)
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as err:
            raise ReportError(f"{output}: cannot write the BOM: {err.strerror or err}") from err
    return text, errors


def validate_bom(text: str) -> list[str]:
    """Validation errors of ``text`` against the CycloneDX 1.6 JSON schema (empty = valid)."""
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text, all_errors=True)
    return [str(e) for e in errors or ()]
