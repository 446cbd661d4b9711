"""Every `sevbook check` warning on the page of the file it is about: an admonition at the
top of the incident, runbook, service, role, severity, on-call or hand-written page.

Each warning is listed as check prints it (line, code, field, message), so whoever reads
the page at 3 a.m. sees what the pull request would have flagged. A stale runbook already
has its own warning box on its page (`runbooks.py`), so that code is not repeated.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable

from ...diagnostics import Diagnostic
from .. import md
from ..context import Context
from ..page import Page

SHOWN_ELSEWHERE = frozenset({"stale-runbook"})
"""Codes a page already shows in its own words."""


def _page_of(ctx: Context) -> dict[str, str]:
    """{source file: docs path of its page} for incidents and files in the docs_dir."""
    out = {inc.path: ctx.incident_uri(inc) for inc in ctx.handbook.incidents.values()}
    prefix = ctx.handbook.settings.docs_dir.strip("/") + "/"
    for d in ctx.diagnostics:
        if d.file not in out and d.file.startswith(prefix) and d.file.endswith(".md"):
            out[d.file] = d.file[len(prefix):]
    return out


def line_of(d: Diagnostic) -> str:
    """One warning as a list item: `line 12 · [code] field: message`."""
    where = f"line {d.line} · " if d.line else ""
    field = f" {md.code(d.field)}:" if d.field else ""
    return f"{where}{md.code(d.code)}{field} {md.text(d.message)}"


def _by_page(ctx: Context) -> dict[str, list[Diagnostic]]:
    """{docs path: the warnings its admonition lists}, in the order of the diagnostics."""
    page_of = _page_of(ctx)
    by_page: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in ctx.diagnostics:
        if d.severity == "warning" and d.code not in SHOWN_ELSEWHERE and d.file in page_of:
            by_page[page_of[d.file]].append(d)
    return by_page


def paths(ctx: Context) -> Iterable[str]:
    """The paths `pages` yields, without rendering them."""
    return tuple(_by_page(ctx))


def pages(ctx: Context) -> Iterable[Page]:
    for path, diags in _by_page(ctx).items():
        n = len(diags)
        title = f"sevbook check: {n} warning{'s' if n != 1 else ''} about this page"
        body = (f"Found in {md.code(diags[0].file)}; `sevbook check` lists them too.\n\n"
                + md.bullets(line_of(d) for d in diags))
        name = posixpath.splitext(posixpath.basename(path))[0].replace("-", " ")
        yield Page(path, name, top=md.admonition("warning", title, body))
