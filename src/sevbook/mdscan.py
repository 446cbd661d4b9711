"""Finding Markdown headings without being fooled by fenced code.

A runbook's shell block often holds lines like `# Rollback the deploy`; those are comments,
not sections. The rules (required runbook sections), the handbook pages (shifting headings,
splitting the lead) and the link check (links in prose only) use this one scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
ATX = re.compile(r"^(#{1,6})(\s+.*|\s*)$")


def prose_or_code(lines: list[str]) -> Iterator[tuple[str, bool]]:
    """Yield (line, True when it is prose) for each line: fence lines and the code between
    them are not prose."""
    fence: str | None = None
    for line in lines:
        m = FENCE.match(line)
        if m:
            mark = m.group(1)
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence):
                fence = None
            yield line, False
        else:
            yield line, fence is None


def scan_headings(lines: list[str]) -> Iterator[tuple[str, re.Match[str] | None]]:
    """Yield (line, ATX heading match or None) for each line; fenced code is never a heading."""
    for line, prose in prose_or_code(lines):
        yield line, (ATX.match(line) if prose else None)


def heading_titles(markdown: str) -> list[str]:
    """The text of every heading outside fenced code, without #'s or a closing #-run."""
    return [h.group(2).strip().rstrip("#").strip()
            for _, h in scan_headings(markdown.split("\n")) if h]
