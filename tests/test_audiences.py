"""Issue 16, audiences: the internal status page and several public pages from one repository.

The example gets a second further page (`shop`: two services by id) beside its `accounts`
page (a group) and its internal page; its private security incident is restricted; the
status pages are built with `sevbook build --no-handbook`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from conftest import NOW, NOW_ARG, copy_example
from sevbook.cli import main
from sevbook.status.build import build_status
from sevbook.status.internal import NO_UPDATES, RESTRICTED_NOTE, RESTRICTED_TITLE
from sevbook.status.pages import status_view
from status_support import load_example, site_files
from test_status_outputs import SCHEMA
from test_status_privacy import Markers, poison

SHOP = """\
        - id: shop
          title: Acme Shop Checkout Status
          url: https://shop-status.example.com/
          site_dir: site/status-shop
          services: [checkout-api, storefront-web]
"""
PAGES = {"": {"auth", "checkout-api", "notifications", "search", "storefront-web"},
         "accounts": {"auth", "notifications"}, "shop": {"checkout-api", "storefront-web"}}
TREES = {"": "site/status", "accounts": "site/status-accounts", "shop": "site/status-shop"}
RESTRICTED = "2026-03-18-credential-stuffing-attack"


def with_pages(root: Path) -> Path:
    mk = root / "mkdocs.yml"
    text = mk.read_text()
    assert "      internal_status:\n" in text
    mk.write_text(text.replace("      internal_status:\n", SHOP + "      internal_status:\n", 1))
    inc = root / "incidents" / f"{RESTRICTED}.md"
    assert "\nrestricted: true\n" in inc.read_text()  # the example marks it restricted
    return root


def build(root: Path, *extra: str):
    return CliRunner().invoke(main, ["build", "--no-handbook", "--now", NOW_ARG,
                                     "--root", str(root), *extra])


def check(root: Path):
    return CliRunner().invoke(main, ["check", "--now", NOW_ARG, "--root", str(root)])


def digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in site_files(root)}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = with_pages(copy_example(tmp_path_factory.mktemp("audiences") / "handbook"))
    res = build(root)
    assert res.exit_code == 0, res.output
    assert res.output == (f"built status page: {root / 'site/status'}\n"
                          f"built status page 'accounts': {root / 'site/status-accounts'}\n"
                          f"built status page 'shop': {root / 'site/status-shop'}\n"
                          f"built internal status page: {root / 'site/internal-status'}\n")
    return root


def api(site: Path, endpoint: str) -> dict:
    return json.loads((site / "api/v2" / endpoint).read_text())


def expected_incidents(root: Path, services: set[str]) -> set[str]:
    """Names of the public incidents that name one of `services` (and are published)."""
    hb = load_example(root)
    return {i.display_title for i in hb.incidents.values()
            if i.public and any(u.at <= NOW for u in i.updates)
            and (services & set(i.services)
                 or any(services & set(u.components) for u in i.updates))}


# --- each tree holds exactly its components and incidents ------------------------------

@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_public_tree_holds_exactly_its_components(built, page):
    site = built / TREES[page]
    assert {c["id"] for c in api(site, "components.json")["components"]
            if not c.get("group")} == PAGES[page]
    assert {p.name for p in (site / "components").iterdir()} == PAGES[page]


@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_public_tree_holds_exactly_the_incidents_naming_its_components(built, page):
    site = built / TREES[page]
    names = {i["name"] for i in api(site, "incidents.json")["incidents"]}
    names |= {m["name"] for m in api(site, "scheduled-maintenances.json")
              ["scheduled_maintenances"]}
    assert names == expected_incidents(built, PAGES[page])
    assert len(list((site / "incidents").iterdir())) == len(names)


def test_the_pages_have_their_own_title_url_and_ids(built):
    summaries = {page: api(built / TREES[page], "summary.json") for page in PAGES}
    assert {p: (s["page"]["name"], s["page"]["url"]) for p, s in summaries.items()} == {
        "": ("Acme Shop Status", "https://status.example.com"),
        "accounts": ("Acme Accounts Status", "https://accounts-status.example.com"),
        "shop": ("Acme Shop Checkout Status", "https://shop-status.example.com")}
    ids = {p: {i["id"] for i in api(built / TREES[p], "incidents.json")["incidents"]}
           for p in PAGES}
    assert ids[""] & ids["accounts"] == ids[""] & ids["shop"] == set()
    assert len({s["page"]["id"] for s in summaries.values()}) == 3


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("endpoint", sorted(SCHEMA["endpoints"]))
def test_every_pages_json_matches_statuspage_shape(built, page, endpoint):
    doc = api(built / TREES[page], endpoint)
    schema = {**SCHEMA["endpoints"][endpoint], "$defs": SCHEMA["$defs"]}
    jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)


def test_every_tree_is_reproducible(built):
    trees = [*TREES.values(), "site/internal-status"]
    first = {t: digest(built / t) for t in trees}
    assert build(built).exit_code == 0
    assert {t: digest(built / t) for t in trees} == first


# --- the internal page -----------------------------------------------------------------

def test_the_internal_page_shows_every_incident_by_its_internal_title(built):
    hb = load_example(built)
    site = built / "site/internal-status"
    names = {i["name"]: i["id"] for i in api(site, "incidents.json")["incidents"]}
    names |= {m["name"]: m["id"] for m in api(site, "scheduled-maintenances.json")
              ["scheduled_maintenances"]}
    expected = {(RESTRICTED_TITLE if i.restricted else i.title): i.id
                for i in hb.incidents.values()}
    assert {n: (i if n != RESTRICTED_TITLE else RESTRICTED) for n, i in names.items()} == expected
    assert {p.name for p in (site / "components").iterdir()} == set(hb.services)


def test_the_internal_page_shows_severities_and_says_internal(built):
    site = built / "site/internal-status"
    page = (site / "incidents/2026-08-19-search-reindex-late/index.html").read_text()
    assert '<h1><span class="sev">SEV4</span> Nightly search reindex finished 3 hours late' in page
    assert NO_UPDATES in page
    for path in site.rglob("*.html"):
        text = path.read_text()
        assert '<meta name="robots" content="noindex, nofollow">' in text, path
        assert ('<p class="internal-note"><strong>Internal</strong> status page for '
                'employees') in text, path


def test_a_restricted_incident_is_only_a_stub_on_the_internal_page(built):
    hb = load_example(built)
    inc = hb.incidents[RESTRICTED]
    site = built / "site/internal-status"
    stub = next(i for i in api(site, "incidents.json")["incidents"]
                if i["name"] == RESTRICTED_TITLE)
    assert re.fullmatch(r"[a-z2-7]{12}", stub["id"])
    assert (stub["status"], stub["impact"], stub["components"]) == ("resolved", "major", [])
    assert {u["body"] for u in stub["incident_updates"]} == {RESTRICTED_NOTE}
    assert stub["created_at"].startswith(inc.detected_at.strftime("%Y-%m-%dT%H:%M"))
    text = "".join(p.read_text(errors="replace") for p in site_files(site))
    own = [inc.title, *(t.event for t in inc.timeline), *inc.body.split("\n"),
           RESTRICTED, "credential", "212 accounts"]
    assert [t for t in own if t.strip() and t.lower() in text.lower()] == []


def test_the_internal_page_is_never_among_the_public_trees(built):
    for page, tree in TREES.items():
        text = "".join(p.read_text(errors="replace") for p in site_files(built / tree)
                       if "assets" not in p.relative_to(built / tree).parts)
        assert ("Internal status", "noindex", "internal-note", 'class="sev"') == tuple(
            w for w in ("Internal status", "noindex", "internal-note", 'class="sev"')
            if w not in text), page


# --- the leak test, on every public tree -----------------------------------------------

@pytest.fixture(scope="module")
def poisoned(built, tmp_path_factory):
    """Every public tree built from the example with a marker in every internal field,
    plus the markers the internal page and the other pages' components carry."""
    hb = load_example(built)
    mark = Markers()
    for svc in hb.services.values():
        if svc.status_page is not None:
            svc.status_page.description = mark(f"component {svc.id} description")
    poison(hb, mark)
    internal_options = hb.settings.internal_status.model_copy(update={"title": mark("internal page title")})
    hb.settings = dataclasses.replace(
        hb.settings, internal_status=internal_options)
    out = tmp_path_factory.mktemp("poisoned")
    internal = status_view(hb, hb.settings.status_trees[-1], NOW)
    trees = {}
    for tree in hb.settings.public_trees:
        trees[tree.name] = out / (tree.name or "default")
        build_status(status_view(hb, tree, NOW), trees[tree.name])
    return hb, mark, trees, internal


def test_the_internal_page_carries_the_markers_the_public_ones_must_not(poisoned):
    hb, mark, trees, internal = poisoned
    assert internal.title in mark.fields
    assert any(i.name in mark.fields for i in internal.incidents)  # private and internal titles


@pytest.mark.parametrize("page", sorted(PAGES))
def test_nothing_internal_or_of_another_page_reaches_a_public_tree(poisoned, page):
    hb, mark, trees, internal = poisoned
    others = {f"component {sid} description" for sid in set(PAGES[""]) - PAGES[page]}
    pattern = re.compile(r"zqleak\d{4}x", re.I)
    leaks = {}
    shown = set()
    for path in site_files(trees[page]):
        for m in pattern.finditer(path.read_bytes().decode("utf-8", "replace")):
            what = mark.fields[m.group(0).lower()]
            if what.startswith("component ") and what not in others:
                shown.add(what)  # this page's own components are public
                continue
            leaks.setdefault(what, path.relative_to(trees[page]).as_posix())
    assert leaks == {}
    assert shown == {f"component {sid} description" for sid in PAGES[page]}


# --- configuration errors ----------------------------------------------------------------

def test_a_page_overlapping_another_tree_is_a_located_error(example):
    mk = example / "mkdocs.yml"
    mk.write_text(mk.read_text().replace("site_dir: site/status-accounts",
                                         "site_dir: site/status/accounts", 1))
    res = check(example)
    assert (res.exit_code, res.output) == (1, (
        "mkdocs.yml:55: error: [unsafe-output] status_pages[0].site_dir: the status page "
        "'accounts' (site/status/accounts) and the status page (site/status) overlap, so "
        "publishing one could publish or destroy the other; give each its own folder next to "
        "the others, like site/status and site/status-de\n1 error, 0 warnings in 1 files\n"))


def test_the_internal_page_overlapping_a_public_tree_is_a_located_error(example):
    mk = example / "mkdocs.yml"
    mk.write_text(mk.read_text().replace("site_dir: site/internal-status",
                                         "site_dir: site/status-accounts/internal", 1))
    res = build(example)
    assert (res.exit_code, res.output) == (1, (
        "mkdocs.yml:60: error: [unsafe-output] internal_status.site_dir: the internal status "
        "page (site/status-accounts/internal) and the status page 'accounts' "
        "(site/status-accounts) overlap, so publishing one could publish or destroy the other; "
        "give each its own folder next to the others, like site/status and site/status-de\n"
        "1 error, 0 warnings in 1 files\n"))
    assert not (example / "site").exists()


def test_unknown_components_of_a_page_are_located_errors(example):
    mk = example / "mkdocs.yml"
    mk.write_text(mk.read_text().replace(
        "          groups: [Accounts]\n",
        "          groups: [Accounts, Payments]\n          services: [auth, payments-db, "
        "basket]\n", 1))
    res = check(example)
    assert res.exit_code == 1
    assert res.output.splitlines() == [
        "mkdocs.yml:56: error: [unknown-component] status_pages[0].groups[1]: page 'accounts' "
        "shows group 'Payments', which no public component is in; use one of: Accounts, Store",
        "mkdocs.yml:57: error: [unknown-component] status_pages[0].services[1]: page "
        "'accounts' shows service 'payments-db', which has no status_page block, so it is no "
        "public component; add one to its file or remove it here",
        "mkdocs.yml:57: error: [unknown-component] status_pages[0].services[2]: page "
        "'accounts' shows service 'basket', which is no service; use one of the public "
        "components: auth, checkout-api, notifications, search, storefront-web",
        "3 errors, 0 warnings in 43 files"]


@pytest.mark.parametrize("page, message", [
    ("{id: x, site_dir: site/x}",
     "mkdocs.yml:57: error: [bad-value] status_pages[1]: page 'x' shows no component; list the "
     "service ids it shows under services:, their groups under groups: or their labels under "
     "labels:"),
    ("{id: accounts, site_dir: site/x, services: [auth]}",
     "mkdocs.yml:50: error: [bad-value] status_pages: page id 'accounts' is used twice; give "
     "each page its own"),
    ("{id: Big, site_dir: site/x, services: [auth]}",
     "mkdocs.yml:57: error: [bad-id] status_pages[1].id: 'Big' is not a valid id; ids are "
     "lowercase letters, digits and dashes (like checkout-api)"),
])
def test_bad_page_settings_are_located_errors(example, page, message):
    mk = example / "mkdocs.yml"
    mk.write_text(mk.read_text().replace("      internal_status:\n",
                                         f"        - {page}\n      internal_status:\n", 1))
    res = check(example)
    assert (res.exit_code, res.output) == (1, message + "\n1 error, 0 warnings in 1 files\n")


# --- diff and notify name the page -------------------------------------------------------

GIT = ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *GIT, "-C", str(root), *args], check=True, capture_output=True)


def test_diff_names_each_further_page_with_changes(example):
    git(example, "init", "-q")
    git(example, "add", "-A")
    git(example, "commit", "-qm", "base")
    res = CliRunner().invoke(main, [
        "new", "incident", "Login tokens rejected", "--severity", "SEV2", "--service", "auth",
        "--public", "--role", "incident-commander=Zoe", "--now", NOW_ARG, "--root",
        str(example)])
    assert res.exit_code == 0, res.output
    md = CliRunner().invoke(main, ["diff", "HEAD", "--now", NOW_ARG, "--root", str(example)])
    assert md.exit_code == 0, md.output
    heads = [ln for ln in md.output.splitlines() if ln.startswith(("## ", "- **"))]
    assert heads == [
        "## Status page changes", "- **New incident:** Login tokens rejected (Investigating)",
        "## Status page changes: Acme Accounts Status (`accounts`)",
        "- **New incident:** Login tokens rejected (Investigating)"]
    js = CliRunner().invoke(main, ["diff", "HEAD", "--format", "json", "--now", NOW_ARG,
                                   "--root", str(example)])
    d = json.loads(js.output)
    assert [(p["page"], p["title"], [i["name"] for i in p["incidents"]]) for p in d["pages"]] \
        == [("accounts", "Acme Accounts Status", ["Login tokens rejected"])]


def test_notify_names_the_page_and_reads_its_own_tree(example, tmp_path):
    assert build(example).exit_code == 0
    res = CliRunner().invoke(main, ["notify", "--page", "accounts", "--dry-run", "--previous",
                                    str(tmp_path), "--root", str(example)])
    assert (res.exit_code, res.output) == (0, (
        "dry run: status page 'accounts': no previously published page (a first deploy): "
        "nothing is sent; pass --first-deploy-sends to announce what is active now\n\n"
        "no channel is configured (notify: channels: in mkdocs.yml): nothing is sent\n"))
    events = {}
    for page in ("accounts", ""):
        res = CliRunner().invoke(main, ["notify", "--page", page, "--dry-run", "--previous",
                                        str(tmp_path), "--first-deploy-sends", "--format",
                                        "json", "--root", str(example)])
        doc = json.loads(res.output)
        events[doc.get("page", "")] = {e["incident_id"] for e in doc["events"]} - {None}
    summaries = {p: api(example / TREES[p], "summary.json") for p in ("", "accounts")}
    active = {p: {i["id"] for i in s["incidents"] + s["scheduled_maintenances"]}
              for p, s in summaries.items()}
    # the open search incident and the maintenance are on the default page only
    assert (events, len(active[""])) == (active, 2)


def test_notify_refuses_an_unknown_page(example):
    res = CliRunner().invoke(main, ["notify", "--page", "nope", "--dry-run", "--root",
                                    str(example)])
    assert (res.exit_code, res.output.splitlines()[-1]) == (
        2, "Error: --page 'nope': status_pages has no such page (it has: accounts)")


def test_serve_previews_every_page(example):
    from test_serve import free_port, wait_for

    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sevbook", "serve", "--root", str(example), "--port", str(port),
         "--now", NOW_ARG], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(base + "status/", "<title>Acme Shop Status</title>")
        wait_for(base + "status/accounts/", "<title>Acme Accounts Status</title>")
        page = wait_for(base + "internal-status/", "<title>Acme Shop Internal Status</title>")
        assert '<meta name="robots" content="noindex, nofollow">' in page
        index = wait_for(base + "incidents/", "internal status page")
        assert '<a href="../../internal-status/">internal status page</a>' in index
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        out = proc.communicate(timeout=60)[0].decode()
    assert (f"sevbook: handbook at {base}, status page preview at {base}status/, status page "
            f"'accounts' preview at {base}status/accounts/, internal status page preview at "
            f"{base}internal-status/") in out


def test_a_page_takes_its_own_theme_and_a_link_in_it_is_refused(example):
    mk = example / "mkdocs.yml"
    mk.write_text(mk.read_text().replace(
        "          groups: [Accounts]\n",
        "          groups: [Accounts]\n          theme: theme/status-accounts\n", 1))
    assets = example / "theme/status-accounts/assets"
    assets.mkdir(parents=True)
    (assets / "accounts.txt").write_text("only on the accounts page\n")
    assert build(example).exit_code == 0
    assert (example / "site/status-accounts/assets/accounts.txt").read_text() == \
        "only on the accounts page\n"
    assert not (example / "site/status/assets/accounts.txt").exists()
    (assets / "secret.txt").symlink_to("/etc/passwd")
    res = check(example)
    assert res.output.splitlines()[0] == (
        "theme/status-accounts/assets/secret.txt: error: [unsafe-asset] is a symbolic link (to "
        "/etc/passwd); the status page never publishes through a link, which could reach "
        "secrets or private files: put a copy of the file there instead")


def label(example: Path, service: str, labels: str) -> None:
    path = example / "content" / "services" / f"{service}.md"
    text = path.read_text()
    assert text.startswith("---\n")
    path.write_text(text.replace("---\n", f"---\nlabels: {labels}\n", 1))


def test_a_page_can_show_the_services_with_a_label(example):
    """`labels:` selects every public service carrying one of them; private ones never."""
    from sevbook.build import load_valid
    from sevbook.config import PageOptions
    from sevbook.status.public import page_selection

    label(example, "search", "[eu, search]")
    label(example, "checkout-api", "[eu]")
    label(example, "payments-db", "[eu]")  # no status_page block: never shown
    hb = load_valid(example, NOW)
    page = PageOptions(id="eu", site_dir="site/status-eu", labels=["eu"], groups=["Accounts"])
    assert page_selection(hb, page) == {"search", "checkout-api", "auth", "notifications"}


def test_a_label_no_public_component_has_is_a_located_error(example):
    label(example, "search", "[eu]")
    label(example, "payments-db", "[internal-only]")
    mk = example / "mkdocs.yml"
    mk.write_text(mk.read_text().replace(
        "          groups: [Accounts]\n",
        "          groups: [Accounts]\n          labels: [eu, internal-only]\n", 1))
    res = check(example)
    assert res.output.splitlines() == [
        "mkdocs.yml:57: error: [unknown-component] status_pages[0].labels[1]: page 'accounts' "
        "shows label 'internal-only', which no public component has; use one of: eu, or add "
        "it to a service's labels:",
        "1 error, 0 warnings in 43 files"]
    assert res.exit_code == 1
