"""Rules of the content model v2 keys of an incident: severity history, related incidents,
impact phases, declared custom fields and action item links (`sevbook.model.record`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from ..config import CustomField
from ..model import Incident
from .context import RuleContext, iso
from .registry import Finding, rule

INCIDENTS = ("incident", "maintenance")


@rule("unknown-severity", "error", ["incident"],
      "every level of an incident's severity_history is a level")
def history_levels(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    if ctx.handbook.severity is None:
        return
    for j, change in enumerate(inc.severity_history):
        if ctx.level(change.severity) is None:
            yield Finding(inc.path, ("severity_history", j, "severity"),
                          f"severity '{change.severity}' does not exist; use one of: "
                          f"{ctx.ids('severity')}")


@rule("out-of-order", "error", ["incident"], "severity_history is chronological")
def history_in_order(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    hist = inc.severity_history
    for j in range(1, len(hist)):
        if hist[j].at < hist[j - 1].at:
            yield Finding(inc.path, ("severity_history", j, "at"),
                          f"severity_history[{j}] at {iso(hist[j].at)} is earlier than the "
                          f"change before it ({iso(hist[j - 1].at)}); keep the changes in "
                          "the order they were made")


@rule("unknown-incident", "error", INCIDENTS,
      "the incidents a record names under related: exist and are not the record itself")
def related_exist(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    for j, rel in enumerate(inc.related):
        if rel.incident == inc.id:
            yield Finding(inc.path, ("related", j, "incident"),
                          f"an incident cannot be {rel.relation.lower_label} itself; name "
                          "another incident's id")
        elif rel.incident not in ctx.handbook.incidents:
            yield Finding(inc.path, ("related", j, "incident"),
                          f"incident '{rel.incident}' does not exist; use the id of a file in "
                          f"{ctx.handbook.settings.incidents_dir}/ (its name without .md)")


@rule("unknown-service", "error", INCIDENTS, "the components of impact phases are services")
def impact_services(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    for j, phase in enumerate(inc.impact):
        if phase.component not in ctx.handbook.services:
            yield Finding(inc.path, ("impact", j, "component"),
                          f"service '{phase.component}' does not exist; use one of: "
                          f"{ctx.ids('services')}")


# ------------------------------------------------------------------ custom fields
def _declared(ctx: RuleContext) -> dict[str, CustomField]:
    return {f.name: f for f in ctx.handbook.settings.incident_fields}


@rule("unknown-field", "error", INCIDENTS,
      "every key under fields: is a custom field declared in mkdocs.yml (incident_fields)")
def undeclared_fields(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    declared = _declared(ctx)
    for name in inc.fields:
        if name not in declared:
            known = ", ".join(declared) or "(none declared)"
            yield Finding(inc.path, ("fields", name),
                          f"custom field '{name}' is not declared; declare it under "
                          f"incident_fields: in mkdocs.yml or use one of: {known}")


def _value_problem(spec: CustomField, value: Any) -> str | None:
    """What is wrong with `value` for the declared field, or None."""
    if spec.type == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else f"expected a number, got {value!r}"
    if spec.type == "list":
        if not isinstance(value, list):
            return f"expected a list, got {value!r}"
        bad = [v for v in value if spec.choices and v not in spec.choices]
        return (f"{bad[0]!r} is not allowed; use one of: {', '.join(spec.choices)}"
                if bad else None)
    if not isinstance(value, str):
        return f"expected text, got {value!r}"
    if spec.type == "choice" and value not in spec.choices:
        return f"{value!r} is not allowed; use one of: {', '.join(spec.choices)}"
    return None


@rule("bad-field-value", "error", INCIDENTS,
      "each custom field's value has its declared type (text, number, choice, list)")
def field_values(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    declared = _declared(ctx)
    for name, value in inc.fields.items():
        spec = declared.get(name)
        if spec is None:
            continue  # unknown-field
        problem = _value_problem(spec, value)
        if problem is not None:
            yield Finding(inc.path, ("fields", name),
                          f"custom field '{name}' ({spec.type}): {problem}")


@rule("missing-field", "warning", ["incident"],
      "an incident sets every custom field required at its severity (required_from)")
def required_fields(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    sev = ctx.handbook.severity
    if sev is None or ctx.level(inc.severity) is None:
        return
    for spec in ctx.handbook.settings.incident_fields:
        if spec.required_from is None or spec.name in inc.fields:
            continue
        if sev.rank(inc.severity) <= sev.rank(spec.required_from):
            yield Finding(inc.path, ("fields",),
                          f"custom field '{spec.name}' is required from {spec.required_from} "
                          f"and this incident is {inc.severity}; add it under fields:, e.g. "
                          f"{spec.name}: {_example(spec)}", {"field": spec.name})


def _example(spec: CustomField) -> str:
    if spec.choices:
        return spec.choices[0] if spec.type == "choice" else f"[{spec.choices[0]}]"
    return {"number": "0", "list": "[...]"}.get(spec.type, "...")


# ------------------------------------------------------------------ action items
@rule("action-item-link", "warning", ["incident"], "an action item's link is an http(s) URL")
def action_item_links(ctx: RuleContext, inc: Incident) -> Iterator[Finding]:
    for j, ai in enumerate(inc.action_items):
        if ai.link is None:
            continue
        parts = urlsplit(ai.link.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            yield Finding(inc.path, ("action_items", j, "link"),
                          f"action item '{ai.title}' links to {ai.link!r}, which is not an "
                          "http(s) URL; link the ticket, like https://tracker.example.com/T-1")
