"""The config Zensical builds the staged handbook with, derived from the team's mkdocs.yml.

Everything of mkdocs.yml is kept (site name, theme and its options, palette, features,
Markdown extensions, `extra`, `nav`, validation) except what only makes sense for MkDocs
or for the repository's layout: the `sevbook` plugin is removed (Zensical cannot run it;
its work is in the staged pages), `docs_dir`/`site_dir` point into the staging folder, and
`theme.custom_dir` is the staged overrides folder (sevbook's banner template, then the
team's own `custom_dir` on top, so a `main.html` there still wins). Then what the plugin
adds at build time: the Markdown extensions its pages need, its stylesheet, the banner's
data under `extra`, and, without a `nav:`, the navigation it would order for responders.

MkDocs' YAML tags are read without running anything: `!!python/name:X` becomes the name
`X` (Zensical resolves names where MkDocs takes a function, such as a superfences
`format`), `!ENV` is looked up now as MkDocs would; any other Python tag is refused with
its line.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils import is_markdown_file

from ... import errors_map, yamlio
from ...config import CONFIG_FILE, Settings
from ...diagnostics import Diagnostic
from ...errors import ContentError
from ..nav import ordered, trimmed
from ..plugin import EXTENSIONS
from ..theme import BANNER_KEY, CSS_URI, OVERRIDES
from .stage import team_files

STAGED_DOCS, STAGED_SITE, STAGED_OVERRIDES = "docs", "site", "overrides"
DROPPED = ("hooks", "watch", "dev_addr")
"""MkDocs-only keys whose paths or meaning do not carry over to the staging folder."""


class _Unsupported(Exception):
    def __init__(self, tag: str, line: int):
        super().__init__(tag)
        self.tag, self.line = tag, line


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads MkDocs' tags as data (see the module docstring)."""


def _python_name(loader: _Loader, suffix: str, node: yaml.Node) -> str:
    return suffix


def _env(loader: _Loader, node: yaml.Node) -> Any:
    names = ([loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode)
             else [loader.construct_object(n) for n in node.value])
    default = names.pop() if len(names) > 1 else None
    for name in names:
        if str(name) in os.environ:
            return yaml.safe_load(os.environ[str(name)])
    return default


def _refuse(loader: _Loader, suffix: str, node: yaml.Node) -> None:
    raise _Unsupported(node.tag.replace("tag:yaml.org,2002:", "!!"), node.start_mark.line + 1)


_Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)
_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _refuse)
_Loader.add_multi_constructor("!", _refuse)


def _problem(text: str, line: int, message: str) -> ContentError:
    lines = yamlio.key_lines(text)
    paths = [p for p, n in lines.items() if n == line]
    field = errors_map.field_name(max(paths, key=len)) if paths else ""
    return ContentError([Diagnostic(CONFIG_FILE, line, field, "error", "zensical-config",
                                    message)], files=1)


def read_mkdocs_yml(root: Path) -> dict[str, Any]:
    """mkdocs.yml as data for Zensical; raise ContentError on what cannot be carried over.
    (`config.load_settings` has already checked its size, encoding and aliases.)"""
    text = (root / CONFIG_FILE).read_text(encoding="utf-8")
    try:
        mk = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except _Unsupported as e:
        raise _problem(text, e.line, f"the tag {e.tag} cannot be passed to Zensical; write "
                       "the value without it, or build with --engine mkdocs") from None
    if "INHERIT" in mk:
        raise _problem(text, yamlio.line_of(yamlio.key_lines(text), ("INHERIT",)),
                       "the zensical engine does not follow INHERIT; write the inherited "
                       "settings into mkdocs.yml, or build with --engine mkdocs")
    return mk


def _names(entries: Any) -> list[str]:
    if isinstance(entries, dict):
        return list(entries)
    return [e if isinstance(e, str) else next(iter(e)) for e in entries or []]


def _without_sevbook(plugins: Any) -> Any:
    if isinstance(plugins, dict):
        return {k: v for k, v in plugins.items() if k != "sevbook"}
    return [p for p in plugins or [] if "sevbook" not in _names([p])]


def _extensions(entries: Any) -> Any:
    """The team's Markdown extensions plus those the generated pages need."""
    missing = [n for n in EXTENSIONS if n not in _names(entries)]
    if isinstance(entries, dict):
        return {**entries, **{n: EXTENSIONS[n] or None for n in missing}}
    return list(entries or []) + missing


def derive(mk: dict[str, Any], in_nav: list[str], limit: int,
           banner: list[dict[str, str]]) -> dict[str, Any]:
    """The Zensical config of the staging folder (see the module docstring)."""
    cfg = {k: v for k, v in mk.items() if k not in DROPPED}
    cfg["docs_dir"], cfg["site_dir"] = STAGED_DOCS, STAGED_SITE
    cfg["plugins"] = _without_sevbook(mk.get("plugins"))
    theme = mk.get("theme") or {}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    theme["custom_dir"] = STAGED_OVERRIDES
    cfg["theme"] = theme
    cfg["markdown_extensions"] = _extensions(mk.get("markdown_extensions"))
    css = list(mk.get("extra_css") or [])
    cfg["extra_css"] = css if CSS_URI in css else [CSS_URI, *css]
    cfg["extra"] = {**(mk.get("extra") or {}), BANNER_KEY: banner}
    if mk.get("nav") is None:
        left_out = trimmed(in_nav, limit)
        cfg["nav"] = ordered(p for p in in_nav if p not in left_out)
    return cfg


def _theme_file(uri: str) -> bool:
    """Whether MkDocs would use a file of a theme folder: a template or a static file, not
    a README, Python or Markdown file (`Files.add_files_from_theme`)."""
    name = uri.lower()
    return not ("readme" in name or name.endswith((".py", ".pyc"))
                or is_markdown_file(name))


def overrides(settings: Settings, mk: dict[str, Any]) -> dict[str, bytes]:
    """The staged template overrides: sevbook's banner, then the team's custom_dir."""
    files = team_files(OVERRIDES)
    custom = (mk.get("theme") or {}).get("custom_dir") if isinstance(mk.get("theme"), dict) \
        else None
    if isinstance(custom, str) and (settings.root / custom).is_dir():
        files.update(team_files(settings.root / custom))
    return {uri: data for uri, data in files.items() if _theme_file(uri)}
