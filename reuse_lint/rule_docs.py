"""Find and read the rule documents shipped with the package."""

from __future__ import annotations

from pathlib import Path

from reuse_lint.errors import UsageError
from reuse_lint.rules import RULES_BY_CODE


def rule_docs_dir() -> Path:
    """``reuse_lint/_rule_docs`` in a wheel, ``rules/`` in a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "_rule_docs"
    return packaged if packaged.is_dir() else here.parent / "rules"


def read_rule_doc(code: str) -> str:
    """The Markdown document of ``code``; ``UsageError`` if there is none."""
    if code not in RULES_BY_CODE:
        known = ", ".join(sorted(RULES_BY_CODE))
        raise UsageError(f"unknown rule code `{code}` (known: {known})")
    path = rule_docs_dir() / f"{code}.md"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"the document of {code} is missing: {path}") from error
