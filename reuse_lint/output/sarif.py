"""SARIF 2.1.0 for code-scanning services (GitHub, Azure DevOps, IDEs).

One run with the rule metadata (help text from each rule's document), one
result per finding with its fix, and a notification per file that could not
be checked. URIs are relative to ``%SRCROOT%``, the working directory.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from reuse_lint import __version__
from reuse_lint.baseline import occurrences
from reuse_lint.errors import UsageError
from reuse_lint.model import FileAnalysis, Finding, Fix, Span
from reuse_lint.rules import ALL_RULES
from reuse_lint.rules.base import Rule

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
    "sarif-schema-2.1.0.json"
)
FALLBACK_INFORMATION_URI = "https://pypi.org/project/reuse-lint/"
FINGERPRINT_KEY = "reuseLint/v1"
SRCROOT = "%SRCROOT%"


def write_sarif(
    findings: list[Finding],
    stream: TextIO,
    analyses: Iterable[FileAnalysis] = (),
    errors: Iterable[tuple[str, str]] = (),
) -> None:
    """The SARIF log, indented, with a trailing newline."""
    log = sarif_log(findings, analyses, errors)
    json.dump(log, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def sarif_log(
    findings: list[Finding],
    analyses: Iterable[FileAnalysis] = (),
    errors: Iterable[tuple[str, str]] = (),
) -> dict[str, Any]:
    """The whole log as plain data."""
    index = {rule.code: i for i, rule in enumerate(ALL_RULES)}
    ranks = occurrences(findings, analyses)
    errors = list(errors)
    run = {
        "tool": {"driver": _driver()},
        "invocations": [_invocation(errors)],
        "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(finding, index, rank)
            for finding, rank in zip(findings, ranks, strict=True)
        ],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _driver() -> dict[str, Any]:
    return {
        "name": "reuse-lint",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": information_uri(),
        "rules": [rule_descriptor(rule) for rule in ALL_RULES],
    }


def information_uri() -> str:
    """The project's home page from the package metadata, or its PyPI page."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("reuse-lint").get_all("Project-URL") or []
    except PackageNotFoundError:
        urls = []
    for entry in urls:
        url = str(entry).partition(",")[2].strip()
        if url:
            return url
    return FALLBACK_INFORMATION_URI


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """A rule's metadata; the help is its document when there is one."""
    document = _document(rule.code)
    described = _section(document, "what it does") if document else None
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": described or rule.summary},
        "help": {
            "text": document or rule.summary,
            "markdown": document or rule.summary,
        },
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["maintainability"], "fixTitle": rule.fix_title},
    }


def _document(code: str) -> str | None:
    from reuse_lint.rule_docs import read_rule_doc

    try:
        return read_rule_doc(code)
    except UsageError:
        return None


def _section(document: str, heading: str) -> str | None:
    """The text under a Markdown heading (any level), up to the next heading."""
    parts = re.split(r"^#+[ \t]+(.*?)[ \t#]*$", document, flags=re.MULTILINE)
    for title, body in zip(parts[1::2], parts[2::2], strict=True):
        if title.strip().lower() == heading:
            return body.strip() or None
    return None


def _invocation(errors: list[tuple[str, str]]) -> dict[str, Any]:
    notifications = [
        {
            "level": "error",
            "message": {"text": message},
            "locations": [{"physicalLocation": {"artifactLocation": _artifact(path)}}],
        }
        for path, message in errors
    ]
    return {
        "executionSuccessful": not errors,
        "toolExecutionNotifications": notifications,
    }


def _result(finding: Finding, index: dict[str, int], rank: tuple[str, int]) -> Any:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": "warning",
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact(finding.path),
                    "region": _region(finding.span),
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: f"{rank[0]}:{rank[1]}"},
    }
    if finding.code in index:
        result["ruleIndex"] = index[finding.code]
    if finding.fix is not None:
        result["fixes"] = [_fix(finding, finding.fix)]
    return result


def _fix(finding: Finding, fix: Fix) -> dict[str, Any]:
    return {
        "description": {"text": fix.title},
        "artifactChanges": [
            {
                "artifactLocation": _artifact(finding.path),
                "replacements": [
                    {
                        "deletedRegion": _region(finding.span),
                        "insertedContent": {"text": fix.content},
                    }
                ],
            }
        ],
        "properties": {"applicability": fix.applicability},
    }


def _region(span: Span) -> dict[str, int]:
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }


def _artifact(path: str) -> dict[str, str]:
    """A relative URI under ``%SRCROOT%``, or an absolute ``file:`` URI."""
    location = Path(path)
    if location.is_absolute():
        return {"uri": location.as_uri()}
    return {"uri": quote(location.as_posix()), "uriBaseId": SRCROOT}
