"""Which classes are ``nn.Module`` subclasses, following bases across files.

``class BertLayer(GradientCheckpointingLayer)`` is a module because
``GradientCheckpointingLayer``, in another file, derives from
``nn.Module``. Each file's analysis records its classes with their bases as
the imports resolve them; here every base is looked up among the classes of
all analysed files, by the dotted module name each file has in its package
(``transformers.models.bert.modeling_bert``).

A base that is imported from a package rather than from the module that
defines it (``from ..bert import BertModel``, re-exported by a package's
``__init__``) is found when exactly one analysed module inside that package
defines a class of that name. A base defined outside the analysed files is
not followed: only ``torch.nn`` itself is known without its source.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable

from reuse_lint.model import FileAnalysis, ModuleInfo

TORCH_NN = "torch.nn."


def module_subclasses(analyses: Iterable[FileAnalysis]) -> set[tuple[str, int]]:
    """``(path, line)`` of every class that derives from a ``torch.nn`` class."""
    index = _ClassIndex(analyses)
    return {
        (path, info.line)
        for path, info in index.classes
        if index.derives_from_torch(path, info)
    }


class _ClassIndex:
    """The classes of every analysed file, by qualified and by simple name."""

    def __init__(self, analyses: Iterable[FileAnalysis]) -> None:
        self.classes: list[tuple[str, ModuleInfo]] = []
        self.files: dict[str, tuple[str, bool]] = {}
        self.by_qualified: dict[str, tuple[str, ModuleInfo]] = {}
        self.by_name: dict[str, list[str]] = defaultdict(list)
        packages: dict[str, tuple[str, ...]] = {}
        for analysis in analyses:
            module, _ = self.files[analysis.path] = module_name(analysis.path, packages)
            for info in analysis.modules:
                if not info.is_module:
                    continue
                self.classes.append((analysis.path, info))
                if info.top:
                    qualified = f"{module}.{info.name}"
                    self.by_qualified.setdefault(qualified, (analysis.path, info))
                    self.by_name[info.name].append(qualified)
        self._verdicts: dict[tuple[str, int], bool] = {}

    def derives_from_torch(self, path: str, info: ModuleInfo) -> bool:
        """Whether the class derives from torch.nn, directly or through bases."""
        key = (path, info.line)
        if key in self._verdicts:
            return self._verdicts[key]
        self._verdicts[key] = False  # a cycle of bases proves nothing
        verdict = any(self._base_derives(base, path) for base in info.bases)
        self._verdicts[key] = verdict
        return verdict

    def _base_derives(self, base: str, path: str) -> bool:
        if base.startswith(TORCH_NN):
            return True
        found = self._find(self._absolute(base, *self.files[path]))
        return found is not None and self.derives_from_torch(*found)

    @staticmethod
    def _absolute(base: str, module: str, is_package: bool) -> str:
        """``base`` as a dotted name from the top of its package tree."""
        if base.startswith("."):
            level = len(base) - len(base.lstrip("."))
            parts = module.split(".")
            if not is_package:  # a relative import starts from the package
                parts = parts[:-1]
            parts = parts[: max(0, len(parts) - (level - 1))]
            return ".".join([*parts, base.lstrip(".")])
        if "." not in base:  # written bare and not imported: this module's own
            return f"{module}.{base}"
        return base

    def _find(self, qualified: str) -> tuple[str, ModuleInfo] | None:
        found = self.by_qualified.get(qualified)
        if found is not None:
            return found
        package, _, name = qualified.rpartition(".")
        inside = {q for q in self.by_name.get(name, ()) if q.startswith(package + ".")}
        return self.by_qualified[inside.pop()] if len(inside) == 1 else None


def module_name(path: str, packages: dict[str, tuple[str, ...]]) -> tuple[str, bool]:
    """The dotted module name of a file, and whether it is a package's
    ``__init__``: its directories count for as long as they hold an
    ``__init__.py``. ``packages`` remembers the folders already looked at."""
    folder, file = os.path.split(os.path.abspath(path))
    stem = os.path.splitext(file)[0]
    parts = _package_parts(folder, packages)
    if stem == "__init__":
        return ".".join(parts) or stem, True
    return ".".join([*parts, stem]), False


def _package_parts(
    folder: str, packages: dict[str, tuple[str, ...]]
) -> tuple[str, ...]:
    if folder not in packages:
        parent, name = os.path.split(folder)
        inside = parent != folder and os.path.isfile(
            os.path.join(folder, "__init__.py")
        )
        packages[folder] = (*_package_parts(parent, packages), name) if inside else ()
    return packages[folder]
