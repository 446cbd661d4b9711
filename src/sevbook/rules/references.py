"""References between files: every severity, role, team, service and runbook named exists."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Handbook, Incident, Runbook, Service, SeverityMatrix
from ..model.oncall import ROTATION_TARGETS, OnCall
from ..model.severity import DecisionNode
from .context import RuleContext
from .registry import HANDBOOK, Finding, rule

INCIDENTS = ("incident", "maintenance")


# ------------------------------------------------------------------ severities
@rule("missing-file", "error", [HANDBOOK],
      "incidents exist but the severity matrix does not")
def missing_severity_matrix(ctx: RuleContext, hb: Handbook) -> Iterator[Finding]:
    if hb.severity is not None:
        return
    path = ctx.doc_path("severity")
    failed = any(d.file == path for d in ctx.loaded)
    if not failed and any(i.severity for i in hb.incidents.values()):
        yield Finding(path, (), "there is no severity matrix, so no incident's severity can "
                                "be checked; create it (`sevbook init` writes a starting point)")


def _unknown_severity(ctx: RuleContext, file: str, value: str) -> Finding:
    return Finding(file, ("severity",), f"severity '{value}' does not exist; use one of: "
                                        f"{ctx.ids('severity')}")


@rule("unknown-severity", "error", ["severity"],
      "every answer of the decision tree is a severity level or another question")
def decision_tree_levels(ctx: RuleContext, sev: SeverityMatrix) -> Iterator[Finding]:
    def walk(node: DecisionNode, path: tuple) -> Iterator[Finding]:
        for answer in ("yes", "no"):
            value = getattr(node, answer)
            if isinstance(value, str):
                if sev.level(value) is None:
                    yield Finding(sev.path, path + (answer,),
                                  f"severity '{value}' does not exist; use one of: "
                                  f"{ctx.ids('severity')}")
            else:
                yield from walk(value, path + (answer,))

    if sev.decision_tree is not None:
        yield from walk(sev.decision_tree, ("decision_tree",))


@rule("unknown-severity", "error", ["runbook"], "a runbook's severity is a level")
def runbook_severity(ctx: RuleContext, rb: Runbook) -> Iterator[Finding]:
    if rb.severity and ctx.handbook.severity and ctx.level(rb.severity) is None:
        yield _unknown_severity(ctx, rb.path, rb.severity)


@rule("unknown-severity", "error", INCIDENTS, "an incident's severity is a level")
def incident_severity(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    if inc.severity_history:
        return  # reported at each entry of the history (`record.history_levels`)
    if inc.severity is not None and ctx.handbook.severity and ctx.level(inc.severity) is None:
        yield _unknown_severity(ctx, inc.path, inc.severity)


# ------------------------------------------------------------------ roles
@rule("unknown-role", "error", ["severity"], "the roles a severity level requires exist")
def level_roles(ctx: RuleContext, sev: SeverityMatrix) -> Iterator[Finding]:
    for i, lv in enumerate(sev.levels):
        for j, r in enumerate(lv.roles):
            if r not in ctx.handbook.roles:
                yield Finding(sev.path, ("levels", i, "roles", j),
                              f"role '{r}' does not exist; add {ctx.doc_path('role', r)} or "
                              f"use one of: {ctx.ids('roles')}")


@rule("unknown-role", "error", INCIDENTS, "the roles an incident records exist")
def incident_roles(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    for r in inc.roles:
        if r not in ctx.handbook.roles:
            yield Finding(inc.path, ("roles", r),
                          f"role '{r}' does not exist; use one of: {ctx.ids('roles')}")


@rule("unknown-page-target", "error", ["severity"],
      "whom a severity level pages is a role, a team or a rotation target")
def page_targets(ctx: RuleContext, sev: SeverityMatrix) -> Iterator[Finding]:
    hb = ctx.handbook
    teams = hb.teams
    rotations = {r.id for r in hb.oncall.rotations} if hb.oncall else set()
    for i, lv in enumerate(sev.levels):
        for j, target in enumerate(lv.page):
            if target not in hb.roles and target not in teams and target not in ROTATION_TARGETS \
                    and target not in rotations:
                yield Finding(sev.path, ("levels", i, "page", j),
                              f"'{target}' is not a role, a team or a rotation target "
                              f"({', '.join(ROTATION_TARGETS)}); fix the id or declare it")


# ------------------------------------------------------------------ teams
@rule("duplicate-id", "error", ["oncall"], "team ids are unique")
def duplicate_teams(ctx: RuleContext, oncall: OnCall) -> Iterator[Finding]:
    seen: set[str] = set()
    for i, t in enumerate(oncall.teams):
        if t.id in seen:
            yield Finding(oncall.path, ("teams", i, "id"),
                          f"team id '{t.id}' is declared twice; remove or rename one")
        seen.add(t.id)


def _unknown_team(ctx: RuleContext, file: str, path: tuple, owner: str | None,
                  ) -> Iterator[Finding]:
    teams = ctx.handbook.teams
    if owner and teams and owner not in teams:
        yield Finding(file, path, f"team '{owner}' is not declared in {ctx.doc_path('oncall')}; "
                                  f"use one of: {', '.join(teams)}")


@rule("unknown-team", "error", ["service", "runbook"],
      "the owner of a service or runbook is a declared team")
def document_owner(ctx: RuleContext, doc: Service | Runbook) -> Iterator[Finding]:
    yield from _unknown_team(ctx, doc.path, ("owner",), doc.owner)


@rule("unknown-team", "error", INCIDENTS, "the owner of an action item is a declared team")
def action_item_owner(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    for j, ai in enumerate(inc.action_items):
        yield from _unknown_team(ctx, inc.path, ("action_items", j, "owner"), ai.owner)


# ------------------------------------------------------------------ services
@rule("unknown-service", "error", ["service"], "the services a service depends on exist")
def dependencies(ctx: RuleContext, svc: Service) -> Iterator[Finding]:
    for j, dep in enumerate(svc.depends_on):
        if dep not in ctx.handbook.services:
            yield Finding(svc.path, ("depends_on", j),
                          f"service '{dep}' does not exist; add "
                          f"{ctx.doc_path('service', dep)} or fix the id")


@rule("self-dependency", "error", ["service"], "a service does not depend on itself")
def self_dependency(ctx: RuleContext, svc: Service) -> Iterator[Finding]:
    for j, dep in enumerate(svc.depends_on):
        if dep == svc.id and dep in ctx.handbook.services:
            yield Finding(svc.path, ("depends_on", j),
                          "a service cannot depend on itself; remove this entry")


def _unknown_services(ctx: RuleContext, file: str, key: str, ids: list[str],
                      ) -> Iterator[Finding]:
    for j, s in enumerate(ids):
        if s not in ctx.handbook.services:
            yield Finding(file, (key, j),
                          f"service '{s}' does not exist; use one of: {ctx.ids('services')}")


@rule("unknown-service", "error", ["runbook"], "the services a runbook covers exist")
def runbook_services(ctx: RuleContext, rb: Runbook) -> Iterator[Finding]:
    yield from _unknown_services(ctx, rb.path, "services", rb.services)


@rule("unknown-service", "error", INCIDENTS,
      "the services an incident affects and the components its updates name exist")
def incident_services(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    yield from _unknown_services(ctx, inc.path, "services", inc.services)
    for j, up in enumerate(inc.updates):
        for comp in up.components:
            if comp not in ctx.handbook.services:
                yield Finding(inc.path, ("updates", j, "components", comp),
                              f"service '{comp}' does not exist; use one of: "
                              f"{ctx.ids('services')}")


@rule("not-a-component", "error", INCIDENTS,
      "the components an update names are on the status page")
def update_components(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    for j, up in enumerate(inc.updates):
        for comp in up.components:
            svc = ctx.handbook.services.get(comp)
            if svc is not None and svc.status_page is None:
                yield Finding(inc.path, ("updates", j, "components", comp),
                              f"service '{comp}' is not on the status page; add a status_page "
                              f"block to {svc.path} or remove it from this update")


# ------------------------------------------------------------------ runbooks
@rule("unknown-runbook", "error", INCIDENTS, "the runbooks an incident used exist")
def incident_runbooks(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    for j, r in enumerate(inc.runbooks):
        if r not in ctx.handbook.runbooks:
            yield Finding(inc.path, ("runbooks", j),
                          f"runbook '{r}' does not exist; use one of: {ctx.ids('runbooks')}")
