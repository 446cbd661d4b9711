"""Translations of the status page: gettext catalogues (Babel), dates and numbers for the
page's locale.

Every word the built-in status templates show, and every word Python writes for the page,
its feeds, calendar and badges, is a msgid of the `status` domain. The catalogue template
`src/sevbook/locale/status.pot` is extracted by Babel with `babel.cfg` (templates, the
Python that writes page text, and `extract_vocab` below for the labels of
`sevbook.model.vocab`); each language has `src/sevbook/locale/<lang>/LC_MESSAGES/status.po`.
The `.po` files are compiled in memory when a page is built (no `.mo` in the package, so a
catalogue is never out of date with its source, and the same `.po` gives the same bytes).

A team adds a language (or rewords a shipped one) with its own catalogue,
`<locale_dir>/<lang>/status.po` in the repository (`status.locale_dir`, default `locale`):
read only when it is a regular file inside the repository, never through a symlink. Its
messages win over the shipped ones of the same language.

English is the source language: its catalogue leaves every msgstr empty, so the page shows
the msgids, which are exactly the words the page showed before translations existed.
Statuspage's fixed English values in the JSON API (`status.description`, the indicator)
are never translated: clients parse them.
"""

from __future__ import annotations

import gettext
import io
import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

from babel import Locale, UnknownLocaleError
from babel.dates import DateTimeFormat, DateTimePattern, parse_pattern, tokenize_pattern
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_decimal
from babel.support import Translations

from .model.common import LANGUAGE_PATTERN
from .model.vocab import ComponentStatus, Impact, IncidentStatus, MaintenanceStatus, Word

SOURCE_LANGUAGE = "en"
"""The language the msgids are written in (and the default of `status.language`)."""
SHIPPED = ("de", "en", "es", "fr", "ja")
"""The languages sevbook ships a catalogue for."""
DOMAIN = "status"
PACKAGE_LOCALE = Path(__file__).resolve().parent / "locale"
MAX_CATALOGUE_BYTES = 1024 * 1024
_LANGUAGE_RE = re.compile(LANGUAGE_PATTERN)


def N_(message: str) -> str:
    """Marks a msgid for extraction where it is translated later (a no-op)."""
    return message


def pgettext(context: str, message: str) -> str:
    """Marks a msgid with its context for extraction (a no-op: `Messages.pgettext`
    translates)."""
    return message


class CatalogueError(ValueError):
    """A catalogue that cannot be used: which file (repository-relative), the line when
    known (else 0) and why, with the fix."""

    def __init__(self, file: str, line: int, reason: str) -> None:
        self.file, self.line, self.reason = file, line, reason
        super().__init__(f"{file}:{line}: {reason}" if line else f"{file}: {reason}")


class _Bar(Protocol):
    """What `Messages.day_label` reads of an uptime bar (`sevbook.status.uptime.DayBar`)."""

    @property
    def day(self) -> date: ...
    @property
    def state(self) -> str: ...
    @property
    def minutes(self) -> Mapping[str, float]: ...
    @property
    def uptime(self) -> float | None: ...
    @property
    def affected(self) -> int: ...


# ------------------------------------------------------------------ finding catalogues
def shipped_catalogue(language: str) -> Path:
    return PACKAGE_LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _inside(root: Path, path: Path) -> bool:
    real_root = Path(os.path.realpath(root))
    return Path(os.path.realpath(path)).is_relative_to(real_root)


def locale_dir_problem(root: Path | None, locale_dir: str) -> str | None:
    """Why `locale_dir` may not hold the team's catalogues, or None: it must lie inside
    the repository and must not be a symlink."""
    if root is None:
        return None
    folder = Path(root) / locale_dir
    if Path(locale_dir).is_absolute() or not _inside(root, folder):
        return (f"{locale_dir!r} lies outside the repository; use a folder inside it, "
                "like locale")
    if folder.is_symlink():
        return f"{locale_dir!r} is a symlink; use a real folder inside the repository"
    return None


def team_catalogue(root: Path | None, locale_dir: str, language: str) -> Path | None:
    """`<root>/<locale_dir>/<language>/status.po` when it is a regular file inside the
    repository, reached without a symlink; else None."""
    if root is None or locale_dir_problem(root, locale_dir) is not None:
        return None
    folder = Path(root) / locale_dir / language
    path = folder / f"{DOMAIN}.po"
    if folder.is_symlink() or path.is_symlink() or not path.is_file():
        return None
    return path if _inside(root, path) else None


def team_languages(root: Path | None, locale_dir: str) -> tuple[str, ...]:
    """The languages the repository has a catalogue for, sorted."""
    if root is None or locale_dir_problem(root, locale_dir) is not None:
        return ()
    folder = Path(root) / locale_dir
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.name for p in folder.iterdir()
                        if _LANGUAGE_RE.match(p.name)
                        and team_catalogue(root, locale_dir, p.name) is not None))


def available(root: Path | None, locale_dir: str = "locale") -> tuple[str, ...]:
    """Every language a page may be built in: the shipped ones and the team's."""
    return tuple(sorted(set(SHIPPED) | set(team_languages(root, locale_dir))))


def known_locale(language: str) -> bool:
    """Whether Babel (CLDR) knows `language` (its month names, number format...)."""
    if not _LANGUAGE_RE.match(language):
        return False
    try:
        Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return False
    return True


# ------------------------------------------------------------------ compiling
def compile_po(text: str, language: str, name: str) -> Translations:
    """A `.po` file's text compiled in memory (fuzzy entries left out, like msgfmt)."""
    try:
        catalog = read_po(io.StringIO(text), locale=language, domain=DOMAIN,
                          abort_invalid=True)
    except (PoFileError, ValueError) as e:
        # Babel ends its message with " on <line index>" (0-based).
        found = re.match(r"(?s)(.*) on (\d+)$", str(e))
        reason, line = (found[1], int(found[2]) + 1) if found else (str(e), 0)
        raise CatalogueError(name, line, f"{reason}; fix the catalogue's syntax (the GNU "
                             "gettext manual, 'The Format of PO Files')") from None
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


@cache
def _shipped(language: str) -> Translations:
    path = shipped_catalogue(language)
    return compile_po(path.read_text(encoding="utf-8"), language, str(path))


def _read_team(root: Path, path: Path) -> str:
    """The team's catalogue, read without following a symlink (opened with O_NOFOLLOW,
    checked to be a regular file inside the repository and not too big)."""
    name = path.relative_to(root).as_posix()
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        raise CatalogueError(name, 0, f"cannot be read ({e.strerror}); make it a regular "
                             "file inside the repository") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise CatalogueError(name, 0, "is not a regular file; make it one")
        data = fh.read(MAX_CATALOGUE_BYTES + 1)
    if len(data) > MAX_CATALOGUE_BYTES:
        raise CatalogueError(name, 0, "larger than 1 MB; a status page catalogue is a "
                             "few kilobytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise CatalogueError(name, 0, "is not UTF-8; save it as UTF-8") from None


def translations(root: Path | None, language: str, locale_dir: str = "locale",
                 ) -> Translations:
    """The compiled catalogue of `language`: the shipped one, with the team's own
    messages over it; raise CatalogueError for a language nobody has a catalogue for."""
    team = team_catalogue(root, locale_dir, language)
    base: Translations | None = _shipped(language) if language in SHIPPED else None
    if team is None:
        if base is None:
            raise CatalogueError(
                f"{locale_dir}/{language}/{DOMAIN}.po", 0,
                f"no catalogue for {language!r}; use one of: "
                f"{', '.join(available(root, locale_dir))}, or add {locale_dir}/{language}/"
                f"{DOMAIN}.po (docs/translations.md)")
        return base
    assert root is not None
    own = compile_po(_read_team(Path(root), team), language,
                     team.relative_to(root).as_posix())
    if base is None:
        return own
    merged = Translations(domain=DOMAIN)
    merged.merge(base)
    merged.merge(own)  # the team's messages win
    return merged


# ------------------------------------------------------------------ one page's words
PATTERN_CONTEXT = "date pattern"
_PATTERNS = {
    # Babel (CLDR) date patterns, translated like any other message, so each language
    # writes dates its own way (https://babel.pocoo.org/en/latest/dates.html#pattern-syntax).
    "long": pgettext("date pattern", "d MMM y, HH:mm"),
    "short": pgettext("date pattern", "d MMM, HH:mm"),
    "day": pgettext("date pattern", "d MMMM y"),
    "month": pgettext("date pattern", "LLLL y"),
    "bar": pgettext("date pattern", "EEE dd MMM y"),
}


def _entries(catalogue: gettext.GNUTranslations) -> MappingProxyType[str, str]:
    """A compiled catalogue's translations as a read-only mapping: `msgid`,
    `context\x04msgid`, and `msgid\x00<n>` for the plural forms (empty ones dropped)."""
    raw: dict[Any, str] = catalogue._catalog  # type: ignore[attr-defined]
    out: dict[str, str] = {}
    for key, text in raw.items():
        if key == "" or not text:
            continue
        out[f"{key[0]}\x00{key[1]}" if isinstance(key, tuple) else key] = text
    return MappingProxyType(dict(sorted(out.items())))


def _plural_forms(catalogue: gettext.GNUTranslations) -> str:
    info = catalogue.info()
    return info.get("plural-forms", "") or "nplurals=2; plural=(n != 1);"


@dataclass(frozen=True)
class Messages:
    """The words, dates and numbers of one page, in its language (frozen: the public
    view carries it)."""

    language: str = SOURCE_LANGUAGE
    entries: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """msgid (or `context\x04msgid`) -> its translation; English has none."""
    content_language: str = SOURCE_LANGUAGE
    """The language the team writes incidents in (what a missing translation shows)."""
    plural_forms: str = "nplurals=2; plural=(n != 1);"

    def gettext(self, message: str) -> str:
        return self.entries.get(message) or message

    def pgettext(self, context: str, message: str) -> str:
        return self.entries.get(f"{context}\x04{message}") or message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._plural(singular, singular, plural, n)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self._plural(f"{context}\x04{singular}", singular, plural, n)

    def _plural(self, key: str, singular: str, plural: str, n: int) -> str:
        index = _plural_rule(self.plural_forms)(n)
        found = self.entries.get(f"{key}\x00{index}")
        return found or (singular if n == 1 else plural)

    @property
    def locale(self) -> Locale:
        return _locale(self.language)

    @property
    def html_lang(self) -> str:
        """The BCP 47 tag of `<html lang>` and the feeds: `de`, `pt-BR`."""
        return self.language.replace("_", "-")

    def language_name(self, language: str) -> str:
        """`language` named in the page's language: 'Deutsch', 'Englisch', 'anglais'."""
        return _locale(language).get_display_name(self.locale) or language

    # -- words of the vocabulary (msgids from `extract_vocab`)
    def label(self, word: Word) -> str:
        """A vocabulary word's label ('Partial outage')."""
        return self.gettext(word.label)

    def labels(self) -> Mapping[Word, str]:
        """Every status and impact the page shows -> its label in this language (what
        templates look up: `label[inc.status]`, cheaper than a call per use)."""
        words: list[Word] = [w for cls in (ComponentStatus, IncidentStatus,
                                           MaintenanceStatus, Impact) for w in cls]
        out: dict[Word, str] = {w: self.gettext(w.label) for w in words}
        assert len(out) == len(words), "two vocabularies share a word"
        return MappingProxyType(out)

    def lower_labels(self) -> Mapping[Word, str]:
        """Each component state -> its label inside a sentence (`lower[c.status]`)."""
        return MappingProxyType({s: self.lower(s) for s in ComponentStatus})

    def vocabulary(self) -> Mapping[str, str]:
        """The vocabulary's msgids without a context (labels, headline descriptions,
        impact phrases) -> their translations (`vocab[site.banner]`)."""
        return MappingProxyType({msgid: self.gettext(msgid)
                                 for context, msgid in vocab_messages() if context is None})

    def badge(self, description: str) -> str:
        """The page badge's message for a headline description ('partial system
        outage')."""
        return self.pgettext(BADGE_CONTEXT, description.lower())

    def lower(self, word: Word) -> str:
        """A vocabulary word's label inside a sentence ('partial outage')."""
        return self.pgettext(LOWER_CONTEXT, word.lower_label)

    # -- dates, numbers, durations
    def pattern(self, kind: str) -> DateTimePattern:
        """The page's date pattern of `kind` (`long`, `short`, `day`, `month`, `bar`),
        parsed once (Babel keeps parsed patterns)."""
        return parse_pattern(self.pgettext(PATTERN_CONTEXT, _PATTERNS[kind]))

    def datetime(self, local: datetime, short: bool = False) -> str:
        """`2 Mar 2026, 15:18 CET` (a time already in the page's zone; the zone named)."""
        pattern = self.pgettext(PATTERN_CONTEXT, _PATTERNS["short" if short else "long"])
        return _formatted(self.language, pattern, local) + f" {local:%Z}"

    def date(self, d: date, kind: str = "day") -> str:
        """`2 March 2026` (kind `day`), `March 2026` (`month`), `Mon 02 Mar 2026` (`bar`)."""
        return _formatted(self.language, self.pgettext(PATTERN_CONTEXT, _PATTERNS[kind]), d)

    def pct(self, value: float | None) -> str:
        """An uptime fraction as a percentage with two decimals, rounded down, so
        99.999 % never shows as 100.00 %; 'no data' for None."""
        if value is None:
            return self.gettext("no data")
        floored = int(value * 10000) / 100
        number = format_decimal(floored, format="0.00", locale=self.locale)
        return self.gettext("%(percent)s%%") % {"percent": number}

    def duration(self, td: timedelta | None) -> str:
        """`1 h 30 min`, `3 d 2 h`, `45 min` (units translated); '—' for None."""
        if td is None:
            return "—"
        mins = int(td.total_seconds() // 60)
        d, rem = divmod(mins, 1440)
        h, m = divmod(rem, 60)
        parts = [self.gettext(unit) % {"n": n} for n, unit in (
            (d, N_("%(n)s d")), (h, N_("%(n)s h")), (m, N_("%(n)s min"))) if n]
        return " ".join(parts) or self.gettext("%(n)s min") % {"n": 0}

    def day_label(self, bar: _Bar) -> str:
        """An uptime bar's text: `Mon 02 Mar 2026: partial outage, 42 min affected
        (partial outage 42 min), 97.08%`."""
        d = self.date(bar.day, "bar")
        if bar.state == "no_data":  # sevbook.status.uptime.NO_DATA
            return self.gettext("%(day)s: no data") % {"day": d}
        if bar.state == ComponentStatus.OPERATIONAL:
            return self.gettext("%(day)s: operational, 0 min affected") % {"day": d}
        worst_first = sorted(((ComponentStatus(s), m) for s, m in bar.minutes.items()),
                             key=lambda sm: -sm[0].rank)
        parts = self.gettext(", ").join(
            self.gettext("%(state)s %(minutes)s min") % {"state": self.lower(s),
                                                         "minutes": round(m)}
            for s, m in worst_first)
        return self.gettext("%(day)s: %(state)s, %(minutes)s min affected (%(parts)s), "
                            "%(uptime)s") % {
            "day": d, "state": self.lower(ComponentStatus(bar.state)),
            "minutes": bar.affected, "parts": parts, "uptime": self.pct(bar.uptime)}


def _formatted(language: str, pattern: str, value: date | datetime) -> str:
    """`value` written with a Babel `pattern` for `language`, as `DateTimePattern.apply`
    writes it. A time whose pattern has only date fields, hours (`H`) and minutes (`m`)
    (every shipped pattern) is written from its date's fields, cached per day (a page
    set writes tens of thousands of distinct times on a few thousand days), and its
    hour and minute; anything else is written by Babel, cached with the zone and fold in
    the key (aware times that compare equal, one instant in two zones or the two sides of
    a DST fold in one, are written differently)."""
    parts = _pattern_parts(pattern) if isinstance(value, datetime) else None
    if parts is None:
        zone = value.tzinfo if isinstance(value, datetime) else None
        fold = value.fold if isinstance(value, datetime) else 0
        return _formatted_in(language, pattern, value, zone, fold)
    assert isinstance(value, datetime)
    day = value.date()
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif part[0] == "H":
            out.append(f"{value.hour:0{part[1]}d}")
        elif part[0] == "m":
            out.append(f"{value.minute:0{part[1]}d}")
        else:
            out.append(_date_field(language, part[0] * part[1], day))
    return "".join(out)


_DATE_FIELDS = frozenset("GyYuQqMLwWdDFgEec")
"""Babel's pattern fields that depend on the date alone (and the locale)."""


@lru_cache(maxsize=256)
def _pattern_parts(pattern: str) -> tuple[str | tuple[str, int], ...] | None:
    """`pattern` as literal text and (field, width) parts, or None when it has a field
    other than a date field, `H` and `m` (then Babel writes the whole value)."""
    parse_pattern(pattern)  # the same errors for a bad pattern as Babel's own path
    parts: list[str | tuple[str, int]] = []
    for kind, token in tokenize_pattern(pattern):
        if isinstance(token, str):  # kind "chars": literal text
            parts.append(token)
        elif kind == "field" and (token[0] in _DATE_FIELDS or token[0] in "Hm"):
            parts.append((token[0], int(token[1])))
        else:
            return None
    return tuple(parts)


@lru_cache(maxsize=1 << 16)
def _date_field(language: str, field: str, day: date) -> str:
    return DateTimeFormat(day, _locale(language))[field]


@lru_cache(maxsize=1 << 16)
def _formatted_in(language: str, pattern: str, value: date | datetime, zone: Any,
                  fold: int) -> str:
    return parse_pattern(pattern).apply(value, _locale(language))


@cache
def source_words() -> Messages:
    """The words in the source language (English), for text outside a page."""
    return Messages()


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


@cache
def _plural_rule(forms: str) -> Callable[[int], int]:
    expr = forms.split("plural=", 1)[-1].strip().rstrip(";")
    return gettext.c2py(expr)


def messages(root: Path | None, language: str = SOURCE_LANGUAGE, locale_dir: str = "locale",
             content_language: str = SOURCE_LANGUAGE) -> Messages:
    """The page's words in `language` (see `translations`)."""
    catalogue = translations(root, language, locale_dir)
    return Messages(language, _entries(catalogue), content_language, _plural_forms(catalogue))


# ------------------------------------------------------------------ extraction
BADGE_CONTEXT = "badge"
"""msgctxt of the page badge's words ('status', 'all systems operational')."""
LOWER_CONTEXT = "in a sentence"
"""msgctxt of a label written inside a sentence ('partial outage': in German the noun
keeps its capital, so it is a message of its own)."""


def vocab_messages() -> Iterator[tuple[str | None, str]]:
    """(context, msgid) of every vocabulary word the status page shows: component,
    incident and maintenance statuses and impacts, their in-sentence forms, the page's
    headline descriptions (also as the page badge writes them) and the impact phrases."""
    for cls in (ComponentStatus, IncidentStatus, MaintenanceStatus, Impact):
        for word in cls:
            yield None, word.label
    for status in ComponentStatus:
        yield LOWER_CONTEXT, status.lower_label
        for _, text in (status.page_one, status.page_some, status.page_all):
            yield None, text
            yield BADGE_CONTEXT, text.lower()
    for impact in Impact:
        yield None, impact.description
        yield BADGE_CONTEXT, impact.description.lower()
        yield None, impact.phrase


def extract_vocab(fileobj: Any, keywords: Any, comment_tags: Any, options: Any,
                  ) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Babel extraction method for `sevbook/model/vocab.py` (named in `babel.cfg`): the
    labels are data there, not gettext calls, so the file is not parsed but its words
    listed (`vocab_messages`), each at the line that defines it."""
    lines = fileobj.read().decode("utf-8").splitlines()
    seen: set[tuple[str | None, str]] = set()
    for context, msgid in vocab_messages():
        if (context, msgid) in seen:
            continue
        seen.add((context, msgid))
        quoted = f'"{msgid}"'
        lineno = next((n for n, line in enumerate(lines, 1) if quoted in line), 1)
        if context is None:
            yield lineno, "gettext", msgid, []
        else:
            yield lineno, "pgettext", (context, msgid), []


# ------------------------------------------------------------------ the list in the docs
def strings_table(languages: tuple[str, ...] = ("de", "ja")) -> str:
    """Every message of the catalogue template as a Markdown table (context, English,
    the translations into `languages`, where it is used): the list in
    docs/translations.md (`python -m sevbook.i18n`)."""
    with (PACKAGE_LOCALE / f"{DOMAIN}.pot").open("rb") as fh:
        template = read_po(fh)
    shipped = {}
    for lang in languages:
        with shipped_catalogue(lang).open("rb") as fh:
            shipped[lang] = read_po(fh, locale=lang)

    def cell(text: object) -> str:
        return str(text or "").replace("|", "\\|").replace("\n", " ")

    head = ["context", "English (msgid)", *languages, "used in"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for m in template:
        if not m.id:
            continue
        found = [shipped[lang].get(m.id, m.context) for lang in languages]
        where = ", ".join(sorted({path.removeprefix("src/sevbook/")
                                  for path, _ in m.locations}))
        row = [f"`{m.context}`" if m.context else "", cell(m.id),
               *(cell(f.string if f is not None else "") for f in found), where]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(strings_table(), end="")
