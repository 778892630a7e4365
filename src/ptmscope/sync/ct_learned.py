"""The learned stage of the change-type classifier: a token model and when to trust it.

The rules (``ct_rules``) decide every commit first. Two small logistic regressions, trained by
``bench/train_ct_model.py`` on the project's hand-labelled commits (``tests/data``), then weigh
in:

* the **token model** (:class:`TokenModel`), a multinomial logistic regression over the
  commit's tokens (message words, file extensions, folder names, file-name words), says which
  change type the commit looks like and names the tokens that weighed most;
* the **override model** (:class:`OverrideModel`) decides, when the two disagree, whether the
  token model's label should replace the rules'. It was fitted on how the rules did on blind
  sets *before* anyone tuned them on those sets (``tests/data/ct_first_rules.json``), so it
  knows how far the rules hold up on commits they have never seen: which rule stages and labels
  the token model should overrule, and at what confidence.

A model file without an override model (an older file, a test) falls back to the first design:
the token model replaces only weak rule decisions, at :data:`OVERRIDE_MIN_PROBABILITY` or more.

Pure Python, deterministic, offline: the weights ship with the package as JSON
(``data/ct_token_model.json``). When that file is missing the stage is off and the rules decide.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = [
    "MODEL_FILE",
    "OVERRIDE_MIN_PROBABILITY",
    "OverrideModel",
    "TokenModel",
    "TokenPrediction",
    "commit_features",
    "load_model",
    "override_inputs",
]

MODEL_FILE = Path(__file__).resolve().parent / "data" / "ct_token_model.json"
#: Without an override model, the token model replaces a weak rule decision only from this
#: probability on (chosen on blind set 8a).
OVERRIDE_MIN_PROBABILITY = 0.4
#: The token model's label replaces the rules' when the override model gives at least this.
OVERRIDE_DECISION = 0.5
#: Probabilities are floored here before the log ratio (a label the model rules out).
_PROBABILITY_FLOOR = 1e-4
#: Only this much of a message and this many paths are read (messages and paths are hostile).
MAX_MESSAGE_CHARS = 300
MAX_PATHS = 20
#: At most this many tokens are named as evidence.
MAX_EVIDENCE_TOKENS = 4
#: Version of :func:`commit_features`; the model file records the version it was trained with.
FEATURE_VERSION = 1

_WORD = re.compile(r"[a-z][a-z0-9]+")
_NAME_WORD = re.compile(r"[a-z]+")


def commit_features(message: str, files: Sequence[str], platform: str) -> set[str]:
    """The distinct tokens of a commit, as the model was trained on them.

    ``p_`` platform, ``w_`` message words, ``e_`` file extensions, ``d_`` the last two folder
    names, ``b_`` words of file names.
    """
    out = {f"p_{platform}"}
    out.update(f"w_{w}" for w in _WORD.findall((message or "")[:MAX_MESSAGE_CHARS].lower()))
    for raw in files[:MAX_PATHS]:
        parts = str(raw)[-300:].lower().rsplit("/", 3)
        out.update(_base_tokens(parts[-1]))
        out.update(f"d_{d}" for d in parts[:-1][-2:])
    return out


@lru_cache(maxsize=1 << 14)
def _base_tokens(base: str) -> tuple[str, ...]:
    """Extension and name-word tokens of a base name (base names repeat across commits)."""
    extension = "e_" + (base.rsplit(".", 1)[-1] if "." in base else "noext")
    return (extension, *(f"b_{w}" for w in _NAME_WORD.findall(base)))


@dataclass(frozen=True, slots=True)
class TokenPrediction:
    """What the token model says about one commit.

    Attributes:
        label: the most probable change type (or ``unclassified``).
        probability: its softmax probability.
        evidence: the known tokens that weighed most for that label, strongest first.
        probabilities: the softmax probability of every class, in the model's class order.
    """

    label: str
    probability: float
    evidence: tuple[str, ...]
    probabilities: tuple[float, ...] = ()


def override_inputs(
    rule_label: str, rule_id: str, weak: bool, platform: str, model_label: str,
    model_probability: float, rule_label_probability: float,
) -> dict[str, float]:
    """What the override model reads about one disagreement between the rules and the model.

    The rules' label and stage (message, file, fallback, unclassified, combine) and whether
    their evidence is weak; the token model's label, its probability and the probability it
    gives the rules' label; the platform. Training (``bench/train_ct_model.py``) and inference
    build the inputs with this one function.
    """
    ratio = math.log(max(model_probability, _PROBABILITY_FLOOR)) - math.log(
        max(rule_label_probability, _PROBABILITY_FLOOR)
    )
    return {
        f"rule={rule_label}": 1.0,
        f"stage={rule_id.split('.', 1)[0]}": 1.0,
        f"model={model_label}": 1.0,
        "p_model": model_probability,
        "p_rule": rule_label_probability,
        "log_ratio": ratio,
        "weak": 1.0 if weak else 0.0,
        "github": 1.0 if platform == "github" else 0.0,
    }


@dataclass(frozen=True, slots=True)
class OverrideModel:
    """A binary logistic regression: should the token model's label replace the rules'?

    Attributes:
        intercept: the bias.
        weights: input name (see :func:`override_inputs`) -> weight; unknown names weigh 0.
        rounds: the blind-set rounds it was fitted on, and ``examples`` how many disagreements.
    """

    intercept: float
    weights: dict[str, float]
    rounds: tuple[str, ...]
    examples: int

    def probability(self, inputs: dict[str, float]) -> float:
        """The probability that the token model is right where the two disagree."""
        weights = self.weights
        score = self.intercept + sum(weights.get(k, 0.0) * v for k, v in inputs.items())
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, score))))


@dataclass(frozen=True, slots=True)
class TokenModel:
    """A multinomial logistic regression over binary, L2-normalised token features.

    Attributes:
        classes: the labels, in the order of every weight vector.
        intercepts: one bias per class.
        weights: token -> one weight per class.
        trained_on: the labelled sets (file names) and commit count it was trained on.
        override: decides where the model and the rules disagree (None: the first design, the
            model replaces only weak rule decisions).
    """

    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    trained_on: tuple[str, ...]
    training_commits: int
    override: OverrideModel | None = None

    def predict(self, features: Iterable[str]) -> TokenPrediction | None:
        """The most probable label for these tokens, or None when no token but the platform's
        is known."""
        scored = self.scores(features)
        return None if scored is None else self.prediction(*scored)

    def scores(self, features: Iterable[str]) -> tuple[list[float], list[str]] | None:
        """Each class's score (logit) and the known tokens, or None when no token but the
        platform's is known.

        The cheap part of a prediction: callers that only need the top label stop here.
        """
        weights = self.weights
        known = [f for f in features if f in weights]
        if all(t.startswith("p_") for t in known):
            return None  # the platform alone is a prior, not evidence about this commit
        # binary features scaled to unit length: every known token weighs 1/sqrt(n); the
        # per-class sums run in C (zip/sum), which keeps this stage cheap
        scale = 1.0 / math.sqrt(len(known))
        sums = [sum(column) for column in zip(*(weights[t] for t in known), strict=True)]
        return [b + scale * s for b, s in zip(self.intercepts, sums, strict=True)], known

    def top_label(self, scores: list[float]) -> str:
        """The label with the highest score (no softmax needed to compare)."""
        return self.classes[_argmax(scores)]

    def prediction(self, scores: list[float], known: list[str]) -> TokenPrediction:
        """Softmax, top label and evidence tokens from :meth:`scores`."""
        weights = self.weights
        top = _argmax(scores)
        peak = scores[top]
        exps = [math.exp(s - peak) for s in scores]
        total = sum(exps)
        strongest = sorted(known, key=lambda t: (-weights[t][top], t))[:MAX_EVIDENCE_TOKENS]
        evidence = tuple(t for t in strongest if weights[t][top] > 0)
        return TokenPrediction(
            self.classes[top], 1.0 / total, evidence, tuple(e / total for e in exps)
        )

    def probability_of(self, prediction: TokenPrediction, label: str) -> float:
        """The probability ``prediction`` gives ``label`` (0 for a label the model lacks)."""
        try:
            return prediction.probabilities[self.classes.index(label)]
        except (ValueError, IndexError):
            return 0.0


def _argmax(values: list[float]) -> int:
    return max(range(len(values)), key=values.__getitem__)


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_FILE) -> TokenModel | None:
    """The shipped token model, or None when the file is missing (the stage is then off).

    Raises:
        ValueError: the file exists but is not a model of this feature version.
    """
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("feature_version") != FEATURE_VERSION:
        raise ValueError(
            f"{path.name} was trained with feature version {data.get('feature_version')!r}, "
            f"this code extracts version {FEATURE_VERSION}: retrain with bench/train_ct_model.py"
        )
    classes = tuple(str(c) for c in data["classes"])
    weights = {str(k): tuple(float(x) for x in v) for k, v in data["weights"].items()}
    if any(len(v) != len(classes) for v in weights.values()):
        raise ValueError(f"{path.name}: a weight vector does not have one entry per class")
    override = data.get("override")
    return TokenModel(
        classes=classes,
        intercepts=tuple(float(x) for x in data["intercepts"]),
        weights=weights,
        trained_on=tuple(str(s) for s in data["trained_on"]),
        training_commits=int(data["training_commits"]),
        override=None if override is None else OverrideModel(
            intercept=float(override["intercept"]),
            weights={str(k): float(v) for k, v in override["weights"].items()},
            rounds=tuple(str(r) for r in override["rounds"]),
            examples=int(override["examples"]),
        ),
    )
