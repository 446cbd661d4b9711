"""The JSON body each webhook channel gets, in its receiver's native format.

* `webhook`: Statuspage's webhook payload (`meta`, `page`, then `incident` with its
  `incident_updates`, or `component_update` with `component`), so receivers built for
  Statuspage work unchanged; the incident object is the page's own API object as of the
  update the event is about.
* `slack`: an incoming-webhook message (`text` fallback plus Block Kit blocks).
* `teams`: a Microsoft Teams workflow ("When a Teams webhook request is received") message
  with one Adaptive Card attachment.
* `discord`: an execute-webhook body with one embed; `allowed_mentions` is empty so an
  update's text can never ping anyone.

Texts are cut to each service's documented limits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..times import utc_z
from .events import Event
from .state import PublicState
from .wording import Message

STATUSPAGE_DOCS = "https://support.atlassian.com/statuspage/docs/enable-webhook-notifications/"
Payload = dict[str, Any]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _incident_as_of(event: Event) -> dict[str, Any]:
    """The incident's API object as it stood at the event's update (later updates of the
    same run are their own events)."""
    assert event.incident is not None
    doc = dict(event.incident.doc)
    if event.update is None:
        return doc
    ups = [u for u in event.incident.updates if (u.at, u.id) <= (event.update.at, event.update.id)]
    doc["incident_updates"] = [dict(u.doc) for u in reversed(ups)]
    doc["status"] = event.update.status
    doc["updated_at"] = utc_z(event.update.at)
    if event.update.status not in ("resolved", "completed"):
        doc["resolved_at"] = None
    return doc


def statuspage(event: Event, msg: Message, state: PublicState, unsubscribe: str) -> Payload:
    out: Payload = {
        "meta": {"unsubscribe": unsubscribe or msg.page_url, "documentation": STATUSPAGE_DOCS},
        "page": {"id": state.page.get("id"), "status_indicator": state.indicator,
                 "status_description": state.description},
    }
    if event.component is not None:
        comp = event.component
        out["component_update"] = {
            "created_at": utc_z(event.at), "new_status": comp.status,
            "old_status": event.old_status, "id": event.id, "component_id": comp.id}
        out["component"] = {"created_at": comp.doc.get("created_at"), "id": comp.id,
                            "name": comp.name, "status": comp.status}
    else:
        out["incident"] = _incident_as_of(event)
    return out


def _slack_escape(text: str) -> str:
    """Slack reads &, < and > as markup (`<!channel>` would ping everyone)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack(event: Event, msg: Message, state: PublicState, unsubscribe: str) -> Payload:
    facts = [f"*{_slack_escape(msg.status_label)}*", _slack_escape(msg.when)]
    if msg.affected:
        facts.append("Affected: " + _slack_escape(", ".join(msg.affected)))
    blocks: list[Payload] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(msg.headline, 150)}},
    ]
    if msg.body:
        blocks.append({"type": "section",
                       "text": {"type": "mrkdwn", "text": _cut(_slack_escape(msg.body), 3000)}})
    if msg.url:
        facts.append(f"<{msg.url}|View on {_slack_escape(msg.page_name)}>")
    blocks.append({"type": "context",
                   "elements": [{"type": "mrkdwn", "text": _cut(" · ".join(facts), 3000)}]})
    fallback = f"{msg.headline} {msg.url}".strip()
    return {"text": _slack_escape(_cut(fallback, 3000)), "blocks": blocks,
            "unfurl_links": False, "unfurl_media": False}


def teams(event: Event, msg: Message, state: PublicState, unsubscribe: str) -> Payload:
    facts = [{"title": "Status", "value": msg.status_label}, {"title": "Posted", "value": msg.when}]
    if msg.affected:
        facts.append({"title": "Affected", "value": ", ".join(msg.affected)})
    body: list[Payload] = [
        {"type": "TextBlock", "text": msg.headline, "weight": "Bolder", "size": "Medium",
         "wrap": True},
        {"type": "FactSet", "facts": facts},
    ]
    if msg.body:
        body.insert(1, {"type": "TextBlock", "text": msg.body, "wrap": True})
    card: Payload = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                     "type": "AdaptiveCard", "version": "1.4", "body": body}
    if msg.url:
        card["actions"] = [{"type": "Action.OpenUrl", "title": f"View on {msg.page_name}",
                            "url": msg.url}]
    return {"type": "message", "attachments": [
        {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None,
         "content": card}]}


def discord(event: Event, msg: Message, state: PublicState, unsubscribe: str) -> Payload:
    embed: Payload = {"title": _cut(msg.headline, 256),
                      "description": _cut(msg.body or msg.status_label, 4096),
                      "color": int(msg.state.colour.lstrip("#"), 16),
                      "timestamp": utc_z(msg.at),
                      "fields": [{"name": "Status", "value": _cut(msg.status_label, 1024),
                                  "inline": True}],
                      "footer": {"text": _cut(msg.page_name, 2048)}}
    if msg.affected:
        embed["fields"].append({"name": "Affected", "value": _cut(", ".join(msg.affected), 1024),
                                "inline": True})
    if msg.url:
        embed["url"] = msg.url
    return {"embeds": [embed], "allowed_mentions": {"parse": []}}


BUILDERS: dict[str, Callable[[Event, Message, PublicState, str], Payload]] = {
    "webhook": statuspage, "slack": slack, "teams": teams, "discord": discord}
"""Channel type -> the function that builds its JSON body."""
