"""Finding the lines that matter: whole words, class statements, line ends."""

from __future__ import annotations

import ast

import pytest

from reuse_lint.lines import class_lines, covers, line_numbers, word_lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nn.Linear\nx = 1\n", [1]),
        ("x = 1\ny = nn\n", [2]),
        ("cnn = 1\nnn_x = 2\n_nn = 3\n2nn\n", []),
        ("é_nn = 1\n(nn)\n", [2]),
        ("a = 1\r\nnn\r\n", [2]),
        ("a = 1\rnn\r", [2]),
    ],
    ids=["first", "last", "inside-words", "unicode-before", "crlf", "cr"],
)
def test_word_lines_count_whole_words_only(text: str, expected: list[int]) -> None:
    assert word_lines(text, [r"nn\b"]) == expected


def test_word_lines_with_a_dotted_pattern() -> None:
    text = "torch.cat(x)\ntorch . nn.Linear\nmytorch.nn\n"

    assert word_lines(text, [r"torch\s*\.\s*nn\b"]) == [2]


def test_class_lines_are_class_statements_at_any_indent() -> None:
    text = (
        "class A:\n"
        "    class B(A):\n"
        "\tclass C: pass\n"
        "x = subclass\n"
        "classifier = 1\n"
        "# class D\n"
        "\fclass E: pass\n"
    )

    assert class_lines(text) == [1, 2, 3, 7]
    assert class_lines(text.replace("\n", "\r")) == [1, 2, 3, 7]


def test_line_numbers_agree_with_python_line_ends() -> None:
    for text in ("a\nb\nc", "a\r\nb\r\nc", "a\rb\rc", "a\r\nb\rc"):
        offsets = [text.index(letter) for letter in "abc"]
        assert line_numbers(text, offsets) == [1, 2, 3], repr(text)


def test_a_decorated_definition_covers_its_decorator_lines() -> None:
    (node,) = ast.parse("@wrap(\n    nn.Linear)\ndef f():\n    pass\n").body

    assert covers([2], node)
    assert not covers([5], node)
