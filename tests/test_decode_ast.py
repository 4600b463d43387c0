"""Decoding from ``ast`` gives LibCST's layers, or hands the call over."""

from __future__ import annotations

import ast
from pathlib import Path

import libcst as cst
import pytest

from reuse_lint.decode import decode_chain, dotted_name
from reuse_lint.decode_ast import SourceText, decode_chain_ast
from reuse_lint.imports import collect_imports
from reuse_lint.model import Layer
from reuse_lint.sources import lines_with_ends
from reuse_lint.targeted import dotted_ast

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "fixtures").rglob("*.py"))
HEADER = "import torch.nn as nn\nfrom collections import OrderedDict\n"

Decoded = tuple[tuple[Layer, ...], str | None]


def both(text: str) -> list[tuple[Decoded | None, Decoded]]:
    """``ast`` and LibCST decodings of every ``Sequential`` call in ``text``."""
    tree = ast.parse(text)
    table = collect_imports(tree)
    source = SourceText(lines_with_ends(text))
    pairs = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if not (dotted_ast(node.func) or "").endswith("Sequential"):
            continue
        fast = decode_chain_ast(node, source, lambda n: table.qualify(dotted_ast(n)))
        call = cst.parse_expression(source.of(node))
        assert isinstance(call, cst.Call)
        slow = decode_chain(call, lambda n: table.qualify(dotted_name(n)))
        pairs.append((fast, slow))
    return pairs


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem.split(".")[0])
def test_every_fixture_call_decodes_as_libcst_decodes_it(path: Path) -> None:
    for fast, slow in both(path.read_text(encoding="utf-8")):
        assert fast is None or fast == slow


def test_the_fixtures_are_decoded_without_libcst() -> None:
    pairs = [pair for path in SOURCES for pair in both(path.read_text("utf-8"))]

    assert len(pairs) > 50
    assert all(fast is not None for fast, _ in pairs)


DECODED = {
    "keywords": "nn.Sequential(nn.Linear(in_features=d, out_features=h, bias=False))",
    "starred-layers": "nn.Sequential(*layers, nn.ReLU())",
    "double-star": "nn.Sequential(nn.Linear(d, h, **dd), nn.ReLU())",
    "keyword-to-sequential": "nn.Sequential(nn.ReLU(), inplace=True)",
    "comments": "nn.Sequential(  # open\n    nn.Linear(d, h),  # a )\n    nn.ReLU(),\n)",
    "continuation": "nn.Sequential(nn.Linear(d, \\\n  h), nn.ReLU())",
    "multi-line-layer": "nn.Sequential(\n    nn.Linear(\n        d,\n        4 * d,\n    ),\n)",
    "one-line-in-crlf": "nn.Sequential(nn.Linear(d, h), nn.GELU())\r\ny = 1",
    "non-ascii": "nn.Sequential(nn.Linear(größe, h), nn.ReLU())  # é",
    "tabs": "nn.Sequential(\n\tnn.Linear(d, h),\n\tnn.ReLU())",
    "ordered-dict": "nn.Sequential(OrderedDict([('fc', nn.Linear(d, h)), ('act', act)]))",
    "empty": "nn.Sequential()",
    "inner-parentheses": "nn.Sequential(nn.Linear(d, (h + 1) * 2), f(x)(y))",
}


@pytest.mark.parametrize("text", DECODED.values(), ids=DECODED.keys())
def test_plain_calls_are_decoded_exactly(text: str) -> None:
    [(fast, slow)] = both(HEADER + "x = " + text + "\n")

    assert fast is not None
    assert fast == slow


HANDED_OVER = {
    "parenthesised-argument": "nn.Sequential(nn.Linear((d), h))",
    "parenthesised-layer": "nn.Sequential((nn.Linear(d, h)), nn.ReLU())",
    "parenthesised-star": "nn.Sequential(*(layers))",
    "parenthesised-function": "nn.Sequential((nn.Linear)(d, h))",
    "generator": "nn.Sequential(layer for layer in layers)",
    "parenthesised-pair": "nn.Sequential(OrderedDict([(('fc', nn.Linear(d, h)))]))",
    "starred-pair": "nn.Sequential(OrderedDict([*pairs]))",
    "crlf": "nn.Sequential(\r\n    nn.Linear(d, h),\r\n    nn.GELU(),\r\n)",
}


@pytest.mark.parametrize("text", HANDED_OVER.values(), ids=HANDED_OVER.keys())
def test_calls_whose_text_ast_cannot_vouch_for_go_to_libcst(text: str) -> None:
    [(fast, _slow)] = both(HEADER + "x = " + text + "\n")

    assert fast is None
