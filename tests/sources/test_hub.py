"""Tests for ptmscope.sources.hub against a fake Hub behind huggingface_hub's own HTTP client.

``huggingface_hub`` sends every request through one shared ``httpx2.Client`` built by a
replaceable factory (``set_client_factory``). The fixture installs a client whose transport is
an ``httpx2.MockTransport`` serving realistic JSON for one model, so the real ``HfApi`` code
(URL building, pagination, error mapping, record parsing) runs without any network.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2
import pytest
from huggingface_hub import HfApi, set_client_factory
from huggingface_hub.utils._http import default_client_factory, hf_request_event_hook

from ptmscope.errors import OfflineError, RemoteError, SourceError
from ptmscope.records import (
    CommitRecord,
    CommitSha,
    FileRecord,
    Platform,
    RepoId,
    RepoRecord,
    RepoSnapshot,
)
from ptmscope.sources import card as card_module
from ptmscope.sources import hub
from ptmscope.sources.card import parse_card
from ptmscope.sources.hub import HubSpec, is_hub_spec, mine_hub_repo, parse_hub_spec
from ptmscope.store import Store

ENDPOINT = "https://huggingface.co"
NAME = "acme/tiny-bert"
RID = RepoId("huggingface:acme/tiny-bert")
HEAD = "3f1b2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"
OLD = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d"
MID = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807"
WEIGHTS_SHA256 = "5f" * 32
CARD = (
    b"---\nlicense: apache-2.0\ndatasets:\n- wikitext\npipeline_tag: fill-mask\n---\n"
    b"# tiny-bert\n\nA small BERT for tests.\n"
)

SECURITY_SAFE = {
    "status": "safe",
    "avScan": {"virusFound": False, "virusNames": None},
    "pickleImportScan": None,
}
SECURITY_UNSAFE = {
    "status": "unsafe",
    "avScan": {"virusFound": False, "virusNames": None},
    "pickleImportScan": {
        "highestSafetyLevel": "dangerous",
        "imports": [{"module": "os", "name": "system", "safety": "dangerous"}],
    },
}
REPO_SECURITY = {
    "scansDone": True,
    "filesWithIssues": [{"path": "pytorch_model.bin", "level": "unsafe"}],
}


def model_info_json() -> dict[str, Any]:
    """What /api/models/{id}?expand=... answers (only the asked fields, plus ids)."""
    return {
        "_id": "65a1b2c3d4e5f60718293a4b",
        "id": NAME,
        "author": "acme",
        "config": {"architectures": ["BertForMaskedLM"], "model_type": "bert"},
        "createdAt": "2023-05-01T10:00:00.000Z",
        "disabled": False,
        "downloads": 1234,
        "gated": False,
        "lastModified": "2024-02-19T11:06:12.000Z",
        "library_name": "transformers",
        "likes": 7,
        "pipeline_tag": "fill-mask",
        "private": False,
        "sha": HEAD,
        "tags": [
            "transformers",
            "pytorch",
            "safetensors",
            "bert",
            "fill-mask",
            "license:apache-2.0",
        ],
    }


def security_json() -> dict[str, Any]:
    """What /api/models/{id}/revision/{sha}?securityStatus=True answers (default fields too)."""
    return {**model_info_json(), "securityRepoStatus": REPO_SECURITY, "siblings": []}


def commits_pages() -> list[list[dict[str, Any]]]:
    """The commit listing, newest first, split over two pages (Link header pagination)."""
    return [
        [
            {
                "id": HEAD,
                "title": "Update README.md",
                "message": "",
                "date": "2024-02-19T11:06:12.000Z",
                "authors": [{"user": "alice", "avatar": "https://example.test/a.png"}],
            },
            {
                "id": MID,
                "title": "Upload folder using huggingface_hub",
                "message": "weights and tokenizer\n",
                "date": "2023-06-01T08:30:00.000Z",
                "authors": [{"user": "alice"}, {"user": "bob"}],
            },
        ],
        [
            {
                "id": OLD,
                "title": "initial commit",
                "message": "",
                "date": "2023-05-01T10:00:00.000Z",
                "authors": [],
            }
        ],
    ]


def tree_json() -> list[dict[str, Any]]:
    """The recursive, expanded tree listing (folders included, LFS and security per file)."""
    last = {"id": HEAD, "title": "Update README.md", "date": "2024-02-19T11:06:12.000Z"}
    return [
        {"type": "directory", "oid": "d" * 40, "size": 0, "path": "onnx", "lastCommit": last},
        {
            "type": "file",
            "oid": "1" * 40,
            "size": 570,
            "path": "config.json",
            "lastCommit": last,
            "securityFileStatus": SECURITY_SAFE,
        },
        {
            "type": "file",
            "oid": "2" * 40,
            "size": len(CARD),
            "path": "README.md",
            "lastCommit": last,
            "securityFileStatus": SECURITY_SAFE,
        },
        {
            "type": "file",
            "oid": "3" * 40,
            "size": 17_555_000,
            "path": "pytorch_model.bin",
            "lfs": {"oid": WEIGHTS_SHA256, "size": 17_555_000, "pointerSize": 135},
            "xetHash": "ab" * 32,
            "lastCommit": last,
            "securityFileStatus": SECURITY_UNSAFE,
        },
        {
            "type": "file",
            "oid": "4" * 40,
            "size": 1_024,
            "path": "onnx/model.onnx",
            "lastCommit": last,
        },
    ]


@dataclass
class FakeHub:
    """Routes the Hub's API paths to canned answers and records every request made."""

    card: bytes | None = CARD
    requests: list[httpx2.Request] = field(default_factory=list)
    #: path -> a response to return instead of the canned one (errors).
    overrides: dict[str, httpx2.Response] = field(default_factory=dict)
    #: when set, every request raises it (network failure).
    failure: Exception | None = None

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        """The MockTransport handler."""
        self.requests.append(request)
        if self.failure is not None:
            raise self.failure
        path = request.url.path
        if path in self.overrides:
            return self.overrides[path]
        base = f"/api/models/{NAME}"
        # Like the Hub, model info is case-insensitive and answers with the canonical id.
        if path.lower() in (base, f"{base}/revision/v1.0"):
            return httpx2.Response(200, json=model_info_json())
        if path == f"{base}/revision/{HEAD}" and request.url.params.get("securityStatus"):
            return httpx2.Response(200, json=security_json())
        if path == f"{base}/refs":
            return httpx2.Response(
                200,
                json={
                    "branches": [
                        {"name": "dev", "ref": "refs/heads/dev", "targetCommit": MID},
                        {"name": "main", "ref": "refs/heads/main", "targetCommit": HEAD},
                    ],
                    "converts": [],
                    "tags": [{"name": "v1.0", "ref": "refs/tags/v1.0", "targetCommit": HEAD}],
                },
            )
        if path == f"{base}/commits/{HEAD}":
            pages = commits_pages()
            if request.url.params.get("p") == "1":
                return httpx2.Response(200, json=pages[1])
            link = f'<{ENDPOINT}{base}/commits/{HEAD}?p=1>; rel="next"'
            return httpx2.Response(200, json=pages[0], headers={"Link": link})
        if path == f"{base}/tree/{HEAD}":
            return httpx2.Response(200, json=tree_json())
        if path == f"/{NAME}/resolve/{HEAD}/README.md" and self.card is not None:
            return httpx2.Response(200, content=self.card)
        return httpx2.Response(
            404, json={"error": "Entry not found"}, headers={"X-Error-Code": "EntryNotFound"}
        )

    def paths(self) -> list[str]:
        """The model's paths requested, in order.

        huggingface_hub 2.x also fetches, at most daily, an "agent harness" registry for its
        user-agent telemetry; that request is not ptmscope's, so it is left out.
        """
        return [
            request.url.path
            for request in self.requests
            if request.url.path != "/api/agent-harnesses"
        ]


@pytest.fixture
def fake_hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeHub]:
    """Install a FakeHub as the transport of huggingface_hub's shared client."""
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_OFFLINE", False)
    # Keep huggingface_hub's telemetry cache file out of the user's HF_HOME.
    monkeypatch.setattr(
        "huggingface_hub.constants.AGENT_HARNESSES_PATH", str(tmp_path / "agent_harnesses.json")
    )
    fake = FakeHub()

    def factory() -> httpx2.Client:
        # Same hooks as huggingface_hub's default client, so offline mode is enforced too.
        return httpx2.Client(
            transport=httpx2.MockTransport(fake.handle),
            event_hooks={"request": [hf_request_event_hook]},
            follow_redirects=True,
        )

    set_client_factory(factory)
    try:
        yield fake
    finally:
        set_client_factory(default_client_factory)


@pytest.fixture
def api() -> HfApi:
    """A client that never reads a token from the machine running the tests."""
    return HfApi(endpoint=ENDPOINT, token=False)


def expected_snapshot(source: str = f"hf://{NAME}") -> RepoSnapshot:
    """The snapshot the fake Hub must produce, written out in full."""

    def commit(sha: str, authors: str, when: datetime, message: str) -> CommitRecord:
        return CommitRecord(
            repo_id=RID,
            sha=CommitSha(sha),
            author_name=authors,
            author_email="",
            authored_at=when,
            committer_name=authors,
            committer_email="",
            committed_at=when,
            message=message,
            parents=(),
        )

    safe = {
        "safe": True,
        "status": "safe",
        "av_scan": SECURITY_SAFE["avScan"],
        "pickle_import_scan": None,
    }
    return RepoSnapshot(
        repo=RepoRecord(
            repo_id=RID,
            platform=Platform.HUGGINGFACE,
            name=NAME,
            source=source,
            head=HEAD,
            default_branch="main",
            line_counts_known=False,
            has_git_history=True,
            metadata={
                "author": "acme",
                "downloads": 1234,
                "likes": 7,
                "pipeline_tag": "fill-mask",
                "library_name": "transformers",
                "created_at": "2023-05-01T10:00:00+00:00",
                "last_modified": "2024-02-19T11:06:12+00:00",
                "gated": False,
                "private": False,
                "disabled": False,
                "tags": model_info_json()["tags"],
                "config": {"architectures": ["BertForMaskedLM"], "model_type": "bert"},
                "security": REPO_SECURITY,
                "revision": None,
            },
        ),
        commits=(
            commit(OLD, "", datetime(2023, 5, 1, 10, 0, tzinfo=UTC), "initial commit"),
            commit(
                MID,
                "alice, bob",
                datetime(2023, 6, 1, 8, 30, tzinfo=UTC),
                "Upload folder using huggingface_hub\n\nweights and tokenizer",
            ),
            commit(HEAD, "alice", datetime(2024, 2, 19, 11, 6, 12, tzinfo=UTC), "Update README.md"),
        ),
        commit_files=(),
        files=(
            FileRecord(RID, "README.md", size=len(CARD), blob_id="2" * 40, security=safe),
            FileRecord(RID, "config.json", size=570, blob_id="1" * 40, security=safe),
            FileRecord(RID, "onnx/model.onnx", size=1_024, blob_id="4" * 40),
            FileRecord(
                RID,
                "pytorch_model.bin",
                size=135,
                blob_id="3" * 40,
                lfs_sha256=WEIGHTS_SHA256,
                lfs_size=17_555_000,
                security={
                    "safe": False,
                    "status": "unsafe",
                    "av_scan": SECURITY_UNSAFE["avScan"],
                    "pickle_import_scan": SECURITY_UNSAFE["pickleImportScan"],
                },
            ),
        ),
        card=parse_card(RID, "README.md", CARD),
        notes=("commit files unknown: the Hub lists commits without the files they touch",),
    )


# --- happy paths ---------------------------------------------------------------------------


def test_mines_metadata_history_files_and_card_into_the_exact_snapshot(
    fake_hub: FakeHub, api: HfApi
) -> None:
    snapshot = mine_hub_repo(f"hf://{NAME}", api=api)

    assert snapshot == expected_snapshot()
    assert snapshot.card is not None and snapshot.card.metadata == {
        "license": "apache-2.0",
        "datasets": ["wikitext"],
        "pipeline_tag": "fill-mask",
    }
    # Everything after model_info is read at the resolved sha, and the commits' 2nd page too.
    assert fake_hub.paths() == [
        f"/api/models/{NAME}",
        f"/api/models/{NAME}/revision/{HEAD}",
        f"/api/models/{NAME}/refs",
        f"/api/models/{NAME}/commits/{HEAD}",
        f"/api/models/{NAME}/commits/{HEAD}",
        f"/api/models/{NAME}/tree/{HEAD}",
        f"/{NAME}/resolve/{HEAD}/README.md",
    ]
    first = next(r for r in fake_hub.requests if r.url.path == f"/api/models/{NAME}").url.params
    assert sorted(first.get_list("expand")) == sorted(hub.MODEL_INFO_EXPAND)
    tree = next(r for r in fake_hub.requests if "/tree/" in r.url.path).url.params
    assert (tree["recursive"], tree["expand"]) == ("true", "true")


def test_snapshot_metadata_is_json_serialisable(fake_hub: FakeHub, api: HfApi) -> None:
    snapshot = mine_hub_repo(f"hf://{NAME}", api=api)

    assert json.loads(json.dumps(snapshot.repo.metadata)) == snapshot.repo.metadata


def test_the_snapshot_round_trips_through_the_store(
    fake_hub: FakeHub, api: HfApi, tmp_path: Path
) -> None:
    snapshot = mine_hub_repo(f"hf://{NAME}", api=api)

    with Store(tmp_path / "ptmscope.duckdb") as store:
        store.write_snapshot(snapshot)
        assert store.get_repo(RID) == snapshot.repo
        assert list(store.commits(RID)) == list(snapshot.commits)
        assert list(store.files(RID)) == list(snapshot.files)
        assert store.card(RID) == snapshot.card


def test_a_revision_is_asked_for_and_recorded(fake_hub: FakeHub, api: HfApi) -> None:
    snapshot = mine_hub_repo(f"hf://{NAME}@v1.0", api=api)

    assert fake_hub.paths()[0] == f"/api/models/{NAME}/revision/v1.0"
    assert snapshot.repo.head == HEAD
    assert snapshot.repo.source == f"hf://{NAME}@v1.0"
    assert snapshot.repo.metadata["revision"] == "v1.0"


def test_the_hubs_canonical_id_is_used_and_the_typed_one_kept(
    fake_hub: FakeHub, api: HfApi
) -> None:
    snapshot = mine_hub_repo("hf://ACME/Tiny-Bert", api=api)

    assert snapshot.repo.repo_id == RID
    assert snapshot.repo.metadata["requested_as"] == "ACME/Tiny-Bert"
    assert all(f"/{NAME}/" in path or path.endswith(NAME) for path in fake_hub.paths()[1:])


def test_a_repo_without_readme_has_no_card_and_says_so(fake_hub: FakeHub, api: HfApi) -> None:
    fake_hub.overrides[f"/api/models/{NAME}/tree/{HEAD}"] = httpx2.Response(
        200, json=[entry for entry in tree_json() if entry["path"] != "README.md"]
    )

    snapshot = mine_hub_repo(f"hf://{NAME}", api=api)

    assert snapshot.card is None
    assert "no README.md at this revision" in snapshot.notes
    assert not any("resolve" in path for path in fake_hub.paths())


def test_an_oversized_card_is_read_bounded_and_flagged_truncated(
    fake_hub: FakeHub, api: HfApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hub, "MAX_CARD_BYTES", 64)
    monkeypatch.setattr(card_module, "MAX_CARD_BYTES", 64)
    fake_hub.card = CARD + b"x" * 10_000

    snapshot = mine_hub_repo(f"hf://{NAME}", api=api)

    assert snapshot.card is not None
    assert snapshot.card.truncated
    assert len(snapshot.card.raw_text) == 64


def test_progress_is_told_each_phase(fake_hub: FakeHub, api: HfApi) -> None:
    events: list[tuple[str, Any]] = []

    class Recorder:
        def start(self, task: str, total: int | None = None) -> None:
            events.append(("start", total))

        def advance(self, amount: int = 1, note: str = "") -> None:
            events.append(("advance", note))

        def finish(self) -> None:
            events.append(("finish", None))

    mine_hub_repo(f"hf://{NAME}", api=api, progress=Recorder())

    assert events[0] == ("start", 5)
    assert [kind for kind, _ in events].count("advance") == 5
    assert ("advance", "3 commits") in events
    assert events[-1] == ("finish", None)


# --- offline and remote errors -------------------------------------------------------------


def assert_one_line_naming_the_repo(err: pytest.ExceptionInfo[Exception]) -> None:
    message = str(err.value)
    assert "\n" not in message
    assert NAME in message


def test_hf_hub_offline_fails_before_any_request(
    fake_hub: FakeHub, api: HfApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")

    with pytest.raises(OfflineError) as err:
        mine_hub_repo(f"hf://{NAME}", api=api)

    assert_one_line_naming_the_repo(err)
    assert "offline" in str(err.value)
    assert err.value.hint
    assert fake_hub.paths() == []


def test_offline_mode_seen_by_huggingface_hub_itself_is_an_offline_error(
    fake_hub: FakeHub, api: HfApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    # huggingface_hub reads HF_HUB_OFFLINE at import; its request hook then refuses to send.
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_OFFLINE", True)
    monkeypatch.setattr(hub, "_offline_mode", lambda: False)

    with pytest.raises(OfflineError) as err:
        mine_hub_repo(f"hf://{NAME}", api=api)

    assert_one_line_naming_the_repo(err)


@pytest.mark.parametrize(
    "failure",
    [
        httpx2.ConnectError("[Errno -3] Temporary failure in name resolution"),
        httpx2.ConnectTimeout("timed out"),
    ],
    ids=["no-network", "connect-timeout"],
)
def test_a_network_failure_is_an_offline_error(
    fake_hub: FakeHub, api: HfApi, failure: Exception
) -> None:
    fake_hub.failure = failure

    with pytest.raises(OfflineError) as err:
        mine_hub_repo(f"hf://{NAME}", api=api)

    assert_one_line_naming_the_repo(err)
    assert "cannot reach the Hugging Face Hub" in str(err.value)


@dataclass(frozen=True)
class HttpCase:
    status: int
    headers: dict[str, str]
    says: str
    hint_says: str


@pytest.mark.parametrize(
    "case",
    [
        HttpCase(404, {"X-Error-Code": "RepoNotFound"}, "was not found", "Check the spelling"),
        HttpCase(401, {}, "was not found", "private or gated"),
        HttpCase(403, {"X-Error-Code": "GatedRepo"}, "is gated", "Accept its conditions"),
        HttpCase(401, {"X-Error-Code": "GatedRepo"}, "is gated", "hf auth login"),
        HttpCase(404, {"X-Error-Code": "RevisionNotFound"}, "revision", "drop '@revision'"),
        HttpCase(
            403,
            {"X-Error-Message": "Access to this resource is disabled."},
            "disabled",
            "another model",
        ),
        HttpCase(403, {}, "HTTP 403", "token"),
        HttpCase(429, {}, "HTTP 429", "rate limited"),
        HttpCase(500, {}, "HTTP 500", "Retry later"),
    ],
    ids=[
        "missing repo is not found",
        "401 without token reads as not found or private",
        "gated repo (403) says how to get access",
        "gated repo (401) says to log in",
        "missing revision says to drop it",
        "disabled repo",
        "forbidden",
        "rate limited",
        "server error",
    ],
)
def test_an_http_error_on_model_info_is_a_remote_error_naming_the_repo(
    fake_hub: FakeHub, api: HfApi, case: HttpCase
) -> None:
    fake_hub.overrides[f"/api/models/{NAME}"] = httpx2.Response(
        case.status, json={"error": "nope"}, headers=case.headers
    )

    with pytest.raises(RemoteError) as err:
        mine_hub_repo(f"hf://{NAME}", api=api)

    assert_one_line_naming_the_repo(err)
    assert case.says in str(err.value)
    assert case.hint_says in err.value.hint


@pytest.mark.parametrize(
    ("status", "headers"),
    [(403, {"X-Error-Code": "GatedRepo"}), (401, {})],
    ids=["gated", "unauthorised"],
)
def test_a_refused_card_download_keeps_the_snapshot_and_notes_why(
    fake_hub: FakeHub, api: HfApi, status: int, headers: dict[str, str]
) -> None:
    fake_hub.overrides[f"/{NAME}/resolve/{HEAD}/README.md"] = httpx2.Response(
        status, json={"error": "Access restricted"}, headers=headers
    )

    snapshot = mine_hub_repo(f"hf://{NAME}", api=api)

    assert snapshot.card is None
    assert snapshot.files == expected_snapshot().files
    assert any(note.startswith("README.md not readable:") for note in snapshot.notes)


def test_a_server_error_on_the_card_still_fails(fake_hub: FakeHub, api: HfApi) -> None:
    fake_hub.overrides[f"/{NAME}/resolve/{HEAD}/README.md"] = httpx2.Response(500, text="oops")

    with pytest.raises(RemoteError, match="model card"):
        mine_hub_repo(f"hf://{NAME}", api=api)


def test_a_malformed_tree_answer_is_a_remote_error_not_a_key_error(
    fake_hub: FakeHub, api: HfApi
) -> None:
    fake_hub.overrides[f"/api/models/{NAME}/tree/{HEAD}"] = httpx2.Response(
        200, json=[{"type": "file", "path": "x.bin"}]
    )

    with pytest.raises(RemoteError, match="unexpected answer") as err:
        mine_hub_repo(f"hf://{NAME}", api=api)

    assert_one_line_naming_the_repo(err)


# --- spec parsing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("hf://acme/tiny-bert", HubSpec("acme/tiny-bert")),
        ("hf://acme/tiny-bert/", HubSpec("acme/tiny-bert")),
        (
            "hf://google-bert/bert-base-uncased@main",
            HubSpec("google-bert/bert-base-uncased", "main"),
        ),
        ("hf://Org_1/model.v2@refs/pr/3", HubSpec("Org_1/model.v2", "refs/pr/3")),
        (f"hf://a/b@{HEAD}", HubSpec("a/b", HEAD)),
    ],
)
def test_valid_specs_parse(spec: str, expected: HubSpec) -> None:
    assert is_hub_spec(spec)
    assert parse_hub_spec(spec) == expected


@pytest.mark.parametrize(
    "spec",
    [
        "hf://",
        "hf://just-a-name",
        "hf://a/b/c",
        "hf://-a/b",
        "hf://a/b-",
        "hf://a--b/c",
        "hf://a/b..c",
        "hf://a b/c",
        "hf://a/b@",
        "hf://a/b@../../etc",
        "hf://a/b@-x",
        "hf://a/b@main branch",
        "hf://ä/b",
        "https://huggingface.co/a/b",
        "hf://a/b?x=1",
    ],
)
def test_malformed_specs_are_source_errors(spec: str) -> None:
    with pytest.raises(SourceError) as err:
        parse_hub_spec(spec)

    assert type(err.value) is SourceError
    assert "\n" not in str(err.value)


def test_a_malformed_spec_is_rejected_before_any_request(fake_hub: FakeHub, api: HfApi) -> None:
    with pytest.raises(SourceError):
        mine_hub_repo("hf://not a repo", api=api)

    assert fake_hub.paths() == []
