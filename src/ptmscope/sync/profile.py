"""The change-type profile of each side of a family (sync-spec.md, "Change types").

Every stored commit is labelled with :func:`ptmscope.sync.change_types.classify_commit` from its
message, the files it touched and its platform; a side's profile is the count of each label.
``unclassified`` is counted (never dropped silently) but is not a change type, so shares are
reported over the classified commits, as the study's table is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from ptmscope.sync.similarity import UNCLASSIFIED_LABEL

#: ``classify_commit(message, files, platform) -> label``.
Classifier = Callable[[str, list[str], str], str]


def default_classifier() -> Classifier:
    """The rule-based classifier of ``ptmscope.sync.change_types`` (imported on first use)."""
    from ptmscope.sync.change_types import classify_commit

    return classify_commit


class CachedClassifier:
    """Memoises a classifier on (platform, message, files).

    Corpora repeat commits verbatim ("Update README.md" touching README.md, "Upload folder using
    huggingface_hub"...), so a corpus run labels each distinct commit shape once.
    """

    def __init__(self, classify: Classifier | None = None) -> None:
        self._classify = classify or default_classifier()
        self._memo: dict[tuple[str, str, tuple[str, ...]], str] = {}
        self.calls = 0

    def __call__(self, message: str, files: list[str], platform: str) -> str:
        """Label one commit."""
        self.calls += 1
        key = (platform, message, tuple(files))
        label = self._memo.get(key)
        if label is None:
            label = self._classify(message, list(files), platform)
            self._memo[key] = label
        return label

    @property
    def distinct(self) -> int:
        """How many distinct commit shapes were classified."""
        return len(self._memo)


@dataclass(frozen=True, slots=True)
class ChangeProfile:
    """How many commits of one side got each label.

    Attributes:
        platform: ``github`` or ``huggingface``.
        counts: label -> number of commits (``unclassified`` included).
    """

    platform: str
    counts: Mapping[str, int]

    @property
    def total(self) -> int:
        """All commits of the side."""
        return sum(self.counts.values())

    @property
    def classified(self) -> int:
        """Commits with a change type (not ``unclassified``)."""
        return self.total - self.counts.get(UNCLASSIFIED_LABEL, 0)

    @property
    def types(self) -> frozenset[str]:
        """The set of change types seen (for Jaccard similarity)."""
        return frozenset(k for k, n in self.counts.items() if n and k != UNCLASSIFIED_LABEL)

    def shares(self) -> dict[str, float]:
        """Change type -> percentage of the classified commits."""
        if not self.classified:
            return {}
        return {
            k: 100.0 * n / self.classified
            for k, n in sorted(self.counts.items())
            if k != UNCLASSIFIED_LABEL
        }


def change_profile(
    commits: Iterable[tuple[str, Sequence[str]]], platform: str, classify: Classifier | None = None
) -> ChangeProfile:
    """Label each (message, files) commit and count the labels.

    >>> fake = lambda message, files, platform: "sharing" if "Upload" in message else "unclassified"
    >>> change_profile([("Upload x", ["a.bin"]), ("?", [])], "huggingface", fake).counts
    {'sharing': 1, 'unclassified': 1}
    """
    label = classify or default_classifier()
    counts = Counter(label(message, list(files), platform) for message, files in commits)
    return ChangeProfile(platform, dict(sorted(counts.items())))
