"""What every rule declares: its code, its message and its fix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reuse_lint.expressions import one_line
from reuse_lint.model import Chain, layout


def describe_chain(chain: Chain) -> str:
    """``Linear → ReLU → Linear (d → 4 * d → d)``: the layers and sizes.

    Sizes are the user's expressions, each put on one line so that a
    message stays one line.
    """
    spec = chain.spec
    if spec is None:
        return layout(chain.layers)
    sizes = (spec.input_dim, spec.hidden_dim, spec.output_dim)
    return f"{layout(chain.layers)} ({' → '.join(one_line(s) for s in sizes)})"


@dataclass(frozen=True)
class Rule:
    """A rule flags chains it ``matches`` and describes them in ``message``.

    ``fix_title`` says what the fix does, in the imperative; a fix is safe
    when every expression it moves is free of side effects, unsafe otherwise
    (see each rule's document).
    """

    code: str
    name: str
    summary: str
    fix_title: str
    matches: Callable[[Chain], bool]
    describe: Callable[[Chain], str]

    def message(self, chain: Chain) -> str:
        """The finding's message: what is wrong, not how to cure it."""
        return self.describe(chain)

    def applicability(self, chain: Chain) -> str:
        """``"safe"`` or ``"unsafe"``, as ruff calls fix safety."""
        return "safe" if chain.spec is not None and chain.spec.pure else "unsafe"
