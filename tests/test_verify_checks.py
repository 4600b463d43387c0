"""Tests for ``reuse_lint.verify_checks``: each check catches its own difference."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from reuse_lint import verify_checks  # noqa: E402
from reuse_lint.analysis import AnalysisOptions, analyse_source  # noqa: E402
from reuse_lint.components import MLPBlock  # noqa: E402
from reuse_lint.verify import LayerPlan, SitePlan, plan_site  # noqa: E402
from reuse_lint.verify_checks import (  # noqa: E402
    SiteSkipped,
    check_children,
    check_eval,
    check_loads,
    check_state,
    check_train,
    compare,
)

DEVICES = [
    "cpu",
    pytest.param(
        "cuda",
        marks=pytest.mark.skipif(
            not torch.cuda.is_available(), reason="no CUDA device on this machine"
        ),
    ),
]

CHAIN = """\
from torch import nn
ffn = nn.Sequential(
    nn.LayerNorm(dim, eps=1e-6),
    nn.Linear(dim, hidden, bias=use_bias),
    nn.ReLU(inplace=True),
    nn.Dropout(drop),
    nn.Linear(hidden, out),
    nn.Dropout(0.3),
)
"""


def _plan(code: str = CHAIN) -> SitePlan:
    analysis = analyse_source(Path("snippet.py"), "snippet.py", code, AnalysisOptions())
    (chain,) = analysis.chains
    return plan_site(chain)


def _use(monkeypatch: pytest.MonkeyPatch, component: Any) -> None:
    monkeypatch.setattr(verify_checks, "MLPBlock", component)


@pytest.mark.parametrize("device", DEVICES)
def test_a_faithful_replacement_passes_every_check(device: str) -> None:
    plan = _plan()

    assert compare(plan, device) is None
    assert plan.samples == {
        "dim": 11,
        "hidden": 13,
        "use_bias": False,
        "drop": 0.1,
        "out": 17,
    }


def test_the_replacement_uses_the_chains_own_activation_layer() -> None:
    plan = _plan()

    activation = plan.replacement["activation"]
    assert activation == LayerPlan("ReLU", {"inplace": True})
    assert isinstance(verify_checks.build_replacement(plan)[2], nn.ReLU)


def test_a_changed_child_setting_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, lambda **kw: MLPBlock(**{**kw, "activation": "relu"}))

    assert compare(_plan(), "cpu") == (
        "child `2: ReLU(inplace=True)` became `2: ReLU()`"
    )


def test_other_initial_values_are_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    def reseeded(**kwargs: Any) -> MLPBlock:
        torch.manual_seed(1)
        return MLPBlock(**kwargs)

    _use(monkeypatch, reseeded)

    assert compare(_plan(), "cpu") == (
        "`1.weight` has different initial values under the same seed"
    )


def test_other_eval_outputs_are_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    class Doubled(MLPBlock):
        def forward(self, x: Any) -> Any:
            return super().forward(x) * 2

    _use(monkeypatch, Doubled)

    assert compare(_plan(), "cpu") == "eval outputs differ"


def test_other_dropout_masks_are_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    class ExtraDraw(MLPBlock):
        def forward(self, x: Any) -> Any:
            if self.training:
                torch.rand(1)
            return super().forward(x)

    _use(monkeypatch, ExtraDraw)

    assert compare(_plan(), "cpu") == "train-mode outputs differ"


def test_other_gradients_are_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    class ScaledGradient(MLPBlock):
        def forward(self, x: Any) -> Any:
            out = super().forward(x)
            return out.detach() + (out - out.detach()) * 2

    _use(monkeypatch, ScaledGradient)

    assert compare(_plan(), "cpu") == "train-mode input gradients differ"


def test_a_strict_load_failure_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    def refusing(**kwargs: Any) -> MLPBlock:
        block = MLPBlock(**kwargs)
        block.register_load_state_dict_post_hook(
            lambda module, keys: keys.unexpected_keys.append("stray")
        )
        return block

    _use(monkeypatch, refusing)

    difference = compare(_plan(), "cpu")
    assert difference is not None
    assert difference.startswith("the chain's state_dict does not load strictly:")


def test_a_component_that_refuses_the_arguments_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refusing(**kwargs: Any) -> MLPBlock:
        raise ValueError("dropout must be between 0 and 1")

    _use(monkeypatch, refusing)

    assert compare(_plan(), "cpu") == (
        "the replacement cannot be built: ValueError: dropout must be between 0 and 1"
    )


def test_a_replacement_that_fails_on_the_input_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Failing(MLPBlock):
        def forward(self, x: Any) -> Any:
            raise RuntimeError("shape mismatch\nmore detail")

    _use(monkeypatch, Failing)

    assert compare(_plan(), "cpu") == (
        "the replacement fails on the sample input: RuntimeError: shape mismatch"
    )


def test_a_chain_torch_refuses_skips_the_site() -> None:
    plan = _plan()
    broken = SitePlan(
        (LayerPlan("Dropout", {"p": 2.0}), *plan.layers[1:]),
        plan.replacement,
        plan.input_dim,
        plan.samples,
    )

    with pytest.raises(SiteSkipped, match="the chain cannot be built"):
        compare(broken, "cpu")


def _pair(a: Any, b: Any) -> tuple[Any, Any, Any]:
    torch.manual_seed(0)
    first = nn.Sequential(*a)
    torch.manual_seed(0)
    return first, nn.Sequential(*b), torch.randn(2, 3, 4)


def test_check_children_reports_a_missing_child() -> None:
    original, replacement, inputs = _pair(
        [nn.Linear(4, 4), nn.ReLU(), nn.Dropout(0.1)], [nn.Linear(4, 4), nn.ReLU()]
    )

    assert check_children(original, replacement, inputs) == (
        "the chain has 3 children, the replacement 2"
    )


def test_check_state_reports_keys_and_shapes() -> None:
    original, replacement, inputs = _pair([nn.Linear(4, 4)], [nn.Linear(4, 5)])
    assert check_state(original, replacement, inputs) == (
        "`0.weight` has shape (4, 4), then (5, 4)"
    )

    original, replacement, inputs = _pair(
        [nn.Linear(4, 4)], [nn.Linear(4, 4, bias=False)]
    )
    assert check_state(original, replacement, inputs) == (
        "state_dict keys differ: ['0.weight', '0.bias'] became ['0.weight']"
    )


def test_check_eval_train_and_loads_pass_on_equal_models() -> None:
    layers = [nn.Linear(4, 6), nn.GELU(), nn.Dropout(0.2), nn.Linear(6, 4)]
    torch.manual_seed(0)
    again = [nn.Linear(4, 6), nn.GELU(), nn.Dropout(0.2), nn.Linear(6, 4)]
    original, replacement, inputs = _pair(layers, again)
    replacement.load_state_dict(original.state_dict())

    assert check_eval(original, replacement, inputs) is None
    assert check_train(original, replacement, inputs) is None
    assert check_loads(original, replacement, inputs) is None


def test_the_default_device_list_starts_with_cpu() -> None:
    devices = verify_checks.available_devices()

    assert devices[0] == "cpu"
    assert ("cuda" in devices) == torch.cuda.is_available()


def test_one_thread_restores_the_setting() -> None:
    before = torch.get_num_threads()

    with verify_checks.one_thread():
        assert torch.get_num_threads() == 1

    assert torch.get_num_threads() == before
