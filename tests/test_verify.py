"""Tests for ``reuse_lint.verify``: one verdict per fixable site, and exit codes."""

from __future__ import annotations

import io
import json
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from reuse_lint import verify, verify_checks  # noqa: E402
from reuse_lint.cli import main  # noqa: E402
from reuse_lint.components import MLPBlock  # noqa: E402
from reuse_lint.model import MLPSpec  # noqa: E402
from reuse_lint.rendering import keyword_arguments  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
CUDA = pytest.param(
    "cuda",
    marks=pytest.mark.skipif(
        not torch.cuda.is_available(), reason="no CUDA device on this machine"
    ),
)

FFN = """\
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, dim, hidden_dim, dropout):
        super().__init__()
        self.ffn = nn.Sequential(
            nn.Linear(dim, {hidden}),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear({hidden}, dim),
            nn.Dropout(dropout),
        )
"""


def _verify(
    paths: Sequence[Path], devices: Sequence[str] = ("cpu",)
) -> tuple[int, list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    code = verify.run_verify(
        list(paths), cache=False, devices=devices, out=out, err=err
    )
    return code, out.getvalue().splitlines(), err.getvalue()


def _write(tmp_path: Path, text: str, name: str = "model.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _expected_sites() -> set[tuple[str, int, int, str]]:
    sites = set()
    for expected in sorted(FIXTURES.glob("**/*.expected.json")):
        source = expected.with_name(expected.name.replace(".expected.json", ".py"))
        display = source.relative_to(REPO).as_posix()
        for finding in json.loads(expected.read_text(encoding="utf-8"))["findings"]:
            sites.add((display, finding["line"], finding["column"], finding["code"]))
    return sites


@pytest.fixture(scope="module")
def fixtures_run() -> tuple[int, list[str], str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO)
        return _verify([Path("fixtures")])


def test_every_fixture_site_verifies(fixtures_run: tuple[int, list[str], str]) -> None:
    code, lines, err = fixtures_run
    expected = _expected_sites()

    seen = set()
    for line in lines:
        where, status, rule, *_ = line.split(" ")
        path, row, column = where.rsplit(":", 2)
        assert status == "OK", line
        seen.add((path, int(row), int(column), rule))
    assert code == 0
    assert len(lines) == len(expected) > 50
    assert seen == expected
    assert f"Verified {len(expected)} fixable sites on cpu:" in err


def test_ok_lines_name_the_devices_and_sample_values(
    fixtures_run: tuple[int, list[str], str],
) -> None:
    _, lines, _ = fixtures_run

    seed = [line for line in lines if "bidirectional_cross_attention.py:37:" in line]
    assert seed == [
        "fixtures/seed/bidirectional_cross_attention.py:37:28 OK RL101 on cpu"
        " with d_model=11, dropout=0.1"
    ]


@pytest.mark.parametrize("device", ["cpu", CUDA])
def test_seed_fixtures_verify_on_each_device(device: str) -> None:
    code, lines, err = _verify([FIXTURES / "seed"], devices=(device,))

    assert code == 0
    assert len(lines) == 2
    assert all(f" OK RL101 on {device} " in line for line in lines)
    assert f"on {device}: 2 OK, 0 mismatched, 0 skipped" in err


def test_available_devices_are_used_by_default(tmp_path: Path) -> None:
    _write(tmp_path, FFN.format(hidden="hidden_dim"))

    code, lines, _ = _verify([tmp_path], devices=())

    assert code == 0
    assert f"on {', '.join(verify_checks.available_devices())} with" in lines[0]


def test_a_dropped_argument_is_a_mismatch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, FFN.format(hidden="hidden_dim"))

    def without_dropout(spec: MLPSpec) -> list[tuple[str, str]]:
        return [(k, v) for k, v in keyword_arguments(spec) if k != "dropout"]

    monkeypatch.setattr(verify, "keyword_arguments", without_dropout)
    code, lines, err = _verify([tmp_path])

    assert code == 1
    assert len(lines) == 1
    assert "model.py:7:20 MISMATCH RL101 on cpu: " in lines[0]
    assert "child `2: Dropout(p=0.1, inplace=False)` became `2: Linear(" in lines[0]
    assert "0 OK, 1 mismatched, 0 skipped" in err


def test_a_wrong_component_is_a_mismatch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, FFN.format(hidden="hidden_dim"))

    def swapped_dropouts(**kwargs: object) -> MLPBlock:
        return MLPBlock(**{**kwargs, "output_dropout": 0.5})  # type: ignore[arg-type]

    monkeypatch.setattr(verify_checks, "MLPBlock", swapped_dropouts)
    code, lines, _ = _verify([tmp_path])

    assert code == 1
    assert "MISMATCH RL101 on cpu: child `4: Dropout(p=0.1" in lines[0]


def test_a_replacement_argument_without_a_value_is_a_mismatch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, FFN.format(hidden="hidden_dim"))

    def stray_name(spec: MLPSpec) -> list[tuple[str, str]]:
        return [*keyword_arguments(spec), ("bias", "use_bias")]

    monkeypatch.setattr(verify, "keyword_arguments", stray_name)
    code, lines, _ = _verify([tmp_path])

    assert code == 1
    assert "MISMATCH RL101: the replacement's `bias=use_bias`" in lines[0]


@pytest.mark.parametrize(
    ("hidden", "reason"),
    [
        ("get_hidden(dim)", "`get_hidden(dim)` has a call (`get_hidden(dim)`)"),
        ('sizes["hidden"]', "a subscript"),
        ("[h for h in hs][0]", "a subscript"),
        ("dim * 1000", "size `dim * 1000` is 11000 with the sample values"),
        ("dim ** 40", "exponent too large"),
    ],
)
def test_sites_the_evaluator_cannot_build_are_skipped(
    tmp_path: Path, hidden: str, reason: str
) -> None:
    _write(tmp_path, FFN.format(hidden=hidden))

    code, lines, err = _verify([tmp_path])

    assert code == 0
    assert len(lines) == 1
    assert " SKIPPED RL101: " in lines[0]
    assert reason in lines[0]
    assert "0 OK, 0 mismatched, 1 skipped" in err


def test_a_size_that_rounds_to_zero_is_retried_with_larger_samples(
    tmp_path: Path,
) -> None:
    _write(tmp_path, FFN.format(hidden="dim // 16"))

    code, lines, _ = _verify([tmp_path])

    assert code == 0
    assert lines[0].endswith("OK RL101 on cpu with dim=101, dropout=0.1")


def test_attributes_and_flags_get_sample_values(tmp_path: Path) -> None:
    _write(
        tmp_path,
        """\
        from torch import nn

        class Head(nn.Module):
            def __init__(self, config):
                super().__init__()
                self.head = nn.Sequential(
                    nn.LayerNorm(config.dim, eps=config.eps),
                    nn.Linear(config.dim, config.dim * 2, bias=config.bias),
                    nn.GELU(approximate="tanh"),
                    nn.Linear(config.dim * 2, config.labels, bias=config.bias),
                )
        """,
    )

    code, lines, _ = _verify([tmp_path])

    assert code == 0
    assert lines[0].endswith(
        "OK RL102 on cpu with config.dim=11, config.eps=0.5,"
        " config.bias=False, config.labels=13"
    )


def test_verify_never_imports_the_checked_file(tmp_path: Path) -> None:
    marker = tmp_path / "imported.marker"
    side_effect = f"from pathlib import Path\nPath({str(marker)!r}).write_text('x')\n"
    _write(tmp_path, side_effect + FFN.format(hidden="hidden_dim"), "side_effects.py")

    code, lines, _ = _verify([tmp_path])

    assert code == 0
    assert " OK RL101 " in lines[0]
    assert not marker.exists()
    assert "side_effects" not in sys.modules


def test_a_file_that_does_not_parse_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, FFN.format(hidden="hidden_dim"))
    _write(
        tmp_path, "from torch import nn\nnn.Sequential(\ndef broken(:\n", "broken.py"
    )

    code, lines, err = _verify([tmp_path])

    assert code == 2
    assert len(lines) == 1
    assert "broken.py" in err


def test_a_custom_component_is_stood_in_for_by_the_bundled_one(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.reuse-lint]\ncomponent = "mypkg.blocks:Block"\n', encoding="utf-8"
    )
    _write(tmp_path, FFN.format(hidden="hidden_dim"))

    code, lines, err = _verify([tmp_path])

    assert code == 0
    assert " OK RL101 " in lines[0]
    assert "standing in for the configured mypkg.blocks:Block" in err
    assert "mypkg" not in sys.modules


def test_a_crash_on_one_site_is_an_error_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, FFN.format(hidden="hidden_dim"), name="a.py")
    _write(tmp_path, FFN.format(hidden="hidden_dim"), name="b.py")
    real = verify.verify_site
    calls: list[str] = []

    def crash_once(*args: object) -> verify.SiteResult:
        calls.append("site")
        if len(calls) == 1:
            raise KeyError("boom")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(verify, "verify_site", crash_once)
    code, lines, err = _verify([tmp_path])

    assert code == 2
    assert " ERROR RL101: KeyError: 'boom'" in lines[0]
    assert " OK RL101 " in lines[1]
    assert "1 failed" in err


def test_the_verify_command_runs_from_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, FFN.format(hidden="hidden_dim"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["reuse-lint", "verify", "--no-cache"])

    with pytest.raises(SystemExit) as exited:
        main()

    captured = capsys.readouterr()
    assert exited.value.code == 0
    assert captured.out.startswith("model.py:7:20 OK RL101 on ")
    assert "Verified 1 fixable site on" in captured.err
    assert not (tmp_path / ".reuse-lint-cache").exists()


def test_without_torch_verify_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, FFN.format(hidden="hidden_dim"))
    monkeypatch.setitem(sys.modules, "torch", None)
    monkeypatch.setattr(sys, "argv", ["reuse-lint", "verify", str(tmp_path)])

    with pytest.raises(SystemExit) as exited:
        main()

    captured = capsys.readouterr()
    assert exited.value.code == 2
    assert captured.out == ""
    assert captured.err == (
        "error: verify needs the torch extra: pip install 'reuse-lint[torch]'\n"
    )
