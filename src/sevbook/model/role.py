"""Incident roles: `content/roles/<id>.md`."""

from __future__ import annotations

from pydantic import Field

from .common import Document


class Role(Document):
    name: str = Field(description="The role's name", examples=["Incident Commander"])
    short: str = Field(default="", description="Its abbreviation", examples=["IC"])
    summary: str = Field(default="", description="One line: what it does",
                         examples=["Coordinates the response; does not debug."])
    responsibilities: list[str] = Field(default_factory=list, description="What it is "
                                        "responsible for", examples=[["Coordinate the response"]])
    does_not: list[str] = Field(default_factory=list, description="What it leaves to others",
                                examples=[["Debug code"]])
    checklist: list[str] = Field(default_factory=list, description="Steps to tick off",
                                 examples=[["Declare severity", "Open incident channel"]])
