"""The report's class hierarchy: nn.Module subclasses through other files."""

from __future__ import annotations

from pathlib import Path

import pytest

from reuse_lint.report.hierarchy import module_name
from reuse_lint.report.run import collect_report

LAYERS = """\
import torch.nn as nn


class Base(nn.Module):
    pass


class Mixin:
    pass
"""

BERT = """\
import torch

from pkg import Base as Exported
from ..layers import Base, Mixin


class Layer(Base):
    pass


class Deeper(Layer):
    class Inner(Layer):
        pass


class Plain(Mixin):
    pass


class ThroughPackage(Exported):
    pass


class First(Second):
    pass


class Second(First):
    pass
"""


@pytest.fixture
def package(tmp_path: Path) -> Path:
    root = tmp_path / "pkg"
    (root / "models").mkdir(parents=True)
    (root / "__init__.py").write_text("from .layers import *  # torch\n")
    (root / "layers.py").write_text(LAYERS)
    (root / "models" / "__init__.py").write_text("")
    (root / "models" / "bert.py").write_text(BERT)
    return root


def test_subclasses_of_classes_in_other_files_get_rows(package: Path) -> None:
    report = collect_report([package], cache=False)[0]

    rows = {(Path(row.path).name, row.component) for row in report.rows}
    assert rows == {
        ("layers.py", "Base"),
        ("bert.py", "Layer"),
        ("bert.py", "Deeper"),
        ("bert.py", "Inner"),
        ("bert.py", "ThroughPackage"),
    }
    assert report.summary.components == 5


def test_a_base_outside_the_analysed_files_is_not_followed(package: Path) -> None:
    report = collect_report([package / "models"], cache=False)[0]

    assert report.rows == ()


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("pkg/models/bert.py", ("pkg.models.bert", False)),
        ("pkg/__init__.py", ("pkg", True)),
        ("pkg/models/__init__.py", ("pkg.models", True)),
        ("loose.py", ("loose", False)),
    ],
)
def test_module_names_follow_the_package_folders(
    package: Path, relative: str, expected: tuple[str, bool]
) -> None:
    (package.parent / "loose.py").write_text("")

    assert module_name(str(package.parent / relative), {}) == expected
