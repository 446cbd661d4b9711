"""E-mail: who receives it, the message (text and HTML), and the SMTP session.

Recipients are a list address (`to:`, one message per event) and/or subscribers, each
`address [component ...]`, read from an environment variable (`subscribers_env`) or a file
(`subscribers_file`) that lies outside the published folders; subscriber addresses are
never printed (the summary and --dry-run count them). Every subscriber gets a message of
their own, so no one sees another's address.
"""

from __future__ import annotations

import html
import os
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from ..config import ChannelOptions, Settings, SmtpOptions
from ..errors import DeliveryFailed
from .wording import Message, text

ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
MAX_SUBSCRIBERS_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Recipient:
    address: str
    components: tuple[str, ...] = ()
    """Only events about these components; empty: all."""
    subscriber: bool = True
    """False for the list address (`to:`), which may be shown."""

    def wants(self, component_ids: tuple[str, ...]) -> bool:
        return not self.components or bool(set(self.components) & set(component_ids))


def parse_subscribers(textual: str, where: str) -> list[Recipient]:
    """Subscribers, one per line or separated by ';': an address, then optionally the
    component ids it wants (spaces or commas between them). `#` starts a comment."""
    out = []
    for n, entry in enumerate(re.split(r"[\n;]", textual), start=1):
        words = [w for w in re.split(r"[\s,]+", entry.split("#", 1)[0].strip()) if w]
        if not words:
            continue
        if not ADDRESS.match(words[0]):
            raise DeliveryFailed(f"{where}: entry {n} is not an e-mail address")
        out.append(Recipient(words[0], tuple(words[1:])))
    return out


def _inside(path: Path, folder: Path) -> bool:
    real, top = Path(os.path.realpath(path)), Path(os.path.realpath(folder))
    return real == top or real.is_relative_to(top)


def _published_folders(settings: Settings) -> list[Path]:
    return [*(settings.tree_site(t) for t in settings.status_trees), settings.handbook_site,
            settings.content_path, settings.incidents_path, settings.root / "theme"]


def recipients(channel: ChannelOptions, settings: Settings) -> list[Recipient]:
    """Everyone the channel writes to; DeliveryFailed when a source is missing or unsafe."""
    out = []
    if channel.to:
        out.append(Recipient(channel.to, subscriber=False))
    if channel.subscribers_env:
        value = os.environ.get(channel.subscribers_env)
        if value is None:
            raise DeliveryFailed(f"${channel.subscribers_env} is not set")
        out += parse_subscribers(value, f"${channel.subscribers_env}")
    if channel.subscribers_file:
        path = (settings.root / channel.subscribers_file).expanduser()
        if any(_inside(path, f) for f in _published_folders(settings)):
            raise DeliveryFailed(f"subscribers_file {channel.subscribers_file} lies in a "
                                 "folder that is published or built into a site; keep it "
                                 "outside (for example written from a secret to $RUNNER_TEMP)")
        try:
            if path.stat().st_size > MAX_SUBSCRIBERS_BYTES:
                raise DeliveryFailed(f"subscribers_file {channel.subscribers_file} is larger "
                                     f"than {MAX_SUBSCRIBERS_BYTES // 2**20} MB")
            out += parse_subscribers(path.read_text(encoding="utf-8"),
                                     f"subscribers_file {channel.subscribers_file}")
        except (OSError, UnicodeDecodeError) as e:
            raise DeliveryFailed(f"subscribers_file {channel.subscribers_file} cannot be "
                                 f"read ({getattr(e, 'strerror', None) or e})") from None
    return out


def _one_line(value: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f]+", " ", value).strip()


def _html(msg: Message, footer: str) -> str:
    esc = html.escape
    rows = [f"<p><strong>Status:</strong> {esc(msg.status_label)}</p>"]
    if msg.affected:
        rows.append(f"<p><strong>Affected:</strong> {esc(', '.join(msg.affected))}</p>")
    rows.append(f"<p><strong>Posted:</strong> {esc(msg.when)}</p>")
    body = "".join(f"<p>{esc(p)}</p>" for p in msg.body.split("\n\n") if p.strip())
    link = (f'<p><a href="{esc(msg.url, quote=True)}">View on {esc(msg.page_name)}</a></p>'
            if msg.url else "")
    return ("<!DOCTYPE html>\n<html><body>"
            f"<h1 style=\"font-size:1.25em\">{esc(msg.headline)}</h1>{''.join(rows)}{body}"
            f"{link}<hr><p style=\"font-size:0.85em\">{esc(footer)}</p></body></html>\n")


def build_message(msg: Message, channel: ChannelOptions, to: str, thread: str,
                  event_id: str) -> EmailMessage:
    """One e-mail: multipart/alternative (text, then HTML), List-Unsubscribe, and the
    incident as its thread (`References`), so a mail client groups its updates."""
    host = urlsplit(msg.page_url).hostname or "sevbook.invalid"
    unsubscribe = channel.unsubscribe
    footer = (f"You receive this because you subscribed to {msg.page_name}. "
              f"Unsubscribe: {unsubscribe}")
    mail = EmailMessage()
    mail["Subject"] = _one_line(f"[{msg.page_name}] {msg.headline}")
    mail["From"] = _one_line(channel.sender)
    mail["To"] = to
    mail["Date"] = format_datetime(msg.at)
    mail["Message-ID"] = f"<{re.sub(r'[^A-Za-z0-9.-]', '.', event_id)}@{host}>"
    mail["References"] = f"<{thread}@{host}>"
    mail["List-Id"] = f"{_one_line(msg.page_name)} <status.{host}>"
    mail["List-Unsubscribe"] = f"<{unsubscribe}>"
    if unsubscribe.startswith("https://"):
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(text(msg, footer))
    mail.add_alternative(_html(msg, footer), subtype="html")
    return mail


def sender_address(channel: ChannelOptions) -> str:
    name, addr = parseaddr(channel.sender)
    return addr or channel.sender


class Smtp:
    """One SMTP session per channel run, opened on first use, reopened after a failure."""

    def __init__(self, opts: SmtpOptions, timeout: float):
        self.opts, self.timeout = opts, timeout
        self.conn: smtplib.SMTP | None = None

    def _credentials(self) -> tuple[str, str] | None:
        names = (self.opts.username_env, self.opts.password_env)
        if not any(names):
            return None
        values = []
        for name in names:
            if not name or os.environ.get(name) is None:
                raise DeliveryFailed(f"${name or 'username_env/password_env'} is not set")
            values.append(os.environ[name])
        return values[0], values[1]

    def _open(self) -> smtplib.SMTP:
        o, context = self.opts, ssl.create_default_context()
        port = o.default_port
        conn: smtplib.SMTP
        if o.security == "ssl":
            conn = smtplib.SMTP_SSL(o.host, port, timeout=self.timeout, context=context)
        else:
            conn = smtplib.SMTP(o.host, port, timeout=self.timeout)
            if o.security == "starttls":
                conn.starttls(context=context)
        creds = self._credentials()
        if creds:
            conn.login(*creds)
        return conn

    def send(self, mail: EmailMessage, sender: str, to: str) -> None:
        try:
            if self.conn is None:
                self.conn = self._open()
            self.conn.send_message(mail, from_addr=sender, to_addrs=[to])
        except smtplib.SMTPResponseException as e:
            self.close()
            raise DeliveryFailed(f"SMTP {e.smtp_code}", retry=400 <= e.smtp_code < 500) from None
        except smtplib.SMTPRecipientsRefused:
            raise DeliveryFailed("SMTP refused the recipient") from None
        except (TimeoutError, smtplib.SMTPException, ssl.SSLError, OSError) as e:
            self.close()
            raise DeliveryFailed(f"SMTP {type(e).__name__}: {e}", retry=True) from None

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (smtplib.SMTPException, OSError):
                self.conn.close()
            self.conn = None


def shown(recipient: Recipient) -> str:
    """How a recipient appears in output: a list address as written, a subscriber never."""
    return recipient.address if not recipient.subscriber else "a subscriber"
