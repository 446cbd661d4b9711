"""What a public record shows the world: its title on the status page."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Incident
from .context import RuleContext
from .registry import Finding, rule


@rule("public-title-missing", "warning", ["incident", "maintenance"],
      "a public record has a public_title, so the status page does not show its internal title")
def public_title(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    if not inc.public:
        return
    if inc.public_title is None:
        yield Finding(inc.path, ("public",),
                      f"public record without public_title: the status page would show the "
                      f"internal title '{inc.title}'; add public_title: with the words "
                      "customers should read (it may be the same)", {"title": inc.title})
    elif not inc.public_title.strip():
        yield Finding(inc.path, ("public_title",),
                      "public_title is empty, so the status page would show no title; write "
                      "the words customers should read", {"title": inc.title})
