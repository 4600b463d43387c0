"""Tests for ``reuse_lint.components``: ``MLPBlock`` is a drop-in for its chains.

Each layout is built twice under the same seed, once as the hand-written
``nn.Sequential`` chain and once as ``MLPBlock``, and the two must agree
bitwise: weights, checkpoint keys, child types, outputs, dropout masks and
gradients.
"""

import ast
import copy
import inspect
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

import reuse_lint.components  # noqa: E402
from reuse_lint.components import ACTIVATIONS, MLPBlock  # noqa: E402

SEED = 0
P1, P2 = 0.25, 0.5
DROPOUT_LAYOUTS = [(P1, P2), (P1, None), (None, P2), (None, None)]
BIAS_LAYOUTS = [(True, True), (False, True), (True, False), (False, False)]


@dataclass(frozen=True)
class Activation:
    """An activation as the chain writes it and as the block is given it."""

    name: str
    make_child: Callable[[], Any]
    make_arg: Callable[[], Any]


ACTIVATION_CASES = [
    Activation("relu-name", nn.ReLU, lambda: "relu"),
    Activation("silu-name", nn.SiLU, lambda: "silu"),
    Activation("rrelu-name", nn.RReLU, lambda: "rrelu"),
    Activation("gelu-class", nn.GELU, lambda: nn.GELU),
    Activation(
        "gelu-tanh-instance",
        lambda: nn.GELU(approximate="tanh"),
        lambda: nn.GELU(approximate="tanh"),
    ),
    Activation("leaky-instance", lambda: nn.LeakyReLU(0.2), lambda: nn.LeakyReLU(0.2)),
]


@dataclass(frozen=True)
class Layout:
    """One chain shape, with everything needed to build it both ways."""

    dropouts: tuple[float | None, float | None] = (P1, P2)
    biases: tuple[bool, bool] = (True, True)
    norm: bool = False
    activation: Activation = ACTIVATION_CASES[0]
    sizes: tuple[int, int, int] = (6, 24, 6)
    norm_settings: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return (
            f"{self.activation.name}-norm{int(self.norm)}-drop{self.dropouts}"
            f"-bias{self.biases}-{self.sizes}"
        )


def _layouts() -> list[Layout]:
    """Every norm/dropout/bias layout with ReLU, then each activation."""
    layouts = [
        Layout(dropouts=dropouts, biases=biases, norm=norm)
        for norm in (False, True)
        for dropouts in DROPOUT_LAYOUTS
        for biases in BIAS_LAYOUTS
    ]
    layouts += [
        Layout(activation=activation, norm=norm, sizes=(5, 7, 3))
        for activation in ACTIVATION_CASES
        for norm in (False, True)
    ]
    layouts += [
        Layout(norm=True, norm_settings={"eps": 1e-6, "elementwise_affine": False}),
        Layout(dropouts=(0.0, 0.0), sizes=(4, 4, 9)),
    ]
    return layouts


LAYOUTS = _layouts()


def build_chain(layout: Layout) -> Any:
    """The hand-written ``nn.Sequential`` the block replaces."""
    d_in, d_hidden, d_out = layout.sizes
    p1, p2 = layout.dropouts
    layers = []
    if layout.norm:
        layers.append(nn.LayerNorm(d_in, **layout.norm_settings))
    layers.append(nn.Linear(d_in, d_hidden, bias=layout.biases[0]))
    layers.append(layout.activation.make_child())
    if p1 is not None:
        layers.append(nn.Dropout(p1))
    layers.append(nn.Linear(d_hidden, d_out, bias=layout.biases[1]))
    if p2 is not None:
        layers.append(nn.Dropout(p2))
    return nn.Sequential(*layers)


def build_block(layout: Layout) -> Any:
    """The ``MLPBlock`` call the codemod would write for ``layout``."""
    d_in, d_hidden, d_out = layout.sizes
    norm_kwargs = {}
    if "eps" in layout.norm_settings:
        norm_kwargs["norm_eps"] = layout.norm_settings["eps"]
    if "elementwise_affine" in layout.norm_settings:
        norm_kwargs["norm_affine"] = layout.norm_settings["elementwise_affine"]
    return MLPBlock(
        input_dim=d_in,
        hidden_dim=d_hidden,
        output_dim=d_out,
        dropout=layout.dropouts[0],
        output_dropout=layout.dropouts[1],
        activation=layout.activation.make_arg(),
        bias=layout.biases[0],
        output_bias=layout.biases[1],
        norm=layout.norm,
        **norm_kwargs,
    )


def seeded(build: Callable[[Layout], Any], layout: Layout) -> Any:
    torch.manual_seed(SEED)
    return build(layout)


@pytest.fixture(params=LAYOUTS, ids=lambda layout: layout.id)
def pair(request: pytest.FixtureRequest) -> tuple[Any, Any, Layout]:
    """(chain, block, layout), each module built under the same seed."""
    layout = request.param
    return seeded(build_chain, layout), seeded(build_block, layout), layout


def sample_input(layout: Layout) -> Any:
    generator = torch.Generator().manual_seed(123)
    return torch.randn(3, 2, layout.sizes[0], generator=generator)


def train_step(module: Any, x: Any) -> tuple[Any, Any, dict[str, Any]]:
    """Output, input gradient and parameter gradients of one seeded step."""
    module.train()
    x = x.clone().requires_grad_(True)
    torch.manual_seed(7)
    out = module(x)
    weights = torch.linspace(-1.0, 1.0, out.numel()).reshape(out.shape)
    (out * weights).sum().backward()
    grads = {name: p.grad for name, p in module.named_parameters()}
    return out.detach(), x.grad, grads


# Drop-in equivalence -----------------------------------------------------------


def test_same_state_dict(pair: tuple[Any, Any, Layout]) -> None:
    chain, block, _ = pair
    expected, actual = chain.state_dict(), block.state_dict()
    assert list(actual) == list(expected)
    for key, tensor in expected.items():
        assert actual[key].shape == tensor.shape, key
        assert torch.equal(actual[key], tensor), key


def test_same_children(pair: tuple[Any, Any, Layout]) -> None:
    chain, block, _ = pair
    assert [type(m) for m in block] == [type(m) for m in chain]
    assert [name for name, _ in block.named_modules()] == [
        name for name, _ in chain.named_modules()
    ]
    assert [repr(m) for m in block] == [repr(m) for m in chain]


def test_loads_chain_checkpoint_strictly(pair: tuple[Any, Any, Layout]) -> None:
    chain, _, layout = pair
    torch.manual_seed(SEED + 1)
    block = build_block(layout)
    result = block.load_state_dict(chain.state_dict(), strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    for key, tensor in chain.state_dict().items():
        assert torch.equal(block.state_dict()[key], tensor), key


def test_same_eval_output(pair: tuple[Any, Any, Layout]) -> None:
    chain, block, layout = pair
    x = sample_input(layout)
    with torch.no_grad():
        expected, actual = chain.eval()(x), block.eval()(x)
    assert actual.shape == (*x.shape[:-1], layout.sizes[2])
    assert torch.equal(actual, expected)


def test_same_train_output_and_gradients(pair: tuple[Any, Any, Layout]) -> None:
    chain, block, layout = pair
    x = sample_input(layout)
    out_chain, dx_chain, grads_chain = train_step(chain, x)
    out_block, dx_block, grads_block = train_step(block, x)
    assert torch.equal(out_block, out_chain)
    assert torch.equal(dx_block, dx_chain)
    assert list(grads_block) == list(grads_chain)
    for name, grad in grads_chain.items():
        assert torch.equal(grads_block[name], grad), name


def test_len_and_indexing(pair: tuple[Any, Any, Layout]) -> None:
    chain, block, _ = pair
    assert len(block) == len(chain)
    for i in range(-len(chain), len(chain)):
        assert type(block[i]) is type(chain[i])
    assert list(block._modules) == list(chain._modules)
    with pytest.raises(IndexError):
        block[len(chain)]


def test_train_mode_dropout_is_active() -> None:
    block = MLPBlock(6, 24, dropout=0.5)
    x = sample_input(Layout())
    torch.manual_seed(7)
    train_out = block.train()(x)
    with torch.no_grad():
        eval_out = block.eval()(x)
    assert not torch.equal(train_out.detach(), eval_out)


# Defaults and layout rules -----------------------------------------------------


def child_types(block: Any) -> list[type]:
    return [type(m) for m in block]


def test_output_dim_defaults_to_input_dim() -> None:
    block = MLPBlock(5, 11)
    assert (block.input_dim, block.hidden_dim, block.output_dim) == (5, 11, 5)
    assert block[-1].out_features == 5
    assert child_types(block) == [nn.Linear, nn.ReLU, nn.Linear]


def test_dropout_alone_gives_both_dropouts() -> None:
    block = MLPBlock(4, 8, dropout=0.1)
    assert child_types(block) == [nn.Linear, nn.ReLU, nn.Dropout, nn.Linear, nn.Dropout]
    assert block[2].p == block[4].p == 0.1


def test_output_dropout_none_drops_trailing_dropout() -> None:
    block = MLPBlock(4, 8, dropout=0.1, output_dropout=None)
    assert child_types(block) == [nn.Linear, nn.ReLU, nn.Dropout, nn.Linear]


def test_zero_dropout_still_creates_children() -> None:
    block = MLPBlock(4, 8, dropout=0.0)
    assert child_types(block) == [nn.Linear, nn.ReLU, nn.Dropout, nn.Linear, nn.Dropout]
    assert block[2].p == block[4].p == 0.0


def test_codemod_call_matches_classic_transformer_ffn() -> None:
    d, p = 8, 0.1
    torch.manual_seed(SEED)
    chain = nn.Sequential(
        nn.Linear(d, 4 * d),
        nn.ReLU(),
        nn.Dropout(p),
        nn.Linear(4 * d, d),
        nn.Dropout(p),
    )
    torch.manual_seed(SEED)
    block = MLPBlock(input_dim=d, hidden_dim=4 * d, dropout=p, activation="relu")
    assert [repr(m) for m in block] == [repr(m) for m in chain]
    for key, tensor in chain.state_dict().items():
        assert torch.equal(block.state_dict()[key], tensor), key


def test_output_bias_defaults_to_bias() -> None:
    block = MLPBlock(4, 8, bias=False)
    assert block[0].bias is None and block[2].bias is None
    mixed = MLPBlock(4, 8, bias=False, output_bias=True)
    assert mixed[0].bias is None and mixed[2].bias is not None


def test_norm_settings_reach_layernorm() -> None:
    block = MLPBlock(4, 8, norm=True, norm_eps=1e-3, norm_affine=False)
    norm = block[0]
    assert isinstance(norm, nn.LayerNorm)
    assert norm.normalized_shape == (4,)
    assert norm.eps == 1e-3 and norm.weight is None


def test_activation_instance_is_the_child() -> None:
    activation = nn.LeakyReLU(0.2)
    block = MLPBlock(4, 8, activation=activation)
    assert block[1] is activation


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_names_build_their_class(name: str) -> None:
    block = MLPBlock(4, 8, activation=name)
    assert type(block[1]) is ACTIVATIONS[name]


def test_activations_table_is_exactly_the_agreed_set() -> None:
    assert set(ACTIVATIONS) == {
        *("relu", "relu6", "gelu", "silu", "mish", "tanh", "sigmoid"),
        *("leaky_relu", "elu", "celu", "selu", "hardswish", "hardsigmoid"),
        *("hardtanh", "softplus", "softsign", "tanhshrink", "softshrink"),
        *("hardshrink", "logsigmoid", "rrelu"),
    }
    for cls in ACTIVATIONS.values():
        assert isinstance(cls, type) and issubclass(cls, nn.Module)
        assert cls.__module__.startswith("torch.nn")


# Slicing, copying, serialising, compiling --------------------------------------


def test_slice_is_plain_sequential_with_original_keys() -> None:
    block = MLPBlock(4, 8, dropout=0.1, norm=True)
    head = block[1:3]
    assert type(head) is nn.Sequential
    assert list(head._modules) == ["1", "2"]
    assert head[0] is block[1]


def test_deepcopy_is_equal_and_independent() -> None:
    block = MLPBlock(4, 8, 3, dropout=0.1, norm=True).eval()
    clone = copy.deepcopy(block)
    x = torch.randn(2, 4)
    assert type(clone) is MLPBlock and clone.output_dim == 3
    assert torch.equal(clone(x), block(x))
    with torch.no_grad():
        clone[1].weight.add_(1.0)
    assert not torch.equal(clone[1].weight, block[1].weight)


def test_pickle_round_trip() -> None:
    block = MLPBlock(4, 8, activation=nn.GELU(approximate="tanh"), norm=True).eval()
    restored = pickle.loads(pickle.dumps(block))
    x = torch.randn(2, 4)
    assert type(restored) is MLPBlock
    assert repr(restored) == repr(block)
    assert torch.equal(restored(x), block(x))


def test_torch_export() -> None:
    block = MLPBlock(4, 8, 3, dropout=0.1, norm=True).eval()
    x = torch.randn(2, 4)
    exported = torch.export.export(block, (x,))
    assert torch.equal(exported.module()(x), block(x))
    assert set(exported.state_dict) == set(block.state_dict())


def _compile_unavailable() -> str | None:
    dynamo = getattr(torch, "_dynamo", None)
    if not hasattr(torch, "compile") or dynamo is None:
        return "torch.compile is not available in this torch build"
    if not dynamo.is_dynamo_supported():
        return "torch.compile (dynamo) is not supported on this platform"
    return None


@pytest.mark.skipif(
    _compile_unavailable() is not None, reason=str(_compile_unavailable())
)
def test_torch_compile_traces_in_one_graph() -> None:
    # aot_eager runs dynamo and AOT autograd without a C++ toolchain, which is
    # what the block's structure affects; inductor codegen would only add time.
    block = MLPBlock(4, 8, dropout=0.1, activation="gelu").eval()
    compiled = torch.compile(block, backend="aot_eager", fullgraph=True)
    x = torch.randn(2, 4)
    assert torch.equal(compiled(x), block(x))


def test_repr_names_block_and_sizes() -> None:
    block = MLPBlock(4, 16, 2)
    text = repr(block)
    assert text.splitlines()[0] == "MLPBlock("
    assert "input_dim=4, hidden_dim=16, output_dim=2" in text
    assert "(1): ReLU()" in text
    assert block.extra_repr() == "input_dim=4, hidden_dim=16, output_dim=2"


def test_signature_defaults_read_well() -> None:
    params = inspect.signature(MLPBlock).parameters
    assert repr(params["output_dropout"].default) == "<unset>"
    assert repr(params["output_bias"].default) == "<unset>"
    assert params["dropout"].kind is inspect.Parameter.KEYWORD_ONLY


# Argument errors -----------------------------------------------------------------


BAD_ARGUMENTS = [
    ({"input_dim": 0}, ValueError, "input_dim must be positive"),
    ({"hidden_dim": -3}, ValueError, "hidden_dim must be positive"),
    ({"output_dim": 0}, ValueError, "output_dim must be positive"),
    ({"input_dim": 4.0}, TypeError, "input_dim must be an int"),
    ({"hidden_dim": True}, TypeError, "hidden_dim must be an int"),
    ({"output_dim": "8"}, TypeError, "output_dim must be an int"),
    ({"dropout": 1.5}, ValueError, "dropout must be between 0 and 1"),
    ({"dropout": -0.1}, ValueError, "dropout must be between 0 and 1"),
    ({"dropout": float("nan")}, ValueError, "dropout must be between 0 and 1"),
    ({"dropout": "0.1"}, TypeError, "dropout must be a number"),
    ({"dropout": True}, TypeError, "dropout must be a number"),
    ({"output_dropout": 2}, ValueError, "output_dropout must be between 0 and 1"),
    ({"output_dropout": False}, TypeError, "output_dropout must be a number"),
    ({"activation": "swishy"}, ValueError, "activation 'swishy' is not a known"),
    ({"activation": "ReLU"}, ValueError, "activation 'ReLU' is not a known"),
    ({"activation": 3}, TypeError, "activation must be a name"),
    ({"activation": int}, TypeError, "activation must be a name"),
    ({"activation": nn.Linear}, TypeError, "activation class Linear cannot"),
    ({"bias": "no"}, TypeError, "bias must be a bool"),
    ({"output_bias": 0.0}, TypeError, "output_bias must be a bool"),
    ({"norm": "yes"}, TypeError, "norm must be a bool"),
    ({"norm_affine": "False"}, TypeError, "norm_affine must be a bool"),
    ({"norm_eps": -1e-5}, ValueError, "norm_eps must be finite and non-negative"),
    ({"norm_eps": float("inf")}, ValueError, "norm_eps must be finite"),
    ({"norm_eps": "1e-5"}, TypeError, "norm_eps must be a number"),
]


@pytest.mark.parametrize(
    ("override", "error", "message"),
    BAD_ARGUMENTS,
    ids=[", ".join(f"{k}={v!r}" for k, v in case[0].items()) for case in BAD_ARGUMENTS],
)
def test_bad_argument_is_rejected_by_name(
    override: dict[str, Any], error: type[Exception], message: str
) -> None:
    kwargs: dict[str, Any] = {"input_dim": 4, "hidden_dim": 8, **override}
    with pytest.raises(error, match=message):
        MLPBlock(**kwargs)


class Index:
    """An integer of another type, as NumPy's are: usable through __index__."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value


class Truth:
    """A flag of another type, as NumPy's ``bool_`` is: only a truth value."""

    def __init__(self, value: bool) -> None:
        self.value = value

    def __bool__(self) -> bool:
        return self.value

    def __repr__(self) -> str:
        return f"Truth({self.value})"


@pytest.mark.parametrize(
    "flag", [0, 1, None, False, Truth(False), Truth(True)], ids=repr
)
def test_flags_are_read_for_truth_as_torch_reads_them(flag: object) -> None:
    torch.manual_seed(SEED)
    chain = nn.Sequential(
        nn.LayerNorm(4, elementwise_affine=flag),
        nn.Linear(4, 8, bias=flag),
        nn.ReLU(),
        nn.Linear(8, 4, bias=flag),
    )
    torch.manual_seed(SEED)
    block = MLPBlock(4, 8, bias=flag, norm=True, norm_affine=flag)

    assert _state(block) == _state(chain)
    assert all(torch.equal(block.state_dict()[k], v) for k, v in _items(chain))
    assert [repr(child) for child in block] == [repr(child) for child in chain]


def test_values_are_kept_as_written_in_the_children() -> None:
    chain = nn.Sequential(
        nn.LayerNorm(4, eps=0, elementwise_affine=0),
        nn.Linear(4, 8),
        nn.ReLU(),
        nn.Dropout(0),
        nn.Linear(8, 4),
        nn.Dropout(1),
    )
    block = MLPBlock(
        4, 8, dropout=0, output_dropout=1, norm=True, norm_eps=0, norm_affine=0
    )

    assert [repr(child) for child in block] == [repr(child) for child in chain]
    assert (block[0].eps, block[0].elementwise_affine) == (0, 0)
    assert type(block[3].p) is type(block[5].p) is int


def test_sizes_of_another_integer_type_are_taken() -> None:
    torch.manual_seed(SEED)
    chain = nn.Sequential(nn.Linear(Index(4), Index(8)), nn.GELU(), nn.Linear(8, 4))
    torch.manual_seed(SEED)
    block = MLPBlock(Index(4), Index(8))  # type: ignore[arg-type]

    assert (block.input_dim, block.hidden_dim, block.output_dim) == (4, 8, 4)
    assert all(torch.equal(block.state_dict()[k], v) for k, v in _items(chain))


def _state(module: Any) -> dict[str, tuple[int, ...]]:
    return {key: tuple(value.shape) for key, value in module.state_dict().items()}


def _items(module: Any) -> list[tuple[str, Any]]:
    return list(module.state_dict().items())


def test_norm_eps_is_checked_even_without_norm() -> None:
    with pytest.raises(ValueError, match="norm_eps"):
        MLPBlock(4, 8, norm=False, norm_eps=-1.0)


def imported_modules(path: Path) -> set[str]:
    """Every module named by an import statement in ``path``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_components_do_not_import_the_linter() -> None:
    package = Path(reuse_lint.components.__file__).parent
    for path in sorted(package.glob("*.py")):
        for name in imported_modules(path):
            inside = name == "reuse_lint.components" or name.startswith(
                "reuse_lint.components."
            )
            assert inside or name.split(".")[0] != "reuse_lint", (
                f"{path.name} imports {name}"
            )
