"""ruff-shaped JSON: a list of findings with locations and fixes."""

from __future__ import annotations

import json
import os
from typing import Any, TextIO

from reuse_lint.model import Finding


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """One finding in ruff's JSON shape (rows and columns are 1-based).

    As in ruff, ``filename`` is absolute and ``cell`` is null (no notebooks).
    """
    span = finding.span
    location = {"row": span.line, "column": span.column}
    end = {"row": span.end_line, "column": span.end_column}
    fix = None
    if finding.fix is not None:
        fix = {
            "applicability": finding.fix.applicability,
            "message": finding.fix.title,
            "edits": [
                {
                    "content": finding.fix.content,
                    "location": location,
                    "end_location": end,
                }
            ],
        }
    return {
        "cell": None,
        "code": finding.code,
        "message": finding.message,
        "filename": os.path.abspath(finding.path),
        "location": location,
        "end_location": end,
        "fix": fix,
        "noqa_row": span.line,
        "url": None,
    }


def write_json(findings: list[Finding], stream: TextIO) -> None:
    """The whole list, indented, with a trailing newline."""
    json.dump(
        [finding_to_dict(f) for f in findings], stream, indent=2, ensure_ascii=False
    )
    stream.write("\n")
