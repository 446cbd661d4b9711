"""The file kinds: where each structured file lives, its model, and where it goes in the
`Handbook`. The loader, `sevbook schema`, the edits and the plugin all read this one table;
adding a kind is one entry here (plus its model module).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .common import Document
from .incident import Incident
from .oncall import OnCall
from .role import Role
from .runbook import Runbook
from .service import Service
from .severity import SeverityMatrix

if TYPE_CHECKING:
    from ..config import Settings
    from .handbook import Handbook


@dataclass(frozen=True)
class FileKind:
    """One kind of structured file."""

    name: str
    model: type[Document]
    attr: str
    """The `Handbook` attribute it is stored in: one document, or a dict by id."""
    place: str
    """A file name (`severity.md`) or a folder (`roles`) in the docs_dir; for incidents, the
    `incidents_dir` setting names the folder."""
    many: bool
    """A folder of files (one document each) rather than one fixed file."""
    title: str
    """How `sevbook schema` names it."""

    def validate(self, data: dict[str, Any]) -> Document:
        """Frontmatter -> model; raises pydantic's ValidationError."""
        if self.model is Incident:
            return Incident.from_data(data)
        return self.model.model_validate(data)

    def location(self, settings: Settings) -> Path:
        if self.name == "incident":
            return settings.incidents_path
        return settings.content_path / self.place

    def fixed_id(self) -> str | None:
        """The id of a one-file kind (its name); None when ids come from file names."""
        return None if self.many else self.name

    def store(self, hb: Handbook, doc: Document) -> None:
        if self.many:
            getattr(hb, self.attr)[doc.id] = doc
        else:
            setattr(hb, self.attr, doc)

    def documents(self, hb: Handbook) -> Iterator[Document]:
        value = getattr(hb, self.attr)
        if self.many:
            yield from value.values()
        elif value is not None:
            yield value


KINDS: dict[str, FileKind] = {k.name: k for k in (
    FileKind("severity", SeverityMatrix, "severity", "severity.md", False,
             "sevbook severity matrix (content/severity.md)"),
    FileKind("oncall", OnCall, "oncall", "oncall.md", False,
             "sevbook on-call and escalation (content/oncall.md)"),
    FileKind("role", Role, "roles", "roles", True,
             "sevbook incident role (content/roles/<id>.md)"),
    FileKind("service", Service, "services", "services", True,
             "sevbook service (content/services/<id>.md)"),
    FileKind("runbook", Runbook, "runbooks", "runbooks", True,
             "sevbook runbook (content/runbooks/<id>.md)"),
    FileKind("incident", Incident, "incidents", "", True,
             "sevbook incident or maintenance (incidents/<YYYY-MM-DD>-<slug>.md)"),
)}
"""Every kind, in the order files are discovered."""

CONTENT_KINDS = tuple(k for k in KINDS.values() if k.name != "incident")
"""The kinds that live in the docs_dir (everything but incidents)."""
