"""The status page's message catalogues: extraction, completeness, placeholders, formats,
the `status.language` setting and a team's own catalogue."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from babel.dates import parse_pattern
from babel.messages.pofile import read_po
from click.testing import CliRunner

from conftest import REPO, copy_example
from sevbook import i18n
from sevbook.cli import main
from sevbook.config import load_settings
from sevbook.errors import ContentError
from sevbook.status import uptime
from sevbook.times import Clock

POT = REPO / "src" / "sevbook" / "locale" / "status.pot"
PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


def _catalogue(path: Path, language: str | None = None):
    with path.open("rb") as fh:
        return read_po(fh, locale=language)


def _keys(catalogue) -> set[tuple[str | None, str]]:
    return {(m.context, m.id) for m in catalogue if m.id}


def test_the_pot_is_what_babel_extracts_now(tmp_path):
    """`pybabel extract` with babel.cfg gives exactly the committed catalogue template:
    a new or changed word in a template or in Python fails here until the .pot (and the
    catalogues) are updated (docs/translations.md)."""
    out = tmp_path / "status.pot"
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    "babel.cfg", "--add-location=file", "--sort-output", "--omit-header",
                    "-o", str(out), "."], cwd=REPO, env=env, check=True,
                   capture_output=True)
    assert out.read_text(encoding="utf-8") == POT.read_text(encoding="utf-8")


def test_the_pot_lists_the_words_of_the_page():
    keys = _keys(_catalogue(POT))
    assert len(keys) == 122
    for key in [(None, "No incidents reported."), (None, "Partial outage"),
                ("in a sentence", "partial outage"), (None, "All Systems Operational"),
                (None, "Minor impact"), ("date pattern", "d MMM y, HH:mm"),
                (None, "This update is not available in %(language)s; shown in %(shown)s."),
                (None, uptime.FORMULA), ("badge", "all systems operational")]:
        assert key in keys


@pytest.mark.parametrize("language", i18n.SHIPPED)
def test_every_shipped_catalogue_has_every_message(language):
    po = _catalogue(i18n.shipped_catalogue(language), language)
    assert _keys(po) == _keys(_catalogue(POT))
    assert [m.id for m in po if m.id and m.fuzzy] == []
    empty = [m.id for m in po if m.id and not m.string]
    if language == i18n.SOURCE_LANGUAGE:
        assert len(empty) == len(_keys(po))  # English shows the msgids themselves
    else:
        assert empty == []


@pytest.mark.parametrize("language", [lang for lang in i18n.SHIPPED if lang != "en"])
def test_translations_keep_the_placeholders(language):
    po = _catalogue(i18n.shipped_catalogue(language), language)
    for m in po:
        if m.id:
            assert sorted(PLACEHOLDER.findall(m.string)) == sorted(PLACEHOLDER.findall(m.id)), m.id
    assert [(m.id, errs) for m, errs in po.check()] == []


@pytest.mark.parametrize("language", i18n.SHIPPED)
def test_date_patterns_are_babel_patterns_with_day_month_and_year(language):
    words = i18n.messages(None, language)
    for kind in ("long", "short", "day", "month", "bar"):
        fields = {f[0] for f in parse_pattern(words.pattern(kind)).format
                  .replace("%%", "").split("%(")[1:]}
        assert ("M" in fields or "L" in fields), (kind, fields)
        if kind != "month":
            assert "d" in fields
        if kind != "short":
            assert "y" in fields


# ------------------------------------------------------------------ formatting
BERLIN = Clock("Europe/Berlin")
T = BERLIN.local(datetime(2026, 3, 2, 14, 30, tzinfo=UTC))


def test_english_words_are_the_words_of_before():
    words = i18n.Messages()
    assert words.datetime(T) == BERLIN.long(T) == "2 Mar 2026, 15:30 CET"
    assert words.datetime(T, short=True) == BERLIN.short(T) == "2 Mar, 15:30 CET"
    assert words.date(date(2026, 3, 2)) == "2 March 2026"
    assert words.date(date(2026, 3, 2), "month") == "March 2026"
    assert words.date(date(2026, 9, 7), "bar") == "Mon 07 Sep 2026"
    assert words.pct(0.99999) == uptime.format_pct(0.99999) == "99.99%"
    assert words.pct(None) == "no data"
    assert words.duration(timedelta(days=1, minutes=11)) == "1 d 11 min"
    assert words.duration(timedelta(0)) == "0 min"


@pytest.mark.parametrize(("language", "long", "day", "pct", "duration"), [
    ("de", "2. März 2026, 15:30 CET", "2. März 2026", "99,97 %", "1 T. 2 Std. 25 Min."),
    ("fr", "2 mars 2026, 15:30 CET", "2 mars 2026", "99,97\u202f%", "1 j 2 h 25 min"),
    ("es", "2 mar 2026, 15:30 CET", "2 de marzo de 2026", "99,97 %", "1 d 2 h 25 min"),
    ("ja", "2026年3月2日 15:30 CET", "2026年3月2日", "99.97%", "1日 2時間 25分"),
])
def test_dates_numbers_and_durations_in_each_language(language, long, day, pct, duration):
    words = i18n.messages(None, language)
    assert words.datetime(T) == long
    assert words.date(date(2026, 3, 2)) == day
    assert words.pct(0.99975) == pct
    assert words.duration(timedelta(days=1, hours=2, minutes=25)) == duration


def test_a_german_uptime_bar_reads_german():
    bar = uptime.DayBar(date(2026, 11, 22), "partial_outage",
                        {"partial_outage": 42.0, "degraded_performance": 80.0}, 1440.0, 0.99125)
    assert i18n.messages(None, "de").day_label(bar) == (
        "So., 22. Nov. 2026: teilweiser Ausfall, 122 Min. betroffen (teilweiser Ausfall "
        "42 Min., Leistungsbeeinträchtigung 80 Min.), 99,12 %")
    assert bar.label == ("Sun 22 Nov 2026: partial outage, 122 min affected (partial "
                         "outage 42 min, degraded performance 80 min), 99.12%")


def test_language_names_are_written_in_the_page_language():
    assert i18n.messages(None, "de").language_name("en") == "Englisch"
    assert i18n.messages(None, "fr").language_name("de") == "allemand"
    assert i18n.messages(None, "ja").language_name("en") == "英語"


# ------------------------------------------------------------------ settings
def _repo(tmp_path: Path, status: str) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Handbook\nsite_dir: site/handbook\nplugins:\n  - sevbook:\n"
        "      status:\n        title: Status\n"
        + status, encoding="utf-8")
    return tmp_path


def _messages(e: pytest.ExceptionInfo[ContentError]) -> list[str]:
    return [d.text() for d in e.value.diagnostics]


def test_an_unknown_language_is_a_located_error_naming_the_languages(tmp_path):
    root = _repo(tmp_path, "        language: nl\n")
    with pytest.raises(ContentError) as e:
        load_settings(root)
    assert _messages(e) == [
        "mkdocs.yml:7: error: [bad-value] status.language: 'nl' is not a language of the "
        "status page; use one of: de, en, es, fr, ja, or add a catalogue "
        "locale/nl/status.po (docs/translations.md)"]


def test_a_bad_content_language_is_a_located_error(tmp_path):
    root = _repo(tmp_path, "        content_language: english\n")
    with pytest.raises(ContentError) as e:
        load_settings(root)
    assert _messages(e) == [
        "mkdocs.yml:7: error: [bad-value] status.content_language: 'english' is not a "
        "language code; write one like en, de or pt_BR"]


NL_PO = '''msgid ""
msgstr ""
"Language: nl\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Operational"
msgstr "Operationeel"

msgctxt "date pattern"
msgid "d MMM y, HH:mm"
msgstr "d MMM y HH:mm"
'''


def test_a_team_catalogue_adds_a_language(tmp_path):
    root = _repo(tmp_path, "        language: nl\n")
    (root / "locale" / "nl").mkdir(parents=True)
    (root / "locale" / "nl" / "status.po").write_text(NL_PO, encoding="utf-8")
    settings = load_settings(root)
    assert settings.status.language == "nl"
    assert i18n.available(root) == ("de", "en", "es", "fr", "ja", "nl")
    words = i18n.messages(root, "nl")
    assert words.gettext("Operational") == "Operationeel"
    assert words.gettext("Incident history") == "Incident history"  # not translated: msgid
    assert words.datetime(T) == "2 mrt 2026 15:30 CET"


def test_a_team_catalogue_rewords_a_shipped_language(tmp_path):
    (tmp_path / "locale" / "de").mkdir(parents=True)
    (tmp_path / "locale" / "de" / "status.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Operational"\nmsgstr "In Betrieb"\n', encoding="utf-8")
    words = i18n.messages(tmp_path, "de")
    assert words.gettext("Operational") == "In Betrieb"
    assert words.gettext("Incident history") == "Vorfallsverlauf"


def test_a_catalogue_reached_through_a_symlink_is_not_read(tmp_path):
    outside = tmp_path / "outside"
    (outside / "nl").mkdir(parents=True)
    (outside / "nl" / "status.po").write_text(NL_PO, encoding="utf-8")
    root = tmp_path / "repo"
    (root / "locale").mkdir(parents=True)
    (root / "locale" / "nl").symlink_to(outside / "nl")
    assert i18n.available(root) == i18n.SHIPPED
    with pytest.raises(i18n.CatalogueError) as e:
        i18n.messages(root, "nl")
    assert str(e.value) == ("locale/nl/status.po: no catalogue for 'nl'; use one of: de, en, "
                            "es, fr, ja, or add locale/nl/status.po (docs/translations.md)")


def test_a_locale_dir_outside_the_repository_is_a_located_error(tmp_path):
    root = _repo(tmp_path / "repo", "        locale_dir: ../elsewhere\n")
    with pytest.raises(ContentError) as e:
        load_settings(root)
    assert _messages(e) == [
        "mkdocs.yml:7: error: [bad-value] status.locale_dir: '../elsewhere' lies outside "
        "the repository; use a folder inside it, like locale"]


def test_a_symlinked_locale_dir_is_a_located_error(tmp_path):
    (tmp_path / "real").mkdir()
    root = _repo(tmp_path, "        locale_dir: translations\n")
    (root / "translations").symlink_to(tmp_path / "real")
    with pytest.raises(ContentError) as e:
        load_settings(root)
    assert _messages(e) == [
        "mkdocs.yml:7: error: [bad-value] status.locale_dir: 'translations' is a symlink; "
        "use a real folder inside the repository"]


def test_a_broken_team_catalogue_names_its_file(tmp_path):
    (tmp_path / "locale" / "nl").mkdir(parents=True)
    (tmp_path / "locale" / "nl" / "status.po").write_text(
        'msgid ""\nmsgstr ""\n\nmsgid "Operational"\nmsgstr "Operationeel"\n'
        'msgid "Incidents"\n\nmsgid "Uptime"\nmsgstr "Beschikbaarheid"\n', encoding="utf-8")
    with pytest.raises(i18n.CatalogueError) as e:
        i18n.messages(tmp_path, "nl")
    assert str(e.value) == (
        "locale/nl/status.po:6: missing msgstr for msgid 'Incidents'; fix the catalogue's "
        "syntax (the GNU gettext manual, 'The Format of PO Files')")


def test_check_and_build_name_a_broken_catalogue_of_the_page(tmp_path):
    root = copy_example(tmp_path / "handbook")
    mk = root / "mkdocs.yml"
    mk.write_text(mk.read_text(encoding="utf-8").replace(
        "        timezone: Europe/Berlin\n", "        timezone: Europe/Berlin\n"
        "        language: nl\n"), encoding="utf-8")
    (root / "locale" / "nl").mkdir(parents=True)
    (root / "locale" / "nl" / "status.po").write_text(
        'msgid "Operational"\nmsgstr "Operationeel"\nmsgid "Incidents"\n', encoding="utf-8")
    expected = ("locale/nl/status.po:3: error: [bad-catalogue] missing msgstr for msgid "
                "'Incidents'; fix the catalogue's syntax (the GNU gettext manual, 'The "
                "Format of PO Files')")
    now = ["--now", "2026-11-22T12:00:00Z", "--root", str(root)]
    check = CliRunner().invoke(main, ["check", *now])
    assert check.exit_code == 1
    assert check.output.splitlines()[0] == expected
    built = CliRunner().invoke(main, ["build", "--no-handbook", *now])
    assert built.exit_code == 1
    assert expected in built.output.splitlines()


def test_the_docs_list_every_translated_string():
    doc = (REPO / "docs" / "translations.md").read_text(encoding="utf-8")
    assert doc.split("a test keeps it\ncurrent.\n\n", 1)[1] == i18n.strings_table()


@pytest.mark.parametrize(("data", "reason"), [
    (b'msgid "Operational"\nmsgstr "Betrieb\xe4"\n', "is not UTF-8; save it as UTF-8"),
    (b"#" * (i18n.MAX_CATALOGUE_BYTES + 1),
     "larger than 1 MB; a status page catalogue is a few kilobytes"),
])
def test_a_team_catalogue_that_cannot_be_read_says_why(tmp_path, data, reason):
    (tmp_path / "locale" / "nl").mkdir(parents=True)
    (tmp_path / "locale" / "nl" / "status.po").write_bytes(data)
    with pytest.raises(i18n.CatalogueError) as e:
        i18n.messages(tmp_path, "nl")
    assert str(e.value) == f"locale/nl/status.po: {reason}"
