"""Look-alike names: repository ids imitating a popular model (typosquatting, homoglyphs).

Attackers publish ``googIe-bert/bert-base-uncased`` (capital I for l), ``rneta-llama/...``
(rn for m), Cyrillic ``а`` for Latin ``a``, ``meta_llama`` for ``meta-llama``, or the same
model name under a near-identical owner, hoping users copy the wrong id. The candidate id is
compared with the popular ids shipped in ``risk/data/popular_models.txt``:

* **homoglyph**: after mapping confusable characters to one *skeleton* (Unicode NFKC,
  Cyrillic/Greek look-alikes, ``I``/``l``/``1``/``|``, ``0``/``O``, ``rn``/``m``, ``vv``/``w``,
  ``_``/``.``/``-``), the id equals a popular id's skeleton -> high;
* **typosquatted owner**: same (or 1-edit) model name, owner within a small edit distance of
  the popular owner or containing it -> high;
* **swapped**: ``name/owner`` of a popular ``owner/name`` -> medium;
* **re-upload**: exactly the popular model name under an unrelated owner -> low (mirrors
  and quantizations do this legitimately; worth a look, not an alarm);
* any non-ASCII character in the id -> medium (Hub ids are ASCII).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ptmscope.records import Finding, Outcome, Platform, Severity
from ptmscope.risk.repo_checks.base import RepoCheck, RepoFacts

#: Characters that look like a Latin letter or digit in common fonts -> that letter.
CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ɡ": "g", "А": "a", "В": "b", "Е": "e", "К": "k", "М": "m",
    "Н": "h", "О": "o", "Р": "p", "С": "c", "Т": "t", "Х": "x", "І": "l", "Ј": "j", "Ѕ": "s",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "Α": "a", "Β": "b", "Ε": "e", "Ι": "l", "Κ": "k", "Μ": "m", "Ν": "n",
    "Ο": "o", "Ρ": "p", "Τ": "t", "Χ": "x", "Υ": "y", "Ζ": "z",
    # Latin look-alikes
    "I": "l", "|": "l", "1": "l", "ı": "i", "ł": "l", "0": "o", "$": "s", "@": "a",
    "_": "-", ".": "-",
}
MULTI_CONFUSABLES: tuple[tuple[str, str], ...] = (("rn", "m"), ("vv", "w"))
DATA_FILE = "data/popular_models.txt"


def skeleton(text: str) -> str:
    """The confusable-insensitive form of an id (see module doc)."""
    normalized = unicodedata.normalize("NFKC", text)
    mapped = "".join(CONFUSABLES.get(ch, ch) for ch in normalized).lower()
    for pair, single in MULTI_CONFUSABLES:
        mapped = mapped.replace(pair, single)
    return mapped


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or ``limit + 1`` as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


@lru_cache(maxsize=1)
def popular_ids() -> tuple[str, ...]:
    """The shipped popular model ids (comments and blank lines dropped)."""
    text = resources.files("ptmscope.risk").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines()
                 if line.strip() and not line.startswith("#"))


@dataclass(frozen=True, slots=True)
class Lookalike:
    """One imitation found.

    Attributes:
        kind: homoglyph, typosquatted-owner, swapped, re-upload or non-ascii.
        popular: the popular id imitated ("" for non-ascii).
        severity: how suspicious.
    """

    kind: str
    popular: str
    severity: Severity


def _owner_lookalike(owner: str, popular_owner: str) -> bool:
    a, b = skeleton(owner), skeleton(popular_owner)
    if owner.casefold() == popular_owner.casefold() or not b:
        return False
    if a == b:
        return True
    limit = 1 if len(b) < 6 else 2
    if edit_distance(a, b, limit) <= limit:
        return True
    return len(b) >= 4 and b in a and len(a) - len(b) <= 12


@lru_cache(maxsize=4)
def _index(popular: tuple[str, ...]) -> tuple[tuple[str, str, str, str, str], ...]:
    """(id, owner, model, skeleton(id), skeleton(model)) per popular id, computed once."""
    rows = []
    for pid in popular:
        p_owner, _, p_model = pid.partition("/") if "/" in pid else ("", "", pid)
        rows.append((pid, p_owner, p_model, skeleton(pid), skeleton(p_model)))
    return tuple(rows)


def find_lookalikes(name: str, popular: tuple[str, ...]) -> list[Lookalike]:
    """Every way ``name`` (``owner/model``) imitates an id in ``popular``; [] if it is one."""
    folded = {p.casefold() for p in popular}
    if name.casefold() in folded:
        return []
    found: list[Lookalike] = []
    if not name.isascii():
        found.append(Lookalike("non-ascii", "", Severity.MEDIUM))
    owner, _, model = name.partition("/") if "/" in name else ("", "", name)
    popular_owners = {p.split("/", 1)[0].casefold() for p in popular if "/" in p}
    name_skel, model_skel = skeleton(name), skeleton(model)
    for pid, p_owner, p_model, p_skel, p_model_skel in _index(popular):
        if p_skel == name_skel:
            found.append(Lookalike("homoglyph", pid, Severity.HIGH))
            continue
        if owner and p_owner and owner.casefold() == p_model.casefold() \
                and model.casefold() == p_owner.casefold():
            found.append(Lookalike("swapped", pid, Severity.MEDIUM))
            continue
        same_model = model_skel == p_model_skel or (
            len(p_model_skel) >= 6 and edit_distance(model_skel, p_model_skel, 1) <= 1)
        if not same_model or not p_owner or not owner:
            continue
        if owner.casefold() not in popular_owners and _owner_lookalike(owner, p_owner):
            found.append(Lookalike("typosquatted-owner", pid, Severity.HIGH))
        elif model.casefold() == p_model.casefold() and owner.casefold() != p_owner.casefold():
            found.append(Lookalike("re-upload", pid, Severity.LOW))
    return _dedupe(found)


def _dedupe(found: list[Lookalike]) -> list[Lookalike]:
    """Keep the most severe finding per kind, first popular id wins ties."""
    best: dict[str, Lookalike] = {}
    for item in found:
        if item.kind not in best or item.severity.rank < best[item.kind].severity.rank:
            best[item.kind] = item
    return sorted(best.values(), key=lambda x: x.severity.rank)


def run(facts: RepoFacts) -> list[Finding]:
    """Findings for Hugging Face repos imitating popular ids."""
    if facts.repo.platform is not Platform.HUGGINGFACE or "/" not in facts.repo.name:
        return [CHECK.finding(facts, Outcome.NOT_APPLICABLE,
                              "look-alike check applies to Hugging Face ids owner/name")]
    popular = popular_ids()
    found = find_lookalikes(facts.repo.name, popular)
    if not found:
        return [CHECK.finding(facts, Outcome.PRESENT,
                              f"no look-alike of {len(popular)} popular model ids")]
    return [CHECK.finding(
        facts, Outcome.MISSING,
        f"{facts.repo.name!r} looks like popular {item.popular!r} ({item.kind})"
        if item.popular else f"{facts.repo.name!r} contains non-ASCII characters",
        severity=item.severity, evidence={"kind": item.kind, "popular": item.popular})
        for item in found]


CHECK = RepoCheck(
    id="REPO-LOOKALIKE-NAME",
    title="Look-alike repository name",
    why="a name that imitates a popular model (homoglyphs, typos, a near-identical owner) is "
        "the usual lure for users who copy ids by hand or from search results",
    remedy="Check the exact owner/name against the official model page before downloading; "
           "prefer ids copied from the publisher's own links",
    severity=Severity.HIGH,
    run=run,
)
