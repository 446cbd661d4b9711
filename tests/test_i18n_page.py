"""A translated status page: the example built in German (and Japanese), with a team's
translations of one incident; English output stays what the goldens hold."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from conftest import copy_example
from status_support import (
    GOLDEN,
    GOLDEN_FILES,
    OPEN_INCIDENT,
    UPCOMING_MAINTENANCE,
    _tmp,
    build,
    load_example,
    site_files,
)

OPEN_FILE = "incidents/2026-11-22-search-errors-after-node-loss.md"
PRIVATE_FILE = "incidents/2026-03-18-credential-stuffing-attack.md"
SECRET = "GEHEIMER-ZUGRIFF-7731"
"""A translation in a private incident: it must never reach a public tree."""
GERMAN_TITLE = "Suchfehler und langsame Suchergebnisse"
GERMAN_UPDATE = ("Die Wiederherstellung kommt voran, und weniger Suchanfragen schlagen fehl. "
                 "Um sie zu beschleunigen, sind die Suchvorschläge beim Tippen vorerst "
                 "abgeschaltet; die Suche selbst funktioniert. Nächste Meldung bis 12:40 UTC.")
GERMAN_FIRST = ("Einige Suchanfragen schlagen fehl. <script>alert(1)</script> "
                "[Details](javascript:alert(1))")
"""The first update's translation: sanitized like a message."""


def _translate(root: Path) -> Path:
    """Translations into German of the open incident's title, first and latest update
    (not the second), and of a private incident's title."""
    path = root / OPEN_FILE
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "public_title: Search errors and slow search results\n",
        "public_title: Search errors and slow search results\n"
        f"translations:\n  de: {{public_title: {GERMAN_TITLE}}}\n", 1)
    latest = "    components: {search: degraded_performance}\n"
    assert text.count(latest) == 1
    text = text.replace(latest, latest + "    translations:\n      de:\n        message: "
                        + json.dumps(GERMAN_UPDATE) + "\n")
    first = "Next update by 11:00 UTC.\n    components: {search: partial_outage}\n"
    assert text.count(first) == 1
    text = text.replace(first, first + "    translations:\n      de:\n        message: "
                        + json.dumps(GERMAN_FIRST) + "\n")
    path.write_text(text, encoding="utf-8")
    private = root / PRIVATE_FILE
    text = private.read_text(encoding="utf-8")
    private.write_text(text.replace("public: false\n", "public: false\ntranslations:\n"
                                    f"  de: {{public_title: {SECRET}}}\n", 1),
                       encoding="utf-8")
    return root


def _example(language: str | None, translated: bool = True) -> Path:
    root = copy_example(_tmp(f"sevbook-i18n-{language}-") / "handbook")
    if language is not None:
        mk = root / "mkdocs.yml"
        text = mk.read_text(encoding="utf-8")
        zone = "        timezone: Europe/Berlin\n"
        assert zone in text
        mk.write_text(text.replace(zone, zone + f"        language: {language}\n"),
                      encoding="utf-8")
    return _translate(root) if translated else root


@cache
def german() -> Path:
    return build(load_example(_example("de")))


def _read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def _plain(html: str) -> str:
    """Text of some HTML, tags dropped (icons are SVG)."""
    return re.sub(r"<[^>]+>", "", html)


def test_every_page_says_it_is_german():
    pages = [p for p in site_files(german()) if p.suffix == ".html"]
    assert len(pages) == 21
    for page in pages:
        assert page.read_text(encoding="utf-8").startswith('<!doctype html>\n<html lang="de">\n')


def test_the_front_page_shows_german_labels_and_dates():
    html = _read(german(), "index.html")
    assert '<h1 id="overall">Teilweise beeinträchtigter Dienst</h1>' in html
    assert ('<p>Betroffen: Search (Leistungsbeeinträchtigung). Stand: <time datetime='
            '"2026-11-22T12:00:00Z">22. Nov. 2026, 13:00 CET</time>.</p>') in html
    assert '<h2 id="active">Aktuelle Vorfälle</h2>' in html
    assert ('<span class="pct">99,97 % Verfügbarkeit, 90 Tage</span><span>Heute</span>'
            in html)
    assert '<h3 id="d-2026-11-22">22. November 2026</h3>' in html
    assert ("<span>So., 22. Nov. 2026: teilweiser Ausfall, 140 Min. betroffen "
            "(teilweiser Ausfall 120 Min., Leistungsbeeinträchtigung 20 Min.), 95,38 %. "
            f"{GERMAN_TITLE}</span>") in html
    assert "<p>Zeiten in Europe/Berlin. Abonnieren: " in html


def test_a_translated_incident_shows_its_german_title_and_update():
    html = _read(german(), OPEN_INCIDENT + "index.html")
    assert f"<title>{GERMAN_TITLE} · Acme Shop Status</title>" in html
    assert f"<h1>{GERMAN_TITLE}</h1>" in html
    assert f"<p>{GERMAN_UPDATE}</p>" in html
    # A translation is sanitized like a message: no script, no javascript: link.
    assert ('<p>Einige Suchanfragen schlagen fehl.  <a rel="nofollow noopener noreferrer">'
            "Details</a></p>") in html
    assert "javascript:" not in html
    assert "<script" not in html
    newest = html.split('<li id="u-')[1]
    assert "fallback" not in newest


def test_an_update_without_german_says_so_in_german():
    html = _read(german(), OPEN_INCIDENT + "index.html")
    notes = re.findall(r'<p class="fallback">[^<]*</p>', html)
    assert notes == ['<p class="fallback">Diese Meldung ist nicht auf Deutsch verfügbar; '
                     'angezeigt auf Englisch.</p>']
    assert ('<p class="when"><strong>Identifiziert</strong> · <time datetime='
            '"2026-11-22T10:50:00Z">22. Nov. 2026, 11:50 CET</time></p><p class="fallback">'
            'Diese Meldung ist nicht auf Deutsch verfügbar; angezeigt auf Englisch.</p>'
            '<p>We have identified the cause.') in html


def test_the_incident_facts_are_german():
    html = _plain(_read(german(), UPCOMING_MAINTENANCE + "index.html"))
    assert ("StatusGeplant\nZeitfenster6. Dez. 2026, 03:00 CET – 6. Dez. 2026, 05:00 CET\n"
            "BetroffenCheckout") in html


def test_history_and_component_pages_are_german():
    history = _read(german(), "history/index.html")
    assert "<title>Vorfallsverlauf · Acme Shop Status</title>" in history
    assert '<h2 id="m-1">November 2026</h2>' in history
    assert '<h2 id="m-2">Oktober 2026</h2>' in history
    comp = _read(german(), "components/checkout-api/index.html")
    assert '<h2 id="up">Verfügbarkeit</h2>' in comp
    assert "<p>Diese Komponente abonnieren: " in comp


def test_feeds_calendar_and_badge_are_german():
    site = german()
    atom = _read(site, "history.atom")
    assert '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">' in atom
    assert "<subtitle>Alle öffentlichen Meldungen auf Acme Shop Status</subtitle>" in atom
    assert f"<title>{GERMAN_TITLE}: Identifiziert</title>" in atom
    assert "<language>de</language>" in _read(site, "history.rss")
    ics = _read(site, "maintenance.ics")
    assert "X-WR-CALNAME:Acme Shop Status: Wartungen" in ics
    assert "DESCRIPTION:Status: Geplant.\\nBetroffen: Checkout." in ics
    badge = _read(site, "badge.svg")
    assert '<title>Status: Dienst teilweise beeinträchtigt</title>' in badge


def test_the_api_keeps_statuspage_english():
    status = json.loads(_read(german(), "api/v2/status.json"))
    assert status["status"] == {"indicator": "minor",
                                "description": "Partially Degraded Service"}
    summary = json.loads(_read(german(), "api/v2/summary.json"))
    assert summary["status"] == status["status"]
    assert sorted({c["status"] for c in summary["components"]}) == [
        "degraded_performance", "operational"]


def test_a_private_incidents_translation_never_reaches_the_page():
    for path in site_files(german()):
        assert SECRET not in path.read_bytes().decode("utf-8", "replace"), path


def test_the_german_page_is_reproducible():
    again = build(load_example(_example("de")))
    first = german()
    files = [p.relative_to(first) for p in site_files(first)]
    assert files == [p.relative_to(again) for p in site_files(again)]
    for rel in files:
        assert (again / rel).read_bytes() == (first / rel).read_bytes(), rel


def test_a_japanese_page():
    site = build(load_example(_example("ja")))
    html = _read(site, "index.html")
    assert html.startswith('<!doctype html>\n<html lang="ja">\n')
    assert '<h1 id="overall">サービスの一部で性能低下</h1>' in html
    assert ('影響範囲: Search (パフォーマンス低下). <time datetime="2026-11-22T12:00:00Z">'
            '2026年11月22日 13:00 CET</time> 時点。') in html
    incident = _read(site, OPEN_INCIDENT + "index.html")
    assert ('<p class="fallback">この更新は日本語では提供されていません。英語で表示しています。</p>'
            in incident)
    assert "Search errors and slow search results" in incident  # no Japanese title: the source


@pytest.mark.parametrize("rel", GOLDEN_FILES)
def test_english_with_translations_in_the_sources_is_the_golden_output(rel):
    """Translations only show on a page in their language: the example with German
    translations, built in English, is byte for byte the golden page."""
    site = english_with_translations()
    assert (site / rel).read_bytes() == (GOLDEN / rel).read_bytes()


@cache
def english_with_translations() -> Path:
    return build(load_example(_example(None)))
