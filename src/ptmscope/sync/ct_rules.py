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
    ".rs", ".go", ".java", ".jl", ".lua", ".r", ".scala",
)
IMAGE_SUFFIXES: tuple[str, ...] = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp")
MEDIA_SUFFIXES: tuple[str, ...] = (*IMAGE_SUFFIXES, ".wav", ".mp3", ".flac", ".mp4", ".webm")


class Stage(StrEnum):
    """When a rule is consulted (see the module docstring)."""

    MESSAGE = "message"
    FILE = "file"
    COMBINE = "combine"
    FALLBACK = "fallback"


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
    #: no file is a weight file (a "release" that adds the weights is about the weights).
    NO_WEIGHTS = "no_weights"
    #: the files vote for more than one kind of change (or some match no rule), at least one of
    #: them recognised: a vague message ("wip", "update") over such files names no one change.
    MIXED_FILES = "mixed_files"


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
        names / prefixes / suffixes / substrings / dirs: for file rules, a path matches when
            its lower-cased base name equals a name, starts with a prefix, ends with a suffix or
            contains a substring, or when one of its directories is in ``dirs``.
        dir_prefixes: for file rules, a path also matches when one of its directories starts
            with one of these (``checkpoint-500/``).
        only_suffixes: when set, a file rule matches only base names ending with one of these.
        within_dirs: when set, a file rule matches only paths with one of these directories.
        weight: a matched file's vote (weights count double: a commit adding weights is about
            the weights; incidental metadata such as .gitattributes counts a quarter).
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

    @property
    def label(self) -> str:
        """The (first) label the rule gives."""
        return self.labels[0]

    @property
    def vote(self) -> str:
        """What the rule votes for: its label, or ``DEPENDENCY`` for dependency rules."""
        return DEPENDENCY if self.labels == DEPENDENCY_LABELS else self.labels[0]

    def matches_path(self, base: str, dirs: tuple[str, ...]) -> bool:
        """True when a lower-cased path (base name + directory segments) matches this rule."""
        if self.only_suffixes and not base.endswith(self.only_suffixes):
            return False
        if self.within_dirs and self.within_dirs.isdisjoint(dirs):
            return False
        return (
            base in self.names
            or (bool(self.prefixes) and base.startswith(self.prefixes))
            or (bool(self.suffixes) and base.endswith(self.suffixes))
            or (bool(self.substrings) and any(s in base for s in self.substrings))
            or not self.dirs.isdisjoint(dirs)
            or (bool(self.dir_prefixes) and any(d.startswith(self.dir_prefixes) for d in dirs))
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
) -> Rule:
    labels = (label,) if isinstance(label, str) else label
    return Rule(
        rid, stage, description, evidence, labels, platforms, _p(pattern), guard=guard
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
) -> Rule:
    labels = DEPENDENCY_LABELS if label == DEPENDENCY else (label,)
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
        r"^training in progress\b|^end of training\b",
        "transformers' Trainer pushes checkpoints and logs while training: a training artefact.",
        '"Training in progress, step 500", "End of training"',
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
        r"^(?:release[sd]?\s*:?\s*v?\d(?!\d*(?:\.\d+)?[bm]\b)|release\s*$"
        r"|v?\d+\.\d+(?:\.\d+)?\S*\s*$"
        r"|(?:chore|build|ci)(?:\([^)\n]{0,40}\))?!?:\s*(?:release|bump version)\b"
        r"|chore\(release\))"
        r"|\b(?:bump(?:ed|s)? (?:the )?(?:package )?version|version bump"
        r"|prepare (?:for )?release)\b",
        "Releasing a version (tag commit, version bump of the project itself, conventional "
        "'chore: release') is sharing. A model size (\"Release 7B\") is not a version: such "
        "commits go to message.release_named.",
        '"Release v1.0.0", "v1.2.0", "bump version to 0.3.1", "chore: release v0.2.1"',
    ),
    _msg(
        "message.release_named",
        SHARING,
        r"^(release[sd]?|releasing)\s+(?!notes?\b)\w",
        "A commit announcing the release of a named model or version (\"Release Llama 2\") "
        "publishes it, unless it adds the weight files themselves (then model structure).",
        '"Release Llama 2", "Release code and 7B model"',
        guard=Guard.NO_WEIGHTS,
    ),
    _msg(
        "message.dependency_bump",
        DEPENDENCY_LABELS,
        r"^(?:bump [\w@./-]{1,100} from \S{1,40} to \S|bump the [\w-]{1,60} group\b"
        r"|(?:chore|build|fix)\(deps(?:-dev)?\)|update dependency [\w@./-]{1,100} to v?\d"
        r"|update [\w@./-]{1,100} action to v?\d)"
        r"|\b(?:pre-commit autoupdate|(?:docker )?base image)\b",
        "Dependabot/Renovate/pre-commit.ci version bumps update a third-party dependency, also "
        "when it is a CI action, a pre-commit hook or a Docker base image (any base-image "
        "change is a dependency change).",
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
    ),
    _msg(
        "message.checkpoint_links",
        SHARING,
        r"\b(links?|download(s|able)?|releas\w*|add(ed|s)?|upload(ed|s)?|publish\w*)\b[^\n]{0,40}"
        r"\b(checkpoints?|pretrained (weights|models?)|model weights)\b",
        "On GitHub, a README-only commit adding or releasing checkpoints (download links) "
        "publishes artefacts: sharing.",
        '"Add BERT-Large checkpoint" touching only README.md',
        platforms=GH_ONLY,
        guard=Guard.ONLY_DOCS,
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
        r"\bscores\b|\bresults? tables?\b"
        r"|\b(benchmark|evaluation|eval|test|accuracy) (numbers|scores)\b"
        r"|\b(add|update|report)\w*\b[^\n]{0,40}\bresults\b",
        "Scores, results tables and benchmark numbers added to documentation only are reported "
        "evaluation results: validation.",
        '"Add MMLU and GSM8K scores", "Add results table to README"',
        guard=Guard.ONLY_DOCS,
    ),
    _msg(
        "message.license",
        PROJECT_METADATA,
        r"\blicen[cs]e[sd]?\b",
        "Licence changes are repository metadata, also when made in the card's front matter.",
        '"Change license to apache-2.0", "add license"',
    ),
    _msg(
        "message.performance",
        PIPELINE_PERFORMANCE,
        r"\bfaster\b|\bspeed(s|ing)? ?up\b|\bspeedups?\b|\bfor speed\b|\bmemory\b|\blatency\b"
        r"|\bthroughput\b|\bfused\b|\bflash[ _-]?(attn|attention)([ _-]?\d)?\b|\bsdpa\b"
        r"|\bkv[ _-]?cache\b|\bgradient[ _-]?checkpointing\b"
        r"|\btorch\.compile\b|\boptimi[sz]e[sd]? (for )?(speed|performance|memory|inference)\b",
        "Speed and memory optimisations of the pipeline, unless the commit only touches docs or "
        "dependency manifests (adding flash-attn to requirements is a dependency change).",
        '"speed up inference", "reduce memory usage", "use fused kernel", "flash_attention_2", '
        '"gradient checkpointing"',
        guard=Guard.NOT_ONLY_DOCS_OR_DEPS,
    ),
    _msg(
        "message.docstring",
        INTERNAL_DOCUMENTATION,
        r"\bdocstrings?\b|\btype hints?\b|\bcode comments?\b",
        "Docstrings and code comments document the code for its developers.",
        '"add docstrings", "type hints"',
        guard=Guard.NOT_ONLY_DOCS_OR_DEPS,
    ),
    _msg(
        "message.code_comment",
        INTERNAL_DOCUMENTATION,
        r"\bcomments?\b|\bcomment(ed)? out\b|\btypos?\b",
        "On GitHub, a comment or typo fix touching only source files is internal documentation "
        "(on the Hub, code files are rare and such messages refer to the card or discussions).",
        '"add comments", "fix typo in comment" with only *.py files',
        platforms=GH_ONLY,
        guard=Guard.CODE_ONLY,
    ),
    _msg(
        "message.push_to_hub_model",
        MODEL_STRUCTURE,
        r"^upload [a-z0-9_]*for[a-z0-9_]+\s*$|^upload (the )?model\s*$"
        r"|\bsafetensors`? variant\b",
        "transformers' push_to_hub names the model class it uploads; SFconvertbot adds a "
        "safetensors variant of the weights: both change the published weights.",
        '"Upload LlamaForCausalLM", "Adding `safetensors` variant of this model"',
        platforms=HF_ONLY,
    ),
    _msg(
        "message.code_style",
        UNCLASSIFIED,
        r"\b(?:(?:re)?format(?:ted|ting)? (?:the )?(?:code|codebase|files)"
        r"|format(?:ted)? with (?:black|ruff)|(?:run|ran|apply|applied) (?:black|ruff|isort|yapf"
        r"|pre-commit)|unused imports?|lint(?:ing|er)? (?:errors?|warnings?|fix(?:es)?|issues?)"
        r"|code style|pre-commit\.com hooks)\b|^style(?:\([^)\n]{0,40}\))?!?:",
        "Formatting, lint and unused-import clean-ups of code change no behaviour and fit no type "
        "(the study dropped them as uncategorized): unclassified, whatever code they touch.",
        '"Format code with black", "Remove unused imports", "style: fix lint errors"',
        guard=Guard.CODE_ONLY,
    ),
    _msg(
        "message.uninformative",
        UNCLASSIFIED,
        r"\A\s*(wip|update[sd]?|updates|fix(es|ed)?|minor( (fix(es)?|changes|updates|edits))?|misc"
        r"|changes|tmp|temp|cleanup|\.)[ \t.!]*(\n|\Z)",
        "A message that is only 'wip', 'update' or 'fix' over files of several kinds names no "
        "one change (the study dropped such commits as unclear): unclassified.",
        '"wip", "update", "fix" touching train.py and model.py',
        guard=Guard.MIXED_FILES,
    ),
)

# --- stage 2: file rules (first match labels a path; order matters) ---------------------------
_DOC_DIRS = ("docs", "doc", "examples", "example", "notebooks", "tutorials", "tutorial")
_DOC_IMAGE_DIRS = ("assets", "docs", "doc", "figures", "figs", "img", "imgs", "static", "media")
_OUTPUT_DIRS = ("outputs", "output", "samples", "results", "generations", "predictions")

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
        "file.training_checkpoint_dir",
        TRAINING_INFRASTRUCTURE,
        "Everything inside an intermediate Trainer checkpoint folder (optimizer, scheduler, RNG "
        "state, and the weights of that step) belongs to the training run, not to a release.",
        "checkpoint-1000/*, global_step500/*",
        dir_prefixes=("checkpoint-", "global_step"),
    ),
    _file(
        "file.project_metadata",
        PROJECT_METADATA,
        "Licence, ignore files, CI and repository tooling configure the project, not the model.",
        "LICENSE, .gitignore, .github/, CI configs, Dockerfile, Makefile, CODEOWNERS",
        names=(
            ".gitignore", ".gitmodules", ".pre-commit-config.yaml", "codeowners", "makefile",
            "dockerfile", ".dockerignore", ".editorconfig", "setup.cfg", ".flake8", "tox.ini",
            "notice", "code_of_conduct.md", ".gitlab-ci.yml", ".travis.yml", "azure-pipelines.yml",
            "security.md", ".readthedocs.yaml", "manifest.in",
        ),
        prefixes=("copying", "use_policy", "acceptable_use"),
        substrings=("license", "licence"),
        dirs=(".github", ".circleci", ".gitlab", ".devcontainer"),
    ),
    _file(
        "file.developer_notes",
        INTERNAL_DOCUMENTATION,
        "Contributor guides are documentation for the project's developers.",
        "CONTRIBUTING.md, DEVELOPMENT.md",
        prefixes=("contributing", "development.md", "hacking"),
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
        "file.dependency_manifest",
        DEPENDENCY,
        "Dependency manifests; add/update/remove is decided by combine.dependency_kind.",
        "requirements*.txt, setup.py, pyproject.toml, environment.yml, Pipfile, poetry.lock",
        names=(
            "setup.py", "pyproject.toml", "environment.yml", "environment.yaml", "pipfile",
            "pipfile.lock", "poetry.lock", "conda.yaml", "conda.yml", "constraints.txt",
            "uv.lock", "requirements.in",
        ),
        prefixes=("requirements",),
        dirs=("requirements",),
    ),
    _file(
        "file.training_state",
        TRAINING_INFRASTRUCTURE,
        "Trainer state, optimizer/scheduler checkpoints and training logs belong to training.",
        "training_args.bin, trainer_state.json, optimizer.pt, scheduler.pt, runs/, tfevents",
        names=("optimizer.pt", "scheduler.pt", "trainer_state.json", "training_args.bin"),
        prefixes=("events.out.tfevents", "rng_state", "training_args", "train_results"),
        dirs=("runs",),
    ),
    _file(
        "file.tokenizer",
        PREPROCESSING,
        "Tokenizer, vocabulary and feature-extractor files, and preprocessing code (data "
        "cleaning, deduplication, tokenizer training, audio/image feature preparation).",
        "tokenizer*.json, tokenizer.model, *.model, vocab.*, merges.txt, "
        "special_tokens_map.json, preprocessor_config.json, tokenization_*.py, preprocess*.py, "
        "dedup*.py, train_tokenizer.py, audio.py",
        names=(
            "merges.txt", "special_tokens_map.json", "added_tokens.json", "spiece.model",
            "sentencepiece.bpe.model", "preprocessor_config.json", "feature_extractor_config.json",
            "processor_config.json", "chat_template.jinja", "chat_template.json", "audio.py",
        ),
        prefixes=(
            "tokenizer", "tokenization", "vocab", "preprocess", "normaliz", "spm.",
            "train_tokenizer", "build_tokenizer", "build_vocab", "learn_bpe", "dedup", "minhash",
            "near_dedup", "feature_extract", "image_processing", "processing_",
        ),
        suffixes=(".spm", ".vocab", ".bpe", ".model", ".tiktoken"),
        substrings=("clean",),
        dirs=("tokenizer", "tokenizers", "preprocess", "preprocessing"),
    ),
    _file(
        "file.data_processing",
        PREPROCESSING,
        "Code in data folders whose name says it transforms data (clean, dedup, filter, split, "
        "convert, format, normalise) prepares the data: preprocessing, not data loading.",
        "data/clean_*.py, data/split_long_conversation.py, data/convert_alpaca.py",
        substrings=("clean", "dedup", "filter", "split", "convert", "format", "normaliz",
                    "process", "merge", "tokeniz"),
        within_dirs=("data", "datasets", "dataset", "corpus", "data_utils"),
        only_suffixes=CODE_SUFFIXES,
    ),
    _file(
        "file.distributed_config",
        TRAINING_INFRASTRUCTURE,
        "DeepSpeed/FSDP/accelerate launch configs set up (distributed) training.",
        "ds_config.json, deepspeed*.json, accelerate_config.yaml, fsdp*.yaml",
        prefixes=("ds_", "deepspeed", "accelerate_config", "fsdp", "zero_"),
        only_suffixes=(".json", ".yaml", ".yml"),
    ),
    _file(
        "file.weights",
        MODEL_STRUCTURE,
        "Weight files and their indexes: new or changed checkpoints (double vote).",
        "*.safetensors, *.bin, *.pt, *.pth, *.ckpt, *.h5, *.onnx, *.gguf, *.msgpack, *.npz",
        names=(
            "model.safetensors.index.json", "pytorch_model.bin.index.json", "modules.json",
            "model_index.json",
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
        "modeling_*.py, model.py, layers.py",
        names=("model.py", "models.py", "modeling.py", "layers.py", "modules.py", "network.py"),
        prefixes=("modeling_", "modelling_", "convert_"),
    ),
    _file(
        "file.config_code",
        PARAMETER_TUNING,
        "Configuration code (config.py, configuration_*.py) holds hyper-parameters, also inside "
        "model folders.",
        "model/config.py, configuration_*.py, params.py",
        names=("config.py", "configs.py", "params.py", "hparams.py", "model_config.py"),
        prefixes=("configuration_",),
    ),
    _file(
        "file.model_code_dirs",
        MODEL_STRUCTURE,
        "Source files inside model/architecture folders.",
        "model/, models/, modules/, layers/, arch/ (code files only)",
        dirs=("model", "models", "modules", "layers", "modeling", "arch", "architectures",
              "backbone", "backbones", "networks", "nets"),
        only_suffixes=CODE_SUFFIXES,
    ),
    _file(
        "file.performance_code",
        PIPELINE_PERFORMANCE,
        "Custom kernels exist to make the pipeline faster.",
        "kernels/",
        dirs=("kernels",),
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
        dirs=("eval", "evals", "evaluation", "benchmark", "benchmarks", "tests", "test"),
    ),
    _file(
        "file.outputs",
        OUTPUT_DATA,
        "Produced outputs: predictions, generated samples, result files and plots.",
        "outputs/, samples/, results/, predictions*, generated_*",
        prefixes=("prediction", "generated_", "result"),
        dirs=_OUTPUT_DIRS,
    ),
    _file(
        "file.input_data",
        INPUT_DATA,
        "Datasets, data files and data-loading code used for training.",
        "data/, datasets/, dataset*.py, dataloader*.py, *.csv, *.jsonl, *.parquet",
        prefixes=("dataset", "dataloader", "data_loader", "download_data", "prepare_data"),
        suffixes=(".csv", ".tsv", ".parquet", ".jsonl", ".arrow"),
        dirs=("data", "datasets", "dataset", "corpus", "dataloaders"),
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
    ),
    _file(
        "file.config_dirs",
        PARAMETER_TUNING,
        "Configuration files kept in config folders hold hyper-parameters, even when named "
        "after training (configs/train_config.yaml).",
        "configs/*.yaml, conf/*.json",
        dirs=("configs", "config", "conf", "hparams"),
        only_suffixes=(".yaml", ".yml", ".json", ".toml", ".ini", ".cfg"),
    ),
    _file(
        "file.training_code",
        TRAINING_INFRASTRUCTURE,
        "Training, fine-tuning and launch scripts and the trainer package.",
        "train*.py, trainer/, finetune*.py, pretrain*.py, launch scripts",
        prefixes=("train", "finetun", "fine_tun", "pretrain", "launch", "sft", "dpo", "ppo"),
        substrings=("_trainer", "slurm"),
        dirs=("train", "training", "trainer", "trainers", "rlhf", "finetune", "finetuning",
              "optim", "optimizers"),
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
        ),
        prefixes=("configuration_", "hparams", "hyperparam"),
        dirs=("configs", "config", "conf", "hparams"),
    ),
    _file(
        "file.yaml_config",
        PARAMETER_TUNING,
        "Other YAML files in an ML repo are experiment configurations.",
        "*.yaml, *.yml",
        suffixes=(".yaml", ".yml"),
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
        "file.documentation",
        EXTERNAL_DOCUMENTATION,
        "User documentation: README/model card, markdown and docs pages, examples and example "
        "scripts, notebooks, citation files.",
        "README.md, *.md, *.rst, docs/, examples/, example_*.py, *.ipynb, CITATION.cff",
        names=("citation.cff", "readme", "authors", "changelog"),
        prefixes=("readme", "example"),
        suffixes=(".md", ".rst", ".mdx", ".ipynb"),
        dirs=_DOC_DIRS,
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
        r"|\bpaper\b|\bmetadata\b",
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
        r"\btrain(ing|er|ed)?\b|\bfine-?tun\w*|\bpre-?train\w*|\bcheckpointing\b",
        '"training", "fine-tuning", "trainer"',
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
        r"|\bsafetensors\b|\bgguf\b|\bonnx\b|\bquantiz\w*",
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
)

MESSAGE_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r.stage is Stage.MESSAGE)
FILE_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r.stage is Stage.FILE)
FALLBACK_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r.stage is Stage.FALLBACK)
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
#: Pre-filter: the union of every message rule's pattern. Most commits match none, and one scan
#: of the message is cheaper than one per rule; when it matches, the rules run in order.
ANY_MESSAGE_RULE: re.Pattern[str] = _p(
    "|".join(f"(?:{r.pattern.pattern})" for r in MESSAGE_RULES if r.pattern is not None)
)

# --- word lists used by combine.dependency_kind -----------------------------------------------
REMOVE_WORDS = _p(
    r"\b(remove[sd]?|removing|drop(ped|s|ping)?|delete[sd]?|uninstall|get rid of|no longer)\b"
)
UPDATE_WORDS = _p(
    r"\b(bump(ed|s)?|upgrade[sd]?|downgrade[sd]?|pin(ned|s)?|unpin(ned)?|relax(ed)?|versions?)\b"
    r"|\bfrom v?\d[\w.]* to v?\d|\bto v?\d+(\.\d+)+|[<>=]=?\s*\d"
)
ADD_WORDS = _p(r"\b(add(ed|s|ing)?|introduce[sd]?|require[sd]?|new dep\w*|install)\b")
GENERIC_UPDATE_WORDS = _p(r"\bupdat(e[sd]?|ing)\b")

#: Packaging manifests also hold project metadata (name, classifiers, python_requires, tool
#: settings): they count as a dependency change only with dependency evidence in the message.
PACKAGING_MANIFESTS: frozenset[str] = frozenset({"setup.py", "pyproject.toml"})
#: Dependency evidence for packaging manifests (combine.packaging_metadata): dependency words,
#: version constraints, or a well-known package named in the message.
DEPENDENCY_EVIDENCE = _p(
    r"\bdependenc\w*|\bdeps\b|\brequire(ments?|s|d)?\b|\binstall_requires\b|\bextras?\b"
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
