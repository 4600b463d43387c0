"""A results cache keyed by file content, tool version and settings.

Entries are JSON (never pickle: a cache directory may come from anywhere and
must not be able to run code). Each entry is written atomically, so two runs
sharing the directory at once never see a torn entry.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reuse_lint import __version__
from reuse_lint.digest import digest
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


FORMAT = 2
"""Increased whenever what an entry holds changes: older entries are not read."""


class Cache:
    """Look up and store ``FileAnalysis`` results; a no-op when disabled.

    A cache directory (or an entry folder in it) that is a symbolic link is
    not used: the cache never writes through a link out of the tree.
    """

    def __init__(self, directory: Path | None, salt: str) -> None:
        self.directory = directory
        self.salt = salt
        self._index: dict[str, list[Any]] | None = None
        self._seen: dict[str, list[Any]] = {}
        index = digest(salt.encode(), 8)
        self._index_file = directory / f"index-{index}.json" if directory else None

    def known(self, path: Path, info: os.stat_result) -> tuple[str, str] | None:
        """``(key, fingerprint)`` recorded for this file version, if any.

        The index maps a path to its modification time, size, entry key and
        content digest, so a warm run need not read unchanged files at all.
        An empty key means the file held no candidate.
        """
        if self._index_file is None:
            return None
        if self._index is None:
            self._index = _read_index(self._index_file)
        entry = self._index.get(str(path))
        if entry is None or entry[0] != info.st_mtime_ns or entry[1] != info.st_size:
            return None
        return entry[2], entry[3]

    def remember(
        self, path: Path, info: os.stat_result, key: str, fingerprint: str
    ) -> None:
        """Record a file version for the index written by ``flush``."""
        if self.directory is not None:
            self._seen[str(path)] = [info.st_mtime_ns, info.st_size, key, fingerprint]

    @classmethod
    def open(cls, options: EngineOptions) -> Cache:
        """The cache for these options (disabled without a directory)."""
        salt = json.dumps(
            [
                __version__,
                FORMAT,
                options.component,
                options.prefilter,
                options.modules,
                [str(r) for r in options.roots],
            ]
        )
        directory = options.cache_dir
        if directory is not None and directory.is_symlink():
            directory = None  # writing through it could land anywhere
        return cls(directory, salt)

    def key(self, data: bytes) -> str:
        """The entry name for a file's bytes under this run's settings."""
        if self.directory is None:
            return ""
        return digest(data + self.salt.encode(), 16)

    def lookup(self, key: str, display: str) -> FileAnalysis | None:
        """The cached analysis, renamed to ``display``, or ``None``."""
        if self.directory is None or not key:
            return None
        try:
            raw = json.loads((self.directory / key[:2] / key).read_text())
            if not all(_unchanged(*entry) for entry in raw.get("depends", ())):
                return None
            return _analysis_from(raw, display)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(
        self,
        key: str,
        data: bytes,
        analysis: FileAnalysis,
        depends: tuple[str, ...] = (),
    ) -> None:
        """Remember an analysis (not an error), with the files it depends on."""
        if self.directory is None or not key or analysis.error:
            return
        try:
            stamps = [_stamp(path) for path in depends]
        except OSError:
            return
        folder = self.directory / key[:2]
        if folder.is_symlink():
            return
        try:
            _make_directory(self.directory)
            folder.mkdir(parents=True, exist_ok=True)
            import tempfile

            handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(handle, "w") as stream:
                json.dump(
                    {**asdict(analysis), "depends": stamps}, stream, default=_plain
                )
            os.replace(temporary, folder / key)
        except OSError:
            return

    def flush(self) -> None:
        """Write the index of file versions seen in this run, atomically."""
        if self._index_file is None or not self._seen:
            return
        index = {**(self._index or {}), **self._seen}
        if index == self._index:
            return  # nothing changed since the index was read
        import tempfile

        try:
            _make_directory(self._index_file.parent)
            handle, temporary = tempfile.mkstemp(
                dir=self._index_file.parent, suffix=".tmp"
            )
            with os.fdopen(handle, "w") as stream:
                json.dump(index, stream)
            os.replace(temporary, self._index_file)
        except OSError:
            return


def _make_directory(directory: Path) -> None:
    """Create the cache directory with a ``.gitignore`` that ignores it all."""
    if not directory.is_dir():
        directory.mkdir(parents=True, exist_ok=True)
        (directory / ".gitignore").write_text("# made by reuse-lint\n*\n")


def _read_index(path: Path) -> dict[str, list[Any]]:
    try:
        raw = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


def _stamp(path: str) -> list[object]:
    info = os.stat(path)
    return [path, info.st_mtime_ns, info.st_size]


def _unchanged(path: str, mtime_ns: int, size: int) -> bool:
    try:
        info = os.stat(path)
    except OSError:
        return False
    return info.st_mtime_ns == mtime_ns and info.st_size == size


def _plain(value: object) -> object:
    if isinstance(value, ChainKind):
        return value.value
    raise TypeError(f"cannot store {type(value).__name__} in the cache")


def _analysis_from(raw: dict[str, Any], display: str) -> FileAnalysis:
    return FileAnalysis(
        path=display,
        chains=tuple(_chain_from(c) for c in raw["chains"]),
        modules=tuple(
            ModuleInfo(
                m["name"],
                m["line"],
                m["is_module"],
                tuple(m["uses"]),
                tuple(m["bases"]),
                m["top"],
            )
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
