"""Tests for ``reuse_lint.evaluator``: a small, closed grammar, never ``eval``."""

from __future__ import annotations

import ast
import builtins
import operator
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reuse_lint.evaluator import (
    MAX_MAGNITUDE,
    EvaluationError,
    Role,
    SampleNames,
    Value,
    evaluate,
    free_names,
)

NAMES: dict[str, Value] = {
    "d": 8,
    "h": 12,
    "p": 0.25,
    "flag": False,
    "self.d_model": 16,
    "config.hidden_size": 20,
}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("4 * d", 32),
        ("d*4", 32),
        ("(d + h) * 2", 40),
        ("d - h", -4),
        ("d // 3", 2),
        ("d % 3", 2),
        ("d / 2", 4.0),
        ("2 ** 3", 8),
        ("-d", -8),
        ("+d", 8),
        ("self.d_model * 4", 64),
        ("config.hidden_size // 2", 10),
        ("int(d / 3)", 2),
        ("float(d)", 8.0),
        ("round(p, 1)", 0.2),
        ("round(d / 3)", 3),
        ("abs(d - h)", 4),
        ("max(1, d // 64)", 1),
        ("min(d, h)", 8),
        ("1e-6", 1e-6),
        ("True", True),
        ("None", None),
        ('"relu"', "relu"),
        ("not flag", True),
        ("p", 0.25),
    ],
)
def test_accepted_grammar_evaluates_as_python_would(code: str, expected: Value) -> None:
    result = evaluate(code, NAMES)

    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("f(d)", "a call"),
        ("d.bit_length()", "a call"),
        ("int(d, base=2)", "a call"),
        ("[x for x in d]", "a comprehension"),
        ("sum(x for x in d)", "a call"),
        ("sizes[0]", "a subscript"),
        ('config["hidden"]', "a subscript"),
        ("d if flag else h", "a conditional"),
        ("lambda: d", "a lambda"),
        ("d and h", "a boolean operation"),
        ("d < h", "a comparison"),
        ("(d, h)", "Tuple"),
        ("d << 2", "unsupported operator"),
        ("unknown * 2", "`unknown`, which has no sample value"),
        ("2 ** 100", "exponent too large"),
        ("10 ** 7", "out of bounds"),
        ("1e308 * 10", "out of bounds"),
        ("d / 0", "no value with the sample values"),
        ("d % 0", "no value with the sample values"),
        ("(-8) ** 0.5", "complex"),
        ("1j", "complex"),
        ("b'x'", "bytes"),
        ("'a' * 3", "arithmetic on str"),
        ("True + 1", "arithmetic on bool"),
        ("max()", "a call that fails"),
        ("d +", "does not parse"),
    ],
)
def test_everything_else_is_rejected_with_the_reason(code: str, reason: str) -> None:
    with pytest.raises(EvaluationError) as raised:
        evaluate(code, NAMES)

    assert reason in str(raised.value)


def test_no_step_may_grow_past_the_magnitude_limit() -> None:
    with pytest.raises(EvaluationError, match="out of bounds"):
        evaluate("d * d * d * d * d * d * d", NAMES)

    assert evaluate(str(MAX_MAGNITUDE), NAMES) == MAX_MAGNITUDE


def test_free_names_are_names_and_attribute_chains_in_order() -> None:
    code = "config.hidden_size * d + self.d_model - d + int(h)"

    assert free_names(code) == ["config.hidden_size", "d", "self.d_model", "h"]
    assert free_names("4") == []
    assert free_names("True") == []


def test_injected_code_is_rejected_and_never_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    marker = tmp_path / "ran"
    calls: list[str] = []
    _forbid(monkeypatch, calls)
    attacks = [
        f"__import__('os').system('touch {marker}')",
        f"open('{marker}', 'w').write('x')",
        "exec('x = 1')",
        "eval('1')",
        "d.__class__.__subclasses__()",
    ]

    for code in attacks:
        with pytest.raises(EvaluationError, match="a call"):
            evaluate(code, NAMES)
    assert evaluate("d * 2", NAMES) == 16

    assert calls == []
    assert not marker.exists()


def _forbid(monkeypatch: pytest.MonkeyPatch, calls: list[str]) -> None:
    """Make eval/exec fail loudly, and compile refuse anything but parsing."""
    real_compile = builtins.compile

    def refuse(name: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            raise AssertionError(f"{name} was called")

        return call

    def parse_only(*args: Any, **kwargs: Any) -> Any:
        flags = kwargs.get("flags", args[3] if len(args) > 3 else 0)
        if not flags & ast.PyCF_ONLY_AST:
            calls.append("compile")
            raise AssertionError("compile was called to make code")
        return real_compile(*args, **kwargs)

    monkeypatch.setattr(builtins, "eval", refuse("eval"))
    monkeypatch.setattr(builtins, "exec", refuse("exec"))
    monkeypatch.setattr(builtins, "compile", parse_only)


OPERATORS = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "//": operator.floordiv,
}


@given(
    a=st.integers(-1000, 1000),
    b=st.integers(1, 1000),
    symbol=st.sampled_from(sorted(OPERATORS)),
)
def test_integer_arithmetic_matches_python(a: int, b: int, symbol: str) -> None:
    assert evaluate(f"a {symbol} b", {"a": a, "b": b}) == OPERATORS[symbol](a, b)


def test_sizes_are_distinct_primes_and_repeat_per_name() -> None:
    samples = SampleNames()

    samples.assign("d_model * 4", Role.SIZE)
    samples.assign("hidden + d_model", Role.SIZE)
    samples.assign("config.out", Role.SIZE)

    assert samples.values == {"d_model": 11, "hidden": 13, "config.out": 17}


def test_a_larger_first_size_starts_higher() -> None:
    samples = SampleNames(first_size=101)

    samples.assign("dim // 64", Role.SIZE)

    assert samples.values == {"dim": 101}


def test_other_roles_get_distinct_values() -> None:
    samples = SampleNames()
    for code, role in [
        ("p1", Role.PROBABILITY),
        ("p2", Role.PROBABILITY),
        ("use_bias", Role.FLAG),
        ("out_bias", Role.FLAG),
        ("alpha", Role.NUMBER),
        ("eps", Role.NUMBER),
    ]:
        samples.assign(code, role)

    assert samples.values == {
        "p1": 0.1,
        "p2": 0.15,
        "use_bias": False,
        "out_bias": True,
        "alpha": 0.5,
        "eps": 0.75,
    }


def test_probabilities_stay_below_one() -> None:
    samples = SampleNames()
    for index in range(40):
        samples.assign(f"p{index}", Role.PROBABILITY)

    values = [v for v in samples.values.values() if isinstance(v, float)]
    assert len(values) == 40
    assert all(0.0 < v < 1.0 for v in values)


def test_a_name_in_two_roles_has_no_sample_value() -> None:
    samples = SampleNames()
    samples.assign("dim", Role.SIZE)

    with pytest.raises(EvaluationError, match="both as a size and as a probability"):
        samples.assign("dim * 0.5", Role.PROBABILITY)


def test_a_name_in_a_string_position_has_no_sample_value() -> None:
    with pytest.raises(EvaluationError, match="`mode` is a string"):
        SampleNames().assign("mode", Role.TEXT)
