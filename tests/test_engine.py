"""Speed-ups never change findings: prefilter, cache, index and process pool."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from reuse_lint.cli import cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FFN = "nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Linear(4 * d, d))"


def findings(*args: str) -> list[tuple[str, int, int, str, str]]:
    result = CliRunner().invoke(cli, ["check", "--output-format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    rows = json.loads(result.stdout)
    return sorted(
        (
            r["filename"],
            r["location"]["row"],
            r["location"]["column"],
            r["code"],
            r["message"],
        )
        for r in rows
    )


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "fixtures"


def test_every_speed_up_gives_the_same_findings(tree: Path) -> None:
    reference = findings("--no-cache", "--no-prefilter", "--jobs", "1", str(tree))

    assert len(reference) >= 50
    assert findings("--no-cache", "--jobs", "1", str(tree)) == reference
    assert findings("--no-cache", "--jobs", "2", str(tree)) == reference
    assert findings(str(tree)) == reference  # fills the cache
    assert findings(str(tree)) == reference  # served from it


def test_warm_run_reads_no_unchanged_file(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = findings(str(tree))
    reads: list[Path] = []
    real = Path.read_bytes

    def counting(self: Path) -> bytes:
        reads.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    assert findings(str(tree)) == cold
    assert [p for p in reads if p.suffix == ".py"] == []


def test_an_edited_file_is_analysed_again(tree: Path) -> None:
    target = tree / "seed" / "bidirectional_cross_attention.py"
    before = findings(str(tree))
    target.write_text(target.read_text().replace("nn.ReLU()", "nn.PReLU()"))

    after = findings(str(tree))

    assert len(after) == len(before) - 2
    assert not any(row[0].endswith("bidirectional_cross_attention.py") for row in after)


def test_star_import_dependency_invalidates_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "blocks.py").write_text("import torch.nn as nn\n")
    (tmp_path / "model.py").write_text(f"from blocks import *\nffn = {FFN}\n")
    assert [row[3] for row in findings(".")] == ["RL101"]

    (tmp_path / "blocks.py").write_text("import mylib.layers as nn\n")

    assert findings(".") == []


@pytest.mark.parametrize("checked", [".", "src", "src/pkg", "src/pkg/model.py"])
def test_star_import_of_a_package_module_resolves_from_any_checked_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checked: str
) -> None:
    monkeypatch.chdir(tmp_path)
    package = tmp_path / "src" / "pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "blocks.py").write_text("import torch.nn as nn\n")
    (package / "model.py").write_text(f"from pkg.blocks import *\nffn = {FFN}\n")

    assert [row[3] for row in findings("--no-cache", checked)] == ["RL101"]
