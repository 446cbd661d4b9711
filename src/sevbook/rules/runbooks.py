"""Runbooks people can trust: reviewed on time, with every required section."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..mdscan import heading_titles, scan_headings
from ..model import REQUIRED_SECTIONS, Runbook
from .context import RuleContext
from .registry import Finding, rule


@rule("stale-runbook", "warning", ["runbook"],
      "a runbook was reviewed within its review_every (default 90d)")
def stale(ctx: RuleContext, rb: Runbook) -> Iterator[Finding]:
    if not rb.is_stale(ctx.today):
        return
    due = rb.review_due()
    if due is None:
        yield Finding(rb.path, (), "runbook has never been reviewed; test it, then add "
                                   f"last_reviewed: {ctx.today.isoformat()}")
    else:
        yield Finding(rb.path, ("last_reviewed",),
                      f"runbook is stale: last reviewed {rb.last_reviewed}, review was due "
                      f"{due} (every {rb.review_every.days} days); walk through it and update "
                      "last_reviewed", {"due": due})


@rule("runbook-sections", "warning", ["runbook"],
      f"a runbook has the sections {', '.join(REQUIRED_SECTIONS)}")
def sections(ctx: RuleContext, rb: Runbook) -> Iterator[Finding]:
    headings = {h.lower() for h in heading_titles(rb.body)}
    missing = [s for s in REQUIRED_SECTIONS if s.lower() not in headings]
    if missing:
        yield Finding(rb.path, (), f"runbook is missing the section(s) {', '.join(missing)}; "
                                   f"add a '## {missing[0]}' heading (even 'None' is an answer)",
                      {"sections": missing})


_COMMENT = re.compile(r"<!--.*?-->", re.S)


def section_bodies(body: str) -> dict[str, str]:
    """{lowercased heading: text up to the next heading of the same or a higher level}."""
    out: dict[str, str] = {}
    open_: list[tuple[str, int]] = []
    for line, h in scan_headings(body.split("\n")):
        if h:
            level = len(h.group(1))
            open_ = [(t, lv) for t, lv in open_ if lv < level]
            title = h.group(2).strip().rstrip("#").strip().lower()
            out.setdefault(title, "")
            open_.append((title, level))
        else:
            for title, _ in open_:
                out[title] += line + "\n"
    return out


@rule("empty-section", "warning", ["runbook"],
      "each required section of a runbook has text (not only a heading or an HTML comment)")
def empty_sections(ctx: RuleContext, rb: Runbook) -> Iterator[Finding]:
    bodies = section_bodies(rb.body)
    empty = [s for s in REQUIRED_SECTIONS
             if s.lower() in bodies and not _COMMENT.sub("", bodies[s.lower()]).strip()]
    if empty:
        yield Finding(rb.path, (), f"runbook section(s) {', '.join(empty)} are empty; write "
                                   "what to do (even 'None: ...' with the reason is an answer)",
                      {"sections": empty})
