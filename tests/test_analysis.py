"""The analysis against every fixture's expected findings, exemptions and near misses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reuse_lint.analysis import AnalysisOptions, analyse_source
from reuse_lint.model import ChainKind, FileAnalysis

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
EXPECTED = sorted(FIXTURES.rglob("*.expected.json"))


def _source_of(expected: Path) -> Path:
    return expected.with_name(expected.name.replace(".expected.json", ".py"))


def _analyse(path: Path, *, exact: bool, modules: bool = False) -> FileAnalysis:
    options = AnalysisOptions(roots=(FIXTURES,), exact=exact, modules=modules)
    return analyse_source(path, str(path), path.read_text(encoding="utf-8"), options)


def _findings(analysis: FileAnalysis) -> list[tuple[int, int, str]]:
    noqa = dict(analysis.noqa)
    found = []
    for chain in analysis.chains:
        if chain.kind is not ChainKind.REPLACEABLE or chain.spec is None:
            continue
        code = "RL101" if chain.spec.same_size else "RL102"
        codes = noqa.get(chain.span.line, ())
        if chain.span.line in noqa and (codes is None or code in codes):
            continue
        found.append((chain.span.line, chain.span.column, code))
    return sorted(found)


def test_fixture_corpus_is_there() -> None:
    assert len(EXPECTED) >= 40
    assert {p.parent.name for p in EXPECTED} >= {"seed", "variants", "near_misses"}


@pytest.mark.parametrize("exact", [False, True], ids=["fast", "exact"])
@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.stem.split(".")[0])
def test_fixture_matches_expectation(expected: Path, exact: bool) -> None:
    want = json.loads(expected.read_text())
    analysis = _analyse(_source_of(expected), exact=exact)

    assert analysis.error is None
    assert _findings(analysis) == sorted(
        (f["line"], f["column"], f["code"]) for f in want["findings"]
    )
    exempt = sorted(
        (c.span.line, c.kind.value)
        for c in analysis.chains
        if c.kind in (ChainKind.GATING, ChainKind.ROUTING)
    )
    assert exempt == sorted((e["line"], e["kind"]) for e in want["exempt"])
    near = sorted(
        (c.span.line, c.reason_code)
        for c in analysis.chains
        if c.kind is ChainKind.NEAR_MISS
    )
    assert near == sorted((n["line"], n["reason"]) for n in want["near_misses"])


@pytest.mark.parametrize("modules", [False, True], ids=["check", "report"])
@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.stem.split(".")[0])
def test_fast_and_exact_front_ends_agree(expected: Path, modules: bool) -> None:
    fast = _analyse(_source_of(expected), exact=False, modules=modules)
    exact = _analyse(_source_of(expected), exact=True, modules=modules)
    assert fast == exact
    if not modules:
        assert fast.modules == ()


def test_gates_and_routers_are_never_flagged_and_say_why() -> None:
    for expected in EXPECTED:
        analysis = _analyse(_source_of(expected), exact=False)
        for chain in analysis.chains:
            if chain.layers and chain.layers[-1].kind in ("Sigmoid", "Softmax"):
                assert chain.kind in (ChainKind.GATING, ChainKind.ROUTING)
                assert chain.spec is None
                assert "Sigmoid" in chain.reason or "Softmax" in chain.reason


def test_near_misses_carry_a_reason() -> None:
    for expected in EXPECTED:
        for chain in _analyse(_source_of(expected), exact=False).chains:
            if chain.kind is ChainKind.NEAR_MISS:
                assert chain.reason and chain.reason_code


def test_seed_bidirectional_has_two_identical_blocks() -> None:
    path = FIXTURES / "seed" / "bidirectional_cross_attention.py"
    analysis = _analyse(path, exact=False)
    blocks = [c for c in analysis.chains if c.kind is ChainKind.REPLACEABLE]

    assert len(blocks) == 2
    assert blocks[0].structure == blocks[1].structure
    assert blocks[0].spec is not None
    assert blocks[0].spec.hidden_dim == "d_model * 4"
    assert blocks[0].spec.activation == '"relu"'
