"""The pages a responder reads at 3 a.m.: runbook steps that stay one numbered list, the
warnings of `check` on their pages, the update cadence of an open incident."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import NOW, copy_example
from sevbook.handbook.build import build_handbook
from sevbook.load import load
from sevbook.rules import check
from sevbook.rules.lists import BrokenList, broken_lists


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("example") / "handbook")
    out = tmp_path_factory.mktemp("site")
    build_handbook(root, out, NOW)
    return out


class _Lists(HTMLParser):
    """The item count of every top-level <ol> of a page's article, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.sizes: list[int] = []

    def handle_starttag(self, tag, attrs):
        if tag == "ol":
            self.depth += 1
            if self.depth == 1:
                self.sizes.append(0)
        elif tag == "li" and self.depth == 1:
            self.sizes[-1] += 1

    def handle_endtag(self, tag):
        if tag == "ol":
            self.depth -= 1


def _ordered_list_sizes(html: str) -> list[int]:
    parser = _Lists()
    parser.feed(html.split("<article", 1)[1].split("</article>", 1)[0])
    return parser.sizes


def test_no_runbook_has_a_run_of_one_item_ordered_lists(site):
    pages = sorted((site / "runbooks").glob("*/index.html"))
    assert len(pages) == 10
    runs = {}
    for page in pages:
        sizes = _ordered_list_sizes(page.read_text(encoding="utf-8"))
        assert max(sizes) >= 3, page  # the Diagnosis steps are one list
        pairs = sum(a == b == 1 for a, b in zip(sizes, sizes[1:], strict=False))
        if pairs:
            runs[page.parent.name] = sizes
    assert runs == {}


def test_a_list_broken_by_a_3_space_code_block_is_found():
    body = "## Diagnosis\n\n1. Look:\n\n   ```bash\n   ls\n   ```\n\n2. Then:\n\n    ok\n"
    assert list(broken_lists(body)) == [BrokenList(line=5, indent=3, ordered=True)]


def test_four_spaces_lazy_lines_and_code_after_the_list_are_fine():
    body = ("1. Look at the\n   dashboard.\n\n    ```bash\n    ls\n   # not a list end\n"
            "    ```\n\n2. Then.\n\nAfter the list.\n\n```\n  indented inside a fence\n```\n")
    assert list(broken_lists(body)) == []


def test_check_warns_about_the_broken_list_with_its_line(example):
    path = example / "content/runbooks/api-latency.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    ```promql", "   ```promql", 1), encoding="utf-8")
    line = next(n for n, s in enumerate(path.read_text().split("\n"), 1) if s == "   ```promql")
    diags = [d.text() for d in check(load(example), NOW) if d.code == "broken-list"]
    assert diags == [
        f"content/runbooks/api-latency.md:{line}: warning: [broken-list] this line is "
        "indented 3 spaces inside a list item, which ends the list (numbered steps restart at "
        "1.); indent the item's paragraphs and code blocks by 4 spaces"]


# ------------------------------------------------------------------ update cadence
OPEN = "incidents/2026-11-22-search-errors-after-node-loss.md"


def _pages_at(root: Path, now):
    from sevbook.handbook.generate import generate

    result = load(root)
    return generate(result.handbook, now, check(result, now))


def test_banner_says_when_the_next_update_is_due(site):
    html = (site / "index.html").read_text(encoding="utf-8")
    banner = html.split('<span class="sb-announce">', 1)[1].split("\n    </span>", 1)[0]
    assert banner.endswith('<span class="sb-cadence">(last public update 20 min ago — SEV2 promises one '
            "every 1 h; next update due 13:40 CET)</span>")


def test_incident_page_says_the_update_is_overdue_and_since_when(example):
    from datetime import timedelta

    page = _pages_at(example, NOW + timedelta(hours=1))[OPEN]
    assert ('!!! warning "Public updates"\n\n'
            "    Last public update 1 h 20 min ago — SEV2 promises one every 1 h; overdue.\n\n"
            "    Next update was due 13:40 CET (20 min ago).\n") in page


def test_incident_page_on_time_shows_the_next_due_time(example):
    page = _pages_at(example, NOW)[OPEN]
    assert ('!!! info "Public updates"\n\n'
            "    Last public update 20 min ago — SEV2 promises one every 1 h.\n\n"
            "    Next update due 13:40 CET.\n") in page


def test_resolved_incidents_owe_no_update(example):
    pages = _pages_at(example, NOW)
    owing = [p for p, text in pages.items() if '"Public updates"' in text]
    assert owing == [OPEN]


# ------------------------------------------------------------------ check warnings on pages
def test_every_check_warning_is_on_its_page(example):
    from datetime import timedelta

    later = NOW + timedelta(days=240)
    result = load(example)
    diags = [d for d in check(result, later) if d.severity == "warning"]
    pages = _pages_at(example, later)
    missing = []
    for d in diags:
        uri = (f"incidents/{Path(d.file).stem}.md" if d.file.startswith("incidents/")
               else d.file.removeprefix("content/"))
        shown = d.code == "stale-runbook" and "runbook is stale" in pages[uri] or (
            f"`{d.code}`" in pages[uri].split("\n## ", 1)[0])
        if not shown:
            missing.append(d.text())
    assert len(diags) > 10
    assert missing == []


def test_a_warning_admonition_quotes_check(example):
    from datetime import timedelta

    later = NOW + timedelta(hours=1)
    page = _pages_at(example, later)[OPEN]
    assert page.split("\n", 1)[1].startswith(
        '\n!!! warning "sevbook check: 1 warning about this page"\n\n'
        f"    Found in `{OPEN}`; `sevbook check` lists them too.\n\n"
        "    - line 26 · `silent-incident` `updates[2].at`: no public update for 1 h 20 min "
        "on an open incident; SEV2 promises one every 1 h — post one now with sevbook update "
        "2026-11-22-search-errors-after-node-loss\n")


def test_an_empty_runbook_section_is_a_warning(example):
    path = example / "content/runbooks/edge-errors.md"
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("## Rollback\n", 1)
    _, after = rest.split("\n## ", 1)
    path.write_text(head + "## Rollback\n\n<!-- TODO -->\n\n## " + after, encoding="utf-8")
    diags = [d.text() for d in check(load(example), NOW) if d.code == "empty-section"]
    assert diags == ["content/runbooks/edge-errors.md:1: warning: [empty-section] runbook "
                     "section(s) Rollback are empty; write what to do (even 'None: ...' with "
                     "the reason is an answer)"]


def test_templates_name_the_site_zone(example_handbook_site: Path) -> None:
    # The pages show Europe/Berlin times (CET/CEST); the templates say the same zone.
    md_text = (example_handbook_site / "templates" / "index.html").read_text()
    assert "since when (HH:MM CET/CEST)" in md_text
    assert "(by &lt;HH:MM CET/CEST&gt;)" in md_text
    assert "UTC" not in md_text.split('<article', 1)[1].split("</article>", 1)[0]
