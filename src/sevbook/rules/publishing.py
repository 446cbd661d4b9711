"""What a public record shows the world: its title on the status page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .. import errors_map, yamlio
from ..config import CONFIG_FILE, StatusTree, plugin_options, read_config
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
      "status.url (and each status_pages entry's url) is set once a record is public, so "
      "feed, calendar and API links are absolute")
def status_url(ctx: RuleContext, hb: Handbook) -> Iterator[Finding]:
    # Silent while nothing is public (right after `sevbook init`): the page then has no
    # entry a feed reader or calendar would follow. The first public record needs the URL.
    settings = hb.settings
    if not any(i.public for i in hb.incidents.values()):
        return
    missing = [t for t in settings.public_trees if not t.options.url]
    lines = _key_lines(settings.root / CONFIG_FILE) if missing else None
    for tree in missing:
        yield Finding(CONFIG_FILE, (), _message(tree),
                      line=_url_line(lines, tree.key_path) if lines is not None else 0)


def _message(tree: StatusTree) -> str:
    if not tree.name:
        return ("status.url is empty, so the status page's feeds, calendar and API carry "
                "relative links that feed readers and calendar apps cannot follow; set url: "
                "to the page's public address, e.g. https://status.example.com/")
    return (f"{errors_map.field_name((*tree.key_path, 'url'))} is empty, so the feeds, "
            f"calendar and API of the {tree.label} carry relative links that feed readers "
            "and calendar apps cannot follow; set url: to the page's public address, e.g. "
            f"https://{tree.name}-status.example.com/")


def _key_lines(path: Path) -> tuple[dict[tuple, int], tuple] | None:
    """The key lines of mkdocs.yml and the sevbook block's key path; read only when the
    warning fires."""
    try:
        mk, text = read_config(path)
    except ContentError:
        return None
    found = plugin_options(mk)
    if found is None:
        return None
    return yamlio.key_lines(text), found[1]


def _url_line(lines: tuple[dict[tuple, int], tuple], key_path: tuple) -> int:
    """The line of the page's `url:` in the sevbook block (or of the nearest key above)."""
    return yamlio.line_of(lines[0], lines[1] + key_path + ("url",))
