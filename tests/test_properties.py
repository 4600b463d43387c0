"""Property test: random replaceable chains, fixed, build indistinguishable models.

Hypothesis writes a small ``nn.Module`` around a random chain (sizes as
numbers or names, every catalogue activation with and without arguments, the
four dropout layouts, bias flags, an optional LayerNorm, several import
spellings), runs the analysis and the codemod on it, executes both sources
with concrete values and compares the two models with ``twins``.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import twins
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reuse_lint.analysis import AnalysisOptions, analyse_source
from reuse_lint.catalogue import ACTIVATION_NAMES
from reuse_lint.codemod import apply_fixes
from reuse_lint.model import ChainKind

NIGHTLY = os.environ.get("REUSE_LINT_FUZZ_EXAMPLES")
settings.register_profile(
    "equivalence",
    max_examples=int(NIGHTLY) if NIGHTLY else 2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
EQUIVALENCE = settings.get_profile("equivalence")
COMPONENT = "reuse_lint.components:MLPBlock"

ACTIVATION_CALLS: dict[str, list[str]] = {
    "ReLU": ["ReLU()", "ReLU(inplace=True)", "ReLU(True)"],
    "ReLU6": ["ReLU6()", "ReLU6(inplace=True)"],
    "GELU": ["GELU()", 'GELU(approximate="tanh")', "GELU('none')"],
    "SiLU": ["SiLU()", "SiLU(inplace=True)"],
    "Mish": ["Mish()"],
    "Tanh": ["Tanh()"],
    "Sigmoid": ["Sigmoid()"],
    "LeakyReLU": ["LeakyReLU()", "LeakyReLU(0.2)", "LeakyReLU(negative_slope=0.01)"],
    "ELU": ["ELU()", "ELU(alpha=0.5)", "ELU(2.0, True)"],
    "CELU": ["CELU()", "CELU(alpha=0.5)"],
    "SELU": ["SELU()"],
    "Hardswish": ["Hardswish()"],
    "Hardsigmoid": ["Hardsigmoid()"],
    "Hardtanh": ["Hardtanh()", "Hardtanh(-2.0, 2.0)", "Hardtanh(max_val=0.5)"],
    "Softplus": ["Softplus()", "Softplus(beta=2.0, threshold=5.0)"],
    "Softsign": ["Softsign()"],
    "Tanhshrink": ["Tanhshrink()"],
    "Softshrink": ["Softshrink()", "Softshrink(0.3)"],
    "Hardshrink": ["Hardshrink()", "Hardshrink(lambd=0.3)"],
    "LogSigmoid": ["LogSigmoid()"],
    "RReLU": ["RReLU()", "RReLU(0.1, 0.3)"],
    "Threshold": ["Threshold(0.1, 0.0)", "Threshold(threshold=0.0, value=-1.0)"],
}
"""Spellings of every activation the catalogue knows, with and without arguments."""

IMPORTS = {
    "import torch.nn as nn": "nn.",
    "from torch import nn": "nn.",
    "from torch import nn as tnn": "tnn.",
    "import torch": "torch.nn.",
    "import torch.nn": "torch.nn.",
    "from torch.nn import {names}": "",
}
"""Import spellings and the prefix each gives torch.nn classes."""

PARAMETERS = "d, h, o, p, q, use_bias"
SIZES = {"d": st.integers(1, 4), "h": st.integers(1, 5), "o": st.integers(1, 3)}
PROBABILITIES = st.sampled_from([0.0, 0.25, 0.5, 0.9])

# (first Linear's out_features, second Linear's in_features): the same size.
HIDDEN = [
    ("h", "h"),
    ("5", "5"),
    ("d * 2", "2 * d"),
    ("h + d", "d + h"),
    ("int(h)",) * 2,
]
INPUT = ["d", "3", "d + 1"]
OUTPUT = ["o", "2", "h"]
DROPOUT = ["", "0.1", "p=0.2", "p", "p=q", "q", "0.0"]
BIAS = ["", ", bias=False", ", bias=True", ", False", ", bias=use_bias", ", bias=0"]


@dataclass(frozen=True)
class Generated:
    """A generated module's source and the values to build it with."""

    source: str
    kwargs: dict[str, Any]
    input_size: str


@st.composite
def layer_texts(draw: st.DrawFn) -> tuple[list[str], str]:
    """The chain's layers, as unprefixed calls in order, and its input size."""
    in_size = draw(st.sampled_from(INPUT))
    hidden_out, hidden_in = draw(st.sampled_from(HIDDEN))
    out_size = in_size if draw(st.booleans()) else draw(st.sampled_from(OUTPUT))
    kind = draw(st.sampled_from(sorted(ACTIVATION_NAMES)))
    first_p = draw(st.sampled_from(DROPOUT))
    second_p = first_p if draw(st.booleans()) else draw(st.sampled_from(DROPOUT))

    layers = [draw(_norm(in_size))] if draw(st.booleans()) else []
    layers.append(draw(_linear(in_size, hidden_out)))
    layers.append(draw(st.sampled_from(ACTIVATION_CALLS[kind])))
    if draw(st.booleans()):
        layers.append(f"Dropout({first_p})")
    layers.append(draw(_linear(hidden_in, out_size)))
    if draw(st.booleans()):
        layers.append(f"Dropout({second_p})")
    return layers, in_size


def _linear(in_size: str, out_size: str) -> st.SearchStrategy[str]:
    positional = st.sampled_from(BIAS).map(
        lambda b: f"Linear({in_size}, {out_size}{b})"
    )
    keywords = st.sampled_from(BIAS[:3]).map(
        lambda b: f"Linear(in_features={in_size}, out_features={out_size}{b})"
    )
    return st.one_of(positional, keywords)


@st.composite
def _norm(draw: st.DrawFn, size: str) -> str:
    args = [size]
    eps = draw(st.sampled_from([None, "1e-6", "1e-3"]))
    affine = draw(st.sampled_from([None, "False", "True", "0"]))
    keyword = draw(st.booleans())
    if eps is not None:
        args.append(f"eps={eps}" if keyword else eps)
    if affine is not None:
        positional = eps is not None and not keyword
        args.append(affine if positional else f"elementwise_affine={affine}")
    return f"LayerNorm({', '.join(args)})"


@st.composite
def modules(draw: st.DrawFn) -> Generated:
    """A whole module holding one random replaceable chain."""
    layers, input_size = draw(layer_texts())
    spelling = draw(st.sampled_from(sorted(IMPORTS)))
    prefix = IMPORTS[spelling]
    names = {"Module", "Sequential", *(layer.split("(")[0] for layer in layers)}
    import_line = spelling.format(names=", ".join(sorted(names)))

    calls = [prefix + layer for layer in layers]
    if draw(st.booleans()):
        chain = f"{prefix}Sequential({', '.join(calls)})"
    else:
        inner = "".join(
            f"            {call},  # layer {i}\n" for i, call in enumerate(calls)
        )
        chain = f"{prefix}Sequential(  # opening\n{inner}        )"
    source = (
        f"{import_line}\n\n\n"
        f"class Net({prefix}Module):\n"
        f"    def __init__(self, {PARAMETERS}):\n"
        f"        super().__init__()\n"
        f"        self.block = {chain}\n\n"
        f"    def forward(self, x):\n"
        f"        return self.block(x)\n"
    )
    kwargs = {name: draw(values) for name, values in SIZES.items()}
    kwargs |= {"p": draw(PROBABILITIES), "q": draw(PROBABILITIES)}
    kwargs["use_bias"] = draw(st.sampled_from([True, False, 0, 1]))
    return Generated(source, kwargs, input_size)


def fix(source: str) -> str:
    analysis = analyse_source(Path("gen.py"), "gen.py", source, AnalysisOptions())
    chains = [c for c in analysis.chains if c.kind is ChainKind.REPLACEABLE]
    assert len(chains) == len(analysis.chains) == 1, analysis.chains
    fixed, replaced = apply_fixes(source, chains, COMPONENT)
    assert replaced == chains
    return fixed


def build_class(source: str, label: str) -> Any:
    namespace: dict[str, Any] = {"__name__": label}
    exec(compile(source, f"<{label}>", "exec"), namespace)
    return namespace["Net"]


@pytest.mark.slow
@EQUIVALENCE
@given(modules())
def test_fixed_chain_builds_an_indistinguishable_model(generated: Generated) -> None:
    fixed = fix(generated.source)

    ast.parse(fixed)
    assert "MLPBlock(" in fixed and "Sequential" not in fixed
    assert _comments(fixed) == _comments(generated.source)
    again = analyse_source(Path("gen.py"), "gen.py", fixed, AnalysisOptions())
    assert apply_fixes(fixed, list(again.chains), COMPONENT) == (fixed, [])

    values = dict(generated.kwargs)
    width = eval(generated.input_size, {}, values)  # the generator's own text
    original, rewritten = (
        twins.build(build_class(text, label), generated.kwargs, "cpu")
        for text, label in ((generated.source, "original"), (fixed, "fixed"))
    )
    twins.assert_same_model(original, rewritten, twins.make_inputs([[2, width]], "cpu"))


def _comments(text: str) -> list[str]:
    return sorted(re.findall(r"#[^\n]*", text))


def test_every_catalogue_activation_has_spellings() -> None:
    assert sorted(ACTIVATION_CALLS) == sorted(ACTIVATION_NAMES)


@pytest.mark.parametrize("spelling", sorted(IMPORTS))
def test_each_import_spelling_is_fixed(spelling: str) -> None:
    prefix = IMPORTS[spelling]
    names = "Linear, Module, ReLU, Sequential"
    layers = ", ".join(prefix + x for x in ("Linear(d, h)", "ReLU()", "Linear(h, d)"))
    source = (
        f"{spelling.format(names=names)}\n\n\n"
        f"class Net({prefix}Module):\n"
        f"    def __init__(self, d, h):\n"
        f"        super().__init__()\n"
        f"        self.block = {prefix}Sequential({layers})\n"
    )

    fixed = fix(source)

    call = 'MLPBlock(input_dim=d, hidden_dim=h, activation="relu")'
    assert f"self.block = {call}\n" in fixed
    assert fixed.count("from reuse_lint.components import MLPBlock\n") == 1
