"""Mining local git repositories: history, files at HEAD, LFS pointers, cards, odd repos."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ptmscope.errors import CorruptRepositoryError, NotARepositoryError, SourceNotFoundError
from ptmscope.records import ChangeKind, Platform
from ptmscope.sources.git import mine_git_repo

from tests.conftest import ALICE, BOB, MakeRepo, when

POINTER = (
    b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"ab" * 32 + b"\nsize 123456\n"
)
CARD = b"---\nlicense: mit\npipeline_tag: fill-mask\n---\n# Model\n"


def hf_history() -> list[tuple]:  # type: ignore[type-arg]
    return [
        (
            when(0),
            ALICE,
            "initial commit",
            {".gitattributes": b"*.bin filter=lfs diff=lfs merge=lfs -text\n"},
        ),
        (
            when(1, tz=2),
            ALICE,
            "Upload folder using huggingface_hub",
            {"config.json": b'{"a": 1}\n', "pytorch_model.bin": POINTER, "README.md": CARD},
        ),
        (when(5, tz=-7), BOB, "Update README.md", {"README.md": CARD + b"More.\n"}),
    ]


def test_a_model_repo_is_mined_with_history_files_pointers_and_card(make_repo: MakeRepo) -> None:
    snap = mine_git_repo(make_repo("org/model", hf_history()))
    assert snap.repo.platform is Platform.HUGGINGFACE
    assert snap.repo.repo_id == "huggingface:org/model"
    assert [c.subject for c in snap.commits] == [
        "initial commit",
        "Upload folder using huggingface_hub",
        "Update README.md",
    ]
    newest = snap.commits[-1]
    assert newest.author_name == "Bob Example" and newest.parents == (snap.commits[1].sha,)
    assert newest.committed_at.utcoffset() is not None
    assert newest.committed_at.utcoffset().total_seconds() == -7 * 3600  # type: ignore[union-attr]
    pointer = next(f for f in snap.files if f.path == "pytorch_model.bin")
    assert pointer.lfs_sha256 == "ab" * 32 and pointer.lfs_size == 123456
    assert pointer.local_path is not None and Path(pointer.local_path).read_bytes() == POINTER
    assert snap.card is not None and snap.card.metadata == {
        "license": "mit",
        "pipeline_tag": "fill-mask",
    }
    readme = [f for f in snap.commit_files if f.path == "README.md"]
    assert {f.change_kind for f in readme} == {ChangeKind.ADDED, ChangeKind.MODIFIED}
    assert all(f.lines_added is not None for f in readme)
    assert snap.repo.line_counts_known


def test_renames_binary_files_and_deletions_are_recorded(make_repo: MakeRepo) -> None:
    text = b"".join(b"line %d\n" % i for i in range(30))
    repo = make_repo(
        "o/code",
        [
            (
                when(0),
                ALICE,
                "add",
                {"a.py": text, "blob.bin": b"\x00\x01\x02" * 50, "setup.py": b"x\n"},
            ),
            (
                when(1),
                ALICE,
                "move",
                {"a.py": None, "pkg/a.py": text + b"extra\n", "blob.bin": None},
            ),
        ],
    )
    snap = mine_git_repo(repo)
    assert snap.repo.platform is Platform.GITHUB
    move = {f.path: f for f in snap.commit_files if f.sha == snap.commits[1].sha}
    assert move["pkg/a.py"].change_kind is ChangeKind.RENAMED
    assert move["pkg/a.py"].old_path == "a.py"
    assert (move["pkg/a.py"].lines_added, move["pkg/a.py"].lines_removed) == (1, 0)
    assert move["blob.bin"].change_kind is ChangeKind.DELETED and move["blob.bin"].blob_id is None
    added = {f.path: f for f in snap.commit_files if f.sha == snap.commits[0].sha}
    assert added["blob.bin"].lines_added is None  # binary: git gives no line counts


def test_hostile_commit_messages_cannot_forge_records(make_repo: MakeRepo) -> None:
    forged = (
        "subject\n\ncommit " + "a" * 40 + "\ntree " + "b" * 40 + "\n:100644 100644 x y M\n"
        "<script>alert(1)</script>\x1b[31m"
    )
    snap = mine_git_repo(
        make_repo(
            "o/r",
            [
                (when(0), ALICE, forged, {"f.txt": b"1\n"}),
                (when(1), ALICE, "second", {"f.txt": b"2\n"}),
            ],
        )
    )
    assert len(snap.commits) == 2
    assert snap.commits[0].message.startswith("subject\n\ncommit aaaa")
    assert "<script>" in snap.commits[0].message
    assert len(snap.commit_files) == 2


def test_merge_commits_count_once_with_both_parents(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo("o/merge", [(when(0), ALICE, "base", {"a.txt": b"a\n"})])
    env = {
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@x",
        "GIT_COMMITTER_NAME": "A",
        "GIT_COMMITTER_EMAIL": "a@x",
        "PATH": "/usr/bin:/bin",
    }

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)

    git("checkout", "-q", "-b", "side")
    (repo / "b.txt").write_text("b\n")
    git("add", "b.txt")
    git("commit", "-q", "-m", "side work")
    git("checkout", "-q", "main")
    (repo / "c.txt").write_text("c\n")
    git("add", "c.txt")
    git("commit", "-q", "-m", "main work")
    git("merge", "-q", "--no-ff", "-m", "Merge branch side", "side")
    snap = mine_git_repo(repo)
    merges = [c for c in snap.commits if c.is_merge]
    assert len(merges) == 1 and len(merges[0].parents) == 2
    assert len(snap.commits) == 4
    assert len({c.sha for c in snap.commits}) == 4


def test_a_signed_commit_is_marked_signed(make_repo: MakeRepo) -> None:
    repo = make_repo("o/signed", [(when(0), ALICE, "base", {"a.txt": b"a\n"})])
    head = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD", "HEAD^{tree}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    raw = (
        f"tree {head[1]}\nparent {head[0]}\nauthor A <a@x> 1700000000 +0000\n"
        "committer A <a@x> 1700000000 +0000\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n"
        " iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\nsigned\n"
    )
    sha = subprocess.run(
        ["git", "-C", str(repo), "hash-object", "-t", "commit", "-w", "--stdin"],
        input=raw,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run(["git", "-C", str(repo), "update-ref", "HEAD", sha], check=True)
    snap = mine_git_repo(repo)
    assert [c.signed for c in snap.commits] == [False, True]


def test_a_bare_clone_gives_the_same_history_without_local_files(
    make_repo: MakeRepo, tmp_path: Path
) -> None:
    repo = make_repo("org/model", hf_history())
    bare = tmp_path / "bare" / "model.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(bare)], check=True)
    snap = mine_git_repo(bare, name="org/model")
    normal = mine_git_repo(repo)
    assert [c.sha for c in snap.commits] == [c.sha for c in normal.commits]
    assert snap.repo.metadata["bare"] is True
    assert all(f.local_path is None for f in snap.files)
    assert snap.card == normal.card


def test_a_blobless_clone_falls_back_to_name_status(make_repo: MakeRepo, tmp_path: Path) -> None:
    repo = make_repo(
        "o/up",
        [
            (when(0), ALICE, "a", {"train.py": b"x\n" * 10}),
            (when(1), ALICE, "b", {"train.py": b"y\n" * 10, "eval.py": b"z\n"}),
        ],
    )
    subprocess.run(["git", "-C", str(repo), "config", "uploadpack.allowFilter", "true"], check=True)
    clone = tmp_path / "cache" / "up.git"
    subprocess.run(
        ["git", "clone", "-q", "--bare", "--filter=blob:none", f"file://{repo}", str(clone)],
        check=True,
    )
    snap = mine_git_repo(clone, platform=Platform.GITHUB, name="o/up")
    assert not snap.repo.line_counts_known
    assert any("line counts unknown" in n for n in snap.notes)
    assert len(snap.commits) == 2
    assert {(f.path, f.change_kind) for f in snap.commit_files} == {
        ("train.py", ChangeKind.ADDED),
        ("train.py", ChangeKind.MODIFIED),
        ("eval.py", ChangeKind.ADDED),
    }
    assert all(f.lines_added is None for f in snap.commit_files)


def test_a_repo_with_a_missing_blob_still_gives_its_history(make_repo: MakeRepo) -> None:
    repo = make_repo(
        "o/pruned",
        [
            (when(0), ALICE, "a", {"big.txt": b"x\n" * 100, "s.py": b"1\n"}),
            (when(1), ALICE, "b", {"big.txt": b"y\n" * 100}),
        ],
    )
    blob = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD~1:big.txt"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    subprocess.run(["git", "-C", str(repo), "repack", "-q", "-a", "-d"], check=True)
    # Explode the pack into loose objects, then remove the one blob.
    packs = list((repo / ".git" / "objects" / "pack").glob("*.pack"))
    for pack in packs:
        moved = pack.with_suffix(".moved")
        pack.rename(moved)
        pack.with_suffix(".idx").unlink()
        subprocess.run(
            ["git", "-C", str(repo), "unpack-objects", "-q"], stdin=moved.open("rb"), check=True
        )
        moved.unlink()
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    snap = mine_git_repo(repo, platform=Platform.GITHUB)
    assert len(snap.commits) == 2
    assert not snap.repo.line_counts_known


def test_an_empty_repository_has_no_commits(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path / "empty")], check=True)
    snap = mine_git_repo(tmp_path / "empty", platform=Platform.GITHUB)
    assert snap.commits == () and snap.files == ()
    assert "empty repository" in snap.notes[0]


def test_bad_paths_give_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError, match="no such file"):
        mine_git_repo(tmp_path / "missing")
    (tmp_path / "plain").mkdir()
    with pytest.raises(NotARepositoryError, match=r"not a git repository|not the top"):
        mine_git_repo(tmp_path / "plain")


def test_a_corrupt_repository_gives_a_clear_error(make_repo: MakeRepo) -> None:
    repo = make_repo("o/corrupt", [(when(0), ALICE, "a", {"a.txt": b"a\n"})])
    shutil.rmtree(repo / ".git" / "objects")
    (repo / ".git" / "objects").mkdir()
    with pytest.raises((CorruptRepositoryError, NotARepositoryError)) as info:
        mine_git_repo(repo)
    assert str(repo) in str(info.value)
