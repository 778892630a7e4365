"""The learned stage of the change-type classifier: a small token model for weak decisions.

The rules (``ct_rules``) decide most commits from strong evidence: a weight file, a tokenizer
file, an explicit message. When all they have is a guess (a broad file name such as train.py or
models/, a fallback word, or nothing at all), this stage asks a multinomial logistic regression
over the commit's tokens (message words, file extensions, folder names, file-name words) that was
trained on the project's hand-labelled commits (``tests/data``, see
``bench/train_ct_model.py``). It overrides the guess only when it is at least
:data:`OVERRIDE_MIN_PROBABILITY` sure, and it names the tokens that weighed most as its evidence.

Pure Python, deterministic, offline: the weights ship with the package as JSON
(``data/ct_token_model.json``). When that file is missing the stage is off and the rules' guess
stands.
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
    "TokenModel",
    "TokenPrediction",
    "commit_features",
    "load_model",
]

MODEL_FILE = Path(__file__).resolve().parent / "data" / "ct_token_model.json"
#: The model overrides a weak rule decision only from this probability on (chosen on blind set
#: 8a; bench/eval_classifier.py reports the effect on every set).
OVERRIDE_MIN_PROBABILITY = 0.4
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
        parts = str(raw)[-300:].lower().split("/")
        base = parts[-1]
        out.add("e_" + (base.rsplit(".", 1)[-1] if "." in base else "noext"))
        out.update(f"d_{d}" for d in parts[:-1][-2:])
        out.update(f"b_{w}" for w in _NAME_WORD.findall(base))
    return out


@dataclass(frozen=True, slots=True)
class TokenPrediction:
    """What the token model says about one commit.

    Attributes:
        label: the most probable change type (or ``unclassified``).
        probability: its softmax probability.
        evidence: the known tokens that weighed most for that label, strongest first.
    """

    label: str
    probability: float
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TokenModel:
    """A multinomial logistic regression over binary, L2-normalised token features.

    Attributes:
        classes: the labels, in the order of every weight vector.
        intercepts: one bias per class.
        weights: token -> one weight per class.
        trained_on: the labelled sets (file names) and commit count it was trained on.
    """

    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    trained_on: tuple[str, ...]
    training_commits: int

    def predict(self, features: Iterable[str]) -> TokenPrediction | None:
        """The most probable label for these tokens, or None when no token is known."""
        weights = self.weights
        known = [f for f in features if f in weights]
        if not known:
            return None
        # binary features scaled to unit length: every known token weighs 1/sqrt(n); the
        # per-class sums run in C (zip/sum), which keeps this stage cheap
        scale = 1.0 / math.sqrt(len(known))
        sums = [sum(column) for column in zip(*(weights[t] for t in known), strict=True)]
        scores = [b + scale * s for b, s in zip(self.intercepts, sums, strict=True)]
        top = max(range(len(scores)), key=scores.__getitem__)
        peak = scores[top]
        probability = 1.0 / sum(math.exp(s - peak) for s in scores)
        strongest = sorted(known, key=lambda t: (-weights[t][top], t))[:MAX_EVIDENCE_TOKENS]
        evidence = tuple(t for t in strongest if weights[t][top] > 0)
        return TokenPrediction(self.classes[top], probability, evidence)


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
    return TokenModel(
        classes=classes,
        intercepts=tuple(float(x) for x in data["intercepts"]),
        weights=weights,
        trained_on=tuple(str(s) for s in data["trained_on"]),
        training_commits=int(data["training_commits"]),
    )
