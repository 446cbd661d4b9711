"""Authoring: `sevbook new`, `update` and `resolve`.

Every edit is checked with the same loader and rules as `sevbook check` before it is
written, is written atomically, and leaves every byte it does not need to change alone.
"""

from __future__ import annotations

from .files import find_incident
from .new import new_incident, new_maintenance, new_runbook
from .update import add_update, resolve

__all__ = ["add_update", "find_incident", "new_incident", "new_maintenance", "new_runbook",
           "resolve"]
