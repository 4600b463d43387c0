"""Progress bar and summary: on a terminal only, never in pipes or CI."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from reuse_lint import progress
from reuse_lint.cli import main
from reuse_lint.config import Config
from reuse_lint.model import Finding, Fix, Span
from reuse_lint.runner import CheckRun

FFN = """\
import torch.nn as nn

ffn = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 8))
"""


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def no_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


def test_interactive_only_on_a_terminal_outside_ci(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert progress.interactive(FakeTerminal())
    assert not progress.interactive(io.StringIO())

    monkeypatch.setenv("CI", "true")

    assert not progress.interactive(FakeTerminal())


def test_closed_streams_are_not_interactive() -> None:
    stream = open(__file__, encoding="utf-8")  # noqa: SIM115
    stream.close()

    assert not progress.interactive(stream)


def test_no_bar_for_small_runs_or_pipes() -> None:
    many = progress.PROGRESS_THRESHOLD + 1
    for total, stream in [(10, FakeTerminal()), (many, io.StringIO())]:
        with progress.progress_bar(total, stream) as advance:
            assert advance is None
        assert stream.getvalue() == ""


def test_bar_counts_files_on_a_terminal() -> None:
    stream = FakeTerminal()
    total = progress.PROGRESS_THRESHOLD + 1

    with progress.progress_bar(total, stream) as advance:
        assert advance is not None
        for _ in range(total):
            advance(1)

    assert "Checking" in stream.getvalue()
    assert f"{total}/{total}" in stream.getvalue()


def run_of(findings: list[Finding], baselined: int = 0) -> CheckRun:
    return CheckRun(
        Config(), [], findings, [], [], files=1234, seconds=1.5, baselined=baselined
    )


def finding(applicability: str | None) -> Finding:
    fix = None if applicability is None else Fix("Replace", applicability, "X()")
    return Finding("m.py", "RL101", "message", Span(1, 1, 1, 2), fix)


def test_summary_line_counts_files_findings_and_fixable() -> None:
    run = run_of([finding("safe"), finding("unsafe"), finding(None)], baselined=4)

    assert progress.summary_line(run) == (
        "Checked 1,234 files in 1.50s: 3 findings, 1 fixable with --fix, "
        "4 more in the baseline."
    )
    assert progress.summary_line(run_of([])) == (
        "Checked 1,234 files in 1.50s: no findings."
    )


def test_summary_is_written_on_a_terminal_only() -> None:
    terminal, pipe = FakeTerminal(), io.StringIO()

    progress.write_summary(run_of([]), terminal)
    progress.write_summary(run_of([]), pipe)

    assert terminal.getvalue().startswith("Checked 1,234 files")
    assert pipe.getvalue() == ""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "model.py").write_text(FFN)
    for index in range(4):
        (tmp_path / f"plain_{index}.py").write_text(f"x = {index}\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(progress, "PROGRESS_THRESHOLD", 3)
    return tmp_path


def check(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(sys, "argv", ["reuse-lint", "check", "--no-cache", "."])
    with pytest.raises(SystemExit) as done:
        main()
    return int(done.value.code or 0)


def test_check_on_a_terminal_shows_bar_and_summary(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)

    code = check(monkeypatch)

    out = capsys.readouterr().out
    shown = terminal.getvalue()
    assert code == 1
    assert out.startswith("model.py:3:7: RL101")
    assert "Checking" in shown
    assert "Checked 5 files in " in shown
    assert shown.rstrip().endswith("1 finding, 1 fixable with --fix.")


def test_fixing_several_files_on_a_terminal_shows_a_bar(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "second.py").write_text(FFN)
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(sys, "argv", ["reuse-lint", "fix", "--no-cache", "."])

    with pytest.raises(SystemExit):
        main()

    shown = terminal.getvalue()
    assert "Fixing" in shown
    assert "2/2" in shown
    assert "Fixed 2 chains." in shown
    assert "MLPBlock(" in (project / "second.py").read_text()


def test_check_in_a_pipe_adds_nothing_to_stderr(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = check(monkeypatch)

    out, err = capsys.readouterr()
    assert code == 1
    assert out.startswith("model.py:3:7: RL101")
    assert err == ""


def test_check_in_ci_adds_nothing_even_on_a_terminal(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setenv("CI", "1")

    check(monkeypatch)

    assert terminal.getvalue() == ""


def test_rich_is_not_imported_for_a_piped_run(project: Path) -> None:
    script = (
        "import sys\n"
        "from reuse_lint.cli import main\n"
        "sys.argv = ['reuse-lint', 'check', '--no-cache', '.']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('rich' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=project,
        check=False,
    )

    assert done.stdout.splitlines()[-1] == "False", done.stderr
