"""Atom and RSS feeds of public updates: feedgen behind one small typed module.

One entry per public update, so a subscriber hears about every change. Newest first, the
latest `LIMIT`. Entry ids are `urn:uuid:` values derived from the opaque update id, so they
never change between builds. feedgen's traps (STYLE.md) are handled here and only here:

* it stamps the build time into feed and entry `updated` unless told otherwise: every date
  is set from the updates, and the feed's `updated` is the newest entry's time;
* it prepends entries unless `order="append"`;
* the RSS channel `<link>` is the last link added: `rel="self"` goes first, `alternate` last;
* it refuses naive datetimes (ours are all aware, UTC);
* `description()` silently replaces the Atom `<content>` and drops its `type`: we set
  `summary()` (plain text, RSS `<description>`) and `content(type="html")` instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from feedgen.feed import FeedGenerator

from .view import PublicIncident, PublicUpdate, PublicView

LIMIT = 100
_NAMESPACE = uuid.UUID("6f1c4f36-3a55-5a43-9a5e-5bd0d2b1c0a7")


@dataclass(frozen=True)
class Feed:
    """What one pair of feeds (Atom + RSS) is about."""

    title: str
    subtitle: str
    page: str
    """Site path of the HTML page the feed mirrors ('' for the front page)."""
    atom: str
    rss: str
    """Site paths of the two feed files."""


def entry_id(update: PublicUpdate) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{update.incident_id}/{update.id}')}"


def latest_updates(incidents: Sequence[PublicIncident],
                   limit: int = LIMIT) -> list[tuple[PublicIncident, PublicUpdate]]:
    """The newest `limit` updates over `incidents`, newest first (ties: stable by id)."""
    pairs = [(inc, up) for inc in incidents for up in inc.updates]
    pairs.sort(key=lambda p: (p[1].at, p[1].id), reverse=True)
    return pairs[:limit]


def _generator(site: PublicView, feed: Feed, entries, updated: datetime) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{site.page_id}/{feed.atom}')}")
    fg.title(feed.title)
    fg.subtitle(feed.subtitle)
    words = site.words
    fg.language(words.html_lang)
    fg.generator("sevbook")
    fg.link(href=site.absolute(feed.atom), rel="self", type="application/atom+xml")
    fg.link(href=site.absolute(feed.page), rel="alternate", type="text/html")
    fg.updated(updated)
    fg.lastBuildDate(updated)
    for inc, up in entries:
        fe = fg.add_entry(order="append")
        fe.id(entry_id(up))
        fe.guid(entry_id(up), permalink=False)
        fe.title(f"{inc.name}: {words.label(up.status)}")
        fe.link(href=site.absolute(f"{inc.path}#u-{up.id}"), rel="alternate", type="text/html")
        fe.published(up.at)
        fe.updated(up.at)
        affected = words.gettext(", ").join(f"{c.name}: {words.lower(c.new_status)}"
                                            for c in up.changes)
        none = words.gettext("(no message)")
        body = up.html or f"<p>{_escape(none)}</p>"
        if affected:
            line = words.gettext("Affected: %(list)s") % {"list": affected}
            body += f"<p>{_escape(line)}</p>"
        # summary() before content(): feedgen's description() would overwrite the Atom
        # content without its type; summary() fills the RSS <description> instead.
        fe.summary(up.text or none)
        fe.content(body, type="html")
        fe.author({"name": site.name})
    return fg


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_feeds(site: PublicView, feed: Feed, incidents: Sequence[PublicIncident],
                out_dir: Path) -> None:
    """Write `feed.atom` and `feed.rss` under `out_dir` for the updates of `incidents`."""
    entries = latest_updates(incidents)
    updated = entries[0][1].at if entries else site.updated_at
    fg = _generator(site, feed, entries, updated)
    (out_dir / feed.atom).parent.mkdir(parents=True, exist_ok=True)
    (out_dir / feed.atom).write_bytes(fg.atom_str(pretty=True))
    (out_dir / feed.rss).write_bytes(fg.rss_str(pretty=True))
