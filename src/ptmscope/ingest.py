"""Ingest sources into the store: resolve each source, mine it, merge it with one writer.

Each source is an independent unit of work (``mine_source``) returning a ``RepoSnapshot``;
``ingest`` is the single writer that merges snapshots into the store, one transaction per
repository. That is what makes ingest idempotent (a repository whose HEAD is unchanged is
skipped; a changed one is replaced whole) and resumable (kill it at any moment: every
repository is either fully stored or not at all, and the next run completes the rest). The
same ``mine_source`` units can later be fanned out to a distributed engine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ptmscope.errors import PtmscopeError, SourceNotFoundError, UsageError
from ptmscope.progress import NullProgress, Progress
from ptmscope.records import Platform, RepoSnapshot
from ptmscope.sources.manifest import LocalMember, is_manifest, read_manifest
from ptmscope.store import Store


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One thing to mine: a local path, ``hf://org/name[@rev]`` or a GitHub URL.

    Attributes:
        text: what the user (or a manifest) gave.
        platform: forced platform, or None to detect from content.
        name: forced ``owner/name``, or None to infer.
    """

    text: str
    platform: Platform | None = None
    name: str | None = None

    @property
    def kind(self) -> str:
        """``hub``, ``github`` or ``local``."""
        if self.text.startswith("hf://"):
            return "hub"
        if self.text.startswith(("https://github.com/", "http://github.com/")):
            return "github"
        return "local"


@dataclass(frozen=True, slots=True)
class IngestItem:
    """What happened to one source: stored, unchanged, or failed (with the reason)."""

    source: str
    status: str
    repo_id: str | None = None
    message: str = ""
    commits: int = 0
    files: int = 0
    notes: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


@dataclass(slots=True)
class IngestReport:
    """The outcome of one ``ingest`` call."""

    run_id: int
    items: list[IngestItem] = field(default_factory=list)
    families: int = 0

    @property
    def failed(self) -> list[IngestItem]:
        """Items that could not be ingested."""
        return [i for i in self.items if i.status == "failed"]

    @property
    def with_problems(self) -> list[IngestItem]:
        """Items stored with a problem in their input (e.g. a card with broken YAML)."""
        return [i for i in self.items if i.problems]


def default_cache_dir() -> Path:
    """Where remote clones are cached (``PTMSCOPE_CACHE`` or ``~/.cache/ptmscope``)."""
    return Path(os.environ.get("PTMSCOPE_CACHE", Path.home() / ".cache" / "ptmscope"))


def mine_source(
    spec: SourceSpec, *, cache_dir: Path | None = None, progress: Progress | None = None
) -> RepoSnapshot:
    """Mine one source into a snapshot (no store access: a pure unit of work).

    Raises:
        SourceError (and subclasses): the source cannot be read; the message names it.
    """
    progress = progress or NullProgress()
    if spec.kind == "hub":
        from ptmscope.sources.hub import mine_hub_repo

        return mine_hub_repo(spec.text, progress=progress)
    from ptmscope.sources.git import mine_git_repo

    if spec.kind == "github":
        from ptmscope.sources.github_remote import mine_github_remote

        return mine_github_remote(spec.text, cache_dir or default_cache_dir(), progress=progress)
    path = Path(spec.text).expanduser()
    if not path.exists():
        raise SourceNotFoundError(f"{spec.text}: no such file or folder")
    if _is_git_top(path):
        return mine_git_repo(
            path,
            platform=spec.platform,
            name=spec.name,
            source=str(path.resolve()),
            progress=progress,
        )
    from ptmscope.sources.folder import mine_folder

    return mine_folder(path, platform=spec.platform, name=spec.name, source=str(path.resolve()))


def _is_git_top(path: Path) -> bool:
    """A working tree top (has .git) or a bare repository (HEAD + objects + refs)."""
    if not path.is_dir():
        return False
    if (path / ".git").exists():
        return True
    return (path / "HEAD").is_file() and (path / "objects").is_dir() and (path / "refs").is_dir()


def _unchanged(store: Store, spec: SourceSpec) -> str | None:
    """The repo id when ``spec`` is a local git repo already stored at the same HEAD."""
    if spec.kind != "local":
        return None
    path = Path(spec.text).expanduser()
    if not _is_git_top(path):
        return None
    from ptmscope.sources.git import head_sha, open_repo

    try:
        open_repo(path.resolve())  # bounded in time: a hostile config could block git forever
        head = head_sha(path.resolve())
    except PtmscopeError:
        return None
    if head is None:
        return None
    rows = store.query(
        "SELECT repo_id FROM repos WHERE source = ? AND head = ?", [str(path.resolve()), head]
    )
    return str(rows[0][0]) if rows else None


def expand_sources(
    texts: list[str], platform: Platform | None, name: str | None
) -> tuple[list[SourceSpec], list[Path]]:
    """Split user arguments into repository specs and manifest files."""
    if name is not None and len(texts) != 1:
        raise UsageError("--name can only be used with a single source")
    specs: list[SourceSpec] = []
    manifests: list[Path] = []
    for text in texts:
        if not text.strip():
            raise UsageError("an empty source was given")
        if os.fsencode(text).decode("utf-8", "replace") != text:
            # The store holds UTF-8 only; such a path could be mined but never stored.
            raise UsageError(
                f"{os.fsencode(text).decode('utf-8', 'replace')}: the path is not valid UTF-8",
                hint="Rename the folder (or link to it from a UTF-8 name) and ingest that.",
            )
        path = Path(text).expanduser()
        if not text.startswith(("hf://", "http://", "https://")) and is_manifest(path):
            manifests.append(path)
        elif text.startswith(("http://", "https://")) and "github.com/" not in text:
            raise UsageError(
                f"{text}: only https://github.com/owner/repo URLs are supported; "
                "use hf://org/name for the Hugging Face Hub"
            )
        else:
            specs.append(SourceSpec(text, platform, name))
    return specs, manifests


def ingest(
    store: Store,
    texts: list[str],
    *,
    platform: Platform | None = None,
    name: str | None = None,
    force: bool = False,
    with_members: bool = False,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest sources (paths, ``hf://`` ids, GitHub URLs, manifests) into ``store``.

    Args:
        store: the store to merge into.
        texts: the sources as the user typed them.
        platform: force the platform of local repositories.
        name: force the ``owner/name`` (single source only).
        force: re-mine repositories even when their HEAD is already stored.
        with_members: for manifests, also mine every member repository online
            (``hf://`` and GitHub URLs); local clones a YAML manifest names are always mined.
        cache_dir: where GitHub clones are cached.
        progress: progress sink.

    Returns:
        An ``IngestReport``; failed sources are items with status ``failed`` (never partial
        writes).
    """
    progress = progress or NullProgress()
    specs, manifests = expand_sources(texts, platform, name)
    _close_interrupted_runs(store)
    run_id = store.start_run("ingest", texts)
    report = IngestReport(run_id)
    for manifest_path in manifests:
        try:
            manifest = read_manifest(manifest_path)
        except PtmscopeError as err:
            report.items.append(IngestItem(str(manifest_path), "failed", message=str(err)))
            store.record_item(run_id, str(manifest_path), None, "failed", str(err))
            continue
        report.families += store.write_families(manifest.families)
        report.items.append(
            IngestItem(str(manifest_path), "stored", message=f"{len(manifest.families)} families")
        )
        specs += [_member_spec(m) for m in manifest.local_members]
        if with_members:
            for fam in manifest.families:
                if fam.upstream_repo_id:
                    specs.append(SourceSpec("https://github.com/" + fam.upstream_repo_id[7:]))
                specs += [SourceSpec(f"hf://{v}") for v in fam.variants]
    progress.start("ingesting", total=len(specs))
    for spec in specs:
        report.items.append(_ingest_one(store, spec, run_id, force, cache_dir))
        progress.advance(1, spec.text)
    progress.finish()
    store.finish_run(run_id, "failed" if report.failed else "done")
    return report


def _member_spec(member: LocalMember) -> SourceSpec:
    return SourceSpec(str(member.path), member.platform, member.name)


def _ingest_one(
    store: Store, spec: SourceSpec, run_id: int, force: bool, cache_dir: Path | None
) -> IngestItem:
    if not force and (stored := _unchanged(store, spec)) is not None:
        store.record_item(run_id, spec.text, stored, "unchanged")
        return IngestItem(spec.text, "unchanged", stored, "already stored at this HEAD")
    try:
        snap = mine_source(spec, cache_dir=cache_dir)
    except PtmscopeError as err:
        store.record_item(run_id, spec.text, None, "failed", str(err))
        return IngestItem(spec.text, "failed", message=str(err))
    notes = snap.notes + _replacement_notes(store, snap)
    store.write_snapshot(snap, run_id)
    problems = input_problems(snap)
    store.record_item(run_id, spec.text, snap.repo.repo_id, "stored", "; ".join(notes + problems))
    return IngestItem(
        spec.text,
        "stored",
        snap.repo.repo_id,
        commits=len(snap.commits),
        files=len(snap.files),
        notes=notes,
        problems=problems,
    )


def _replacement_notes(store: Store, snap: RepoSnapshot) -> tuple[str, ...]:
    """Say so when the snapshot replaces a repository stored from another source: ids come
    from ``owner/name``, so two clones at ``a/org/model`` and ``b/org/model`` share one."""
    rows = store.query("SELECT source FROM repos WHERE repo_id = ?", [snap.repo.repo_id])
    if not rows or rows[0][0] == snap.repo.source:
        return ()
    return (
        f"replaces {snap.repo.repo_id} stored from {rows[0][0]}; "
        "pass --name owner/name to keep both",
    )


def input_problems(snap: RepoSnapshot) -> tuple[str, ...]:
    """Problems in a mined repository's input worth telling the user. The repository is
    stored anyway, because the analyses report on exactly these problems."""
    card = snap.card
    if card is not None and card.parse_error:
        return (f"{card.path}: {card.parse_error}",)
    return ()


def _close_interrupted_runs(store: Store) -> None:
    """Runs left 'running' by a killed process are marked 'interrupted'."""
    for row in store.query("SELECT run_id FROM runs WHERE status = 'running'"):
        store.finish_run(int(row[0]), "interrupted")
