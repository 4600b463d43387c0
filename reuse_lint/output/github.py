"""GitHub Actions workflow commands: one annotation per finding.

``::warning file=PATH,line=L,col=C,endLine=..,endColumn=..,title=CODE::message``
GitHub shows each line as an annotation on the pull request's diff. Values
are escaped as the Actions toolkit does: ``%``, CR and LF everywhere, and
also ``:`` and ``,`` inside properties.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from reuse_lint.model import Finding


def escape_data(text: str) -> str:
    """Escape a command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (file, title)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, properties: dict[str, object], message: str) -> str:
    """One workflow command line, without its newline."""
    pairs = ",".join(
        f"{name}={escape_property(str(value))}" for name, value in properties.items()
    )
    return f"::{kind} {pairs}::{escape_data(message)}"


def annotation(finding: Finding) -> str:
    """The ``::warning`` command of one finding."""
    span = finding.span
    properties: dict[str, object] = {
        "file": Path(finding.path).as_posix(),
        "line": span.line,
        "col": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
        "title": finding.code,
    }
    return command("warning", properties, finding.message)


def write_github(
    findings: list[Finding],
    stream: TextIO,
    errors: Iterable[tuple[str, str]] = (),
) -> None:
    """An ``::error`` per file that failed, then a ``::warning`` per finding."""
    for path, message in errors:
        stream.write(command("error", {"file": Path(path).as_posix()}, message) + "\n")
    for finding in findings:
        stream.write(annotation(finding) + "\n")
