"""Options of the `sevbook` MkDocs plugin (the `plugins: - sevbook:` block of mkdocs.yml).

MkDocs validates these types; `sevbook.config.settings_from_options` then checks the keys
inside `status` and turns everything into the same `Settings` the CLI uses.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class SevbookConfig(base.Config):
    incidents_dir = c.Type(str, default="incidents")
    """Folder of incident files, relative to mkdocs.yml (outside docs_dir)."""
    status = c.Type(dict, default={})
    """Status page settings: title, url, timezone, site_dir, logo, links."""
    features = c.Type(dict, default={})
    """Feature switches, read by other parts of sevbook."""
