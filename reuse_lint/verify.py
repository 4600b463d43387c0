"""``reuse-lint verify``: prove each fix on sample values, with torch.

For every finding that carries a fix (safe or unsafe), the chain and the
component call that would replace it are rebuilt with sample values for the
free names (see ``reuse_lint.evaluator``): the user's code is never executed,
imported or passed to ``eval``. Each layer is built from its decoded kind and
bound arguments; the replacement from the keyword arguments the codemod writes,
where an activation written as an expression (``nn.GELU(approximate="tanh")``)
is the chain's own activation layer, built again, not a call evaluated.
``reuse_lint.verify_checks`` then compares the two on every device.

The replacement is always built with the bundled
``reuse_lint.components.MLPBlock``. A custom ``component`` from the
configuration promises the same constructor, but importing it would run code
this command does not vouch for, so a note says the bundled class stood in.

This module imports torch only when ``run_verify`` runs, and fails with one
line when it is not installed.
"""

from __future__ import annotations

import logging
import sys
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from reuse_lint.catalogue import DEFAULT_COMPONENT, PARAMETERS
from reuse_lint.classify import bind
from reuse_lint.errors import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, UsageError
from reuse_lint.evaluator import EvaluationError, Role, SampleNames, Value, evaluate
from reuse_lint.expressions import one_line
from reuse_lint.model import Arg, Chain, Finding, Layer
from reuse_lint.rendering import keyword_arguments

TORCH_MISSING = "verify needs the torch extra: pip install 'reuse-lint[torch]'"

MAX_SIZE = 4096
"""The largest layer size verify builds; larger sample sizes skip the site."""

SIZE_STARTS = (11, 101)
"""First sample size of each attempt; the second keeps ``dim // 64`` positive."""

_ROLES = {
    "in_features": Role.SIZE,
    "out_features": Role.SIZE,
    "normalized_shape": Role.SIZE,
    "p": Role.PROBABILITY,
    "bias": Role.FLAG,
    "elementwise_affine": Role.FLAG,
    "inplace": Role.FLAG,
    "approximate": Role.TEXT,
}
"""The role of a layer parameter's names; any other parameter is a number."""


@dataclass(frozen=True)
class LayerPlan:
    """A torch.nn layer to build: its class name and evaluated arguments."""

    kind: str
    kwargs: dict[str, Value]


@dataclass(frozen=True)
class SitePlan:
    """Everything needed to build one site's chain and its replacement."""

    layers: tuple[LayerPlan, ...]
    replacement: dict[str, Value | LayerPlan]
    input_dim: int
    samples: dict[str, Value]


@dataclass(frozen=True)
class SiteResult:
    """The verdict on one site: ``OK``, ``MISMATCH``, ``SKIPPED`` or ``ERROR``."""

    finding: Finding
    status: str
    detail: str = ""
    devices: str = ""

    def line(self) -> str:
        """``path:line:col STATUS CODE [on DEVICES][: detail]``."""
        span = self.finding.span
        text = f"{self.finding.path}:{span.line}:{span.column}"
        text += f" {self.status} {self.finding.code}"
        if self.devices:
            text += f" on {self.devices}"
        if self.detail:
            detail = one_line(self.detail)
            text += f" {detail}" if self.status == "OK" else f": {detail}"
        return text


class ReplacementError(Exception):
    """The replacement's arguments cannot be evaluated: a fix to distrust."""


def run_verify(
    paths: list[Path],
    *,
    cache: bool = True,
    devices: Sequence[str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Verify every fixable site under ``paths``; return the exit code."""
    out, err = out or sys.stdout, err or sys.stderr
    _require_torch()
    from reuse_lint import verify_checks
    from reuse_lint.runner import CheckSettings, execute, write_errors

    run = execute(CheckSettings(paths=paths, cache=cache))
    write_errors(run, err)
    if run.config.component != DEFAULT_COMPONENT:
        err.write(
            f"note: verify builds {DEFAULT_COMPONENT}, standing in for the"
            f" configured {run.config.component} (same constructor)\n"
        )
    devices = tuple(devices or verify_checks.available_devices())

    chains = {
        (a.path, c.span.line, c.span.column): c for a in run.analyses for c in a.chains
    }
    results = []
    with verify_checks.one_thread():
        for finding in (f for f in run.findings if f.fix is not None):
            chain = chains[(finding.path, finding.span.line, finding.span.column)]
            results.append(_verify_guarded(finding, chain, devices))
            out.write(f"{results[-1].line()}\n")
    err.write(summary(results, devices))
    return _exit_code(results, bool(run.errors))


def _require_torch() -> None:
    """Import torch once, quietly; one clear line when it is missing."""
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Failed to initialize NumPy")
            import torch  # noqa: F401
    except (ImportError, OSError) as error:
        raise UsageError(TORCH_MISSING) from error


def _verify_guarded(
    finding: Finding, chain: Chain, devices: Sequence[str]
) -> SiteResult:
    """One site; a crash becomes an ``ERROR`` result and the run goes on."""
    try:
        return verify_site(finding, chain, devices)
    except Exception as error:  # the one per-site boundary
        logging.getLogger(__name__).debug("verify crashed", exc_info=True)
        return SiteResult(finding, "ERROR", f"{type(error).__name__}: {error}")


def verify_site(finding: Finding, chain: Chain, devices: Sequence[str]) -> SiteResult:
    """Build and compare one site on each device."""
    from reuse_lint.verify_checks import SiteSkipped, compare

    try:
        plan = plan_site(chain)
    except EvaluationError as error:
        return SiteResult(finding, "SKIPPED", str(error))
    except ReplacementError as error:
        return SiteResult(finding, "MISMATCH", str(error))

    for device in devices:
        try:
            difference = compare(plan, device)
        except SiteSkipped as skipped:
            return SiteResult(finding, "SKIPPED", str(skipped), device)
        if difference is not None:
            return SiteResult(finding, "MISMATCH", difference, device)

    return SiteResult(finding, "OK", _shown(plan), ", ".join(devices))


def _shown(plan: SitePlan) -> str:
    if not plan.samples:
        return ""
    values = ", ".join(f"{name}={value!r}" for name, value in plan.samples.items())
    return f"with {values}"


def summary(results: list[SiteResult], devices: Sequence[str]) -> str:
    """The closing line: how many sites, and how many of each verdict."""
    counts = Counter(result.status for result in results)
    noun = "site" if len(results) == 1 else "sites"
    errors = f", {counts['ERROR']} failed" if counts["ERROR"] else ""
    return (
        f"Verified {len(results)} fixable {noun} on {', '.join(devices)}:"
        f" {counts['OK']} OK, {counts['MISMATCH']} mismatched,"
        f" {counts['SKIPPED']} skipped{errors}.\n"
    )


def _exit_code(results: list[SiteResult], errors: bool) -> int:
    if errors or any(result.status == "ERROR" for result in results):
        return EXIT_ERROR
    if any(result.status == "MISMATCH" for result in results):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def plan_site(chain: Chain) -> SitePlan:
    """Evaluate a site's layers and replacement with sample values.

    Larger sample sizes are tried when the first ones fail. Raises the first
    attempt's ``EvaluationError`` when the chain cannot be evaluated (the site
    is skipped) and ``ReplacementError`` when only the replacement cannot.
    """
    failures: list[EvaluationError] = []
    for first_size in SIZE_STARTS:
        try:
            return _plan(chain, SampleNames(first_size))
        except EvaluationError as error:
            failures.append(error)
    raise failures[0]


def _plan(chain: Chain, samples: SampleNames) -> SitePlan:
    bound = [(layer, bind(layer)) for layer in chain.layers]
    for layer, args in bound:
        if layer.kind not in PARAMETERS:
            raise EvaluationError(f"`{layer.code}` is not a layer verify can build")
        for name, arg in args.items():
            samples.assign(arg.code, _ROLES.get(name, Role.NUMBER))

    layers = tuple(
        _layer_plan(layer.kind, args, samples.values) for layer, args in bound
    )
    replacement = _replacement(chain, layers, samples.values)
    linear = next(layer for layer in layers if layer.kind == "Linear")
    input_dim = _check_size("in_features", linear.kwargs["in_features"])
    return SitePlan(layers, replacement, input_dim, dict(samples.values))


def _layer_plan(kind: str, args: dict[str, Arg], values: dict[str, Value]) -> LayerPlan:
    kwargs: dict[str, Value] = {}
    for name, arg in args.items():
        kwargs[name] = evaluate(arg.code, values)
        if _ROLES.get(name) is Role.SIZE:
            _check_size(arg.code, kwargs[name])
    return LayerPlan(kind, kwargs)


def _check_size(code: str, value: Value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise EvaluationError(f"size `{code}` is {value!r}, not a whole number")
    if not 1 <= value <= MAX_SIZE:
        raise EvaluationError(
            f"size `{code}` is {value} with the sample values (verify builds 1 to"
            f" {MAX_SIZE})"
        )
    return value


def _replacement(
    chain: Chain, layers: tuple[LayerPlan, ...], values: dict[str, Value]
) -> dict[str, Value | LayerPlan]:
    if chain.spec is None:
        raise ReplacementError("the chain has no replacement")
    kwargs: dict[str, Value | LayerPlan] = {}
    for key, code in keyword_arguments(chain.spec):
        layer = _layer_written_as(code, chain.layers, layers)
        if key == "activation" and layer is not None:
            kwargs[key] = layer
            continue
        try:
            kwargs[key] = evaluate(code, values)
        except EvaluationError as error:
            raise ReplacementError(
                f"the replacement's `{key}={code}`: {error}"
            ) from error
    return kwargs


def _layer_written_as(
    code: str, written: tuple[Layer, ...], layers: tuple[LayerPlan, ...]
) -> LayerPlan | None:
    """The chain's layer whose source text is ``code``, if there is one."""
    for layer, plan in zip(written, layers, strict=True):
        if layer.code.strip() == code.strip():
            return plan
    return None
