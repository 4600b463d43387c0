"""Read Python files as text and write them back exactly as they were kept.

Reading remembers the encoding, the BOM and (through the text itself) the
newline style, so a fix writes the file back byte-for-byte the same apart
from the rewritten calls. Writes are atomic: a temporary file in the same
directory, flushed and renamed over the original, with its permissions.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import re
import stat
import tokenize
from dataclasses import dataclass
from pathlib import Path


class SourceError(Exception):
    """A file that cannot be read as Python text; the message says why."""


@dataclass(frozen=True)
class Source:
    """A decoded file and how to encode it again."""

    text: str
    encoding: str
    bom: bool


def syntax_message(error: SyntaxError) -> str:
    """``syntax error at 2:7: invalid syntax``: where Python stopped, and why."""
    where = f"{error.lineno}:{(error.offset or 0)}" if error.lineno else "?"
    return f"syntax error at {where}: {error.msg}"


def decode(data: bytes) -> Source:
    """Decode file bytes the way Python would, without translating newlines."""
    if b"\x00" in data:
        raise SourceError("contains a NUL byte; not a Python source file")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        if "missing encoding declaration" in error.msg:
            message = "is not valid utf-8 and declares no other encoding"
        else:
            message = f"bad encoding declaration: {error.msg}"
        raise SourceError(message) from error
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8) :] if bom else data
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        return Source(body.decode(codec), codec, bom)
    except UnicodeDecodeError as error:
        raise SourceError(
            f"is not valid {codec}: cannot decode byte 0x{body[error.start]:02x}"
            f" at offset {error.start}"
        ) from error
    except (LookupError, UnicodeError) as error:  # `# coding: rot13`, `hex`, ...
        raise SourceError(f"bad encoding declaration: {error}") from error


def encode(source: Source, text: str) -> bytes:
    """Encode ``text`` with the encoding and BOM the file was read with."""
    data = text.encode(source.encoding)
    return codecs.BOM_UTF8 + data if source.bom else data


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Split on Python's own line breaks only (not form feeds or U+2028)."""
    return _LINE_BREAK.split(text)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def lines_with_ends(text: str) -> list[str]:
    """Like ``split_lines``, keeping each line's break (``splitlines(True)``)."""
    return _LINE.findall(text)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that readers see old or new, never half.

    The original is untouched if anything fails before the rename (a full
    disk, an interrupt); the new file keeps the original's permission bits
    and, where the process may set them, its owner and group.
    """
    import tempfile  # only a fix writes; a check run does not pay for it

    status = path.stat()
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".reuse-lint", dir=path.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        _keep_owner(temporary, status)
        os.chmod(temporary, stat.S_IMODE(status.st_mode))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _keep_owner(temporary: str, status: os.stat_result) -> None:
    """Give the new file the original's owner; only root may, so try quietly."""
    new = os.stat(temporary)
    if (new.st_uid, new.st_gid) == (status.st_uid, status.st_gid):
        return
    with contextlib.suppress(PermissionError):
        os.chown(temporary, status.st_uid, status.st_gid)
