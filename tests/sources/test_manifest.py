"""Family manifests: the study's CSV as it is, other CSVs, YAML, and broken ones."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ptmscope.errors import ManifestError
from ptmscope.records import Platform
from ptmscope.sources.manifest import github_repo_id, read_manifest

STUDY_HEADER = [
    "owner",
    "model_name",
    "family",
    "downloads",
    "likes",
    "cleaned_github",
    "pipeline_tag",
    "pattern_names",
]


def write_study_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(STUDY_HEADER)
        writer.writerows(rows)
    return path


def test_the_study_csv_shape_is_read_as_it_is(tmp_path: Path) -> None:
    path = write_study_csv(
        tmp_path / "complete_dataset.csv",
        [
            [
                "google-bert",
                "google-bert/bert-base-uncased",
                "google-bert_bert",
                "1",
                "2",
                "https://github.com/google-research/bert",
                "fill-mask",
                "Dispersed Alignment Pattern",
            ],
            [
                "google-bert",
                "google-bert/bert-base-cased",
                "google-bert_bert",
                "1",
                "2",
                "https://github.com/google-research/bert",
                "fill-mask",
                "x",
            ],
            [
                "facebook",
                "facebook/fasttext-language-identification",
                "facebook_fasttext",
                "1",
                "2",
                "https://github.com/facebookresearch/fastText/tree/main/python",
                "text-classification",
                "x",
            ],
        ],
    )
    manifest = read_manifest(path)
    fams = {f.family_id: f for f in manifest.families}
    assert fams["google-bert_bert"].variants == (
        "google-bert/bert-base-uncased",
        "google-bert/bert-base-cased",
    )
    assert fams["google-bert_bert"].upstream_repo_id == "github:google-research/bert"
    assert fams["facebook_fasttext"].upstream_repo_id == "github:facebookresearch/fastText"


def test_a_missing_column_is_named_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("family,model_name\nf,o/m\n")
    with pytest.raises(ManifestError, match="missing column for the upstream repository"):
        read_manifest(path)


def test_a_bad_variant_id_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("family,upstream,variant\nf,https://github.com/o/r,not an id\n")
    with pytest.raises(ManifestError, match=r"m.csv:2"):
        read_manifest(path)


def test_a_yaml_manifest_names_local_clones(tmp_path: Path) -> None:
    path = tmp_path / "families.yaml"
    path.write_text(
        "families:\n"
        "  - id: acme_clf\n"
        "    upstream: https://github.com/acme/clf\n"
        "    upstream_path: gh/acme/clf\n"
        "    variants:\n"
        "      - acme/clf-base\n"
        "      - {id: acme/clf-large, path: hf/acme/clf-large}\n"
    )
    manifest = read_manifest(path)
    assert manifest.families[0].variants == ("acme/clf-base", "acme/clf-large")
    assert {(m.path, m.platform, m.name) for m in manifest.local_members} == {
        (tmp_path / "hf/acme/clf-large", Platform.HUGGINGFACE, "acme/clf-large"),
        (tmp_path / "gh/acme/clf", Platform.GITHUB, "acme/clf"),
    }


@pytest.mark.parametrize("text", ["families: [", "families: 3", "- just: a list\n- of: junk"])
def test_broken_yaml_manifests_are_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(text)
    with pytest.raises(ManifestError):
        read_manifest(path)


def test_github_urls_are_normalised() -> None:
    assert github_repo_id("https://github.com/o/r.git") == "github:o/r"
    assert github_repo_id("git@github.com:o/r") == "github:o/r"
    assert github_repo_id("https://gitlab.com/o/r") is None
    assert github_repo_id(None) is None


def test_a_csv_cell_beyond_the_csv_field_limit_is_a_manifest_error(tmp_path: Path) -> None:
    path = tmp_path / "families.csv"
    path.write_text(
        "family,cleaned_github,model_name\n" + 'f,"' + "x" * 200_000 + '",org/name\n',
        encoding="utf-8",
    )
    with pytest.raises(ManifestError, match="not a readable CSV file"):
        read_manifest(path)


def test_a_tsv_manifest_is_read_tab_separated(tmp_path: Path) -> None:
    path = tmp_path / "families.tsv"
    path.write_text("family\tupstream\tvariant\nf\thttps://github.com/o/r\to/m\n")
    manifest = read_manifest(path)
    assert manifest.families[0].variants == ("o/m",)
    assert manifest.families[0].upstream_repo_id == "github:o/r"
