"""The check command as users drive it: output shapes, options, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from reuse_lint.cli import cli

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
FFN_FILE = """import torch.nn as nn


class Block(nn.Module):
    def __init__(self, d, p):
        super().__init__()
        self.ffn = nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Dropout(p), nn.Linear(4 * d, d))
        self.head = nn.Sequential(nn.Linear(d, 64), nn.GELU(), nn.Linear(64, 10))
        self.gate = nn.Sequential(nn.Linear(d, 1), nn.Sigmoid())
"""


def run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    """Run the CLI in a subprocess, the way a user or a hook does."""
    done = subprocess.run(
        [sys.executable, "-m", "reuse_lint", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "model.py").write_text(FFN_FILE)
    (tmp_path / "clean.py").write_text("x = 1\n")
    return tmp_path


def test_findings_are_path_line_column_code_message(project: Path) -> None:
    code, out, err = run("check", "--no-cache", ".", cwd=project)

    assert code == 1, err
    lines = out.splitlines()
    assert [line.split(" ")[:2] for line in lines] == [
        ["model.py:7:20:", "RL101"],
        ["model.py:8:21:", "RL102"],
    ]
    assert "\x1b[" not in out


def test_clean_tree_exits_zero(project: Path) -> None:
    (project / "model.py").unlink()
    assert run("check", "--no-cache", ".", cwd=project)[:2] == (0, "")


def test_json_has_ruffs_shape(project: Path) -> None:
    code, out, _ = run(
        "check", "--no-cache", "--output-format", "json", ".", cwd=project
    )

    assert code == 1
    (first, second) = json.loads(out)
    assert set(first) == {
        "cell",
        "code",
        "message",
        "filename",
        "location",
        "end_location",
        "fix",
        "noqa_row",
        "url",
    }
    assert first["filename"] == str(project / "model.py")
    assert first["cell"] is None
    assert first["location"] == {"row": 7, "column": 20}
    assert first["end_location"]["row"] == 7
    assert first["fix"]["applicability"] == "safe"
    assert first["fix"]["edits"][0]["content"].startswith("MLPBlock(")
    assert second["code"] == "RL102"


def test_select_ignore_and_exit_zero(project: Path) -> None:
    assert (
        run("check", "--no-cache", "--select", "RL102", ".", cwd=project)[1].count(
            "RL10"
        )
        == 1
    )
    code, out, _ = run("check", "--no-cache", "--ignore", "RL1", ".", cwd=project)
    assert (code, out) == (0, "")
    assert run("check", "--no-cache", "--exit-zero", ".", cwd=project)[0] == 0


def test_statistics_counts_per_code(project: Path) -> None:
    _, out, _ = run("check", "--no-cache", "--statistics", ".", cwd=project)
    rows = [line.split("\t") for line in out.splitlines()]
    assert sorted((r[0].strip(), r[1]) for r in rows) == [
        ("1", "RL101"),
        ("1", "RL102"),
    ]


def test_unknown_code_on_the_command_line_is_a_usage_error(project: Path) -> None:
    code, _out, err = run("check", "--select", "XY999", ".", cwd=project)
    assert code == 2
    assert err.strip() == "error: --select: unknown rule code `XY999`"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[tool.reuse-lint]\nselekt = ['RL101']\n", "unknown key `selekt`"),
        ("[tool.reuse-lint]\nignore = ['RL999']\n", "unknown rule code `RL999`"),
        ("[tool.reuse-lint]\nselect = 'RL101'\n", "must be a list of strings"),
        ("[tool.reuse-lint\n", "invalid TOML"),
        ("tool = 'x'\n", "`tool` must be a table"),
        *(
            (f"[tool.reuse-lint]\ncomponent = '{bad}'\n", "`component` must be")
            for bad in (
                "pkg:",
                ":MLPBlock",
                "pkg:1bad",
                "pkg.mod:A.B",
                ".rel:X",
                "a:class",
            )
        ),
    ],
)
def test_broken_config_is_one_line_and_exit_two(
    project: Path, toml: str, message: str
) -> None:
    (project / "pyproject.toml").write_text(toml)
    code, _, err = run("check", ".", cwd=project)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_config_select_exclude_and_per_file_ignores(project: Path) -> None:
    (project / "sub").mkdir()
    (project / "sub" / "other.py").write_text(FFN_FILE)
    (project / "skip").mkdir()
    (project / "skip" / "x.py").write_text(FFN_FILE)
    (project / "pyproject.toml").write_text(
        "[tool.reuse-lint]\nselect = ['RL101']\nextend-exclude = ['skip']\n"
        "per-file-ignores = { 'sub/*' = ['RL101'] }\n"
    )
    _, out, _ = run("check", "--no-cache", ".", cwd=project)
    assert [line.split(":")[0] for line in out.splitlines()] == ["model.py"]


def test_config_patterns_are_anchored_at_the_pyproject_directory(
    project: Path,
) -> None:
    (project / "src" / "gen").mkdir(parents=True)
    (project / "src" / "gen" / "x.py").write_text(FFN_FILE)
    (project / "src" / "other").mkdir()
    (project / "src" / "other" / "y.py").write_text(FFN_FILE)
    (project / "pyproject.toml").write_text(
        "[tool.reuse-lint]\nexclude = ['src/gen']\n"
        "per-file-ignores = { 'src/other/*' = ['RL1'] }\n"
    )
    for cwd, path in ((project, "src"), (project / "src", ".")):
        code, out, err = run("check", "--no-cache", path, cwd=cwd)
        assert (code, out, err) == (0, "", ""), (cwd, path)

    _, out, _ = run("check", "--no-cache", "..", cwd=project / "src")
    assert {line.split(":")[0] for line in out.splitlines()} == {"../model.py"}


def test_gitignore_is_respected_but_explicit_files_are_checked(project: Path) -> None:
    (project / ".gitignore").write_text("model.py\n")
    assert run("check", "--no-cache", ".", cwd=project)[0] == 0
    assert run("check", "--no-cache", "model.py", cwd=project)[0] == 1


def test_noqa_silences_the_finding(project: Path) -> None:
    text = FFN_FILE.replace(
        "nn.Dropout(p), nn.Linear(4 * d, d))",
        "nn.Dropout(p), nn.Linear(4 * d, d))  # noqa: RL101",
    )
    (project / "model.py").write_text(
        text.replace("nn.Linear(64, 10))", "nn.Linear(64, 10))  # noqa")
    )
    assert run("check", "--no-cache", ".", cwd=project)[:2] == (0, "")


def test_duplicates_are_named_with_their_other_locations(project: Path) -> None:
    (project / "second.py").write_text(FFN_FILE)
    _, out, _ = run("check", "--no-cache", "--select", "RL101", ".", cwd=project)
    model, second = sorted(out.splitlines())
    assert "2 identical copies, also at second.py:7" in model
    assert "2 identical copies, also at model.py:7" in second


def test_every_other_copy_is_named(project: Path) -> None:
    for index in range(4):
        (project / f"copy_{index}.py").write_text(FFN_FILE)
    _, out, _ = run("check", "--no-cache", "--select", "RL101", ".", cwd=project)
    first = out.splitlines()[0]
    assert first.startswith("copy_0.py:7:")
    assert first.endswith(
        "5 identical copies, also at copy_1.py:7, copy_2.py:7, copy_3.py:7, model.py:7"
    )


def test_missing_path_is_reported_and_others_still_checked(project: Path) -> None:
    code, out, err = run("check", "--no-cache", "nope.py", "model.py", cwd=project)
    assert code == 2
    assert "error: nope.py: No such file or directory" in err
    assert "RL101" in out


def _as_unprivileged_user() -> list[str]:
    """A command prefix under which file permissions apply (root ignores them)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions do not apply")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


def test_unreadable_paths_on_the_command_line_do_not_stop_the_run() -> None:
    prefix = _as_unprivileged_user()
    with tempfile.TemporaryDirectory() as name:
        root = Path(name)
        root.chmod(0o755)
        (root / "model.py").write_text(FFN_FILE)
        (root / "locked.py").write_text(FFN_FILE)
        (root / "closed").mkdir()
        for path in (root / "model.py", root / "locked.py"):
            path.chmod(0o644)
        (root / "locked.py").chmod(0)
        (root / "closed").chmod(0)

        command = [sys.executable, "-m", "reuse_lint", "check", "--no-cache"]
        done = subprocess.run(
            [*prefix, *command, "model.py", "locked.py", "closed"],
            capture_output=True,
            text=True,
            cwd=root,
            check=False,
        )

    assert done.returncode == 2, done.stderr
    assert [line.split(":")[0] for line in done.stdout.splitlines()] == ["model.py"] * 2
    errors = done.stderr.splitlines()
    assert "error: locked.py: cannot read: Permission denied" in errors
    assert "error: closed: Permission denied" in errors
    assert "Traceback" not in done.stderr


def test_fixtures_give_exactly_the_expected_lines() -> None:
    code, out, _ = run("check", "--no-cache", "--output-format", "json", str(FIXTURES))
    got = sorted(
        (Path(f["filename"]).resolve(), f["location"]["row"], f["code"])
        for f in json.loads(out)
    )
    want = sorted(
        (
            path.with_name(path.name.replace(".expected.json", ".py")).resolve(),
            finding["line"],
            finding["code"],
        )
        for path in FIXTURES.rglob("*.expected.json")
        for finding in json.loads(path.read_text())["findings"]
    )
    assert code == 1
    assert got == want


def test_check_never_imports_torch(project: Path) -> None:
    script = (
        "import sys\nfrom reuse_lint.cli import cli\n"
        f"try:\n    cli.main(['check', '--no-cache', {str(project)!r}, {str(FIXTURES)!r}])\n"
        "except SystemExit:\n    pass\n"
        "print('torch' in sys.modules, 'reuse_lint.components' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "False False"


def test_python_dash_m_and_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("reuse-lint, version")


def test_rule_prints_its_document() -> None:
    result = CliRunner().invoke(cli, ["rule", "rl101"])
    assert result.exit_code == 0
    assert result.output.startswith("# RL101")


def test_unknown_rule_document_is_exit_two() -> None:
    code, _, err = run("rule", "RL999")
    assert code == 2 and "unknown rule code `RL999`" in err


def test_color_only_when_asked(project: Path) -> None:
    _, out, _ = run("check", "--no-cache", "--color", "always", ".", cwd=project)
    assert "\x1b[" in out
