"""Reading the store into report data: models, families, timelines, staleness, corpus."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from ptmscope.records import (
    CommitRecord,
    CommitSha,
    Finding,
    Outcome,
    Platform,
    RepoId,
    Severity,
)
from ptmscope.report import data as report_data
from ptmscope.report.data import (
    UNCLASSIFIED,
    TimelineRow,
    build_row,
    file_format,
    load_report_data,
    maturity_label,
    summarise_sync,
)
from ptmscope.store import Store

from .conftest import SCRIPT


def test_empty_store_gives_empty_data(tmp_path: Path) -> None:
    data = load_report_data(Store(tmp_path / "e.duckdb"))
    assert data.is_empty
    assert data.overview.findings == 0


def test_models_repos_and_families_are_read(filled_store: Store) -> None:
    data = load_report_data(filled_store)
    assert [m.repo.name for m in data.models][:1] == ["acme/bert-base"]
    assert len(data.models) == 4 and len(data.repos) == 2
    assert data.overview.families == 2
    bert = data.models[0]
    assert bert.task == "fill-mask" and bert.license == "apache-2.0"
    assert {f.format for f in bert.files} == {"safetensors", "pytorch/pickle", "json"}
    assert bert.of("perf")[0].details["diff_pp"] == 6.5
    clean = next(m for m in data.models if m.repo.name == "acme/clean-model")
    assert clean.finding_count == 0 and clean.card_state == "missing"


def test_family_timeline_bins_are_two_weeks_from_the_earliest_commit(
    filled_store: Store,
) -> None:
    fam = next(f for f in load_report_data(filled_store).families
               if f.family.family_id.startswith("acme_bert"))
    assert fam.t0 == date(2024, 1, 3)
    github = fam.rows[0]
    assert github.platform is Platform.GITHUB
    # commits on days 0, 3, 20, 45, 90, 200 -> bins 0, 0, 1, 3, 6, 14
    assert [(c.bin, c.commits) for c in github.cells] == [(0, 2), (1, 1), (3, 1), (6, 1),
                                                          (14, 1)]
    assert fam.bin_count == 15
    missing = next(r for r in fam.rows if r.label == "acme/missing-variant")
    assert not missing.stored and missing.cells == ()


def test_staleness_counts_upstream_commits_after_the_variant(filled_store: Store) -> None:
    fam = next(f for f in load_report_data(filled_store).families
               if f.family.family_id.startswith("acme_bert"))
    base = next(s for s in fam.staleness if s.variant == "acme/bert-base")
    # variant last commit day 30; upstream commits on days 45, 90, 200
    assert base.upstream_commits_after == 3
    assert base.days_behind == 170
    unknown = next(s for s in fam.staleness if s.variant == "acme/missing-variant")
    assert unknown.days_behind is None


def test_sync_findings_feed_the_summary_and_corpus(filled_store: Store) -> None:
    data = load_report_data(filled_store)
    fam = next(f for f in data.families if f.family.family_id.startswith("acme_bert"))
    assert fam.sync.pattern == "Disperse Synchronization"
    assert fam.sync.switch_lag_count == 4 and fam.sync.switch_lag_median == 6.5
    assert dict(data.corpus.pattern_counts) == {"Disperse Synchronization": 1,
                                                "Rare Synchronization": 1}
    assert data.corpus.missing_by_task.tasks == ("fill-mask", "text-generation")


def test_missing_attributes_grid_counts_missing_only(filled_store: Store) -> None:
    grid = load_report_data(filled_store).corpus.missing_by_task
    assert grid.attributes == ("datasets", "license")
    fill_mask = grid.tasks.index("fill-mask")
    assert grid.missing[fill_mask] == (1, 1)
    assert grid.total[fill_mask] == (2, 2)
    text_gen = grid.tasks.index("text-generation")
    assert grid.missing[text_gen] == (0, 0)  # partial is not missing


def test_details_with_missing_or_odd_keys_read_as_none() -> None:
    odd = Finding("sync", "x", "f", Severity.INFO, Outcome.PRESENT, "m",
                  details={"switch_lags_days": ["3", "bad", None], "pattern": 7})
    summary = summarise_sync([odd], [])
    assert summary.pattern == "7"
    assert summary.switch_lag_count == 1 and summary.switch_lag_mean == 3.0  # valid values only
    assert summary.lag is None and summary.similarity is None
    assert summarise_sync([], []).maturity == "n/a"


@pytest.mark.parametrize(("days", "label"), [
    (None, "n/a"), (0, "Recent"), (116, "Recent"), (117, "Intermediate"), (440, "Intermediate"),
    (452, "Matured"),
])
def test_maturity_tertiles_follow_the_spec(days: float | None, label: str) -> None:
    assert maturity_label(days) == label


def test_classifier_results_of_any_shape_become_type_names() -> None:
    class Kind:
        value = "model_structure"

    class Result:
        change_type = Kind()

    assert report_data._type_name(Kind()) == "model structure"
    assert report_data._type_name(("sharing", "because")) == "sharing"
    assert report_data._type_name(Result()) == "model structure"
    assert report_data._type_name(None) == UNCLASSIFIED


def test_a_failing_classifier_gives_unclassified() -> None:
    def broken(*_: object) -> str:
        raise RuntimeError("bug elsewhere")

    commit = CommitRecord(RepoId("github:a/b"), CommitSha("1" * 40), "a", "a", datetime.now(UTC),
                          "a", "a", datetime.now(UTC), "msg")
    types = report_data.classify_commits([commit], [], Platform.GITHUB, broken)
    assert types == {commit.sha: UNCLASSIFIED}


def test_bins_use_the_utc_day() -> None:
    east = datetime(2024, 1, 15, 1, 0, tzinfo=UTC) + timedelta(hours=0)
    commit = CommitRecord(RepoId("github:a/b"), CommitSha("1" * 40), "a", "a", east, "a", "a",
                          east.astimezone(), "x " + SCRIPT)
    row: TimelineRow = build_row("r", Platform.GITHUB, "github:a/b", [commit], {},
                                 date(2024, 1, 1))
    assert row.cells[0].bin == 1 and row.cells[0].change_type == UNCLASSIFIED


@pytest.mark.parametrize(("name", "fmt"), [
    ("model.safetensors", "safetensors"), ("pytorch_model.bin", "pytorch/pickle"),
    ("x.GGUF", "gguf"), ("README.md", "markdown"), ("weird", "other"),
])
def test_file_formats_by_name(name: str, fmt: str) -> None:
    assert file_format(name) == fmt
