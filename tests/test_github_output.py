"""GitHub Actions workflow commands: format and escaping."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from reuse_lint.cli import main
from reuse_lint.model import Finding, Span
from reuse_lint.output.github import (
    annotation,
    escape_data,
    escape_property,
    write_github,
)

MODEL = """\
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, d, p):
        super().__init__()
        self.ffn = nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Linear(4 * d, d))
        self.head = nn.Sequential(nn.Linear(d, 64), nn.GELU(), nn.Linear(64, 10))
"""


def finding(path: str = "pkg/model.py", message: str = "Hand-written block") -> Finding:
    return Finding(
        path=path,
        code="RL101",
        message=message,
        span=Span(7, 20, 9, 10),
        fix=None,
    )


def test_annotation_carries_place_and_code() -> None:
    assert annotation(finding()) == (
        "::warning file=pkg/model.py,line=7,col=20,endLine=9,endColumn=10,"
        "title=RL101::Hand-written block"
    )


def test_data_escapes_percent_and_line_breaks() -> None:
    assert escape_data("50% a:b,c\r\nd") == "50%25 a:b,c%0D%0Ad"


def test_properties_also_escape_colon_and_comma() -> None:
    assert escape_property("C:/x,y%\n") == "C%3A/x%2Cy%25%0A"


def test_escaping_applies_to_paths_and_messages() -> None:
    line = annotation(finding("odd,name:1.py", "two\nlines 100%"))

    assert "file=odd%2Cname%3A1.py," in line
    assert line.endswith("::two%0Alines 100%25")
    assert "\n" not in line


def test_failed_files_become_error_commands() -> None:
    stream = io.StringIO()

    write_github([finding()], stream, [("bad.py", "contains a NUL byte")])

    assert stream.getvalue().splitlines() == [
        "::error file=bad.py::contains a NUL byte",
        annotation(finding()),
    ]


def test_check_prints_one_command_per_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "model.py").write_text(MODEL)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(
        sys, "argv", ["reuse-lint", "check", "--no-cache", "--output-format", "github"]
    )

    with pytest.raises(SystemExit) as done:
        main()

    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert done.value.code == 1
    assert err == ""
    assert [line.split("::")[1].split(",")[:3] for line in lines] == [
        ["warning file=model.py", "line=7", "col=20"],
        ["warning file=model.py", "line=8", "col=21"],
    ]
    assert [line.split("title=")[1].split("::")[0] for line in lines] == [
        "RL101",
        "RL102",
    ]
