"""Content links: auto-sync messages, identical blobs, staleness, isolated and own edits.

The first tests use repositories without per-commit blob ids (the ``path_dates`` fallback, as
for repos mined from the Hub); the ``blob_history`` tests below use per-commit blob ids.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ptmscope.sync.links import (
    EMPTY_BLOB,
    LAST_SYNC_FALLBACK,
    CommitInfo,
    LinkedFile,
    LinkMethod,
    RepoSide,
    StalenessMethod,
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
    assert links.method is StalenessMethod.PATH_DATES
    assert links.blob_links[0].upstream_sha == "c" * 40
    assert links.blob_links[0].files == (LinkedFile("config.json", "configs/base/config.json",
                                                    "c2"),)
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
    assert v.method is StalenessMethod.PATH_DATES and family.methods == ("path_dates",)
    assert {s.method for s in v.stale_files} == {StalenessMethod.PATH_DATES}
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
    assert link_family(UPSTREAM, [copied]).variants[0].blob_links[0].upstream_sha == "a" * 40


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


# ---------------------------------------------------------------------------------------------
# blob_history: both sides have per-commit blob ids


def when(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2024, month, day, hour, tzinfo=UTC)


def commit(sha: str, at_: datetime, message: str, files: dict[str, str | None]) -> CommitInfo:
    """A commit writing ``files`` (path -> blob id after the commit; None: deleted)."""
    paths = tuple(sorted(files))
    return CommitInfo(sha * 40, at_, message, paths, tuple(files[p] for p in paths))


def side(name: str, *commits: CommitInfo) -> RepoSide:
    """A repository whose HEAD is what its commits leave (HEAD blobs left to the history)."""
    return RepoSide(name, commits)


# release/config.json: C1 (Jan 10) -> C2 (Feb 12); tokenizer.json: T1 (Mar 1) -> T2 (Mar 20);
# README.md: R1 -> R2 (Apr 1, 10:00, the family's latest commit).
UP = side(
    "lumen/tinylm",
    commit("a", when(1, 10), "Release 125m config", {
        "release/config.json": "C1", "README.md": "R1", "model.py": "M1", ".gitattributes": "GA",
    }),
    commit("b", when(2, 12), "Raise rope_theta", {"release/config.json": "C2"}),
    commit("c", when(3, 1), "tokenizer", {"tokenizer.json": "T1"}),
    commit("d", when(3, 20), "tokenizer: more merges", {"tokenizer.json": "T2"}),
    commit("e", when(4, 1, 10), "docs", {"README.md": "R2"}),
)


def test_identical_blob_under_a_different_path_links_the_commits() -> None:
    variant = side(
        "lumen/tinylm-125m",
        commit("0", when(1, 12), "initial commit", {".gitattributes": "GA"}),
        commit("1", when(1, 12, 13), "Upload folder using huggingface_hub",
               {"config.json": "C1", "README.md": "CARD", "model.safetensors": "W1"}),
    )
    v = link_family(UP, [variant]).variants[0]
    assert v.method is StalenessMethod.BLOB_HISTORY
    (link,) = v.commit_links  # .gitattributes is identical but proves nothing
    assert link.method is LinkMethod.IDENTICAL_BLOB
    assert (link.variant_sha, link.upstream_sha, link.upstream_at) == ("1" * 40, "a" * 40,
                                                                      when(1, 10))
    assert link.files == (LinkedFile("config.json", "release/config.json", "C1"),)
    assert v.shared_paths == {"config.json": "release/config.json"}
    assert (v.last_sync_at, v.last_sync_source) == (when(1, 10), "blob")


def test_variant_that_picked_up_an_old_version_is_stale_with_days_to_the_latest_commit() -> None:
    early = side(
        "lumen/tinylm-125m",
        commit("1", when(1, 12), "Upload folder", {"config.json": "C1", "README.md": "CARD"}),
    )
    # picked the old version up after upstream had already moved on (the textclf-large case)
    late = side(
        "lumen/tinylm-350m",
        commit("2", when(3, 5), "Upload folder", {"config.json": "C1"}),
    )
    fresh = side(
        "lumen/tinylm-chat",
        commit("3", when(1, 15), "Upload folder", {"config.json": "C1"}),
        commit("4", when(2, 14), "Update config.json", {"config.json": "C2"}),
    )
    family = link_family(UP, [early, late, fresh])
    assert family.as_of == when(4, 1, 10)
    by_name = {v.variant: v for v in family.variants}
    (stale,) = by_name["lumen/tinylm-125m"].stale_files
    assert (stale.variant_path, stale.upstream_path) == ("config.json", "release/config.json")
    assert (stale.variant_blob, stale.upstream_blob) == ("C1", "C2")
    assert stale.method is StalenessMethod.BLOB_HISTORY
    assert stale.first_missed_sha == stale.latest_upstream_sha == "b" * 40
    assert stale.first_missed_at == when(2, 12)
    assert stale.upstream_version_at == when(1, 10)
    assert stale.variant_version_at == when(1, 12)
    # Feb 12 -> Apr 1 2024 (a leap year) on UTC calendar dates, whatever the time of day
    assert stale.days_stale == stale.days_since_upstream_change == 49
    (late_stale,) = by_name["lumen/tinylm-350m"].stale_files
    assert (late_stale.first_missed_sha, late_stale.days_stale) == ("b" * 40, 49)
    assert by_name["lumen/tinylm-350m"].commit_links[0].upstream_sha == "a" * 40
    assert by_name["lumen/tinylm-chat"].stale_files == ()
    assert [lk.upstream_sha for lk in by_name["lumen/tinylm-chat"].commit_links] == [
        "a" * 40, "b" * 40]
    # the README differs (a model card): never stale
    assert all(s.variant_path != "README.md" for v in family.variants for s in v.stale_files)
    # the config change reached the chat variant: not isolated for the family
    assert by_name["lumen/tinylm-125m"].isolated_changes == ("b" * 40,)
    assert by_name["lumen/tinylm-chat"].isolated_changes == ()
    assert family.isolated_changes == ()


def test_several_upstream_changes_since_the_variant_version() -> None:
    upstream = side(
        "o/r",
        commit("a", when(1, 1), "v1", {"config.json": "C1"}),
        commit("b", when(1, 20, 23), "v2", {"config.json": "C2"}),
        commit("c", when(2, 2), "v3", {"config.json": "C3"}),
    )
    variant = side("o/m", commit("1", when(1, 3), "Upload", {"config.json": "C1"}))
    (stale,) = link_family(upstream, [variant], as_of=when(2, 10, 1)).variants[0].stale_files
    assert stale.upstream_changes == ("b" * 40, "c" * 40)
    assert (stale.days_stale, stale.days_since_upstream_change) == (21, 8)
    assert stale.upstream_blob == "C3"


def test_isolated_upstream_change_is_one_no_variant_picked_up() -> None:
    old_tok = side(
        "lumen/a", commit("1", when(3, 2), "Upload tokenizer", {"tokenizer.json": "T1"}))
    also_old = side(
        "lumen/b",
        commit("2", when(3, 3), "Upload tokenizer", {"tokenizer.json": "T1", "README.md": "R1"}))
    family = link_family(UP, [old_tok, also_old])
    assert [v.isolated_changes for v in family.variants] == [("d" * 40,), ("d" * 40,)]
    # the tokenizer change of Mar 20 reached no variant; Mar 1 did; README edits never count
    assert family.isolated_changes == ("d" * 40,)
    assert all(v.relevant_changes == ("c" * 40, "d" * 40) for v in family.variants)
    # an identical README still links (verbatim copy of upstream's)
    readme = [f for lk in family.variants[1].blob_links for f in lk.files
              if f.variant_path == "README.md"]
    assert readme == [LinkedFile("README.md", "README.md", "R1")]
    fresh = side(
        "lumen/c", commit("3", when(3, 25), "Upload tokenizer", {"tokenizer.json": "T2"}))
    assert link_family(UP, [old_tok, fresh]).isolated_changes == ()


def test_variant_only_edit_is_a_version_upstream_never_had() -> None:
    variant = side(
        "lumen/own",
        commit("1", when(2, 13), "Upload folder",
               {"config.json": "C2", "README.md": "CARD", "model.safetensors": "W1"}),
        commit("2", when(3, 3), "Update config.json", {"config.json": "C-own"}),
        commit("3", when(3, 4), "Update README.md", {"README.md": "CARD2"}),
        commit("4", when(3, 5), "Upload model.safetensors", {"model.safetensors": "W2"}),
        commit("5", when(3, 6), "Add empty file", {"config.json": EMPTY_BLOB}),
    )
    v = link_family(UP, [variant]).variants[0]
    assert [(e.sha, e.variant_path, e.upstream_path, e.blob_id) for e in v.variant_only_edits] == [
        ("2" * 40, "config.json", "release/config.json", "C-own")]
    # its own version is not an upstream version: not stale; upstream's C2 was picked up
    assert v.stale_files == ()
    assert v.isolated_changes == ()


def test_a_revert_links_to_the_latest_producer_and_is_up_to_date() -> None:
    upstream = side(
        "o/r",
        commit("a", when(1, 1), "v1", {"config.json": "C1"}),
        commit("b", when(1, 5), "v2", {"config.json": "C2"}),
        commit("c", when(1, 9), "Revert v2", {"config.json": "C1"}),
    )
    variant = side("o/m", commit("1", when(1, 10), "Upload", {"config.json": "C1"}))
    v = link_family(upstream, [variant]).variants[0]
    assert v.commit_links[0].upstream_sha == "c" * 40
    assert v.stale_files == () and v.isolated_changes == ()


def test_hub_mined_variant_without_blob_ids_falls_back_to_path_dates() -> None:
    hub = RepoSide(
        "lumen/hub-mined",
        (CommitInfo("1" * 40, when(1, 12), "Upload folder", ("config.json", "README.md")),),
        {"config.json": "C1", "README.md": "CARD"},
    )
    mined = side(
        "lumen/git-mined", commit("2", when(1, 12), "Upload folder", {"config.json": "C1"}))
    head_up = RepoSide(UP.name, UP.commits, {"release/config.json": "C2", "README.md": "R2",
                                             "tokenizer.json": "T2", "model.py": "M1"})
    family = link_family(head_up, [hub, mined])
    fallback, exact = family.variants
    assert not hub.has_blob_history and mined.has_blob_history
    assert fallback.method is StalenessMethod.PATH_DATES
    assert exact.method is StalenessMethod.BLOB_HISTORY
    assert family.methods == ("blob_history", "path_dates")
    (stale,) = fallback.stale_files
    assert stale.method is StalenessMethod.PATH_DATES
    assert (stale.upstream_path, stale.first_missed_sha, stale.days_stale) == (
        "release/config.json", "b" * 40, 49)
    assert stale.upstream_version_at is None
    assert [s.first_missed_sha for s in exact.stale_files] == ["b" * 40]


def test_a_variant_that_carries_upstream_history_is_flagged() -> None:
    mirror = RepoSide(
        "acme/bert-mirror",
        (UPSTREAM.commits[0], UPSTREAM.commits[1],
         CommitInfo("9" * 40, at(4), "Upload model", ("model.safetensors",))),
        {"README.md": "r", "tokenizer.json": "t1"},
    )
    independent = RepoSide("acme/bert-own", (CommitInfo("1" * 40, at(2), "Upload", ()),), {})
    family = link_family(UPSTREAM, [mirror, independent])
    assert family.variants[0].shared_history == ("a" * 40, "b" * 40)
    assert family.variants[1].shared_history == ()
