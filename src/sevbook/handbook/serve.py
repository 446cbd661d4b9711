"""`sevbook serve`: live preview of the handbook, with the status page under /status/.

The loop is MkDocs' own `mkdocs serve` (a temporary site folder, MkDocs' live-reload
server, a rebuild on every change), with what sevbook adds:

* every config it loads has its sevbook plugin prepared with `--now` (no environment
  variable is set for it);
* after each handbook build it renders every status page into the served folder (the
  default page at `status/`, each further page at `status/<id>/`, the internal page at
  `internal-status/`) from the model that build has just checked (a preview only:
  `sevbook build` keeps every site in a tree of its own);
* it only ever listens on a loopback address: the handbook is internal;
* every rebuild reuses the pages whose inputs did not change (the page cache of
  `reuse.py`, in the repository's `.cache/sevbook/pages/`, shared with `sevbook build`),
  so an edit re-renders the edited incident's page and the pages listing it; `--no-cache`
  renders every page.

The plugin's `on_serve` adds `incidents/`, `theme/`, `templates/` (the team's postmortem
template) and every status page's `locale_dir` (its catalogues) to what is watched.
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from ..config import StatusTree, load_settings
from ..errors import SevbookError
from .build import load_mkdocs_config
from .pagecache import page_cache_folder

log = logging.getLogger("mkdocs.sevbook.serve")


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
          status: bool = True, open_browser: bool = False, cache: bool = True,
          restricted: bool = False) -> None:
    """Serve `root`'s handbook until interrupted; rebuild on every change (for the
    restricted audience if `restricted`, then without the page cache)."""
    from mkdocs.exceptions import Abort, ConfigurationError

    host = check_loopback(host)
    if not (Path(root) / "mkdocs.yml").is_file():
        raise SevbookError(f"no mkdocs.yml in {root}; pass --root DIR")
    _log_like_mkdocs()
    try:
        Preview(Path(root), host, port, now, status, cache, restricted).run(open_browser)
    except (Abort, ConfigurationError) as e:
        raise SevbookError(f"handbook preview failed: {e}") from None


class Preview:
    """One preview session: its site folder, its address and how to rebuild."""

    def __init__(self, root: Path, host: str, port: int, now: datetime | None,
                 status: bool, cache: bool = True, restricted: bool = False) -> None:
        self.root, self.host, self.port, self.now, self.status = root, host, port, now, status
        self.restricted = restricted
        # a restricted preview never stores pages the handbook everyone reads could reuse
        self.page_cache = page_cache_folder(root) if cache and not restricted else None
        self.addr = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        self.site_dir = Path(tempfile.mkdtemp(prefix="sevbook-serve-"))
        self.mount_path = ""
        self.url = ""

    def config(self):
        """mkdocs.yml loaded afresh (as `mkdocs serve` does for each rebuild), prepared."""
        cfg = load_mkdocs_config(self.root, self.site_dir, self.now,
                                 page_cache=self.page_cache, restricted=self.restricted,
                                 dev_addr=self.addr)
        if not self.url:
            # Served under the path of site_url, as `mkdocs serve` does.
            path = urlsplit(cfg.site_url or "/").path.strip("/")
            self.mount_path = f"/{path}/" if path else "/"
            self.url = f"http://{self.addr}{self.mount_path}"
        cfg.site_url = self.url
        return cfg

    def build(self, config=None) -> None:
        """Build the handbook, then the status page preview from the same checked model."""
        from mkdocs.commands.build import build

        log.info("Building documentation...")
        config = config or self.config()
        build(config, serve_url=self.url)
        if self.status:
            self.build_status(config)

    def build_status(self, config) -> None:
        """Every status page, each under its preview path (`preview_path`)."""
        from ..status.build import build_status
        from ..status.pages import status_view

        plugin = config.plugins["sevbook"]
        if plugin.handbook is None or plugin.now is None:
            return
        for tree in plugin.handbook.settings.status_trees:
            out = Path(config.site_dir) / preview_path(tree)
            out.mkdir(parents=True, exist_ok=True)
            try:
                build_status(status_view(plugin.handbook, tree, plugin.now), out)
            except Exception as e:  # a preview must keep serving the handbook
                log.warning(f"{tree.label} preview failed: {type(e).__name__}: {e}")

    def run(self, open_browser: bool) -> None:
        from mkdocs.livereload import LiveReloadServer

        config = self.config()
        trees = load_settings(self.root).status_trees if self.status else ()
        log.info(f"sevbook: handbook at {self.url}" + "".join(
            f", {tree.label} preview at {self.url}{preview_path(tree)}" for tree in trees))
        config.plugins.on_startup(command="serve", dirty=False)
        server = LiveReloadServer(builder=self.build, host=self.host, port=self.port,
                                  root=str(self.site_dir), mount_path=self.mount_path)
        server.error_handler = self.error_page
        try:
            self.build(config)
            server.watch(config.docs_dir)
            if config.config_file_path:
                server.watch(config.config_file_path)
            server = config.plugins.on_serve(server, config=config, builder=self.build)
            for item in config.watch:
                server.watch(item)
            try:
                server.serve(open_in_browser=open_browser)
            except OSError as e:  # binding the port: in use, or not allowed
                raise SevbookError(_listen_failed(e, self.addr)) from None
            except KeyboardInterrupt:
                log.info("Shutting down...")
            finally:
                server.shutdown()
        finally:
            config.plugins.on_shutdown()
            shutil.rmtree(self.site_dir, ignore_errors=True)

    def error_page(self, code: int) -> bytes | None:
        """The site's own 404/500 page, as `mkdocs serve` shows it."""
        page = self.site_dir / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None


def preview_path(tree: StatusTree) -> str:
    """Where `sevbook serve` shows a status page: status/, status/<id>/, internal-status/."""
    if tree.internal:
        return "internal-status/"
    return f"status/{tree.name}/" if tree.name else "status/"


def _listen_failed(e: OSError, addr: str) -> str:
    if e.errno == errno.EADDRINUSE:
        return (f"{addr} is already in use (another `sevbook serve`?); stop it or pick "
                "another port with --port")
    return f"cannot listen on {addr}: {e.strerror or e}"


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
