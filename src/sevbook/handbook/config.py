"""Options of the `sevbook` MkDocs plugin (the `plugins: - sevbook:` block of mkdocs.yml).

MkDocs validates these types; `sevbook.config.settings_from_options` then checks the keys
inside `status` and turns everything into the same `Settings` the CLI uses.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from ..config import WEEKDAYS


class SevbookConfig(base.Config):
    incidents_dir = c.Type(str, default="incidents")
    """Folder of incident files, relative to mkdocs.yml (outside docs_dir)."""
    status = c.Type(dict, default={})
    """Status page settings: title, url, timezone, site_dir, logo, links."""
    features = c.Type(dict, default={})
    """Feature switches, read by other parts of sevbook."""
    work_week = c.Type(list, default=list(WEEKDAYS[:5]))
    """Days counted by postmortem obligations with business_days: true."""
    metrics = c.Type(dict, default={})
    """Metrics settings: start, exclude_types."""
    notify = c.Type(dict, default={})
    """Notification settings, read by `sevbook notify`."""
    incident_fields = c.Type(list, default=[])
    """Custom incident fields."""
