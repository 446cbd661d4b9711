"""Metrics page and error-budget section Markdown, and the inline SVG charts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import markdown
import pytest

from conftest import NOW
from sevbook.build import load_valid
from sevbook.handbook.pages.budgets import budget_section
from sevbook.handbook.pages.metrics import metrics_page, page_range_start
from sevbook.metrics import charts
from sevbook.metrics.budget import compute_budget
from sevbook.metrics.report import build_report

DATA = Path(__file__).parent / "data" / "metrics"
SVG = re.compile(r"<svg.*?</svg>", re.S)


@pytest.fixture(scope="module")
def hb():
    return load_valid(DATA, NOW)


@pytest.fixture(scope="module")
def page(hb):
    r = build_report(hb, NOW, since=date(2025, 12, 1))
    return metrics_page(r, link_service=lambda s: f"[{s}](services/{s}.md)",
                        link_level=lambda lv: lv, policy_href="process/policy.md")


def test_page_range_is_twelve_months():
    assert page_range_start(date(2026, 11, 22)) == date(2025, 12, 1)
    assert page_range_start(date(2026, 1, 5)) == date(2025, 2, 1)


def test_every_chart_is_valid_svg_with_title_and_desc(page):
    svgs = SVG.findall(page)
    assert len(svgs) == 8  # four charts, each in a wide and a narrow (phone) variant
    for s in svgs:
        root = ET.fromstring(s)
        ns = "{http://www.w3.org/2000/svg}"
        assert root.find(f"{ns}title").text and root.find(f"{ns}desc").text
        assert root.get("role") == "img"
    assert "<script" not in page and "http://" not in page.replace(
        "http://www.w3.org/2000/svg", "")


def test_numbers_are_in_tables_too(page):
    assert "| Nov 2026 | 5 | 2 | 2 | 1 | 1 |" in page  # month, incidents, SEV1..3, open
    assert "| **MTTR** mean time to resolve (detected → resolved) | 4 | 1 | 1 | 58m | 1h00m" \
        in page
    assert ('| [search](services/search.md) | <span class="sb-badge sb-warn">Warning</span> '
            '| 87% | 5m | 99.9% | 28 d | 40m | 35m |') in page


def test_definitions_on_the_page(page):
    assert "## Definitions" in page
    for term in ("**MTTD**", "**MTTA**", "**MTTM**", "**MTTR**", "**p90**", "**Error budget**"):
        assert term in page


def test_renders_as_html_blocks(page):
    html = markdown.markdown(page, extensions=["admonition", "tables", "attr_list", "toc"])
    assert html.count("<svg") == 8 and "&lt;svg" not in html and "<p><rect" not in html


def test_budget_section_states(hb):
    search = budget_section(compute_budget(hb, "search", NOW), link_incident=str,
                            chart_prefix="b-search")
    assert '!!! warning "Error budget: Warning"' in search
    assert "87% of the budget used" in search
    api = budget_section(compute_budget(hb, "api", NOW), link_incident=str)
    assert '!!! danger "Error budget: Exhausted — release freeze"' in api
    assert "| 2026-11-20-api-errors | 15h00m | 2232% |" in api
    db = budget_section(compute_budget(hb, "db", NOW), link_incident=str)
    assert '!!! success "Error budget: OK"' in db


def test_output_is_deterministic(hb):
    def once():
        r = build_report(hb, NOW, since=date(2025, 12, 1))
        return metrics_page(r, link_service=str, link_level=str)
    assert once() == once()


@pytest.mark.parametrize(("top", "step"), [(0, 1), (7, 2), (45, 15), (250, 120), (3000, 1440)])
def test_time_axis_steps(top, step):
    assert charts.nice_time_step(top) == step


def _tables(page: str) -> list[list[str]]:
    """The header cells of every table on the page."""
    return [[c.strip() for c in line.strip("|").split("|")] for line in page.splitlines()
            if line.startswith("| ") and "|--" not in line and "| --" not in line
            and (line.startswith("| Month") or line.startswith("| Severity")
                 or line.startswith("| Service") or line.startswith("| Metric"))]


def test_tables_fit_at_1280_with_what_matters_first(page):
    # At most nine columns (the example's tables then fit 720 px, see the browser test);
    # the state or rate comes right after the name.
    heads = _tables(page)
    assert max(len(h) for h in heads) == 9
    assert ["Service", "State", "Used", "Remaining", "SLO", "Window", "Allowed",
            "Consumed"] in heads
    assert ["Severity", "Done rate", "Done ≤ 30 d rate", "Total", "Open", "of which overdue",
            "Won't fix"] in heads
    assert ["Severity", "On-time rate", "Required", "On time", "Late", "Date unknown",
            "Overdue", "Not yet due", "Incident open"] in heads
    assert ["Month", "MTTD median", "MTTA median", "MTTM median", "MTTR median",
            "Impact median", "MTTR p90"] in heads


def test_every_chart_has_a_phone_variant(page):
    wide = re.findall(r'<svg [^>]*class="sb-wide" viewBox="0 0 (\d+) \d+"', page)
    narrow = re.findall(r'<svg [^>]*class="sb-narrow" viewBox="0 0 (\d+) \d+"', page)
    assert wide == ["640"] * 4 and narrow == ["360"] * 4
    assert 'aria-labelledby="chart-mttr-by-month-narrow-title chart-mttr-by-month-narrow-desc"' \
        in page


def test_budget_section_puts_state_first(hb):
    search = budget_section(compute_budget(hb, "search", NOW), link_incident=str)
    assert "| State | Used | Remaining | SLO | Window | Allowed | Consumed |" in search
