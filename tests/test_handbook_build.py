"""The handbook built from the example with the real MkDocs: assertions on the HTML."""

from __future__ import annotations

import gzip
import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from conftest import NOW, copy_example
from sevbook.handbook.build import build_handbook
from sevbook.load import load
from sevbook.rules import check

LATER = NOW + timedelta(days=240)
"""Late enough that the example's runbooks go stale and its open action items fall due."""


def read(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8") if not page.endswith(
        ".html") else (site / page).read_text(encoding="utf-8")


def main_text(html: str) -> str:
    """The article of a page (no nav, no header), tags stripped."""
    m = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S)
    assert m, "no article in page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", m.group(1)))


@pytest.fixture(scope="session")
def example_root(tmp_path_factory) -> Path:
    return copy_example(tmp_path_factory.mktemp("example") / "handbook")


@pytest.fixture(scope="session")
def site(example_handbook_site: Path) -> Path:
    """The example handbook, built once per session at NOW (shared, conftest.py)."""
    return example_handbook_site


@pytest.fixture(scope="session")
def site_later(example_root: Path, tmp_path_factory) -> Path:
    """The same example built months later: stale runbooks, overdue action items."""
    out = tmp_path_factory.mktemp("site-later")
    build_handbook(example_root, out, LATER)
    return out


@pytest.fixture(scope="session")
def model(example_root: Path):
    return load(example_root).handbook


def test_severity_table_has_every_level(site, model):
    html = read(site, "severity")
    table = html.split("<table>", 1)[1].split("</table>", 1)[0]
    for level in model.severity.levels:
        assert f'id="{level.id.lower()}"' in table
        assert f">{level.id}<" in table
        assert level.name in table
    for head in ("Respond within", "Update every", "Paged", "Required roles", "Postmortem",
                 "Public impact"):
        assert head in table


def test_severity_page_keeps_prose_and_hides_frontmatter(site, model):
    html = read(site, "severity")
    text = main_text(html)
    assert "Decision tree" in text
    assert model.severity.decision_tree.question in text
    # the prose of content/severity.md is on the same page, the YAML is not
    assert "When in doubt, pick the higher one" in text
    for key in ("response_time:", "decision_tree:", "component_status:", "levels:"):
        assert key not in html


def test_decision_tree_leads_to_levels(site, model):
    html = read(site, "severity")
    tree = html.split('id="decision-tree"', 1)[1].split("<h2", 1)[0]
    leaves = set(re.findall(r'href="(?:\./)?#(sev\d)"', tree))
    assert leaves == {lv.id.lower() for lv in model.severity.levels}


def test_role_page_has_checklist_above_prose(site, model):
    role = model.roles["incident-commander"]
    html = read(site, "roles/incident-commander")
    text = main_text(html)
    assert text.index(role.checklist[0]) < text.index("Why the role exists")
    assert role.responsibilities[0] in text and role.does_not[0] in text
    assert 'type="checkbox"' in html
    assert "responsibilities:" not in html


def test_roles_index_has_role_by_severity_matrix(site, model):
    text = main_text(read(site, "roles"))
    assert "Role × severity" in text
    for role in model.roles.values():
        assert role.name in text


def test_service_page_lists_dependencies_both_ways(site, model):
    svc = model.services["checkout-api"]
    html = read(site, "services/checkout-api")
    text = main_text(html)
    for dep in svc.depends_on:
        assert model.services[dep].name in text
    users = [s for s in model.services.values() if "checkout-api" in s.depends_on]
    for user in users:
        assert user.name in text.split("Depended on by", 1)[1]
    assert "Recent incidents" in text
    assert "../../runbooks/checkout-error-rate/" in html


def test_incident_page_shows_timeline_and_action_items(site, model):
    inc = next(i for i in model.incidents.values() if i.timeline and i.action_items)
    html = read(site, f"incidents/{inc.id}")
    text = main_text(html)
    for head in ("Key times", "Roles", "Internal timeline", "Action items", "Postmortem"):
        assert head in text
    assert inc.timeline[0].event.split()[0] in text
    for ai in inc.action_items:
        assert ai.title in text
    if inc.public:
        assert "Public updates" in text and "public" in text


def test_incident_pages_are_not_in_the_navigation(site, model):
    html = read(site, "incidents")
    nav = html.split('<nav class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
    for inc in model.incidents.values():
        assert f"/{inc.id}/" not in nav
        assert f'href="{inc.id}/"' in html  # but the index links every one


def test_incident_index_is_by_year_with_open_first(site, model):
    text = main_text(read(site, "incidents"))
    years = sorted({i.begins.year for i in model.incidents.values() if i.begins}, reverse=True)
    positions = [text.index(f" {y} ") for y in years if f" {y} " in text]
    assert positions == sorted(positions)
    if any(i.resolved_at is None and not i.is_maintenance for i in model.incidents.values()):
        assert text.index("Open now") < positions[0]


def test_stale_runbook_shows_its_warning(site_later, example_root):
    result = load(example_root)
    stale = {d.file for d in check(result, LATER) if d.code == "stale-runbook"}
    assert stale, "the example should have a runbook that is stale months later"
    for rb in result.handbook.runbooks.values():
        html = read(site_later, f"runbooks/{rb.id}")
        if rb.path in stale:
            assert "Stale runbook" in html and "admonition warning" in html
        else:
            assert "Stale runbook" not in html
    index = read(site_later, "runbooks")
    assert index.count("sb-stale") == len(stale)


def test_fresh_runbooks_at_now(site, model):
    index = main_text(read(site, "runbooks"))
    for rb in model.runbooks.values():
        assert rb.title in index
    html = read(site, "runbooks/checkout-error-rate")
    assert "Stale runbook" not in html
    assert "Incidents that used this runbook" in main_text(html)


def test_overdue_action_item_is_listed_first(site_later, example_root):
    result = load(example_root)
    overdue = [d for d in check(result, LATER) if d.code == "action-item-overdue"]
    assert overdue, "the example should have an action item overdue months later"
    html = read(site_later, "action-items")
    text = main_text(html)
    restricted = {i.path for i in result.handbook.incidents.values() if i.restricted}
    assert restricted, "the example should have a restricted incident"
    for d in overdue:
        title = d.message.split("'")[1]
        # a restricted incident's item is listed as "Restricted action item" (issue 11)
        assert (title in text) is (d.file not in restricted)
    assert "Restricted action item" in text
    # within each owner's table, overdue rows come before open ones
    for table in re.findall(r"<table>.*?</table>", html, re.S):
        marks = re.findall(r"sb-(overdue|open)\"", table)
        assert marks == sorted(marks, key=lambda m: m != "overdue")


def test_postmortems_page(site_later):
    text = main_text(read(site_later, "postmortems"))
    assert "owed" in text or "No postmortem is owed" in text


def test_templates_are_filled_from_severity(site, model):
    text = main_text(read(site, "templates"))
    for lv in model.severity.levels:
        assert f"[{lv.id} · {lv.name}]" in text
    assert "Situation:" in text and "Recommendation:" in text
    assert "## Root cause" in text


def test_hand_written_pages_build_unchanged(site, example_root):
    src = (example_root / "content/process/declaring.md").read_text(encoding="utf-8")
    first = next(line for line in src.splitlines() if line.startswith("# "))[2:].strip()
    html = read(site, "process/declaring")
    assert first in html
    assert "sb-" not in main_text(html).replace("sb-l", "")


def test_no_third_party_requests(site):
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for url in re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html):
            assert not re.match(r"(https?:)?//", url), f"{page}: loads {url}"
    assert "fonts.googleapis" not in read(site, "index.html")


def test_open_incident_banner(site, model):
    html = read(site, "index.html")
    open_incs = [i for i in model.incidents.values()
                 if i.resolved_at is None and not i.is_maintenance]
    for inc in open_incs:
        assert f"incidents/{inc.id}/" in html.split('data-md-component="announce"', 1)[1][:2000]


def test_sitemap_is_reproducible(site):
    raw = (site / "sitemap.xml.gz").read_bytes()
    # MkDocs stamps the gzip header with the date of the newest page: NOW's day, not the clock
    midnight = datetime.combine(NOW.date(), time(0), UTC)
    assert int.from_bytes(raw[4:8], "little") == int(midnight.timestamp())
    assert gzip.decompress(raw) == (site / "sitemap.xml").read_bytes()
