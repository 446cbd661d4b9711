"""The example's index pages: runbooks by title, roles by need, incident counts that add up,
templates that wrap (issue 14's smaller 3 a.m. fixes)."""

from __future__ import annotations

import re

import pytest

from test_handbook_golden import example_pages


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return example_pages()


def test_runbooks_index_is_sorted_by_title(pages):
    titles = re.findall(r'^\| <span class="sb-l">Runbook: </span>\[([^\]]+)\]',
                        pages["runbooks/index.md"], re.M)
    assert titles[:3] == ["Cache miss storm on the order cache",
                          "Credential stuffing or account takeover attempts",
                          "Database connection pool exhaustion"]
    assert titles == sorted(titles, key=str.casefold)


def test_alert_names_carry_the_no_mid_word_break_class(pages):
    assert ('<span class="sb-alert">`api_latency_p99_high`</span><br>'
            '<span class="sb-alert">`storefront_ttfb_high`</span>') in pages["runbooks/index.md"]


def test_roles_ordered_by_how_often_the_matrix_requires_them(pages):
    # IC is required at SEV0-SEV3, the scribe at SEV0-SEV2, ...; ties by name.
    index = pages["roles/index.md"]
    catalogue = re.findall(r"^\| \[([^\]]+)\]", index, re.M)
    assert catalogue == ["Incident Commander", "Scribe", "Communications Lead",
                         "Operations Lead", "Support Lead", "Deputy Incident Commander",
                         "Executive Sponsor", "Subject-Matter Expert"]
    matrix = index.split("## Role × severity", 1)[1]
    rows = re.findall(r'^\| <span class="sb-l">Role: </span>\[([^\]]+)\]', matrix, re.M)
    assert rows[:2] == ["IC", "Scribe"] and len(rows) == 8


def test_incident_index_counts_add_up(pages):
    head = pages["incidents/index.md"].splitlines()[2]
    assert head == ("15 incidents and maintenance windows (1 open now, 1 scheduled, 12 in 2026, "
                    "1 in 2025), newest first. Times are Europe/Berlin.")
    parts = re.search(r"\((.*)\)", head).group(1).split(", ")
    assert sum(int(p.split(" ")[0]) for p in parts) == 15


def test_templates_are_inside_the_wrapping_block(pages):
    text = pages["templates.md"]
    start, end = text.index('<div class="sb-wrap" markdown>'), text.rindex("</div>")
    assert text.count("``` text") == text[start:end].count("``` text") > 0
