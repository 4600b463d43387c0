"""Fuzzing: generated modules never break the analysis or the fix.

Hypothesis writes valid Python around ``Sequential`` calls: layers from the
catalogue mixed with junk, every import spelling, the call in every place a
model builds one, comments between the arguments and random line breaks and
spacing. ``hypothesmith`` adds modules drawn from Python's whole grammar.

The properties: the analysis never raises and reports no error on valid
code; the fast and the exact front ends find identical chains; a fix parses,
fixing the fixed text again changes nothing, and every rewritten chain
builds the same model as the original (checked as ``verify`` checks it).

CI runs a modest, derandomised number of examples per property. Set
``REUSE_LINT_FUZZ_EXAMPLES`` (for example to 5000) for a nightly-size run
with fresh random examples (README, "Nightly-size fuzzing").
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reuse_lint.analysis import AnalysisOptions, analyse_source
from reuse_lint.catalogue import ACTIVATION_NAMES
from reuse_lint.codemod import apply_fixes
from reuse_lint.model import FileAnalysis

COMPONENT = "reuse_lint.components:MLPBlock"
PATH = Path("generated.py")
NIGHTLY = os.environ.get("REUSE_LINT_FUZZ_EXAMPLES")


def fuzz_settings(ci_examples: int) -> settings:
    """``ci_examples`` in CI (derandomised), or the nightly number when set."""
    return settings(
        max_examples=int(NIGHTLY) if NIGHTLY else ci_examples,
        derandomize=not NIGHTLY,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# Generated modules

SPELLINGS = [
    ("import torch\n", "torch.nn."),
    ("import torch.nn\n", "torch.nn."),
    ("import torch.nn as nn\n", "nn."),
    ("from torch import nn\n", "nn."),
    ("from torch import nn as tnn\n", "tnn."),
    ("import torch.nn as nn, torch\n", "nn."),
    ("from torch.nn import *\n", ""),
    (
        "from torch.nn import (\n    Sequential, Linear, LayerNorm, Dropout, {acts}\n)\n",
        "",
    ),
    ("", "nn."),
]
SIZES = [
    "d",
    "dim",
    "4 * d",
    "d * 4",
    "d*4",
    "hidden",
    "self.dim",
    "cfg.hidden_size",
    "64",
    "128",
    "d // 2",
    "int(d * 4)",
    "(d)",
    "d + 1",
    "sizes[0]",
]
PROBABILITIES = ["0.1", "p", "dropout", "p=0.5", "", "0.0", "cfg.p", "inplace=True"]
ACTIVATION_ARGS = [
    "",
    "",
    "inplace=True",
    "True",
    "0.2",
    "approximate='tanh'",
    "alpha=1.0",
]
JUNK_LAYERS = [
    "MyLayer(3)",
    "layer",
    "self.act",
    "lambda x: x",
    "*extra",
    "{p}Conv1d(3, 3, 1)",
    "{p}Identity()",
    "OrderedDict([('fc', {p}Linear(d, d))])",
    "getattr({p}ReLU, 'x')",
    "{p}ReLU() if flag else {p}GELU()",
    "[{p}ReLU()][0]",
    "make(**kw)",
    "{p}Softmax(dim=-1)",
    "{p}Sigmoid()",
    "{p}Sequential()",
    "({p}ReLU())",
    "{p}modules.activation.ReLU()",
]
SEPARATORS = [
    ", ",
    ",",
    " , ",
    ",\n    ",
    ",\n\n            ",
    ",  # note\n    ",
    ",\n# a full-line comment\n",
    ", \\\n    ",
    ",\t",
]
OPENINGS = ["", "\n    ", "  # layers\n    ", "\n\n", "\n# first\n    "]
CLOSINGS = ["", ",", ",\n", "\n", "  # end\n", ",\n# last\n    "]
JUNK_STATEMENTS = [
    "x = 1\n",
    "def helper(a, *, b=2):\n    return a + b\n",
    "if flag:\n    y = [i for i in range(3)]\n",
    "class Other:\n    pass\n",
    "try:\n    import numpy\nexcept ImportError:\n    numpy = None\n",
    "Sequential = list\n",
    "def Linear(*args):\n    return args\n",
    "nn = None\n",
    "from collections import OrderedDict\n",
    "async def run():\n    await thing()\n",
    "value = f'{1 + 1}' \\\n    'tail'\n",
    "# Sequential(Linear(1, 2))\n",
    "text = '''\nnn.Sequential(nn.Linear(1, 2))\n'''\n",
]


@st.composite
def layer(draw: st.DrawFn, prefix: str) -> str:
    kind = draw(st.sampled_from(["linear", "linear", "act", "drop", "norm", "junk"]))
    if kind == "linear":
        a, b = draw(st.sampled_from(SIZES)), draw(st.sampled_from(SIZES))
        tail = draw(st.sampled_from(["", ", bias=False", ", bias=use_bias"]))
        if draw(st.booleans()):
            return f"{prefix}Linear(in_features={a}, out_features={b}{tail})"
        tail = draw(st.sampled_from([tail, ", False", ", True"]))
        return f"{prefix}Linear({a}, {b}{tail})"
    if kind == "act":
        name = draw(st.sampled_from(sorted(ACTIVATION_NAMES)))
        return f"{prefix}{name}({draw(st.sampled_from(ACTIVATION_ARGS))})"
    if kind == "drop":
        return f"{prefix}Dropout({draw(st.sampled_from(PROBABILITIES))})"
    if kind == "norm":
        size = draw(st.sampled_from(SIZES))
        return f"{prefix}LayerNorm({size}{draw(st.sampled_from(['', ', eps=1e-6']))})"
    return draw(st.sampled_from(JUNK_LAYERS)).format(p=prefix)


@st.composite
def ffn_like(draw: st.DrawFn, prefix: str) -> list[str]:
    """A feed-forward chain, sometimes with sizes that do not line up."""
    d, h = draw(st.sampled_from(SIZES)), draw(st.sampled_from(SIZES))
    out = draw(st.sampled_from([d, d, h, "n_out"]))
    act = draw(st.sampled_from(sorted(ACTIVATION_NAMES)))
    layers = [f"{prefix}Linear({d}, {h})", f"{prefix}{act}()"]
    if draw(st.booleans()):
        layers.append(f"{prefix}Dropout({draw(st.sampled_from(PROBABILITIES))})")
    layers.append(f"{prefix}Linear({h}, {out})")
    if draw(st.booleans()):
        layers.append(f"{prefix}Dropout(p)")
    if draw(st.booleans()):
        layers.insert(0, f"{prefix}LayerNorm({d})")
    return layers


@st.composite
def sequential(draw: st.DrawFn, prefix: str, depth: int = 0) -> str:
    """A ``Sequential(...)`` call, formatted at random, maybe holding another."""
    layers = draw(
        st.one_of(ffn_like(prefix), st.lists(layer(prefix), min_size=0, max_size=7))
    )
    if depth < 2 and layers and draw(st.integers(0, 4)) == 0:
        inner = draw(sequential(prefix, depth + 1))
        layers.insert(draw(st.integers(0, len(layers))), inner)
    if layers and draw(st.booleans()):
        layers = [_spaced(text) for text in layers]
    body = ""
    for index, text in enumerate(layers):
        body += (draw(st.sampled_from(SEPARATORS)) if index else "") + text
    opening = draw(st.sampled_from(OPENINGS))
    closing = draw(st.sampled_from(CLOSINGS)) if layers else ""
    return f"{prefix}Sequential({opening}{body}{closing})"


def _spaced(text: str) -> str:
    return text.replace("(", "( ", 1).replace(", ", " ,  ")


PLACES = [
    "block = {call}\n",
    "block = ( # wrapped\n    {call} )\n",
    "class Block({p}Module):\n"
    "    def __init__(self, d, hidden, p, dropout, cfg, flag, use_bias):\n"
    "        super().__init__()\n"
    "        self.ff = {call}\n",
    "def make(d, hidden):\n    return {call}\n",
    "blocks = {p}ModuleList([{call} for _ in range(3)])\n",
    "outer = {p}Sequential({call}, {p}ReLU())\n",
    "register(block={call})\n",
    "factory = lambda d: {call}\n",
    "table = {{'ffn': {call}}}\n",
    "if flag:\n    block = {call}  # noqa: RL101\nelse:\n    block = None\n",
]


@st.composite
def modules(draw: st.DrawFn) -> str:
    imports, prefix = draw(st.sampled_from(SPELLINGS))
    acts = ", ".join(sorted(ACTIVATION_NAMES))
    calls = draw(st.lists(sequential(prefix), min_size=1, max_size=3))
    parts = [imports.format(acts=acts)]
    parts += draw(st.lists(st.sampled_from(JUNK_STATEMENTS), max_size=2))
    for call in calls:
        place = draw(st.sampled_from(PLACES))
        parts.append(place.format(call=call, p=prefix or "nn."))
    parts += draw(st.lists(st.sampled_from(JUNK_STATEMENTS), max_size=2))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    return "".join(parts).replace("\n", newline)


# Helpers


def analyse(text: str, exact: bool = False, modules: bool = False) -> FileAnalysis:
    options = AnalysisOptions(component=COMPONENT, exact=exact, modules=modules)
    return analyse_source(PATH, PATH.name, text, options)


def fix(text: str) -> str:
    """What ``--fix --unsafe-fixes`` writes for ``text``."""
    analysis = analyse(text)
    assert analysis.error is None, analysis.error
    chains = [c for c in analysis.chains if c.spec is not None]
    return apply_fixes(text, chains, COMPONENT)[0]


def parses(text: str) -> None:
    ast.parse(text)
    cst.parse_module(text)


# Properties of generated model code

NESTED_FFN = (
    "import torch.nn as nn\n"
    "outer = nn.Sequential(nn.Sequential(nn.Linear(d, h), nn.ReLU(), "
    "nn.Linear(h, d)), nn.ReLU())\n"
)
COMMENT_IN_A_BLOCK = (  # found by this test: layer code lost its indentation
    "import torch\n"
    "def make(d, hidden):\n"
    "    return torch.nn.Sequential(torch.nn.Sequential(\n"
    "# first\n"
    "    torch.nn.LayerNorm(d), torch.nn.Linear(d, d)), torch.nn.ReLU())\n"
)


@pytest.mark.slow
@fuzz_settings(ci_examples=300)
@given(modules())
@example(NESTED_FFN)
@example(COMMENT_IN_A_BLOCK)
def test_analysis_never_fails_and_the_front_ends_agree(source: str) -> None:
    ast.parse(source)  # the generator writes valid Python only

    fast, exact = analyse(source), analyse(source, exact=True)

    assert fast.error is None, fast.error
    assert fast == exact


@pytest.mark.slow
@fuzz_settings(ci_examples=200)
@given(modules())
@example(NESTED_FFN)
def test_report_analysis_of_the_front_ends_agrees(source: str) -> None:
    fast = analyse(source, modules=True)
    exact = analyse(source, exact=True, modules=True)

    assert fast.error is None, fast.error
    assert fast == exact
    assert {m.name for m in fast.modules if m.is_module} >= (
        {"Block"} if "class Block(" in source else set()
    )


@pytest.mark.slow
@fuzz_settings(ci_examples=200)
@given(modules())
@example(NESTED_FFN)
def test_fix_parses_and_fixing_again_changes_nothing(source: str) -> None:
    once = fix(source)

    parses(once)
    assert fix(once) == once


@pytest.mark.slow
@fuzz_settings(ci_examples=150)
@given(modules())
@example(NESTED_FFN)
def test_every_rewrite_of_a_generated_module_is_equivalent(source: str) -> None:
    pytest.importorskip("torch")
    from reuse_lint.evaluator import EvaluationError
    from reuse_lint.verify import plan_site
    from reuse_lint.verify_checks import SiteSkipped, compare

    for chain in analyse(source).chains:
        if chain.spec is None:
            continue
        try:
            assert compare(plan_site(chain), "cpu") is None, chain.layers
        except (EvaluationError, SiteSkipped):  # no sample values build the chain
            continue


# Modules from the whole grammar

APPENDED = (
    "\nimport torch.nn as nn\n"
    "ff = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 8))\n"
)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@fuzz_settings(ci_examples=200)
@given(hypothesmith.from_grammar())
def test_grammar_generated_modules_never_break_the_analysis(source: str) -> None:
    text = source + APPENDED

    fast, exact = analyse(text), analyse(text, exact=True)

    assert fast == exact
    assert analyse(text, modules=True) == analyse(text, exact=True, modules=True)
    if fast.error is None and any(c.spec is not None for c in fast.chains):
        parses(fix(text))
