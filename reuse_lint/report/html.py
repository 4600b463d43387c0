"""The report as one self-contained HTML page with sortable tables.

Styles and the sorting script are inline and a content security policy
forbids every fetch, so the file opens the same offline, attached to a CI
run or mailed. Click a column header to sort by it, again to reverse; a
``#sort=TABLE:COLUMN[:desc]`` fragment (``#sort=components:2:desc``) clicks
that header on load, which makes a sorted view linkable.
"""

from __future__ import annotations

from html import escape

from reuse_lint.report import wording
from reuse_lint.report.model import Report

STYLE = """
:root { color-scheme: light dark; --line: #d0d7de; --soft: #f6f8fa; --yes: #1a7f37; }
@media (prefers-color-scheme: dark) {
  :root { --line: #30363d; --soft: #161b22; --yes: #3fb950; }
}
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
       margin: 0; padding: 24px 32px; }
main { max-width: 1400px; margin: auto; }
h1 { margin: 0 0 4px; font-size: 24px; }
h2 { margin: 28px 0 8px; font-size: 18px; border-bottom: 1px solid var(--line); }
.headline { font-size: 16px; font-weight: 600; margin: 0 0 8px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
dt { font-weight: 600; }
dd { margin: 0; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace;
       background: var(--soft); padding: 1px 4px; border-radius: 4px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left;
         vertical-align: top; }
thead th { position: sticky; top: 0; background: var(--soft); white-space: nowrap; }
td:nth-child(2) { white-space: nowrap; }
td:last-child { min-width: 20em; }
tbody tr:nth-child(even) { background: var(--soft); }
th button { all: unset; cursor: pointer; font-weight: 600; }
th button::after { content: " \\2195"; opacity: 0.4; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; opacity: 1; }
th[aria-sort="descending"] button::after { content: " \\25BC"; opacity: 1; }
td.yes { color: var(--yes); font-weight: 700; }
.note { color: GrayText; font-size: 13px; }
"""

SCRIPT = """
(function () {
  "use strict";
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  function sortTable(table, column, descending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var order = collator.compare(a.cells[column].textContent,
                                   b.cells[column].textContent);
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      var state = descending ? "descending" : "ascending";
      th.setAttribute("aria-sort", i === column ? state : "none");
    });
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.querySelector("button").addEventListener("click", function () {
        sortTable(table, i, th.getAttribute("aria-sort") === "ascending");
      });
    });
  });
  var wanted = /^#sort=([\\w-]+):(\\d+)(:desc)?$/.exec(window.location.hash);
  var table = wanted && document.getElementById(wanted[1]);
  var header = table && table.tHead.rows[0].cells[Number(wanted[2])];
  if (header) {
    var button = header.querySelector("button");
    button.click();
    if (wanted[3]) { button.click(); }
  }
})();
"""

END = "</section>"
POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"


def text(value: str) -> str:
    """Escape ``value`` for HTML, turning balanced `code spans` into <code>."""
    pieces = value.split("`")
    if len(pieces) % 2 == 0:
        return escape(value)
    return "".join(
        escape(piece) if i % 2 == 0 else f"<code>{escape(piece)}</code>"
        for i, piece in enumerate(pieces)
    )


def render_html(report: Report) -> str:
    """The whole page: headline, summary, components, duplicates, chains."""
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Reuse report</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<h1>Reuse report</h1>",
        f'<p class="headline">{text(wording.headline(report))}</p>',
        *_summary(report),
        *_components(report),
        *_duplicates(report),
        *_chains(report),
        *_errors(report),
        "</main>",
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _summary(report: Report) -> list[str]:
    items = [
        f"<dt>{text(label)}</dt><dd>{text(value)}</dd>"
        for label, value in wording.summary_items(report)
    ]
    return ['<section id="summary">', "<h2>Summary</h2>", "<dl>", *items, "</dl>", END]


def _table(name: str, headers: tuple[str, ...], rows: list[str]) -> list[str]:
    head = "".join(
        f'<th aria-sort="none"><button type="button">{escape(h)}</button></th>'
        for h in headers
    )
    return [
        f'<table id="{name}" class="sortable">',
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>",
        *rows,
        "</tbody>",
        "</table>",
    ]


def _components(report: Report) -> list[str]:
    rows = []
    for row in report.rows:
        yes = ' class="yes"' if row.replaceable else ""
        cells = [
            f"<td>{escape(row.component)}</td>",
            f"<td><code>{escape(wording.location(row.path, row.line))}</code></td>",
            f"<td{yes}>{wording.replaceable_cell(row)}</td>",
            f"<td>{text(wording.reuses_cell(row, report.component))}</td>",
            f"<td>{text(wording.builtins_cell(row))}</td>",
            f"<td>{text(row.reason)}</td>",
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    lines = ['<section id="components-section">', "<h2>Components</h2>"]
    if not rows:
        empty = "<p>No <code>nn.Module</code> classes or factories found.</p>"
        return [*lines, empty, END]
    note = f'<p class="note">{text(wording.BUILTINS_NOTE)}</p>'
    return [*lines, *_table("components", wording.COMPONENT_HEADERS, rows), note, END]


def _duplicates(report: Report) -> list[str]:
    if not report.duplicates:
        return []
    items = []
    for group in report.duplicates:
        where = ", ".join(
            f"<code>{escape(wording.location(p, n))}</code>" for p, n in group.locations
        )
        title = text(wording.duplicate_title(group.layers, group.sizes))
        items.append(f"<li>{title}, {len(group.locations)} copies: {where}</li>")
    heading = "<h2>Duplicate groups</h2>"
    return ['<section id="duplicates">', heading, "<ol>", *items, "</ol>", END]


def _chains(report: Report) -> list[str]:
    if not report.chains:
        return []
    rows = []
    for chain in report.chains:
        where = wording.location(chain.path, chain.line)
        cells = [
            f"<td>{escape(wording.owner_cell(chain))}</td>",
            f"<td><code>{escape(where)}</code></td>",
            f"<td>{escape(wording.verdict_cell(chain))}</td>",
            f"<td>{escape(chain.layers)}</td>",
            f"<td>{text(chain.reason)}</td>",
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    intro = "<p>Every feed-forward-like chain: replaceable, exempt, or a near miss.</p>"
    return [
        '<section id="chains-section">',
        "<h2>Chains</h2>",
        intro,
        *_table("chains", wording.CHAIN_HEADERS, rows),
        END,
    ]


def _errors(report: Report) -> list[str]:
    if not report.errors:
        return []
    items = [
        f"<li><code>{escape(path)}</code>: {escape(message)}</li>"
        for path, message in report.errors
    ]
    heading = "<h2>Files not analysed</h2>"
    return ['<section id="errors">', heading, "<ul>", *items, "</ul>", END]
