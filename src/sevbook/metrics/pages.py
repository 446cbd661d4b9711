"""Adapter to the handbook plugin's page registry (`sevbook.handbook.generate.GENERATORS`).

Yields the metrics page and, for every service with an SLO, an error-budget section
appended below its service page. The Markdown itself comes from `metrics.page`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timezone
from typing import TYPE_CHECKING

from .page import budget_section, metrics_page
from .report import build_report

if TYPE_CHECKING:
    from ..handbook.generate import Context, Page

PATH = "metrics.md"
POLICY = "process/error-budget-policy.md"
MONTHS = 12
"""The metrics page covers the current month and the 11 before it."""


def page_range_start(today: date, months: int = MONTHS) -> date:
    """First day of the month `months - 1` months before `today`'s month."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def pages(ctx: Context) -> Iterable[Page]:
    from ..handbook.generate import Page

    hb, now = ctx.handbook, ctx.now
    report = build_report(hb, now, since=page_range_start(now.astimezone(timezone.utc).date()))
    has_policy = (hb.settings.content_path / POLICY).is_file()
    yield Page(PATH, "Metrics", above=metrics_page(
        report,
        link_service=lambda s: ctx.link_service(PATH, s),
        link_level=lambda lv: ctx.link_level(PATH, lv),
        policy_href=ctx.rel(PATH, POLICY) if has_policy else None))
    for sid, budget in report.budgets.items():
        svc = hb.services[sid]
        here = ctx.doc_uri(svc)
        yield Page(here, svc.name, below=budget_section(
            budget,
            link_incident=lambda i, here=here: ctx.link_incident(here, hb.incidents[i]),
            policy_href=ctx.rel(here, POLICY) if has_policy else None,
            chart_prefix=f"budget-{sid}"))
