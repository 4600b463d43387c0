"""Baselines: fingerprints that survive moved lines, counted copies, errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from reuse_lint.baseline import (
    VERSION,
    baseline_path,
    fingerprint,
    load_baseline,
    occurrences,
)
from reuse_lint.cli import main
from reuse_lint.errors import UsageError
from reuse_lint.model import FileAnalysis, Finding, Span

FFN = """\
        self.{name} = nn.Sequential(
            nn.Linear(d, 4 * d),
            nn.ReLU(),
            nn.Dropout(p),
            nn.Linear(4 * d, d),
        )
"""
HEAD = """\
        self.head = nn.Sequential(nn.Linear(d, 64), nn.GELU(), nn.Linear(64, 10))
"""


def module(*bodies: str, preamble: str = "") -> str:
    """A model file whose ``__init__`` holds the given statements."""
    return (
        f"{preamble}import torch.nn as nn\n\n\n"
        "class Block(nn.Module):\n"
        "    def __init__(self, d, p):\n"
        "        super().__init__()\n" + "".join(bodies)
    )


def reuse_lint(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    """Run the command line in this process; return its exit code."""
    monkeypatch.setattr(sys, "argv", ["reuse-lint", *args])
    with pytest.raises(SystemExit) as done:
        main()
    return int(done.value.code or 0)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "model.py").write_text(
        module(FFN.format(name="a"), FFN.format(name="b"))
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_baseline(monkeypatch: pytest.MonkeyPatch, *paths: str) -> None:
    code = reuse_lint(
        monkeypatch, "check", "--no-cache", "--write-baseline", "base.json", *paths
    )
    assert code == 0


def check_against_baseline(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[str], str]:
    capsys.readouterr()
    code = reuse_lint(monkeypatch, "check", "--no-cache", "--baseline", "base.json")
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_write_baseline_records_counted_entries_and_exits_zero(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_baseline(monkeypatch, ".")

    out, err = capsys.readouterr()
    document = json.loads((project / "base.json").read_text())
    assert out == ""
    assert "Recorded 2 findings in base.json" in err
    assert document["version"] == VERSION
    [entry] = document["findings"]
    assert entry["path"] == "model.py"
    assert entry["code"] == "RL101"
    assert entry["owner"] == "Block.__init__"
    assert entry["count"] == 2


def test_unchanged_tree_passes(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_baseline(monkeypatch, ".")

    assert check_against_baseline(monkeypatch, capsys)[:2] == (0, [])


def test_fingerprints_survive_shifted_lines(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_baseline(monkeypatch, ".")
    moved = module(
        "        self.scale = 2\n\n",
        FFN.format(name="a"),
        "        # a comment between the copies\n",
        FFN.format(name="b"),
        preamble='"""Docstring."""\n\nimport os\nimport sys\n\n',
    )
    (project / "model.py").write_text(moved)

    assert check_against_baseline(monkeypatch, capsys)[:2] == (0, [])


def test_an_extra_identical_copy_is_the_one_new_finding(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_baseline(monkeypatch, ".")
    copies = [FFN.format(name=name) for name in ("a", "b", "c")]
    (project / "model.py").write_text(module(*copies))

    code, lines, _ = check_against_baseline(monkeypatch, capsys)

    assert code == 1
    assert len(lines) == 1
    assert lines[0].startswith("model.py:19:")


def test_a_new_kind_of_finding_is_reported(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_baseline(monkeypatch, ".")
    (project / "model.py").write_text(
        module(HEAD, FFN.format(name="a"), FFN.format(name="b"))
    )

    code, lines, _ = check_against_baseline(monkeypatch, capsys)

    assert code == 1
    assert [line.split(" ")[:2] for line in lines] == [["model.py:7:21:", "RL102"]]


def test_fewer_findings_than_recorded_pass(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_baseline(monkeypatch, ".")
    (project / "model.py").write_text(module(FFN.format(name="a")))

    assert check_against_baseline(monkeypatch, capsys)[:2] == (0, [])


def test_the_same_copy_in_another_file_is_new(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_baseline(monkeypatch, ".")
    (project / "other.py").write_text((project / "model.py").read_text())

    code, lines, _ = check_against_baseline(monkeypatch, capsys)

    assert code == 1
    assert [line.split(":")[0] for line in lines] == ["other.py", "other.py"]


def test_baseline_paths_do_not_depend_on_the_working_directory(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "ci").mkdir()
    code = reuse_lint(
        monkeypatch, "check", "--no-cache", "--write-baseline", "ci/base.json", "."
    )
    assert code == 0
    assert "../model.py" in (project / "ci" / "base.json").read_text()
    monkeypatch.chdir(project / "ci")

    code = reuse_lint(
        monkeypatch, "check", "--no-cache", "--baseline", "base.json", ".."
    )

    assert code == 0
    assert capsys.readouterr().out == ""


def test_summary_counts_findings_hidden_by_the_baseline(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reuse_lint.runner import CheckSettings, execute

    write_baseline(monkeypatch, ".")
    (project / "model.py").write_text(module(HEAD, FFN.format(name="a")))

    run = execute(
        CheckSettings(paths=[Path(".")], cache=False, baseline=Path("base.json"))
    )

    assert [f.code for f in run.findings] == ["RL102"]
    assert run.baselined == 1


BAD_BASELINES = {
    "not-json": ("{", "is not valid JSON"),
    "not-a-baseline": ("[1, 2]", "is not a reuse-lint baseline"),
    "other-version": ('{"version": 99, "findings": []}', "has version 99"),
    "no-findings": ('{"version": 1}', "has no list of findings"),
    "bad-entry": (
        '{"version": 1, "findings": [{"path": "a.py", "count": 1}]}',
        "has a malformed entry",
    ),
    "zero-count": (
        '{"version": 1, "findings": [{"path": "a.py", "fingerprint": "f", '
        '"count": 0}]}',
        "has a malformed entry",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_BASELINES))
def test_an_unusable_baseline_is_a_one_line_error(
    name: str,
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    text, expected = BAD_BASELINES[name]
    (project / "base.json").write_text(text)

    code, lines, err = check_against_baseline(monkeypatch, capsys)

    assert code == 2
    assert lines == []
    assert err.startswith("error: baseline base.json ")
    assert expected in err
    assert err.count("\n") == 1


def test_a_missing_baseline_is_a_one_line_error(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, err = check_against_baseline(monkeypatch, capsys)

    assert code == 2
    assert lines == []
    assert err == ("error: cannot read baseline base.json: No such file or directory\n")


def test_baseline_and_write_baseline_together_are_refused(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_baseline(monkeypatch, ".")

    code = reuse_lint(
        monkeypatch,
        "check",
        "--baseline",
        "base.json",
        "--write-baseline",
        "other.json",
    )

    assert code == 2
    assert "cannot be used together" in capsys.readouterr().err
    assert not (project / "other.json").exists()


def test_load_baseline_sums_repeated_entries(tmp_path: Path) -> None:
    path = tmp_path / "base.json"
    entry = {"path": "a.py", "code": "RL101", "fingerprint": "f", "count": 2}
    path.write_text(json.dumps({"version": 1, "findings": [entry, entry]}))

    assert load_baseline(path) == {("a.py", "f"): 4}


def test_load_baseline_error_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read baseline"):
        load_baseline(tmp_path / "absent.json")


def finding(line: int, structure: str = "Linear|ReLU|Linear") -> Finding:
    return Finding(
        path="m.py",
        code="RL101",
        message=f"message mentioning line {line}",
        span=Span(line, 5, line + 3, 6),
        fix=None,
        structure=structure,
    )


def test_fingerprint_ignores_place_and_message() -> None:
    analyses = [FileAnalysis("m.py")]

    [(early, _)] = occurrences([finding(3)], analyses)
    [(late, _)] = occurrences([finding(300)], analyses)

    assert early == late == fingerprint("RL101", "Linear|ReLU|Linear", "")
    assert fingerprint("RL101", "a", "X.__init__") != fingerprint("RL101", "a", "Y")
    assert fingerprint("RL101", "a", "X") != fingerprint("RL102", "a", "X")


def test_occurrences_rank_identical_findings_in_line_order() -> None:
    findings = [finding(20), finding(10), finding(15, structure="other")]

    ranks = occurrences(findings, [FileAnalysis("m.py")])

    assert [rank for _, rank in ranks] == [1, 0, 0]


def test_baseline_path_is_relative_to_the_baseline_folder(tmp_path: Path) -> None:
    assert baseline_path(str(tmp_path / "src" / "m.py"), tmp_path) == "src/m.py"
    assert baseline_path(str(tmp_path / "m.py"), tmp_path / "ci") == "../m.py"
