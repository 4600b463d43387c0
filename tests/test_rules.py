"""Every rule has a document, and the examples in it behave as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reuse_lint.analysis import AnalysisOptions, analyse_source
from reuse_lint.codemod import apply_fixes
from reuse_lint.config import Config
from reuse_lint.findings import collect_findings
from reuse_lint.rule_docs import read_rule_doc
from reuse_lint.rules import ALL_RULES, RULES_BY_CODE, select_rules

HEADINGS = [
    "## What it does",
    "## Why it matters",
    "## Example",
    "## Use instead",
    "## Fix safety",
    "## Known limits",
]


def _block(document: str, heading: str) -> str:
    section = document.split(heading, 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, f"no python example under {heading}"
    return match.group(1)


def _codes(code: str) -> list[str]:
    analysis = analyse_source(Path("example.py"), "example.py", code, AnalysisOptions())
    findings, _ = collect_findings([analysis], ALL_RULES, Config())
    return [f.code for f in findings]


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_document_has_every_heading_in_order(rule: object) -> None:
    document = read_rule_doc(rule.code)  # type: ignore[attr-defined]
    positions = [document.index(h) for h in HEADINGS]
    assert positions == sorted(positions)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_example_is_flagged_and_fixes_into_use_instead(rule: object) -> None:
    code = rule.code  # type: ignore[attr-defined]
    document = read_rule_doc(code)
    example, instead = (
        _block(document, "## Example"),
        _block(document, "## Use instead"),
    )

    assert _codes(example) == [code]
    assert _codes(instead) == []
    analysis = analyse_source(Path("e.py"), "e.py", example, AnalysisOptions())
    fixed, _ = apply_fixes(
        example, list(analysis.chains), "reuse_lint.components:MLPBlock"
    )
    assert fixed == instead


def test_codes_are_one_family_with_unique_codes() -> None:
    codes = [rule.code for rule in ALL_RULES]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"RL1\d\d", c) for c in codes)
    assert set(RULES_BY_CODE) == set(codes)


def test_select_and_ignore_by_prefix() -> None:
    assert [r.code for r in select_rules(["RL1"], ["RL102"])] == ["RL101"]
    assert select_rules(None, []) == ALL_RULES


def test_rule_documents_ship_in_the_wheel_configuration() -> None:
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text()
    assert '"rules" = "reuse_lint/_rule_docs"' in pyproject
