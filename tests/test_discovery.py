"""Which files a run covers, and what it says about paths it cannot walk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reuse_lint import discovery
from reuse_lint.discovery import discover


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")


def found(root: Path, *paths: str, exclude: tuple[str, ...] = ()) -> list[str]:
    result = discover([root / p for p in paths or ("",)], list(exclude))
    return [f.relative_to(root).as_posix() for f in result.files]


def test_python_files_in_a_stable_order(tmp_path: Path) -> None:
    touch(tmp_path, "b.py", "a.py", "notes.txt", "pkg/c.py", "pkg/sub/d.py")
    assert found(tmp_path) == ["a.py", "b.py", "pkg/c.py", "pkg/sub/d.py"]


def test_default_excludes_gitignore_and_configured_excludes(tmp_path: Path) -> None:
    touch(tmp_path, "keep.py", ".venv/x.py", "build/y.py", "gen/z.py", "skip/w.py")
    touch(tmp_path, "pkg/local.py", "pkg/kept.py")
    (tmp_path / ".gitignore").write_text("gen/\n")
    (tmp_path / "pkg" / ".gitignore").write_text("local.py\n")

    assert found(tmp_path, exclude=("skip",)) == ["keep.py", "pkg/kept.py"]


def test_gitignore_files_above_the_walked_directory_apply_inside_git(
    tmp_path: Path,
) -> None:
    touch(tmp_path, "src/keep/y.py", "src/model.py", "src/pkg/gen.py")
    (tmp_path / ".gitignore").write_text("src/keep/\n/src/pkg/gen.py\n")
    assert sorted(found(tmp_path, "src")) == [
        "src/keep/y.py",
        "src/model.py",
        "src/pkg/gen.py",
    ], "outside a git work tree an enclosing .gitignore means nothing"

    (tmp_path / ".git").mkdir()
    assert found(tmp_path, "src") == ["src/model.py"]
    assert found(tmp_path, "src/pkg") == []


def test_excludes_are_anchored_at_the_project_directory(tmp_path: Path) -> None:
    touch(tmp_path, "src/gen/x.py", "src/model.py", "gen/top.py")
    result = discover([tmp_path / "src"], ["src/gen"], project=tmp_path)
    assert [f.relative_to(tmp_path).as_posix() for f in result.files] == [
        "src/model.py"
    ]
    top = discover([tmp_path], ["/gen"], project=tmp_path)
    assert sorted(f.relative_to(tmp_path).as_posix() for f in top.files) == [
        "src/gen/x.py",
        "src/model.py",
    ]


def test_a_file_named_on_the_command_line_is_always_checked(tmp_path: Path) -> None:
    touch(tmp_path, "gen/z.py", "script")
    (tmp_path / ".gitignore").write_text("gen/\n")
    assert found(tmp_path, "gen/z.py", "script") == ["gen/z.py", "script"]


def test_the_same_file_twice_is_checked_once(tmp_path: Path) -> None:
    touch(tmp_path, "a.py")
    assert found(tmp_path, "", "a.py", "./a.py") == ["a.py"]


def test_spaces_and_non_ascii_names(tmp_path: Path) -> None:
    touch(tmp_path, "my models/módulo ünï.py", "日本/模型.py")
    assert found(tmp_path) == ["my models/módulo ünï.py", "日本/模型.py"]


def test_missing_path_is_an_error_and_the_rest_is_found(tmp_path: Path) -> None:
    touch(tmp_path, "a.py")
    result = discover([tmp_path / "missing", tmp_path / "a.py"], [])
    assert result.files == [tmp_path / "a.py"]
    assert result.errors == [(str(tmp_path / "missing"), "No such file or directory")]


def test_symlink_loop_is_reported_once_and_not_walked(tmp_path: Path) -> None:
    touch(tmp_path, "pkg/a.py")
    os.symlink("..", tmp_path / "pkg" / "up")
    os.symlink(".", tmp_path / "pkg" / "here")

    result = discover([tmp_path / "pkg"], [])

    assert result.files == [tmp_path / "pkg" / "a.py"]
    assert sorted(result.errors) == [
        (str(tmp_path / "pkg" / "here"), "symlink loop; not walked again"),
        (str(tmp_path / "pkg" / "up" / "pkg"), "symlink loop; not walked again"),
    ]


def test_a_second_link_to_a_directory_is_no_loop(tmp_path: Path) -> None:
    touch(tmp_path, "src/a.py")
    os.symlink("src", tmp_path / "alias")

    result = discover([tmp_path], [])

    assert result.errors == []
    assert [f.name for f in result.files] == ["a.py"]


def test_fifos_and_devices_named_py_are_never_opened(tmp_path: Path) -> None:
    touch(tmp_path, "a.py")
    os.mkfifo(tmp_path / "pipe.py")
    os.symlink(os.devnull, tmp_path / "null.py")
    os.symlink("pipe.py", tmp_path / "to_pipe.py")

    assert found(tmp_path) == ["a.py"]
    named = discover([tmp_path / "pipe.py", tmp_path / "to_pipe.py"], [])
    assert named.files == []
    assert [message for _, message in named.errors] == [
        "not a regular file or directory"
    ] * 2


def test_dangling_symlinks_are_kept_to_be_reported(tmp_path: Path) -> None:
    os.symlink("gone.py", tmp_path / "dangling.py")
    os.symlink("self.py", tmp_path / "self.py")
    assert found(tmp_path) == ["dangling.py", "self.py"]
    assert found(tmp_path, "dangling.py") == ["dangling.py"]


def test_unreadable_directory_is_an_error_and_the_walk_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path, "locked/a.py", "open/b.py")
    real = os.scandir

    def scandir(path: Path) -> object:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    result = discover([tmp_path], [])

    assert [f.name for f in result.files] == ["b.py"]
    assert result.errors == [(str(tmp_path / "locked"), "Permission denied")]
