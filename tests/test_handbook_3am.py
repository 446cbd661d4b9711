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
