"""Real receivers for the notify tests, on 127.0.0.1 only: an HTTP server (webhooks) and an
SMTP server (aiosmtpd), each started by a test and stopped after it, plus the example's
status page built at two moments (the page published before, and the one just built)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

from conftest import NOW
from sevbook.model import Handbook
from sevbook.status.build import build_status
from sevbook.status.public import public_view


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class WebhookServer:
    """Records every POST; `replies[path]` is a list of status codes answered in turn
    (then 204 No Content)."""

    received: list[Received] = field(default_factory=list)
    replies: dict[str, list[int]] = field(default_factory=dict)
    server: ThreadingHTTPServer | None = None

    def url(self, path: str) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def bodies(self, path: str) -> list[Any]:
        return [r.body for r in self.received if r.path == path]

    def start(self) -> WebhookServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                n = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(min(n, 10_000_000))
                owner.received.append(Received(self.path, dict(self.headers),
                                               json.loads(raw.decode("utf-8"))))
                queue = owner.replies.get(self.path, [])
                code = queue.pop(0) if queue else 204
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.timeout = 5
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mail:
    sender: str
    recipients: list[str]
    message: EmailMessage


class MailServer:
    """aiosmtpd on 127.0.0.1, keeping every message it receives."""

    def __init__(self, **kwargs: Any) -> None:
        from aiosmtpd.controller import Controller

        self.mails: list[Mail] = []
        owner = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                msg = message_from_bytes(envelope.original_content, policy=policy.default)
                owner.mails.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), msg))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, **kwargs)

    def start(self) -> MailServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


def set_notify(root: Path, notify: dict[str, Any], url: str = "https://status.example.com/"):
    """Put `notify` settings (and status.url) into the sevbook block of root/mkdocs.yml."""
    path = root / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    block = yaml.safe_dump({"notify": notify}, sort_keys=False)
    indented = "".join(f"      {line}\n" for line in block.splitlines())
    text = text.replace("        site_dir: site/status\n",
                        "        site_dir: site/status\n" + indented, 1)
    text = text.replace("url: https://status.example.com/", f"url: {url}", 1)
    path.write_text(text, encoding="utf-8")


def publish(handbook: Handbook, out: Path, now=NOW) -> Path:
    """Build the status page of `handbook` at `now` into `out` (replacing it)."""
    import shutil

    if out.exists():
        shutil.rmtree(out)
    build_status(public_view(handbook, now), out)
    return out


def edited(handbook: Handbook, change: Callable[[Handbook], None]) -> Handbook:
    hb = handbook.model_copy(deep=True)
    change(hb)
    return hb
