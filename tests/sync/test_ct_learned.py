"""The learned stage of the change-type classifier: features, the model, when it may decide."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ptmscope.sync import change_types
from ptmscope.sync.change_types import CHANGE_TYPES, UNCLASSIFIED, explain_commit
from ptmscope.sync.ct_learned import (
    FEATURE_VERSION,
    MODEL_FILE,
    OVERRIDE_MIN_PROBABILITY,
    OverrideModel,
    TokenModel,
    commit_features,
    load_model,
    override_inputs,
)


def _tiny_model() -> TokenModel:
    return TokenModel(
        classes=("model structure", "training infrastructure", "unclassified"),
        intercepts=(0.0, 0.0, 0.0),
        weights={"w_mamba": (4.0, 0.0, 0.0), "e_py": (0.5, 0.5, 0.0), "w_wip": (0.0, 0.0, 3.0)},
        trained_on=("tiny.jsonl",),
        training_commits=3,
    )


def test_features_name_platform_words_extensions_folders_and_file_name_words() -> None:
    got = commit_features("Add Mamba-2 support", ["src/models/mamba_ssm.py", "README"], "github")
    assert got == {"p_github", "w_add", "w_mamba", "w_support", "e_py", "d_src", "d_models",
                   "b_mamba", "b_ssm", "b_py", "e_noext", "b_readme"}


def test_features_are_bounded_for_hostile_input() -> None:
    huge = "word " * 1_000_000
    files = [f"d{i}/f{i}.py" for i in range(100_000)]
    got = commit_features(huge, files, "huggingface")
    # 300 message characters and 20 paths are read, whatever the commit holds
    assert len(got) < 60


def test_prediction_softmax_and_evidence() -> None:
    guess = _tiny_model().predict(["w_mamba", "e_py", "w_unknown"])
    assert guess is not None
    assert guess.label == "model structure"
    # scores: (4 + 0.5) / sqrt(2), 0.5 / sqrt(2), 0 -> softmax of the top one
    import math

    scores = [4.5 / math.sqrt(2), 0.5 / math.sqrt(2), 0.0]
    expected = math.exp(scores[0]) / sum(math.exp(x) for x in scores)
    assert guess.probability == pytest.approx(expected)
    assert guess.evidence == ("w_mamba", "e_py")
    assert sum(guess.probabilities) == pytest.approx(1.0)
    assert guess.probabilities[0] == pytest.approx(expected)
    assert _tiny_model().predict(["w_nothing_known"]) is None
    with_prior = TokenModel(("a", "b"), (0.0, 0.0), {"p_github": (1.0, 0.0)}, (), 1)
    assert with_prior.predict(["p_github"]) is None  # the platform alone is not evidence


def test_missing_or_mismatched_model_files(tmp_path: Path) -> None:
    assert load_model.__wrapped__(tmp_path / "absent.json") is None
    bad = tmp_path / "old.json"
    bad.write_text(json.dumps({"feature_version": FEATURE_VERSION + 1}), encoding="utf-8")
    with pytest.raises(ValueError, match="feature version"):
        load_model.__wrapped__(bad)
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({
        "feature_version": FEATURE_VERSION, "classes": ["a", "b"], "intercepts": [0, 0],
        "weights": {"w_x": [1.0]}, "trained_on": [], "training_commits": 0,
    }), encoding="utf-8")
    with pytest.raises(ValueError, match="one entry per class"):
        load_model.__wrapped__(broken)


def test_the_shipped_model_loads_and_keeps_the_newest_blind_sets_unseen() -> None:
    model = load_model()
    assert model is not None
    assert set(model.classes) == {*CHANGE_TYPES, UNCLASSIFIED}
    assert model.training_commits > 1000
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    # bench/eval_classifier.py reports these as unseen: they must not be training data
    assert set(data["held_out"]) == {"commits_blind36a.jsonl", "commits_blind36b.jsonl"}
    assert set(data["held_out"]).isdisjoint(data["trained_on"])
    assert not any("second_labeller" in name for name in data["trained_on"])


def test_the_model_only_replaces_weak_decisions(monkeypatch: pytest.MonkeyPatch) -> None:
    always = TokenModel(("output data",), (0.0,),
                        {"p_github": (1.0,), "p_huggingface": (1.0,), "w_upload": (1.0,),
                         "w_bump": (1.0,), "w_work": (1.0,), "w_misc": (1.0,),
                         "w_hermes": (1.0,)}, (), 1)
    monkeypatch.setattr(change_types, "load_model", lambda: always)
    # strong evidence: a weight file, an explicit message rule -> the model is not asked
    assert explain_commit("Upload model.safetensors", ["model.safetensors"],
                          "huggingface").rule_id == "file.weights"
    assert explain_commit("Bump torch from 2.0 to 2.1", ["requirements.txt"],
                          "github").rule_id == "message.dependency_bump"
    # a guess from a broad file rule, a fallback word, or nothing: the model decides
    weak = explain_commit("more work", ["train.py"], "github")
    assert (weak.label, weak.rule_id) == ("output data", "learned.token_model")
    assert "file.training_code" in weak.reason and "p_github" in weak.evidence
    assert explain_commit("misc", ["x.bin2"], "github").rule_id == "learned.token_model"
    # the platform alone is no evidence: the rules' decision stands
    assert explain_commit(".", [], "github").rule_id == "unclassified.no_evidence"
    # a README alone is documentation, whatever the model says
    assert explain_commit("Add Hermes 2 Theta support", ["README.md"],
                          "github").rule_id == "file.doc_pages"
    # rules alone on request
    assert explain_commit("more work", ["train.py"], "github",
                          learned=False).rule_id == "file.training_code"


def test_an_unsure_model_leaves_the_guess(monkeypatch: pytest.MonkeyPatch) -> None:
    unsure = TokenModel(("a", "b", "c", "d"), (0.0, 0.0, 0.0, 0.0),
                        {"p_github": (0.1, 0.0, 0.0, 0.0), "w_work": (0.1, 0.0, 0.0, 0.0)},
                        (), 1)
    guess = unsure.predict(["p_github", "w_work"])
    assert guess is not None and guess.probability < OVERRIDE_MIN_PROBABILITY
    monkeypatch.setattr(change_types, "load_model", lambda: unsure)
    assert explain_commit("more work", ["train.py"], "github").rule_id == "file.training_code"


def test_without_a_model_file_the_rules_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(change_types, "load_model", lambda: None)
    assert explain_commit("more work", ["train.py"], "github").rule_id == "file.training_code"


def test_the_shipped_model_improves_the_guesses_it_replaces_on_the_labelled_sets() -> None:
    """Integration check over every labelled set the model was trained on: where the learned
    stage replaces a rules guess, it is right more often than the guess was."""
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    folder = Path(__file__).resolve().parents[1] / "data"
    replaced = model_right = guess_right = 0
    for name in data["trained_on"]:
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            args = (row["message"], row["files"], row["platform"])
            got = explain_commit(*args, change_kinds=row.get("kinds"))
            if got.rule_id != "learned.token_model":
                continue
            guess = explain_commit(*args, change_kinds=row.get("kinds"), learned=False)
            replaced += 1
            model_right += got.label == row["label"]
            guess_right += guess.label == row["label"]
            assert got.evidence and "override model" in got.reason
    assert replaced >= 50
    assert model_right > 2 * guess_right


def _model_with_override(intercept: float) -> TokenModel:
    """A token model that always says 'output data', with an override model of fixed trust."""
    return TokenModel(("output data", "model structure"), (0.0, 0.0),
                      {"p_github": (3.0, 0.0), "p_huggingface": (3.0, 0.0),
                       "w_upload": (3.0, 0.0), "w_work": (3.0, 0.0), "w_misc": (3.0, 0.0)},
                      (), 1,
                      OverrideModel(intercept, {"stage=file": 0.0}, ("8",), 10))


def test_the_override_model_decides_where_rules_and_model_disagree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(change_types, "load_model", lambda: _model_with_override(5.0))
    # even strong evidence is replaced when the override model trusts the token model
    strong = explain_commit("Upload model.safetensors", ["model.safetensors"], "huggingface")
    assert (strong.label, strong.rule_id) == ("output data", "learned.token_model")
    assert "file.weights" in strong.reason and "override model" in strong.reason
    assert "p_huggingface" in strong.evidence
    # rules alone on request
    assert explain_commit("Upload model.safetensors", ["model.safetensors"], "huggingface",
                          learned=False).rule_id == "file.weights"


def test_a_distrustful_override_model_keeps_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(change_types, "load_model", lambda: _model_with_override(-5.0))
    assert explain_commit("more work", ["train.py"], "github").rule_id == "file.training_code"
    assert explain_commit("misc", ["x.bin2"], "github").rule_id == "unclassified.no_evidence"


def test_override_inputs_describe_the_disagreement() -> None:
    inputs = override_inputs("model structure", "file.modeling_code", True, "github",
                             "training infrastructure", 0.8, 0.1)
    assert inputs["rule=model structure"] == inputs["model=training infrastructure"] == 1.0
    assert inputs["stage=file"] == inputs["weak"] == inputs["github"] == 1.0
    assert inputs["p_model"] == 0.8 and inputs["p_rule"] == 0.1
    assert inputs["log_ratio"] == pytest.approx(2.0794, abs=1e-3)
    # a label the model rules out is floored, not log(0)
    floored = override_inputs("sharing", "message.release", False, "huggingface", "x", 1.0, 0.0)
    assert floored["log_ratio"] == pytest.approx(9.2103, abs=1e-3) and floored["github"] == 0.0


def test_the_shipped_override_model_was_fitted_on_rounds_it_did_not_hold_out() -> None:
    model = load_model()
    assert model is not None and model.override is not None
    assert model.override.examples > 300
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    recorded = json.loads((Path(__file__).resolve().parents[1] / "data"
                           / "ct_first_rules.json").read_text(encoding="utf-8"))["rounds"]
    fitted = {r["round"] for r in recorded} & set(model.override.rounds)
    assert fitted == set(model.override.rounds)
    for record in recorded:
        if record["round"] in fitted:
            assert not {f"commits_{n}.jsonl" for n in record["sets"]} & set(data["held_out"])


def test_recorded_first_rule_outputs_match_their_labelled_sets() -> None:
    """ct_first_rules.json (bench/first_rule_outputs.py) has one rule decision per commit."""
    folder = Path(__file__).resolve().parents[1] / "data"
    recorded = json.loads((folder / "ct_first_rules.json").read_text(encoding="utf-8"))
    valid = {*CHANGE_TYPES, UNCLASSIFIED}
    for record in recorded["rounds"]:
        assert len(record["commit"]) == 40
        for name, outputs in record["sets"].items():
            lines = (folder / f"commits_{name}.jsonl").read_text(encoding="utf-8").splitlines()
            assert len(outputs) == len([line for line in lines if line.strip()])
            assert all(label in valid and "." in rule_id for label, rule_id in outputs)
