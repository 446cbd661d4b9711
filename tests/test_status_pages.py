"""The status page like githubstatus (issue 14): past incidents of the last 15 days on the
front page, months without incidents in the history, the incident page's back link and
duration, day labels naming that day's incidents, and a favicon."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lhtml

from status_support import example_site, public_id


@pytest.fixture(scope="module")
def site() -> Path:
    return example_site()


def tree(site: Path, rel: str):
    return lhtml.fromstring((site / rel).read_bytes())


def words(el) -> str:
    return " ".join(el.text_content().split())


def test_front_page_lists_the_last_15_days(site):
    days = tree(site, "index.html").xpath("//section[@aria-labelledby='past']/section")
    assert [words(d.xpath("h3")[0]) for d in days][:3] == [
        "22 November 2026", "21 November 2026", "20 November 2026"]
    assert len(days) == 15
    assert words(days[-1].xpath("h3")[0]) == "8 November 2026"
    shown = {words(d.xpath("h3")[0]): [words(a) for a in d.xpath(".//li/a")] or
             [words(p) for p in d.xpath("p")] for d in days}
    assert shown["22 November 2026"] == ["Search errors and slow search results"]
    assert shown["18 November 2026"] == ["Some customers unable to sign in on mobile data"]
    assert shown["21 November 2026"] == ["No incidents reported."]
    assert sum(v == ["No incidents reported."] for v in shown.values()) == 13


def test_history_says_when_a_month_had_no_incidents(site):
    months = tree(site, "history/index.html").xpath("//main/section")
    labels = [(words(m.xpath("h2")[0]), bool(m.xpath(".//li"))) for m in months]
    assert labels[:6] == [("November 2026", True), ("October 2026", True),
                          ("September 2026", True), ("August 2026", False),
                          ("July 2026", True), ("June 2026", True)]
    (august,) = [m for m in months if words(m.xpath("h2")[0]) == "August 2026"]
    assert words(august.xpath("p")[0]) == "No incidents reported."


def test_incident_page_has_a_back_link_and_its_duration(site):
    page = tree(site, f"incidents/{public_id('2026-11-18-mobile-network-login-lockouts')}/index.html")
    crumb = page.xpath("//p[@class='crumb']/a")
    assert [(words(a), a.get("href")) for a in crumb] == [
        ("← Current status", "../../"), ("Incident history", "../../history/")]
    facts = dict(zip([words(t) for t in page.xpath("//dl[@class='facts']/dt")],
                     [words(d) for d in page.xpath("//dl[@class='facts']/dd")], strict=True))
    assert facts["Duration"] == "2 h 25 min"


def test_open_incident_page_has_no_duration_yet(site):
    page = tree(site, f"incidents/{public_id('2026-11-22-search-errors-after-node-loss')}"
                      "/index.html")
    assert "Duration" not in [words(t) for t in page.xpath("//dl[@class='facts']/dt")]


def test_a_day_with_incidents_is_a_link_naming_them(site):
    page = tree(site, "index.html")
    (login,) = [c for c in page.xpath("//div[@class='comp']")
                if words(c.xpath(".//h4")[0]) == "Login and accounts"]
    linked = [(a.get("href"), words(a)) for a in login.xpath(".//ol[@class='bars']/li/a")]
    assert linked[-1] == (
        f"incidents/{public_id('2026-11-18-mobile-network-login-lockouts')}/",
        "Wed 18 Nov 2026: partial outage, 90 min affected (partial outage 90 min), 98.12%. "
        "Some customers unable to sign in on mobile data")
    plain = login.xpath(".//ol[@class='bars']/li[not(a)]/span")
    assert len(plain) + len(linked) == 90


def test_every_page_has_the_favicon(site):
    for rel, href in [("index.html", "assets/favicon.svg"),
                      ("history/index.html", "../assets/favicon.svg")]:
        assert tree(site, rel).xpath("//link[@rel='icon']/@href") == [href]
    svg = (site / "assets" / "favicon.svg").read_text()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and "<script" not in svg
