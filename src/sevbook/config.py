"""Settings: the `sevbook` block of `mkdocs.yml`, with defaults.

`mkdocs.yml` is the single configuration file (DESIGN.md). It is read here with a plain
YAML loader that ignores MkDocs' own `!!python/name` and `!ENV` tags, so `sevbook check`
does not need MkDocs to load the whole config.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import SevbookError

DEFAULTS: dict[str, Any] = {
    "incidents_dir": "incidents",
    "status": {
        "title": "Status",
        "url": "",
        "timezone": "UTC",
        "site_dir": "site/status",
        "logo": "",
        "links": {},
    },
}


@dataclass
class StatusSettings:
    title: str = "Status"
    url: str = ""
    timezone: str = "UTC"
    site_dir: str = "site/status"
    logo: str = ""
    links: dict[str, str] = field(default_factory=dict)
    name: str = ""
    """The organisation name (default: the handbook's site_name)."""


@dataclass
class Settings:
    root: Path
    site_name: str = "Handbook"
    docs_dir: str = "content"
    site_dir: str = "site/handbook"
    incidents_dir: str = "incidents"
    status: StatusSettings = field(default_factory=StatusSettings)
    features: dict[str, Any] = field(default_factory=dict)

    @property
    def content_path(self) -> Path:
        return self.root / self.docs_dir

    @property
    def incidents_path(self) -> Path:
        return self.root / self.incidents_dir

    @property
    def handbook_site(self) -> Path:
        return self.root / self.site_dir

    @property
    def status_site(self) -> Path:
        return self.root / self.status.site_dir


class _TolerantLoader(yaml.SafeLoader):
    """SafeLoader that turns unknown tags (MkDocs' !ENV, !!python/name) into None."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_TolerantLoader.add_multi_constructor("!", _ignore_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)

KNOWN_KEYS = {"incidents_dir", "status", "features"}
KNOWN_STATUS_KEYS = set(StatusSettings.__dataclass_fields__)


def plugin_options(mkdocs_cfg: dict[str, Any]) -> dict[str, Any] | None:
    """The `sevbook` entry of `plugins:` (list or mapping form), or None."""
    plugins = mkdocs_cfg.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{k: v} for k, v in plugins.items()]
    for p in plugins:
        if p == "sevbook":
            return {}
        if isinstance(p, dict) and "sevbook" in p:
            return p["sevbook"] or {}
    return None


def settings_from_options(root: Path, mk: dict[str, Any], opts: dict[str, Any]) -> Settings:
    """Build Settings from a parsed mkdocs.yml and the plugin block; raise SevbookError."""
    unknown = set(opts) - KNOWN_KEYS
    if unknown:
        raise SevbookError(
            f"mkdocs.yml: unknown sevbook option(s) {', '.join(sorted(unknown))}; "
            f"valid options are {', '.join(sorted(KNOWN_KEYS))}"
        )
    status_opts = opts.get("status") or {}
    if not isinstance(status_opts, dict):
        raise SevbookError("mkdocs.yml: sevbook option 'status' must be a mapping")
    unknown = set(status_opts) - KNOWN_STATUS_KEYS
    if unknown:
        raise SevbookError(
            f"mkdocs.yml: unknown sevbook status option(s) {', '.join(sorted(unknown))}; "
            f"valid options are {', '.join(sorted(KNOWN_STATUS_KEYS))}"
        )
    site_name = str(mk.get("site_name") or "Handbook")
    status = StatusSettings(**{**DEFAULTS["status"], **status_opts})
    status.links = dict(status.links or {})
    if not status.name:
        status.name = site_name
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(status.timezone)
    except Exception:
        raise SevbookError(
            f"mkdocs.yml: sevbook status timezone {status.timezone!r} is not an IANA time zone "
            "name; use e.g. UTC or Europe/Berlin"
        ) from None
    return Settings(
        root=root,
        site_name=site_name,
        docs_dir=str(mk.get("docs_dir") or "docs"),
        site_dir=str(mk.get("site_dir") or "site"),
        incidents_dir=str(opts.get("incidents_dir") or DEFAULTS["incidents_dir"]),
        status=status,
        features=dict(opts.get("features") or {}),
    )


def load_settings(root: Path) -> Settings:
    """Read `<root>/mkdocs.yml`; raise SevbookError with a fix when it is missing or bad."""
    root = Path(root)
    path = root / "mkdocs.yml"
    if not path.is_file():
        raise SevbookError(
            f"no mkdocs.yml in {root}; run sevbook from the handbook repository, pass "
            "--root DIR, or create one with `sevbook init DIR`"
        )
    try:
        mk = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise SevbookError(f"mkdocs.yml: cannot be read: {e}") from None
    if not isinstance(mk, dict):
        raise SevbookError("mkdocs.yml: the top level must be a mapping")
    opts = plugin_options(mk)
    return settings_from_options(root, mk, opts or {})
