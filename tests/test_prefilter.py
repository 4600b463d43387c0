"""The byte prefilters: which files are parsed at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from reuse_lint.analysis import AnalysisOptions, analyse_source
from reuse_lint.model import ChainKind
from reuse_lint.prefilter import may_hold_candidate, may_hold_finding
from tests.test_fuzz import fuzz_settings, modules

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FFN = "nn.Sequential(nn.Linear(d, h), nn.ReLU(), nn.Linear(h, d))"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"x = nn.Sequential()", True),
        (b"from blocks import *", True),
        (b"from blocks import  \\\n    *", True),
        (b"import os\nx = a * b\n", False),
        (b"", False),
    ],
)
def test_candidate(data: bytes, expected: bool) -> None:
    assert may_hold_candidate(data) is expected


@pytest.mark.parametrize(
    "text",
    [
        FFN,
        "nn.Sequential  # layers\n(nn.Linear(d, h), nn.ReLU(), nn.Linear(h, d))",
        'nn.Sequential(nn.Identity(")"), nn.Linear(d, h), nn.ReLU(), nn.Linear(h, d))',
        "nn.Sequential(nn.Identity(),  # )\n  nn.Linear(d, h), nn.ReLU(), nn.Linear(h, d))",
        "nn.Sequential(nn.Identity('''\n)'''), nn.Linear(d, h), nn.GELU(), nn.Linear(h, d))",
        "from torch.nn import Linear as L\nnn.Sequential(L(d, h), nn.ReLU(), L(h, d))",
        "from torch.nn import Sequential as S\nS(nn.Linear(d, h), nn.ReLU(), nn.Linear(h, d))",
        "from blocks import *\nS(L(d, h), R(), L(h, d))",
        'nn.Sequential(nn.Identity(f"{x})"), nn.Conv2d(1, 2, 3))',
        "nn.Sequential(nn.Conv2d(1, 2, 3),",
        "nn.Sequential(nn.Conv2d(1, 2, 3))\n" + FFN,
    ],
    ids=[
        "ffn",
        "comment-before-parenthesis",
        "parenthesis-in-string",
        "parenthesis-in-comment",
        "parenthesis-in-triple-quotes",
        "linear-alias",
        "sequential-alias",
        "star-import",
        "f-string",
        "unclosed",
        "second-call",
    ],
)
def test_a_file_that_may_hold_a_finding_is_kept(text: str) -> None:
    assert may_hold_finding(text.encode())


@pytest.mark.parametrize(
    "text",
    [
        "import os\n",
        "nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU())",
        "nn.Sequential(nn.Linear(d, h), nn.Sigmoid())",
        "nn.Sequential(nn.Conv2d(1, 2, 3))\nfc1 = nn.Linear(d, h)\nfc2 = nn.Linear(h, d)",
        "# nn.Sequential(nn.Linear(d, h)) and nn.Linear(h, d)\nx = 1",
        "from .blocks import *\nfrom .heads import (Head,\n    Tail)\n__all__ = []",
        "from blocks import *\nblock = S(L(d, h))",
    ],
    ids=[
        "no-sequential",
        "convolutions",
        "one-linear",
        "linears-outside",
        "comment",
        "star-imports-without-calls",
        "star-import-two-calls",
    ],
)
def test_a_file_that_cannot_hold_a_finding_is_skipped(text: str) -> None:
    assert not may_hold_finding(text.encode())


@pytest.mark.parametrize(
    "path", sorted(FIXTURES.rglob("*.py")), ids=lambda p: p.stem.split(".")[0]
)
def test_no_fixture_with_a_finding_is_skipped(path: Path) -> None:
    replaceable = _replaceable(path.read_text(encoding="utf-8"), path)

    assert may_hold_finding(path.read_bytes()) or not replaceable


@fuzz_settings(ci_examples=300)
@given(modules())
def test_no_generated_module_with_a_finding_is_skipped(source: str) -> None:
    replaceable = _replaceable(source, Path("generated.py"))

    assert may_hold_finding(source.encode()) or not replaceable


def _replaceable(text: str, path: Path) -> bool:
    options = AnalysisOptions(roots=(FIXTURES,))
    analysis = analyse_source(path, str(path), text, options)
    return any(c.kind is ChainKind.REPLACEABLE for c in analysis.chains)
