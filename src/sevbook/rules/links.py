"""Links and anchors in the docs pages that MkDocs would warn about (`sevbook.links`)."""

from __future__ import annotations

from collections.abc import Iterator

from ..links import LinkProblem, link_problems
from ..model import Handbook
from .context import RuleContext
from .registry import HANDBOOK, Finding, rule


def _problems(ctx: RuleContext) -> list[LinkProblem]:
    return link_problems(ctx.handbook, ctx.now)


def _findings(ctx: RuleContext, code: str) -> Iterator[Finding]:
    for p in ctx.once(_problems):
        if p.code == code:
            yield Finding(p.file, (), p.message, line=p.line)


@rule("broken-link", "warning", [HANDBOOK],
      "a relative link in a docs page names a file of the docs_dir or a generated page "
      "(as mkdocs.yml's validation not_found/unrecognized_links warn)")
def broken_links(ctx: RuleContext, hb: Handbook) -> Iterator[Finding]:
    return _findings(ctx, "broken-link")


@rule("broken-anchor", "warning", [HANDBOOK],
      "a link's #anchor is a heading id or id of the target page (as mkdocs.yml's "
      "validation anchors warns)")
def broken_anchors(ctx: RuleContext, hb: Handbook) -> Iterator[Finding]:
    return _findings(ctx, "broken-anchor")
