"""Helpers shared by the status page tests: build the example once per test session.

Plain functions (not fixtures) so that several test modules and `tests/regen_golden.py`
can share one build without touching the shared conftest.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

from conftest import NOW, REPO, copy_example
from sevbook.build import load_valid
from sevbook.config import load_settings
from sevbook.load import load
from sevbook.model import Handbook
from sevbook.status.build import build_status
from sevbook.status.ids import PublicIds
from sevbook.status.public import public_view

GOLDEN = REPO / "tests" / "golden" / "status"


def public_id(file_id: str) -> str:
    """The public id of the example's incident `file_id` (keyed with the example's id key)."""
    return PublicIds.of(REPO).incident(file_id)


OPEN_INCIDENT = f"incidents/{public_id('2026-11-22-search-errors-after-node-loss')}/"
"""The example's open incident (its page shows updates, component changes and impact)."""
UPCOMING_MAINTENANCE = f"incidents/{public_id('2026-12-06-payments-db-upgrade')}/"
"""The example's scheduled maintenance (window, affected components, no changes yet)."""
GOLDEN_HTML = [
    "index.html", "history/index.html", "components/checkout-api/index.html",
    OPEN_INCIDENT + "index.html", UPCOMING_MAINTENANCE + "index.html",
]
"""Rendered pages compared byte for byte: templates, labels and the view all show here."""
GOLDEN_FILES = GOLDEN_HTML + [
    "history.atom", "history.rss", "maintenance.ics", "badge.svg",
    "components/checkout-api/history.atom", "components/checkout-api/history.rss",
    "api/v2/summary.json", "api/v2/status.json", "api/v2/components.json",
    "api/v2/incidents.json", "api/v2/incidents/unresolved.json",
    "api/v2/scheduled-maintenances.json", "api/v2/scheduled-maintenances/upcoming.json",
    "api/v2/scheduled-maintenances/active.json",
]


def _tmp(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, path, True)
    return path


def load_example(root: Path | None = None) -> Handbook:
    root = root or REPO
    return load_valid(root, NOW, load_settings(root))


def load_unchecked(root: Path) -> Handbook:
    """The model of `root` as loaded, without the rules (for tests of what the rules and
    the status build themselves refuse)."""
    return load(root, load_settings(root)).handbook


def build(handbook: Handbook, out: Path | None = None) -> Path:
    out = out or _tmp("sevbook-status-") / "status"
    build_status(public_view(handbook, NOW), out)
    return out


@cache
def example_root() -> Path:
    """A private copy of the example handbook (so tests never see half-edited files)."""
    return copy_example(_tmp("sevbook-example-") / "handbook")


@cache
def example_site() -> Path:
    """The example's status page, built once per session at NOW."""
    return build(load_example(example_root()))


def site_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.is_file())
