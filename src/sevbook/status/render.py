"""Jinja2 environment for the status page: package templates, overridable file by file.

Lookup order: `<root>/theme/status/<name>` first (the view's checked `files`, read
without following symlinks by `ThemeLoader`), then the package's
`sevbook/templates/status/<name>`. A team overrides one template (say
`index.html`) by dropping a file of the same name into `theme/status/`; everything else
stays built in. Times are written in the site zone (named), UTC in `datetime=`.
Templates only ever receive the frozen public view of
`sevbook.status.view` (as `site`), `root` and `formula`.

Words come from the page's message catalogue (`sevbook.i18n`): Jinja2's `i18n` extension
gives the templates `_()`/`gettext()`/`pgettext()` (new style: `%(name)s` placeholders,
escaped); the global `t` (`i18n.Messages`) translates words made in Python
and writes dates, numbers and durations for the page's locale (filters `time`, `longday`,
`duration`, `daylabel`, `pct`); `label[status]`, `lower[status]` and `vocab[site.banner]`
are the vocabulary's words in the page's language (look-ups, cheaper than calls);
`fallback(update)` is the note shown above an update that has no text in the page's
language. Words without placeholders are written into the templates when they are loaded
(`ConstantWords`). What every page repeats is made once per environment: each
instant's `<time>` tag (`TimeTags`), each word with the same placeholder values
(`memo_gettext`) and the icon sprite when it is plain SVG (`static_template`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    pass_context,
)
from jinja2.ext import Extension
from jinja2.runtime import Context
from markupsafe import Markup, escape

from ..diagnostics import Diagnostic
from ..errors import ContentError
from ..i18n import Messages
from ..times import Clock, utc_z
from .theme import Refused, ThemeFiles

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "status"


def time_tag(clock: Clock, words: Messages, dt: datetime | None,
             short: bool = False) -> Markup:
    """`<time datetime="2026-03-02T14:30:00Z">2 Mar 2026, 15:30 CET</time>` (or '')."""
    if dt is None:
        return Markup("")
    text = escape(words.datetime(clock.local(dt), short))
    # The datetime= part is digits made here; the text is escaped (a team catalogue's
    # date pattern may hold quoted literal text).
    return Markup(f'<time datetime="{utc_z(dt)}">{text}</time>')


class TimeTags:
    """The `time` filter: `time_tag` of each instant, made once per environment and
    reused (a page set writes the same instants on the incident, history, component and
    front pages). The key holds the instant's zone and fold next to its value, so two
    instants that compare equal in one zone across a DST fold stay apart; equal instants
    in different zones are only formatted twice (the tag depends on the instant alone)."""

    def __init__(self, clock: Clock, words: Messages) -> None:
        self.clock, self.words = clock, words
        self.made: dict[tuple[datetime, Any, int, bool], Markup] = {}

    def __call__(self, dt: datetime | None, short: bool = False) -> Markup:
        if dt is None:
            return Markup("")
        key = (dt, dt.tzinfo, dt.fold, short)
        tag = self.made.get(key)
        if tag is None:
            tag = self.made[key] = time_tag(self.clock, self.words, dt, short)
        return tag


def fallback_note(words: Messages, update: Any) -> Markup:
    """'This update is not available in Deutsch; shown in English.' above an update whose
    text is shown in another language than the page's (`PublicUpdate.shown_in`)."""
    if not update.shown_in:
        return Markup("")
    note = words.gettext("This update is not available in %(language)s; shown in "
                         "%(shown)s.") % {"language": words.language_name(words.language),
                                          "shown": words.language_name(update.shown_in)}
    return Markup('<p class="fallback">{}</p>').format(note)


class ThemeLoader(BaseLoader):
    """The repository's `theme/status/` templates: only the files `scan_theme` listed,
    each read again without following a symlink (`ThemeFiles.read`)."""

    def __init__(self, files: ThemeFiles) -> None:
        self.files = files

    def get_source(self, environment: Environment, template: str,
                   ) -> tuple[str, str | None, Callable[[], bool] | None]:
        rel = self.files.templates.get(template)
        if rel is None:
            raise TemplateNotFound(template)
        try:
            data = self.files.read(rel)
        except Refused as e:
            raise ContentError([Diagnostic(rel, 0, "", "error", "unsafe-asset", str(e))],
                               ) from None
        return data.decode("utf-8"), rel, lambda: True


_CONSTANT = re.compile(r"""\{\{ _\((?:"([^"%\\{]*)"|'([^'%\\{]*)')\) \}\}""")
"""`{{ _("Incident history") }}`: a word without placeholders."""


class ConstantWords(Extension):
    """Writes the translation of `{{ _("...") }}` (a word without placeholders) into the
    template when it is loaded: an environment holds one language, so the word is the
    same on every page, and a call per page and word is the build's largest cost after
    the pages themselves. What `_()` returns is markup (translations are trusted like
    templates), so the text goes in as it is; one with `{` stays a call."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        words = self.environment.globals["t"]
        assert isinstance(words, Messages)

        def fold(m: re.Match[str]) -> str:
            text = words.gettext(m[1] if m[1] is not None else m[2])
            return m[0] if "{" in text else text

        return _CONSTANT.sub(fold, source)


_MEMO_TYPES = (str, Markup, int)
"""Placeholder values whose equality means the same text (`memo_gettext`)."""


def memo_gettext(env: Environment) -> None:
    """Make `_()`/`gettext()` with placeholders reuse their result: the page chrome asks
    for the same words with the same values (the site's title and zone) on every page.
    Jinja's own new-style `gettext` makes each result; it is called once per distinct
    message, escaping mode and placeholder values (each value's type is in the key, as a
    `Markup` value is not escaped and an equal `str` is)."""
    made_by: Callable[..., str] = env.globals["gettext"]  # type: ignore[assignment]
    made: dict[tuple[Any, ...], str] = {}

    @pass_context
    def gettext(context: Context, string: str, **variables: Any) -> str:
        if not all(type(v) in _MEMO_TYPES for v in variables.values()):
            return made_by(context, string, **variables)
        key = (string, context.eval_ctx.autoescape,
               *((k, type(v), v) for k, v in variables.items()))
        text = made.get(key)
        if text is None:
            text = made[key] = made_by(context, string, **variables)
        return text

    env.globals["gettext"] = gettext


def static_template(env: Environment, name: str) -> Markup:
    """Template `name` rendered once when its source has no Jinja syntax at all (no `{`),
    so it is the same on every page (`icons.svg`, unless a theme's copy has some); else
    '', and the page includes it as usual."""
    assert env.loader is not None
    source = env.loader.get_source(env, name)[0]
    if "{" in source:
        return Markup("")
    return Markup(env.get_template(name).render())


class PageEnvironment(Environment):
    """An environment whose templates see its globals as one flat mapping, copied when
    the template is loaded (Jinja chains the template's over the environment's, and
    merges the chain again for every page and every `{% from ... import %}`). Every
    global is set in `environment` before a page template is loaded."""

    def make_globals(self, d: MutableMapping[str, Any] | None,
                     ) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def environment(files: ThemeFiles, tz_name: str, words: Messages | None = None,
                ) -> Environment:
    """The template environment: the theme's templates over the package's, with the
    words of `words` (English when None)."""
    words = words or Messages()
    env = PageEnvironment(
        extensions=["jinja2.ext.i18n", ConstantWords],
        loader=ChoiceLoader([ThemeLoader(files), FileSystemLoader(str(PACKAGE_TEMPLATES))]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        words.gettext, words.ngettext, newstyle=True, pgettext=words.pgettext,
        npgettext=words.npgettext)
    clock = Clock(tz_name)
    env.filters["time"] = TimeTags(clock, words)
    env.filters["timetext"] = lambda dt: words.datetime(clock.local(dt))
    env.filters["longday"] = lambda d: words.date(d, "day")
    env.filters["utc"] = utc_z
    env.filters["duration"] = words.duration
    env.filters["daylabel"] = words.day_label  # filters are called directly: 90 a component
    env.filters["pct"] = words.pct
    env.globals["t"] = words
    env.globals["label"] = words.labels()
    env.globals["lower"] = words.lower_labels()
    env.globals["vocab"] = words.vocabulary()
    env.globals["fallback"] = partial(fallback_note, words)
    env.filters["safe_html"] = lambda html: Markup(html)  # sanitized at the boundary
    env.globals["escape"] = escape
    memo_gettext(env)
    env.globals["icons_static"] = static_template(env, "icons.svg")
    return env

