"""A generated page, or the generated parts of a page that exists as a file.

Several generators may add to the same path (a metrics generator appends an error-budget
section to every service page): their parts are merged with `Page.merge`. When the
docs_dir already holds a file at a path (the structured `severity.md`, `roles/<id>.md`,
..., or a hand-written `incidents/index.md`), its prose is kept and the generated parts go
around it: `above` right after its `# Title`, `below` after the prose.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import md


@dataclass
class Page:
    """A page to add, or the parts to put around the prose of the file at `path`."""

    path: str
    title: str
    top: str = ""
    """Right after the `# Title`, before everything else (the page's check warnings)."""
    above: str = ""
    below: str = ""
    in_nav: bool = True
    after_lead: bool = False
    """Put `above` after the prose's opening paragraphs (before its first `##`)."""
    wide: bool = False
    """A page of wide tables: a hint to the theme to give it the full width (no TOC)."""

    def markdown(self, prose: str | None = None) -> str:
        """The full page: `# title`, the generated parts, and the prose between them."""
        heading, rest = md.split_h1(prose or "")
        lead = ""
        if self.after_lead:
            lead, rest = md.split_lead(rest)
        parts = [f"# {heading or md.text(self.title)}\n", self.top, lead, self.above, rest,
                 self.below]
        return "\n".join(p.strip("\n") + "\n" for p in parts if p and p.strip())

    def merge(self, other: Page) -> None:
        self.top = _cat(self.top, other.top)
        self.above = _cat(self.above, other.above)
        self.below = _cat(self.below, other.below)
        self.in_nav = self.in_nav and other.in_nav
        self.after_lead = self.after_lead or other.after_lead
        self.wide = self.wide or other.wide


def _cat(a: str, b: str) -> str:
    if not a.strip():
        return b
    if not b.strip():
        return a
    return a.rstrip("\n") + "\n\n" + b.lstrip("\n")
