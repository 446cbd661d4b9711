"""Services someone answers for: an owner, and a runbook."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Service
from .context import RuleContext
from .registry import Finding, rule


@rule("service-no-owner", "warning", ["service"], "a service has an owner")
def owner(ctx: RuleContext, svc: Service) -> Iterator[Finding]:
    if not svc.owner:
        yield Finding(svc.path, (), "service has no owner; add 'owner:' with the team that is "
                                    "paged for it")


@rule("service-no-runbook", "warning", ["service"],
      "a runbook covers the service (unless a runbook failed to load)")
def runbook(ctx: RuleContext, svc: Service) -> Iterator[Finding]:
    if svc.id in ctx.once(_covered) or ctx.once(_runbook_failed):
        return
    yield Finding(svc.path, (), f"no runbook covers this service; write one with `sevbook new "
                                f"runbook TITLE --service {svc.id}`")


def _covered(ctx: RuleContext) -> set[str]:
    return {s for rb in ctx.handbook.runbooks.values() for s in rb.services}


def _runbook_failed(ctx: RuleContext) -> bool:
    """A runbook that failed to load may be the one covering a service: say nothing then,
    rather than a warning that goes away once the runbook's own error is fixed."""
    runbooks_dir = ctx.doc_dir("runbook") + "/"
    return any(d.severity == "error" and d.file.startswith(runbooks_dir) for d in ctx.loaded)
