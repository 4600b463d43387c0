"""The reuse report: rows, summary, markdown and JSON, and the ``report`` command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reuse_lint.cli import cli
from reuse_lint.codemod import apply_fixes
from reuse_lint.report import Report, render
from reuse_lint.report.markdown import text
from reuse_lint.report.run import collect_report

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SEED = FIXTURES / "seed"


def _sources(folder: Path) -> list[Path]:
    """The fixture modules under ``folder``, without the fixer's golden output."""
    return sorted(p for p in folder.rglob("*.py") if not p.name.endswith(".fixed.py"))


# The summary table of the seed analysis note (shared/seed-analysis.md), as
# written there. The report must reach the same verdict for each module.
SEED_NOTE_TABLE = """
| Component | Refactored? | Reuses | Reason |
|-----------|-------------|--------|--------|
| **CrossAttentionFusion** | ❌ No | PyTorch built-ins | Cross-attention requires different pattern than self-attention |
| **BidirectionalCrossAttention** | ✅ Yes | MLPBlock | FFN pattern matches MLPBlock perfectly |
| **GateFusion** | ❌ No | PyTorch built-ins | Gating pattern requires Sigmoid, not ReLU |
| **MixtureOfExperts** | ❌ No | PyTorch built-ins | Routing pattern requires Softmax, not ReLU |
"""

# What the report says for each, in the note's words: the phrase its reason
# must contain, and the built-in the note names for it (if any).
SEED_REASONS = {
    "CrossAttentionFusion": "already uses built-in attention (nn.MultiheadAttention)",
    "BidirectionalCrossAttention": "FFN pattern matches MLPBlock (2 chains)",
    "GateFusion": "gating pattern needs Sigmoid",
    "MixtureOfExperts": "routing pattern needs Softmax",
}


def _seed_note_rows() -> dict[str, tuple[bool, str]]:
    rows = {}
    for line in SEED_NOTE_TABLE.strip().splitlines()[2:]:
        name, refactored, reuses, _ = (c.strip() for c in line.strip("|").split("|"))
        rows[name.strip("*")] = ("Yes" in refactored, reuses.replace("PyTorch ", ""))
    return rows


@pytest.fixture(scope="module")
def seed_report() -> Report:
    return collect_report(_sources(SEED), cache=False)[0]


@pytest.fixture(scope="module")
def fixtures_report() -> Report:
    return collect_report(_sources(FIXTURES), cache=False)[0]


def _markdown_rows(markdown: str, header: str) -> list[list[str]]:
    lines = markdown.splitlines()
    start = lines.index(header)
    start = next(i for i in range(start, len(lines)) if lines[i].startswith("|"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(_cells(line))
    return rows


def _cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]


# Seed: the note's table, row by row.


def test_seed_report_reproduces_the_note_table(seed_report: Report) -> None:
    rows = {row.component: row for row in seed_report.rows}
    note = _seed_note_rows()

    assert set(rows) == set(note)
    for name, (refactored, reuses) in note.items():
        row = rows[name]
        assert row.replaceable is refactored, name
        assert row.reuses == reuses, name
        assert row.reason == SEED_REASONS[name], name


def test_report_command_on_fixtures_gives_the_note_table_for_the_seed() -> None:
    command = [sys.executable, "-m", "reuse_lint", "report", "--no-cache"]
    done = subprocess.run(
        [*command, "--format", "json", "fixtures/"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    rows = {
        row["component"]: row
        for row in json.loads(done.stdout)["components"]
        if row["path"].startswith("fixtures/seed/")
    }
    note = _seed_note_rows()
    assert set(rows) == set(note)
    for name, (refactored, reuses) in note.items():
        assert rows[name]["replaceable"] is refactored, name
        assert rows[name]["reuses"] == reuses, name
        assert rows[name]["reason"] == SEED_REASONS[name], name
    assert sum(rows[name]["replaceable"] for name in note) == 1


def test_seed_report_summary(seed_report: Report) -> None:
    summary = seed_report.summary
    assert (summary.replaceable_components, summary.components) == (1, 4)
    assert summary.replaceable_chains == 2
    assert [(kind, n) for kind, _, n in summary.exempt] == [
        ("gating", 1),
        ("routing", 1),
    ]
    assert summary.near_misses == ()
    assert summary.duplicated_lines == 14
    assert summary.reusing_library == ()
    (group,) = seed_report.duplicates
    assert [line for _, line in group.locations] == [37, 44]
    assert group.layers == "Linear → ReLU → Dropout → Linear → Dropout"


def test_seed_markdown_table_rows(seed_report: Report) -> None:
    markdown = render(seed_report, "markdown")
    rows = _markdown_rows(markdown, "## Components")
    by_name = {cells[0]: cells for cells in rows}

    assert "**1 of 4 components can reuse `MLPBlock`**" in markdown
    assert by_name["BidirectionalCrossAttention"][2:4] == [
        "**yes**",
        "MLPBlock (after fix)",
    ]
    assert by_name["GateFusion"][2:] == [
        "no",
        "built-ins",
        "LayerNorm",
        "gating pattern needs Sigmoid",
    ]
    assert by_name["MixtureOfExperts"][2:5] == ["no", "built-ins", "primitives only"]
    assert by_name["CrossAttentionFusion"][4] == "LayerNorm, MultiheadAttention"


def test_lines_after_fix_match_what_the_fixer_writes(seed_report: Report) -> None:
    path = SEED / "bidirectional_cross_attention.py"
    run = collect_report([path], cache=False)[1]
    source = path.read_text(encoding="utf-8")
    fixed, replaced = apply_fixes(source, list(run.analyses[0].chains), "x.y:MLPBlock")
    added_imports = 1

    removed = len(source.splitlines()) - len(fixed.splitlines()) + added_imports
    assert len(replaced) == 2
    assert seed_report.summary.lines_saved == removed


# All fixtures: rows, exemptions and near misses agree with the expectations.


def _expected(kind: str) -> list[tuple[str, dict[str, object]]]:
    found = []
    for path in sorted(FIXTURES.rglob("*.expected.json")):
        for entry in json.loads(path.read_text())[kind]:
            found.append((path.name.replace(".expected.json", ".py"), entry))
    return found


def test_every_exempt_chain_and_near_miss_is_listed(fixtures_report: Report) -> None:
    chains = {(Path(c.path).name, c.line): c for c in fixtures_report.chains}

    for name, entry in _expected("exempt"):
        chain = chains[(name, entry["line"])]
        assert chain.verdict == entry["kind"]
        assert chain.reason.startswith(f"{entry['kind']} chain:")
    for name, entry in _expected("near_misses"):
        chain = chains[(name, entry["line"])]
        assert chain.verdict == "near-miss"
        assert chain.reason_code == entry["reason"]


def test_all_fixtures_summary_counts(fixtures_report: Report) -> None:
    summary = fixtures_report.summary
    findings = _expected("findings")

    assert summary.replaceable_chains == len(findings)
    assert sum(n for _, _, n in summary.exempt) == len(_expected("exempt"))
    assert sum(n for _, n in summary.near_misses) == len(_expected("near_misses"))
    assert summary.suppressed_chains == 2  # the two silenced in the noqa fixture
    flagged = {(Path(c.path).name, c.component) for c in fixtures_report.chains}
    replaceable = {
        (Path(r.path).name, r.component) for r in fixtures_report.rows if r.replaceable
    }
    assert replaceable <= flagged
    assert summary.replaceable_components == len(replaceable)


def test_factory_function_gets_a_row(fixtures_report: Report) -> None:
    (row,) = [r for r in fixtures_report.rows if r.component == "make_feedforward"]

    assert row.kind == "factory"
    assert row.replaceable
    assert row.reason == "FFN pattern matches MLPBlock (1 chain)"


def test_mixed_row_names_every_kind_of_chain(fixtures_report: Report) -> None:
    (row,) = [
        r for r in fixtures_report.rows if r.component == "GatedMoETransformerBlock"
    ]

    assert row.replaceable
    assert row.reason == (
        "FFN pattern matches MLPBlock (1 chain); "
        "routing pattern needs Softmax; gating pattern needs Sigmoid"
    )
    assert row.builtins == ("LayerNorm", "MultiheadAttention")


def test_suppressed_chains_do_not_count_as_replaceable(fixtures_report: Report) -> None:
    (row,) = [
        r for r in fixtures_report.rows if r.component == "LegacyCheckpointBlocks"
    ]

    assert row.chains["replaceable"] == 2
    assert row.chains["suppressed"] == 2
    assert "2 chains suppressed" in row.reason


def test_component_already_reusing_the_library(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text(
        "import torch.nn as nn\n"
        "from reuse_lint.components import MLPBlock\n\n\n"
        "class Refactored(nn.Module):\n"
        "    def __init__(self, d):\n"
        "        super().__init__()\n"
        "        self.ffn = MLPBlock(input_dim=d, hidden_dim=4 * d)\n"
        "        self.norm = nn.LayerNorm(d)\n",
        encoding="utf-8",
    )
    report = collect_report([tmp_path], cache=False)[0]

    (row,) = report.rows
    assert (row.replaceable, row.reuses, row.library) == (
        False,
        "MLPBlock",
        ("MLPBlock",),
    )
    assert row.reason == "already reuses MLPBlock"
    assert report.summary.reusing_library == ("Refactored",)


def test_module_level_chain_is_listed_without_a_component(tmp_path: Path) -> None:
    (tmp_path / "head.py").write_text(
        "import torch.nn as nn\n\n"
        "HEAD = nn.Sequential(nn.Linear(8, 8), nn.Sigmoid())\n",
        encoding="utf-8",
    )
    report = collect_report([tmp_path], cache=False)[0]

    (chain,) = report.chains
    assert (chain.owner, chain.component, chain.verdict) == ("<module>", None, "gating")
    assert "`module level`" in render(report, "markdown")


# Markdown.


def test_markdown_tables_have_one_cell_per_header(fixtures_report: Report) -> None:
    markdown = render(fixtures_report, "markdown")
    for header in ("## Components", "## Chains"):
        rows = _markdown_rows(markdown, header)
        assert len({len(cells) for cells in rows}) == 1, header
        assert len(rows) > 2


def test_markdown_has_no_raw_html(fixtures_report: Report) -> None:
    markdown = render(fixtures_report, "markdown")
    outside_code = re.sub(r"`[^`]*`", "", markdown)

    assert not re.search(r"(?<!\\)<", outside_code)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a | b", "a \\| b"),
        ("`x | y` and <module>", "`x \\| y` and \\<module\\>"),
        ("hidden_dim * 4", "hidden_dim \\* 4"),
        ("Block.__init__", "Block.\\_\\_init\\_\\_"),
        ("`a_b` [0, 1]", "`a_b` \\[0, 1\\]"),
        ("odd ` tick", "odd \\` tick"),
    ],
)
def test_markdown_text_escaping(value: str, expected: str) -> None:
    assert text(value) == expected


# JSON.


def test_json_keys_are_stable(seed_report: Report, tmp_path: Path) -> None:
    empty = collect_report([tmp_path], cache=False)[0]
    full = json.loads(render(seed_report, "json"))
    bare = json.loads(render(empty, "json"))

    assert (
        list(full)
        == list(bare)
        == [
            "version",
            "component",
            "summary",
            "components",
            "chains",
            "duplicates",
            "errors",
        ]
    )
    assert list(full["summary"]) == list(bare["summary"])
    assert {tuple(row) for row in full["components"]} == {
        (
            "component",
            "kind",
            "path",
            "line",
            "replaceable",
            "reuses",
            "library",
            "builtins",
            "primitives",
            "reason",
            "chains",
        )
    }
    assert full["summary"]["lines_saved"] == seed_report.summary.lines_saved
    assert bare["components"] == []


# The command.


def test_report_command_writes_markdown_and_exits_zero_with_findings() -> None:
    result = CliRunner().invoke(cli, ["report", "--no-cache", str(FIXTURES)])

    assert result.exit_code == 0
    assert result.stdout.startswith("# Reuse report\n")
    assert "| BidirectionalCrossAttention | " in result.stdout
    assert "| GatedMoETransformerBlock | " in result.stdout


@pytest.mark.parametrize("output_format", ["markdown", "json", "html"])
def test_report_command_writes_the_output_file(
    output_format: str, tmp_path: Path
) -> None:
    target = tmp_path / f"report.{output_format}"
    args = ["report", "--no-cache", "--format", output_format, "-o", str(target)]
    sources = [str(p) for p in _sources(SEED)]
    result = CliRunner().invoke(cli, [*args, *sources])

    assert result.exit_code == 0
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == render(
        collect_report(_sources(SEED), cache=False)[0], output_format
    )


def test_report_command_exits_two_when_a_file_cannot_be_analysed(
    tmp_path: Path,
) -> None:
    (tmp_path / "broken.py").write_text("import torch.nn as nn\nnn.Sequential(\n")
    result = CliRunner().invoke(cli, ["report", "--no-cache", str(tmp_path)])

    assert result.exit_code == 2
    assert "## Files not analysed" in result.stdout
    assert "broken.py" in result.stderr


def test_report_command_unwritable_output_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "report.md"
    command = [sys.executable, "-m", "reuse_lint", "report", "--no-cache"]
    done = subprocess.run(
        [*command, "-o", str(target), str(SEED)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 2
    assert done.stderr.startswith(f"error: cannot write {target}: ")
    assert done.stderr.count("\n") == 1


def test_markdown_counts_quiet_components_instead_of_listing_them(
    fixtures_report: Report,
) -> None:
    markdown = render(fixtures_report, "markdown")
    listed = [cells[0] for cells in _markdown_rows(markdown, "## Components")]
    quiet = [row for row in fixtures_report.rows if row.quiet]

    assert quiet
    assert all(row.reason == "no feed-forward chain" for row in quiet)
    assert set(listed).isdisjoint(row.component for row in quiet)
    assert len(listed) + len(quiet) == fixtures_report.summary.components
    assert f"{len(quiet)} more components have no feed-forward chain" in markdown
