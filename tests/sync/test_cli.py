"""``ptmscope sync`` and ``ptmscope classify`` through Typer's CliRunner, JSON checked by schema."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from ptmscope.cli import app
from ptmscope.errors import NotInStoreError, UsageError

from .conftest import fill_store

runner = CliRunner()


def schema(name: str) -> dict[str, Any]:
    text = resources.files("ptmscope.report").joinpath(f"schemas/{name}.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def run(*args: str) -> Any:
    return runner.invoke(app, list(args), env={"COLUMNS": "120"})


def test_sync_one_family_prints_every_measure(store_path: Path) -> None:
    result = run("sync", "acme_bert", "--db", str(store_path))
    assert result.exit_code == 0, result.output
    out = result.output
    for text in ("Rare Synchronization (CSR)", "No Lag", "CS (complete)", "R (rare)",
                 "switch lags", "Recent", "Jaccard", "Timeline", "GitHub", "acme/bert-base",
                 "Change types", "Content links", "Stale files", "tokenizer.json"):
        assert text in out, text


def test_sync_family_json_matches_schema(store_path: Path) -> None:
    result = run("sync", "acme_bert", "--db", str(store_path), "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    jsonschema.validate(payload, schema("sync"))
    fam = payload["family"]
    assert (fam["lag"], fam["code"], fam["pattern"]) == ("No Lag", "CSR", "Rare Synchronization")
    assert fam["timeline"]["github"] == [0, 1, 4, 8, 10]  # Jan 2, Jan 20, Mar 1, May 1, Jun 1
    assert fam["switch_lags"]["count"] == len(fam["switch_lags"]["days"])


def test_sync_family_by_member_repo_name(store_path: Path) -> None:
    result = run("sync", "acme/bert-old", "--db", str(store_path), "--json")
    assert json.loads(result.stdout)["family"]["family_id"] == "acme_bert"


def test_sync_all_tables_and_not_analysable(store_path: Path) -> None:
    result = run("sync", "--all", "--db", str(store_path))
    assert result.exit_code == 0, result.output
    for text in ("Pattern distribution", "Pattern by maturity group", "Change-type shares",
                 "similarity mean", "Not analysable", "ghost_model", "missing_repo",
                 "old_clock", "date_before_2000"):
        assert text in result.output, text


def test_sync_all_json_matches_schema(store_path: Path) -> None:
    result = run("sync", "--all", "--db", str(store_path), "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    jsonschema.validate(payload, schema("sync"))
    summary = payload["summary"]
    assert summary["families"] == 3 and summary["analysed"] == 1
    assert {r["family_id"] for r in summary["not_analysable"]} == {"ghost_model", "old_clock"}
    assert summary["patterns"]["Rare Synchronization"] == 1


def test_classify_json_matches_schema_and_explains(store_path: Path) -> None:
    result = run("classify", "--db", str(store_path), "--json", "--limit", "0")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    jsonschema.validate(payload, schema("classify"))
    rows = payload["commits"]
    assert len(rows) == 11  # 5 + 2 + 2 upstream/variant commits, 1 + 1 in the clock family
    for row in rows:
        if row["label"] == "unclassified":
            assert row["reason"]
        else:
            assert row["evidence"] and row["rule_id"]
    upload = next(r for r in rows if r["subject"].startswith("Upload folder"))
    assert upload["platform"] == "huggingface" and upload["rule_id"]


def test_classify_rules_only_never_uses_the_token_model(store_path: Path) -> None:
    both = json.loads(run("classify", "--db", str(store_path), "--json", "--limit", "0").stdout)
    rules = json.loads(run("classify", "--db", str(store_path), "--json", "--limit", "0",
                           "--rules-only").stdout)
    assert len(both["commits"]) == len(rules["commits"])
    assert all(r["rule_id"] != "learned.token_model" for r in rules["commits"])
    # where the two differ, it is the token model that decided
    for a, b in zip(both["commits"], rules["commits"], strict=True):
        if a["label"] != b["label"]:
            assert a["rule_id"] == "learned.token_model"


def test_classify_one_repo_with_limit(store_path: Path) -> None:
    result = run("classify", "--db", str(store_path), "--repo", "acme/bert-old", "--json",
                 "--limit", "1")
    rows = json.loads(result.stdout)["commits"]
    assert [r["repo_id"] for r in rows] == ["huggingface:acme/bert-old"]
    table = run("classify", "--db", str(store_path), "--repo", "acme/bert-old")
    assert table.exit_code == 0 and "sharing" in table.output


@pytest.mark.parametrize(
    ("args", "error"),
    [
        pytest.param(("sync",), UsageError, id="neither a family nor --all"),
        pytest.param(("sync", "acme_bert", "--all"), UsageError, id="both a family and --all"),
        pytest.param(("sync", "nope"), NotInStoreError, id="an unknown family"),
    ],
)
def test_bad_arguments_raise_ptmscope_errors(
    store_path: Path, args: tuple[str, ...], error: type[Exception]
) -> None:
    result = run(*args, "--db", str(store_path))
    assert result.exit_code != 0
    assert isinstance(result.exception, error)


def test_hostile_names_are_escaped(tmp_path: Path) -> None:
    from ptmscope.records import FamilyId, FamilyRecord, Platform, repo_id
    from ptmscope.store import Store

    from .conftest import repo, utc

    path = tmp_path / "h.duckdb"
    with Store(path) as store:
        up = repo(Platform.GITHUB, "evil/[bold red]x[/]")
        up.commit(utc(2023, 1, 1), "\x1b[31mred\x1b[0m [link=http://e]x[/link]", ["a.py"])
        var = repo(Platform.HUGGINGFACE, "evil/[blink]m")
        var.commit(utc(2023, 1, 2), "Upload", ["config.json"])
        store.write_snapshot(up.snapshot())
        store.write_snapshot(var.snapshot())
        store.write_families([FamilyRecord(FamilyId("evil"), None,
                                           repo_id(Platform.GITHUB, "evil/[bold red]x[/]"),
                                           ("evil/[blink]m",))])
    result = run("sync", "evil", "--db", str(path))
    assert result.exit_code == 0, result.output
    assert "evil/[blink]m" in result.output
    assert "\x1b" not in result.output
    # plain Text (the timeline labels) is never markup-escaped: no stray backslashes
    timeline_row = next(line for line in result.output.splitlines() if "█" in line
                        and "evil/" in line)
    assert timeline_row.startswith("evil/[blink]m "), timeline_row
    assert "\\[" not in result.output
    classify = run("classify", "--db", str(path))
    assert "\x1b" not in classify.output


def test_classify_table_at_80_columns_never_splits_a_label_word(tmp_path: Path) -> None:
    from ptmscope.records import Platform

    from .conftest import repo, utc

    def add_training_commit(store: Any) -> None:
        up = repo(Platform.GITHUB, "acme/trainer")
        up.commit(utc(2023, 1, 1), "Add training script", ["train.py"])
        up.commit(utc(2023, 1, 2), "Add evaluation script", ["eval.py"])
        store.write_snapshot(up.snapshot())

    path = fill_store(tmp_path / "c.duckdb", add_training_commit)
    result = runner.invoke(app, ["classify", "--db", str(path), "--repo", "acme/trainer"],
                           env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "infrastructure" in result.output
    assert all(len(line) <= 80 for line in result.output.splitlines())


def test_classify_escapes_a_hostile_sha(tmp_path: Path) -> None:
    from ptmscope.records import CommitSha, Platform, RepoSnapshot

    from .conftest import repo, utc

    def add_odd_sha(store: Any) -> None:
        odd = repo(Platform.GITHUB, "odd/shas")
        odd.commit(utc(2023, 1, 1), "docs", ["README.md"])
        snap = odd.snapshot()
        (commit,) = snap.commits
        from dataclasses import replace

        store.write_snapshot(RepoSnapshot(snap.repo, commits=(
            replace(commit, sha=CommitSha("[red]x[/]")),)))

    path = fill_store(tmp_path / "o.duckdb", add_odd_sha)
    result = run("classify", "--db", str(path), "--repo", "odd/shas")
    assert result.exit_code == 0, result.output
    assert "[red]x[/]" in result.output
