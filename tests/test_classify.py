"""Small inline snippets: name resolution, layouts and verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from reuse_lint.analysis import AnalysisOptions, analyse_source
from reuse_lint.model import Chain, ChainKind

FFN = "{s}({l}(d, d * 4), {r}(), {l}(4 * d, d))"


def chains(code: str, tmp_path: Path | None = None, exact: bool = False) -> list[Chain]:
    path = (tmp_path or Path("/nonexistent")) / "snippet.py"
    roots = (tmp_path,) if tmp_path else ()
    options = AnalysisOptions(roots=roots, exact=exact)
    analysis = analyse_source(path, "snippet.py", code, options)
    assert analysis.error is None, analysis.error
    return list(analysis.chains)


SPELLINGS = {
    "import torch": ("torch.nn.Sequential", "torch.nn.Linear", "torch.nn.ReLU"),
    "import torch.nn as nn": ("nn.Sequential", "nn.Linear", "nn.ReLU"),
    "from torch import nn": ("nn.Sequential", "nn.Linear", "nn.ReLU"),
    "from torch import nn as tnn": ("tnn.Sequential", "tnn.Linear", "tnn.ReLU"),
    "from torch.nn import Sequential, Linear, ReLU": ("Sequential", "Linear", "ReLU"),
    "import torch.nn.modules.container as c, torch.nn as nn": (
        "c.Sequential",
        "nn.Linear",
        "nn.ReLU",
    ),
}


@pytest.mark.parametrize("exact", [False, True], ids=["fast", "exact"])
@pytest.mark.parametrize("spelling", list(SPELLINGS))
def test_every_import_spelling_is_recognised(spelling: str, exact: bool) -> None:
    seq, lin, act = SPELLINGS[spelling]
    found = chains(
        f"{spelling}\nffn = {FFN.format(s=seq, l=lin, r=act)}\n", exact=exact
    )
    assert [c.kind for c in found] == [ChainKind.REPLACEABLE]


@pytest.mark.parametrize("exact", [False, True], ids=["fast", "exact"])
def test_users_own_sequential_is_not_torchs(exact: bool) -> None:
    code = (
        "import torch.nn as nn\n"
        "class Sequential(list):\n    pass\n"
        "ffn = Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Linear(4 * d, d))\n"
    )
    assert chains(code, exact=exact) == []


@pytest.mark.parametrize("exact", [False, True], ids=["fast", "exact"])
def test_users_own_linear_is_not_torchs(exact: bool) -> None:
    code = (
        "from torch import nn\nfrom mylib.layers import Linear\n"
        "ffn = nn.Sequential(Linear(d, 4 * d), nn.ReLU(), Linear(4 * d, d))\n"
    )
    assert [c.kind for c in chains(code, exact=exact)] == [ChainKind.OTHER]


def test_parameter_shadowing_nn_falls_back_to_scope_analysis() -> None:
    code = (
        "import torch.nn as nn\n"
        "def build(nn, d):\n"
        "    return nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Linear(4 * d, d))\n"
    )
    assert chains(code) == chains(code, exact=True) == []


def test_star_import_resolves_through_the_other_module(tmp_path: Path) -> None:
    (tmp_path / "blocks.py").write_text("import torch.nn as nn\n")
    code = f"from blocks import *\nffn = {FFN.format(s='nn.Sequential', l='nn.Linear', r='nn.ReLU')}\n"
    for exact in (False, True):
        found = chains(code, tmp_path, exact=exact)
        assert [c.kind for c in found] == [ChainKind.REPLACEABLE]


@pytest.mark.parametrize(
    "where",
    [
        "self.ffn = {c}",
        "ffn = {c}",
        "return {c}",
        "layers = nn.ModuleList([{c} for _ in range(3)])",
        "outer = nn.Sequential({c}, nn.LayerNorm(d))",
    ],
)
def test_chain_is_found_wherever_it_stands(where: str) -> None:
    call = FFN.format(s="nn.Sequential", l="nn.Linear", r="nn.ReLU")
    body = where.format(c=call)
    code = f"import torch.nn as nn\ndef f(self, d):\n    {body}\n"
    kinds = [c.kind for c in chains(code)]
    assert ChainKind.REPLACEABLE in kinds


@pytest.mark.parametrize(
    ("layers", "kind", "reason"),
    [
        ("nn.Linear(d, h), nn.LayerNorm(h), nn.Sigmoid()", ChainKind.GATING, "gating"),
        ("nn.Linear(d, 2), nn.Softmax(dim=-1)", ChainKind.ROUTING, "routing"),
        (
            "nn.Linear(d, h), nn.ReLU(), nn.Linear(h, 2), nn.Softmax(-1)",
            ChainKind.ROUTING,
            "routing",
        ),
        (
            "nn.Linear(d, h), nn.PReLU(), nn.Linear(h, d)",
            ChainKind.NEAR_MISS,
            "parametric-activation",
        ),
        (
            "nn.Linear(d, h), act(), nn.Linear(h, d)",
            ChainKind.NEAR_MISS,
            "dynamic-activation",
        ),
        (
            "nn.Linear(d, h), nn.ReLU(), nn.Linear(k, d)",
            ChainKind.NEAR_MISS,
            "size-mismatch",
        ),
        (
            "nn.Linear(d, h), nn.ReLU(), nn.Linear(h, d), nn.ReLU(), nn.Linear(d, 1)",
            ChainKind.NEAR_MISS,
            "longer-chain",
        ),
        (
            "nn.Linear(d, h), nn.BatchNorm1d(h), nn.ReLU(), nn.Linear(h, d)",
            ChainKind.NEAR_MISS,
            "unsupported-layer",
        ),
        (
            "nn.Linear(d, h, dtype=t), nn.ReLU(), nn.Linear(h, d)",
            ChainKind.NEAR_MISS,
            "unsupported-argument",
        ),
        (
            "nn.Linear(d, h), nn.ReLU(), nn.Dropout(p, inplace=True), nn.Linear(h, d)",
            ChainKind.NEAR_MISS,
            "unsupported-argument",
        ),
        ("*layers", ChainKind.NEAR_MISS, "starred"),
        ("nn.Conv2d(3, 8, 3), nn.ReLU()", ChainKind.OTHER, ""),
    ],
)
def test_verdicts(layers: str, kind: ChainKind, reason: str) -> None:
    code = f"import torch.nn as nn\nx = nn.Sequential({layers})\n"
    (chain,) = chains(code)
    assert chain.kind is kind
    assert chain.reason_code == reason
    assert chain.reason


def test_ordered_dict_is_a_near_miss() -> None:
    code = (
        "from collections import OrderedDict\nimport torch.nn as nn\n"
        "x = nn.Sequential(OrderedDict([('fc1', nn.Linear(d, h)), ('act', nn.ReLU()),"
        " ('fc2', nn.Linear(h, d))]))\n"
    )
    (chain,) = chains(code)
    assert (chain.kind, chain.reason_code) == (ChainKind.NEAR_MISS, "ordereddict")


@pytest.mark.parametrize(
    ("layers", "same_size"),
    [
        ("nn.Linear(d, d * 4), nn.GELU(), nn.Linear(4*d, d)", True),
        ("nn.Linear(d, h), nn.GELU(approximate='tanh'), nn.Linear(h, n)", False),
        ("nn.LayerNorm(d), nn.Linear(d, h), nn.SiLU(), nn.Linear(h, d)", True),
        (
            "nn.Linear(in_features=d, out_features=h, bias=False), nn.ReLU(inplace=True),"
            " nn.Dropout(), nn.Linear(h, d), nn.Dropout(0.2)",
            True,
        ),
    ],
)
def test_replaceable_variants(layers: str, same_size: bool) -> None:
    (chain,) = chains(f"import torch.nn as nn\nx = nn.Sequential({layers})\n")
    assert chain.kind is ChainKind.REPLACEABLE
    assert chain.spec is not None and chain.spec.same_size is same_size


def test_span_is_where_the_call_starts_in_characters() -> None:
    code = "import torch.nn as nn\nλ = 'é'; x = nn.Sequential(nn.Linear(d, h), nn.ReLU(), nn.Linear(h, d))\n"
    (chain,) = chains(code)
    assert (chain.span.line, chain.span.column) == (2, 14)


def test_nested_import_of_the_same_name_keeps_the_fast_path() -> None:
    from reuse_lint.frontend_fast import find_sites

    code = (
        "from collections import OrderedDict\nimport torch.nn as nn\n"
        "def build(d, h):\n"
        "    from collections import OrderedDict\n"
        "    return nn.Sequential(OrderedDict([('fc', nn.Linear(d, h))]))\n"
    )
    assert find_sites(code, Path("x.py"), (), "c.C") is not None
    assert chains(code) == chains(code, exact=True)


def test_a_name_imported_only_inside_a_function_falls_back() -> None:
    from reuse_lint.frontend_fast import find_sites

    code = (
        "def build(d, h):\n"
        "    import torch.nn as nn\n"
        "    return nn.Sequential(nn.Linear(d, h), nn.ReLU(), nn.Linear(h, d))\n"
    )
    assert find_sites(code, Path("x.py"), (), "c.C") is None
    assert [c.kind for c in chains(code)] == [ChainKind.REPLACEABLE]
