"""The reuse report: which components can reuse the library, and why not.

``build_report`` turns a run's analyses and findings into a ``Report``;
``render`` writes it as markdown (for a pull-request comment), JSON (for
machines) or one self-contained HTML page (for people, with sortable tables).
"""

from __future__ import annotations

from reuse_lint.report.model import Report, build_report

FORMATS = ("markdown", "json", "html")


def render(report: Report, output_format: str) -> str:
    """The whole report as text in ``output_format`` (one of ``FORMATS``)."""
    if output_format == "json":
        from reuse_lint.report.json_format import render_json

        return render_json(report)
    if output_format == "html":
        from reuse_lint.report.html import render_html

        return render_html(report)
    from reuse_lint.report.markdown import render_markdown

    return render_markdown(report)


__all__ = ["FORMATS", "Report", "build_report", "render"]
