"""Restricted incidents in real MkDocs builds of the example (issue 11).

The leak test: a restricted incident carries a marker in every text field it has (title,
public title, updates, timeline, postmortem summary, body, action items, links, labels,
custom fields, severity history, acceptances), and a warning of `sevbook check` quotes its
action item's title. The handbook everyone reads must not contain the marker anywhere:
no page, no search index, no sitemap (gzipped or not), no asset. The restricted build
has it, with a do-not-publish banner on every page.
"""

from __future__ import annotations

import gzip
import html
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOW, NOW_ARG, copy_example
from sevbook.build import build
from sevbook.cli import main

MARKER = "zqxleak"
PROBE = "2026-11-20-restricted-probe"
OTHER = "2026-11-21-related-to-probe"
BANNER = "Restricted build — do not publish."

PROBE_TEXT = f"""---
title: "{MARKER} title"
kind: incident
severity: SEV3
services: [auth]
started_at: 2026-11-20T08:00:00Z
detected_at: 2026-11-20T08:05:00Z
roles:
  incident-commander: Kim Lee
runbooks: [credential-stuffing]
restricted: true
public_title: "{MARKER} public title"
updates:
  - {{at: 2026-11-20T08:10:00Z, status: investigating, message: "{MARKER} update"}}
timeline:
  - {{at: 2026-11-20T08:06:00Z, event: "{MARKER} timeline"}}
postmortem:
  owner: Kim Lee
  public_summary: "{MARKER} summary"
action_items:
  - {{title: "{MARKER} action", owner: security, due: 2026-11-01,
     link: "https://example.com/{MARKER}", external_owner: "{MARKER} vendor"}}
severity_history:
  - {{at: 2026-11-20T08:05:00Z, severity: SEV3, by: "{MARKER} decider"}}
labels: [{MARKER}-label]
links:
  chat: "#{MARKER}-chat"
  call: https://meet.example.com/{MARKER}
  tickets: [{MARKER.upper()}-1]
  postmortem: https://example.com/{MARKER}-pm
  dashboards: [https://example.com/{MARKER}-dash]
related: [{{incident: 2026-03-18-credential-stuffing-attack, relation: caused_by}}]
accepted: [{{code: no-monitoring, reason: "{MARKER} reason", by: "{MARKER} acceptor"}}]
fields: {{detection: "{MARKER} field"}}
data_loss: {{from: 2026-11-20T07:00:00Z, until: 2026-11-20T08:00:00Z, description: "{MARKER} loss"}}
---

# {MARKER} heading

{MARKER} body.
"""

OTHER_TEXT = f"""---
title: Login latency after the probe
severity: SEV4
services: [auth]
started_at: 2026-11-21T08:00:00Z
resolved_at: 2026-11-21T09:00:00Z
related: [{{incident: {PROBE}, relation: caused_by}}]
---
"""


def probe_root(dest: Path) -> Path:
    """The example with the probe incident, one incident related to it, and a custom field."""
    root = copy_example(dest)
    cfg = root / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text.replace(
        "      incidents_dir: incidents\n",
        "      incidents_dir: incidents\n      incident_fields:\n"
        "        - {name: detection, type: text}\n", 1), encoding="utf-8")
    (root / "incidents" / f"{PROBE}.md").write_text(PROBE_TEXT, encoding="utf-8")
    (root / "incidents" / f"{OTHER}.md").write_text(OTHER_TEXT, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Path, Path]:
    """(the handbook everyone reads, the restricted build) of the probe repository."""
    root = probe_root(tmp_path_factory.mktemp("restricted") / "hb")
    build(root, NOW, status=False)
    build(root, NOW, restricted=True)
    return root / "site" / "handbook", root / "site" / "handbook-restricted"


def texts(site: Path) -> dict[str, str]:
    """{path: text} of every file of a built site, gzipped ones decompressed."""
    out = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        out[path.relative_to(site).as_posix()] = data.decode("utf-8", "replace")
    return out


def article(text: str) -> str:
    m = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', text, re.S)
    assert m, "no article in page"
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", m.group(1)))).strip()


def test_check_still_reports_everything_about_a_restricted_incident(tmp_path):
    """The rules run on restricted incidents as on any other; check prints every word."""
    root = probe_root(tmp_path / "hb")
    res = CliRunner().invoke(main, ["check", "--now", NOW_ARG, "--root", str(root)])
    assert res.output == (
        f"incidents/{PROBE}.md:21: warning: [action-item-overdue] action_items[0].due: "
        f"action item '{MARKER} action' was due 2026-11-01 and is still open; finish it, "
        "set a new due date, or mark it wontfix with a reason\n"
        f"incidents/{PROBE}.md:33: warning: [stale-acceptance] accepted[0].code: "
        "'no-monitoring' is accepted but no longer reported for this record; remove this "
        "entry of accepted:\n"
        "0 errors, 2 warnings in 45 files\n")


def test_no_text_of_a_restricted_incident_reaches_any_file_of_the_handbook(sites):
    everyone, _ = sites
    files = texts(everyone)
    assert "search/search_index.json" in files and "sitemap.xml.gz" in files
    leaks = sorted(path for path, text in files.items() if MARKER in text.lower())
    assert leaks == []


def test_the_restricted_build_has_everything_and_says_so_on_every_page(sites):
    _, restricted = sites
    files = texts(restricted)
    with_marker = {path for path, text in files.items() if MARKER in text.lower()}
    assert {f"incidents/{PROBE}/index.html", "search/search_index.json",
            "action-items/index.html"} <= with_marker
    pages = [path for path in files if path.endswith(".html")]
    assert len(pages) > 40
    assert [p for p in pages if BANNER not in files[p]] == []
    assert "<title>Acme Shop Incident Handbook (restricted build)</title>" in files["index.html"]


def test_the_handbook_everyone_reads_has_no_restricted_banner(sites):
    everyone, _ = sites
    files = texts(everyone)
    assert [p for p, text in files.items() if p.endswith(".html") and BANNER in text] == []


def test_the_stub_page_in_the_built_handbook(sites):
    everyone, _ = sites
    page = (everyone / "incidents" / PROBE / "index.html").read_text(encoding="utf-8")
    assert "<title>Restricted incident - Acme Shop Incident Handbook</title>" in page
    assert article(page) == (
        "Restricted incident ¶ "
        "sevbook check: 2 warnings about this page Found in "
        f"incidents/{PROBE}.md ; sevbook check lists them too. "
        "line 21 · action-item-overdue action_items[0].due : (the message is about a "
        "restricted incident and is not in this handbook; sevbook check prints it) "
        "line 33 · stale-acceptance accepted[0].code : (the message is about a restricted "
        "incident and is not in this handbook; sevbook check prints it) "
        "SEV3 investigating restricted "
        f"Id: {PROBE} Severity: SEV3 — Minor Started: 2026-11-20 09:00 CET "
        "Resolved: no — still open Incident Commander: Kim Lee "
        "Postmortem owner: Kim Lee "
        "Restricted incident This incident is kept to its responders. Its title, summary, "
        "timeline, updates, postmortem, action items, links, labels and custom fields are "
        "not in this handbook and not in its search. Responders read it in the restricted "
        "handbook: sevbook build --restricted builds it into site/handbook-restricted/ (or "
        "sevbook serve --restricted previews it) from the same repository; never publish "
        "that folder. Otherwise ask the people listed here.")


def test_other_pages_name_it_only_as_a_stub(sites):
    everyone, restricted = sites
    banner = re.search(r'<span class="sb-announce">(.*?)</span>\s*</div>',
                       (everyone / "index.html").read_text(encoding="utf-8"), re.S)
    assert banner is not None
    assert "SEV3 · Restricted incident" in banner.group(1)
    related = article((everyone / "incidents" / OTHER / "index.html").read_text("utf-8"))
    assert "Related incidents ¶ Relation Incident Caused by Restricted incident" in related
    full = article((restricted / "incidents" / OTHER / "index.html").read_text("utf-8"))
    assert f"Related incidents ¶ Relation Incident Caused by {MARKER} title" in full


def test_metrics_count_it_the_same_in_both_builds(sites):
    everyone, restricted = sites
    page = "metrics/index.html"
    assert article((everyone / page).read_text("utf-8")) == article(
        (restricted / page).read_text("utf-8"))


def test_restricted_build_writes_only_its_own_folder(tmp_path):
    root = copy_example(tmp_path / "hb")
    res = CliRunner().invoke(main, ["build", "--restricted", "--now", NOW_ARG,
                                    "--root", str(root)])
    assert res.exit_code == 0, res.output
    assert res.output == "built restricted handbook (do not publish): " \
        f"{root / 'site' / 'handbook-restricted'}\n"
    assert sorted(p.name for p in (root / "site").iterdir()) == ["handbook-restricted"]


@pytest.mark.parametrize("setting, message", [
    ("restricted_dir: site/handbook/restricted",
     "the restricted handbook (site/handbook/restricted) and the internal handbook "
     "(site/handbook) overlap, so publishing one could publish restricted incidents or "
     "destroy the other; give it a folder of its own, like site/handbook-restricted"),
    ("restricted_dir: site",
     "the restricted handbook (site) and the internal handbook (site/handbook) overlap, so "
     "publishing one could publish restricted incidents or destroy the other; give it a "
     "folder of its own, like site/handbook-restricted"),
    ("restricted_dir: site/status",
     "the restricted handbook (site/status) and the status page (site/status) overlap, so "
     "publishing one could publish restricted incidents or destroy the other; give it a "
     "folder of its own, like site/handbook-restricted"),
    ("restricted_dir: incidents/private",
     "restricted_dir 'incidents/private' overlaps the source folder incidents/ "
     "(incidents_dir); a build replaces its output folder and would destroy it; use a folder "
     "of its own inside the repository, like site/handbook or site/status"),
])
def test_an_unsafe_restricted_dir_is_refused_with_its_line(tmp_path, setting, message):
    root = copy_example(tmp_path / "hb")
    cfg = root / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    line = text.splitlines().index("      status:") + 1  # where the setting goes
    cfg.write_text(text.replace("      status:\n", f"      {setting}\n      status:\n", 1),
                   encoding="utf-8")
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    res = CliRunner().invoke(main, ["build", "--restricted", "--now", NOW_ARG,
                                    "--root", str(root)])
    assert (res.exit_code, res.output) == (
        1, f"mkdocs.yml:{line}: error: [unsafe-output] restricted_dir: {message}\n"
           "1 error, 0 warnings in 1 files\n")
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == before
    # Only the restricted build uses the folder: check and the other builds are unchanged.
    res = CliRunner().invoke(main, ["check", "--strict", "--now", NOW_ARG, "--root", str(root)])
    assert res.exit_code == 0, res.output


def test_the_restricted_build_is_reproducible(sites):
    _, restricted = sites
    first = {p: (restricted / p).read_bytes() for p in texts(restricted)}
    build(restricted.parent.parent, NOW, restricted=True)
    assert {p: (restricted / p).read_bytes() for p in texts(restricted)} == first


def test_the_restricted_build_runs_mkdocs_whatever_the_engine(tmp_path):
    root = copy_example(tmp_path / "hb")
    res = CliRunner().invoke(main, ["build", "--restricted", "--engine", "zensical",
                                    "--now", NOW_ARG, "--root", str(root)])
    assert (res.exit_code, res.output) == (0, (
        "the restricted handbook is built with MkDocs (the Zensical engine builds only the "
        "handbook everyone reads)\n"
        f"built restricted handbook (do not publish): {root / 'site' / 'handbook-restricted'}\n"))


def test_a_restricted_build_never_feeds_the_page_cache_of_the_others(tmp_path):
    """With every cache on, a restricted build first and then the build everyone reads:
    nothing of the restricted incident reaches the handbook, any status tree (the internal
    status page shows it as a stub) or the stored pages."""
    root = probe_root(tmp_path / "hb")
    build(root, NOW, restricted=True, cache=True)
    build(root, NOW, cache=True)
    assert MARKER in texts(root / "site" / "handbook-restricted")["index.html"].lower()
    pages = root / ".cache" / "sevbook" / "pages"
    assert pages.is_dir()  # the build everyone reads did store its pages
    trees = ["handbook", "status", "status-accounts", "internal-status"]
    leaks = sorted(f"{tree}/{path}" for tree in trees
                   for path, text in texts(root / "site" / tree).items()
                   if MARKER in text.lower())
    stored = sorted(p.name for p in pages.rglob("*") if p.is_file()
                    and MARKER.encode() in p.read_bytes().lower())
    assert (leaks, stored) == ([], [])
