"""The page registry answers which pages exist without rendering them (`page_paths`), and
renders one page with only the generators of its path (`generate_page`): both give
exactly what rendering every page (`generate_pages`) gives, and so does the link check
that uses them (`sevbook.links.DocsSite`)."""

from __future__ import annotations

import dataclasses
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
from tests import rule_corpora
from tests.conftest import NOW

from sevbook import links
from sevbook.handbook import generate
from sevbook.handbook.generate import Context, Page, generate_page, generate_pages, page_paths
from sevbook.load import load
from sevbook.rules import check

LINKS = """# Links into generated pages

[first incident](../incidents/{first}.md#timeline), [last](../incidents/{last}.md#nope),
[metrics](../metrics.md#zz), [runbooks](../runbooks/index.md#runbooks),
[severity](../severity.md#sev1), [service](../services/{service}.md#recent-incidents),
[items](../action-items.md#zz), [postmortems](../postmortems.md), [roles](../roles/index.md#x),
[templates](../templates.md#incident-declared), [missing](../incidents/none.md),
[on-call](../oncall.md#team-payments), [no page](../services/index.md#services).
"""


@pytest.fixture(params=rule_corpora.NAMES)
def root(request, tmp_path: Path) -> Path:
    return rule_corpora.make(request.param, tmp_path)


def _context(root: Path) -> Context:
    result = load(root)
    return Context(result.handbook, NOW, check(result, NOW))


def test_paths_are_the_rendered_pages_paths(root):
    ctx = _context(root)
    assert page_paths(ctx) == list(generate_pages(ctx))


def test_one_page_is_that_page_of_every_page(root):
    ctx = _context(root)
    pages = generate_pages(ctx)
    for path, page in pages.items():
        one = generate_page(ctx, path)
        assert one is not None and one.markdown("Prose.\n") == page.markdown("Prose.\n")
    assert generate_page(ctx, "no/such/page.md") is None


def test_a_generator_without_paths_is_run_to_learn_them(root, monkeypatch):
    def extra(ctx):
        yield Page("extra.md", "Extra", above="Hello.\n")
        yield Page("severity.md", "Severity", below="More.\n")

    monkeypatch.setattr(generate, "GENERATORS", [*generate.GENERATORS, extra])
    ctx = _context(root)
    assert page_paths(ctx) == list(generate_pages(ctx))
    assert "extra.md" in page_paths(ctx)
    page = generate_page(ctx, "severity.md")
    assert page is not None and page.markdown() == generate_pages(ctx)["severity.md"].markdown()
    assert page.below.endswith("More.\n")


def test_paths_follow_the_handbook(root):
    """Nothing is kept between contexts: a runbook less is a page less."""
    hb = load(root).handbook
    if not hb.runbooks:
        pytest.skip("this corpus has no runbook")
    first = next(iter(hb.runbooks.values()))
    fewer = dataclasses.replace(hb, runbooks={k: v for k, v in hb.runbooks.items()
                                              if k != first.id})
    uri = Context(hb, NOW).doc_uri(first)
    assert uri in page_paths(Context(hb, NOW))
    assert uri not in page_paths(Context(fewer, NOW))
    assert page_paths(Context(fewer, NOW)) == list(generate_pages(Context(fewer, NOW)))


class SlowSite(links.DocsSite):
    """The registry as it was: every page of the one-incident handbook rendered."""

    @cached_property
    def _rendered(self) -> dict[str, Page]:
        hb = self.handbook
        one = dataclasses.replace(hb, incidents=dict(islice(hb.incidents.items(), 1)))
        return generate_pages(Context(one, self.now, []))

    @cached_property
    def generated(self) -> set[str] | None:  # type: ignore[override]
        out = set(self._rendered)
        for inc in self.handbook.incidents.values():
            self._incidents[f"incidents/{inc.id}.md"] = inc
            out.add(f"incidents/{inc.id}.md")
        return out

    def _page(self, uri: str) -> Any:
        if uri in self._rendered:
            return self._rendered[uri]
        inc = self._incidents[uri]
        one = dataclasses.replace(self.handbook, incidents={inc.id: inc})
        return generate_pages(Context(one, self.now, [])).get(uri)


def _with_links(root: Path) -> Path:
    hb = load(root).handbook
    ids = list(hb.incidents) or ["none"]
    service = next(iter(hb.services), "none")
    page = root / hb.settings.docs_dir / "guide" / "registry-links.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(LINKS.format(first=ids[0], last=ids[-1], service=service), encoding="utf-8")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as f:
        f.write("\nvalidation:\n  not_found: warn\n  unrecognized_links: warn\n"
                "  anchors: warn\n")
    return root


def test_link_check_gives_what_rendering_every_page_gives(root, monkeypatch):
    hb = load(_with_links(root)).handbook
    fast = links.link_problems(hb, NOW)
    monkeypatch.setattr(links, "DocsSite", SlowSite)
    slow = links.link_problems(hb, NOW)
    assert fast == slow
    assert any(p.file.endswith("registry-links.md") for p in fast)
