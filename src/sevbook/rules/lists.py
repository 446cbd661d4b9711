"""Lists that Markdown breaks: a paragraph or code block inside a list item indented by
fewer than 4 spaces ends the list in Python-Markdown (MkDocs' parser), so numbered steps
render as "1. 1. 1." and the code falls out of its step."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..mdscan import FENCE
from .context import RuleContext
from .registry import Finding, rule

ITEM = re.compile(r"^( {0,3})(\d{1,9}[.)]|[-*+])(\s+|$)")
"""A list item at the top level (its marker indented at most 3 spaces)."""


@dataclass(frozen=True)
class BrokenList:
    line: int
    """1-based line in the body."""
    indent: int
    ordered: bool


def broken_lists(body: str) -> Iterator[BrokenList]:
    """Every line that ends a list because it is indented 1-3 spaces after a blank line
    inside a list item (Python-Markdown wants 4)."""
    ordered: bool | None = None  # the kind of list the last item belongs to; None: no list
    blank = False
    fence: str | None = None
    for n, line in enumerate(body.split("\n"), 1):
        if fence is not None:
            m = FENCE.match(line.lstrip())
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            continue
        if not line.strip():
            blank = True
            continue
        item = ITEM.match(line)
        indent = len(line) - len(line.lstrip(" "))
        if item:
            ordered = item.group(2)[0].isdigit()
        elif blank and ordered is not None and indent < 4:
            if indent:
                yield BrokenList(n, indent, ordered)
            ordered = None
        blank = False
        m = FENCE.match(line.lstrip())
        if m:
            fence = m.group(1)


def _body_offset(ctx: RuleContext, doc: Any) -> int:
    """Lines before the body in the document's file (its frontmatter)."""
    try:
        text = (ctx.handbook.root / doc.path).read_text(encoding="utf-8")
    except OSError:
        return 0
    return text[: len(text) - len(doc.body)].count("\n") if text.endswith(doc.body) else 0


@rule("broken-list", "warning", ["severity", "oncall", "role", "service", "runbook"],
      "a paragraph or code block inside a list item is indented 4 spaces (fewer ends the "
      "list: numbered steps render as 1. 1. 1.)")
def broken_list(ctx: RuleContext, doc: Any) -> Iterator[Finding]:
    found = list(broken_lists(doc.body))
    if not found:
        return
    offset = _body_offset(ctx, doc)
    for b in found:
        what = "numbered steps restart at 1." if b.ordered else "the block falls out of the item"
        yield Finding(doc.path, (), f"this line is indented {b.indent} space"
                      f"{'s' if b.indent != 1 else ''} inside a list item, which ends the list "
                      f"({what}); indent the item's paragraphs and code blocks by 4 spaces",
                      {"indent": b.indent}, line=offset + b.line)
