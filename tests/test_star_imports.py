"""Star imports resolved one name at a time, as a full expansion would."""

from __future__ import annotations

from pathlib import Path

import pytest

from reuse_lint import star_imports
from reuse_lint.star_imports import star_export, star_exports

MODULES = {
    "blocks/__init__.py": "from .layers import *\nfrom .heads import *\n",
    "blocks/layers.py": (
        "from torch.nn import Linear as Dense, ReLU\n"
        "import torch.nn as nn\n"
        "from .more import *\n"
        "class Block: pass\n"
        "_private = 1\n"
    ),
    "blocks/heads.py": (
        "__all__ = ['Head', 'Dense']\n"
        "from torch.nn import Identity as Dense\n"
        "class Head: pass\n"
        "class Hidden: pass\n"
    ),
    "blocks/more.py": "from torch.nn import *\nfrom .layers import *\n",
}
NAMES = ["Dense", "ReLU", "nn", "Block", "Head", "Hidden", "_private", "Sequential"]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for relative, text in MODULES.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    return tmp_path


def test_each_name_resolves_as_the_whole_export_list_says(tree: Path) -> None:
    importer = tree / "model.py"
    everything = star_exports(tree / "blocks" / "__init__.py", "blocks", (tree,))

    found = {
        name: star_export(name, [("blocks", 0)], importer, (tree,)) for name in NAMES
    }

    assert found == {name: everything.get(name) for name in NAMES}
    assert found["Dense"] == "torch.nn.Identity"  # the last star import wins
    assert found["Sequential"] == "torch.nn.Sequential"  # through two stars
    assert found["Hidden"] is None  # not in heads.__all__
    assert found["_private"] is None


def test_a_module_that_never_writes_the_name_is_not_parsed(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[str] = []
    real = star_imports._read_facts

    def counting(data: bytes, module: str) -> star_imports._Facts | None:
        parsed.append(module)
        return real(data, module)

    monkeypatch.setattr(star_imports, "_read_facts", counting)
    monkeypatch.setattr(star_imports, "_FACTS", {})

    assert star_export("Head", [(".heads", 1)], tree / "blocks" / "x.py", (tree,))
    assert star_export("Unknown", [(".heads", 1)], tree / "blocks" / "x.py", ()) is None
    assert parsed == [".heads"]
