"""Ingest end to end: idempotent, resumable after SIGKILL, bad input leaves the store intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ptmscope.cli import app
from ptmscope.demo.gitwriter import RepoBuilder
from ptmscope.ingest import ingest
from ptmscope.store import Store

from tests.conftest import ALICE, when

runner = CliRunner()


def many_repos(root: Path, count: int, commits: int) -> Path:
    """``count`` GitHub-style repos of ``commits`` commits each, and a YAML manifest."""
    families = []
    for index in range(count):
        builder = RepoBuilder(root / "gh" / f"org{index}" / "repo")
        for c in range(commits):
            builder.commit(
                when(c),
                ALICE,
                f"change {c}",
                {f"src/m{c % 7}.py": f"v = {c}\n".encode() * (c % 5 + 1), "setup.py": b"setup()\n"},
            )
        builder.build()
        families.append(
            {
                "id": f"fam{index}",
                "upstream": f"https://github.com/org{index}/repo",
                "upstream_path": f"gh/org{index}/repo",
                "variants": [],
            }
        )
    manifest = root / "families.yaml"
    manifest.write_text(yaml.safe_dump({"families": families}))
    return manifest


def table_counts(db: Path) -> dict[str, int]:
    with Store(db, read_only=True) as store:
        counts = store.counts()
        dup = store.query("SELECT count(*) - count(DISTINCT (repo_id, sha)) FROM commits")
        counts["duplicate_commits"] = int(dup[0][0])
        del counts["runs"]
    return counts


def test_ingesting_twice_changes_nothing(demo_corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        first = ingest(store, [str(demo_corpus.manifest)])
    before = table_counts(db)
    with Store(db) as store:
        second = ingest(store, [str(demo_corpus.manifest)])
    assert table_counts(db) == before
    assert {i.status for i in first.items} == {"stored"}
    assert {i.status for i in second.items if i.repo_id} == {"unchanged"}
    assert before["repos"] == 13 and before["families"] == 4


def test_ingest_killed_at_any_moment_completes_on_the_next_run(tmp_path: Path) -> None:
    manifest = many_repos(tmp_path / "corpus", count=24, commits=120)
    clean_db = tmp_path / "clean.duckdb"
    with Store(clean_db) as store:
        ingest(store, [str(manifest)])
    expected = table_counts(clean_db)
    db = tmp_path / "killed.duckdb"
    cmd = [sys.executable, "-m", "ptmscope.cli", "ingest", str(manifest), "--db", str(db), "-q"]
    kills = 0
    for delay in (0.4, 0.9, 1.3, 1.8, 2.4):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
    assert kills >= 1, "the ingest finished before it could be killed; make the corpus larger"
    final = subprocess.run(cmd, capture_output=True, check=False)
    assert final.returncode == 0, final.stderr
    assert table_counts(db) == expected
    assert expected["duplicate_commits"] == 0
    with Store(db, read_only=True) as store:
        statuses = {r["status"] for r in store.runs()}
    assert "interrupted" in statuses and "done" in statuses


def test_bad_inputs_exit_2_with_a_message_and_the_store_intact(demo_corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "s.duckdb"
    assert (
        runner.invoke(app, ["ingest", str(demo_corpus.manifest), "--db", str(db), "-q"]).exit_code
        == 0
    )
    before = table_counts(db)
    not_model = tmp_path / "notes"
    not_model.mkdir()
    (not_model / "todo.txt").write_text("x")
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("family,model_name\nf,o/m\n")
    broken_git = tmp_path / "broken"
    (broken_git / ".git").mkdir(parents=True)
    (broken_git / ".git" / "HEAD").write_text("garbage")
    cases = {
        str(tmp_path / "missing"): "no such file",
        str(not_model): "not a model folder",
        str(bad_csv): "missing column",
        str(broken_git): "broken",
    }
    for source, expected in cases.items():
        result = runner.invoke(app, ["ingest", source, "--db", str(db)])
        assert result.exit_code == 2, (source, result.output)
        assert expected in result.output or source in result.output, result.output
    assert table_counts(db) == before


def test_hf_sources_offline_fail_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = runner.invoke(
        app, ["ingest", "hf://google-bert/bert-base-uncased", "--db", str(tmp_path / "s.duckdb")]
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "offline" in result.output.lower()


def test_the_study_manifest_shape_is_ingested_as_families(tmp_path: Path) -> None:
    path = tmp_path / "complete_dataset.csv"
    path.write_text(
        "owner,model_name,family,cleaned_github\n"
        "google-bert,google-bert/bert-base-uncased,google-bert_bert,https://github.com/google-research/bert\n"
        "google-bert,google-bert/bert-base-cased,google-bert_bert,https://github.com/google-research/bert\n"
    )
    db = tmp_path / "s.duckdb"
    result = runner.invoke(app, ["ingest", str(path), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    with Store(db, read_only=True) as store:
        fams = store.families()
    assert [f.family_id for f in fams] == ["google-bert_bert"]
    assert len(fams[0].variants) == 2


def test_a_card_with_broken_yaml_is_stored_and_reported_with_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "org" / "model"
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{}")
    (folder / "README.md").write_text("---\nlicense: [mit\n---\n# Model\n")
    db = tmp_path / "s.duckdb"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == 2
    assert "README.md: broken YAML front matter" in result.output
    with Store(db, read_only=True) as store:
        card = store.card("huggingface:org/model")
    assert card is not None and card.metadata is None and card.parse_error


def test_an_unreadable_file_is_named_and_nothing_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "org" / "model"
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{}")
    (folder / "README.md").write_text("# Model\n")
    real_open = Path.open

    def deny(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.name == "README.md":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    db = tmp_path / "s.duckdb"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == 2
    assert "README.md: cannot read: Permission denied" in result.output
    with Store(db, read_only=True) as store:
        assert store.counts()["repos"] == 0


def test_a_source_path_that_is_not_utf8_is_refused_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / os.fsdecode(b"n\xe9")
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    db = tmp_path / "s.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "ptmscope.cli", "ingest", os.fsencode(folder), "--db", str(db)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "not valid UTF-8" in result.stderr and "internal error" not in result.stderr


def test_two_sources_sharing_an_owner_and_name_are_not_merged_silently(tmp_path: Path) -> None:
    for root, message in (("a", "first clone"), ("b", "second clone")):
        builder = RepoBuilder(tmp_path / root / "org" / "model")
        builder.commit(when(0), ALICE, message, {"train.py": b"print()\n"})
        builder.build()
    with Store(tmp_path / "s.duckdb") as store:
        report = ingest(store, [str(tmp_path / "a/org/model"), str(tmp_path / "b/org/model")])
        assert [item.repo_id for item in report.items] == ["github:org/model"] * 2
        assert report.items[0].notes == ()
        assert any("replaces github:org/model" in n for n in report.items[1].notes)
        assert any("--name" in n for n in report.items[1].notes)


def test_a_repo_whose_config_blocks_git_fails_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ptmscope.sources import git as git_module

    repo = RepoBuilder(tmp_path / "org" / "model")
    repo.commit(when(0), ALICE, "first", {"train.py": b"print()\n"})
    repo.build()
    os.mkfifo(tmp_path / "org" / "model" / ".git" / "blocker")
    with (tmp_path / "org" / "model" / ".git" / "config").open("a") as config:
        config.write("[include]\n\tpath = blocker\n")
    monkeypatch.setattr(git_module, "OPEN_TIMEOUT_SECONDS", 0.5)
    with Store(tmp_path / "s.duckdb") as store:
        report = ingest(store, [str(tmp_path / "org" / "model")])
    assert [item.status for item in report.items] == ["failed"]
    assert "did not answer" in report.items[0].message
