"""Classify a commit into one of the 15 change types of ``sync-spec.md``, with its evidence.

Offline, deterministic and fast (tens of thousands of commits per second on one core): the
classifier only reads the commit message, the touched paths (and optionally git's name-status
letters) and the platform. The rules are data, in one ordered table (``ct_rules.RULES``), read in
stages:

1. **message rules** that name the change outright (auto-sync, release, "initial commit",
   "Training in progress", "Upload LlamaForCausalLM", speed/memory words, docstrings...): first
   match wins.
2. **file rules**: every path gets the label of its first matching file rule and votes with the
   rule's weight (weights 2, .gitattributes 0.25, others 1). The largest total wins; ties are
   broken by ``ct_rules.PRECEDENCE`` (substantive ML changes before docs and housekeeping).
   Dependency manifests are resolved to add / update / remove dependency from the change kinds
   and the message's verbs. With no file list, a Hub web-UI message naming one file ("Update
   config.json") is read as if that file was touched.
3. **fallback words** in the message when no path matched a file rule.
4. else ``unclassified`` with the reason (the study dropped such commits; we keep them visible).
5. **learned stage** (``ct_learned``): a logistic regression over the commit's tokens, trained
   on the project's hand-labelled commits, gives its own label; where it disagrees with stages
   1-4, an override model decides which to believe from the rules' label and stage, whether
   their evidence was weak (a broad file rule such as train.py or models/, a fallback word, no
   evidence) and how sure the token model is. The override model was fitted on how the rules
   did on blind sets before they were tuned on them. A replaced label has rule id
   ``learned.token_model`` and the tokens that weighed most as evidence.
   ``explain_commit(..., learned=False)`` gives the rules alone.

Decisions taken where the taxonomy is silent (documented, applied consistently):

* A Hub bulk upload ("Upload folder using huggingface_hub", "Upload 3 files") is **sharing**,
  unless every file it touched is of one single kind: then that kind wins (a folder of only
  weight shards is model structure; only sample images is output data).
* Platform matters: images are output data on the Hub but documentation figures on GitHub (outside
  output folders); Trainer pushes and push_to_hub model-class messages exist only on the Hub.
* Bot version bumps (Dependabot, Renovate, pre-commit.ci, Docker base images) are **update
  dependency** even when the bumped thing is a CI action or a hook (``message.dependency_bump``).
* ``setup.py`` / ``pyproject.toml`` also hold packaging metadata: without dependency evidence in
  the message they are **project metadata** (``combine.packaging_metadata``).
* Formatting/lint clean-ups of code, and a bare "wip"/"update"/"fix" over files of several
  kinds, fit no type: **unclassified** (``message.code_style``, ``message.uninformative``).
* A release named after a model ("Release Llama 2", sizes like "7B" are not versions) is
  sharing unless the commit adds the weight files or new modeling code
  (``message.release_named``).
* Files that ride along with the change are incidental (a quarter vote): ``.gitattributes``,
  a setup.py version bump next to code, tests next to the code they test, README pages next
  to code.

* An explicit message beats weak file evidence. Source code matched only by a broad name or
  folder rule (train*.py, models/, data/ code: rules marked ``weak``) is a guess; a message
  naming hyper-parameters, evaluation, data loading, preprocessing, an architecture part,
  distributed training, mixed precision or a dependency decides instead (``Guard.WEAK_FILES``;
  when every file already agrees, the file rule is named as the evidence). Bug fixes
  ("Fix bug ...", "Handle None in ... edge case") and TODO notes in code are decided by the
  message whatever code they touch (unclassified; internal documentation).
* A Hub bulk upload that publishes no model artefact (only docs, code, a licence or a
  requirements file) is about its licence (project metadata) or its requirements (dependency).

These conventions are written down for labellers in ``docs/labelling-guide.md``; the blind
sets in ``tests/data`` and ``bench/eval_classifier.py`` measure how well the rules follow them.

Hostile input: messages are cut to :data:`MAX_MESSAGE_CHARS`, file lists to :data:`MAX_FILES`,
paths to :data:`MAX_PATH_CHARS`; all patterns are precompiled and free of nested quantifiers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ptmscope.sync.ct_learned import (
    OVERRIDE_DECISION,
    OVERRIDE_MIN_PROBABILITY,
    commit_features,
    load_model,
    override_inputs,
)
from ptmscope.sync.ct_rules import (
    ADD_DEPENDENCY,
    ADD_WORDS,
    CHANGE_TYPES,
    CODE_SUFFIXES,
    DEPENDENCY,
    DEPENDENCY_EVIDENCE,
    EXTERNAL_DOCUMENTATION,
    FALLBACK_RULES,
    FILE_RULES,
    GENERIC_UPDATE_WORDS,
    INTERNAL_DOCUMENTATION,
    MEDIA_SUFFIXES,
    MERGE,
    MESSAGE_RULES,
    MODEL_STRUCTURE,
    NAMED_FILE,
    PACKAGING_MANIFESTS,
    PLATFORMS,
    PRECEDENCE,
    PROJECT_METADATA,
    REMOVE_DEPENDENCY,
    REMOVE_WORDS,
    RULES,
    RULES_BY_ID,
    SHARING,
    UNCLASSIFIED,
    UNPIN_WORDS,
    UPDATE_DEPENDENCY,
    UPDATE_WORDS,
    VALIDATION_INFRASTRUCTURE,
    Guard,
    Rule,
)

__all__ = [
    "CHANGE_TYPES",
    "MAX_FILES",
    "MAX_MESSAGE_CHARS",
    "MAX_PATH_CHARS",
    "RULES",
    "UNCLASSIFIED",
    "Classification",
    "classify_commit",
    "explain_commit",
    "is_weak_rule",
]

#: Only this many characters of a message are read (the subject and the start of the body).
MAX_MESSAGE_CHARS = 2000
#: Only this many paths of a commit are read (a vendoring commit may touch 100,000 files).
MAX_FILES = 5000
#: Only the last this-many characters of a path are read (the base name is at the end).
MAX_PATH_CHARS = 300
#: At most this many items are kept as evidence.
MAX_EVIDENCE = 8

_NON_SUBSTANTIVE = frozenset(
    {EXTERNAL_DOCUMENTATION, INTERNAL_DOCUMENTATION, PROJECT_METADATA, DEPENDENCY}
)
_PRECEDENCE_RANK = {label: i for i, label in enumerate(PRECEDENCE)}
_WEIGHTS_RULE = "file.weights"
_TO_REQUIREMENTS = re.compile(r"\b(?:to|from|in|into) (?:the )?requirements\b")
_LEARNED_RULE = "learned.token_model"
_DOC_PAGES_RULE = "file.doc_pages"
_TOKENIZER_RULE = "file.tokenizer"
_INCIDENTAL_PACKAGING = RULES_BY_ID["file.incidental_packaging"]
_INCIDENTAL_TESTS = RULES_BY_ID["file.incidental_tests"]
_MessageRow = tuple[Rule, str, re.Pattern[str], Guard]
#: Per platform, the message rules that apply there, with vote, pattern and guard unpacked once
#: (the hot loop reads them).
_MESSAGE_TABLE: dict[str, tuple[_MessageRow, ...]] = {
    platform: tuple(
        (rule, rule.vote, rule.pattern, rule.guard)
        for rule in MESSAGE_RULES
        if rule.pattern is not None and platform in rule.platforms
    )
    for platform in PLATFORMS
}


@dataclass(frozen=True, slots=True)
class Classification:
    """A commit's change type and why.

    Attributes:
        label: one of :data:`CHANGE_TYPES` or ``"unclassified"``.
        rule_id: id of the rule in ``ct_rules.RULES`` that decided.
        evidence: the files or message words that decided (at most ``MAX_EVIDENCE``).
        reason: one human sentence; for ``unclassified`` it says what was missing.
    """

    label: str
    rule_id: str
    evidence: tuple[str, ...]
    reason: str


class _Path(NamedTuple):
    """One touched path as the engine sees it (a tuple: cheap to build per commit)."""

    path: str
    kind: str
    rule: Rule | None
    vote: str | None


def classify_commit(message: str, files: list[str], platform: str) -> str:
    """Return the change type of one commit (one of :data:`CHANGE_TYPES`, or "unclassified").

    Args:
        message (`str`): the full commit message (hostile; only the start is read).
        files (`list[str]`): paths the commit touched (may be empty).
        platform (`str`): ``"github"`` or ``"huggingface"``.

    Returns:
        The label (rules plus the learned stage); see :func:`explain_commit` for the evidence
        behind it.

    Raises:
        ValueError: for any other platform.

    >>> classify_commit("Update config.json", ["config.json"], "huggingface")
    'parameter tuning'
    >>> classify_commit("bump torch to 2.1", ["requirements.txt"], "github")
    'update dependency'
    """
    return explain_commit(message, files, platform).label


def explain_commit(
    message: str,
    files: Sequence[str],
    platform: str,
    *,
    change_kinds: Sequence[str] | None = None,
    learned: bool = True,
) -> Classification:
    """Classify one commit and say which rule, files and words decided.

    Args:
        message (`str`): the commit message.
        files (`Sequence[str]`): touched paths.
        platform (`str`): ``"github"`` or ``"huggingface"``.
        change_kinds (`Sequence[str]`, *optional*): git name-status letters parallel to
            ``files`` (``A`` added, ``M`` modified, ``D`` deleted...); they let a removed
            requirements file be "remove dependency" and an added one "add dependency".
        learned (`bool`, *optional*, defaults to True): let the token model (``ct_learned``)
            replace a weak rule decision; False gives the rules' decision alone.

    Returns:
        A :class:`Classification`.

    Raises:
        ValueError: unknown platform, or ``change_kinds`` not as long as ``files``.

    >>> explain_commit("Upload folder using huggingface_hub",
    ...                ["config.json", "model.safetensors"], "huggingface").rule_id
    'message.bulk_upload'
    """
    plat = _check_platform(platform)
    if change_kinds is not None and len(change_kinds) != len(files):
        raise ValueError(
            f"change_kinds has {len(change_kinds)} entries but files has {len(files)}"
        )
    original = (message or "")[:MAX_MESSAGE_CHARS]
    said = _intent_text(original)
    text = said.lower()
    # Evidence quotes the message as written when lower-casing kept offsets aligned.
    shown = said if len(said) == len(text) else text
    first_line = text.split("\n", 1)[0].strip()
    paths = _demote_tests(_demote_packaging(_paths(files, change_kinds, plat), text))
    named = False
    if not paths:
        paths = _named_file(first_line, plat)
        named = bool(paths)

    unknown_code = _has_unknown_code(paths)
    # A README next to code no rule knows documents that code: the message rules judge the code
    # ("Add MS-STFT discriminator" with msstftd.py and README.md is model structure).
    decided = _message_stage(
        text, shown, paths, plat, _without_doc_pages(paths) if unknown_code else None
    )
    if decided is not None:
        return decided
    decided = _file_stage(text, paths, named)
    if decided is not None:
        if decided.label == EXTERNAL_DOCUMENTATION and unknown_code:
            # README + new code that no file rule knows ("add UniXcoder model" with
            # unixcoder.py): the page documents the code, so the message says what the code is.
            words = _fallback_stage(text, shown, first_line, paths)
            if words.label not in (UNCLASSIFIED, EXTERNAL_DOCUMENTATION):
                decided = words
    else:
        decided = _fallback_stage(text, shown, first_line, paths)
    return _learned_stage(decided, original, files, plat) if learned else decided


def _intent_text(message: str) -> str:
    """The message without the parts that only repeat what the files say (rules read this;
    the token model reads the message as written)."""
    # A squash body listing only "* Update llama.py" lines (the web editor's defaults) names
    # the changed files and no intent.
    said = _FILE_BULLETS.sub("", message) if "\n" in message else message
    # "Update modeling_qwen.py, qwen_generation_utils.py and tokenization_qwen.py" names the
    # files: no intent beyond "update".
    listed = _FILE_LIST.match(said)
    if listed is not None:
        said = listed.group(1) + said[listed.end():]
    if said[:5].lower() == "merge":
        # merging the main branch into a feature branch brings in others' work: the branch's
        # name ("into epwalsh/fsdp-wrap") says nothing about this commit's files
        said = _MAIN_INTO.sub("Merge branch", said)
    return said


_FILE_LIST = re.compile(
    r"\A\s*(update|upload|add|delete)[sd]? [\w./-]+\.\w+(?:(?:,| and|, and) [\w./-]+\.\w+)+"
    r"[ \t.]*(?=\n|\Z)",
    re.IGNORECASE,
)
_MAIN_INTO = re.compile(
    r"\Amerge (?:remote-tracking )?branch '?(?:origin/)?(?:main|master|dev|develop)'?"
    r"(?: of [^\s]+)? into [^\n]*",
    re.IGNORECASE,
)
_FILE_BULLETS = re.compile(
    r"^[ \t]*[*-][ \t]+(?:update|create|delete|add|rename)[ \t]+[\w./-]+[ \t]*$\n?",
    re.IGNORECASE | re.MULTILINE,
)


def is_weak_rule(rule_id: str) -> bool:
    """Whether a decision by ``rule_id`` is a guess: a fallback word, no evidence at all, or a
    broad file rule (train.py, models/)."""
    if rule_id.startswith(("fallback.", "unclassified.")):
        return True
    rule = RULES_BY_ID.get(rule_id)
    return rule is not None and rule.weak


def _learned_stage(
    decided: Classification, message: str, files: Sequence[str], platform: str
) -> Classification:
    """Let the token model (``ct_learned``) replace the rules' label where the override model
    trusts it (without an override model: only a weak decision it is sure enough about)."""
    model = load_model()
    if model is None:
        return decided
    weak = is_weak_rule(decided.rule_id)
    override = model.override
    if override is None and not weak:
        return decided
    scored = model.scores(commit_features(message, files, platform))
    if scored is None:
        return decided
    scores, known = scored
    if model.top_label(scores) == decided.label:
        return decided  # most commits: the model agrees, nothing more to compute
    guess = model.prediction(scores, known)
    if override is not None:
        trust = override.probability(override_inputs(
            decided.label, decided.rule_id, weak, platform, guess.label, guess.probability,
            model.probability_of(guess, decided.label),
        ))
        if trust < OVERRIDE_DECISION:
            return decided
        why = (f"the override model, fitted on how such rule decisions held up on blind sets "
               f"before any tuning, trusts the token model here ({trust:.2f})")
    elif (guess.label == UNCLASSIFIED and decided.rule_id.startswith("file.")) or (
        guess.probability < OVERRIDE_MIN_PROBABILITY
    ):
        # The labelled sets disagree on fixes that name their area ("Fix RoPE scaling" in
        # model code); the guide gives them the area's label, so file evidence is not dropped.
        return decided
    else:
        why = "the rules only guessed"
    return Classification(
        guess.label,
        _LEARNED_RULE,
        guess.evidence,
        f"the rules said {decided.label!r} ({decided.rule_id}); the token model trained on "
        f"{model.training_commits:,} hand-labelled commits says {guess.label!r} "
        f"(p={guess.probability:.2f}) from {', '.join(guess.evidence) or 'its tokens'}; {why}",
    )


# --- stages ------------------------------------------------------------------------------------
def _message_stage(
    text: str, shown: str, paths: list[_Path], platform: str,
    code_paths: list[_Path] | None = None,
) -> Classification | None:
    """The first message rule whose pattern and guard hold.

    ``code_paths`` (paths without README pages, given when unknown code is touched) are what
    the ``weak_files`` guard judges: the README documents the code the message talks about.
    """
    facts = _facts(paths)
    code_facts = facts if code_paths is None else _facts(code_paths)
    # Guards fail for most rules and are cheaper than patterns: each plain guard is evaluated
    # at most once per commit, when a rule first needs it; weak_files depends on the rule's
    # vote (see _guard_ok).
    passing: dict[Guard, bool] = {Guard.NONE: True}
    weak_ok = code_facts.n_files > 0
    strong = code_facts.strong_votes
    for rule, vote, pattern, guard in _MESSAGE_TABLE[platform]:
        if guard is Guard.WEAK_FILES:
            if not (weak_ok and (not strong or (len(strong) == 1 and vote in strong))):
                continue
        else:
            ok = passing.get(guard)
            if ok is None:
                ok = passing[guard] = _guard_ok(guard, facts, "")
            if not ok:
                continue
        found = pattern.search(text)
        if found is None:
            continue
        if rule.unless is not None and rule.unless.search(text) is not None:
            continue
        if rule.guard is Guard.WEAK_FILES and code_facts.main_votes <= {vote}:
            return None  # the files already say what the message says: they are the evidence
        words = (shown[found.start() : found.end()].strip(),)
        if rule.id == "message.bulk_upload":
            return _bulk_upload(rule, words, text, paths)
        label, why = _resolve(vote, text, paths)
        return Classification(
            label, rule.id, words, f"the message says {words[0]!r}: {rule.description}{why}"
        )
    return None


def _bulk_upload(
    rule: Rule, words: tuple[str, ...], text: str, paths: list[_Path]
) -> Classification:
    """Sharing, unless every (non-incidental) file is of one kind (see the module docstring)."""
    counted = [p for p in paths if p.rule is None or p.rule.weight >= 1.0]
    kinds = {p.vote for p in counted}
    if counted and len(kinds) == 1 and None not in kinds:
        vote = next(iter(kinds))
        assert vote is not None
        label, why = _resolve(vote, text, counted)
        evidence = tuple(p.path for p in counted[:MAX_EVIDENCE])
        return Classification(
            label,
            rule.id,
            evidence,
            f"bulk upload whose {len(counted)} file(s) are all {label}{why}",
        )
    housekeeping = _housekeeping_upload(counted)
    if housekeeping:
        vote = DEPENDENCY if any(p.vote == DEPENDENCY for p in housekeeping) else PROJECT_METADATA
        label, why = _resolve(vote, text, housekeeping)
        return Classification(
            label,
            rule.id,
            tuple(p.path for p in housekeeping[:MAX_EVIDENCE]),
            f"bulk upload without model artefacts (only docs, code, licence or dependency "
            f"files): the {vote} files decide{why}",
        )
    return Classification(
        SHARING,
        rule.id,
        words,
        f"bulk upload ({words[0]!r}) of {len(paths)} file(s) of mixed or unknown kinds: "
        "publishing artefacts is sharing",
    )


def _housekeeping_upload(counted: list[_Path]) -> list[_Path]:
    """The licence/dependency files of an upload that publishes no artefact, else ``[]``.

    An upload of a README with a LICENSE, or of handler code with its requirements.txt,
    publishes no model artefact: the housekeeping file is the point of the commit.
    """
    deciding: list[_Path] = []
    for p in counted:
        if p.vote in (DEPENDENCY, PROJECT_METADATA):
            deciding.append(p)
        elif p.vote in (EXTERNAL_DOCUMENTATION, INTERNAL_DOCUMENTATION):
            continue
        elif p.vote is None and p.path.lower().endswith(CODE_SUFFIXES):
            continue  # inference handler or helper code shipped with its requirements
        else:
            return []
    return deciding


def _file_stage(text: str, paths: list[_Path], named: bool) -> Classification | None:
    weights: dict[str, float] = {}
    # README pages next to code document that code: a quarter vote each (the code decides)
    with_code = any(
        p.path.lower().endswith(CODE_SUFFIXES) and p.vote != EXTERNAL_DOCUMENTATION
        for p in paths
    )
    # tokenizer files uploaded with weights ship the model they belong to (a quarter vote each)
    with_weights = any(p.rule is not None and p.rule.id == _WEIGHTS_RULE for p in paths)
    for p in paths:
        if p.rule is not None and p.vote is not None:
            weight = p.rule.weight
            if (with_code and p.rule.id == _DOC_PAGES_RULE) or (
                with_weights and p.rule.id == _TOKENIZER_RULE
            ):
                weight = min(weight, 0.25)
            weights[p.vote] = weights.get(p.vote, 0.0) + weight
    if not weights:
        return None
    if all(p.rule is None or p.rule.weight < 1.0 for p in paths) and _has_unknown_code(paths):
        # only files that ride along (tests, a setup.py bump, a release note) next to code no
        # rule knows: the code is the change, so the message has to say what it is
        return None
    if DEPENDENCY in weights and len(weights) > 1 and _TO_REQUIREMENTS.search(text):
        weights[DEPENDENCY] += 1.0  # "add optimum to requirements" with the README that says so
    if (
        len(weights) > 1
        and DEPENDENCY in weights
        and (REMOVE_WORDS.search(text) or UPDATE_WORDS.search(text))
        and DEPENDENCY_EVIDENCE.search(text)
    ):
        # "drop apex" over requirements.txt and train.py: removing or bumping a package the
        # message names is the point of the commit (wins ties, not majorities). "Add wandb
        # logging" is about the feature, so adding gets no such bonus.
        weights[DEPENDENCY] += 0.5
    winner = min(weights, key=lambda lab: (-weights[lab], _PRECEDENCE_RANK.get(lab, 99)))
    voters = [p for p in paths if p.vote == winner]
    label, why = _resolve(winner, text, voters)
    # The rule that brought the most weight to the winner is named as the deciding rule.
    top: Rule | None = None
    for p in voters:
        if p.rule is not None and (top is None or p.rule.weight > top.weight):
            top = p.rule
    assert top is not None
    rule_id = "combine.named_file" if named else top.id
    total = sum(weights.values())
    others = "" if len(weights) == 1 else (
        f" (weight {weights[winner]:g} of {total:g}; others: "
        + ", ".join(f"{lab} {w:g}" for lab, w in sorted(weights.items()) if lab != winner)
        + "; combine.file_weights)"
    )
    source = "the file named in the message" if named else f"{len(voters)} of {len(paths)} file(s)"
    return Classification(
        label,
        rule_id,
        tuple(p.path for p in voters[:MAX_EVIDENCE]),
        f"{source}: {top.id} -> {label}{others}{why}",
    )


def _fallback_stage(
    text: str, shown: str, first_line: str, paths: list[_Path]
) -> Classification:
    start = 0
    merge = MERGE.search(first_line) is not None
    if merge:  # the merge line names branches, not changes: read only the body
        start = text.find("\n") + 1 if "\n" in text else len(text)
    for rule in FALLBACK_RULES:
        if rule.pattern is None:
            continue
        found = rule.pattern.search(text, start)
        if found is None:
            continue
        word = shown[found.start() : found.end()].strip()
        label, why = _resolve(rule.vote, text, paths)
        unknown = f" and {_files_shown_nothing(paths)}" if paths else ""
        return Classification(
            label, rule.id, (word,), f"no file decided{unknown}; the message says {word!r}{why}"
        )
    return Classification(UNCLASSIFIED, "unclassified.no_evidence", (), _why_unclassified(
        text, paths, merge
    ))


def _files_shown_nothing(paths: list[_Path]) -> str:
    """Why the files decided nothing: no rule matched, or only files that ride along did."""
    if any(p.rule is not None for p in paths):
        return (f"only files that ride along (tests, packaging, release notes) among its "
                f"{len(paths)} file(s) matched a file rule, next to code that none matched")
    return f"none of the {len(paths)} file(s) matched a file rule"


def _why_unclassified(text: str, paths: list[_Path], merge: bool) -> str:
    shown = ", ".join(p.path for p in paths[:3]) + (", ..." if len(paths) > 3 else "")
    files = f"{_files_shown_nothing(paths)} ({shown})" if paths else "it lists no files"
    if merge:
        return f"merge commit: {files} and the merge message names no change"
    if not text.strip():
        return f"empty message and {files}"
    return f"{files} and the message names no recognised change"


# --- helpers -------------------------------------------------------------------------------------
def _check_platform(platform: str) -> str:
    value = str(platform).lower() if isinstance(platform, str) else ""
    if value not in PLATFORMS:
        raise ValueError(f"unknown platform {str(platform)[:40]!r}: expected one of {PLATFORMS}")
    return value


def _paths(
    files: Sequence[str], kinds: Sequence[str] | None, platform: str
) -> list[_Path]:
    out: list[_Path] = []
    added_votes = False
    for i, raw in enumerate(files[:MAX_FILES]):
        path = str(raw)[-MAX_PATH_CHARS:]
        kind = str(kinds[i]).upper()[:1] if kinds is not None else "M"
        rule = _path_rule(path, platform)
        if rule is None:
            out.append(_Path(path, kind, None, None))
        elif kind == "A" and rule.added_vote is not None:
            added_votes = True
            out.append(_Path(path, kind, rule, rule.added_vote))
        else:
            out.append(_Path(path, kind, rule, rule.vote))
    if added_votes and any(p.rule is not out[0].rule for p in out):
        # an added file votes differently only when its kind of file is the whole change
        # (Rule.added_vote): an added DeepSpeed config next to training YAML is one more config
        out = [p if p.rule is None else p._replace(vote=p.rule.vote) for p in out]
    return out


def _has_unknown_code(paths: list[_Path]) -> bool:
    """True when some touched path is source code that no file rule recognised."""
    return any(p.rule is None and p.path.lower().endswith(CODE_SUFFIXES) for p in paths)


def _without_doc_pages(paths: list[_Path]) -> list[_Path]:
    """``paths`` without README and markdown pages (``file.doc_pages``)."""
    return [p for p in paths if p.rule is None or p.rule.id != _DOC_PAGES_RULE]


def _is_test_path(path: str) -> bool:
    """A unit-test file: test_*.py / *_test.py, or code in a tests/ or test/ folder."""
    norm = path.replace("\\", "/").lower()
    base = norm.rsplit("/", 1)[-1]
    if not base.endswith(CODE_SUFFIXES):
        return False
    return (
        base.startswith("test_") or base.rsplit(".", 1)[0].endswith("_test")
        or "/tests/" in f"/{norm}" or "/test/" in f"/{norm}"
    )


def _demote_tests(paths: list[_Path]) -> list[_Path]:
    """Make test files incidental when the commit also changes the code they test."""
    tests = [i for i, p in enumerate(paths) if p.vote == VALIDATION_INFRASTRUCTURE
             and _is_test_path(p.path)]
    if not tests or len(tests) == len(paths):
        return paths
    chosen = set(tests)
    if not any(p.path.lower().endswith(CODE_SUFFIXES) and p.vote != EXTERNAL_DOCUMENTATION
               for i, p in enumerate(paths) if i not in chosen):
        return paths  # tests next to docs or data only: the tests are the change
    return _incidental(paths, tests, _INCIDENTAL_TESTS)


def _demote_packaging(paths: list[_Path], text: str) -> list[_Path]:
    """Make setup.py/pyproject.toml incidental when they ride along with other files.

    Single-package repositories bump the version in setup.py with every change; unless the
    message names a dependency, that manifest is not what the commit is about.
    """
    packaging = [
        i for i, p in enumerate(paths)
        if p.vote == DEPENDENCY and _base_name(p.path) in PACKAGING_MANIFESTS
    ]
    if not packaging or len(packaging) == len(paths):
        return paths
    if any(p.vote == DEPENDENCY for i, p in enumerate(paths) if i not in packaging):
        return paths
    if DEPENDENCY_EVIDENCE.search(text) is not None or UPDATE_WORDS.search(text) is not None:
        return paths
    return _incidental(paths, packaging, _INCIDENTAL_PACKAGING)


def _incidental(paths: list[_Path], indexes: Sequence[int], rule: Rule) -> list[_Path]:
    """``paths`` with the paths at ``indexes`` decided by the quarter-vote ``rule``."""
    out = list(paths)
    for i in indexes:
        out[i] = out[i]._replace(rule=rule, vote=rule.vote)
    return out


@lru_cache(maxsize=1 << 16)
def _path_rule(path: str, platform: str) -> Rule | None:
    """The first file rule matching ``path`` on ``platform`` (paths repeat: cached)."""
    norm = path.strip().replace("\\", "/").lower()
    while norm.startswith("./"):
        norm = norm[2:]
    parts = norm.split("/")
    base, dirs = parts[-1], tuple(parts[:-1])
    for rule, by_base in _base_plan(base, platform):
        if rule.within_dirs and rule.within_dirs.isdisjoint(dirs):
            continue
        if rule.except_dirs and not rule.except_dirs.isdisjoint(dirs):
            continue
        # Rule.matches_dirs, inlined: this loop runs for every path no cache has seen
        if by_base or not rule.dirs.isdisjoint(dirs) or (
            rule.dir_prefixes and any(d.startswith(rule.dir_prefixes) for d in dirs)
        ):
            return rule
    return None


@lru_cache(maxsize=1 << 16)
def _base_plan(base: str, platform: str) -> tuple[tuple[Rule, bool], ...]:
    """The file rules, in order, that can match a path with this base name.

    Each comes with whether the base name alone matches it; the rest can only match by folder.
    Base names repeat across repositories (README.md, config.json, train.py) even when whole
    paths never do, so this work is done once per base name.
    """
    dot = base.rfind(".")
    plan: list[tuple[Rule, bool]] = []
    for rule in _candidate_rules(base[dot:] if dot >= 0 else "", platform):
        if not rule.base_allowed(base):
            continue
        by_base = rule.matches_base(base)
        if by_base or rule.dirs or rule.dir_prefixes:
            plan.append((rule, by_base))
        if by_base and not rule.within_dirs and not rule.except_dirs:
            break  # this rule matches whatever the folders: later rules are never reached
    return tuple(plan)


@lru_cache(maxsize=4096)
def _candidate_rules(extension: str, platform: str) -> tuple[Rule, ...]:
    """The file rules, in order, that can match a base name ending in ``extension``.

    A rule restricted to some suffixes (``only_suffixes``: code, media, data files) cannot match
    any other extension; skipping it up front halves the work when paths never repeat.
    """
    return tuple(
        rule for rule in FILE_RULES
        if platform in rule.platforms
        and (not rule.only_suffixes or _suffix_possible(rule.only_suffixes, extension))
    )


def _suffix_possible(only_suffixes: tuple[str, ...], extension: str) -> bool:
    """Whether a base name with this final extension (".py", or "") can end with a suffix."""
    for suffix in only_suffixes:
        dot = suffix.rfind(".")
        # a suffix that is not a plain ".ext" (none today) keeps the rule, to stay exact
        if dot != 0 or suffix == extension:
            return True
    return False


def _named_file(first_line: str, platform: str) -> list[_Path]:
    found = NAMED_FILE.search(first_line)
    if found is None:
        return []
    verb, name = found.group(1), found.group(found.lastindex or 0)
    kind = "D" if verb.startswith("delete") else "A" if verb.startswith(("create", "add")) else "M"
    rule = _path_rule(name, platform)
    return [_Path(name, kind, rule, rule.vote_for(kind) if rule is not None else None)]


def _base_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1].strip().lower()


class _Facts(NamedTuple):
    """What the message guards need to know about a commit's files (one pass, then O(1))."""

    n_files: int
    votes: frozenset[str | None]
    substantive: bool  # some file is not docs, metadata or a dependency manifest
    only_docs: bool  # every file is user documentation or incidental
    has_weights: bool
    code_only: bool  # every file is source code that is not user documentation
    strong_votes: frozenset[str | None]  # votes of files that are not weak evidence
    main_votes: frozenset[str | None]  # votes of the non-incidental files
    only_media: bool  # every file is an image, audio or video file
    adds_model_code: bool  # some added (kind A) file is modeling code
    has_code: bool  # some file is source code
    all_code: bool  # every file is source code (user-facing examples included)


def _facts(paths: list[_Path]) -> _Facts:
    votes: set[str | None] = set()
    strong: set[str | None] = set()
    main: set[str | None] = set()
    substantive = has_weights = adds_model_code = has_code = False
    only_docs = code_only = only_media = all_code = True
    for p in paths:
        vote, rule = p.vote, p.rule
        votes.add(vote)
        incidental = rule is not None and rule.weight < 1.0
        is_code = p.path.lower().endswith(CODE_SUFFIXES)
        has_code = has_code or is_code
        all_code = all_code and (is_code or incidental)  # a release note rides along
        if not p.path.lower().endswith(MEDIA_SUFFIXES):
            only_media = False
        if vote not in _NON_SUBSTANTIVE:
            substantive = True
        if vote != EXTERNAL_DOCUMENTATION and not incidental:
            only_docs = False
        if not is_code or vote == EXTERNAL_DOCUMENTATION:
            code_only = False
        if rule is not None and rule.id == _WEIGHTS_RULE:
            has_weights = True
        elif vote == MODEL_STRUCTURE and p.kind == "A":
            adds_model_code = True
        if not incidental:
            main.add(vote)
            # Weak evidence (Guard.WEAK_FILES): any file no rule knows (it shows nothing), or
            # code matched by a broad rule (train.py, models/).
            if rule is not None and not (is_code and rule.weak):
                strong.add(vote)
    return _Facts(
        len(paths), frozenset(votes), substantive, only_docs, has_weights,
        code_only, frozenset(strong), frozenset(main), only_media, adds_model_code, has_code,
        all_code,
    )


def _guard_ok(guard: Guard, facts: _Facts, vote: str) -> bool:
    if guard is Guard.NONE:
        return True
    if guard is Guard.WEAK_FILES:
        # Every strong file must already agree with the message (see Guard.WEAK_FILES).
        return facts.n_files > 0 and facts.strong_votes <= {vote}
    if guard is Guard.NOT_ONLY_DOCS_OR_DEPS:
        return facts.n_files == 0 or facts.substantive
    if guard is Guard.ONLY_DOCS:
        return facts.n_files > 0 and facts.only_docs
    if guard is Guard.NO_MODEL:
        return not facts.has_weights and not facts.adds_model_code
    if guard is Guard.ALL_CODE:
        return facts.n_files > 0 and facts.all_code
    if guard is Guard.NO_CODE:
        return facts.n_files > 0 and not facts.has_code
    if guard is Guard.ONLY_MEDIA:
        return facts.n_files > 0 and facts.only_media
    if guard is Guard.MIXED_FILES:
        return len(facts.votes) > 1 and facts.votes != {None}
    # Guard.CODE_ONLY: example scripts are user documentation, not code to comment.
    return facts.n_files > 0 and facts.code_only


def _resolve(vote: str, text: str, paths: Sequence[_Path]) -> tuple[str, str]:
    """Turn a vote into a label; dependency manifests become add/update/remove (with why)."""
    if vote != DEPENDENCY:
        return vote, ""
    manifests = [p for p in paths if p.vote == DEPENDENCY]
    if (
        manifests
        and all(_base_name(p.path) in PACKAGING_MANIFESTS for p in manifests)
        and DEPENDENCY_EVIDENCE.search(text) is None
        and UPDATE_WORDS.search(text) is None
    ):
        return PROJECT_METADATA, (
            "; combine.packaging_metadata: only packaging manifests and no dependency named"
        )
    kinds = {p.kind for p in manifests}
    if kinds == {"D"}:
        return REMOVE_DEPENDENCY, "; combine.dependency_kind: the manifest was deleted"
    for words, label in (
        (UNPIN_WORDS, UPDATE_DEPENDENCY),
        (REMOVE_WORDS, REMOVE_DEPENDENCY),
        (UPDATE_WORDS, UPDATE_DEPENDENCY),
        (ADD_WORDS, ADD_DEPENDENCY),
    ):
        found = words.search(text)
        if found is not None:
            return label, f"; combine.dependency_kind: the message says {found.group(0)!r}"
    if GENERIC_UPDATE_WORDS.search(text) is None and "A" in kinds:
        return ADD_DEPENDENCY, "; combine.dependency_kind: the manifest was added"
    return UPDATE_DEPENDENCY, "; combine.dependency_kind: a modified manifest (default: update)"
