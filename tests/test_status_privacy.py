"""The privacy boundary: nothing internal reaches site/status/, and public text is inert.

The leak test writes a unique marker into every internal field of every incident, service,
runbook, role, severity level and team, builds the status page and greps every output file
for every marker. A marker found names the field that leaked.
"""

from __future__ import annotations

import itertools
import re

import pytest

from sevbook.model import ActionItem, TimelineEntry
from sevbook.status import sanitize
from status_support import build, example_root, load_example, site_files


class Markers:
    def __init__(self) -> None:
        self.fields: dict[str, str] = {}
        self._n = itertools.count()

    def __call__(self, field: str) -> str:
        mark = f"zqleak{next(self._n):04d}x"
        self.fields[mark] = field
        return mark


def _rename(d: dict, old: str, new: str) -> None:
    d[new] = d.pop(old)


def poison(hb, mark: Markers) -> None:
    """Put a marker into every field DESIGN.md keeps off the status page."""
    # Severity: level ids, names and prose. Incidents follow the renamed ids.
    level_ids = {}
    for lv in hb.severity.levels:
        new = mark(f"severity {lv.id} id").upper()
        level_ids[lv.id] = new
        lv.id, lv.name, lv.summary = new, mark(f"{new} name"), mark(f"{new} summary")
        lv.criteria, lv.examples = [mark(f"{new} criteria")], [mark(f"{new} examples")]
    hb.severity.bind(hb.severity.id, hb.severity.path, mark("severity body"))
    for rid, role in list(hb.roles.items()):
        role.name, role.short, role.summary = mark(f"role {rid} name"), mark("short"), mark("s")
        role.responsibilities, role.checklist = [mark("resp")], [mark("checklist")]
        role.does_not = [mark("does_not")]
        role.bind(mark(f"role {rid} id"), role.path, mark(f"role {rid} body"))
    if hb.oncall:
        for team in hb.oncall.teams:
            team.name, team.channel = mark(f"team {team.id} name"), mark("channel")
    for rbid, rb in list(hb.runbooks.items()):
        rb.title, rb.alerts = mark(f"runbook {rbid} title"), [mark("alert")]
        rb.bind(mark(f"runbook {rbid} id"), rb.path, mark(f"runbook {rbid} body"))
    renamed: dict[str, str] = {}
    for sid, svc in list(hb.services.items()):
        svc.owner = mark(f"service {sid} owner")
        svc.links = {mark("link name"): f"https://{mark(f'service {sid} link')}.example/"}
        svc.bind(svc.id, svc.path, mark(f"service {sid} body"))
        if svc.status_page is None:
            svc.name = mark(f"private service {sid} name")
            new = mark(f"private service {sid} id")
            renamed[sid] = new
            svc.bind(new, svc.path, svc.body)
            _rename(hb.services, sid, new)
        elif svc.status_page.name:
            svc.name = mark(f"public service {sid} internal name")
    for iid, inc in list(hb.incidents.items()):
        what = f"incident {iid}"
        if inc.public and not inc.public_title:
            inc.public_title = "A public title"  # without one, `title` is public by design
        inc.title = mark(f"{what} title")
        inc.severity = level_ids.get(inc.severity, inc.severity)
        inc.services = [renamed.get(s, s) for s in inc.services]
        inc.roles = {mark(f"{what} role key"): mark(f"{what} role person") for _ in inc.roles}
        inc.runbooks = [mark(f"{what} runbook ref")]
        inc.timeline = [TimelineEntry(at=t.at, event=mark(f"{what} timeline"))
                        for t in inc.timeline] or []
        inc.postmortem.owner = mark(f"{what} postmortem owner")
        inc.action_items = [ActionItem(title=mark(f"{what} action title"),
                                       owner=mark(f"{what} action owner"),
                                       link=f"https://{mark(f'{what} action link')}.example/")]
        for u in inc.updates:
            u.components = {renamed.get(k, k): v for k, v in u.components.items()}
        if not inc.public:
            inc.public_title = mark(f"{what} (private) public_title")
            for u in inc.updates:
                u.message = mark(f"{what} (private) update message")
            inc.postmortem.public_summary = mark(f"{what} (private) public summary")
        new_id = f"{iid[:10]}-{mark(f'{what} file id')}"
        inc.bind(new_id, inc.path, mark(f"{what} body"))
        _rename(hb.incidents, iid, new_id)


@pytest.fixture(scope="module")
def poisoned():
    hb = load_example(example_root())
    mark = Markers()
    poison(hb, mark)
    assert any(i.public for i in hb.incidents.values())
    assert any(not i.public for i in hb.incidents.values()), "example needs a private incident"
    assert any(s.status_page is None for s in hb.services.values())
    return build(hb), mark


def test_no_internal_field_reaches_the_status_page(poisoned):
    site, mark = poisoned
    pattern = re.compile(r"zqleak\d{4}x", re.I)
    leaks = {}
    for path in site_files(site):
        for m in pattern.finditer(path.read_bytes().decode("utf-8", "replace")):
            leaks.setdefault(mark.fields[m.group(0).lower()], path.relative_to(site).as_posix())
    assert leaks == {}


def test_the_poisoned_site_still_shows_public_incidents(poisoned):
    site, _ = poisoned
    hb = load_example(example_root())
    public = [i for i in hb.incidents.values() if i.public]
    assert len(list((site / "incidents").iterdir())) == len(public)
    shown = (site / "history/index.html").read_text() + (site / "index.html").read_text()
    assert all(i.public_title in shown for i in public if i.public_title)


# --- sanitizing ------------------------------------------------------------------------

HOSTILE = {
    "script": "Before <script>alert('x')</script> after",
    "img": 'Look <img src=x onerror="alert(1)"> here',
    "js-link": "Click [here](javascript:alert(1)) now",
    "js-link-case": "Click [here](JaVaScRiPt:alert(1)) now",
    "data-link": "Click [here](data:text/html;base64,PHNjcmlwdD4=) now",
    "a-onclick": '<a href="https://example.com" onclick="alert(1)">x</a>',
    "iframe": "<iframe src='https://evil.example/'></iframe>",
    "style": "<style>body{display:none}</style>text",
    "svg": "<svg onload=alert(1)></svg>",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_markdown_is_inert(name):
    html = sanitize.to_html(HOSTILE[name])
    text = sanitize.to_text(HOSTILE[name])
    for out in (html, text):
        low = out.lower()
        for bad in ("<script", "<img", "<iframe", "<style", "<svg", "javascript:", "data:",
                    "onerror", "onclick", "onload"):
            assert bad not in low, (name, out)


def test_plain_markdown_still_renders():
    html = sanitize.to_html("**Fixed**: see [notes](https://example.com/n) and `code`")
    assert "<strong>Fixed</strong>" in html
    assert '<a href="https://example.com/n" rel="nofollow noopener noreferrer">notes</a>' in html
    assert "<code>code</code>" in html
    assert sanitize.to_text("**Fixed** [notes](https://e.com)") == "Fixed notes"


def test_hostile_update_message_is_inert_on_every_output():
    hb = load_example(example_root())
    inc = next(i for i in hb.incidents.values() if i.public and i.updates)
    inc.updates[-1].message = " ".join(HOSTILE.values())
    site = build(hb)
    for path in site_files(site):
        low = path.read_text(encoding="utf-8", errors="replace").lower()
        for bad in ("<script", "<img src=x", "<iframe", "javascript:", "onerror=", "onload=",
                    "alert(1)", "alert('x')"):
            assert bad not in low, (path.relative_to(site), bad)


def test_the_leak_detector_would_catch_a_leak():
    """Self-check: a public incident without `public_title` publishes its `title` (the
    documented default), so its marker must be found."""
    hb = load_example(example_root())
    mark = Markers()
    poison(hb, mark)
    inc = next(i for i in hb.incidents.values() if i.public)
    inc.public_title = None
    site = build(hb)
    assert inc.title in (site / "history/index.html").read_text()


# --- symlinks and files outside the repository (issue 10 item 2) -----------------------

PRIVATE_INCIDENT = "incidents/2026-03-18-credential-stuffing-attack.md"
LINK_REFUSED = ("is a symbolic link (to {target}); the status page never publishes through a "
                "link, which could reach secrets or private files: put a copy of the file "
                "there instead")
LINKS = {
    # name in theme/status/ -> link target: CI secrets, a system file, a private incident,
    # a parent folder (copied without end by shutil.copytree), a folder outside.
    "assets/env.txt": "/proc/self/environ",
    "assets/passwd": "/etc/passwd",
    "assets/private.md": "../../../" + PRIVATE_INCIDENT,
    "assets/loop": "..",
    "assets/etc": "/etc",
    "index.html": "../../" + PRIVATE_INCIDENT,  # a template override
}


def _cli_build(root):
    from click.testing import CliRunner

    from conftest import NOW_ARG
    from sevbook.cli import main

    return CliRunner().invoke(main, ["build", "--no-handbook", "--now", NOW_ARG,
                                     "--root", str(root)])


def _digest(folder):
    import hashlib

    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", sorted(LINKS))
def test_a_symlink_in_the_theme_is_refused_and_the_site_kept(example, name):
    assert _cli_build(example).exit_code == 0
    site = example / "site" / "status"
    before = _digest(site)
    link = example / "theme" / "status" / name
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(LINKS[name])
    res = _cli_build(example)
    assert res.exit_code == 1
    assert res.output == (f"theme/status/{name}: error: [unsafe-asset] "
                          f"{LINK_REFUSED.format(target=LINKS[name])}\n"
                          "1 error, 0 warnings in 43 files\n")
    assert _digest(site) == before


def test_no_symlinked_content_reaches_the_site_when_links_are_refused(example):
    """The leak check on the symlink cases: the build stops, nothing is written, so no
    byte of a link's target can be published."""
    from sevbook.errors import ContentError

    for name, target in LINKS.items():
        link = example / "theme" / "status" / name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target)
    out = example / "out"
    with pytest.raises(ContentError) as e:
        build(load_example(example), out)
    assert sorted(d.file for d in e.value.diagnostics) == sorted(
        f"theme/status/{n}" for n in LINKS)
    assert not out.exists()


@pytest.mark.parametrize("linked", ["theme", "theme/status"])
def test_a_symlinked_theme_folder_is_refused(example, tmp_path, linked):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "assets").mkdir(parents=True)
    (elsewhere / "assets" / "secret.txt").write_text("zqleak9999x")
    path = example / linked
    if path.exists():
        import shutil

        shutil.rmtree(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if linked == "theme":
        (tmp_path / "outer").mkdir()
        (tmp_path / "outer" / "status").symlink_to(elsewhere)
    path.symlink_to(elsewhere if linked == "theme/status" else tmp_path / "outer")
    res = _cli_build(example)
    assert res.exit_code == 1
    assert res.output == (f"{linked}: error: [unsafe-asset] is a symbolic link; the status "
                          "page reads its theme only from a real folder inside the "
                          "repository\n1 error, 0 warnings in 43 files\n")
    assert not (example / "site" / "status").exists()


def test_a_symlink_swapped_in_after_the_check_is_refused_by_the_build(example, tmp_path):
    """The build reads every theme file again without following links."""
    from sevbook.errors import ContentError
    from sevbook.status.build import build_status
    from sevbook.status.public import public_view

    asset = example / "theme" / "status" / "assets" / "extra.css"
    asset.parent.mkdir(parents=True)
    asset.write_text("p{}")
    view = public_view(load_example(example), _now())
    asset.unlink()
    asset.symlink_to("/etc/passwd")
    with pytest.raises(ContentError) as e:
        build_status(view, tmp_path / "out")
    assert [d.text() for d in e.value.diagnostics] == [
        "theme/status/assets/extra.css: error: [unsafe-asset] goes through the symbolic "
        "link 'extra.css'"]


def _now():
    from conftest import NOW

    return NOW
