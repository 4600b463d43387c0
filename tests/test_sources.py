"""Reading files as Python would, and writing them back atomically."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

import pytest

from reuse_lint import sources
from reuse_lint.sources import (
    Source,
    SourceError,
    decode,
    encode,
    lines_with_ends,
    split_lines,
    write_atomic,
)

FFN = b"ff = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 8))\n"


# Decoding


def test_plain_utf_8() -> None:
    assert decode("x = 'é'\n".encode()) == Source("x = 'é'\n", "utf-8", False)


def test_bom_is_remembered_and_not_part_of_the_text() -> None:
    source = decode(codecs.BOM_UTF8 + FFN)
    assert source == Source(FFN.decode(), "utf-8", True)
    assert encode(source, source.text) == codecs.BOM_UTF8 + FFN


def test_coding_cookie_is_honoured() -> None:
    data = b"# -*- coding: latin-1 -*-\n# caf\xe9\n" + FFN
    source = decode(data)
    assert source.encoding == "iso-8859-1"
    assert "café" in source.text
    assert encode(source, source.text) == data


def test_newlines_are_not_translated() -> None:
    data = b"a = 1\r\nb = 2\rc = 3\n"
    source = decode(data)
    assert source.text == data.decode()
    assert encode(source, source.text) == data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"x = 1\x00\n", "contains a NUL byte; not a Python source file"),
        (b"# caf\xe9\n", "is not valid utf-8"),
        (b"a = 1\nb = 2\n# \xe9\n", "is not valid utf-8: cannot decode byte 0xe9 at"),
        (b"# coding: klingon\n", "bad encoding declaration: unknown encoding: klingon"),
        (b"\xef\xbb\xbf# coding: latin-1\n", "bad encoding declaration"),
        (b"# coding: rot13\n" + FFN, "bad encoding declaration: 'rot13' is not a text"),
        (b"# coding: hex\n" + FFN, "bad encoding declaration: 'hex' is not a text"),
        (b"# coding: undefined\n", "bad encoding declaration: "),
    ],
    ids=[
        "nul",
        "bad-utf8",
        "bad-utf8-line-3",
        "unknown",
        "bom-and-cookie",
        "rot13",
        "hex",
        "undefined",
    ],
)
def test_undecodable_bytes_are_one_line_source_errors(
    data: bytes, message: str
) -> None:
    with pytest.raises(SourceError) as raised:
        decode(data)

    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


# Lines


def test_only_python_line_breaks_split_lines() -> None:
    text = "a\x0cb\u2028c\x1cd\r\ne\rf\ng"
    assert split_lines(text) == ["a\x0cb\u2028c\x1cd", "e", "f", "g"]
    assert lines_with_ends(text) == ["a\x0cb\u2028c\x1cd\r\n", "e\r", "f\n", "g"]
    assert "".join(lines_with_ends(text)) == text


# Writing


def test_write_replaces_content_and_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "model.py"
    path.write_bytes(b"old\n")
    path.chmod(0o640)

    write_atomic(path, b"new\n")

    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["model.py"]


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, OSError])
def test_interrupted_write_keeps_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, interrupt: type[BaseException]
) -> None:
    path = tmp_path / "model.py"
    path.write_bytes(b"old\n")

    def stop(*args: object) -> None:
        raise interrupt()

    monkeypatch.setattr(sources.os, "replace", stop)
    with pytest.raises(interrupt):
        write_atomic(path, b"new\n")

    assert path.read_bytes() == b"old\n"
    assert os.listdir(tmp_path) == ["model.py"]
