"""Content links: auto-sync messages, identical blobs, staleness, isolated and own edits."""

from __future__ import annotations

from datetime import UTC, datetime

from ptmscope.sync.links import (
    LAST_SYNC_FALLBACK,
    CommitInfo,
    RepoSide,
    link_family,
    match_shared_paths,
    parse_auto_sync,
)


def at(month: int, day: int = 1) -> datetime:
    return datetime(2023, month, day, tzinfo=UTC)


UPSTREAM = RepoSide(
    "acme/bert",
    (
        CommitInfo("a" * 40, at(1), "initial", ("README.md", "configs/base/config.json")),
        CommitInfo("b" * 40, at(2), "tok", ("tokenizer.json",)),
        CommitInfo("c" * 40, at(3), "cfg", ("configs/base/config.json",)),
        CommitInfo("d" * 40, at(5), "tok again", ("tokenizer.json",)),
        CommitInfo("e" * 40, at(6), "train script", ("train.py",)),
    ),
    {"README.md": "r", "configs/base/config.json": "c2", "tokenizer.json": "t2", "train.py": "p"},
)


def test_parse_auto_sync() -> None:
    assert parse_auto_sync(
        "Auto Sync from git://github.com/Org.x/re-po.git/commit/ABCDEF1234567"
    ) == ("Org.x", "re-po", "abcdef1234567")
    assert parse_auto_sync("Auto Sync from git://github.com/o/r/commit/abcdef1") == (
        "o", "r", "abcdef1")
    assert parse_auto_sync("Upload folder using huggingface_hub") is None
    assert parse_auto_sync("Auto Sync from git://evil.example/o/r.git/commit/abcdef1") is None


def test_paths_match_by_path_then_unique_file_name() -> None:
    got = match_shared_paths(
        ["config.json", "README.md", "x/utils.py", "model.safetensors"],
        ["configs/base/config.json", "README.md", "a/utils.py", "b/utils.py"],
    )
    assert got == {"config.json": "configs/base/config.json", "README.md": "README.md"}


def test_auto_sync_link_resolves_to_the_upstream_commit() -> None:
    variant = RepoSide(
        "acme/bert-base",
        (CommitInfo("1" * 40, at(3, 2), "Auto Sync from git://github.com/acme/bert.git/commit/"
                    + "c" * 12, ("config.json",)),
         CommitInfo("2" * 40, at(3, 3), "Auto Sync from git://github.com/other/repo.git/commit/"
                    + "c" * 12, ())),
        {"config.json": "c2"},
    )
    links = link_family(UPSTREAM, [variant]).variants[0]
    assert [(a.resolved, a.upstream_at) for a in links.auto_sync] == [(True, at(3)), (False, None)]
    assert links.blobs[0].upstream_sha == "c" * 40
    assert links.last_sync_at == at(3)


def test_stale_file_and_isolated_change_and_days_since() -> None:
    variant = RepoSide(
        "acme/bert-old",
        (CommitInfo("1" * 40, at(2, 10), "Upload folder", ("config.json", "tokenizer.json")),),
        {"config.json": "c1", "tokenizer.json": "t1"},
    )
    family = link_family(UPSTREAM, [variant], as_of=at(7))
    v = family.variants[0]
    stale = {s.variant_path: s for s in v.stale_files}
    assert set(stale) == {"config.json", "tokenizer.json"}
    assert stale["config.json"].upstream_changes == ("c" * 40,)
    assert stale["config.json"].days_stale == (at(7) - at(3)).days
    assert stale["tokenizer.json"].days_since_upstream_change == (at(7) - at(5)).days
    assert v.last_sync_source == LAST_SYNC_FALLBACK
    assert v.isolated_changes == ("c" * 40, "d" * 40)
    assert family.isolated_changes == ("c" * 40, "d" * 40)
    assert v.variant_only_edits == ()


def test_a_differing_readme_is_the_card_not_a_stale_copy() -> None:
    variant = RepoSide("acme/card", (CommitInfo("1" * 40, at(1, 2), "Upload", ("README.md",)),),
                       {"README.md": "card"})
    v = link_family(UPSTREAM, [variant]).variants[0]
    assert v.shared_paths == {} and v.stale_files == () and v.isolated_changes == ()
    copied = RepoSide("acme/copy", (CommitInfo("1" * 40, at(1, 2), "Upload", ("README.md",)),),
                      {"README.md": "r"})
    assert link_family(UPSTREAM, [copied]).variants[0].blobs[0].upstream_sha == "a" * 40


def test_variant_only_edit_after_upstream_last_change() -> None:
    variant = RepoSide(
        "acme/bert-own",
        (CommitInfo("1" * 40, at(1, 2), "Upload", ("tokenizer.json",)),
         CommitInfo("2" * 40, at(6, 9), "fix tokenizer on the hub", ("tokenizer.json",))),
        {"tokenizer.json": "t-own"},
    )
    v = link_family(UPSTREAM, [variant]).variants[0]
    assert v.stale_files == ()
    assert [(e.sha, e.variant_path) for e in v.variant_only_edits] == [("2" * 40, "tokenizer.json")]


def test_a_change_that_reached_one_variant_is_not_isolated_for_the_family() -> None:
    fresh = RepoSide("acme/fresh", (CommitInfo("1" * 40, at(5, 2), "Upload", ("tokenizer.json",)),),
                     {"tokenizer.json": "t2"})
    old = RepoSide("acme/old", (CommitInfo("2" * 40, at(1, 2), "Upload", ("tokenizer.json",)),),
                   {"tokenizer.json": "t0"})
    family = link_family(UPSTREAM, [fresh, old])
    assert family.variants[0].isolated_changes == ()
    assert family.variants[1].isolated_changes == ("b" * 40, "d" * 40)
    assert family.isolated_changes == ()  # both reached the fresh variant
    assert family.as_of == at(6)
