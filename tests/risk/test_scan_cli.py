"""`ptmscope scan` through Typer's CliRunner: exit codes, formats, -o, schemas."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from ptmscope.cli import app
from ptmscope.errors import OfflineError
from ptmscope.report.scan_json import load_schema

from . import samples as S

runner = CliRunner()
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


@pytest.fixture()
def files(write):
    return {
        "clean": write("clean/list.pkl", S.benign_list()),
        "evil": write("evil/m.pt", S.build_zip([S.Member("a/data.pkl", S.p2(S.call(
            S.glob("os", "system"), "id")), flags=1)])),
        "unknown": write("unknown/u.pkl", S.p2(S.call(S.glob("somepkg.mod", "Thing"), "x"))),
        "text": write("text/readme.md", b"# hello\n"),
    }


def invoke(*args: str):
    return runner.invoke(app, ["scan", "-q", *args])


def test_exit_codes(files, tmp_path):
    assert invoke(str(files["clean"])).exit_code == 0
    assert invoke(str(files["evil"])).exit_code == 1
    assert invoke(str(files["unknown"])).exit_code == 0
    assert invoke(str(files["unknown"]), "--fail-on", "medium").exit_code == 1
    assert invoke(str(files["text"])).exit_code == 2  # nothing scanned: fail closed
    assert invoke(str(tmp_path / "missing.bin"), "--db", str(tmp_path / "none.db")).exit_code \
        != 0


def test_table_is_default_and_names_the_construct(files):
    result = invoke(str(files["evil"]))
    assert "os.system" in result.output and "critical" in result.output
    assert "ZIP" not in result.output or "flag" in result.output


def test_json_output_matches_its_schema(files, tmp_path):
    out = tmp_path / "r.json"
    result = invoke(str(files["evil"]), str(files["clean"]), "--format", "json", "-o", str(out))
    assert result.exit_code == 1
    doc = json.loads(out.read_text())
    jsonschema.validate(doc, load_schema())
    assert doc["exit_code"] == 1
    evil = next(i for i in doc["issues"] if i["construct"] == "os.system")
    assert evil["member"] == "a/data.pkl" and evil["severity"] == "critical"


def test_sarif_output_is_valid_sarif_2_1_0(files, tmp_path):
    out = tmp_path / "r.sarif"
    result = invoke(str(files["evil"]), str(files["unknown"]), "--format", "sarif", "-o",
                    str(out))
    assert result.exit_code == 1
    log = json.loads(out.read_text())
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(log)
    run = log["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(rule_ids) == len(set(rule_ids)) and "PICKLE-GLOBAL-DANGEROUS" in rule_ids
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["PICKLE-GLOBAL-DANGEROUS"] == "error"
    assert levels["PICKLE-GLOBAL-UNKNOWN"] == "warning"
    for res in run["results"]:
        assert rule_ids[res["ruleIndex"]] == res["ruleId"]
    again = invoke(str(files["evil"]), str(files["unknown"]), "--format", "sarif")
    prints = [r["partialFingerprints"] for r in json.loads(again.output)["runs"][0]["results"]]
    assert prints == [r["partialFingerprints"] for r in run["results"]]  # stable


def test_sarif_marks_inconclusive_runs_unsuccessful(write):
    bad = write("deep.zip", S.build_zip([S.Member("x.pkl", b"\x80\x02" + b"\x8d" * 8)]))
    result = invoke(str(bad), "--format", "sarif")
    log = json.loads(result.output)
    inv = log["runs"][0]["invocations"][0]
    assert result.exit_code in (0, 1, 2)
    assert inv["executionSuccessful"] is (result.exit_code != 2)


def test_hf_target_offline_fails_with_one_line(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = invoke("hf://org/name")
    assert isinstance(result.exception, OfflineError)
    assert "\n" not in str(result.exception) and "hf://org/name" in str(result.exception)


def test_hostile_file_names_are_escaped_in_the_table(write):
    from ptmscope.commands.scan import render_table
    from ptmscope.records import Severity
    from ptmscope.risk.runner import scan_paths

    path = write("[bold red]x[/]\x1b[31m.pkl", S.p2(S.call(S.glob("os", "system"), "id")))
    text = render_table(scan_paths([path]), Severity.HIGH, width=400)
    assert "[bold red]x[/]" in text  # markup shown literally, not interpreted
    assert "\x1b" not in text  # control characters stripped
