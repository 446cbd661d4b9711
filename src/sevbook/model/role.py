"""Incident roles: `content/roles/<id>.md`."""

from __future__ import annotations

from pydantic import Field

from .common import Document


class Role(Document):
    name: str
    short: str = ""
    summary: str = ""
    responsibilities: list[str] = Field(default_factory=list)
    does_not: list[str] = Field(default_factory=list)
    checklist: list[str] = Field(default_factory=list)
