"""What `sevbook import` did, in the words it prints."""

from __future__ import annotations

from dataclasses import dataclass, field

from .records import Note


@dataclass
class ImportReport:
    """Files written, left as they were, skipped (and why), and what could not be mapped."""

    source: str
    written: list[str] = field(default_factory=list)
    """New files, or imported files rewritten because the source changed."""
    unchanged: list[str] = field(default_factory=list)
    """Files already holding exactly what this import would write."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(path, reason): files left alone because someone else wrote or edited them."""
    notes: list[Note] = field(default_factory=list)
    captured_at: str | None = None

    def text(self) -> str:
        """The report as printed: one section per outcome, then the summary line."""
        lines: list[str] = []
        for path in self.written:
            lines.append(f"wrote {path}")
        for path in self.unchanged:
            lines.append(f"unchanged {path}")
        for path, why in self.skipped:
            lines.append(f"skipped {path}: {why}")
        if self.notes:
            lines.append("not mapped:")
            lines += [f"  - {line}" for line in self.grouped_notes()]
        lines.append(self.summary())
        return "\n".join(lines)

    def grouped_notes(self) -> list[str]:
        """One line per kind of note, naming every source id it concerns."""
        where: dict[str, list[str]] = {}
        for n in self.notes:
            where.setdefault(n.what, [])
            if n.where and n.where not in where[n.what]:
                where[n.what].append(n.where)
        return [f"{', '.join(ids)}: {what}" if ids else what for what, ids in where.items()]

    def summary(self) -> str:
        kinds = len(self.grouped_notes())
        parts = [f"{len(self.written)} written", f"{len(self.unchanged)} unchanged",
                 f"{len(self.skipped)} skipped",
                 f"{kinds} {'kind of thing' if kinds == 1 else 'kinds of things'} not mapped"]
        tail = (f"; check and build with --now {self.captured_at}"
                if self.captured_at else "")
        return f"imported from {self.source}: {', '.join(parts)}{tail}"
