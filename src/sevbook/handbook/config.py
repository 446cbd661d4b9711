"""Options of the `sevbook` MkDocs plugin (the `plugins: - sevbook:` block of mkdocs.yml).

One schema: the keys are those of `sevbook.config.SevbookOptions`, taken through as
written. MkDocs only learns their names (so it never warns "Unrecognised configuration
name" for a setting sevbook has); `sevbook.config.settings_from_options` validates the
values, every error with its mkdocs.yml line, and turns them into the `Settings` the CLI
uses. A new setting therefore needs no edit here.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from ..config import SevbookOptions


class SevbookConfig(base.Config):
    _schema = tuple((name, c.Optional(c.Type(object)))
                    for name in SevbookOptions.model_fields)


def written_options(config: SevbookConfig) -> dict[str, Any]:
    """The keys the user wrote (MkDocs fills unwritten ones with None)."""
    return {key: value for key, value in config.items() if value is not None}
