"""The ordered rule table of the change-type classifier (data only; the engine is ``change_types``).

Every rule is a self-describing :class:`Rule` (id, stage, description, evidence, the labels it can
give). The table :data:`RULES` is read in four stages, in this order (see ``change_types`` for
the engine and ``sync-spec.md`` section "Change types (15)" for the taxonomy):

1. ``message`` rules: a message that names the change outright (auto-sync, release, "initial
   commit", "Training in progress", speed/memory words...) decides, first match wins.
2. ``file`` rules: each touched path gets the label of the first file rule it matches, with a
   weight; the labels' weights are summed (``combine`` rules say how a winner is chosen).
3. ``fallback`` rules: when no path matched a file rule, words in the message decide.
4. otherwise the commit is ``unclassified`` with the reason.

Adding a rule means adding one entry here. All patterns are simple precompiled regular expressions
without nested quantifiers (no catastrophic backtracking), run on a bounded, lower-cased message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

# --- the taxonomy (sync-spec.md, "Change types (15)") ----------------------------------------
EXTERNAL_DOCUMENTATION = "external documentation"
INTERNAL_DOCUMENTATION = "internal documentation"
PROJECT_METADATA = "project metadata"
SHARING = "sharing"
MODEL_STRUCTURE = "model structure"
PARAMETER_TUNING = "parameter tuning"
PREPROCESSING = "preprocessing"
INPUT_DATA = "input data"
OUTPUT_DATA = "output data"
TRAINING_INFRASTRUCTURE = "training infrastructure"
VALIDATION_INFRASTRUCTURE = "validation infrastructure"
PIPELINE_PERFORMANCE = "pipeline performance"
ADD_DEPENDENCY = "add dependency"
UPDATE_DEPENDENCY = "update dependency"
REMOVE_DEPENDENCY = "remove dependency"

#: The 15 change types, exactly as written in ``sync-spec.md``.
CHANGE_TYPES: tuple[str, ...] = (
    EXTERNAL_DOCUMENTATION,
    INTERNAL_DOCUMENTATION,
    PROJECT_METADATA,
    SHARING,
    MODEL_STRUCTURE,
    PARAMETER_TUNING,
    PREPROCESSING,
    INPUT_DATA,
    OUTPUT_DATA,
    TRAINING_INFRASTRUCTURE,
    VALIDATION_INFRASTRUCTURE,
    PIPELINE_PERFORMANCE,
    ADD_DEPENDENCY,
    UPDATE_DEPENDENCY,
    REMOVE_DEPENDENCY,
)

#: What a commit gets when no rule places it (the study dropped such commits; we keep them).
UNCLASSIFIED = "unclassified"

#: Internal vote key for dependency manifests; resolved to add/update/remove by
#: ``combine.dependency_kind`` from the change kinds and the message's words.
DEPENDENCY = "dependency"
DEPENDENCY_LABELS: tuple[str, ...] = (ADD_DEPENDENCY, UPDATE_DEPENDENCY, REMOVE_DEPENDENCY)

#: Tie-break order when two labels get the same file weight: substantive ML changes first,
#: then publishing and dependencies, documentation and repository housekeeping last (a README
#: or .gitattributes touched together with weights is incidental to the weights).
PRECEDENCE: tuple[str, ...] = (
    MODEL_STRUCTURE,
    TRAINING_INFRASTRUCTURE,
    VALIDATION_INFRASTRUCTURE,
    PREPROCESSING,
    PARAMETER_TUNING,
    INPUT_DATA,
    PIPELINE_PERFORMANCE,
    OUTPUT_DATA,
    SHARING,
    DEPENDENCY,
    INTERNAL_DOCUMENTATION,
    EXTERNAL_DOCUMENTATION,
    PROJECT_METADATA,
)

GITHUB = "github"
HUGGINGFACE = "huggingface"
PLATFORMS: tuple[str, ...] = (GITHUB, HUGGINGFACE)
BOTH: frozenset[str] = frozenset(PLATFORMS)
HF_ONLY: frozenset[str] = frozenset({HUGGINGFACE})
GH_ONLY: frozenset[str] = frozenset({GITHUB})

#: File suffixes counted as source code (for guards such as "comment-only change").
CODE_SUFFIXES: tuple[str, ...] = (
    ".py", ".pyx", ".cu", ".cuh", ".cpp", ".cc", ".c", ".h", ".hpp", ".js", ".ts", ".sh",
    ".slurm", ".sbatch", ".rs", ".go", ".java", ".jl", ".lua", ".r", ".scala",
)
IMAGE_SUFFIXES: tuple[str, ...] = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp")
MEDIA_SUFFIXES: tuple[str, ...] = (*IMAGE_SUFFIXES, ".wav", ".mp3", ".flac", ".mp4", ".webm")


class Stage(StrEnum):
    """When a rule is consulted (see the module docstring)."""

    MESSAGE = "message"
    FILE = "file"
    COMBINE = "combine"
    FALLBACK = "fallback"
    LEARNED = "learned"


class Guard(StrEnum):
    """An extra condition on the commit's files for a message rule to apply."""

    NONE = "none"
    #: at least one file that is not documentation, metadata or a dependency manifest, or no
    #: files at all ("add memory numbers to README" stays documentation).
    NOT_ONLY_DOCS_OR_DEPS = "not_only_docs_or_deps"
    #: at least one file, and every file is source code that is not user documentation
    #: ("fix typo" in train.py, but not in example_chat.py).
    CODE_ONLY = "code_only"
    #: at least one file, and every file is user documentation (README, *.md, doc images).
    ONLY_DOCS = "only_docs"
    #: no file is a weight file and no model code is added (a "release" that adds the
    #: weights or new modeling code is about the model itself).
    NO_MODEL = "no_model"
    #: the files vote for more than one kind of change (or some match no rule), at least one of
    #: them recognised: a vague message ("wip", "update") over such files names no one change.
    MIXED_FILES = "mixed_files"
    #: at least one file, and every file is weak evidence: source code matched by no rule or
    #: by a broad ``weak`` file rule (train*.py, models/, data/ code...), or a file that already
    #: agrees with the rule. An explicit message ("lower learning rate", "add zero-shot eval")
    #: then beats the guess from train.py or models/. Weights, tokenizer and preprocessing
    #: code, configs, data and docs are strong evidence and keep the file stage; when every
    #: file agrees, the file stage names them as the evidence.
    WEAK_FILES = "weak_files"
    #: at least one file, and every file is an image, audio or video file.
    ONLY_MEDIA = "only_media"
    #: at least one file, and no file is source code.
    NO_CODE = "no_code"
    #: at least one file, and every file is source code (example and demo scripts included).
    ALL_CODE = "all_code"


@dataclass(frozen=True, slots=True)
class Rule:
    """One registered classification rule.

    Attributes:
        id: stable id shown as the evidence of a label (``message.auto_sync``...).
        stage: when the rule is consulted.
        description: what the rule decides and why, in one or two sentences.
        evidence: what it looks at, as a user would recognise it (file names, words).
        labels: the labels the rule can give (several for combine/dependency rules).
        platforms: platforms on which the rule applies.
        pattern: for message and fallback rules, the precompiled pattern searched in the
            lower-cased bounded message.
        guard: extra condition on the files for a message rule.
        unless: for message rules, a pattern that vetoes the rule when it occurs anywhere in
            the message ("memory requirements" is not a dependency).
        names / prefixes / suffixes / substrings / dirs: for file rules, a path matches when
            its lower-cased base name equals a name, starts with a prefix, ends with a suffix or
            contains a substring, or when one of its directories is in ``dirs``.
        dir_prefixes: for file rules, a path also matches when one of its directories starts
            with one of these (``checkpoint-500/``).
        only_suffixes: when set, a file rule matches only base names ending with one of these.
        within_dirs: when set, a file rule matches only paths with one of these directories.
        requires_prefixes: when set, a file rule matches only base names starting with one of
            these (download_*.py that also names a dataset).
        except_substrings: a file rule never matches a base name containing one of these
            (a data-file rule skips eval_results.json).
        except_dirs: a file rule never matches a path inside one of these folders.
        stem_pattern: for file rules, a path also matches when its lower-cased base name
            without the extension matches this whole pattern (a model name: ``wavlm.py``).
        weak: for file rules, a source-code path it matches is only a guess from a broad name
            or folder (train.py, models/, data/): a message that names the change outright
            overrides it (``Guard.WEAK_FILES``).
        weight: a matched file's vote (weights count double: a commit adding weights is about
            the weights; incidental metadata such as .gitattributes counts a quarter).
        added_vote: for file rules, what a path the commit adds (git kind "A") votes for, when
            that differs from a changed one and this rule's files are the whole commit (adding
            a DeepSpeed config sets training up, changing its values tunes it).
    """

    id: str
    stage: Stage
    description: str
    evidence: str
    labels: tuple[str, ...]
    platforms: frozenset[str] = BOTH
    pattern: re.Pattern[str] | None = None
    guard: Guard = Guard.NONE
    names: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    substrings: tuple[str, ...] = ()
    dirs: frozenset[str] = frozenset()
    only_suffixes: tuple[str, ...] = ()
    weight: float = 1.0
    dir_prefixes: tuple[str, ...] = ()
    within_dirs: frozenset[str] = frozenset()
    unless: re.Pattern[str] | None = None
    requires_prefixes: tuple[str, ...] = ()
    except_substrings: tuple[str, ...] = ()
    weak: bool = False
    except_dirs: frozenset[str] = frozenset()
    stem_pattern: re.Pattern[str] | None = None
    added_vote: str | None = None

    @property
    def label(self) -> str:
        """The (first) label the rule gives."""
        return self.labels[0]

    @property
    def vote(self) -> str:
        """What the rule votes for: its label, or ``DEPENDENCY`` for dependency rules."""
        return DEPENDENCY if self.labels == DEPENDENCY_LABELS else self.labels[0]

    def vote_for(self, kind: str) -> str:
        """What a path of this git change kind (A, M, D, R) votes for."""
        return self.added_vote if self.added_vote is not None and kind == "A" else self.vote

    def matches_path(self, base: str, dirs: tuple[str, ...]) -> bool:
        """True when a lower-cased path (base name + directory segments) matches this rule."""
        if not self.base_allowed(base):
            return False
        if self.within_dirs and self.within_dirs.isdisjoint(dirs):
            return False
        if self.except_dirs and not self.except_dirs.isdisjoint(dirs):
            return False
        return self.matches_base(base) or self.matches_dirs(dirs)

    def base_allowed(self, base: str) -> bool:
        """The conditions on the base name every match needs (suffix, prefix, exclusions)."""
        if self.only_suffixes and not base.endswith(self.only_suffixes):
            return False
        if self.requires_prefixes and not base.startswith(self.requires_prefixes):
            return False
        return not (self.except_substrings and any(s in base for s in self.except_substrings))

    def matches_base(self, base: str) -> bool:
        """Whether the base name alone matches (name, prefix, suffix or substring)."""
        return (
            base in self.names
            or (bool(self.prefixes) and base.startswith(self.prefixes))
            or (bool(self.suffixes) and base.endswith(self.suffixes))
            or (bool(self.substrings) and any(s in base for s in self.substrings))
            or (self.stem_pattern is not None
                and self.stem_pattern.fullmatch(base.rpartition(".")[0] or base) is not None)
        )

    def matches_dirs(self, dirs: tuple[str, ...]) -> bool:
        """Whether one of the folders matches (a folder name or folder prefix)."""
        return not self.dirs.isdisjoint(dirs) or (
            bool(self.dir_prefixes) and any(d.startswith(self.dir_prefixes) for d in dirs)
        )


#: Words that end or make up model names ("UniXcoder", "ESMFold", "mt5", "phi-2", "PairRM"):
#: a commit that adds one of them over unknown code adds a model.
MODEL_NAMES = (
    r"[\w-]*(?:bert|gpt|t5|llama|bart|coder|former|fold|encoder|decoder|vit|clip|mamba|rwkv"
    r"|triever|phi-?\d|mistral|mixtral|qwen|gemma|falcon|bloom|whisper|wav2vec\d?|pegasus"
    r"|zephyr|vicuna|hermes|embedder|ranker"
    r"|resnet|yolo\w*|dino\w*|diffusion|unet|vae|gan|rm|lm|net)\b"
)

#: Base names (without extension) of files that hold one model's code: a model name alone,
#: with no verb or purpose joined by "_" (prepare_starcoder.py, inference_vllm.py are scripts).
MODEL_FILE_STEMS = (
    r"[a-z0-9-]*(?:bert|gpt\d?|t5|llama|bart|coder|former|vit|mamba|rwkv|wavlm|hubert|mistral"
    r"|mixtral|qwen|gemma|falcon|bloom|whisper|wav2vec\d?|pegasus|resnet|unet|vae|gan|esm\w*|net)"
)


def _p(pattern: str) -> re.Pattern[str]:
    """Compile a message pattern (multi-line so ``^`` anchors any line of the message)."""
    return re.compile(pattern, re.MULTILINE)


def _msg(
    rid: str,
    label: str | tuple[str, ...],
    pattern: str,
    description: str,
    evidence: str,
    *,
    platforms: frozenset[str] = BOTH,
    guard: Guard = Guard.NONE,
    stage: Stage = Stage.MESSAGE,
    unless: str | None = None,
) -> Rule:
    labels = (label,) if isinstance(label, str) else label
    return Rule(
        rid, stage, description, evidence, labels, platforms, _p(pattern), guard=guard,
        unless=_p(unless) if unless is not None else None,
    )


def _fallback(rid: str, label: str | tuple[str, ...], pattern: str, evidence: str) -> Rule:
    what = label if isinstance(label, str) else "a dependency type"
    return _msg(
        rid,
        label,
        pattern,
        f"No file decided; the message's words point to {what}.",
        evidence,
        stage=Stage.FALLBACK,
    )


def _file(
    rid: str,
    label: str,
    description: str,
    evidence: str,
    *,
    platforms: frozenset[str] = BOTH,
    names: tuple[str, ...] = (),
    prefixes: tuple[str, ...] = (),
    suffixes: tuple[str, ...] = (),
    substrings: tuple[str, ...] = (),
    dirs: tuple[str, ...] = (),
    only_suffixes: tuple[str, ...] = (),
    weight: float = 1.0,
    dir_prefixes: tuple[str, ...] = (),
    within_dirs: tuple[str, ...] = (),
    requires_prefixes: tuple[str, ...] = (),
    except_substrings: tuple[str, ...] = (),
    weak: bool = False,
    except_dirs: tuple[str, ...] = (),
    stem_pattern: str | None = None,
    added_vote: str | None = None,
) -> Rule:
    labels = DEPENDENCY_LABELS if label == DEPENDENCY else (label,)
    if added_vote is not None:
        labels = (*labels, added_vote)
    return Rule(
        rid,
        Stage.FILE,
        description,
        evidence,
        labels,
        platforms,
        names=frozenset(names),
        prefixes=prefixes,
        suffixes=suffixes,
        substrings=substrings,
        dirs=frozenset(dirs),
        only_suffixes=only_suffixes,
        weight=weight,
        dir_prefixes=dir_prefixes,
        within_dirs=frozenset(within_dirs),
        requires_prefixes=requires_prefixes,
        except_substrings=except_substrings,
        weak=weak,
        except_dirs=frozenset(except_dirs),
        stem_pattern=re.compile(stem_pattern) if stem_pattern else None,
        added_vote=added_vote,
    )


def _combine(rid: str, labels: tuple[str, ...], description: str, evidence: str) -> Rule:
    return Rule(rid, Stage.COMBINE, description, evidence, labels)


# --- stage 1: decisive message rules (first match wins) --------------------------------------
_MESSAGE_RULES: tuple[Rule, ...] = (
    _msg(
        "message.auto_sync",
        SHARING,
        r"auto[- ]?sync(ed)? from (git|https?)://",
        "A commit mirrored automatically from the other platform is a sharing act.",
        '"Auto Sync from git://github.com/<owner>/<repo>.git/commit/<sha>"',
    ),
    _msg(
        "message.duplicate_from",
        SHARING,
        r"^duplicate from [\w.-]+/[\w.-]+",
        "A Hub repository duplicated from another one publishes existing artefacts.",
        '"Duplicate from org/model"',
        platforms=HF_ONLY,
    ),
    _msg(
        "message.super_squash",
        PROJECT_METADATA,
        r"^super-squash(ed)? (branch|history)\b",
        "huggingface_hub's super_squash_history rewrites the branch into one commit: repository "
        "housekeeping, whatever files the squashed commit lists.",
        '"Super-squash branch \'main\' using huggingface_hub"',
        platforms=HF_ONLY,
    ),
    _msg(
        "message.bulk_upload",
        (SHARING, *CHANGE_TYPES),
        r"^upload folder\b|^upload \d+ files?\b|^add files using upload-large-folder\b",
        "A bulk Hub upload (upload_folder, web upload of several files) is sharing, unless every "
        "file it touched is of one single kind: then that kind decides (a folder of only "
        "weights is model structure, only sample images output data).",
        '"Upload folder using huggingface_hub", "Upload 3 files", "Add files using '
        'upload-large-folder tool"',
        platforms=HF_ONLY,
    ),
    _msg(
        "message.trainer_push",
        TRAINING_INFRASTRUCTURE,
        r"^training in progress\b|^end of training\b|^model save\s*$",
        "transformers' Trainer pushes checkpoints and logs while training: a training artefact.",
        '"Training in progress, step 500", "End of training", "Model save"',
        platforms=HF_ONLY,
    ),
    _msg(
        "message.initial_commit",
        PROJECT_METADATA,
        r"^(initial|first|init) commit\b|^init(ial)?\s*$",
        "The first commit sets the repository up, whatever files it adds.",
        '"initial commit", "first commit"',
    ),
    _msg(
        "message.release",
        SHARING,
        # one "^(?:...)" and one "\b(?:...)" group: Python's re scans such patterns ~3x
        # faster than a flat alternation of anchored branches (bench/classify.py).
        r"^(?:(?:[\w-]{1,20}: )?release[sd]?\s*:?\s*v?\d(?!\d*(?:\.\d+)?[bm]\b)|release\s*$"
        r"|(?:version )?v?\d+\.\d+(?:\.\d+)?\S*\s*$"
        r"|(?:chore|build|ci)(?:\([^)\n]{0,40}\))?!?:\s*(?:release|bump version)\b"
        r"|chore\((?:release|version)\)|version(?:\([^)\n]{0,40}\))?\s*:\s*v?\d+\.\d+"
        r"|\[release\]\s*v?\d)"
        r"|\b(?:bump(?:ed|s)? (?:up )?(?:the )?(?:package )?versions?(?! of\b)|version bump"
        r"|update (?:the )?version (?:to )?v?\d"
        r"|^(?:up|update[sd]?|bump(?:ed)?|increase[sd]?) (?:the )?version[ \t.]*$"
        r"|^bump(?:ed|s)? (?:up )?to v?\d+\.\d+"
        r"|prepare (?:for )?(?:the )?(?:v?\d[\w.]* )?release)\b",
        "Releasing a version (tag commit, version bump of the project itself, conventional "
        "'chore: release') is sharing. A model size (\"Release 7B\") is not a version: such "
        "commits go to message.release_named.",
        '"Release v1.0.0", "v1.2.0", "bump version to 0.3.1", "chore: release v0.2.1"',
    ),
    _msg(
        "message.release_named",
        SHARING,
        r"^(release[sd]?|releasing)\s+(?!notes?\b)\w|^[\w.+-]{2,40} release\s*$",
        "A commit announcing the release of a named model or version (\"Release Llama 2\") "
        "publishes it, unless it adds the weight files or new modeling code themselves (then "
        "model structure).",
        '"Release Llama 2", "Release code and 7B model", "SDXL-Turbo release"',
        guard=Guard.NO_MODEL,
        unless=r"\b(?:training|evaluation|eval|data) (?:scripts?|code)\b",
    ),
    _msg(
        "message.dependency_bump",
        DEPENDENCY_LABELS,
        r"^(?:bump [\w@./-]{1,100} from \S{1,40} to \S|bump the [\w-]{1,60} group\b"
        r"|(?:chore|build|fix)\(deps(?:-dev)?\)|update dependency [\w@./-]{1,100} to v?\d"
        r"|update [\w@./-]{1,100} action to v?\d"
        r"|(?:bump|upgrad|pin)\w* [\w.-]{1,60} (?:(?:from \S{1,40} )?to v?\d[\w.]* )?"
        r"in (?:the )?docker\w*)"
        r"|\b(?:pre-commit autoupdate|update\w* (?:the )?pre-commit hooks?|docker base image"
        r"|base image (?:to|from)|(?:bump|updat|upgrad)\w* (?:the )?(?:[\w.-]+ ){0,2}base image"
        r"|(?:use|switch to|move to|update to|upgrade to) (?:an? |the )?[\w.:-]+(?: v?[\d.]+)?"
        r" base image"
        r"|(?:docker|gpu|base|cuda) image to (?:cuda|pytorch|torch|nvidia|ubuntu|python|v?\d))\b"
        r"|^(?:update|bump|upgrade)\w* (?:the )?docker(?:file)?[\w.-]{0,20} (?:to|for) (?:use )?"
        r"[\w.-]{1,40} ?v?\d"
        r"|\b(?:bump|updat|upgrad)\w*\b[^\n]{0,40}?\bsubmodules?\b",
        "Dependabot/Renovate/pre-commit.ci version bumps update a third-party dependency, also "
        "when it is a CI action, a pre-commit hook or a Docker base image (any base-image "
        "change is a dependency change; so is moving a Dockerfile to a new framework "
        "version).",
        '"Bump actions/checkout from 3 to 4", "chore(deps): bump torch ...", '
        '"[pre-commit.ci] pre-commit autoupdate"',
    ),
    _msg(
        "message.publish_to_hub",
        SHARING,
        r"\b(push(ed|es)?|upload(ed|s)?|release[sd]?|publish(ed|es)?|sync(ed)?)\b[^\n]{0,60}?"
        r"\b(to|on|with|from) (the )?(hugging ?face|hf|hub|model hub|pypi|github)\b",
        "Pushing, releasing or syncing artefacts to the Hub or PyPI is sharing.",
        '"release checkpoints on huggingface", "publish to PyPI", "Sync with huggingface repo"',
        # "Publish to PyPI workflow" sets up CI (project metadata), it publishes nothing yet;
        # a training callback that pushes checkpoints is checkpoint code
        unless=r"\bworkflows?\b|\bcallbacks?\b",
    ),
    _msg(
        "message.checkpoint_links",
        SHARING,
        r"\b(links?|download(s|able)?|releas\w*|add(ed|s)?|updat\w*|upload(ed|s)?|publish\w*)\b"
        r"[^\n]{0,40}"
        r"\b(checkpoints?|pretrained (weights|models?)|model weights)\b"
        r"|\b(?:add(?:ed|s|ing)?|releas\w*)\b[^\n]{0,40}\bmodels?[ \t.]*(?:\(#\d+\))?[ \t]*$|发布"
        r"|\b(?:checkpoint|download|weights?|models?|modules?|drive|gguf|ollama|onedrive"
        r"|baidu ?(?:pan|netdisk)) links?\b|\bmodel zoo\b|\bmodel list\b",
        "On GitHub, a README-only commit adding or releasing checkpoints or models (download "
        "links) publishes artefacts: sharing.",
        '"Add BERT-Large checkpoint", "Adding small/mini/tiny models" touching only README.md',
        platforms=GH_ONLY,
        guard=Guard.ONLY_DOCS,
        unless=r"\blink to (?:the )?(?:hugging ?face|hf)(?: hub)? (?:models|page)\b"
        r"|\blinks? to (?:the )?(?:[\w-]+ ){0,2}models? (?:on|at) (?:the )?"
        r"(?:hugging ?face|hf|hub)\b"
        r"|\bmodel ?cards?\b|\bmodel (?:docs?|documentation|descriptions?|overview)\b"
        r"|\b(?:usage|examples?|instructions?|how to|results?|scores?|benchmarks?|tables?"
        r"|demos?)\b"
        # a dataset's download link is a plain link; loading code in a demo is the demo
        r"|\bdatasets? (?:download )?links?\b|\bload(?:ing)?\b",
    ),
    _msg(
        "message.evaluation_results",
        VALIDATION_INFRASTRUCTURE,
        r"\beval(uation)? results?\b|\bmodel-index\b|\bleaderboard\b|\bbenchmark results\b",
        "Reported evaluation results (model-index, leaderboard bots) are validation, even when "
        "they live in the model card.",
        '"Add evaluation results", "Adding Evaluation Results"',
    ),
    _msg(
        "message.reported_results",
        VALIDATION_INFRASTRUCTURE,
        r"\bscores\b|\b(?:results?|benchmark|leaderboard|evaluation|evals?|performance) tables?\b"
        r"|\b(benchmark|evaluation|eval|test|accuracy) (numbers|scores)\b"
        r"|\b(add|update|report)\w*\b[^\n]{0,40}\bresults\b"
        # "Docs: Update benchmarks" over README and BENCHMARKS.md
        r"|^(?:docs?: ?)?updat\w* (?:the )?benchmarks\s*$",
        "Scores, results tables and benchmark numbers added to documentation only are reported "
        "evaluation results: validation.",
        '"Add MMLU and GSM8K scores", "Add results table to README"',
        guard=Guard.ONLY_DOCS,
        unless=r"\blinks?\b",
    ),
    _msg(
        "message.conventional_docs",
        EXTERNAL_DOCUMENTATION,
        r"^docs?(?:\([^)\n]{0,40}\))?!?:",
        "A conventional-commit 'docs:' change that touches no source code (README, notebooks, "
        "docs pages) is user documentation, whatever file names it touches (a tokenizer "
        "example notebook).",
        '"docs: add tokenization example" with README.md and examples/tokenizer.ipynb',
        guard=Guard.NO_CODE,
        # contributor guides and developer notes are internal documentation
        unless=r"\bcontribut\w*|\bdeveloper (?:notes|docs|guide)\b",
    ),
    _msg(
        "message.hub_architecture_config",
        MODEL_STRUCTURE,
        r"\bauto_map\b|\barchitectures\b|\b[a-z0-9]+for(?:causallm|maskedlm|seq2seqlm"
        r"|sequenceclassification|tokenclassification|conditionalgeneration)\b"
        r"|\bin-library\b|\bremote code\b|\btrust_remote_code\b|\bmodel_type\b",
        "On the Hub, a config change that names the architecture (architectures, model_type, "
        "auto_map, a *ForCausalLM class, moving remote code into the library) changes which "
        "model is built: model structure, not parameter tuning.",
        '"Update config.json to use transformers FalconForCausalLM", "point auto_map to ..."',
        platforms=HF_ONLY,
        # "Upload LlamaForCausalLM" is transformers' push_to_hub (message.push_to_hub_model)
        unless=r"^upload\b",
    ),
    _msg(
        "message.hub_tokenizer_config",
        PREPROCESSING,
        r"\btokenizer_class\b|\bchat_template\b",
        "On the Hub, a config change naming a tokenizer field (tokenizer_class, chat_template) "
        "changes how inputs are prepared: preprocessing (special-token ids in "
        "generation_config.json stay parameter tuning).",
        '"Add `tokenizer_class` to config", "Add chat_template to tokenizer_config"',
        platforms=HF_ONLY,
    ),
    _msg(
        "message.add_checkpoints_with_code",
        MODEL_STRUCTURE,
        r"^add\w*\b[^\n]{0,60}?\b(?:checkpoints?|pretrained (?:weights|models?)|models"
        r"|presets?)\b",
        "On GitHub, adding models or checkpoints together with code (the checkpoint list, "
        "loading code, hubconf) adds new model variants: model structure. A README-only "
        "commit stays sharing (message.checkpoint_links); links and examples stay documentation.",
        '"Add ViT-H/14 to checkpoint list" touching checkpoint.py and README.md',
        platforms=GH_ONLY,
        guard=Guard.NOT_ONLY_DOCS_OR_DEPS,
        unless=r"\blinks?\b|\bexamples?\b|\bdocs?\b|\breadme\b|\bcard\b|\bconfigs?\b"
        r"|\btests?\b|\beval\w*|\bbenchmark\w*|\bdemo\b|\bscripts?\b|\bdocstrings?\b|\bsav\w*"
        r"|\bload\w*|\bvocab\w*|\bevery\b|\boptions?\b|\bflags?\b|\bresum\w*|\bcallback\w*"
        r"|\bpreprocess\w*|\btokeni[sz]\w*|\bcomments?\b|\bgenerated\b|\bsummaries\b"
        r"|\boutputs?\b|\bsamples?\b|\bpredictions?\b|\bresults?\b|\bscores?\b|\bjudg\w*"
        r"|\bsentence ?piece\b|\bbpe\b|\brestor\w*"
        r"|\bplugins?\b|\btrainer\b|\b(?:un|re)?shard\w*",
    ),
    _msg(
        "message.sample_outputs",
        OUTPUT_DATA,
        r"\b(?:sample|generated|example) (?:images|audio|outputs|videos|generations)\b"
        r"|\b(?:audio|image|video) samples\b|\b(?:add|upload)\w* samples?\b",
        "Sample images or audio the model produced, added as media files (even in assets/ for "
        "a demo page), are output data: the message says they are samples.",
        '"add sample images" with assets/*.jpg, "Add audio samples to demo page"',
        guard=Guard.ONLY_MEDIA,
    ),
    _msg(
        "message.license",
        PROJECT_METADATA,
        r"\blicen[cs]e[sd]?\b",
        "Licence changes are repository metadata, also when made in the card's front matter.",
        '"Change license to apache-2.0", "add license"',
    ),
    # --- message intent over weak file evidence (added after the blind2 analysis) ------------
    # The file stage guesses a code file's change from its name or folder (train.py, models/);
    # when the message states the change outright, these rules decide first (guard WEAK_FILES:
    # only code files, or files that already agree). Bug fixes come first: the study dropped
    # them, whatever code they touch.
    _msg(
        "message.bug_fix",
        UNCLASSIFIED,
        r"\b(?:bug(?:s|fix(?:es)?|gy)?\b|hot-?fix\b|edge[- ]cases?\b"
        r"|fix(?:e[sd]|ing)?\b[^\n]{0,50}?(?:\b(?:crash\w*|regression|segfault"
        r"|off-by-one|nan|deadlock|race condition|wrong|incorrect|broken|leak\w*|compatibility)"
        r"|(?:error|exception))\b"
        r"|fix(?:e[sd]|ing)?\b (?:[\w-]{1,30} ){1,2}imports?\b|'?nonetype'? object|has no attribute"
        r"|fix(?:e[sd]|ing)? (?:the )?imports? (?:of|for|from)\b"
        r"|handle[sd]?\b[^\n]{0,40}?\b(?:none|null|nan|empty|missing)\b)"
        # a bare "fix" / "fix import" names a repair and no area (a fix that names its area,
        # "fix tokenizer padding", is labelled by that area in most labelled sets)
        r"|\A\s*fix(?:e[sd])?(?: (?:the )?(?:imports?|build|it|this|issue #?\d+))?\s*(?:\(#\d+\))?"
        r"\s*(?:\n|\Z)"
        # a merge with no body from a fix branch ("from user/fix-tqdm-import")
        r"|\A\s*merge pull request #\d+ from [\w.-]+/(?:bug|hot)?fix(?:es)?(?:[-_][a-z0-9]+)?"
        r"(?:[-_](?:pr|imports?|typos?|bugs?|issues?|ci|tests?|lint|build|crash|errors?|\d+))?"
        r"\s*\Z",
        "A bug fix in code (\"Fix bug ...\", \"fix crash when ...\", \"Handle None in ... edge "
        "case\", a bare \"fix\") fits no change type (the study dropped bug fixes): "
        "unclassified, even when a modeling or training file matches.",
        '"Fix bug in beam search", "fix crash when batch is empty", "Handle None in edge case", '
        '"fix import"',
        guard=Guard.ALL_CODE,
        # "Add tests for tokenizer edge cases" adds tests, it fixes nothing; "hotfix: add
        # tiktoken to install_requires" adds a dependency
        unless=r"^add\w* (?:unit |more )?tests?\b|\binstall_requires\b|\brequirements\b"
        r"|\bflaky\b"
        r"|\bversions? of (?:the )?[\w-]+\b",
    ),
    _msg(
        "message.todo_note",
        INTERNAL_DOCUMENTATION,
        r"\b(?:todo|fixme|xxx)s?\b|\bnotes? (?:for|to) (?:developers|devs|self|maintainers)\b",
        "A TODO/FIXME note left in code documents the code for its developers, whatever topic "
        "it names (\"Add TODO for kv-cache eviction\" is not a performance change).",
        '"Add TODO for ...", "FIXME note in trainer"',
        guard=Guard.CODE_ONLY,
    ),
    _msg(
        "message.developer_notes",
        INTERNAL_DOCUMENTATION,
        r"\b(?:dev|developer|maintainer|contributor)s?['’]? (?:notes?|docs|guide|documentation)\b",
        "Notes for the project's developers (\"add dev notes on building wheels\", \"Add "
        "developer docs for the sparsity kernels\") are internal documentation, also in a "
        "README or docs page.",
        '"add dev notes on building wheels", "Add developer docs for the kernels"',
        guard=Guard.ONLY_DOCS,
    ),
    _msg(
        "message.todo_list",
        INTERNAL_DOCUMENTATION,
        r"^(?:add|update)\w* (?:a |the )?(?:todo|roadmap)(?: list)?s?\s*$",
        "A TODO list added to the README is a note for the project's developers.",
        '"add todo" touching README.md',
        guard=Guard.ONLY_DOCS,
    ),
    _msg(
        "message.docstring",
        INTERNAL_DOCUMENTATION,
        # type hints alone are code style (message.code_style); with docstrings they document
        r"\bdoc[ -]?strings?\b|\bcode comments?\b|\binline comments?\b"
        r"|^add\w* (?:some|more) (?:docs?|documentation) (?:to|for|in)\b",
        "Docstrings and code comments document the code for its developers.",
        '"add docstrings", "Add type hints and docstrings"',
        guard=Guard.NOT_ONLY_DOCS_OR_DEPS,
    ),
    _msg(
        "message.document_code",
        INTERNAL_DOCUMENTATION,
        r"^(?:document(?:s|ed)?|explain(?:s|ed)?|clarify|describe)\b(?! in (?:the )?readme)",
        "A message that documents something (\"Document sampler arguments\") while touching "
        "only code documents the code for its developers: internal documentation.",
        '"Document sampler arguments" on models/sampler.py',
        guard=Guard.CODE_ONLY,
    ),
    _msg(
        "message.code_comment",
        INTERNAL_DOCUMENTATION,
        r"\bcomments?\b|\bcomment(ed)? out\b|\btypos?\b",
        "A comment or typo fix touching only source files (GitHub code, Hub remote code) is "
        "internal documentation.",
        '"add comments", "fix typo in comment" with only *.py files',
        guard=Guard.CODE_ONLY,
        # squash-merge bodies list "* address review comments": review, not code comments
        unless=r"\b(?:address|resolve|apply)\w*\b[^\n]{0,20}?\b(?:review|pr) comments?\b",
    ),
    _msg(
        "message.dependency_change",
        DEPENDENCY_LABELS,
        r"\b(?:add|remov|drop|delet|avoid|make|get rid of|no longer|replac|vendor|swap)\w*\b"
        r"[^\n]{0,40}?\b(?:dependenc(?:y|ies)|requirements?|deps|third-party package)\b"
        r"|\b(?:no longer|not|don't|do not|stop) (?:require|depend)\w*\b"
        r"|\bdependency on\b|\boptional (?:dependency|import)\b",
        "A message that adds, removes or replaces a dependency (\"Remove dependency on apex\", "
        "\"remove flash_attn requirement\") is a dependency change even when only code is "
        "touched; add/update/remove from the message's verbs (combine.dependency_kind).",
        '"Remove dependency on apex", "remove flash_attn requirement", "make wandb optional '
        'dependency"',
        guard=Guard.WEAK_FILES,
        unless=r"\b(?:memory|hardware|gpu|vram|system|compute|disk|ram) requirements?\b"
        r"|\bdependency (?:pars\w*|trees?|graphs?|labels?|arcs?)\b",
    ),
    _msg(
        "message.hyperparameters",
        PARAMETER_TUNING,
        r"\bhyper-?param\w*|\bhparams?\b"
        r"|\b(?:lower|raise|increas|decreas|reduc|set|chang|tun|tweak|adjust|updat|bump|doubl"
        r"|halv|use|switch)\w*\b[^\n]{0,30}?\b(?:learning[ _-]?rates?|(?:(?:min|max|peak|base)_)?lr"
        r"|weight[ _-]?decay"
        r"|batch[ _-]?sizes?|warm-?up(?: steps| ratio)?|dropout(?: rate)?|epochs?|max[ _]steps"
        r"|grad(?:ient)?[ _-]?accum\w*|label[ _-]?smoothing|momentum|beta[12]|adam[ _]eps\w*"
        r"|grad(?:ient)?[ _-]?clip\w*|clip[ _-]?norm|temp(?:erature)?|top[ _-]?[pk]"
        r"|lora[ _-]?(?:r|rank|alpha)|loss weights?"
        r"|max(?:imum)? (?:sentence|sequence|seq|input|source|target) length)\b"
        r"|\bdefault (?:values|settings|(?:[\w-]+[ _])?thresholds?)\b|\bgrid[ -]search\w*"
        r"|\bhyper-?param\w* search\b"
        r"|\b(?:beam size|num_beams|length penalty)\b|\b(?:lr|learning[ _-]rate) defaults?\b"
        r"|\b(?:lr|learning_rate|lora_r|lora_alpha|batch_size|epochs|weight_decay|warmup_steps"
        r"|dropout|max_steps|num_epochs)\s?=\s?\d",
        "Changing hyper-parameter values (\"lower learning rate\", \"set weight decay 0.1\", "
        "\"Update hyperparameters\") is parameter tuning even in train.py or a models/ file.",
        '"lower learning rate", "set weight decay 0.1", "Update hyperparameters", "increase '
        'batch size to 64"',
        guard=Guard.WEAK_FILES,
        unless=r"\b(?:unit[ -])?tests?\b|\btesting\b|\bsupport\w*|\bsav\w* every\b",
    ),
    _msg(
        "message.distributed_training",
        TRAINING_INFRASTRUCTURE,
        r"\b(?:pipeline|tensor|data|model|sequence|context|expert|fully sharded)[ -]parallel\w*"
        r"|\bdistributed (?:training|data parallel|launch\w*)\b|\bddp\b|\bfsdp\b|\bdeepspeed\b"
        r"|\bzero-?[123]\b|\bmulti-?(?:gpu|node) (?:training|support|launch\w*)\b|\bmegatron\b"
        r"|\btorchrun\b|\bslurm\b|\bresume (?:training|from checkpoint)\b|\bgradient accumulation\b"
        r"|\bsav\w* (?:the )?(?:best|last|latest|top-?k) (?:checkpoints?|models?)\b"
        # a checkpoint schedule: "save the model every N steps", "checkpoint every N steps"
        r"|\bsav\w* (?:the )?(?:models?|checkpoints?|weights) (?:every|each|after each)\b"
        r"|\bsave[_ ]steps\b|\bcheckpoint(?:ing)? (?:every|interval|frequency)\b",
        "Distributed and multi-GPU training (parallelism, DDP/FSDP/DeepSpeed, launchers, "
        "resuming, gradient accumulation) is training infrastructure, also in model code.",
        '"Add pipeline parallelism", "support FSDP", "multi-node training with torchrun"',
        guard=Guard.WEAK_FILES,
        # "add convert script for hf to megatron": a checkpoint converter (model structure)
        unless=r"\b(?:unit[ -])?tests?\b|\btesting\b|\bmoe\b|mixture[- ]of[- ]experts"
        r"|\bconvert\w*|\bmodels?[ \t.]*(?:\(#\d+\))?[ \t]*$|\beval(?:uation|harness)?\b"
        # changing the values of an existing DeepSpeed config is tuning ("update deepspeed
        # config", labelled parameter tuning in most sets); adding one sets training up
        r"|^(?:update|change|tweak|adjust|modify|fix)\w*\b[^\n]{0,30}\bconfigs?\b",
    ),
    _msg(
        "message.gradient_checkpointing",
        TRAINING_INFRASTRUCTURE,
        r"^(?![^\n]*\b(?:memory|fit|offload\w*|faster|speed\w*|vram|sav\w+|oom)\b)"
        r"[^\n]*\b(?:gradient|activation) checkpointing\b",
        "On GitHub, gradient (activation) checkpointing as a training option (\"support gradient "
        "checkpointing kwargs in run_sft\", \"make activation checkpointing configurable\") is "
        "training infrastructure; when the message names the memory it saves it is "
        "performance (message.performance).",
        '"feat(trainer): support gradient checkpointing", "fix gradient checkpointing"',
        platforms=GH_ONLY,
        guard=Guard.WEAK_FILES,
    ),
    _msg(
        "message.performance",
        PIPELINE_PERFORMANCE,
        # one "\b(?:...)" and one "^(?:...)" group: re scans these several times faster than a
        # flat alternation of "\b..." branches (bench/classify.py)
        r"\b(?:faster\b|speed(?:s|ing)?[ -]?up\b|speed-?ups?\b|vectori[sz]e[sd]?\b|offload\w*"
        r"|for speed\b|memory(?: usage| footprint| consumption|[ -]efficien\w*| saving\w*"
        r"| requirements?| use| leak\w*)\b|latency\b|throughput\b|(?<!-)fused\b"
        r"|(?:reduc\w*|lower\w*|sav\w*|less|low|decreas\w*|cut\w*|fit\w*|minimi[sz]\w*) "
        r"(?:[\w-]+ )?memory\b|\blazy[ -]?load\w*"
        r"|flash[ _-]?(?:attn|attention)(?:[ _-]?\d)?\b|sdpa\b|scaled_dot_product_attention\b"
        r"|kv[ _-]?cach\w*"
        r"|cached (?:generation|inference|decoding)\b|no_grad\b|inference_mode\b"
        r"|gradient[ _-]?checkpointing\b|vram\b|out of memory\b|oom\b|torch\.compile\b"
        r"|optimi[sz]e[sd]? (?:for )?(?:speed|performance|memory|inference)\b"
        r"|(?:gpu|metal|vulkan|cuda|rocm|mps) (?:support|acceleration|backend|offloading)\b"
        r"|overlap\w*\b[^\n]{0,30}?\b(?:comm\w*|gather|all-?reduce|reduce-scatter|param\w*)\b)"
        r"|^(?:perf(?:\([^)\n]{0,40}\))?!?:|optimi[sz]e[sd]?\b)",
        "Speed and memory optimisations of the pipeline (also conventional 'perf:' commits), "
        "unless the commit only touches docs or dependency manifests (adding flash-attn to "
        "requirements is a dependency change).",
        '"speed up inference", "reduce memory usage", "reduce VRAM", "use fused kernel", '
        '"flash_attention_2", "gradient checkpointing", "perf: cache masks"',
        guard=Guard.NOT_ONLY_DOCS_OR_DEPS,
        # a speed benchmark stays validation unless it says faster (labelling guide)
        # "Log throughput metrics" records a training metric, it speeds nothing up; "no
        # offloading" in a DeepSpeed config turns a speed feature off
        unless=r"^add\w* (?:unit )?tests?\b|^add\w* (?:an? )?(?:[\w-]+ )?benchmark"
        r"|\bno[ _-]?offload"
        # ZeRO offload is a DeepSpeed setting: the distributed-config conventions decide
        r"|\b(?:zero-?[23]?|ds_config\w*|deepspeed)\b[^\n]{0,30}?\b(?:cpu[ _-]?)?offload"
        r"|^\[tests?\]|\bspeed up (?:the )?(?:unit )?tests\b"
        r"|^log\w* (?:the )?(?:throughput|latency|memory)",
    ),
    _msg(
        "message.precision_performance",
        PIPELINE_PERFORMANCE,
        r"\bautocast\b|\bmixed[ -]precision\b|\b(?:bf|fp)16\b|\bbfloat16\b|\bhalf[ -]precision\b"
        r"|\bamp\b|\bint8 inference\b|\bcuda graphs?\b|\bquantiz\w* support\b"
        r"|\bweight-only quantiz\w*",
        "Mixed precision in code (autocast, bf16/fp16) is a speed/memory optimisation; in "
        "config.json a torch_dtype value stays parameter tuning (guard WEAK_FILES).",
        '"bf16 autocast", "enable mixed precision", "use fp16 for inference"',
        guard=Guard.WEAK_FILES,
        unless=r"\b(?:unit[ -])?tests?\b|\btesting\b|\btrain(?:ing|er)?\b|trainer\b"
        r"|^(?:[\w./()-]{1,40}: ?)?fix"
        r"|\bgradient accumulation\b|\bcheckpoints?\b|\brestor\w*",
    ),
    _msg(
        "message.training_code",
        TRAINING_INFRASTRUCTURE,
        r"\b(?:pre-?training|fine-?tuning|finetuning|instruction[ -]tuning|training|tuning)"
        r" (?:code|scripts?|loop|recipes?)\b|\bearly[ -]stopping\b|\blaunch(?:er)? scripts?\b"
        # shell scripts that run the fine-tuning experiments ("add glue experiment scripts")
        r"|\bexperiment (?:run )?scripts\b"
        # a training loss ("add matryoshka loss to biencoder", "Add CachedGISTEmbedLoss")
        r"|^(?:[\w()-]{1,40}: ?)?(?:add|implement)\w*\b[^\n]{0,40}?\w*loss(?:es)?\b",
        "Training code named in the message (\"Add SimMIM pre-training code\", \"add instruction "
        "tuning script\") is training infrastructure even in a data or model folder.",
        '"Add pre-training code", "add instruction tuning script"',
        guard=Guard.WEAK_FILES,
        unless=r"\b(?:unit[ -])?tests?\b|\btesting\b|\baux(?:iliary)?\b|\bgate\b"
        r"|\bto (?:the )?modeling\b",
    ),
    _msg(
        "message.evaluation_code",
        VALIDATION_INFRASTRUCTURE,
        r"\beval(?:uat\w*|s|harness)?\b|\bbenchmark\w*|\bdoctests?\b"
        r"|\bzero-?shot (?:eval\w*|classification(?! models?\b)|accuracy)"
        r"|\bvalidation (?:loop|step|set|split|metrics?|loss)\b|\bperplexity\b"
        r"|\b(?:mmlu|humaneval|gsm8k|hellaswag|bleu|rouge|wer|map@\w+|f1[ -]score)\b"
        r"|\baccuracy (?:metrics?|numbers|scores|table)\b|\bmetrics\b"
        r"|^add\w* (?:the |an? )?(?:official )?(?:[\w-]+ )?scorer\b",
        "Evaluation code named in the message (\"add zero-shot ImageNet eval\", \"add "
        "perplexity metric\") is validation even in a training or model folder.",
        '"add zero-shot ImageNet eval", "compute perplexity on the validation set"',
        guard=Guard.WEAK_FILES,
        # "early stopping by validation loss", "evaluation strategy in Trainer defaults": training
        # "Log throughput metrics" logs the training run
        unless=r"\btrainer\b|\bearly[ -]stopping\b|\bsav\w* (?:the )?best\b|^log\w*\b",
    ),
    _msg(
        "message.architecture",
        MODEL_STRUCTURE,
        r"^(?:[\w()-]{1,40}: ?)?(?:add|implement|introduc|support|new|replac|switch|use|port)\w*\b"
        r"[^\n]{0,50}?"
        r"\b(?:encoder|decoder|heads?|backbone|neck|layers?|blocks?|attention|architecture"
        r"|mixture[- ]of[- ]experts|moe|embeddings?|positional (?:encoding|embedding)s?|rope"
        r"|alibi|rmsnorm|layernorm|activation|swiglu|gelu|convolution|conv|generators?"
        r"|discriminators?|projectors?|pooling)\b",
        "A message adding or replacing an architecture part (encoder, head, layer, attention) "
        "is model structure, also outside model folders (\"add PointRend mask head\").",
        '"add PointRend mask head", "Add conformer encoder", "use RMSNorm instead of LayerNorm"',
        guard=Guard.WEAK_FILES,
        unless=r"\bkernels?\b|\btriton\b|\bcuda\b|\blr\b|\blearning rate\b|\bdecay\b"
        r"|\bsentencepiece\b|\bbpe\b|\bwordpiece\b|\bscripts?\b"
        r"|\btype (?:hints?|annotations?)\b|\bdocstrings?\b",
    ),
    _msg(
        "message.preprocessing_code",
        PREPROCESSING,
        r"\baugment\w*|\bpre-?process\w*|\b(?:image|data|input|audio|text) transforms?\b"
        r"|\bdedup\w*|\bclean(?:ing|s)? (?:the )?(?:data|text|dataset|corpus)\b|\btokeni[sz]\w*"
        r"|(?:\b|_)(?:chat|conversation|prompt)[ _](?:template|format)s?\b|\bmixup\b|\bcutmix\b"
        r"|\brandaugment\b|\bspecaugment\b|\btransforms\b|\bbpe\b|\bsentencepiece\b|\bwordpiece\b"
        r"|\bfeaturi[sz]\w*|\bdecontaminat\w*|\blower-?cas\w*|\bfilter\w* (?:out )?duplicates?\b"
        r"|\btransformations?\b|\bresampl\w*|\bdata[ _-]processing\b|\b(?:text|data) cleaning\b"
        r"|\bdata[ _-]prep(?:aration|aring)?\b"
        r"|\bquality (?:filter\w*|classifier|taggers?|signals?)\b"
        r"|^(?:fix|update|change)\w* (?:the )?prompts?(?: for\b|[ \t.]*$)",  # "Fix prompt for X"
        "Data preparation named in the message (augmentation, transforms, cleaning, tokenising, "
        "conversation templates) is preprocessing, even in a data or training file.",
        '"add RandAugment", "random crop augmentation", "add llama-2 conversation template"',
        guard=Guard.WEAK_FILES,
        # "Add Gemma conversation template and model adapter" adds a model (labelling guide)
        unless=r"\b(?:unit[ -])?tests?\b|\btesting\b|\bmodel adapters?\b",
    ),
    _msg(
        "message.data_loading",
        INPUT_DATA,
        r"\bdata ?loaders?\b|\bdata ?loading\b|\bdata ?pipeline\b|\bdatasets?\b|\bcorpus\b"
        r"|\bload(?:s|ing)? (?:the |a )?(?:data|samples|shards)\b|\bwebdataset\b"
        r"|\bstreaming (?:data\w*|shards)\b|\b(?:data|dataset|shards?) streaming\b"
        r"|\bdata(?:set)? conversion\b|\bconvert\w* (?:the )?(?:data|datasets?)\b"
        r"|\bdownload\w* (?:and \w+ )?(?:the |a )?(?:data\w*|corpus|corpora|pile|enwik8)\b"
        r"|\b(?:data|dataset|corpus|pile|enwik8) downloads?\b",
        "Datasets and data loading named in the message are input data, even in train.py.",
        '"add data loader for webdataset shards", "support HF datasets streaming"',
        guard=Guard.WEAK_FILES,
        unless=r"\b(?:unit[ -])?tests?\b|\btesting\b|\bresum\w*|\bcheckpoint\w*"
        r"|\bcorpus (?:preparation|generation)\b",
    ),
    _msg(
        "message.new_model",
        MODEL_STRUCTURE,
        r"^add\w*\b[^\n]{0,40}?\bmodels?\b(?![-_])"
        # a transformers-style model class: "add RobertaForRegression"
        r"|^add\w*\b[^\n]{0,30}?\b[a-z0-9]+for(?:causallm|maskedlm|conditionalgeneration"
        r"|sequenceclassification|tokenclassification|questionanswering|regression|seq2seqlm)\b"
        r"|^(?:[\w()-]{1,40}: ?|\[[^\]\n]{1,40}\] ?)?"
        r"(?:add(?:ed|s)?(?: support for)?|support(?:s|ed)?|implement\w*|port\w*)\b"
        r"[^\n]{0,30}?" + MODEL_NAMES
        # the name ends the subject: "add UniXcoder", "add bart code", "added mt5 support"
        # a class name may be quoted: "feat: add `SentenceTransformersTextEmbedder` (#5860)"
        + r"[`'\"]?(?:[ \t]+(?:code|models?|support|class|agent|implementation))?[ \t.]*"
        r"(?:\(#\d+\))?"
        r"[ \t]*$",
        "On GitHub, a message that adds a model (\"add multilingual xlm-r model\", \"add "
        "UniXcoder\", \"added mt5 and byt5 support\") over code files that no strong rule places "
        "adds model code: model structure.",
        '"add UniXcoder model", "Add Mistral model"',
        platforms=GH_ONLY,
        guard=Guard.WEAK_FILES,
        unless=r"\bmodel ?cards?\b|\bzoo\b|\bmodel (?:list|names?|docs?|ids?|paths?)\b"
        r"|\btests?\b|\bsav\w*|\bload\w*|\bdownload\w*|\bexamples?\b|\bserv\w*|\boptions?\b"
        r"|\bsamples?\b|\boutputs?\b|\bmodel (?:training|fine-?tuning|evaluation)\b"
        r"|\btyp(?:e|ing) (?:hints?|annotations?)|\bdoc ?strings?\b|\bdoctests?\b"
        r"|\bscripts?\b|\bfine-?tun\w*|\bloss(?:es)?\b"
        # "feat: add `top_k` to `SentenceTransformersDiversityRanker`" adds an option to a model
        r"|^(?:[\w()-]{1,40}: ?)?add\w* `[^`\n]{1,30}` to\b",
    ),
    _msg(
        "message.model_choice",
        MODEL_STRUCTURE,
        r"^(?:update|use|switch|change|set|make)\w*\b[^\n]{0,40}\bdefault (?:[\w-]+ ){0,3}?"
        r"(?:models?|packages?|charlm|pretrain\w*|embeddings?|backbones?)\b"
        r"|\bas (?:the )?(?:new )?default\b"
        r"|^(?:switch|change|swap|update|upgrade)\w*\b[^\n]{0,40}?\bto [\w./-]*"
        r"(?:bert|berta|t5|llama|gpt|minilm|mpnet|e5|bge|xlm)",
        "Changing which pretrained model a library loads (\"switch default model to long-t5\", "
        "\"Update the default charlm for Spanish\", \"Switch toxicity scanner to "
        "unbiased-toxic-roberta\") changes the model users get.",
        '"use robertuito as default model for spanish", "Update the default charlm for Hebrew"',
        platforms=GH_ONLY,
        guard=Guard.WEAK_FILES,
    ),
    _msg(
        "message.push_to_hub_model",
        MODEL_STRUCTURE,
        r"^upload [a-z0-9_]*for[a-z0-9_]+\s*$|^upload (?:the )?(?:[\w-]+ ){0,2}model\s*$"
        r"|^add new sentencetransformer model\.?\s*$"
        r"|\bsafetensors`? variant\b",
        "transformers' push_to_hub names the model class it uploads; SFconvertbot adds a "
        "safetensors variant of the weights: both change the published weights.",
        '"Upload LlamaForCausalLM", "Adding `safetensors` variant of this model"',
        platforms=HF_ONLY,
        guard=Guard.NOT_ONLY_DOCS_OR_DEPS,  # the same push touching only the card is docs
    ),
    _msg(
        "message.code_style",
        UNCLASSIFIED,
        r"\b(?:(?:re)?format(?:ted|ting)? (?:the )?(?:code|codebase|files)"
        r"|format(?:ted)? with (?:black|ruff)|(?:run|ran|apply|applied) (?:black|ruff|isort|yapf"
        r"|pre-commit)|unused (?:[\w.-]+ )?(?:imports?|variables?|code|args|arguments|params"
        r"|parameters|functions?|methods?)"
        r"|lint(?:ing|er)? (?:errors?|warnings?|fix(?:es)?|issues?)"
        r"|fix(?:e[sd])? (?:the )?(?:(?:py|flake8 ?)?lint(?:ing)?|flake8|pylint|mypy|ruff)[ \t.]*$"
        r"|code style|pre-commit\.com hooks|cosmetic\w*|small tweaks|make (?:style|quality|fixup)"
        r"|(?:black|isort|ruff|yapf) format\w*"
        r"|^(?:(?:chore|fix|style)(?:\([^)\n]{0,40}\))?: ?)?"
        r"(?:lint(?:ing)?|pre-commit|format(?:ting)?|black|isort"
        r"|yapf|quality|style)[ \t.]*$"
        r"|make (?:the )?code (?:nicer|cleaner|simpler|prettier)"
        r"|(?:pyright|mypy|flake8|pylint|ruff|type[- ]check\w*) (?:errors?|warnings?|issues?)"
        r"|make (?:the )?(?:pylint|flake8|mypy|pyright|ruff|black|linter|type ?checker) happy"
        r"|(?:fix|add|improv|updat|clean)\w* (?:the )?typ(?:e|ing) (?:annotations?|hints?)"
        r"|remov\w* (?:an? |the |some )?debug(?:ging)? (?:prints?|statements?|output|logging))\b"
        r"|^style(?:\([^)\n]{0,40}\))?!?:|^\[(?:black|isort|ruff|yapf|flake8|lint|style|format)\]"
        r"|无用代码",  # "useless code": "删除无用代码", remove useless code
        "Formatting, lint and unused-import clean-ups of code change no behaviour and fit no type "
        "(the study dropped them as uncategorized): unclassified, whatever code they touch.",
        '"Format code with black", "Remove unused imports", "style: fix lint errors"',
        guard=Guard.ALL_CODE,
    ),
    _msg(
        "message.uninformative",
        UNCLASSIFIED,
        r"\A\s*(wip|test|clean|update[sd]?|updates|fix(es|ed)?|misc|fix(?:ed)? (?:a |the )?bugs?"
        r"|(?:update|upload|add)[sd]? files|(?:del|delete|remove)[sd]? (?:useless|unused|old"
        r"|unnecessary|redundant) files"
        r"|minor( (fix(es)?|changes|updates|edits))?"
        r"|changes|tmp|temp|clean[ -]?up|small (?:tweaks|changes|fixes)"
        r"|refactor(?:ed|ing)?(?: (?:code|utils))?|reformat(?:ted)?"
        r"|nightly|debug(?:ging)?|\.)[ \t.!]*(?:\(#\d+\)[ \t]*)?(\n|\Z)"
        r"|\A\s*(?:internal change|no public description)\b"
        # fbcode exports: the summary names only the pull request it came from
        r"|\A\s*summary:\s*pull request resolved:\s*\S+\s*(?:differential revision:\s*\S+\s*)?\Z"
        r"|\A\s*merge (?:pull request|branch|remote-tracking branch)\b[^\n]{0,200}"
        r"(?:\n\s*[\w-]{0,20}\s*)?\Z",
        "A message that is only 'wip', 'update' or 'fix', \"Internal change\" (an automatic "
        "export), or a merge with no body, over files of several kinds names no one change (the "
        "study dropped such commits as unclear): unclassified. Over files that agree, the files "
        "decide.",
        '"wip", "update", "fix" touching train.py and model.py',
        guard=Guard.MIXED_FILES,
    ),
)

# --- stage 2: file rules (first match labels a path; order matters) ---------------------------
_DOC_DIRS = ("docs", "doc", "examples", "example", "notebooks", "tutorials", "tutorial", "demo",
             "demos", "basic_demo", "releasenotes", "release_notes", "changelog.d")
_DOC_IMAGE_DIRS = ("assets", "docs", "doc", "figures", "figs", "img", "imgs", "static", "media",
                   "pictures", "pics")
_OUTPUT_DIRS = ("outputs", "output", "samples", "results", "generations", "predictions")
#: Folders whose code reads, converts or cleans the training data.
_DATA_CODE_DIRS = ("data", "datasets", "dataset", "corpus", "data_utils", "data_prep")

_FILE_RULES: tuple[Rule, ...] = (
    _file(
        "file.incidental_metadata",
        PROJECT_METADATA,
        "Git LFS attributes: repository set-up that Hub uploads touch in passing (quarter vote).",
        ".gitattributes",
        names=(".gitattributes",),
        weight=0.25,
    ),
    _file(
        "file.release_notes",
        EXTERNAL_DOCUMENTATION,
        "Release-note fragments (reno's releasenotes/notes/*.yaml, towncrier's changelog.d/) "
        "ride along with every change in the projects that use them: a quarter vote, so the "
        "change itself decides.",
        "releasenotes/notes/*.yaml, changelog.d/*.md",
        dirs=("releasenotes", "release_notes", "changelog.d"),
        weight=0.25,
    ),
    _file(
        "file.training_checkpoint_dir",
        TRAINING_INFRASTRUCTURE,
        "Everything inside an intermediate Trainer checkpoint folder (optimizer, scheduler, RNG "
        "state, and the weights of that step) belongs to the training run, not to a release.",
        "checkpoint-1000/*, global_step500/*",
        dir_prefixes=("checkpoint-", "global_step"),
    ),
    _file(
        "file.developer_notes",
        INTERNAL_DOCUMENTATION,
        "Contributor guides and developer notes (NOTES.md, TODO.md) are documentation for the "
        "project's developers.",
        "CONTRIBUTING.md, DEVELOPMENT.md, NOTES.md, TODO.md",
        # a training chronicle (bigscience chronicles.md, OPT's chronicles/ folder): 12
        # labelled commits say internal, 8 external; the labelling guide settles internal
        names=("notes.md", "todo.md", "dev_notes.md", "chronicles.md"),
        prefixes=("contributing", "development.md", "hacking", "dev_notes", "developer_notes",
                  "dev-notes", "developers.md", "developing"),
        dirs=("chronicles",),
    ),
    _file(
        "file.project_metadata",
        PROJECT_METADATA,
        "Licence, ignore files, CI, repository tooling and stray OS/bytecode files (adding or "
        "deleting .DS_Store) configure the project, not the model.",
        "LICENSE, .gitignore, .github/, CI configs, Dockerfile, Makefile, CODEOWNERS, .DS_Store",
        names=(
            ".gitignore", ".gitmodules", ".pre-commit-config.yaml", "codeowners", "makefile",
            "dockerfile", ".dockerignore", ".editorconfig", ".flake8", "tox.ini",
            "notice", "code_of_conduct.md", ".gitlab-ci.yml", ".travis.yml", "azure-pipelines.yml",
            "security.md", ".readthedocs.yaml", "manifest.in", ".ds_store", "thumbs.db",
            "desktop.ini",
        ),
        prefixes=("copying", "use_policy", "acceptable_use", "dockerfile", "contributors",
                  "docker-compose"),
        suffixes=(".pyc",),
        substrings=("license", "licence", "许可协议"),  # 许可协议: "licence agreement"
        dirs=(".github", ".circleci", ".gitlab", ".devcontainer", "docker", ".azure-pipelines"),
    ),
    _file(
        "file.evaluation_pages",
        VALIDATION_INFRASTRUCTURE,
        "Markdown pages about evaluation (EVAL.md, benchmark logs, results pages) report or "
        "explain evaluation: validation, like reported results in a README.",
        "EVAL.md, benchmark-logs/*.md, results/*.md",
        prefixes=("eval",),
        dirs=("benchmark-logs", "benchmark_logs", "eval_results", "evaluation_results"),
        only_suffixes=(".md", ".rst"),
        except_dirs=("docs", "doc", "documentation"),  # docs/usage/eval.md explains usage
    ),
    _file(
        "file.doc_pages",
        EXTERNAL_DOCUMENTATION,
        "READMEs and markdown/reST pages are user documentation wherever they sit "
        "(configs/README.md, docs/results.md, RESULTS.md): checked before the data, output and "
        "config folders so a page about results is not mistaken for a result file.",
        "README*, *.md, *.rst, *.mdx in any folder",
        prefixes=("readme",),
        suffixes=(".md", ".rst", ".mdx"),
    ),
    _file(
        "file.eval_harness",
        VALIDATION_INFRASTRUCTURE,
        "Everything inside an evaluation-harness package (lm_eval/ tasks, model adapters and "
        "task YAML, alpaca_eval/ model configs) exists to evaluate models: validation.",
        "lm_eval/**, alpaca_eval/**, opencompass/**",
        dirs=("lm_eval", "lm_evaluation_harness", "eval_harness", "opencompass", "evalplus",
              "alpaca_eval", "bigcode_eval", "mteb", "llm_judge"),
    ),
    _file(
        "file.dependency_manifest",
        DEPENDENCY,
        "Dependency manifests; add/update/remove is decided by combine.dependency_kind.",
        "requirements*.txt, setup.py, pyproject.toml, environment.yml, Pipfile, poetry.lock",
        names=(
            "setup.py", "setup.cfg", "pyproject.toml", "environment.yml", "environment.yaml",
            "pipfile",
            "pipfile.lock", "poetry.lock", "conda.yaml", "conda.yml", "constraints.txt",
            "uv.lock", "requirements.in",
        ),
        prefixes=("requirement", "conda_", "conda-", "environment_", "environment-"),
        suffixes=("_env.yml", "_env.yaml", "-env.yml", "-env.yaml"),
        dirs=("requirements",),
    ),
    _file(
        "file.docs_site",
        EXTERNAL_DOCUMENTATION,
        "Everything in a docs/ folder, and documentation-site configs (docs/_toctree.yml, "
        "mkdocs.yml, docs/conf.py), builds the user documentation: checked before the "
        "YAML/config rules so a table of contents is not read as hyper-parameters.",
        "docs/*, _toctree.yml, mkdocs.yml",
        names=("_toctree.yml", "_toc.yml", "mkdocs.yml", "mkdocs.yaml"),
        dirs=("docs", "doc", "documentation"),
    ),
    _file(
        "file.training_state",
        TRAINING_INFRASTRUCTURE,
        "Trainer state, optimizer/scheduler checkpoints and training logs belong to training.",
        "training_args.bin, trainer_state.json, optimizer.pt, scheduler.pt, runs/, tfevents",
        names=("optimizer.pt", "scheduler.pt", "trainer_state.json", "training_args.bin"),
        prefixes=("events.out.tfevents", "rng_state", "training_args", "train_results"),
        dirs=("runs",),
        # configs/runs/finetune.gin is a run configuration, not a log of a run
        except_substrings=(".gin", ".py", ".yaml", ".yml"),
    ),
    _file(
        "file.data_download",
        INPUT_DATA,
        "Download and fetch scripts kept in data folders get the training data (data_prep/c4/"
        "download.sh): input data, not published artefacts.",
        "data/download.sh, data_prep/*/download_*.py, datasets/fetch_*.py",
        requires_prefixes=("download", "get_", "fetch"),
        within_dirs=("data", "datasets", "dataset", "data_prep", "data_preparation", "dataprep",
                     "corpus", "data_scripts"),
        only_suffixes=CODE_SUFFIXES,
        prefixes=("download", "get_", "fetch"),
    ),
    _file(
        "file.tokenizer",
        PREPROCESSING,
        "Tokenizer, vocabulary and feature-extractor files, and preprocessing code (data "
        "cleaning, deduplication, tokenizer training, audio/image feature preparation).",
        "tokenizer*.json, tokenizer.model, *.model, vocab.*, merges.txt, "
        "special_tokens_map.json, preprocessor_config.json, tokenization_*.py, preprocess*.py, "
        "dedup*.py, train_tokenizer.py, audio.py, conversation.py (chat/conversation templates)",
        names=(
            "merges.txt", "special_tokens_map.json", "added_tokens.json", "spiece.model",
            "sentencepiece.bpe.model", "preprocessor_config.json", "feature_extractor_config.json",
            "processor_config.json", "chat_template.jinja", "chat_template.json", "audio.py",
        ),
        prefixes=(
            "tokenizer", "tokenization", "vocab", "preprocess", "normaliz", "spm.",
            "train_tokenizer", "train_sentencepiece", "train_spm", "train_bpe",
            "build_tokenizer", "build_vocab", "learn_bpe", "dedup", "minhash",
            "prepro", "sys_prompt", "system_prompt", "spm_", "decontam",
            "near_dedup", "feature_extract", "image_processing", "processing_", "conversation",
            "conv_template", "chat_template", "prompt_template", "binariz", "reformat_data",
        ),
        suffixes=(".spm", ".vocab", ".bpe", ".model", ".tiktoken"),
        substrings=("clean",),
        dirs=("tokenizer", "tokenizers", "preprocess", "preprocessing", "preprocessors",
              "data_processing"),
        # data/alpaca_cleaned.json is the cleaned data set (input data), not cleaning code
        except_substrings=("cleaned", "_clean.", "eval"),
    ),
    _file(
        "file.data_processing",
        PREPROCESSING,
        "Code in data folders whose name says it transforms data (clean, dedup, filter, split, "
        "normalise, augment, transforms) prepares the data: preprocessing, not data loading "
        "(dataset converters, formatters and loaders stay input data, as the labelling guide "
        "says).",
        "data/clean_*.py, data/split_long_conversation.py, data/convert_alpaca.py",
        substrings=("clean", "dedup", "filter", "split", "normaliz", "process", "merge",
                    "tokeniz", "augment", "transform"),
        within_dirs=_DATA_CODE_DIRS,
        only_suffixes=CODE_SUFFIXES,
    ),
    _file(
        "file.data_preparation",
        PREPROCESSING,
        "Scripts that prepare a corpus for training (prepare_slimpajama.py, prepare_data.py, "
        "make_tf_records.py, create_pretraining_data.py) tokenise, pack and shard it: "
        "preprocessing. Inside data folders the data rules decide instead.",
        "prepare_*.py, make_tf_records.py, create_pretraining_data.py",
        prefixes=("prepare_", "prep_", "make_tf_record", "create_tf_record",
                  "create_pretraining_data", "make_corpus", "build_corpus", "create_corpus"),
        only_suffixes=CODE_SUFFIXES,
        except_substrings=("resource",),
        except_dirs=_DATA_CODE_DIRS,
        weak=True,
    ),
    _file(
        "file.prompt_formatting",
        PREPROCESSING,
        "Prompt and chat formatting code (FastChat's conversation.py, unsloth's "
        "chat_templates.py, axolotl's prompt_strategies/) turns conversations into the token "
        "sequences the model trains on: preprocessing, like a Hub chat_template.",
        "conversation.py, chat_templates.py, prompter.py, prompt_strategies/",
        names=("conversation.py", "conversations.py", "chat_template.py", "chat_templates.py",
               "prompter.py", "prompters.py", "prompt_tokenizers.py", "conv_templates.py"),
        dirs=("prompt_strategies",),
        only_suffixes=CODE_SUFFIXES,
    ),
    _file(
        "file.dataset_converters",
        INPUT_DATA,
        "Scripts named as dataset converters or data downloaders (convert_dataset_hf.py, "
        "get-data-xnli.sh, download_data.py) produce the training data set, wherever they live.",
        "convert_dataset*.py, convert_data_*.py, get-data*.sh, download_data*.py",
        prefixes=("convert_dataset", "convert_data_", "convert_data.", "get-data", "get_data",
                  "download_data", "download-data", "download_dataset"),
        only_suffixes=CODE_SUFFIXES,
    ),
    _file(
        "file.data_converters",
        INPUT_DATA,
        "Dataset converters and formatters in data folders (datasets/convert_treebank.py, "
        "datasets/formatters.py) produce the training data set itself: input data, as the "
        "labelling guide says (checked before convert_*.py checkpoint converters).",
        "data/convert_*.py, datasets/formatters.py",
        substrings=("convert", "format"),
        within_dirs=_DATA_CODE_DIRS,
        only_suffixes=CODE_SUFFIXES,
    ),
    _file(
        "file.augmentation",
        PREPROCESSING,
        "Augmentation and input-transform code anywhere (transforms.py, augment*.py, "
        "augmentations/) prepares the inputs: preprocessing (transformer.py is not a transform).",
        "transforms.py, augmentation.py, randaugment.py, augmentations/",
        names=("transforms.py", "transform.py", "image_transforms.py", "data_transforms.py",
               "video_transforms.py", "audio_transforms.py"),
        prefixes=("augment", "randaug", "autoaug", "mixup", "cutmix", "specaug"),
        suffixes=("_transforms.py", "_augment.py", "_augmentation.py", "_augmentations.py"),
        dirs=("augmentation", "augmentations", "transforms", "augment", "transformations"),
        only_suffixes=CODE_SUFFIXES,
        except_substrings=("test",),
    ),
    _file(
        "file.distributed_config",
        PARAMETER_TUNING,
        "DeepSpeed/FSDP/accelerate config files hold configuration values (ZeRO stage, offload, "
        "bucket sizes): parameter tuning, like other config files (labelling guide); code that "
        "sets distributed training up stays training infrastructure.",
        "ds_config.json, deepspeed*.json, accelerate_config.yaml, fsdp*.yaml",
        prefixes=("ds_", "deepspeed", "accelerate_config", "fsdp", "zero_"),
        only_suffixes=(".json", ".yaml", ".yml"),
        # labelled sets: a commit adding only such configs is training infrastructure 6 times
        # in 9; one changing them is parameter tuning 5 times in 5
        added_vote=TRAINING_INFRASTRUCTURE,
    ),
    _file(
        "file.weights",
        MODEL_STRUCTURE,
        "Weight files and their indexes: new or changed checkpoints (double vote).",
        "*.safetensors, *.bin, *.pt, *.pth, *.ckpt, *.h5, *.onnx, *.gguf, *.msgpack, *.npz",
        names=(
            "model.safetensors.index.json", "pytorch_model.bin.index.json",
        ),
        suffixes=(
            ".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".h5", ".hdf5", ".onnx", ".gguf",
            ".ggml", ".msgpack", ".npz", ".tflite", ".mlmodel", ".pb", ".keras", ".nemo",
            ".engine", ".ot",
        ),
        weight=2.0,
    ),
    _file(
        "file.modeling_code",
        MODEL_STRUCTURE,
        "Modeling code (architecture, layers), on GitHub and as Hub remote code.",
        "modeling_*.py, model.py, layers.py, networks_*.py, merge_*_adapters.py, convert*.py "
        "(checkpoint converters rewrite the weights into another model format)",
        names=("model.py", "models.py", "modeling.py", "layers.py", "modules.py", "network.py"),
        prefixes=("modeling_", "modelling_", "convert", "networks_", "network_", "merge_"),
        suffixes=("_to_hf.py",),
        only_suffixes=CODE_SUFFIXES,
        except_substrings=("dataset",),
        weak=True,
    ),
    _file(
        "file.config_code",
        PARAMETER_TUNING,
        "Configuration code (config.py, configuration_*.py) holds hyper-parameters, also inside "
        "model folders.",
        "model/config.py, configuration_*.py, params.py",
        names=("config.py", "configs.py", "params.py", "hparams.py", "model_config.py",
               "configuration.py"),
        suffixes=("_params.py", "_hparams.py"),
        prefixes=("configuration_",),
        weak=True,
    ),
    _file(
        "file.validation_scripts",
        VALIDATION_INFRASTRUCTURE,
        "Evaluation scripts named as such (val.py, validate.py, eval_*.py, zero_shot.py) are "
        "validation even inside a model or training folder: a file's name is stronger "
        "evidence than its folder.",
        "models/val.py, training/zero_shot.py, eval_*.py, test.py",
        names=("val.py", "validate.py", "validation.py", "test.py", "evaluate.py",
               "evaluation.py", "evaluator.py"),
        prefixes=("eval", "val_", "validat", "zero_shot", "zeroshot", "benchmark", "test_"),
        only_suffixes=CODE_SUFFIXES,
        # "eval_quantized_model.py" in quantization/ checks the quantization it ships with
        except_dirs=("quantization", "quantize"),
    ),
    _file(
        "file.model_code_dirs",
        MODEL_STRUCTURE,
        "Source files inside model/architecture folders.",
        "model/, models/, modules/, layers/, arch/ (code files only)",
        dirs=("model", "models", "modules", "layers", "modeling", "arch", "architectures",
              "embeddings", "zoo", "model_zoo",
              "backbone", "backbones", "networks", "nets"),
        only_suffixes=CODE_SUFFIXES,
        # a trainer in a model folder (stanza/models/pos/trainer.py) is training code; CUDA
        # sources are kernels (file.performance_code)
        except_substrings=("trainer", ".cu"),
        # tests/models/bert/__init__.py belongs to the tests; layers/quantization/ to the
        # quantization code (file.performance_code)
        except_dirs=("tests", "test", "ut", "quantization"),
        weak=True,
    ),
    _file(
        "file.training_components",
        TRAINING_INFRASTRUCTURE,
        "Losses, learning-rate schedulers, callbacks, optimizers and checkpoint saving/loading "
        "code outside model folders are parts of the training loop.",
        "losses/, loss.py, *_loss.py, scheduler/, lr_scheduler.py, callbacks/, optimizer.py, "
        "checkpoint.py, checkpointing/",
        names=("loss.py", "losses.py", "scheduler.py", "schedulers.py", "lr_scheduler.py",
               "callbacks.py", "callback.py", "optimizer.py", "optimizers.py", "optim.py"),
        # resharding and unsharding scripts split or merge training checkpoints (labelling
        # guide: training infrastructure)
        prefixes=("loss_", "lr_sched", "callback", "checkpoint", "model_checkpoint", "ckpt",
                  "reshard", "unshard"),
        suffixes=("_loss.py", "_losses.py", "_scheduler.py", "_callback.py", "_callbacks.py",
                  "_optimizer.py"),
        dirs=("losses", "loss", "scheduler", "schedulers", "lr_scheduler", "callbacks",
              "checkpoint", "checkpointing"),
        only_suffixes=CODE_SUFFIXES,
        except_dirs=("kernels", "csrc"),  # a fused loss kernel is performance
        weak=True,
    ),
    _file(
        "file.performance_code",
        PIPELINE_PERFORMANCE,
        "Custom kernels (CUDA sources) and quantization code exist to make the pipeline faster "
        "or smaller; quantized weight files themselves stay model structure (file.weights).",
        "kernels/, csrc/, *.cu, *.cuh, quantization/, quantiz*.py, quant_*.py",
        prefixes=("quantiz", "quant_"),
        suffixes=(".cu", ".cuh", "_quant.py", "_quantizer.py"),
        dirs=("kernels", "csrc", "quantization", "quantize"),
        only_suffixes=CODE_SUFFIXES,
    ),
    _file(
        "file.data_files",
        INPUT_DATA,
        "Data files named as data (alpaca_data.json, train.json, questions.jsonl of a "
        "benchmark) are input data, also in eval folders; result, metric and config files are "
        "not.",
        "*_data.json, dataset*.json, train/dev/test.json, question*.jsonl",
        names=("train.json", "dev.json", "test.json", "valid.json", "val.json",
               "validation.json", "data.json"),
        prefixes=("data_", "dataset", "question", "instruction", "train_", "conversations"),
        substrings=("_data", "_dataset", "_questions", "_train.", "_dev.", "_test.", "_val.",
                    "corpus"),
        only_suffixes=(".json", ".jsonl", ".csv", ".tsv", ".parquet", ".txt", ".arrow"),
        except_substrings=("result", "metric", "score", "prediction", "config", "metadata",
                           "requirement", "args", "state", "log"),
    ),
    _file(
        "file.validation",
        VALIDATION_INFRASTRUCTURE,
        "Evaluation code, benchmarks, metrics, tests and evaluation result files.",
        "eval*.py, evaluate.py, eval_results.json, all_results.json, benchmark*, metrics.py, "
        "tests/",
        names=("all_results.json", "test_results.json", "metrics.py"),
        prefixes=("eval", "benchmark", "test_", "metric"),
        substrings=("lm_eval", "harness"),
        dirs=("eval", "evals", "evaluation", "benchmark", "benchmarks", "tests", "test",
              "metrics"),
        # notebooks are documentation; prediction files are outputs (file.outputs); a benchmark
        # figure illustrates the docs (file.doc_images)
        except_substrings=(".ipynb", "prediction", ".png", ".jpg", ".jpeg", ".gif", ".svg",
                           "logger", "logging"),
        except_dirs=("datasets", "dataset"),
        weak=True,
    ),
    _file(
        "file.result_metrics",
        VALIDATION_INFRASTRUCTURE,
        "Metric files in a results or scores folder (results/Llama-3-Ko/kobest.json, "
        "scores/eng-fra/bleu-scores.txt) report evaluation results: validation. Predictions, "
        "translations, logs and generated samples there stay output data.",
        "results/**/*.json, results/*.csv, scores/**/*.txt",
        dirs=("results", "scores"),
        only_suffixes=(".json", ".csv", ".tsv", ".txt"),
        except_substrings=("pred", "output", "generat", "sample", "completion", "answer",
                           "hyp", "translat", "log"),
    ),
    _file(
        "file.outputs",
        OUTPUT_DATA,
        "Produced outputs in output folders: predictions, generated samples, result files and "
        "plots.",
        "outputs/, samples/, results/, generated*/",
        dirs=_OUTPUT_DIRS,
        dir_prefixes=("generated",),
    ),
    _file(
        "file.output_names",
        OUTPUT_DATA,
        "Files named as produced outputs (predictions*, generated_*, result*) are output data, "
        "except images in documentation folders (pictures/result.png illustrates the README: "
        "file.doc_image_dirs).",
        "predictions*, generated_*, result*",
        prefixes=("prediction", "generated_", "result"),
        except_dirs=_DOC_IMAGE_DIRS,
    ),
    _file(
        "file.input_data",
        INPUT_DATA,
        "Datasets, data files and data-loading code used for training.",
        "data/, datasets/, dataset*.py, dataloader*.py, *.csv, *.jsonl, *.parquet",
        prefixes=("dataset", "dataloader", "data_loader", "download_data", "prepare_data",
                  "getdata", "get_data"),
        suffixes=(".csv", ".tsv", ".parquet", ".jsonl", ".arrow"),
        dirs=("data", "datasets", "dataset", "corpus", "dataloaders"),
        weak=True,
    ),
    _file(
        "file.dataset_download",
        INPUT_DATA,
        "A download or fetch script that names a dataset gets training data, not published "
        "artefacts: input data (download_coco.sh, get_imagenet.py).",
        "download_coco.sh, get_data.sh, fetch_imagenet.py",
        substrings=("data", "corpus", "coco", "imagenet", "cifar", "mnist", "squad", "glue",
                    "wikitext", "laion", "librispeech", "shakespeare", "openwebtext", "voc",
                    "cityscapes", "kinetics", "ade20k", "pile", "c4", "redpajama", "fineweb"),
        requires_prefixes=("download", "get_", "fetch", "prepare_"),
        only_suffixes=CODE_SUFFIXES,
    ),
    _file(
        "file.model_registry",
        SHARING,
        "A list of the published models that an app or a release page reads (gpt4all's "
        "models3.json, OPUS-MT's released-models.txt) announces which models users can get: "
        "sharing. It counts double, as the model pages committed with it describe those models.",
        "metadata/models3.json, models.json, released-models.txt",
        names=("models.json", "models2.json", "models3.json", "released-models.txt",
               "released_models.txt", "catalog.json", "model-catalog.json"),
        weight=2.0,
    ),
    _file(
        "file.distribution",
        SHARING,
        "Scripts that distribute the published artefacts (download.sh, torch.hub's hubconf.py, "
        "push_to_hub scripts) belong to sharing.",
        "download.sh, download_*.py, hubconf.py, upload_to_hub.py",
        names=("hubconf.py",),
        prefixes=("download", "push_to_hub", "upload_to_hub"),
        only_suffixes=CODE_SUFFIXES,
        weak=True,
    ),
    _file(
        "file.config_dirs",
        PARAMETER_TUNING,
        "Configuration files kept in config folders hold hyper-parameters, even when named "
        "after training (configs/train_config.yaml, nanoGPT-style config/train_gpt2.py).",
        "configs/*.yaml, conf/*.json, config/*.py",
        dirs=("configs", "config", "conf", "hparams", "train_configs", "training_configs"),
        only_suffixes=(".yaml", ".yml", ".json", ".toml", ".ini", ".cfg", ".py"),
        weak=True,
    ),
    _file(
        "file.training_code",
        TRAINING_INFRASTRUCTURE,
        "Training, fine-tuning and launch scripts and the trainer package.",
        "train*.py, trainer/, finetune*.py, pretrain*.py, launch scripts",
        prefixes=("train", "finetun", "fine_tun", "fine-tun", "pretrain", "launch", "sft", "dpo",
                  "ppo", "run_"),
        suffixes=(".slurm", ".sbatch"),
        substrings=("_trainer", "slurm", "_sft.", "_sft_", "_finetun", "_pretrain", "_train."),
        dirs=("train", "training", "trainer", "trainers", "rlhf", "finetune", "finetuning",
              "pretrain", "pretraining", "beaker", "slurm", "launchers",
              "optim", "optimizers"),
        dir_prefixes=("finetune_", "finetuning_"),
        # YAML/JSON in train/ folders are hyper-parameter files (file.yaml_config), and
        # pretrained.py loads published weights: neither is training code.
        only_suffixes=CODE_SUFFIXES,
        except_substrings=("pretrained", "network", "eval", "test", "infer", "demo", "serv",
                           "bench", "predict", "generat", "sample"),
        weak=True,
    ),
    _file(
        "file.architecture_code",
        MODEL_STRUCTURE,
        "Source files named after an architecture part (encoder, decoder, head, attention, "
        "backbone, blocks) outside model folders are modeling code.",
        "encoder.py, mask_head.py, attention.py, heads/, encoders/, *_backbone.py",
        names=("encoder.py", "encoders.py", "decoder.py", "decoders.py", "head.py", "heads.py",
               "attention.py", "transformer.py", "blocks.py", "unet.py", "embeddings.py",
               "embedding.py", "mlp.py", "moe.py", "backbone.py", "vit.py", "resnet.py",
               "rope.py", "norm.py", "normalization.py", "activations.py"),
        suffixes=("_head.py", "_heads.py", "_encoder.py", "_decoder.py", "_block.py",
                  "_blocks.py", "_attention.py", "_backbone.py", "_layer.py", "_layers.py",
                  "_transformer.py", "_unet.py", "_embedding.py", "_embeddings.py"),
        dirs=("heads", "encoders", "decoders", "necks", "blocks", "attention", "encoder",
              "decoder", "head"),
        only_suffixes=CODE_SUFFIXES,
        weak=True,
    ),
    _file(
        "file.parameter_config",
        PARAMETER_TUNING,
        "Model and hyper-parameter configuration values.",
        "config.json, generation_config.json, adapter_config.json, configuration_*.py, "
        "configs/*.yaml, hparams.yaml, config.py",
        names=(
            "config.json", "generation_config.json", "adapter_config.json", "quantize_config.json",
            "scheduler_config.json", "params.json", "config.py", "config.yaml", "config.yml",
            "sentence_bert_config.json", "config_sentence_transformers.json",
            "training_params.json", "model_index.json", "modules.json",
        ),
        prefixes=("configuration_", "hparams", "hyperparam"),
        suffixes=("_config.json",),
        dirs=("configs", "config", "conf", "hparams"),
    ),
    _file(
        "file.yaml_config",
        PARAMETER_TUNING,
        "Other YAML files (and gin files) in an ML repo are experiment configurations.",
        "*.yaml, *.yml, *.gin",
        suffixes=(".yaml", ".yml", ".gin"),
    ),
    _file(
        "file.output_media",
        OUTPUT_DATA,
        "Images and audio whose name or folder says they are generated or sample outputs are "
        "output data, even in assets/ (assets/demo_output_1.png, assets/generated/cat.png).",
        "*output*.png, *sample*.png, generated/*.png",
        substrings=("output", "sample", "generated"),
        dirs=("generated",),
        only_suffixes=MEDIA_SUFFIXES,
    ),
    _file(
        "file.doc_image_dirs",
        EXTERNAL_DOCUMENTATION,
        "Images and media kept in documentation folders illustrate the README or docs.",
        "assets/*.png, docs/*.png, figures/*",
        dirs=_DOC_IMAGE_DIRS,
        only_suffixes=MEDIA_SUFFIXES,
    ),
    _file(
        "file.doc_figures",
        EXTERNAL_DOCUMENTATION,
        "Images named as figures (architecture diagrams, logos, banners, overviews) illustrate "
        "the README or model card, on either platform: external documentation.",
        "*architecture*.png, *diagram*.png, logo*.png, banner*.jpg, overview*.png",
        substrings=("architecture", "diagram", "logo", "banner", "overview", "teaser"),
        only_suffixes=IMAGE_SUFFIXES,
    ),
    _file(
        "file.hub_images",
        OUTPUT_DATA,
        "On the Hub, images and audio outside documentation folders are outputs the model "
        "produced (sample grids, plots).",
        "*.png, *.jpg, *.wav on Hugging Face",
        platforms=HF_ONLY,
        suffixes=MEDIA_SUFFIXES,
        only_suffixes=MEDIA_SUFFIXES,
    ),
    _file(
        "file.doc_images",
        EXTERNAL_DOCUMENTATION,
        "On GitHub, images outside output folders illustrate the README or docs (the study "
        "found output data in only 0.3% of GitHub commits).",
        "*.png, *.jpg on GitHub",
        suffixes=MEDIA_SUFFIXES,
        only_suffixes=MEDIA_SUFFIXES,
        platforms=GH_ONLY,
    ),
    _file(
        "file.incidental_packaging",
        PROJECT_METADATA,
        "A packaging manifest (setup.py, pyproject.toml) changed next to other files, when the "
        "message names no dependency, is a version bump that comes with every change in "
        "single-package repositories: incidental (quarter vote). Assigned by the engine, never "
        "by path.",
        "setup.py with x_transformers.py and no dependency named",
        weight=0.25,
    ),
    _file(
        "file.incidental_tests",
        VALIDATION_INFRASTRUCTURE,
        "Test files committed next to the code they test (tokenizer.py with "
        "tests/test_tokenizer.py) support that change: incidental (quarter vote), so the code "
        "decides. Tests alone stay validation. Assigned by the engine, never by path.",
        "tests/test_x.py next to x.py",
        weight=0.25,
    ),
    _file(
        "file.documentation",
        EXTERNAL_DOCUMENTATION,
        "User documentation: README/model card, markdown and docs pages, examples and example "
        "scripts, notebooks, citation files.",
        "README.md, *.md, *.rst, docs/, examples/, example_*.py, demo*.py, web_demo.py, "
        "cli_demo.py, *.ipynb, CITATION.cff",
        names=("citation.cff", "readme", "authors", "changelog"),
        prefixes=("readme", "example", "demo", "web_demo", "cli_demo", "gradio_demo",
                  "model_card"),
        substrings=("_demo.",),
        suffixes=(".md", ".rst", ".mdx", ".ipynb", ".pdf"),
        dirs=_DOC_DIRS,
    ),
    _file(
        "file.model_named_code",
        MODEL_STRUCTURE,
        "A source file named after a model (WavLM/WavLM.py, UniXcoder/unixcoder.py, "
        "deberta/bert.py) holds that model's code; checked last, so training, evaluation, demo "
        "and data scripts keep their own labels.",
        "wavlm.py, unixcoder.py, bert.py, encoder.py, unet.py",
        stem_pattern=MODEL_FILE_STEMS,
        only_suffixes=CODE_SUFFIXES,
        weak=True,
    ),
)

# --- how votes become one label ---------------------------------------------------------------
_COMBINE_RULES: tuple[Rule, ...] = (
    _combine(
        "combine.file_weights",
        CHANGE_TYPES,
        "Each path votes with its rule's weight; the label with the largest total wins, ties "
        "broken by the fixed precedence (model structure > training > validation > "
        "preprocessing > parameter tuning > input data > performance > output data > sharing > "
        "dependencies > internal docs > external docs > project metadata).",
        "the commit's file list",
    ),
    _combine(
        "combine.dependency_kind",
        DEPENDENCY_LABELS,
        "When dependency manifests win: removed manifests or words like remove/drop -> remove; "
        "bump/upgrade/pin/version -> update; add/require or an added manifest -> add; "
        "otherwise (a modified manifest) update.",
        "change kinds (A/M/D) and the message's verbs",
    ),
    _combine(
        "combine.packaging_metadata",
        (PROJECT_METADATA, *DEPENDENCY_LABELS),
        "When only packaging manifests (setup.py, pyproject.toml) carry the dependency vote and "
        "the message has no dependency evidence (dependency words, a version constraint, a "
        "well-known package), the change is packaging set-up: project metadata.",
        '"Update setup.py classifiers", "Move to pyproject.toml", "Add support for Python 3.12"',
    ),
    _combine(
        "combine.named_file",
        CHANGE_TYPES,
        "With no file list, a Hub web-UI message that names a file (\"Update config.json\", "
        "\"Delete pytorch_model.bin\") is classified as if that file was touched.",
        '"Update README.md", "Create config.json", "Delete X"',
    ),
)

# --- stage 3: fallback message words (when no file decided) -----------------------------------
_FALLBACK_RULES: tuple[Rule, ...] = (
    _fallback(
        "fallback.documentation",
        EXTERNAL_DOCUMENTATION,
        r"\breadme\b|\bmodel ?card\b|\bdocs?\b|\bdocumentation\b|\bcitation\b|\busage\b"
        r"|\bexamples?\b|\btypos?\b|\bbase_model\b|\bpipeline[_ ]tag\b|\btags?\b|\bwidget\b"
        r"|\bpaper\b|\bmetadata\b|\b(?:web|gradio|streamlit|online|interactive) demos?\b",
        '"readme", "model card", "docs", "citation", "usage", "base_model"',
    ),
    _fallback(
        "fallback.preprocessing",
        PREPROCESSING,
        r"\btokeni[sz]\w*|\bvocab\w*|\bchat[_ ]template\b|\bprocessor\b|\bfeature extractor\b"
        r"|\bspecial tokens?\b|\b[ebp][oa][sd]_token\b|\bpreprocess\w*",
        '"tokenizer", "vocab", "chat template", "processor"',
    ),
    _fallback(
        "fallback.training",
        TRAINING_INFRASTRUCTURE,
        r"\btrain(ing|er|ed)?\b|\bfine-?tun\w*|\bpre-?train\w*|\bcheckpointing\b"
        r"|\bcheckpoints? (?:load|sav|upload|resum)\w*"
        r"|\b(?:load|sav|upload)\w* (?:of )?checkpoints?\b|\bearly[ -]stopping\b|\bcallbacks?\b",
        '"training", "fine-tuning", "trainer", "checkpoint loading", "upload of checkpoints"',
    ),
    _fallback(
        "fallback.validation",
        VALIDATION_INFRASTRUCTURE,
        r"\beval\w*|\bbenchmarks?\b|\bmetrics?\b|\bperplexity\b|\btests\b|\bunit tests?\b"
        r"|\btest (set|suite|cases?)\b",
        '"evaluation", "benchmark", "metrics", "tests"',
    ),
    _fallback(
        "fallback.input_data",
        INPUT_DATA,
        r"\bdatasets?\b|\bdata ?loaders?\b|\bdata\b|\bcorpus\b",
        '"dataset", "data loader", "corpus"',
    ),
    _fallback(
        "fallback.parameters",
        PARAMETER_TUNING,
        r"\bconfig\w*|\bhyper-?param\w*|\bhparams\b|\blearning rate\b|\bbatch size\b"
        r"|\bdropout\b|\bwarmup\b|\bmax_length\b|\brope_scaling\b|\btorch_dtype\b"
        r"|\btemperature\b|\btop_[pk]\b|\bmax_new_tokens\b|\bcontext (length|window)\b"
        r"|\bmax_seq_len\b|\bseq(uence)?[_ ]len(gth)?\b",
        '"config", "hyper-parameters", "learning rate", "temperature", "context length"',
    ),
    _fallback(
        "fallback.model",
        MODEL_STRUCTURE,
        r"\bweights?\b|\bcheckpoints?\b|\bmodel\b|\blayers?\b|\barchitecture\b|\battention\b"
        r"|\bsafetensors\b|\bgguf\b|\bonnx\b|\bquantiz\w*|\bpooling\b|\bdiscriminators?\b",
        '"weights", "checkpoint", "model", "architecture"',
    ),
    _fallback(
        "fallback.outputs",
        OUTPUT_DATA,
        r"\bsamples?\b|\bpredictions?\b|\boutputs?\b|\bgenerations\b",
        '"samples", "predictions", "outputs"',
    ),
    _fallback(
        "fallback.dependencies",
        DEPENDENCY_LABELS,
        r"\brequirements?\b|\bdependenc\w*|\bdeps\b",
        '"requirements", "dependency"',
    ),
    _fallback(
        "fallback.metadata",
        PROJECT_METADATA,
        r"\bgitignore\b|\bgitattributes\b|\bci\b|\bworkflows?\b|\bdockerfile\b",
        '"gitignore", "CI", "workflow"',
    ),
)

#: The learned stage (``ct_learned``): consulted after the rules.
_LEARNED_RULES: tuple[Rule, ...] = (
    Rule(
        "learned.token_model",
        Stage.LEARNED,
        "A logistic regression over the commit's tokens, trained on the project's hand-labelled "
        "commits, replaces the rules' label where an override model trusts it: one fitted on "
        "how each kind of rule decision held up on blind sets before the rules were tuned on "
        "them. The tokens that weighed most are its evidence.",
        "message words, file extensions, folder names, file-name words",
        (*CHANGE_TYPES, UNCLASSIFIED),
    ),
)

_UNCLASSIFIED_RULES: tuple[Rule, ...] = (
    Rule(
        "unclassified.no_evidence",
        Stage.COMBINE,
        "No message rule, file rule or fallback word placed the commit: it stays unclassified "
        "with the reason (the study dropped such commits: bug fix, unclear, uncategorized).",
        "nothing recognised",
        (UNCLASSIFIED,),
    ),
)

#: The one ordered rule table.
RULES: tuple[Rule, ...] = (
    *_MESSAGE_RULES,
    *_FILE_RULES,
    *_COMBINE_RULES,
    *_FALLBACK_RULES,
    *_UNCLASSIFIED_RULES,
    *_LEARNED_RULES,
)

MESSAGE_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r.stage is Stage.MESSAGE)
FILE_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r.stage is Stage.FILE)
FALLBACK_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r.stage is Stage.FALLBACK)
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}

# --- word lists used by combine.dependency_kind -----------------------------------------------
REMOVE_WORDS = _p(
    r"\b(remove[sd]?|removing|drop(ped|s|ping)?|delete[sd]?|uninstall|get rid of|no longer)\b"
)
UPDATE_WORDS = _p(
    r"\b(bump(ed|s)?|upgrade[sd]?|downgrade[sd]?|pin(ned|s)?|unpin(ned)?|relax(ed)?|versions?)\b"
    r"|\bfrom v?\d[\w.]* to v?\d|\bto v?\d+(\.\d+)+|[<>=]=?\s*\d"
)
ADD_WORDS = _p(r"\b(add(ed|s|ing)?|introduce[sd]?|require[sd]?|new dep\w*|install|missing)\b")
#: "Remove the version pin" relaxes a constraint: update, not remove (checked before REMOVE).
UNPIN_WORDS = _p(r"\b(?:version )?pins?\b|\bversion constraints?\b|\bupper bounds?\b")
GENERIC_UPDATE_WORDS = _p(r"\bupdat(e[sd]?|ing)\b")

#: Packaging manifests also hold project metadata (name, classifiers, python_requires, tool
#: settings): they count as a dependency change only with dependency evidence in the message.
PACKAGING_MANIFESTS: frozenset[str] = frozenset({"setup.py", "setup.cfg", "pyproject.toml"})
#: Dependency evidence for packaging manifests (combine.packaging_metadata): dependency words,
#: version constraints, or a well-known package named in the message.
DEPENDENCY_EVIDENCE = _p(
    r"\bdependenc\w*|\bdeps\b|\brequire(ments?|s|d)?\b|\binstall_requires\b|\bextras?\b"
    # "add decord for video loading": a package added for a purpose
    r"|^add\w* (?!support\b)[\w.-]{2,40} (?:for|to support|as a)\b"
    r"|\bto setup(?:\.py|\.cfg)?\s*$|^add\w* [\w.-]{2,40} to pyproject(?:\.toml)?\s*$"
    r"|\bfrom (?:setup\.(?:py|cfg)|pyproject\.toml)\b"
    r"|\boptional\b|\b(torch|pytorch|transformers|numpy|scipy|einops|accelerate|sentencepiece"
    r"|tiktoken|tokenizers|safetensors|datasets|peft|bitsandbytes|deepspeed|flash[-_]attn"
    r"|xformers|triton|vllm|protobuf|pandas|tqdm|wandb|tensorboard|jax|flax|tensorflow|onnx\w*"
    r"|gradio|fastapi|pydantic|huggingface[-_]hub|timm|opencv\S*|pillow|librosa|soundfile"
    r"|openai|nltk|spacy|scikit-learn|sklearn|apex|ninja|omegaconf|hydra\S*|lightning"
    r"|pytorch-lightning|fire|sentence-transformers|evaluate|rouge\S*|jsonlines|regex)\b"
)

#: Hub web-UI messages that name one file: "Update config.json", "Delete pytorch_model.bin".
NAMED_FILE = _p(
    r"^(update[sd]?|create[sd]?|upload(ed)?|delete[sd]?|add(ed)?|rename[sd]?)\s+"
    r"([\w./-]{1,200}\.[a-z0-9]{1,12})\b"
)
#: Merge commits carry no change evidence of their own.
MERGE = _p(r"^merge (pull request|branch|remote-tracking|tag)\b")
