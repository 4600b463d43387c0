"""Proof of equivalence: every fixed fixture builds a model that cannot be told apart.

For each fixture class in ``EXAMPLES`` and each device, the original module and
its golden fixed file (``NAME.fixed.py``, checked against the fixer by
``test_codemod.py``) are imported and built under the same seed, then compared
bitwise by ``twins.assert_same_model``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import golden
import pytest
import twins

from reuse_lint.components import MLPBlock

CASES = [
    pytest.param(path, name, id=f"{golden.fixture_id(path)}:{name}")
    for path in golden.fixable_fixtures()
    for name in golden.examples(path)
]


@pytest.mark.parametrize("device", twins.DEVICES)
@pytest.mark.parametrize(("path", "name"), CASES)
def test_fixed_model_is_indistinguishable(path: Path, name: str, device: str) -> None:
    example = golden.examples(path)[name]
    classes = [
        getattr(golden.import_file(p), name) for p in (path, golden.golden_path(path))
    ]

    original, fixed = (twins.build(c, example["kwargs"], device) for c in classes)
    inputs = twins.make_inputs(example["inputs"], device)

    twins.assert_same_model(original, fixed, inputs)


@pytest.mark.parametrize("path", golden.fixable_fixtures(), ids=golden.fixture_id)
def test_examples_build_every_rewritten_block(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixed_path = golden.golden_path(path)
    lines = fixed_path.read_text(encoding="utf-8").splitlines()
    rewritten = {n for n, line in enumerate(lines, start=1) if "MLPBlock(" in line}
    built: set[int] = set()
    original_init = MLPBlock.__init__

    def recording_init(self: MLPBlock, *args: Any, **kwargs: Any) -> None:
        caller = sys._getframe(1)
        if Path(caller.f_code.co_filename) == fixed_path:
            built.add(caller.f_lineno)
        original_init(self, *args, **kwargs)

    monkeypatch.setattr(MLPBlock, "__init__", recording_init)
    module = golden.import_file(fixed_path)
    for name, example in golden.examples(path).items():
        twins.build(getattr(module, name), example["kwargs"], "cpu")

    assert sorted(rewritten - built) == [], "EXAMPLES do not build these lines"
