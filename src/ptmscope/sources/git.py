"""Mine a local git repository (normal or bare clone) into a ``RepoSnapshot``.

History is read by ONE ``git log -z --pretty=raw --raw --numstat`` process per repository,
parsed as a stream: raw format keeps commit messages indented (so a hostile message cannot
forge a record boundary), carries the signature header, and ``--raw`` gives each path's blob
id and change kind. When blobs are missing (a ``--filter=blob:none`` clone, or a repository
whose big blobs were pruned) line counts cannot be computed: the miner falls back to
``--raw`` alone and records that line counts are unknown.

Files at HEAD come from one ``git ls-tree``; Git LFS pointers and the model card from one
``git cat-file --batch``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path

from ptmscope.errors import CorruptRepositoryError, NotARepositoryError, SourceNotFoundError
from ptmscope.progress import NullProgress, Progress
from ptmscope.records import (
    CardRecord,
    ChangeKind,
    CommitFileRecord,
    CommitRecord,
    CommitSha,
    FileRecord,
    Platform,
    RepoId,
    RepoRecord,
    RepoSnapshot,
)
from ptmscope.sources.card import CARD_NAMES, MAX_CARD_BYTES, parse_card
from ptmscope.sources.gitcmd import first_line, git_command, git_config_values, git_env, run_git
from ptmscope.sources.lfs import parse_lfs_pointer

_CHUNK = 1 << 20
#: A stored commit message keeps at most this many bytes (the subject and a long body fit; a
#: hostile 30 MB message would otherwise be copied several times while it is decoded). A cut
#: message ends with :data:`TRUNCATION_MARK` and the original size.
MAX_MESSAGE_BYTES = 64 * 1024
TRUNCATION_MARK = "\n[message truncated by ptmscope: {size:,} bytes]"
_EMPTY_BLOB = re.compile(rb"^0+$")
#: LFS pointers are ~130 bytes; the spec caps them at 1024.
_POINTER_MAX = 1024
_POINTER_MIN = 40
#: ``git rev-parse`` answers in milliseconds; a repository whose config includes a FIFO
#: (``include.path``) would block every git command forever: give up on it instead.
OPEN_TIMEOUT_SECONDS = 60.0


@dataclass(slots=True)
class _Pending:
    """A commit being parsed: its header and its diff entries (raw then numstat)."""

    commit: CommitRecord
    raw: list[tuple[str, str | None, str, str | None]] = field(default_factory=list)
    numstat: list[tuple[int | None, int | None]] = field(default_factory=list)


def _decode(data: bytes) -> str:
    # Tokens come from a NUL-split stream, so they hold no NUL to clean.
    return data.decode("utf-8", "replace")


_ZONES: dict[bytes, tzinfo] = {}


def _zone(tz: bytes) -> tzinfo:
    """The fixed-offset zone of a git ``+0200`` offset (cached: repos use few zones)."""
    zone = _ZONES.get(tz)
    if zone is None:
        sign = -1 if tz[:1] == b"-" else 1
        zone = timezone(timedelta(minutes=sign * (int(tz[1:3]) * 60 + int(tz[3:5]))))
        _ZONES[tz] = zone
    return zone


def _parse_person(value: bytes) -> tuple[str, str, datetime]:
    """``Name <email> 1700000000 +0200`` -> (name, email, aware datetime)."""
    ident, _, tz = value.rpartition(b" ")
    ident, _, stamp = ident.rpartition(b" ")
    name, _, email = ident.rpartition(b" <")
    try:
        zone = _zone(tz)
    except ValueError:  # a malformed or impossible offset (+9999): keep the instant, in UTC
        zone = UTC
    try:
        when = datetime.fromtimestamp(int(stamp), zone)
    except (ValueError, OverflowError, OSError):
        when = datetime.fromtimestamp(0, UTC)
    return _decode(name), _decode(email.rstrip(b">")), when


def _parse_header(rid: RepoId, block: bytes) -> CommitRecord:
    """Parse one raw commit: commit, tree, parent, author, committer and optional gpgsig
    header lines, a blank line, then the message indented by 4 spaces."""
    head, _, message = block.partition(b"\n\n")
    sha = b""
    parents: list[str] = []
    a_name = a_mail = c_name = c_mail = ""
    a_when = c_when = datetime.fromtimestamp(0, UTC)
    signed = False
    for line in head.split(b"\n"):
        key, _, value = line.partition(b" ")
        if key == b"commit":
            sha = value.split(b" ", 1)[0]
        elif key == b"parent":
            parents.append(value.decode("ascii", "replace"))
        elif key == b"author":
            a_name, a_mail, a_when = _parse_person(value)
        elif key == b"committer":
            c_name, c_mail, c_when = _parse_person(value)
        elif key in (b"gpgsig", b"gpgsig-sha256"):
            signed = True
    cut = len(message) > MAX_MESSAGE_BYTES
    if cut:
        # raw format indents every message line by 4 bytes: report the message's own size
        size = len(message) - 4 * (message.count(b"\n") + 1)
        message = message[:MAX_MESSAGE_BYTES]
    lines = message.split(b"\n")
    text = b"\n".join(line[4:] if line.startswith(b"    ") else line for line in lines)
    decoded = _decode(text.strip(b"\n"))
    if cut:
        decoded += TRUNCATION_MARK.format(size=size)
    return CommitRecord(
        repo_id=rid,
        sha=CommitSha(sha.decode("ascii", "replace")),
        author_name=a_name,
        author_email=a_mail,
        authored_at=a_when,
        committer_name=c_name,
        committer_email=c_mail,
        committed_at=c_when,
        message=decoded,
        parents=tuple(parents),
        signed=signed,
    )


def _iter_tokens(stream: Iterator[bytes]) -> Iterator[bytes]:
    """Split a byte stream on NUL, chunk by chunk (bounded memory).

    A token longer than a chunk (a huge commit message) grows in a bytearray, appended in
    place, instead of being copied whole at every chunk.
    """
    pending = bytearray()
    for chunk in stream:
        if b"\x00" not in chunk:
            pending += chunk
            continue
        parts = chunk.split(b"\x00")
        pending += parts[0]
        yield bytes(pending)
        yield from parts[1:-1]
        pending = bytearray(parts[-1])
    if pending:
        yield bytes(pending)


def _read_chunks(proc: subprocess.Popen[bytes]) -> Iterator[bytes]:
    """Yield what git has written so far. ``os.read`` returns what is there instead of waiting
    for a full chunk, and a larger pipe lets git keep writing while we parse: git and the
    parser then run in parallel on two cores instead of taking turns."""
    assert proc.stdout is not None
    with contextlib.suppress(OSError, AttributeError):  # Linux only; a smaller pipe still works
        fcntl.fcntl(proc.stdout.fileno(), fcntl.F_SETPIPE_SZ, _CHUNK)
    descriptor = proc.stdout.fileno()
    while chunk := os.read(descriptor, _CHUNK):
        yield chunk


_KIND = {k.value: k for k in ChangeKind}


def _finish(rid: RepoId, pending: _Pending, numstat: bool) -> list[CommitFileRecord]:
    out: list[CommitFileRecord] = []
    counts = pending.numstat if numstat and len(pending.numstat) == len(pending.raw) else []
    for index, (status, old_path, path, blob) in enumerate(pending.raw):
        added, removed = counts[index] if counts else (None, None)
        out.append(
            CommitFileRecord(
                repo_id=rid,
                sha=pending.commit.sha,
                path=path,
                change_kind=_KIND.get(status, ChangeKind.UNKNOWN),
                old_path=old_path,
                lines_added=added,
                lines_removed=removed,
                blob_id=blob,
            )
        )
    return out


def _parse_log(
    rid: RepoId, tokens: Iterator[bytes], numstat: bool, progress: Progress
) -> tuple[list[CommitRecord], list[CommitFileRecord]]:
    """Turn the NUL-separated ``git log`` stream into records."""
    commits: list[CommitRecord] = []
    files: list[CommitFileRecord] = []
    pending: _Pending | None = None
    for token in tokens:
        if token.startswith(b"commit ") or token.startswith(b"\ncommit "):
            if pending is not None:
                files.extend(_finish(rid, pending, numstat))
                progress.advance(1)
            block = token.lstrip(b"\n")
            # The diff starts at the first line beginning with ':' (message lines are indented).
            cut = block.find(b"\n:")
            header, first = (block, b"") if cut < 0 else (block[:cut], block[cut + 1 :])
            pending = _Pending(_parse_header(rid, header))
            commits.append(pending.commit)
            token = first
            if not token:
                continue
        if pending is None:
            continue
        if token[:1] == b"\n":
            token = token.lstrip(b"\n")
        if not token:
            continue
        if token[:1] == b":":
            _add_raw(pending, token, tokens)
        elif numstat:
            parts = token.split(b"\t", 2)
            if len(parts) != 3:
                continue
            added = None if parts[0] == b"-" else int(parts[0])
            removed = None if parts[1] == b"-" else int(parts[1])
            pending.numstat.append((added, removed))
            if not parts[2]:  # rename/copy: two more tokens, old then new path
                next(tokens, None)
                next(tokens, None)
    if pending is not None:
        files.extend(_finish(rid, pending, numstat))
        progress.advance(1)
    return commits, files


def _add_raw(pending: _Pending, token: bytes, tokens: Iterator[bytes]) -> None:
    """``:100644 100644 <old> <new> M`` then the path (two paths for renames and copies)."""
    fields = token[1:].split(b" ")
    if len(fields) < 5:
        return
    status = fields[4][:1].decode("ascii", "replace")
    new_blob = fields[3]
    blob = None if _EMPTY_BLOB.match(new_blob) else new_blob.decode("ascii", "replace")
    first = _decode(next(tokens, b""))
    if status in ("R", "C"):
        second = _decode(next(tokens, b""))
        pending.raw.append((status, first, second, blob))
    else:
        pending.raw.append((status, None, first, blob))


def _run_log(
    repo: Path, identify: Callable[[], RepoId], numstat: bool, progress: Progress
) -> tuple[list[CommitRecord], list[CommitFileRecord]] | None:
    """Run one ``git log``; None when git failed (e.g. blobs missing for numstat).

    ``identify`` gives the repository id; it is called once git has started, so whatever it
    computes (the files at HEAD, from which the platform is detected) overlaps with git's
    own work instead of delaying it."""
    args = [
        "log",
        "-z",
        "--pretty=raw",
        "--raw",
        "--no-abbrev",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--encoding=UTF-8",
    ]
    args += ["--numstat", "-M"] if numstat else ["--no-renames"]
    args.append("HEAD")
    # stderr goes to a file: a pipe that nobody reads while stdout streams could fill up
    # (a repo with many warnings) and deadlock git.
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            git_command(repo, *args), stdout=subprocess.PIPE, stderr=errors, env=git_env()
        )
        try:
            rid = identify()
            result = _parse_log(rid, _iter_tokens(_read_chunks(proc)), numstat, progress)
        finally:
            if proc.stdout is not None:
                proc.stdout.close()
            code = proc.wait()
            errors.seek(0)
            stderr = errors.read(64 * 1024)
    if code != 0:
        if numstat:
            return None
        raise CorruptRepositoryError(f"{repo}: git log failed: {first_line(stderr)}")
    return result


def is_partial_clone(repo: Path) -> bool:
    """True for clones made with ``--filter`` (blobs fetched lazily from a promisor remote)."""
    return bool(git_config_values(repo, "extensions.partialclone")) or any(
        v == "true" for v in git_config_values(repo, "remote.origin.promisor")
    )


def open_repo(path: Path) -> tuple[Path, bool]:
    """Check ``path`` is a readable git repository; return (path, is_bare).

    Raises:
        SourceNotFoundError: the path does not exist.
        NotARepositoryError: it is not a git repository.
        CorruptRepositoryError: git cannot read it.
    """
    if not path.exists():
        raise SourceNotFoundError(f"{path}: no such file or folder")
    if not path.is_dir():
        raise NotARepositoryError(f"{path}: not a folder")
    try:
        proc = subprocess.run(
            git_command(path, "rev-parse", "--is-bare-repository", "--git-dir"),
            capture_output=True,
            env=git_env(),
            check=False,
            timeout=OPEN_TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired as err:
        raise CorruptRepositoryError(
            f"{path}: git did not answer within {OPEN_TIMEOUT_SECONDS:g} s",
            hint="Its config may include a FIFO or device (include.path); check .git/config.",
        ) from err
    if proc.returncode != 0:
        message = first_line(proc.stderr)
        if "not a git repository" in message:
            raise NotARepositoryError(f"{path}: not a git repository")
        raise CorruptRepositoryError(f"{path}: git cannot read this repository: {message}")
    lines = proc.stdout.decode("utf-8", "replace").split()
    git_dir = Path(lines[1]) if len(lines) > 1 else path
    if not git_dir.is_absolute():
        git_dir = path / git_dir
    if git_dir.resolve() != path.resolve() and path.resolve() not in git_dir.resolve().parents:
        # ``path`` lies inside some other repository (e.g. a plain folder in a checkout).
        raise NotARepositoryError(f"{path}: not the top of a git repository")
    return path, lines[:1] == ["true"]


def head_sha(repo: Path) -> str | None:
    """The commit HEAD points at, or None for an empty repository (unborn branch).

    Raises:
        CorruptRepositoryError: HEAD names a commit whose object is missing or unreadable.
    """
    out = run_git(repo, "rev-parse", "--verify", "-q", "HEAD", check=False)
    sha = out.decode("ascii", "replace").strip()
    if not sha:
        return None
    proc = subprocess.run(
        git_command(repo, "cat-file", "-e", f"{sha}^{{commit}}"),
        capture_output=True,
        env=git_env(),
        check=False,
    )
    if proc.returncode != 0:
        raise CorruptRepositoryError(
            f"{repo}: HEAD points to {sha[:12]}, which git cannot read: {first_line(proc.stderr)}"
        )
    return sha


@dataclass(frozen=True, slots=True)
class _TreeEntry:
    path: str
    blob: str
    size: int | None
    mode: bytes = b"100644"


def _ls_tree(repo: Path, with_sizes: bool) -> list[_TreeEntry]:
    args = ["ls-tree", "-r", "-z", "--full-tree"] + (["-l"] if with_sizes else []) + ["HEAD"]
    out = run_git(repo, *args)
    entries: list[_TreeEntry] = []
    for item in out.split(b"\x00"):
        if not item:
            continue
        meta, _, path = item.partition(b"\t")
        parts = meta.split()
        if len(parts) < 3 or parts[1] != b"blob":
            continue  # submodules (commit) are not files of this repo
        size = int(parts[3]) if with_sizes and len(parts) > 3 and parts[3].isdigit() else None
        entries.append(_TreeEntry(_decode(path), parts[2].decode("ascii"), size, parts[0]))
    return entries


def _cat_blobs(repo: Path, blobs: list[str], limit: int) -> dict[str, bytes]:
    """Contents of ``blobs`` (each cut at ``limit`` bytes) with one ``cat-file --batch``."""
    if not blobs:
        return {}
    out = run_git(
        repo, "cat-file", "--batch", input_bytes="".join(b + "\n" for b in blobs).encode()
    )
    contents: dict[str, bytes] = {}
    pos = 0
    while pos < len(out):
        eol = out.index(b"\n", pos)
        header = out[pos:eol].split()
        pos = eol + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        contents[header[0].decode("ascii")] = out[pos : pos + min(size, limit)]
        pos += size + 1
    return contents


#: Tree modes of regular files; 120000 is a symlink, whose target the repository chooses.
_REGULAR_MODES = (b"100644", b"100755")


def _local_file(
    worktree: Path, root: Path, entry: _TreeEntry, folders: dict[str, bool]
) -> Path | None:
    """The checked-out file of ``entry``, or None when it is not a regular file inside the
    work tree. A committed symlink (or a crafted ``..`` path) could otherwise point the
    scanners at any file on the machine, such as ``/etc/passwd`` or a FIFO.

    ``root`` is the resolved work tree; ``folders`` caches, per folder of the repository,
    whether it really lies inside it, so each folder is resolved once (a repository has
    thousands of files in few folders)."""
    if entry.mode not in _REGULAR_MODES:
        return None
    local = worktree / entry.path
    try:
        if not stat.S_ISREG(local.lstat().st_mode):
            return None  # a symlink, FIFO, device or folder in place of the file
        folder = entry.path.rpartition("/")[0]
        inside = folders.get(folder)
        if inside is None:
            resolved = local.parent.resolve()
            inside = resolved == root or root in resolved.parents
            folders[folder] = inside
    except (OSError, ValueError):
        return None
    return local if inside else None


def _blob_head(repo: Path, blob: str, limit: int) -> bytes:
    """The first ``limit`` bytes of ``blob``, read from a stream that is then closed."""
    proc = subprocess.Popen(
        git_command(repo, "cat-file", "blob", blob),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=git_env(),
    )
    assert proc.stdout is not None
    try:
        head = proc.stdout.read(limit)
    finally:
        proc.stdout.close()
        proc.kill()
        proc.wait()
    return head


def _files_and_card(
    repo: Path, rid: RepoId, worktree: Path | None, partial: bool
) -> tuple[list[FileRecord], CardRecord | None, list[str]]:
    notes: list[str] = []
    entries = _ls_tree(repo, with_sizes=not partial)
    card_entry = next((e for e in entries if e.path in CARD_NAMES), None)
    wanted = (
        []
        if partial
        else [
            e.blob for e in entries if e.size is not None and _POINTER_MIN <= e.size <= _POINTER_MAX
        ]
    )
    card_size = card_entry.size if card_entry else None
    oversized_card = card_size is not None and card_size > MAX_CARD_BYTES
    if card_entry is not None and not partial and not oversized_card:
        wanted.append(card_entry.blob)
    contents = _cat_blobs(repo, sorted(set(wanted)), max(_POINTER_MAX, MAX_CARD_BYTES))
    if card_entry is not None and oversized_card:
        # Only the bounded head of a huge card is read, never the whole blob into memory.
        contents[card_entry.blob] = _blob_head(repo, card_entry.blob, MAX_CARD_BYTES)
    if partial:
        notes.append("blob-less clone: file sizes, LFS pointers and the card are not read")
    files: list[FileRecord] = []
    root = worktree.resolve() if worktree is not None else Path("/")
    folders: dict[str, bool] = {}
    for e in entries:
        pointer = (
            parse_lfs_pointer(contents.get(e.blob, b""))
            if e.size and e.size <= _POINTER_MAX
            else None
        )
        local = _local_file(worktree, root, e, folders) if worktree is not None else None
        files.append(
            FileRecord(
                repo_id=rid,
                path=e.path,
                size=e.size,
                blob_id=e.blob,
                lfs_sha256=pointer.sha256 if pointer else None,
                lfs_size=pointer.size if pointer else None,
                local_path=str(local) if local is not None else None,
            )
        )
    card = None
    if card_entry is not None and card_entry.blob in contents:
        raw = contents[card_entry.blob]
        if card_size is not None and card_size > MAX_CARD_BYTES:
            raw = raw + b"\x00"  # mark as longer than the bound so parse_card flags truncation
        card = parse_card(rid, card_entry.path, raw[: MAX_CARD_BYTES + 1])
    return files, card, notes


def mine_git_repo(
    path: Path,
    *,
    platform: Platform | None = None,
    name: str | None = None,
    source: str | None = None,
    progress: Progress | None = None,
) -> RepoSnapshot:
    """Mine a local git repository: history, files at HEAD, LFS pointers and model card.

    Args:
        path: a working-tree clone or a bare repository.
        platform: github or huggingface; detected from content when None.
        name: ``owner/name``; inferred from the remote URL or the folder when None.
        source: what to record as the source (defaults to the path).
        progress: told about each commit parsed.

    Returns:
        A ``RepoSnapshot`` ready for ``Store.write_snapshot``.

    Raises:
        SourceNotFoundError, NotARepositoryError, CorruptRepositoryError: bad input.
    """
    from ptmscope.sources.detect import infer_name

    progress = progress or NullProgress()
    repo, bare = open_repo(path.resolve())
    head = head_sha(repo)
    partial = is_partial_clone(repo)
    inferred = name or infer_name(repo, bare)
    # No work tree for bare repos, nor when pointed at the .git folder of a checkout.
    top = b"" if bare else run_git(repo, "rev-parse", "--show-toplevel", check=False).strip()
    worktree = Path(top.decode("utf-8", "replace")) if top else None
    head_facts: list[_HeadFacts] = []

    def identify() -> RepoId:
        # The platform (and so the repo id) is detected from the files at HEAD.
        if not head_facts:
            head_facts.append(_head_facts(repo, inferred, worktree, partial, platform, head))
        return head_facts[0].repo_id

    commits: list[CommitRecord] = []
    changes: list[CommitFileRecord] = []
    line_counts_known = True
    if head is None:
        identify()
        head_facts[0].notes.append("empty repository: no commits")
    else:
        progress.start(f"git log {inferred}")
        result = None if partial else _run_log(repo, identify, True, progress)
        if result is None:
            line_counts_known = False
            progress.start(f"git log (name-status) {inferred}")
            result = _run_log(repo, identify, False, progress)
            assert result is not None
            head_facts[0].notes.append(
                "line counts unknown: blobs are missing (history read with --raw only)"
            )
        progress.finish()
        commits, changes = result
        commits.reverse()  # git log lists newest first; records go oldest first everywhere
    facts = head_facts[0]
    rid, detected, files, card, notes = (
        facts.repo_id,
        facts.platform,
        facts.files,
        facts.card,
        facts.notes,
    )
    return RepoSnapshot(
        repo=RepoRecord(
            repo_id=rid,
            platform=detected,
            name=inferred,
            source=source or str(path),
            head=head,
            default_branch=_default_branch(repo),
            line_counts_known=line_counts_known,
            has_git_history=True,
            metadata={"bare": bare, "partial_clone": partial},
        ),
        commits=tuple(commits),
        commit_files=tuple(changes),
        files=tuple(files),
        card=card,
        notes=tuple(notes),
    )


@dataclass(slots=True)
class _HeadFacts:
    """What the files at HEAD tell: the platform, hence the repo id, plus files and card."""

    repo_id: RepoId
    platform: Platform
    files: list[FileRecord]
    card: CardRecord | None
    notes: list[str]


def _head_facts(
    repo: Path,
    name: str,
    worktree: Path | None,
    partial: bool,
    platform: Platform | None,
    head: str | None,
) -> _HeadFacts:
    from ptmscope.sources.detect import detect_platform

    files: list[FileRecord] = []
    card: CardRecord | None = None
    notes: list[str] = []
    provisional = RepoId(f"unknown:{name}")
    if head is not None:
        files, card, notes = _files_and_card(repo, provisional, worktree, partial)
    detected = platform or detect_platform([f.path for f in files], card, files)
    rid = RepoId(f"{detected.value}:{name}")
    return _HeadFacts(
        rid,
        detected,
        [replace(f, repo_id=rid) for f in files],
        None if card is None else replace(card, repo_id=rid),
        notes,
    )


def _default_branch(repo: Path) -> str | None:
    out = run_git(repo, "symbolic-ref", "-q", "--short", "HEAD", check=False)
    return out.decode("utf-8", "replace").strip() or None
