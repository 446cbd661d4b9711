"""Golden Markdown of a few generated handbook pages of the example, at the tests' `now`.

The files in tests/golden/handbook/ are exactly what the plugin hands to MkDocs for those
pages (generated parts around the page's own prose). After an intended change of output,
regenerate them with `python tests/regen_golden.py` and review the diff.
"""

from __future__ import annotations

import pytest

from conftest import NOW, REPO
from sevbook.handbook.generate import generate, structured_prose
from sevbook.load import load
from sevbook.rules import check

GOLDEN = REPO / "tests" / "golden" / "handbook"
GOLDEN_PAGES = [
    "severity.md",
    "incidents/2025-12-01-cyber-monday-checkout-pool-exhaustion.md",
    "action-items.md",
    "runbooks/index.md",
]


def example_pages() -> dict[str, str]:
    """{docs path: Markdown} of every generated page of the example at NOW."""
    result = load(REPO)
    hb = result.handbook
    return generate(hb, NOW, check(result, NOW), structured_prose(hb))


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return example_pages()


@pytest.mark.parametrize("path", GOLDEN_PAGES)
def test_generated_page_matches_golden(pages, path):
    expected = (GOLDEN / path).read_text(encoding="utf-8")
    assert pages[path] == expected
