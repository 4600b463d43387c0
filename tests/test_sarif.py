"""SARIF output: schema-valid, with rule metadata, regions, fingerprints, fixes."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from reuse_lint.cli import main
from reuse_lint.errors import UsageError
from reuse_lint.output import sarif
from reuse_lint.rules import ALL_RULES

SCHEMA = Path(__file__).resolve().parents[2] / "shared/schemas/sarif-schema-2.1.0.json"
MODEL = """\
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, d, p):
        super().__init__()
        self.ffn = nn.Sequential(
            nn.Linear(d, 4 * d), nn.ReLU(), nn.Dropout(p), nn.Linear(4 * d, d)
        )
        self.héad = nn.Sequential(nn.Linear(d, 64), nn.GELU(), nn.Linear(64, 10))
        self.gate = nn.Sequential(nn.Linear(d, 1), nn.Sigmoid())
"""


def reuse_lint(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["reuse-lint", *args])
    with pytest.raises(SystemExit) as done:
        main()
    return int(done.value.code or 0)


@pytest.fixture
def log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> dict[str, Any]:
    """The SARIF log of a small project with two findings and a broken file."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "model file.py").write_text(MODEL, encoding="utf-8")
    (tmp_path / "broken.py").write_bytes(b"nn.Sequential(\x00)\n")
    monkeypatch.chdir(tmp_path)

    code = reuse_lint(monkeypatch, "check", "--no-cache", "--output-format", "sarif")

    assert code == 2  # the broken file is an error
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    return document


def test_log_validates_against_the_sarif_schema(log: dict[str, Any]) -> None:
    if not SCHEMA.is_file():
        pytest.skip(f"SARIF schema not found at {SCHEMA}")
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(log))

    assert errors == []
    assert log["version"] == "2.1.0"


def test_driver_describes_the_tool_and_every_rule(log: dict[str, Any]) -> None:
    driver = log["runs"][0]["tool"]["driver"]

    assert driver["name"] == "reuse-lint"
    assert driver["version"]
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == [r.code for r in ALL_RULES]
    for descriptor, rule in zip(driver["rules"], ALL_RULES, strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"]
        assert descriptor["help"]["text"]
        assert descriptor["defaultConfiguration"]["level"] == "warning"


def test_help_is_the_rule_document_when_there_is_one() -> None:
    from reuse_lint.rule_docs import read_rule_doc

    for rule in ALL_RULES:
        try:
            document = read_rule_doc(rule.code)
        except UsageError:
            continue
        descriptor = sarif.rule_descriptor(rule)
        assert descriptor["help"]["markdown"] == document
        assert descriptor["fullDescription"]["text"] in document


def test_rules_without_a_document_fall_back_to_their_summary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def missing(code: str) -> str:
        raise UsageError(f"the document of {code} is missing")

    monkeypatch.setattr("reuse_lint.rule_docs.read_rule_doc", missing)
    rule = ALL_RULES[0]

    descriptor = sarif.rule_descriptor(rule)

    assert descriptor["fullDescription"]["text"] == rule.summary
    assert descriptor["help"]["text"] == rule.summary


def test_section_reads_the_text_under_a_heading() -> None:
    document = "# RL1 x\n\n## What it does\n\nFlags things.\n\n## Why it matters\n\nB\n"

    assert sarif._section(document, "what it does") == "Flags things."
    assert sarif._section(document, "example") is None


def test_results_point_at_the_chain_with_relative_uris(
    log: dict[str, Any], tmp_path: Path
) -> None:
    run = log["runs"][0]
    source = (tmp_path / "pkg" / "model file.py").read_text().splitlines()

    assert [r["ruleId"] for r in run["results"]] == ["RL101", "RL102"]
    assert run["columnKind"] == "unicodeCodePoints"
    for result in run["results"]:
        [location] = result["locations"]
        physical = location["physicalLocation"]
        assert result["level"] == "warning"
        assert result["message"]["text"].startswith("Hand-written")
        assert physical["artifactLocation"] == {
            "uri": "pkg/model%20file.py",
            "uriBaseId": "%SRCROOT%",
        }
        text = region_text(source, physical["region"])
        assert text.startswith("nn.Sequential(")
        assert text.endswith(")")


def region_text(lines: list[str], region: dict[str, int]) -> str:
    """The source a SARIF region covers (end column is exclusive)."""
    first, last = region["startLine"] - 1, region["endLine"] - 1
    if first == last:
        return lines[first][region["startColumn"] - 1 : region["endColumn"] - 1]
    return "\n".join(
        [
            lines[first][region["startColumn"] - 1 :],
            *lines[first + 1 : last],
            lines[last][: region["endColumn"] - 1],
        ]
    )


def test_results_carry_their_fix(log: dict[str, Any]) -> None:
    for result in log["runs"][0]["results"]:
        [fix] = result["fixes"]
        [change] = fix["artifactChanges"]
        [replacement] = change["replacements"]
        assert fix["description"]["text"] == "Replace with MLPBlock"
        assert fix["properties"]["applicability"] == "safe"
        assert change["artifactLocation"]["uri"] == "pkg/model%20file.py"
        assert (
            replacement["deletedRegion"]
            == (result["locations"][0]["physicalLocation"]["region"])
        )
        assert replacement["insertedContent"]["text"].startswith("MLPBlock(")


def test_failed_files_become_error_notifications(log: dict[str, Any]) -> None:
    [invocation] = log["runs"][0]["invocations"]
    [notification] = invocation["toolExecutionNotifications"]

    assert invocation["executionSuccessful"] is False
    assert notification["level"] == "error"
    location = notification["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "broken.py"


def test_partial_fingerprints_survive_moved_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "model.py"
    model.write_text(MODEL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def fingerprints() -> list[dict[str, str]]:
        capsys.readouterr()
        reuse_lint(monkeypatch, "check", "--no-cache", "--output-format", "sarif")
        results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
        return [r["partialFingerprints"] for r in results]

    before = fingerprints()
    model.write_text("import os\nimport sys\n\n" + MODEL, encoding="utf-8")
    after = fingerprints()

    assert before == after
    assert len({fp[sarif.FINGERPRINT_KEY] for fp in before}) == 2


def test_absolute_paths_become_file_uris(tmp_path: Path) -> None:
    artifact = sarif._artifact(str(tmp_path / "m.py"))

    assert artifact == {"uri": (tmp_path / "m.py").as_uri()}
