"""`sevbook serve`: live preview of the handbook, with the status page under /status/.

It is `mkdocs serve` with two additions made by the plugin: `incidents/` and `theme/` are
watched too, and after each rebuild the status page is rendered into the served folder's
`status/` (a preview only: `sevbook build` keeps the two sites in separate trees). It only
ever listens on a loopback address: the handbook is internal.
"""

from __future__ import annotations

import ipaddress
import logging
import os
from datetime import datetime
from pathlib import Path

from ..diagnostics import SevbookError

SERVE_STATUS_ENV = "SEVBOOK_SERVE_STATUS"


def check_loopback(host: str) -> str:
    """Refuse anything but a loopback address."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        if ipaddress.ip_address(host).is_loopback:
            return host
    except ValueError:
        pass
    raise SevbookError(f"refusing to serve the internal handbook on {host!r}; use a loopback "
                       "address such as 127.0.0.1 (publish the built site/ instead)")


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, now: datetime | None = None,
          status: bool = True, open_browser: bool = False) -> None:
    """Serve `root`'s handbook until interrupted; rebuild on every change."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import Abort, ConfigurationError

    host = check_loopback(host)
    config_file = Path(root) / "mkdocs.yml"
    if not config_file.is_file():
        raise SevbookError(f"no mkdocs.yml in {root}; pass --root DIR")
    if now is not None:
        os.environ["SEVBOOK_NOW"] = now.isoformat()
    os.environ[SERVE_STATUS_ENV] = "1" if status else ""
    addr = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    _log_like_mkdocs()
    url = f"http://{addr}/"
    logging.getLogger("mkdocs").info(
        f"sevbook: handbook at {url}" + (f", status page preview at {url}status/" if status else ""))
    try:
        mkdocs_serve(config_file=str(config_file), livereload=True, dev_addr=addr,
                     open_in_browser=open_browser)
    except (Abort, ConfigurationError) as e:
        raise SevbookError(f"handbook preview failed: {e}") from None


def _log_like_mkdocs() -> None:
    """Show MkDocs' progress lines (Building..., Serving on ...) as `mkdocs serve` does."""
    from mkdocs.__main__ import ColorFormatter

    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_sevbook", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(ColorFormatter())
        handler._sevbook = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
