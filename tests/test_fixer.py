"""Fixing files from the command line: which fixes, diffs, and file safety.

A fix rewrites only the replaced calls and the import lines: everything else
keeps its bytes (encoding, BOM, newlines), the file keeps its permissions,
and a write that fails leaves the original and no temporary file behind.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reuse_lint import fixer, sources
from reuse_lint.cli import cli

IMPORT = "from reuse_lint.components import MLPBlock"
SAFE_AND_UNSAFE = """\
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, d: int, p: float) -> None:
        super().__init__()
        self.ffn = nn.Sequential(
            nn.Linear(d, 4 * d),
            nn.ReLU(),
            nn.Dropout(p),
            nn.Linear(4 * d, d),
        )
        self.wide = nn.Sequential(
            nn.Linear(d, int(d * 4)),
            nn.GELU(),
            nn.Linear(int(d * 4), d),
        )
"""
SAFE_FIXED = """\
        self.ffn = MLPBlock(
            input_dim=d,
            hidden_dim=4 * d,
            dropout=p,
            output_dropout=None,
            activation="relu"
        )
"""
UNSAFE_FIXED = """\
        self.wide = MLPBlock(
            input_dim=d,
            hidden_dim=int(d * 4),
            activation="gelu"
        )
"""


def invoke(*args: str) -> Result:
    """Run the CLI in-process (without the cache), as ``reuse-lint ARGS``."""
    return CliRunner().invoke(cli, [args[0], "--no-cache", *args[1:]])


@pytest.fixture
def model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "model.py"
    path.write_text(SAFE_AND_UNSAFE)
    return path


# Which fixes are applied


def test_fix_applies_safe_fixes_only(model: Path) -> None:
    result = invoke("check", "--fix", str(model))

    text = model.read_text()
    assert SAFE_FIXED in text
    assert "nn.Linear(int(d * 4), d)" in text
    assert result.exit_code == 1
    assert result.stdout.count("RL101") == 1
    assert "Fixed 1 chain." in result.stderr


def test_unsafe_fixes_apply_the_unsafe_fix_too(model: Path) -> None:
    result = invoke("check", "--fix", "--unsafe-fixes", str(model))

    text = model.read_text()
    assert SAFE_FIXED in text and UNSAFE_FIXED in text
    assert text.count(IMPORT) == 1
    assert "import torch.nn as nn" in text
    assert (result.exit_code, result.stdout) == (0, "")
    assert "Fixed 2 chains." in result.stderr


def test_fix_command_is_check_fix(model: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.py"
    other.write_text(SAFE_AND_UNSAFE)

    by_fix = invoke("fix", str(model))
    by_check = invoke("check", "--fix", str(other))

    assert model.read_bytes() == other.read_bytes()
    assert by_fix.exit_code == by_check.exit_code == 1
    assert by_fix.stdout.replace("model.py", "other.py") == by_check.stdout


def test_second_fix_changes_nothing(model: Path) -> None:
    invoke("check", "--fix", "--unsafe-fixes", str(model))
    once = model.read_bytes()
    mtime = model.stat().st_mtime_ns

    result = invoke("check", "--fix", "--unsafe-fixes", str(model))

    assert model.read_bytes() == once
    assert model.stat().st_mtime_ns == mtime
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


# --diff


def test_diff_prints_a_unified_diff_and_writes_nothing(model: Path) -> None:
    result = invoke("check", "--diff", "--unsafe-fixes", str(model))

    assert model.read_text() == SAFE_AND_UNSAFE
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:2] == ["--- a/model.py", "+++ b/model.py"]
    assert lines[2].startswith("@@ ")
    assert f"+{IMPORT}" in lines
    assert "-        self.wide = nn.Sequential(" in lines
    assert "Fixed" not in result.stderr


def test_diff_without_changes_exits_zero(model: Path) -> None:
    invoke("check", "--fix", "--unsafe-fixes", str(model))

    result = invoke("check", "--diff", str(model))

    assert (result.exit_code, result.stdout) == (0, "")


def test_diff_leaves_out_unsafe_fixes_without_the_flag(model: Path) -> None:
    result = invoke("check", "--diff", str(model))

    assert result.exit_code == 1
    assert "-        self.ffn = nn.Sequential(" in result.stdout
    assert "-        self.wide" not in result.stdout


# Bytes, encodings and newlines

CHAIN = (
    "    return nn.Sequential(  # größe\n"
    "        nn.Linear(d, 2 * d),\n"
    "        nn.ReLU(),\n"
    "        nn.Linear(2 * d, d),\n"
    "    )\n"
)
BODY = (
    '"""Café."""\n'
    "import torch.nn as nn\n"
    "\n"
    "\n"
    "def build(d: int) -> nn.Module:\n"
    '    """Naïve."""\n' + CHAIN + "\n"
    "\n"
    "NAME = 'crème'  # trailing\n"
)


def fix_bytes(tmp_path: Path, data: bytes) -> bytes:
    path = tmp_path / "enc.py"
    path.write_bytes(data)

    result = invoke("check", "--fix", str(path))

    assert result.exit_code == 0, result.stderr
    return path.read_bytes()


def assert_same_outside_the_chain(
    before: bytes, after: bytes, import_newline: bytes
) -> None:
    """Only the chain changed, and one import line was added."""
    head, rest = before.split(b"    return nn.Sequential(", 1)
    closing = re.search(rb"\n    \)(\r\n|\n)", rest)
    assert closing is not None
    tail = rest[closing.end() :]
    added = IMPORT.encode() + import_newline

    assert after.count(added) == 1
    assert after.endswith(tail)
    assert after.replace(added, b"", 1).startswith(head)


def test_latin_1_file_with_coding_cookie_keeps_its_encoding(tmp_path: Path) -> None:
    before = ("# -*- coding: latin-1 -*-\n" + BODY).encode("latin-1")

    after = fix_bytes(tmp_path, before)

    for word in ("Café", "Naïve", "# größe", "crème"):
        assert word.encode("latin-1") in after
    assert "é".encode() not in after
    assert_same_outside_the_chain(before, after, b"\n")


def test_utf_8_bom_is_kept(tmp_path: Path) -> None:
    before = codecs.BOM_UTF8 + BODY.encode()

    after = fix_bytes(tmp_path, before)

    assert after.startswith(codecs.BOM_UTF8)
    assert not after[3:].startswith(codecs.BOM_UTF8)
    assert_same_outside_the_chain(before, after, b"\n")


def test_crlf_file_stays_crlf(tmp_path: Path) -> None:
    before = BODY.replace("\n", "\r\n").encode()

    after = fix_bytes(tmp_path, before)

    assert b"MLPBlock(  # gr\xc3\xb6\xc3\x9fe\r\n" in after
    assert re.search(rb"[^\r]\n", after) is None
    assert_same_outside_the_chain(before, after, b"\r\n")


def test_mixed_newlines_are_kept_outside_the_rewritten_call(tmp_path: Path) -> None:
    lines = BODY.splitlines(keepends=True)
    mixed = "".join(
        line.replace("\n", "\r\n") if index % 2 else line
        for index, line in enumerate(lines)
    )
    before = mixed.encode()

    after = fix_bytes(tmp_path, before)

    assert b"\r\n" in after and re.search(rb"[^\r]\n", after)
    assert_same_outside_the_chain(before, after, b"\n")


def test_permissions_are_kept(model: Path) -> None:
    model.chmod(0o640)

    invoke("check", "--fix", str(model))

    assert IMPORT in model.read_text()
    assert stat.S_IMODE(model.stat().st_mode) == 0o640


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="only root may give a file to another owner",
)
def test_owner_and_group_are_kept(model: Path) -> None:
    os.chown(model, 1234, 5678)

    invoke("check", "--fix", str(model))

    assert IMPORT in model.read_text()
    assert (model.stat().st_uid, model.stat().st_gid) == (1234, 5678)


def test_write_goes_through_a_temporary_file_in_the_same_directory(
    model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renames: list[tuple[Path, Path]] = []
    real_replace = os.replace

    def recording_replace(source: str, target: Path) -> None:
        renames.append((Path(source), Path(target)))
        real_replace(source, target)

    monkeypatch.setattr(sources.os, "replace", recording_replace)
    invoke("check", "--fix", str(model))

    [(temporary, target)] = renames
    assert target == model.resolve()
    assert temporary.parent == model.resolve().parent
    assert not temporary.exists()


# Files that must not be written


def test_read_only_file_is_reported_and_left_alone(model: Path) -> None:
    model.chmod(0o444)

    result = invoke("check", "--fix", str(model))

    assert result.exit_code == 2
    assert result.stderr == "error: model.py: not fixed: file is read-only\n"
    assert model.read_text() == SAFE_AND_UNSAFE


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_failed_write_keeps_the_original_and_leaves_no_temporary_file(
    model: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    def no_space(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(sources.os, failing, no_space)
    before = sorted(model.parent.iterdir())

    result = invoke("check", "--fix", str(model))

    assert result.exit_code == 2
    assert "not fixed: cannot write: No space left on device" in result.stderr
    assert model.read_text() == SAFE_AND_UNSAFE
    assert sorted(model.parent.iterdir()) == before


def test_result_that_would_not_parse_is_not_written(
    model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(text: str, chains: list[object], component: str) -> tuple[str, list]:
        return text.replace("nn.Sequential(", "nn.Sequential((", 1), chains

    monkeypatch.setattr(fixer, "apply_fixes", broken)

    result = invoke("check", "--fix", str(model))

    assert result.exit_code == 2
    assert "not fixed: the result would not parse" in result.stderr
    assert model.read_text() == SAFE_AND_UNSAFE


def test_name_clash_with_the_component_is_reported(model: Path) -> None:
    text = SAFE_AND_UNSAFE + "\n\nMLPBlock = None\n"
    model.write_text(text)

    result = invoke("check", "--fix", str(model))

    assert result.exit_code == 2
    assert "not fixed: `MLPBlock` is already defined or assigned" in result.stderr
    assert model.read_text() == text


def test_symlink_to_a_file_outside_the_tree_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text(SAFE_AND_UNSAFE)
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "link.py").symlink_to(outside)

    result = invoke("check", "--fix", str(tree))

    assert result.exit_code == 2
    assert "symlink points outside the checked tree" in result.stderr
    assert outside.read_text() == SAFE_AND_UNSAFE


def test_every_error_is_one_line(model: Path) -> None:
    model.chmod(0o444)

    result = invoke("check", "--fix", str(model))

    assert "Traceback" not in result.stderr
    assert all(line.startswith("error: ") for line in result.stderr.splitlines())


# Configured component


def test_configured_component_is_imported_from_its_module(
    model: Path, tmp_path: Path
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.reuse-lint]\ncomponent = "mypkg.nn.blocks:MLPBlock"\n'
    )

    invoke("check", "--fix", str(tmp_path))

    text = model.read_text()
    assert "from mypkg.nn.blocks import MLPBlock\n" in text
    assert "reuse_lint" not in text
    assert SAFE_FIXED in text
