"""`sevbook serve`'s rebuilds: what they keep from the previous rebuild (unchanged status
pages, page cache entries and compiled templates in memory) gives exactly what a fresh
preview of the same sources shows, and is dropped when its inputs change."""

from __future__ import annotations

import hashlib
import posixpath
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import MappingProxyType, SimpleNamespace

import jinja2
import pytest
from mkdocs.exceptions import Abort
from tests.conftest import NOW

from sevbook.handbook import context, md
from sevbook.handbook.pagecache import Entry, PageStore
from sevbook.handbook.serve import Preview
from sevbook.handbook.session import Session, TemplateCache
from sevbook.handbook.statuspreview import theme_digest
from sevbook.status.theme import ThemeFiles

INCIDENT = "2026-02-09-search-missing-new-products"
TREES = ["status/", "status/accounts/", "internal-status/"]


def digests(tree: Path) -> dict[str, str]:
    # sitemap.xml.gz: its gzip header holds the time it was written
    return {p.relative_to(tree).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(tree.rglob("*")) if p.is_file() and p.name != "sitemap.xml.gz"}


def start(root: Path, cache: bool = True) -> Preview:
    """A preview of `root` after its first build (not listening)."""
    p = Preview(root, "127.0.0.1", 8000, NOW, status=True, cache=cache)
    p.build(p.config())
    return p


def finish(p: Preview) -> None:
    p.wait_removals()
    shutil.rmtree(p.folder, ignore_errors=True)


def fresh_preview(root: Path) -> dict[str, str]:
    """The digests of a preview of `root` built from nothing (no cache of any kind)."""
    p = start(root, cache=False)
    try:
        return digests(p.site_dir)
    finally:
        finish(p)


@pytest.fixture
def preview(example: Path) -> Iterator[Preview]:
    p = start(example)
    yield p
    finish(p)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_to_what_the_status_pages_show_renders_them_again(preview, example):
    path = example / "incidents" / f"{INCIDENT}.md"
    old_title = next(line for line in path.read_text().splitlines()
                     if line.startswith("public_title: "))
    edit(path, old_title, "public_title: Search shows new products late")
    path.write_text(path.read_text() + "\nA sentence added while serving.\n")
    first = preview.site_dir
    preview.build()
    assert preview.site_dir != first
    assert "status/" in preview.statuses.rendered
    assert preview.spare == first  # kept: the next rebuild writes over its files
    page = (preview.site_dir / "incidents" / INCIDENT / "index.html").read_text()
    assert "A sentence added while serving." in page
    assert "Search shows new products late" in (
        preview.site_dir / "status" / "history" / "index.html").read_text()
    assert digests(preview.site_dir) == fresh_preview(example)


def test_an_edit_no_status_page_shows_moves_every_status_page_over(preview, example):
    runbook = sorted((example / "content" / "runbooks").glob("*.md"))[0]
    runbook.write_text(runbook.read_text() + "\nOne more step, added while serving.\n")
    preview.build()
    assert preview.statuses.rendered == []
    assert preview.statuses.moved == TREES
    assert digests(preview.site_dir) == fresh_preview(example)
    # and a second rebuild takes them over from the folder they were moved into
    preview.build()
    assert preview.statuses.moved == TREES
    assert digests(preview.site_dir) == fresh_preview(example)


def test_a_nested_status_page_that_changed_is_rendered_inside_the_moved_one(preview):
    keys = preview.statuses._keys
    keys["status/accounts/"] = None  # as if its inputs had changed
    preview.build()
    assert preview.statuses.rendered == ["status/accounts/"]
    assert preview.statuses.moved == ["status/", "internal-status/"]
    assert digests(preview.site_dir) == fresh_preview(preview.root)


def test_a_failed_rebuild_keeps_the_last_preview_served(preview, example):
    served = preview.site_dir
    before = digests(served)
    path = example / "incidents" / f"{INCIDENT}.md"
    edit(path, "\nseverity: ", "\nseverity: NOPE\nseverity_was: ")
    with pytest.raises(Abort):  # the content errors, logged as `mkdocs serve` does
        preview.build()
    assert preview.site_dir == served and digests(served) == before
    preview.wait_removals()
    assert preview.spare is not None and preview.spare != served
    assert sorted(p.name for p in preview.folder.iterdir()) == sorted(
        [served.name, preview.spare.name])


def test_the_theme_digest_follows_the_bytes_of_the_status_theme(tmp_path):
    template = tmp_path / "theme" / "status" / "index.html"
    template.parent.mkdir(parents=True)
    template.write_text("one")
    files = ThemeFiles(root=tmp_path, templates=MappingProxyType(
        {"index.html": "theme/status/index.html"}))
    view = SimpleNamespace(files=files)
    first = theme_digest(view)  # type: ignore[arg-type]
    assert first and theme_digest(view) == first  # type: ignore[arg-type]
    template.write_text("two")
    assert theme_digest(view) not in (None, first)  # type: ignore[arg-type]
    template.unlink()
    assert theme_digest(view) is None  # type: ignore[arg-type]
    assert theme_digest(SimpleNamespace(files=ThemeFiles())) == ""  # type: ignore[arg-type]


def test_compiled_templates_render_what_a_fresh_compile_renders(tmp_path):
    (tmp_path / "page.html").write_text("{{ 'a' | upper }} {{ x }}")
    cache = TemplateCache()

    def render(bcc: jinja2.BytecodeCache | None, **env) -> str:
        e = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)),
                               bytecode_cache=bcc, **env)
        return e.get_template("page.html").render(x="y")

    assert render(cache) == render(None) == "A y"
    assert len(cache._code) == 1
    assert render(cache) == "A y"  # from the compiled code
    (tmp_path / "page.html").write_text("{{ x }}!")  # another source: compiled again
    assert render(cache) == render(None) == "y!"
    # other compiler settings never share compiled code
    assert render(cache, variable_start_string="{{", trim_blocks=True) == "y!"
    assert len(cache._code) == 2


def test_the_page_store_answers_from_memory_what_the_database_holds(tmp_path):
    entry = Entry(render_key="r", title="T", toc=[], anchors=["a"], links={"x.md": {"a": "b"}},
                  content="<p>x</p>", page_key="p", html="<html>", search=[{"text": "x"}])
    store = PageStore(tmp_path)
    store.put("a.md", entry)
    store.save()
    store.close()
    memory: dict[str, Entry] = {}
    from_db = PageStore(tmp_path, memory).get("a.md")
    assert from_db == entry and memory == {"a.md": entry}
    (tmp_path / "pages.sqlite3").unlink()  # gone from disk: memory still answers
    again = PageStore(tmp_path, memory).get("a.md")
    assert again == entry
    assert again is not memory["a.md"] and again.search[0] is not memory["a.md"].search[0]
    again.search[0]["text"] = "changed by a build"
    assert PageStore(tmp_path, memory).get("a.md") == entry
    assert PageStore(tmp_path).get("a.md") is None


@pytest.mark.parametrize("target,start", [
    ("services/checkout.md", "incidents"), ("severity.md", "."), ("a/b/c.md", "a/b"),
    ("a.md", "a/b/c"), ("../x.md", "incidents"), ("x.md", "../up"), ("x/", "x")])
def test_remembered_relative_links_are_what_relpath_gives(target, start):
    assert context._relpath(target, start) == posixpath.relpath(target, start)
    assert context._relpath(target, start) == posixpath.relpath(target, start)


def test_link_escapes_exactly_as_before():
    href = ' a b|c(d)e<f>g"h\ni '
    expected = "".join({" ": "%20", "|": "%7C", "(": "%28", ")": "%29", "<": "%3C",
                        ">": "%3E", '"': "%22", "\n": "%20"}.get(ch, ch)
                       for ch in href.strip())
    assert md.link("L", href) == f"[L]({expected})"
    assert expected == "a%20b%7Cc%28d%29e%3Cf%3Eg%22h%20i"


def test_a_source_read_through_the_session_is_what_mkdocs_reads(example):
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page

    from sevbook.handbook.build import load_mkdocs_config

    cfg = load_mkdocs_config(example, example / "site")
    session = Session()
    for uri in ("severity.md", "index.md"):
        file = File(uri, cfg.docs_dir, cfg.site_dir, False)
        ours, theirs = Page(None, file, cfg), Page(None, file, cfg)
        theirs.read_source(cfg)
        session.serve_source(ours)
        ours.read_source(cfg)
        assert (ours.markdown, ours.meta) == (theirs.markdown, theirs.meta)
        assert "read_source" not in vars(ours)
        ours.meta["hide"] = ["toc"]  # a page's meta is its own
        again = Page(None, file, cfg)
        session.read_source(again, cfg)
        assert again.meta == theirs.meta
    session.start_build()
    session.start_build()
    assert session._sources == {}


# ------------------------------------------------------------- incident pages remembered
OTHER = "2026-08-19-search-reindex-late"


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _new_incident(root: Path) -> None:
    text = (root / "incidents" / f"{OTHER}.md").read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("public_id:"))
    (root / "incidents" / "2026-11-01-a-new-incident.md").write_text(
        text.replace("\npublic: true\n", "\npublic: false\n") + "\n", encoding="utf-8")


def _reopen(path: Path) -> None:
    """Back to monitoring: the incident is open again (the banner on every page)."""
    edit(path, "\nresolved_at: 2026-02-09T12:30:00Z\n", "\n")
    edit(path, "    status: resolved\n", "    status: monitoring\n")


def _related(root: Path) -> None:
    """Relate INCIDENT to OTHER, then (after one rebuild) retitle OTHER."""
    edit(root / "incidents" / f"{INCIDENT}.md", "\nservices: [search]\n",
         f"\nservices: [search]\nrelated:\n  - {{incident: {OTHER}, relation: caused_by}}\n")


EDITS = {
    "incident body": lambda r: _append(r / "incidents" / f"{INCIDENT}.md",
                                       "\nA sentence added while serving.\n"),
    "incident status": lambda r: _reopen(r / "incidents" / f"{INCIDENT}.md"),
    "new incident": _new_incident,
    "deleted incident": lambda r: (r / "incidents" / f"{OTHER}.md").unlink(),
    "runbook title": lambda r: edit(r / "content" / "runbooks" / "search-degraded.md",
                                    "\ntitle: Search errors, slowness or stale results\n",
                                    "\ntitle: Search is broken\n"),
    "service name": lambda r: edit(r / "content" / "services" / "search.md",
                                   "\nname: Product Search\n", "\nname: Finding Things\n"),
    "severity matrix": lambda r: edit(r / "content" / "severity.md",
                                      "\n    name: Critical\n", "\n    name: Very bad\n"),
    "mkdocs.yml": lambda r: edit(r / "mkdocs.yml", "        timezone: Europe/Berlin\n",
                                 "        timezone: Asia/Tokyo\n"),
    "related incident": _related,
}


@pytest.mark.parametrize("kind", list(EDITS))
def test_a_rebuild_after_each_kind_of_edit_is_a_fresh_preview(preview, example, kind):
    first = preview.site_dir
    preview.build()  # nothing changed; the first folder becomes the spare
    assert preview.spare == first
    EDITS[kind](example)
    preview.build()  # written over the first build's files (recycle.py)
    assert preview.site_dir == first
    assert digests(preview.site_dir) == fresh_preview(example)
    pages = preview.session.incident_pages
    count = len(list((example / "incidents").glob("*.md")))
    if kind in ("incident body", "incident status", "new incident", "related incident"):
        assert (pages.made, pages.reused) == (1, count - 1)  # only the edited one made
    elif kind == "deleted incident":
        assert (pages.made, pages.reused) == (0, count)
    else:  # anything else an incident page may show: every page made again
        assert (pages.made, pages.reused) == (count, 0)
    if kind == "related incident":  # the page naming OTHER shows its new title
        edit(example / "incidents" / f"{OTHER}.md", "\ntitle: ", "\ntitle: Retitled - ")
        preview.build()
        assert (pages.made, pages.reused) == (2, count - 2)
        page = (preview.site_dir / "incidents" / INCIDENT / "index.html").read_text()
        assert "Retitled - " in page
        assert digests(preview.site_dir) == fresh_preview(example)


def test_a_failed_rebuild_leaves_the_remembered_pages_right(preview, example):
    path = example / "incidents" / f"{INCIDENT}.md"
    original = path.read_text(encoding="utf-8")
    edit(path, "\nseverity: ", "\nseverity: NOPE\nseverity_was: ")
    with pytest.raises(Abort):
        preview.build()
    path.write_text(original + "\nFixed, and one more sentence.\n", encoding="utf-8")
    preview.build()
    assert preview.session.incident_pages.made == 1
    assert digests(preview.site_dir) == fresh_preview(example)


def test_remembered_pages_compare_what_pydantic_equality_leaves_out(example):
    """Two incidents that differ only in their body (bound outside the model's fields)
    are equal to pydantic but not to `same`; so are two equal ones to both."""
    from sevbook.handbook.incidentmemo import same
    from sevbook.load import load

    def incident(root: Path):
        return load(root).handbook.incidents[INCIDENT]

    before = incident(example)
    assert same(before, incident(example))
    _append(example / "incidents" / f"{INCIDENT}.md", "\nOne more sentence.\n")
    after = incident(example)
    assert not same(before, after)
    assert not same([before], [after]) and not same({"a": before}, {"a": after})
    assert not same(before, None) and not same(1, 1.0) and same((1, "a"), (1, "a"))
    utc = datetime(2026, 2, 9, 8, tzinfo=UTC)
    assert same(utc, datetime(2026, 2, 9, 8, tzinfo=UTC))
    assert not same(utc, utc.astimezone(timezone(timedelta(hours=1))))  # equal by ==


def test_rebuilds_alternate_between_two_folders_and_leave_nothing_stale(preview, example):
    """A page that is gone since the spare folder was built is gone from it too."""
    page = example / "content" / "drill-notes.md"
    page.write_text("# Drill notes\n\nWhat we learned in the game day.\n", encoding="utf-8")
    preview.build()
    preview.build()  # both folders have the page now
    folders = {preview.site_dir, preview.spare}
    assert all((f / "drill-notes" / "index.html").is_file() for f in folders if f)
    page.unlink()
    for _ in range(3):
        preview.build()
        folders.add(preview.site_dir)
        assert not (preview.site_dir / "drill-notes").exists()
        assert digests(preview.site_dir) == fresh_preview(example)
    assert len(folders) == 2
    preview.wait_removals()
    assert sorted(p.name for p in preview.folder.iterdir()) == sorted(
        f.name for f in folders if f)


def test_status_pages_are_rendered_over_and_moved_into_an_older_folder(preview, example):
    """Each title edit renders the status pages again, the second one over the files of
    the first build's; then an edit no status page shows moves them into a folder that
    still holds older ones (handed to the background removal first)."""
    path = example / "incidents" / f"{INCIDENT}.md"
    old_title = next(line for line in path.read_text().splitlines()
                     if line.startswith("public_title: "))
    for n, title in enumerate(["Search shows new products late", "Search lags behind"]):
        edit(path, old_title, f"public_title: {title}")
        old_title = f"public_title: {title}"
        preview.build()
        assert "status/" in preview.statuses.rendered
        assert digests(preview.site_dir) == fresh_preview(example), n
    runbook = sorted((example / "content" / "runbooks").glob("*.md"))[0]
    runbook.write_text(runbook.read_text() + "\nOne more step.\n")
    before = len(preview._removals)
    preview.build()
    assert preview.statuses.moved == TREES
    assert len(preview._removals) > before  # the older status pages went to be removed
    assert digests(preview.site_dir) == fresh_preview(example)
    preview.wait_removals()
    assert sorted(p.name for p in preview.folder.iterdir()) == sorted(
        [preview.site_dir.name, preview.spare.name])


def test_unchanged_incidents_are_known_by_their_files_bytes(preview, example, monkeypatch):
    """With the content cache's keys, an incident is compared by its file's key, never
    model by model; the edited one (other bytes) is the one page made again."""
    from sevbook.handbook import incidentmemo
    from sevbook.model import Incident

    compared: list[object] = []
    real = incidentmemo.same

    def spy(a, b):
        if isinstance(a, Incident):
            compared.append(a)
        return real(a, b)

    monkeypatch.setattr(incidentmemo, "same", spy)
    path = example / "incidents" / f"{INCIDENT}.md"
    path.write_text(path.read_text() + "\nOne more sentence.\n")
    preview.build()
    pages = preview.session.incident_pages
    assert (pages.made, compared) == (1, [])
    assert digests(preview.site_dir) == fresh_preview(example)
