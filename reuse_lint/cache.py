"""A results cache keyed by file content, tool version and settings.

Entries are JSON (never pickle: a cache directory may come from anywhere and
must not be able to run code). Each entry is written atomically, so two runs
sharing the directory at once never see a torn entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reuse_lint import __version__
from reuse_lint.model import (
    Arg,
    Chain,
    ChainKind,
    FileAnalysis,
    Layer,
    MLPSpec,
    ModuleInfo,
    Span,
)

if TYPE_CHECKING:
    from reuse_lint.engine import EngineOptions


class Cache:
    """Look up and store ``FileAnalysis`` results; a no-op when disabled."""

    def __init__(self, directory: Path | None, salt: str) -> None:
        self.directory = directory
        self.salt = salt

    @classmethod
    def open(cls, options: EngineOptions) -> Cache:
        """The cache for these options (disabled without a directory)."""
        salt = json.dumps(
            [
                __version__,
                options.component,
                options.prefilter,
                [str(r) for r in options.roots],
            ]
        )
        return cls(options.cache_dir, salt)

    def key(self, data: bytes) -> str:
        """The entry name for a file's bytes under this run's settings."""
        if self.directory is None:
            return ""
        return hashlib.blake2b(data + self.salt.encode(), digest_size=16).hexdigest()

    def lookup(self, key: str, display: str) -> FileAnalysis | None:
        """The cached analysis, renamed to ``display``, or ``None``."""
        if self.directory is None or not key:
            return None
        try:
            raw = json.loads((self.directory / key[:2] / key).read_text())
            return _analysis_from(raw, display)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(self, key: str, data: bytes, analysis: FileAnalysis) -> None:
        """Remember an analysis (not for errors, nor files with star imports)."""
        if self.directory is None or not key or analysis.error or b"import *" in data:
            return
        folder = self.directory / key[:2]
        try:
            if not self.directory.is_dir():
                self.directory.mkdir(parents=True, exist_ok=True)
                (self.directory / ".gitignore").write_text("# made by reuse-lint\n*\n")
            folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(handle, "w") as stream:
                json.dump(asdict(analysis), stream, default=_plain)
            os.replace(temporary, folder / key)
        except OSError:
            return

    def flush(self) -> None:
        """Finish writing (entries are written as they come; nothing to do)."""


def _plain(value: object) -> object:
    if isinstance(value, ChainKind):
        return value.value
    raise TypeError(f"cannot store {type(value).__name__} in the cache")


def _analysis_from(raw: dict[str, Any], display: str) -> FileAnalysis:
    return FileAnalysis(
        path=display,
        chains=tuple(_chain_from(c) for c in raw["chains"]),
        modules=tuple(
            ModuleInfo(m["name"], m["line"], m["is_module"], tuple(m["uses"]))
            for m in raw["modules"]
        ),
        noqa=tuple(
            (line, tuple(codes) if codes is not None else None)
            for line, codes in raw["noqa"]
        ),
        error=raw["error"],
        warnings=tuple(raw["warnings"]),
    )


def _chain_from(raw: dict[str, Any]) -> Chain:
    spec = raw["spec"]
    return Chain(
        span=Span(**raw["span"]),
        layers=tuple(
            Layer(
                kind=layer["kind"],
                args=tuple(Arg(**arg) for arg in layer["args"]),
                code=layer["code"],
            )
            for layer in raw["layers"]
        ),
        kind=ChainKind(raw["kind"]),
        reason=raw["reason"],
        reason_code=raw["reason_code"],
        spec=MLPSpec(**spec) if spec is not None else None,
        structure=raw["structure"],
        owner=raw["owner"],
    )
