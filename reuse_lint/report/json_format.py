"""The report as JSON for machines: the same keys in every report.

Top level: ``version``, ``component``, ``summary``, ``components``,
``chains``, ``duplicates``, ``errors``. Absent values are ``null`` or empty
lists, never missing keys; paths and lines are as the check command reports
them.
"""

from __future__ import annotations

import json
from typing import Any

from reuse_lint.report.model import ChainRow, ComponentRow, Report

VERSION = 1


def report_to_dict(report: Report) -> dict[str, Any]:
    """The whole report as plain JSON values, keys in a fixed order."""
    return {
        "version": VERSION,
        "component": report.component,
        "summary": _summary(report),
        "components": [_component(row) for row in report.rows],
        "chains": [_chain(chain) for chain in report.chains],
        "duplicates": [
            {
                "layers": group.layers,
                "sizes": group.sizes,
                "locations": [{"path": p, "line": n} for p, n in group.locations],
            }
            for group in report.duplicates
        ],
        "errors": [{"path": p, "message": m} for p, m in report.errors],
    }


def render_json(report: Report) -> str:
    """Indented JSON with a trailing newline."""
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"


def _summary(report: Report) -> dict[str, Any]:
    summary = report.summary
    return {
        "files": summary.files,
        "components": summary.components,
        "replaceable_components": summary.replaceable_components,
        "replaceable_chains": summary.replaceable_chains,
        "suppressed_chains": summary.suppressed_chains,
        "exempt": [
            {"kind": kind, "reason": reason, "count": count}
            for kind, reason, count in summary.exempt
        ],
        "near_misses": [
            {"reason_code": code, "count": count} for code, count in summary.near_misses
        ],
        "duplicate_groups": len(report.duplicates),
        "duplicated_lines": summary.duplicated_lines,
        "lines_after_fix": summary.lines_after_fix,
        "lines_saved": summary.lines_saved,
        "reusing_library": list(summary.reusing_library),
    }


def _component(row: ComponentRow) -> dict[str, Any]:
    return {
        "component": row.component,
        "kind": row.kind,
        "path": row.path,
        "line": row.line,
        "replaceable": row.replaceable,
        "reuses": row.reuses,
        "library": list(row.library),
        "builtins": list(row.builtins),
        "primitives": list(row.primitives),
        "reason": row.reason,
        "chains": dict(row.chains),
    }


def _chain(chain: ChainRow) -> dict[str, Any]:
    return {
        "owner": chain.owner,
        "component": chain.component,
        "path": chain.path,
        "line": chain.line,
        "verdict": chain.verdict,
        "code": chain.code,
        "layers": chain.layers,
        "reason": chain.reason,
        "reason_code": chain.reason_code or None,
        "lines": chain.lines,
        "lines_after_fix": chain.lines_after_fix,
    }
