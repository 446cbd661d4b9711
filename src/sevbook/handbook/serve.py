"""`sevbook serve`: live preview of the handbook, with the status page under /status/.

The loop is MkDocs' own `mkdocs serve` (a temporary site folder, MkDocs' live-reload
server, a rebuild on every change), with what sevbook adds:

* every config it loads has its sevbook plugin prepared with `--now` (no environment
  variable is set for it);
* after each handbook build it renders every status page into the served folder (the
  default page at `status/`, each further page at `status/<id>/`, the internal page at
  `internal-status/`) from the model that build has just checked (a preview only:
  `sevbook build` keeps every site in a tree of its own); a status page whose inputs did
  not change is moved over from the previous rebuild instead (`statuspreview.py`);
* every rebuild is made in a folder other than the one served, and served once the
  handbook and the status pages are all in it. Until then, and when a rebuild fails, the
  last complete preview stays served (MkDocs' own loop empties the one folder it serves
  before each rebuild, file by file). The folder a rebuild stops serving is the one the
  next rebuild writes into, over its files, and what that rebuild did not write is then
  removed (`recycle.py`: creating every page's file afresh after deleting the last
  ones cost more each time). Folders no longer needed are removed by a process of their
  own (a thread deleting a site's files would hold the interpreter against the rebuild);
* it only ever listens on a loopback address: the handbook is internal;
* every rebuild reuses the pages whose inputs did not change (the page cache of
  `reuse.py`, in the repository's `.cache/sevbook/pages/`, shared with `sevbook build`),
  so an edit re-renders the edited incident's page and the pages listing it, and loads
  the sources through the content cache (`cache.py`) as `sevbook build` does;
  `--no-cache` renders every page and parses every file.

The plugin's `on_serve` adds `incidents/`, `theme/`, `templates/` (the team's postmortem
template) and every status page's `locale_dir` (its catalogues) to what is watched.
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..config import load_settings
from ..errors import SevbookError
from .build import load_mkdocs_config
from .pagecache import page_cache_folder
from .recycle import kept_files, prune, stamp
from .session import Session
from .statuspreview import StatusPreviews, preview_path

log = logging.getLogger("mkdocs.sevbook.serve")

REMOVE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
"""What the process `Preview._remove` starts runs (its folder is the one argument)."""


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
    """One preview session: its site folders, its address and how to rebuild."""

    def __init__(self, root: Path, host: str, port: int, now: datetime | None,
                 status: bool, cache: bool = True, restricted: bool = False) -> None:
        self.root, self.host, self.port, self.now, self.status = root, host, port, now, status
        self.restricted = restricted
        self.cache = cache
        # a restricted preview never stores pages the handbook everyone reads could reuse
        self.page_cache = page_cache_folder(root) if cache and not restricted else None
        self.addr = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        self.folder = Path(tempfile.mkdtemp(prefix="sevbook-serve-"))
        """Holds one site folder per rebuild (`1/`, `2/`, ...) while it is served."""
        self._builds = 0
        self.site_dir = self._new_site_dir()
        """The folder being served."""
        self.spare: Path | None = None
        """The folder the last rebuild stopped serving: the next rebuild writes into it."""
        self.server: Any = None
        self.statuses = StatusPreviews()
        self.session = Session() if cache else None
        self._removals: list[subprocess.Popen[bytes]] = []
        self.mount_path = ""
        self.url = ""

    def _new_site_dir(self) -> Path:
        self._builds += 1
        path = self.folder / str(self._builds)
        path.mkdir()
        return path

    def config(self, site_dir: Path | None = None):
        """mkdocs.yml loaded afresh (as `mkdocs serve` does for each rebuild), prepared to
        build into `site_dir` (default: the served folder)."""
        cfg = load_mkdocs_config(self.root, site_dir or self.site_dir, self.now,
                                 page_cache=self.page_cache, restricted=self.restricted,
                                 content_cache=self.cache, session=self.session,
                                 dev_addr=self.addr)
        if not self.url:
            # Served under the path of site_url, as `mkdocs serve` does.
            path = urlsplit(cfg.site_url or "/").path.strip("/")
            self.mount_path = f"/{path}/" if path else "/"
            self.url = f"http://{self.addr}{self.mount_path}"
        cfg.site_url = self.url
        return cfg

    def build(self, config=None) -> None:
        """Build the handbook, then the status page preview from the same checked model;
        without `config` (a rebuild), into the spare folder (or a fresh one), served once
        complete."""
        from mkdocs.commands.build import build

        log.info("Building documentation...")
        if config is None:
            out, self.spare = (self.spare or self._new_site_dir()), None
            config = self.config(out)
        out = Path(config.site_dir)
        try:
            if out == self.site_dir:  # the first build
                build(config, serve_url=self.url)
                if self.status:
                    self.build_status(config)
            else:
                since = stamp(out)
                with kept_files():
                    build(config, serve_url=self.url)
                if self.status:
                    self.build_status(config, self.site_dir, since)
                prune(out, since, skip=self.statuses.moved if self.status else ())
        except BaseException:
            if out != self.site_dir:
                self.spare = out  # the next rebuild writes over what this one left
            raise
        if out != self.site_dir:
            self.spare, self.site_dir = self.site_dir, out
            if self.server is not None:
                self.server.root = str(out)

    def build_status(self, config, previous: Path | None = None,
                     since: int | None = None) -> None:
        """Every status page, each under its preview path (`preview_path`); those whose
        inputs did not change since the rebuild in the folder `previous` are moved over.
        `since`: the site folder is an older one written over since then (`recycle.py`)."""
        plugin = config.plugins["sevbook"]
        if plugin.handbook is None or plugin.now is None:
            self.statuses.moved = []
            return
        self.statuses.build(plugin.handbook, plugin.handbook.settings.status_trees,
                            plugin.now, Path(config.site_dir), previous, since,
                            self._discard)

    def _discard(self, tree: Path) -> None:
        """Move `tree` (an older status page in the folder being rebuilt) out of the way,
        to be removed in the background."""
        self._builds += 1
        trash = self.folder / f"removed-{self._builds}"
        os.replace(tree, trash)
        self._remove(trash)

    def _remove(self, folder: Path) -> None:
        """Remove `folder` in another process (the new preview is served meanwhile)."""
        self._removals = [p for p in self._removals if p.poll() is None]
        try:
            proc = subprocess.Popen([sys.executable, "-I", "-S", "-c", REMOVE, str(folder)],
                                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
        except OSError:  # no process to spare: remove it here
            shutil.rmtree(folder, ignore_errors=True)
            return
        self._removals.append(proc)

    def wait_removals(self) -> None:
        """Wait until every folder `_remove` was given is gone."""
        for proc in self._removals:
            proc.wait()
        self._removals = []

    def run(self, open_browser: bool) -> None:
        from mkdocs.livereload import LiveReloadServer

        config = self.config()
        trees = load_settings(self.root).status_trees if self.status else ()
        log.info(f"sevbook: handbook at {self.url}" + "".join(
            f", {tree.label} preview at {self.url}{preview_path(tree)}" for tree in trees))
        config.plugins.on_startup(command="serve", dirty=False)
        server = LiveReloadServer(builder=self.build, host=self.host, port=self.port,
                                  root=str(self.site_dir), mount_path=self.mount_path)
        self.server = server
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
            self.wait_removals()
            shutil.rmtree(self.folder, ignore_errors=True)

    def error_page(self, code: int) -> bytes | None:
        """The site's own 404/500 page, as `mkdocs serve` shows it."""
        page = self.site_dir / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None


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
