"""The status page's render shortcuts give exactly what the slow path gives: the memoised
`time` filter (`render.TimeTags`), the memoised `gettext` (`render.memo_gettext`), the
sprite written once (`render.static_template`) and the counted private incidents indexed
once per view (`components.counted_private`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any, cast
from zoneinfo import ZoneInfo

from markupsafe import Markup

from sevbook.i18n import Messages
from sevbook.status import render
from sevbook.status.components import counted_private
from sevbook.status.theme import ThemeFiles
from sevbook.times import Clock

BERLIN = ZoneInfo("Europe/Berlin")
INSTANTS = [
    datetime(2026, 3, 2, 14, 30, tzinfo=UTC),
    datetime(2026, 3, 2, 15, 30, tzinfo=timezone(timedelta(hours=1))),  # the same instant
    datetime(2026, 3, 2, 14, 31, tzinfo=UTC),
    # 02:30 twice on 2026-10-25 in Berlin: equal as values in one zone, an hour apart
    datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN, fold=0),
    datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN, fold=1),
]


def test_time_tags_equal_time_tag_for_every_instant_and_length() -> None:
    clock, words = Clock("Europe/Berlin"), Messages()
    tags = render.TimeTags(clock, words)
    for _ in range(2):  # the second round is served from the memo
        for dt in INSTANTS:
            for short in (False, True):
                assert tags(dt, short) == render.time_tag(clock, words, dt, short)
    assert tags(None) == Markup("") == render.time_tag(clock, words, None)


def test_time_tags_keep_the_two_sides_of_a_dst_fold_apart() -> None:
    tags = render.TimeTags(Clock("Europe/Berlin"), Messages())
    first, second = tags(INSTANTS[3]), tags(INSTANTS[4])
    assert first == Markup('<time datetime="2026-10-25T00:30:00Z">25 Oct 2026, 02:30 CEST'
                           '</time>')
    assert second == Markup('<time datetime="2026-10-25T01:30:00Z">25 Oct 2026, 02:30 CET'
                            '</time>')


def test_time_tags_change_with_the_instant() -> None:
    tags = render.TimeTags(Clock("UTC"), Messages())
    assert tags(INSTANTS[0]) == Markup('<time datetime="2026-03-02T14:30:00Z">'
                                       '2 Mar 2026, 14:30 UTC</time>')
    assert tags(INSTANTS[2]) == Markup('<time datetime="2026-03-02T14:31:00Z">'
                                       '2 Mar 2026, 14:31 UTC</time>')


def test_one_instant_in_two_zones_is_written_in_each() -> None:
    words = Messages()
    utc, berlin = INSTANTS[0], INSTANTS[0].astimezone(BERLIN)
    assert words.datetime(berlin) == "2 Mar 2026, 15:30 CET"
    assert words.datetime(utc) == "2 Mar 2026, 14:30 UTC"
    assert words.datetime(INSTANTS[4]) == "25 Oct 2026, 02:30 CET"
    assert words.datetime(INSTANTS[3]) == "25 Oct 2026, 02:30 CEST"


def _env(memo: bool):
    env = render.environment(ThemeFiles(), "UTC")
    if not memo:  # Jinja's own gettext, as installed before the memo wraps it
        env.install_gettext_callables(  # type: ignore[attr-defined]
            Messages().gettext, Messages().ngettext, newstyle=True)
    return env


SOURCE = ("{{ _('%(title)s: all updates', title=title) }}|"
          "{{ _('Page %(number)s of %(count)s', number=n, count=2) }}|"
          "{{ _('%(title)s: all updates', title=title) }}")


def test_memo_gettext_equals_jinja_gettext() -> None:
    values = [{"title": "A & B", "n": 1}, {"title": Markup("A &amp; B"), "n": 1},
              {"title": "A & B", "n": 2}, {"title": "<b>", "n": True},
              {"title": ["a list"], "n": 1}]
    fast, slow = _env(True).from_string(SOURCE), _env(False).from_string(SOURCE)
    for _ in range(2):
        for v in values:
            assert fast.render(v) == slow.render(v)
    assert fast.render(values[0]) == ("A &amp; B: all updates|Page 1 of 2|"
                                      "A &amp; B: all updates")
    # an equal str and Markup value are different keys: one is escaped, one is not
    assert fast.render(values[1]) == fast.render(values[0])
    assert fast.render({"title": Markup("<b>"), "n": 1}).startswith("<b>: all")
    assert fast.render({"title": "<b>", "n": 1}).startswith("&lt;b&gt;: all")


def test_static_template_is_the_rendered_sprite() -> None:
    env = render.environment(ThemeFiles(), "UTC")
    sprite = (render.PACKAGE_TEMPLATES / "icons.svg").read_text(encoding="utf-8")
    assert env.globals["icons_static"] == Markup(sprite)
    assert str(env.globals["icons_static"]).startswith('<svg class="sprite"')


def test_static_template_leaves_a_template_with_syntax_to_the_include(tmp_path) -> None:
    from jinja2 import DictLoader, Environment

    env = Environment(loader=DictLoader({"a.svg": "<svg/>\n", "b.svg": "<svg>{{ x }}</svg>"}),
                      keep_trailing_newline=True)
    assert render.static_template(env, "a.svg") == Markup("<svg/>\n")
    assert render.static_template(env, "b.svg") == Markup("")


def test_counted_private_lists_what_a_scan_per_service_finds() -> None:
    def inc(name: str, counted: bool, public: bool, services: list[str]) -> SimpleNamespace:
        return SimpleNamespace(name=name, count_in_uptime=counted, public=public,
                               services=services)

    incidents = [inc("a", True, False, ["db", "web", "db"]), inc("b", True, True, ["db"]),
                 inc("c", False, False, ["db"]), inc("d", True, False, ["web"]),
                 inc("e", True, False, [])]
    hb = cast(Any, SimpleNamespace(incidents={i.name: i for i in incidents}))
    index = counted_private(hb)
    for sid in ("db", "web", "api"):
        scan = [i for i in hb.incidents.values()
                if i.count_in_uptime and not i.public and sid in i.services]
        assert list(index.get(sid, ())) == scan
    assert {sid: [i.name for i in incs] for sid, incs in index.items()} == {
        "db": ["a"], "web": ["a", "d"]}


def test_templates_see_the_environments_globals_flat() -> None:
    from collections import ChainMap

    env = render.environment(ThemeFiles(), "UTC")
    tpl = env.get_template("base.html")
    assert isinstance(tpl.globals, dict)
    assert tpl.globals == dict(ChainMap({}, env.globals))
    assert env.from_string("{{ x }}", globals={"x": 1}).render() == "1"
    assert env.from_string("{{ x }}", globals={"x": 1}).globals["gettext"] is \
        env.globals["gettext"]


def test_b32_is_base64s_first_twelve_characters() -> None:
    import base64
    import hashlib

    from sevbook.status.ids import _b32

    digests = [bytes(32), b"\xff" * 32, bytes(range(32))] + [
        hashlib.sha256(str(n).encode()).digest() for n in range(5000)]
    for d in digests:
        assert _b32(d) == base64.b32encode(d[:10]).decode("ascii")[:12].lower()
    assert _b32(bytes(32)) == "aaaaaaaaaaaa" and _b32(b"\xff" * 32) == "777777777777"


def test_formatted_times_equal_babels() -> None:
    from babel import Locale
    from babel.dates import parse_pattern

    from sevbook.i18n import SHIPPED, _formatted, messages

    patterns = {"EEEE d MMMM y HH:mm", "y年M月d日 H:mm", "h:mm a", "dd.MM.yy 'um' H.mm 'Uhr'",
                "LLLL y", "EEE dd MMM y", "QQQ w Y e c D F G HH:mm:ss", "d MMM y, HH:mm zzzz"}
    for lang in SHIPPED:
        words = messages(None, lang)
        patterns |= {words.pgettext("date pattern", p) for p in
                     ("d MMM y, HH:mm", "d MMM, HH:mm", "d MMMM y", "LLLL y", "EEE dd MMM y")}
    start = datetime(2025, 12, 28, 0, 7, tzinfo=BERLIN)
    instants = [(start + timedelta(minutes=37 * 61 * k)).astimezone(BERLIN) for k in range(400)]
    instants += INSTANTS[3:]
    for lang in SHIPPED:
        for pattern in sorted(patterns):
            for dt in instants:
                assert _formatted(lang, pattern, dt) == \
                    parse_pattern(pattern).apply(dt, Locale.parse(lang)), (lang, pattern, dt)
