"""Incident roles: `content/roles/<id>.md`."""

from __future__ import annotations

from .common import Document


class Role(Document):
    name: str
    short: str = ""
    summary: str = ""
    responsibilities: list[str] = []
    does_not: list[str] = []
    checklist: list[str] = []
