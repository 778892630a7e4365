"""Write a tiny, transformers-loadable BERT text classifier and a matching dataset, without torch.

For the demo corpus and tests: ``ptmscope verify`` can run on a model folder made here. The
weights are random (seeded, numpy) and written as safetensors with
``ptmscope.formats.safetensors.safetensors_bytes``, with the parameter names and shapes
``BertForSequenceClassification`` expects. The classifier bias is set far apart so the model
predicts the *last* label for every input: the accuracy it reaches on any data is then the share
of rows carrying that label, known without running it (``write_tiny_dataset`` returns it).

Example:
    >>> from pathlib import Path
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> write_tiny_text_classifier(d / "model", seed=0)
    >>> write_tiny_dataset(d / "test.csv", n=20, positive_share=0.75)
    0.75
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ptmscope.formats.safetensors import safetensors_bytes

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
WORDS: tuple[str, ...] = (
    "a", "acting", "amazing", "and", "awful", "bad", "boring", "brilliant", "but", "characters",
    "dull", "film", "fun", "good", "great", "is", "it", "loved", "movie", "not", "plot", "poor",
    "script", "story", "terrible", "the", "this", "very", "was", "waste", "wonderful", "worst",
)
LABELS = ("negative", "positive")
HIDDEN, LAYERS, HEADS, INTERMEDIATE, MAX_POSITIONS = 32, 2, 2, 64, 128


def _vocab(words: Sequence[str] = WORDS) -> list[str]:
    return [*SPECIAL_TOKENS, *sorted({w.lower() for w in words} - set(SPECIAL_TOKENS))]


def _parameters(vocab_size: int, n_labels: int, rng: np.random.Generator
                ) -> dict[str, np.ndarray]:
    """Names and values of every BertForSequenceClassification parameter."""

    def normal(*shape: int) -> np.ndarray:
        return rng.normal(0.0, 0.5, size=shape).astype("<f4")

    def zeros(*shape: int) -> np.ndarray:
        return np.zeros(shape, dtype="<f4")

    def ones(*shape: int) -> np.ndarray:
        return np.ones(shape, dtype="<f4")

    p: dict[str, np.ndarray] = {
        "bert.embeddings.word_embeddings.weight": normal(vocab_size, HIDDEN),
        "bert.embeddings.position_embeddings.weight": normal(MAX_POSITIONS, HIDDEN),
        "bert.embeddings.token_type_embeddings.weight": normal(2, HIDDEN),
        "bert.embeddings.LayerNorm.weight": ones(HIDDEN),
        "bert.embeddings.LayerNorm.bias": zeros(HIDDEN),
    }
    for i in range(LAYERS):
        pre = f"bert.encoder.layer.{i}."
        for name in ("attention.self.query", "attention.self.key", "attention.self.value",
                     "attention.output.dense"):
            p[pre + name + ".weight"] = normal(HIDDEN, HIDDEN)
            p[pre + name + ".bias"] = zeros(HIDDEN)
        p[pre + "attention.output.LayerNorm.weight"] = ones(HIDDEN)
        p[pre + "attention.output.LayerNorm.bias"] = zeros(HIDDEN)
        p[pre + "intermediate.dense.weight"] = normal(INTERMEDIATE, HIDDEN)
        p[pre + "intermediate.dense.bias"] = zeros(INTERMEDIATE)
        p[pre + "output.dense.weight"] = normal(HIDDEN, INTERMEDIATE)
        p[pre + "output.dense.bias"] = zeros(HIDDEN)
        p[pre + "output.LayerNorm.weight"] = ones(HIDDEN)
        p[pre + "output.LayerNorm.bias"] = zeros(HIDDEN)
    p["bert.pooler.dense.weight"] = normal(HIDDEN, HIDDEN)
    p["bert.pooler.dense.bias"] = zeros(HIDDEN)
    p["classifier.weight"] = (normal(n_labels, HIDDEN) * 0.1).astype("<f4")
    # |pooled| <= 1, so logits move by at most ~0.05 * 32; a bias gap of 100 decides alone.
    p["classifier.bias"] = np.linspace(-50.0, 50.0, n_labels).astype("<f4")
    return p


def write_tiny_text_classifier(folder: Path, *, seed: int, labels: Sequence[str] = LABELS,
                               words: Sequence[str] = WORDS) -> None:
    """Write config.json (with id2label), vocab.txt, tokenizer files and model.safetensors.

    Args:
        folder: created if needed; existing files of the same names are overwritten.
        seed: random seed of the weights (same seed, same bytes).
        labels: the label names, by id; the model always predicts the last one.
        words: the vocabulary (whole words; others become [UNK]), lower-cased.
    """
    folder.mkdir(parents=True, exist_ok=True)
    vocab = _vocab(words)
    n = len(labels)
    config = {
        "architectures": ["BertForSequenceClassification"], "model_type": "bert",
        "vocab_size": len(vocab), "hidden_size": HIDDEN, "num_hidden_layers": LAYERS,
        "num_attention_heads": HEADS, "intermediate_size": INTERMEDIATE,
        "max_position_embeddings": MAX_POSITIONS, "type_vocab_size": 2, "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "layer_norm_eps": 1e-12, "initializer_range": 0.02, "pad_token_id": 0,
        "id2label": {str(i): name for i, name in enumerate(labels)},
        "label2id": {name: i for i, name in enumerate(labels)},
        "problem_type": "single_label_classification", "dtype": "float32",
    }
    (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    (folder / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "BertTokenizer", "do_lower_case": True,
        "model_max_length": MAX_POSITIONS, "unk_token": "[UNK]", "sep_token": "[SEP]",
        "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]"}, indent=2) + "\n",
        encoding="utf-8")
    (folder / "special_tokens_map.json").write_text(json.dumps({
        "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]",
        "mask_token": "[MASK]"}, indent=2) + "\n", encoding="utf-8")
    params = _parameters(len(vocab), n, np.random.default_rng(seed))
    # the metadata transformers' save_pretrained writes, like a real checkpoint
    (folder / "model.safetensors").write_bytes(safetensors_bytes(params, {"format": "pt"}))


def write_tiny_dataset(path: Path, *, n: int = 40, positive_share: float = 0.75, seed: int = 0,
                       labels: Sequence[str] = LABELS) -> float:
    """Write a CSV (``text,label``) of ``n`` short reviews; return the tiny model's accuracy.

    Exactly ``round(n * positive_share)`` rows carry the last label (the one the tiny model
    always predicts), so the accuracy ``ptmscope verify`` measures is that share.
    """
    rng = np.random.default_rng(seed)
    hits = round(n * positive_share)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label"])
        for i in range(n):
            words = rng.choice(WORDS, size=int(rng.integers(4, 12)))
            label = labels[-1] if i < hits else labels[i % (len(labels) - 1)]
            writer.writerow([" ".join(str(w) for w in words), label])
    return hits / n if n else 0.0


def write_tiny_card(folder: Path, *, accuracy: float, dataset: str = "tiny-reviews",
                    split: str = "test", model_name: str = "tiny-classifier") -> None:
    """Write a README.md whose model-index claims ``accuracy`` for text classification."""
    import yaml

    meta = {
        "license": "apache-2.0", "pipeline_tag": "text-classification",
        "tags": ["text-classification", "safetensors"],
        "model-index": [{"name": model_name, "results": [{
            "task": {"type": "text-classification", "name": "Text Classification"},
            "dataset": {"type": dataset, "name": dataset, "split": split},
            "metrics": [{"type": "accuracy", "value": accuracy, "name": "Accuracy"}],
        }]}],
    }
    (folder / "README.md").write_text(
        "---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n\n# " + model_name + "\n\n"
        "A tiny BERT sentiment classifier (about 60K parameters).\n", encoding="utf-8")
