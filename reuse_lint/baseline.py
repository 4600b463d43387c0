"""Baselines: record today's findings, then report only the new ones.

A finding is known by its fingerprint, built from what stays put when lines
move: the rule code, the chain's normalised structure and its owner (the
enclosing class and function). Identical chains in one owner share a
fingerprint, so a baseline counts them per file (a multiset): a file that
gains a third copy of a twice-recorded chain reports one finding.

Paths in a baseline are relative to the baseline file's folder, so the check
gives the same answer from any working directory.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reuse_lint import __version__
from reuse_lint.errors import UsageError
from reuse_lint.model import FileAnalysis, Finding

VERSION = 1
"""The baseline format's version; a file with another version is refused."""

Key = tuple[str, str]
"""A path (relative to the baseline's folder) and a fingerprint."""


@dataclass(frozen=True)
class Entry:
    """One fingerprint in one file, seen ``count`` times."""

    path: str
    code: str
    owner: str
    fingerprint: str
    count: int


def fingerprint(code: str, structure: str, owner: str) -> str:
    """A short stable hash of what identifies a finding, without its place."""
    text = "\0".join((code, structure, owner))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def owners(analyses: Iterable[FileAnalysis]) -> dict[tuple[str, int, int], str]:
    """The owner of every analysed chain, by path, line and column."""
    return {
        (a.path, c.span.line, c.span.column): c.owner
        for a in analyses
        for c in a.chains
    }


def finding_fingerprint(
    finding: Finding, owner_of: dict[tuple[str, int, int], str]
) -> str:
    """The fingerprint of a finding, given the owners of the run's chains."""
    span = finding.span
    owner = owner_of.get((finding.path, span.line, span.column), "")
    structure = finding.structure or finding.message.partition(";")[0]
    return fingerprint(finding.code, structure, owner)


def occurrences(
    findings: list[Finding], analyses: Iterable[FileAnalysis]
) -> list[tuple[str, int]]:
    """Each finding's fingerprint and its 0-based rank among equal ones.

    The rank counts findings with the same path and fingerprint in line order,
    which is how identical copies in one owner are told apart.
    """
    owner_of = owners(analyses)
    ordered = sorted(
        range(len(findings)),
        key=lambda i: (
            findings[i].path,
            findings[i].span.line,
            findings[i].span.column,
        ),
    )
    seen: Counter[tuple[str, str]] = Counter()
    result: list[tuple[str, int]] = [("", 0)] * len(findings)
    for index in ordered:
        finding = findings[index]
        fp = finding_fingerprint(finding, owner_of)
        result[index] = (fp, seen[finding.path, fp])
        seen[finding.path, fp] += 1
    return result


def baseline_path(display: str, baseline_dir: Path) -> str:
    """A reported path, made relative to the baseline's folder (POSIX form)."""
    target = os.path.abspath(display)
    try:
        relative = os.path.relpath(target, os.path.abspath(baseline_dir))
    except ValueError:  # another drive on Windows
        relative = target
    return Path(relative).as_posix()


def entries(
    findings: list[Finding], analyses: Iterable[FileAnalysis], baseline_dir: Path
) -> list[Entry]:
    """The findings grouped into counted entries, in a stable order."""
    owner_of = owners(analyses)
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for finding in findings:
        span = finding.span
        counts[
            baseline_path(finding.path, baseline_dir),
            finding.code,
            owner_of.get((finding.path, span.line, span.column), ""),
            finding_fingerprint(finding, owner_of),
        ] += 1
    return [Entry(*key, count) for key, count in sorted(counts.items())]


def write_baseline(
    path: Path, findings: list[Finding], analyses: Iterable[FileAnalysis]
) -> int:
    """Write the baseline file; return the number of findings it records."""
    recorded = entries(findings, analyses, path.parent)
    document = {
        "version": VERSION,
        "tool": f"reuse-lint {__version__}",
        "findings": [
            {
                "path": e.path,
                "code": e.code,
                "owner": e.owner,
                "fingerprint": e.fingerprint,
                "count": e.count,
            }
            for e in recorded
        ],
    }
    try:
        path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise UsageError(
            f"cannot write baseline {path}: {error.strerror or error}"
        ) from error
    return sum(e.count for e in recorded)


def load_baseline(path: Path) -> Counter[Key]:
    """The recorded counts per (path, fingerprint); ``UsageError`` if unusable."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(
            f"cannot read baseline {path}: {error.strerror or error}"
        ) from error
    try:
        document = json.loads(text)
    except ValueError as error:
        raise UsageError(f"baseline {path} is not valid JSON: {error}") from error
    return _parse(document, path)


def _parse(document: Any, path: Path) -> Counter[Key]:
    if not isinstance(document, dict) or "version" not in document:
        raise UsageError(f"baseline {path} is not a reuse-lint baseline")
    if document["version"] != VERSION:
        raise UsageError(
            f"baseline {path} has version {document['version']!r}; "
            f"this reuse-lint reads version {VERSION}"
        )
    recorded = document.get("findings")
    if not isinstance(recorded, list):
        raise UsageError(f"baseline {path} has no list of findings")
    counts: Counter[Key] = Counter()
    for item in recorded:
        if not _valid_entry(item):
            raise UsageError(f"baseline {path} has a malformed entry: {item!r}")
        counts[item["path"], item["fingerprint"]] += item["count"]
    return counts


def _valid_entry(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("path"), str)
        and isinstance(item.get("fingerprint"), str)
        and isinstance(item.get("count"), int)
        and not isinstance(item.get("count"), bool)
        and item["count"] >= 1
    )


def new_findings(
    findings: list[Finding],
    analyses: Iterable[FileAnalysis],
    baseline: Counter[Key],
    baseline_dir: Path,
) -> list[Finding]:
    """The findings the baseline does not cover, in their original order.

    Where a file holds more copies of a fingerprint than recorded, the last
    copies in line order are the new ones.
    """
    ranks = occurrences(findings, analyses)
    return [
        finding
        for finding, (fp, rank) in zip(findings, ranks, strict=True)
        if rank >= baseline[baseline_path(finding.path, baseline_dir), fp]
    ]
