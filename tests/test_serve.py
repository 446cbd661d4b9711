"""`sevbook serve`: a real preview server on loopback that rebuilds when an incident changes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from click.testing import CliRunner
from tests.conftest import NOW_ARG

from sevbook.cli import main


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None


def wait_for(url: str, needle: str, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = fetch(url)
        if body is not None and needle in body:
            return body
        time.sleep(0.5)
    raise AssertionError(f"{needle!r} did not appear at {url} within {seconds} s")


def test_serve_previews_both_sites_and_rebuilds_on_change(example):
    """Both sites are served; an edit shows on the status page and on the incident's
    handbook page (the page cache, on by default, re-renders what changed)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "sevbook", "serve", "--root", str(example), "--port", str(port),
         "--now", NOW_ARG],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(base, "Acme Shop")
        wait_for(base + "status/", "Search errors and slow search results")
        incident = next((example / "incidents").glob("*-search-errors-after-node-loss.md"))
        page = f"{base}incidents/{incident.stem}/"
        wait_for(page, "Search errors and slow search results")
        text = incident.read_text()
        incident.write_text(text.replace("public_title: Search errors and slow search results",
                                         "public_title: Search is slow right now", 1)
                            + "\nA sentence added while serving.\n")
        wait_for(base + "status/", "Search is slow right now")
        # The edited page is rendered again, not taken from the page cache.
        body = wait_for(page, "A sentence added while serving.")
        assert "Search is slow right now" in body
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_serve_refuses_a_public_address(example):
    res = CliRunner().invoke(main, ["serve", "--root", str(example), "--host", "0.0.0.0"])
    assert res.exit_code == 1
    assert res.output == ("Error: refusing to serve the internal handbook on '0.0.0.0'; use a "
                          "loopback address such as 127.0.0.1 (publish the built site/ instead)\n")
