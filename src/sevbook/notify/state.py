"""A published status page's public state, read back from its Statuspage JSON (`api/v2/`).

`sevbook notify` compares two of these: the site just built and the one published before.
It reads nothing else: what the JSON API publishes is, by the privacy boundary
(`sevbook.status.public`), all that may be public, so nothing internal can be sent.

The previous state comes from a folder (`--previous DIR`, a copy of a status site or what
`fetch_state` saved) or straight from `status.url`. A folder without `api/v2/summary.json`
is a page that was never published (a first deploy).
"""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..errors import SevbookError

API = Path("api") / "v2"
FILES = ("summary.json", "components.json", "incidents.json", "scheduled-maintenances.json")
"""The endpoints read: components with their status, recent incidents, recent maintenance."""
RECENT = 50
"""incidents.json and scheduled-maintenances.json list at most this many (as Statuspage)."""
MAX_BYTES = 64 * 1024 * 1024
"""Largest JSON file read (the API of 10,000 incidents is far below it)."""

Doc = Mapping[str, Any]


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Change:
    """One component an update names (Statuspage `affected_components`)."""

    component_id: str
    name: str
    old_status: str
    new_status: str


@dataclass(frozen=True)
class Update:
    id: str
    status: str
    body: str
    at: datetime
    silent: bool
    """`deliver_notifications: false`: shown on the page, never sent."""
    changes: tuple[Change, ...]
    doc: Doc


@dataclass(frozen=True)
class Incident:
    """An incident or a maintenance as the API shows it; `doc` is its whole JSON object."""

    id: str
    name: str
    status: str
    impact: str
    shortlink: str
    maintenance: bool
    updated_at: datetime
    updates: tuple[Update, ...]
    """Oldest first."""
    component_ids: tuple[str, ...]
    doc: Doc

    @property
    def newest(self) -> datetime | None:
        return max((u.at for u in self.updates), default=None)


@dataclass(frozen=True)
class Component:
    id: str
    name: str
    status: str
    updated_at: datetime | None
    doc: Doc


@dataclass(frozen=True)
class PublicState:
    """The page, its components and the incidents and maintenance it lists."""

    page: Doc
    indicator: str
    description: str
    components: Mapping[str, Component]
    incidents: Mapping[str, Incident]
    horizon: Mapping[bool, datetime] = field(default_factory=lambda: MappingProxyType({}))
    """Per kind (maintenance or not), when its list was cut at `RECENT`: the oldest
    `updated_at` listed. An older incident missing from the list was cut, not new."""

    @property
    def built_at(self) -> datetime:
        """The page's `updated_at` (when it last changed)."""
        return parse_time(self.page.get("updated_at")) or datetime.now(UTC)

    @property
    def url(self) -> str:
        """The page's absolute URL without the trailing slash, or ''."""
        return str(self.page.get("url") or "").rstrip("/")

    @property
    def name(self) -> str:
        return str(self.page.get("name") or "Status")

    def knows(self, incident: Incident) -> bool:
        """Whether this state would list `incident` if it had existed then."""
        cut = self.horizon.get(incident.maintenance)
        return cut is None or incident.updated_at > cut


def _update(doc: Doc) -> Update:
    changes = tuple(Change(str(c.get("code", "")), str(c.get("name", "")),
                           str(c.get("old_status", "")), str(c.get("new_status", "")))
                    for c in doc.get("affected_components") or ())
    at = parse_time(doc.get("display_at")) or parse_time(doc.get("created_at"))
    if at is None:
        raise ValueError(f"update {doc.get('id')!r} has no created_at")
    return Update(str(doc["id"]), str(doc.get("status", "")), str(doc.get("body") or ""), at,
                  doc.get("deliver_notifications") is False, changes, MappingProxyType(dict(doc)))


def _incident(doc: Doc, maintenance: bool) -> Incident:
    updates = sorted((_update(u) for u in doc.get("incident_updates") or ()),
                     key=lambda u: (u.at, u.id))
    updated = parse_time(doc.get("updated_at")) or parse_time(doc.get("created_at"))
    if updated is None:
        raise ValueError(f"incident {doc.get('id')!r} has no updated_at")
    return Incident(str(doc["id"]), str(doc.get("name", "")), str(doc.get("status", "")),
                    str(doc.get("impact", "")), str(doc.get("shortlink") or ""), maintenance,
                    updated, tuple(updates),
                    tuple(str(c["id"]) for c in doc.get("components") or ()),
                    MappingProxyType(dict(doc)))


def _horizon(items: list[Doc]) -> datetime | None:
    if len(items) < RECENT:
        return None
    times = [t for t in (parse_time(i.get("updated_at")) for i in items) if t is not None]
    return min(times, default=None)


def parse_state(docs: Mapping[str, Doc]) -> PublicState:
    """The state from the API documents by file name (`summary.json`, ...)."""
    summary = docs["summary.json"]
    comps = docs.get("components.json", summary).get("components") or []
    listed = list(docs.get("incidents.json", {}).get("incidents") or [])
    maint = list(docs.get("scheduled-maintenances.json", {}).get("scheduled_maintenances") or [])
    incidents: dict[str, Incident] = {}
    for items, is_maint in ((listed, False), (maint, True),
                            (summary.get("incidents") or [], False),
                            (summary.get("scheduled_maintenances") or [], True)):
        for doc in items:
            incidents.setdefault(str(doc["id"]), _incident(doc, is_maint))
    horizon = {kind: t for kind, t in ((False, _horizon(listed)), (True, _horizon(maint)))
               if t is not None}
    components = {str(c["id"]): Component(str(c["id"]), str(c.get("name", "")),
                                          str(c.get("status", "")), parse_time(c.get("updated_at")),
                                          MappingProxyType(dict(c)))
                  for c in comps if not c.get("group")}
    status = summary.get("status") or {}
    return PublicState(MappingProxyType(dict(summary.get("page") or {})),
                       str(status.get("indicator", "")), str(status.get("description", "")),
                       MappingProxyType(components), MappingProxyType(incidents),
                       MappingProxyType(horizon))


def _parse(docs: Mapping[str, Doc], where: str) -> PublicState:
    try:
        return parse_state(docs)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise SevbookError(f"{where}: not a Statuspage v2 API this version of sevbook can "
                           f"read ({type(e).__name__}: {e})") from None


def _read_json(path: Path) -> Doc:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise SevbookError(f"{path}: larger than {MAX_BYTES // 2**20} MB")
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SevbookError(f"{path}: cannot be read as JSON ({e})") from None
    if not isinstance(doc, dict):
        raise SevbookError(f"{path}: expected a JSON object")
    return doc


def read_state(site: Path) -> PublicState | None:
    """The state of the status site folder `site` (its `api/v2/`), or None when it has no
    `api/v2/summary.json` (a page never published)."""
    base = site / API
    if not (base / "summary.json").is_file():
        return None
    docs = {name: _read_json(base / name) for name in FILES if (base / name).is_file()}
    return _parse(docs, str(base))


def _get(url: str, timeout: float) -> bytes | None:
    """GET `url` past every cache (a unique query string and no-cache headers: a CDN that
    served the page as it was before the last deploy would make notify send it again);
    None on a 404."""
    sep = "&" if "?" in url else "?"
    req = urllib.request.Request(f"{url}{sep}sevbook-fresh={secrets.token_hex(8)}", headers={
        "Cache-Control": "no-cache", "Pragma": "no-cache", "Accept": "application/json",
        "User-Agent": "sevbook-notify"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (http(s) only)
            data: bytes = resp.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return None
        raise SevbookError(f"{url}: HTTP {e.code} {e.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise SevbookError(f"{url}: cannot be fetched ({reason})") from None
    if len(data) > MAX_BYTES:
        raise SevbookError(f"{url}: larger than {MAX_BYTES // 2**20} MB")
    return data


def fetch_docs(base_url: str, timeout: float = 30.0) -> dict[str, bytes] | None:
    """The API files of the page published at `base_url` (ending in '/'), or None when it
    has no `api/v2/summary.json` (never published)."""
    if not base_url.startswith(("https://", "http://")):
        raise SevbookError(f"{base_url!r} is not an http(s) URL")
    out: dict[str, bytes] = {}
    for name in FILES:
        data = _get(f"{base_url}api/v2/{name}", timeout)
        if data is None:
            if name == "summary.json":
                return None
            continue
        out[name] = data
    return out


def _decode(raw: Mapping[str, bytes], where: str) -> dict[str, Doc]:
    docs: dict[str, Doc] = {}
    for name, data in raw.items():
        try:
            doc = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise SevbookError(f"{where}api/v2/{name}: not JSON ({e})") from None
        if not isinstance(doc, dict):
            raise SevbookError(f"{where}api/v2/{name}: expected a JSON object")
        docs[name] = doc
    return docs


def fetch_state(base_url: str, timeout: float = 30.0) -> PublicState | None:
    """The state published at `base_url`, or None when nothing is published there."""
    raw = fetch_docs(base_url, timeout)
    return None if raw is None else _parse(_decode(raw, base_url), base_url)


def save_published(base_url: str, dest: Path, timeout: float = 30.0) -> bool:
    """Save the API files published at `base_url` under `dest/api/v2/` (checked to be
    readable first); False, writing nothing there, when nothing is published yet."""
    raw = fetch_docs(base_url, timeout)
    dest.mkdir(parents=True, exist_ok=True)
    if raw is None:
        return False
    _parse(_decode(raw, base_url), base_url)
    (dest / API).mkdir(parents=True, exist_ok=True)
    for name, data in raw.items():
        (dest / API / name).write_bytes(data)
    return True


def component_names(state: PublicState, ids: Iterable[str]) -> list[str]:
    return [state.components[c].name if c in state.components else c for c in ids]
