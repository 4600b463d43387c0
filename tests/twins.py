"""Build an original and a fixed model under one seed and hold them equal.

Equal means bitwise: the same ``state_dict`` keys, shapes and values, the
same child paths, the same outputs in eval mode, the same outputs, input
gradients and parameter gradients in train mode under the same seed, and the
original's ``state_dict`` loading into the fixed model with ``strict=True``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from typing import Any

# cuBLAS picks reduction orders per workspace; this makes CUDA runs repeatable.
os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")

import pytest
import torch
from torch import nn

# The models compared here are tiny: one thread avoids thread start-up and
# hand-over costs that dwarf the arithmetic, above all on a loaded machine.
torch.set_num_threads(1)

CONSTRUCTION_SEED = 0
FORWARD_SEED = 1
INPUT_SEED = 1234

DEVICES = [
    pytest.param("cpu", id="cpu"),
    pytest.param(
        "cuda",
        id="cuda",
        marks=pytest.mark.skipif(
            not torch.cuda.is_available(),
            reason="no CUDA device (torch.cuda.is_available() is False)",
        ),
    ),
]


def build(cls: Any, kwargs: dict[str, Any], device: str) -> nn.Module:
    """Construct ``cls(**kwargs)`` right after seeding, then move it."""
    torch.manual_seed(CONSTRUCTION_SEED)
    model: nn.Module = cls(**kwargs)
    return model.to(device)


def make_inputs(shapes: Sequence[Sequence[int]], device: str) -> list[torch.Tensor]:
    """Float inputs of the given shapes, the same on every call."""
    generator = torch.Generator().manual_seed(INPUT_SEED)
    return [torch.randn(*shape, generator=generator).to(device) for shape in shapes]


def assert_same_model(
    original: nn.Module, fixed: nn.Module, inputs: Sequence[torch.Tensor]
) -> None:
    """Assert that nothing observable tells the two models apart."""
    with _deterministic():
        assert_same_state(original, fixed)
        assert _module_paths(original) == _module_paths(fixed)
        assert _leaf_settings(original) == _leaf_settings(fixed)

        eval_original = _run(original, inputs, train=False)
        eval_fixed = _run(fixed, inputs, train=False)
        _assert_same_tensors(eval_original, eval_fixed, "eval output")

        train_original = _run(original, inputs, train=True)
        train_fixed = _run(fixed, inputs, train=True)
        _assert_same_tensors(train_original, train_fixed, "train output or gradient")

    fixed.load_state_dict(original.state_dict(), strict=True)


def assert_same_state(original: nn.Module, fixed: nn.Module) -> None:
    """Same ``state_dict`` keys in the same order, same shapes, same values."""
    before, after = original.state_dict(), fixed.state_dict()
    assert list(before) == list(after)
    for key, value in before.items():
        assert value.shape == after[key].shape, key
        assert value.dtype == after[key].dtype, key
        assert torch.equal(value, after[key]), key


def _module_paths(model: nn.Module) -> list[str]:
    return [name for name, _ in model.named_modules()]


def _leaf_settings(model: nn.Module) -> list[tuple[str, str]]:
    """Each layer's path and ``repr``: its settings as torch shows them.

    Containers differ on purpose (``MLPBlock`` for ``Sequential``); the
    layers inside must not (``Dropout(p=0)``, ``elementwise_affine=0``).
    """
    return [
        (name, repr(module))
        for name, module in model.named_modules()
        if next(module.children(), None) is None
    ]


def _run(model: nn.Module, inputs: Sequence[torch.Tensor], *, train: bool) -> list[Any]:
    """Outputs, then (in train mode) input and parameter gradients."""
    model.train(train)
    model.zero_grad(set_to_none=True)
    leaves = [x.detach().clone().requires_grad_(train) for x in inputs]
    torch.manual_seed(FORWARD_SEED)
    outputs = _flatten(model(*leaves))
    if not train:
        return outputs

    differentiable = [o for o in outputs if isinstance(o, torch.Tensor) and o.grad_fn]
    torch.autograd.backward([o.sum() for o in differentiable])
    grads = [x.grad for x in leaves]
    grads += [p.grad for _, p in model.named_parameters()]
    return outputs + grads


def _flatten(value: Any) -> list[Any]:
    if isinstance(value, (tuple, list)):
        return [leaf for item in value for leaf in _flatten(item)]
    if isinstance(value, dict):
        return [leaf for key in sorted(value) for leaf in _flatten(value[key])]
    return [value]


def _assert_same_tensors(before: list[Any], after: list[Any], what: str) -> None:
    assert len(before) == len(after), what
    for index, (a, b) in enumerate(zip(before, after, strict=True)):
        if not isinstance(a, torch.Tensor):
            assert a == b, f"{what} {index}"
            continue
        assert isinstance(b, torch.Tensor), f"{what} {index}"
        assert a.dtype == b.dtype and a.device == b.device, f"{what} {index}"
        assert torch.equal(a, b), f"{what} {index} differs"


@contextlib.contextmanager
def _deterministic() -> Iterator[None]:
    """Deterministic kernels for the comparison, restored afterwards."""
    enabled = torch.are_deterministic_algorithms_enabled()
    warn_only = torch.is_deterministic_algorithms_warn_only_enabled()
    torch.use_deterministic_algorithms(True, warn_only=True)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(enabled, warn_only=warn_only)
