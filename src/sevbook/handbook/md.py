"""Small Markdown writers shared by the page generators.

User text (titles, names, messages) is written into Markdown tables and inline HTML here,
so this is the one place that escapes it: pipes and newlines break a table row, and `<`,
`&` would otherwise be read as HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from ..mdscan import scan_headings


def text(value: object) -> str:
    """User text as inline Markdown: one line, HTML-escaped, pipes escaped so it is safe in
    a table cell too (the tables extension, always on in MkDocs, unescapes `\\|`)."""
    s = " ".join(str(value).split())
    return html.escape(s, quote=False).replace("|", "\\|")


def cell(value: object) -> str:
    """User text for a table cell (the same as text(); named for readability)."""
    return text(value)


def code(value: object) -> str:
    """Inline code that survives any backticks inside, safe in a table cell."""
    s = " ".join(str(value).split()).replace("|", "\\|")
    ticks = "`" * (max((len(m) for m in re.findall(r"`+", s)), default=0) + 1)
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return f"{ticks}{pad}{s}{pad}{ticks}"


def link(label: str, href: str) -> str:
    """A Markdown link; `label` is already Markdown (escape it with text() first)."""
    if not label.startswith("<span"):
        label = label.replace("[", "\\[").replace("]", "\\]")
    return f"[{label}]({href.strip().translate(_HREF_TABLE)})"


_HREF_ESCAPES = {" ": "%20", "|": "%7C", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E",
                 '"': "%22", "\n": "%20"}
_HREF_TABLE = str.maketrans(_HREF_ESCAPES)


def badge(label: str, kind: str) -> str:
    """A small labelled pill. The label always carries the meaning; colour only repeats it."""
    return f'<span class="sb-badge sb-{kind}">{html.escape(label)}</span>'


def table(headers: Sequence[str], rows: Iterable[Sequence[str]],
          cards: bool | None = None) -> str:
    """A pipe table; cells must already be escaped with cell()/link()/badge().

    Tables of four or more columns become cards on narrow screens (see handbook.css): each
    cell then shows its column name from a label that is hidden on wide screens.
    """
    if cards is None:
        cards = len(headers) >= 4
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        cells = []
        for head, c in zip(headers, row, strict=True):
            c = c if c else " "
            if cards and head and c.strip():
                c = f'<span class="sb-l">{_plain(head)}: </span>{c}'
            cells.append(c)
        out.append("| " + " | ".join(cells) + " |")
    body = "\n".join(out) + "\n"
    if cards:
        return f'<div class="sb-cards" markdown>\n\n{body}\n</div>\n'
    return body


def figures(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table of numbers: the first column (what is counted) left-aligned, the figures
    right-aligned; never cards. Cells must already be escaped."""
    out = ["| " + " | ".join(headers) + " |",
           "|" + "|".join(":--" if i == 0 else "--:" for i in range(len(headers))) + "|"]
    out += ["| " + " | ".join(c or " " for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def _plain(markdown: str) -> str:
    """Header text without link markup, for a cell label."""
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown).replace("|", "\\|")


def bullets(items: Iterable[str]) -> str:
    return "".join(f"- {i}\n" for i in items)


def join_cell(items: Iterable[str], sep: str = "<br>") -> str:
    """Several values in one table cell, one per line."""
    return sep.join(items)


def admonition(kind: str, title: str, body: str) -> str:
    """A `!!! kind "title"` block (Python-Markdown admonition extension)."""
    inner = "".join(f"    {line}\n" if line else "\n" for line in body.strip("\n").split("\n"))
    return f'!!! {kind} "{title.replace(chr(34), chr(39))}"\n\n{inner}\n'


def split_h1(markdown: str) -> tuple[str | None, str]:
    """Split off a leading `# Title` line (after blank lines); return (title, rest)."""
    stripped = markdown.lstrip("\n")
    first, _, rest = stripped.partition("\n")
    m = re.match(r"^#\s+(.+?)\s*#*\s*$", first)
    if m:
        return m.group(1), rest.lstrip("\n")
    return None, stripped


def split_lead(markdown: str) -> tuple[str, str]:
    """Split prose before its first heading (the lead paragraphs) from the rest."""
    lines = markdown.split("\n")
    for i, (_, heading) in enumerate(scan_headings(lines)):
        if heading:
            return "\n".join(lines[:i]), "\n".join(lines[i:])
    return markdown, ""


def shift_headings(markdown: str, top: int) -> str:
    """Move ATX headings so the highest one is at level `top` (fenced code is left alone)."""
    lines = markdown.split("\n")
    levels = [len(h.group(1)) for _, h in scan_headings(lines) if h]
    if not levels:
        return markdown
    delta = top - min(levels)
    if delta == 0:
        return markdown
    out = []
    for line, h in scan_headings(lines):
        if h:
            line = "#" * min(6, max(1, len(h.group(1)) + delta)) + h.group(2)
        out.append(line)
    return "\n".join(out)
