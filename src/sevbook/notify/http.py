"""POSTing a JSON body to a webhook (standard library only), and retrying with backoff.

A 2xx is delivered; a redirect is a failure (as Statuspage treats it: a webhook URL that
moved must be updated, and following it could send the body somewhere unintended); a 5xx,
429, timeout or lost connection may be retried; any other 4xx is final. Error messages
never contain the URL, which is the secret of most webhooks.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from .. import __version__
from ..errors import DeliveryFailed

T = TypeVar("T")
MAX_WAIT = 60.0
"""Longest wait between two attempts (also caps a receiver's Retry-After)."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def check_url(url: str, env: str) -> str:
    """`url` (read from the environment variable `env`) if it is an http(s) URL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise DeliveryFailed(f"${env} does not hold an http(s) URL")
    return url.strip()


def _retry_after(err: urllib.error.HTTPError) -> float | None:
    value = err.headers.get("Retry-After") if err.headers else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def post_json(url: str, body: Any, timeout: float) -> int:
    """POST `body` as JSON; the HTTP status on success, else DeliveryFailed."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": f"sevbook-notify/{__version__}"})
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            resp.read(65536)
            return int(resp.status)
    except urllib.error.HTTPError as e:
        code = e.code
        e.close()
        if 300 <= code < 400:
            raise DeliveryFailed(f"HTTP {code} (a redirect; update the URL)") from None
        raise DeliveryFailed(f"HTTP {code}", retry=code >= 500 or code == 429,
                             retry_after=_retry_after(e) if code == 429 else None) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as e:
        reason = getattr(e, "reason", None) or e
        raise DeliveryFailed(f"no response ({type(reason).__name__}: {reason})",
                             retry=True) from None


def with_retries(attempt: Callable[[], T], retries: int, backoff: float,
                 sleep: Callable[[float], None] = time.sleep) -> tuple[T, int]:
    """Run `attempt` until it succeeds or fails for good: at most 1 + `retries` times,
    waiting `backoff`, 2×, 4×, ... seconds (at most MAX_WAIT) between them. Returns the
    result and how many attempts it took; raises the last DeliveryFailed."""
    tries = 0
    while True:
        tries += 1
        try:
            return attempt(), tries
        except DeliveryFailed as e:
            if not e.retry or tries > retries:
                e.message = f"{e.message} (after {tries} attempt{'s' if tries > 1 else ''})"
                raise
            wait = e.retry_after if e.retry_after is not None else backoff * 2 ** (tries - 1)
            sleep(min(max(wait, 0.0), MAX_WAIT))
