"""What a public record shows the world: its title on the status page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .. import yamlio
from ..config import CONFIG_FILE, plugin_options, read_config
from ..errors import ContentError
from ..model import Handbook, Incident
from .context import RuleContext
from .registry import HANDBOOK, Finding, rule


@rule("public-title-missing", "warning", ["incident", "maintenance"],
      "a public record has a public_title, so the status page does not show its internal title")
def public_title(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    if not inc.public:
        return
    if inc.public_title is None:
        yield Finding(inc.path, ("public",),
                      f"public record without public_title: the status page would show the "
                      f"internal title '{inc.title}'; add public_title: with the words "
                      "customers should read (it may be the same)", {"title": inc.title})
    elif not inc.public_title.strip():
        yield Finding(inc.path, ("public_title",),
                      "public_title is empty, so the status page would show no title; write "
                      "the words customers should read", {"title": inc.title})


@rule("no-status-url", "warning", [HANDBOOK],
      "status.url is set once a record is public, so feed, calendar and API links are absolute")
def status_url(ctx: RuleContext, hb: Handbook) -> Iterator[Finding]:
    # Silent while nothing is public (right after `sevbook init`): the page then has no
    # entry a feed reader or calendar would follow. The first public record needs the URL.
    settings = hb.settings
    if settings.status.url or not any(i.public for i in hb.incidents.values()):
        return
    yield Finding(CONFIG_FILE, (), "status.url is empty, so the status page's feeds, "
                  "calendar and API carry relative links that feed readers and calendar apps "
                  "cannot follow; set url: to the page's public address, e.g. "
                  "https://status.example.com/", line=_url_line(settings.root / CONFIG_FILE))


def _url_line(path: Path) -> int:
    """The line of `status: url:` in the sevbook block of mkdocs.yml (or of the nearest key
    above it); read only when the warning fires."""
    try:
        mk, text = read_config(path)
    except ContentError:
        return 0
    found = plugin_options(mk)
    if found is None:
        return 0
    return yamlio.line_of(yamlio.key_lines(text), found[1] + ("status", "url"))
