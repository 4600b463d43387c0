"""Build a site's chain and its replacement with torch, and compare them.

Only ``reuse_lint.verify`` imports this module, after it has checked that
torch is installed. Both models are built on the CPU under the same seed and
then moved to the device, and must agree on: child paths, types and settings;
``state_dict`` keys, shapes and values; outputs in eval mode; outputs, input
gradients and parameter gradients in train mode under the same seed; and the
original ``state_dict`` must load into the replacement with ``strict=True``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import torch
from torch import nn

from reuse_lint.components import MLPBlock
from reuse_lint.verify import LayerPlan, SitePlan

SEED = 0
BATCH_SHAPE = (2, 3)

T = TypeVar("T")

Check = Callable[[nn.Module, nn.Module, torch.Tensor], "str | None"]


class SiteSkipped(Exception):
    """The original chain cannot be built or run with the sample values."""


def available_devices() -> tuple[str, ...]:
    """``("cpu",)``, plus ``"cuda"`` when a GPU is available."""
    return ("cpu", "cuda") if torch.cuda.is_available() else ("cpu",)


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """Run on one CPU thread: the sample models are tiny, and threads only wait."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def compare(plan: SitePlan, device: str) -> str | None:
    """What differs between the chain and its replacement, or ``None``."""
    original = build_original(plan).to(device)
    try:
        replacement = build_replacement(plan).to(device)
    except Exception as error:  # any failure of the component is the finding
        return f"the replacement cannot be built: {_describe(error)}"
    inputs = torch.randn(
        *BATCH_SHAPE, plan.input_dim, generator=torch.Generator().manual_seed(SEED)
    ).to(device)

    for check in CHECKS:
        difference = check(original, replacement, inputs)
        if difference is not None:
            return difference
    return None


def build_layer(layer: LayerPlan) -> nn.Module:
    """``torch.nn.<kind>(**kwargs)``; ``kind`` comes from the catalogue."""
    module: nn.Module = getattr(nn, layer.kind)(**layer.kwargs)
    return module


def build_original(plan: SitePlan) -> nn.Sequential:
    """The hand-written chain, built under the seed."""
    torch.manual_seed(SEED)
    try:
        return nn.Sequential(*(build_layer(layer) for layer in plan.layers))
    except Exception as error:  # torch's own argument checks, of any type
        raise SiteSkipped(
            f"the chain cannot be built with the sample values: {_describe(error)}"
        ) from error


def build_replacement(plan: SitePlan) -> nn.Module:
    """The component call, built under the seed; arguments left to right."""
    torch.manual_seed(SEED)
    kwargs: dict[str, Any] = {  # sample values; the component checks them
        key: build_layer(value) if isinstance(value, LayerPlan) else value
        for key, value in plan.replacement.items()
    }
    block: nn.Module = MLPBlock(**kwargs)
    return block


def _describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".rstrip(": ")


def _children(module: nn.Module) -> list[str]:
    return [
        f"{name}: {type(child).__name__}({child.extra_repr()})"
        for name, child in module.named_modules()
        if name
    ]


def check_children(
    original: nn.Module, replacement: nn.Module, _: torch.Tensor
) -> str | None:
    """Same child paths, types and settings, in the same order."""
    before, after = _children(original), _children(replacement)
    for old, new in zip(before, after, strict=False):
        if old != new:
            return f"child `{old}` became `{new}`"
    if len(before) != len(after):
        return f"the chain has {len(before)} children, the replacement {len(after)}"
    return None


def check_state(
    original: nn.Module, replacement: nn.Module, _: torch.Tensor
) -> str | None:
    """Same ``state_dict`` keys in order, shapes and values."""
    old, new = original.state_dict(), replacement.state_dict()
    if list(old) != list(new):
        return f"state_dict keys differ: {list(old)} became {list(new)}"
    for key, value in old.items():
        if value.shape != new[key].shape:
            return (
                f"`{key}` has shape {tuple(value.shape)}, then {tuple(new[key].shape)}"
            )
        if not torch.equal(value, new[key]):
            return f"`{key}` has different initial values under the same seed"
    return None


def check_eval(
    original: nn.Module, replacement: nn.Module, inputs: torch.Tensor
) -> str | None:
    """Bit-identical outputs in eval mode."""
    ran = _run_both(_eval_step, original, replacement, inputs)
    if isinstance(ran, str):
        return ran
    expected, actual = ran
    return None if torch.equal(expected, actual) else "eval outputs differ"


def check_train(
    original: nn.Module, replacement: nn.Module, inputs: torch.Tensor
) -> str | None:
    """Bit-identical outputs and gradients in train mode under the same seed."""
    ran = _run_both(_train_step, original, replacement, inputs)
    if isinstance(ran, str):
        return ran
    expected, actual = ran
    for name, value in expected.items():
        if name not in actual or not _same(value, actual[name]):
            return f"train-mode {name} differ"
    return None


def check_loads(
    original: nn.Module, replacement: nn.Module, _: torch.Tensor
) -> str | None:
    """The original ``state_dict`` loads into the replacement strictly."""
    try:
        replacement.load_state_dict(original.state_dict(), strict=True)
    except RuntimeError as error:
        return f"the chain's state_dict does not load strictly: {_describe(error)}"
    return None


CHECKS: tuple[Check, ...] = (
    check_children,
    check_state,
    check_eval,
    check_train,
    check_loads,
)


Step = Callable[[nn.Module, torch.Tensor], T]


def _run_both(
    step: Step[T], original: nn.Module, replacement: nn.Module, inputs: torch.Tensor
) -> tuple[T, T] | str:
    """Run ``step`` on both; the chain failing skips the site."""
    try:
        expected = step(original, inputs)
    except RuntimeError as error:
        raise SiteSkipped(
            f"the chain fails on a sample input: {_describe(error)}"
        ) from error
    try:
        actual = step(replacement, inputs)
    except RuntimeError as error:
        return f"the replacement fails on the sample input: {_describe(error)}"
    return expected, actual


def _eval_step(model: nn.Module, inputs: torch.Tensor) -> torch.Tensor:
    model.eval()
    with torch.no_grad():
        output: torch.Tensor = model(inputs)
    return output


def _train_step(
    model: nn.Module, inputs: torch.Tensor
) -> dict[str, torch.Tensor | None]:
    """Outputs and gradients of one seeded forward and backward pass."""
    model.train()
    leaf = inputs.detach().clone().requires_grad_(True)
    torch.manual_seed(SEED)
    output: torch.Tensor = model(leaf)

    generator = torch.Generator().manual_seed(SEED + 1)
    upstream = torch.randn(output.shape, generator=generator).to(output.device)
    names = [name for name, _ in model.named_parameters()]
    parameters = [parameter for _, parameter in model.named_parameters()]
    gradients = torch.autograd.grad(
        output, (leaf, *parameters), upstream, allow_unused=True
    )
    result: dict[str, torch.Tensor | None] = {
        "outputs": output.detach(),
        "input gradients": gradients[0],
    }
    for name, gradient in zip(names, gradients[1:], strict=True):
        result[f"gradients of `{name}`"] = gradient
    return result


def _same(a: torch.Tensor | None, b: torch.Tensor | None) -> bool:
    if a is None or b is None:
        return a is b
    return torch.equal(a, b)
