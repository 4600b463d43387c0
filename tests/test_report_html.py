"""The HTML report: one self-contained page, rendered and sorted by Chromium."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reuse_lint.report import Report, render
from reuse_lint.report.run import collect_report

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "fixtures" / "seed"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class _Tables(HTMLParser):
    """Cell texts of each table by id, the headers' aria-sort, every tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[list[str]]] = {}
        self.sort: dict[str, list[str | None]] = {}
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "table":
            self._table = dict(attrs).get("id") or ""
            self.rows[self._table], self.sort[self._table] = [], []
        elif tag == "tr" and self._table is not None:
            self.rows[self._table].append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []
            if tag == "th":
                self.sort[self._table].append(dict(attrs).get("aria-sort"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag in ("td", "th") and self._table is not None and self._cell is not None:
            self.rows[self._table][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _parse(page: str) -> _Tables:
    parser = _Tables()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def seed_report() -> Report:
    sources = sorted(p for p in SEED.glob("*.py") if not p.name.endswith(".fixed.py"))
    return collect_report(sources, cache=False)[0]


@pytest.fixture(scope="module")
def page(seed_report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(render(seed_report, "html"), encoding="utf-8")
    return path


def test_page_is_self_contained(page: Path) -> None:
    tables = _parse(page.read_text(encoding="utf-8"))

    fetching = [
        (tag, attrs)
        for tag, attrs in tables.tags
        if tag in ("link", "img", "iframe") or "src" in attrs or "href" in attrs
    ]
    assert fetching == []
    policies = [
        a for t, a in tables.tags if a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert policies and "default-src 'none'" in (policies[0]["content"] or "")


def test_page_has_the_same_rows_as_the_report(page: Path, seed_report: Report) -> None:
    tables = _parse(page.read_text(encoding="utf-8"))

    header, *rows = tables.rows["components"]
    assert header == [
        "Component",
        "Location",
        "Replaceable?",
        "Reuses",
        "Built-ins",
        "Reason",
    ]
    assert [r[0] for r in rows] == [r.component for r in seed_report.rows]
    assert [r[5] for r in rows] == [r.reason for r in seed_report.rows]
    assert len(tables.rows["chains"]) == 1 + len(seed_report.chains)


def test_markup_escapes_user_text(tmp_path: Path) -> None:
    (tmp_path / "odd.py").write_text(
        "import torch.nn as nn\n\n"
        "X = nn.Sequential(nn.Linear(2, 2), nn.Sequential(*[]), nn.Sigmoid())\n",
        encoding="utf-8",
    )
    report = collect_report([tmp_path], cache=False)[0]
    html = render(report, "html")

    assert "<module>" not in html
    assert "module level" in html


def _browser() -> str | None:
    return next((found for b in BROWSERS if (found := shutil.which(b))), None)


def _chromium(url: str, profile: Path, *flags: str) -> str:
    browser = _browser()
    if browser is None:
        pytest.skip(f"no headless browser found (looked for {', '.join(BROWSERS)})")
    done = subprocess.run(
        [
            browser,
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            f"--user-data-dir={profile}",
            *flags,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_chromium_renders_every_row(
    page: Path, seed_report: Report, tmp_path: Path
) -> None:
    dom = _parse(_chromium(page.as_uri(), tmp_path, "--dump-dom"))

    rows = dom.rows["components"][1:]
    assert [r[0] for r in rows] == [r.component for r in seed_report.rows]
    assert dom.sort["components"] == ["none"] * 6


@pytest.mark.parametrize(
    ("fragment", "column", "first", "state"),
    [
        ("components:0:desc", 0, "MixtureOfExperts", "descending"),
        ("components:0", 0, "BidirectionalCrossAttention", "ascending"),
        ("components:2:desc", 2, "BidirectionalCrossAttention", "descending"),
        ("components:2", 2, "CrossAttentionFusion", "ascending"),
    ],
)
def test_chromium_sorts_by_clicking_a_header(
    page: Path, tmp_path: Path, fragment: str, column: int, first: str, state: str
) -> None:
    dom = _parse(_chromium(f"{page.as_uri()}#sort={fragment}", tmp_path, "--dump-dom"))

    rows = dom.rows["components"][1:]
    keys = [r[column] for r in rows]
    assert rows[0][0] == first
    assert keys == sorted(keys, reverse=state == "descending")
    assert dom.sort["components"][column] == state
    assert dom.sort["components"].count("none") == 5


def test_chromium_screenshot(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    _chromium(page.as_uri(), tmp_path / "profile", f"--screenshot={shot}")

    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 10_000
