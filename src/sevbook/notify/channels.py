"""A configured channel: where it sends (secrets read from the environment only now), what
it sends for an event (one webhook call, or one mail per recipient), and its filter."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from ..config import ChannelOptions, NotifyOptions, Settings
from ..errors import DeliveryFailed
from .events import Event
from .http import check_url, post_json
from .mail import Recipient, Smtp, build_message, recipients, sender_address, shown
from .payloads import BUILDERS
from .state import PublicState
from .wording import message


@dataclass(frozen=True)
class Delivery:
    """One message of one channel: its body (JSON, or the e-mail) and how to send it."""

    channel: str
    event: Event
    to: str
    """'' for a webhook; the list address, or 'a subscriber' (never their address)."""
    body: Any
    send: Callable[[], object] = field(repr=False, compare=False)

    def shown_body(self) -> Any:
        """The body as --dry-run --format json shows it (a mail: subject and text)."""
        if hasattr(self.body, "get_body"):
            part = self.body.get_body(("plain",))
            return {"subject": str(self.body["Subject"]),
                    "text": part.get_content() if part is not None else ""}
        return self.body


class Target:
    """A channel made ready to send: the URL or the recipients and SMTP session.

    `problem` is set when its secrets or recipients are missing; a dry run still shows
    what it would send, a real run fails its deliveries with that message."""

    def __init__(self, opts: ChannelOptions, settings: Settings, limits: NotifyOptions):
        self.opts, self.settings, self.limits = opts, settings, limits
        self.url = ""
        self.recipients: list[Recipient] = []
        self.smtp: Smtp | None = None
        self.problem = ""
        try:
            self._resolve()
        except DeliveryFailed as e:
            self.problem = e.message

    def _resolve(self) -> None:
        o = self.opts
        if o.type == "email":
            self.recipients = recipients(o, self.settings)
            assert o.smtp is not None
            self.smtp = Smtp(o.smtp, self.limits.timeout)
            return
        assert o.url_env is not None
        value = os.environ.get(o.url_env)
        if value is None:
            raise DeliveryFailed(f"${o.url_env} is not set")
        self.url = check_url(value, o.url_env)

    def wants(self, event: Event) -> bool:
        """The channel's component filter (empty: every event)."""
        comps = self.opts.components
        return not comps or bool(set(comps) & set(event.component_ids))

    def deliveries(self, event: Event, state: PublicState) -> list[Delivery]:
        msg = message(event, state)
        o = self.opts
        if o.type != "email":
            body = BUILDERS[o.type](event, msg, state, o.unsubscribe)
            return [Delivery(o.name, event, "", body,
                             lambda: post_json(self.url, body, self.limits.timeout))]
        thread = f"incident.{event.incident.id}" if event.incident else f"component.{event.id}"
        out: list[Delivery] = []
        for r in self.recipients:
            if not r.wants(event.component_ids):
                continue
            m = build_message(msg, o, r.address, thread, f"{event.id}.{len(out)}")
            out.append(Delivery(o.name, event, shown(r), m, self._mailer(m, r.address)))
        return out

    def _mailer(self, m: EmailMessage, to: str) -> Callable[[], object]:
        smtp, sender = self.smtp, sender_address(self.opts)
        assert smtp is not None
        return lambda: smtp.send(m, sender, to)

    def unknown_components(self, state: PublicState) -> list[str]:
        ids = list(self.opts.components) + [c for r in self.recipients for c in r.components]
        return sorted({c for c in ids if c not in state.components})

    def close(self) -> None:
        if self.smtp is not None:
            self.smtp.close()
