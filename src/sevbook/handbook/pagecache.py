"""The page cache's store: one row per handbook page, in `.cache/sevbook/pages/`.

A row holds what MkDocs computed for one page in an earlier build, under the two keys it
was computed for (see `pagekeys.py`): the render key (the page's Markdown → its HTML body,
table of contents, title and anchors) and the page key (that body in the theme → the page's
HTML file and its search index entries). `reuse.py` looks a page up by its source path
and uses a part only when the key stored with it equals the key it has just computed
itself; the row's name is never trusted.

The store is SQLite (one file, transactions, safe against a second process). Every row
carries a digest of its bytes; a row whose digest does not match, a file that is not a
database or a table of another shape is ignored (a corrupt cache costs a full build, never
a wrong page), and a broken database file is replaced on the next save.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

FORMAT = 1
"""Bumped when a row's meaning changes; part of every key (`pagekeys.py`)."""

FILE = "pages.sqlite3"

FOLDER = "pages"
"""The page cache's folder inside sevbook's cache folder (`cache_dir`, default
`.cache/sevbook`, git-ignored), beside the content cache's version folders."""


def page_cache_folder(root: Path, cache_dir: str | None = None) -> Path:
    """The page cache folder of the repository at `root` (`cache_dir`: the setting)."""
    return Path(root).resolve() / (cache_dir or ".cache/sevbook") / FOLDER

_SCHEMA = ("CREATE TABLE IF NOT EXISTS page (uri TEXT PRIMARY KEY, render_key TEXT NOT NULL, "
           "page_key TEXT NOT NULL, meta BLOB NOT NULL, content BLOB NOT NULL, "
           "html BLOB NOT NULL, digest TEXT NOT NULL)")


@dataclass
class Entry:
    """What one page's earlier build left: its render part and, when `page_key` is set,
    its page part."""

    render_key: str
    title: str | None
    toc: list[dict[str, Any]]
    anchors: list[str]
    links: dict[str, dict[str, str]]
    """{linked file's src_uri: {anchor: the link as written}} (MkDocs' links_to_anchors)."""
    content: str
    page_key: str = ""
    html: str = ""
    search: list[dict[str, Any]] = field(default_factory=list)

    def rows(self) -> tuple[bytes, bytes, bytes]:
        meta = json.dumps({"title": self.title, "toc": self.toc, "anchors": self.anchors,
                           "links": self.links, "search": self.search},
                          separators=(",", ":")).encode("utf-8")  # key order kept: the index is written as is
        return meta, self.content.encode("utf-8"), self.html.encode("utf-8")


def _digest(uri: str, render_key: str, page_key: str, meta: bytes, content: bytes,
            html: bytes) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in (uri.encode(), render_key.encode(), page_key.encode(), meta, content, html):
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


class PageStore:
    """Rows of the cache folder's database; reads are lazy, writes wait for `save`.

    With `memory` (`sevbook serve`'s session, kept between its rebuilds), every entry this
    process puts, or gets from a row whose digest checks out, is also kept there, and
    `get` answers from it first: the database is read once per page per session."""

    def __init__(self, folder: Path, memory: dict[str, Entry] | None = None) -> None:
        self.folder = folder
        self.memory = memory
        self._db: sqlite3.Connection | None = None
        self._pending: dict[str, Entry] = {}
        try:
            if (folder / FILE).is_file():
                self._db = _connect(folder / FILE)
                self._db.execute(_SCHEMA)
                self._db.execute("SELECT uri, render_key, page_key, meta, content, html, "
                                 "digest FROM page LIMIT 1").fetchall()
        except sqlite3.Error:
            self._close()  # not a database, or not ours: ignored, replaced on save

    def get(self, uri: str) -> Entry | None:
        """The stored entry of `uri`, or None (none, or one whose bytes do not check out)."""
        if self.memory is not None and uri in self.memory:
            return _copy(self.memory[uri])
        entry = self._read(uri)
        if entry is not None and self.memory is not None:
            self.memory[uri] = _copy(entry)
        return entry

    def _read(self, uri: str) -> Entry | None:
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT render_key, page_key, meta, content, html, digest "
                                   "FROM page WHERE uri = ?", (uri,)).fetchone()
        except sqlite3.Error:
            self._close()
            return None
        if row is None:
            return None
        return _entry(uri, *row)

    def put(self, uri: str, entry: Entry) -> None:
        self._pending[uri] = entry
        if self.memory is not None:
            self.memory[uri] = _copy(entry)

    def save(self) -> None:
        """Write the entries put since the last save, in one transaction. A cache that
        cannot be written is left as it was (the build itself has succeeded)."""
        if not self._pending:
            return
        rows = []
        for uri, e in sorted(self._pending.items()):
            try:
                meta, content, html = e.rows()
            except (TypeError, ValueError):  # search data JSON cannot hold: not kept
                continue
            rows.append((uri, e.render_key, e.page_key, meta, content, html,
                         _digest(uri, e.render_key, e.page_key, meta, content, html)))
        self._pending = {}
        try:
            self._write(rows)
        except (OSError, sqlite3.Error):
            self._close()
            try:  # a broken file: start again next time
                (self.folder / FILE).unlink(missing_ok=True)
            except OSError:
                pass

    def _write(self, rows: list[tuple[Any, ...]]) -> None:
        if self._db is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / FILE).unlink(missing_ok=True)
            self._db = _connect(self.folder / FILE)
            self._db.execute(_SCHEMA)
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO page VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 rows)

    def close(self) -> None:
        self._close()

    def _close(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None


def _copy(entry: Entry) -> Entry:
    """`entry` with lists and search entries of its own (a build extends the search index
    with them and may keep them), as a row read afresh would give."""
    return replace(entry, toc=list(entry.toc), anchors=list(entry.anchors),
                   links={k: dict(v) for k, v in entry.links.items()},
                   search=[dict(s) for s in entry.search])


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(path), timeout=30)


def _entry(uri: str, render_key: Any, page_key: Any, meta: Any, content: Any, html: Any,
           digest: Any) -> Entry | None:
    """The row as an Entry, or None when its bytes are not what was written."""
    if not all(isinstance(b, bytes) for b in (meta, content, html)) \
            or not isinstance(render_key, str) or not isinstance(page_key, str):
        return None
    if digest != _digest(uri, render_key, page_key, meta, content, html):
        return None
    try:
        m = json.loads(meta)
        return Entry(render_key=render_key, title=m["title"], toc=m["toc"],
                     anchors=m["anchors"], links=m["links"], content=content.decode("utf-8"),
                     page_key=page_key, html=html.decode("utf-8"), search=m["search"])
    except (ValueError, KeyError, TypeError):
        return None
