"""The codemod: golden fixed fixtures, then small snippets inline.

The golden files ``fixtures/**/NAME.fixed.py`` are rewritten only by
``python -m pytest tests/test_codemod.py --update-golden``.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import golden
import pytest

from reuse_lint.analysis import AnalysisOptions, analyse_source
from reuse_lint.codemod import FixConflict, apply_fixes, component_parts
from reuse_lint.model import ChainKind

COMPONENT = "reuse_lint.components:MLPBlock"
IMPORT = "from reuse_lint.components import MLPBlock"
FIXABLE = golden.fixable_fixtures()
CLEAN = [p for p in golden.source_fixtures() if not golden.expected_findings(p)]


def fix(text: str, component: str = COMPONENT) -> str:
    """Apply every replaceable chain's fix, safe or not, as ``--unsafe-fixes``."""
    analysis = analyse_source(Path("snippet.py"), "snippet.py", text, AnalysisOptions())
    assert analysis.error is None, analysis.error
    chains = [c for c in analysis.chains if c.kind is ChainKind.REPLACEABLE]
    fixed, _ = apply_fixes(text, chains, component)
    return fixed


def comments(text: str) -> list[str]:
    return re.findall(r"#[^\r\n]*", text)


# Golden files


@pytest.mark.parametrize("path", FIXABLE, ids=golden.fixture_id)
def test_fix_output_matches_golden_file(
    path: Path, tmp_path: Path, update_golden: bool
) -> None:
    fixed = golden.fix_copy(path, tmp_path)
    target = golden.golden_path(path)
    if update_golden:
        target.write_bytes(fixed)

    assert target.exists(), golden.UPDATE_HINT
    assert fixed == target.read_bytes(), golden.UPDATE_HINT


@pytest.mark.parametrize("path", FIXABLE, ids=golden.fixture_id)
def test_golden_file_is_clean_and_a_second_fix_changes_nothing(
    path: Path, tmp_path: Path
) -> None:
    target = golden.golden_path(path)

    run = golden.check(target)
    assert run.findings == [] and run.errors == []
    assert golden.fix_copy(target, tmp_path) == target.read_bytes()


@pytest.mark.parametrize("path", FIXABLE, ids=golden.fixture_id)
def test_golden_file_keeps_examples_and_every_comment(path: Path) -> None:
    before = path.read_text(encoding="utf-8")
    after = golden.golden_path(path).read_text(encoding="utf-8")

    assert golden.examples(golden.golden_path(path)) == golden.examples(path)
    assert sorted(comments(after)) == sorted(comments(before))
    assert after.count(IMPORT) == 1


@pytest.mark.parametrize("path", CLEAN, ids=golden.fixture_id)
def test_fixture_without_findings_has_no_golden_file(
    path: Path, tmp_path: Path
) -> None:
    assert not golden.golden_path(path).exists()
    assert golden.fix_copy(path, tmp_path) == path.read_bytes()


def test_every_golden_file_belongs_to_a_fixture_with_findings() -> None:
    goldens = sorted(golden.FIXTURES.rglob("*" + golden.GOLDEN_SUFFIX))
    assert [golden.original_path(p) for p in goldens] == FIXABLE


def test_checking_the_fixture_tree_flags_no_golden_file(tmp_path: Path) -> None:
    # A copy outside the repository, so its pyproject.toml's exclusion of the
    # golden files does not hide them from the check.
    tree = shutil.copytree(golden.FIXTURES, tmp_path / "fixtures")

    run = golden.check(tree)

    assert run.files == len(golden.source_fixtures()) + len(FIXABLE)
    assert run.findings, "the fixtures themselves have findings"
    assert not [f for f in run.findings if f.path.endswith(golden.GOLDEN_SUFFIX)]
    assert not [e for e in run.errors if e[0].endswith(golden.GOLDEN_SUFFIX)]


SEED_CALL = """MLPBlock(
            input_dim=d_model,
            hidden_dim=d_model * 4,
            dropout=dropout,
            activation="relu"
        )"""


def test_seed_is_rewritten_as_the_design_note_describes() -> None:
    seed = golden.FIXTURES / "seed" / "bidirectional_cross_attention.py"
    fixed = golden.golden_path(seed).read_text(encoding="utf-8")

    assert fixed.count(IMPORT) == 1
    assert f"self.ffn_primary = {SEED_CALL}" in fixed
    assert f"self.ffn_secondary = {SEED_CALL}" in fixed
    assert fixed.count("MLPBlock(") == 2
    assert "nn.Sequential" not in fixed


# Inline snippets

TWO_CHAINS = """\
import torch.nn as nn


class Two(nn.Module):
    def __init__(self, d: int, p: float) -> None:
        super().__init__()
        self.a = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.b = nn.Sequential(
            nn.Linear(d, 2 * d),
            nn.ReLU(),
            nn.Dropout(p),
            nn.Linear(2 * d, d),
        )
"""


def test_import_is_added_once_for_several_fixes() -> None:
    fixed = fix(TWO_CHAINS)

    assert fixed.count(IMPORT) == 1
    assert fixed.count("MLPBlock(") == 2


def test_import_already_present_is_not_duplicated() -> None:
    text = TWO_CHAINS.replace(
        "import torch.nn as nn\n", f"import torch.nn as nn\n{IMPORT}\n"
    )

    assert fix(text).count(IMPORT) == 1


def test_one_line_call_stays_one_line_and_multi_line_one_keyword_per_line() -> None:
    fixed = fix(TWO_CHAINS)

    assert (
        '        self.a = MLPBlock(input_dim=d, hidden_dim=4 * d, activation="gelu")\n'
        in fixed
    )
    assert (
        "        self.b = MLPBlock(\n"
        "            input_dim=d,\n"
        "            hidden_dim=2 * d,\n"
        "            dropout=p,\n"
        "            output_dropout=None,\n"
        '            activation="relu"\n'
        "        )\n"
    ) in fixed


def test_one_line_call_too_long_for_the_line_is_split() -> None:
    text = (
        "import torch.nn as nn\n\n"
        "def head(in_features, hidden_features, out_features):\n"
        "    return nn.Sequential(nn.Linear(in_features, hidden_features), nn.ReLU(),"
        " nn.Linear(hidden_features, out_features))\n"
    )
    fixed = fix(text)

    assert "    return MLPBlock(\n        input_dim=in_features,\n" in fixed
    assert all(len(line) <= 88 for line in fixed.splitlines())


COMMENTED = """\
import torch.nn as nn


class Commented(nn.Module):
    def __init__(self, d: int) -> None:
        super().__init__()
        # above the chain
        self.ffn = nn.Sequential(  # noqa: E501
            # expand
            nn.Linear(d, 4 * d),  # up-projection
            nn.GELU(
                approximate="tanh"  # as in GPT-2
            ),
            nn.Linear(4 * d, d),
            # no dropout here
        )  # after the chain
"""


def test_comments_inside_the_call_survive() -> None:
    fixed = fix(COMMENTED)

    assert sorted(comments(fixed)) == sorted(comments(COMMENTED))
    assert "MLPBlock(" in fixed and "nn.Sequential" not in fixed
    ast.parse(fixed)


def test_comment_after_the_opening_bracket_stays_on_the_opening_line() -> None:
    fixed = fix(COMMENTED)

    assert "        self.ffn = MLPBlock(  # noqa: E501\n" in fixed
    assert "        )  # after the chain\n" in fixed
    assert "        # above the chain\n        self.ffn" in fixed


def test_multi_line_activation_is_kept_verbatim_with_its_comment() -> None:
    fixed = fix(COMMENTED)

    assert (
        "            activation=nn.GELU(\n"
        '                approximate="tanh"  # as in GPT-2\n'
        "            )\n"
        "        )  # after the chain\n"
    ) in fixed


def test_import_left_unused_is_removed_and_one_still_used_is_kept() -> None:
    text = (
        "import torch\n"
        "from torch.nn import GELU, Linear, Module, Sequential\n\n\n"
        "class Head(Module):\n"
        "    def __init__(self, d: int) -> None:\n"
        "        super().__init__()\n"
        "        self.proj = Linear(d, d)\n"
        "        self.mlp = Sequential(Linear(d, 2 * d), GELU(), Linear(2 * d, d))\n"
    )
    fixed = fix(text)

    assert "from torch.nn import Linear, Module\n" in fixed
    assert "import torch\n" in fixed


def test_alias_import_left_unused_is_removed() -> None:
    text = (
        "import torch.nn as nn\n\n"
        "def build(d):\n"
        "    return nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))\n"
    )

    assert fix(text).splitlines()[0] == IMPORT


def test_import_left_unused_inside_a_function_is_removed() -> None:
    text = (
        "def build(d):\n"
        "    import torch.nn as nn\n"
        "    return nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))\n\n\n"
        "class Block:\n"
        "    def __init__(self, d):\n"
        "        from torch.nn import GELU, Linear, Sequential\n"
        "        self.act = GELU()\n"
        "        self.ffn = Sequential(Linear(d, d), GELU(), Linear(d, d))\n"
    )
    fixed = fix(text)

    assert "import torch.nn as nn" not in fixed
    assert "        from torch.nn import GELU\n" in fixed


@pytest.mark.parametrize(
    "imports",
    [
        "# the layers the FFN needs\nimport torch.nn as nn\n",
        "import torch.nn as nn  # the layers the FFN needs\n",
    ],
    ids=["comment-above", "comment-after"],
)
def test_an_import_carrying_a_comment_is_kept_with_it(imports: str) -> None:
    text = (
        f"import os\n\n{imports}\n"
        "def build(d):\n"
        "    return nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d))\n"
    )
    fixed = fix(text)

    assert imports in fixed
    assert "MLPBlock(" in fixed


def test_users_unused_imports_are_not_removed() -> None:
    text = (
        "import os\n"
        "import torch.nn as nn\n"
        "from torch.nn import Linear, ReLU\n\n\n"
        "class Block(nn.Module):\n"
        "    def __init__(self, d: int) -> None:\n"
        "        super().__init__()\n"
        "        self.ffn = nn.Sequential(\n"
        "            nn.Linear(d, d), nn.ReLU(), nn.Linear(d, d)\n"
        "        )\n"
    )
    fixed = fix(text)

    assert "import os\n" in fixed
    assert "from torch.nn import Linear, ReLU\n" in fixed
    assert "import torch.nn as nn\n" in fixed


def test_parentheses_around_the_call_are_kept() -> None:
    text = (
        "import torch.nn as nn\n\n"
        "ffn = (  # wrapped\n"
        "    nn.Sequential(nn.Linear(3, 6), nn.ReLU(), nn.Linear(6, 3))\n"
        ")\n"
    )
    fixed = fix(text)

    assert fixed.endswith(
        "ffn = (  # wrapped\n"
        '    MLPBlock(input_dim=3, hidden_dim=6, activation="relu")\n'
        ")\n"
    )


def test_tab_indentation_and_form_feed_lines() -> None:
    text = (
        "import torch.nn as nn\n\x0c\n"
        "def build(d):\n"
        "\treturn nn.Sequential(\n"
        "\t\tnn.Linear(d, d),\n"
        "\t\tnn.ReLU(),\n"
        "\t\tnn.Linear(d, d),\n"
        "\t)\n"
    )
    fixed = fix(text)

    assert "\treturn MLPBlock(\n\t\tinput_dim=d,\n" in fixed
    assert fixed.endswith('\t\tactivation="relu"\n\t)\n')


def test_custom_component_is_imported_from_its_module() -> None:
    fixed = fix(TWO_CHAINS, "mypkg.nn.blocks:MLPBlock")

    assert "from mypkg.nn.blocks import MLPBlock\n" in fixed
    assert "reuse_lint" not in fixed


@pytest.mark.parametrize(
    "binding",
    [
        "class MLPBlock:\n    pass\n",
        "MLPBlock = object\n",
        "from timm.layers import Mlp as MLPBlock\n",
        "from mypkg import MLPBlock\n",
    ],
)
def test_a_name_clash_with_the_component_is_refused(binding: str) -> None:
    with pytest.raises(FixConflict, match="MLPBlock"):
        fix(binding + TWO_CHAINS)


def test_second_fix_changes_nothing() -> None:
    once = fix(COMMENTED)

    assert fix(once) == once


@pytest.mark.parametrize(
    ("component", "parts"),
    [
        ("reuse_lint.components:MLPBlock", ("reuse_lint.components", "MLPBlock")),
        ("mypkg.nn.blocks:Block", ("mypkg.nn.blocks", "Block")),
        ("mypkg.nn.blocks.Block", ("mypkg.nn.blocks", "Block")),
    ],
)
def test_component_parts(component: str, parts: tuple[str, str]) -> None:
    assert component_parts(component) == parts
