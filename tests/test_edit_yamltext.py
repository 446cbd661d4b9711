"""The scalar writer behind `update`: any message reads back exactly, in every style."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sevbook import yamlio
from sevbook.edit.yamltext import plain_ok, scalar

STYLES = [None, "'", '"', "|", ">"]
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


def read_back(doc: str):
    return yaml.safe_load(doc), yamlio.load_yaml(doc)


@settings(max_examples=200, deadline=None)
@given(text=TEXT, style=st.sampled_from(STYLES))
def test_block_value_reads_back(text: str, style: str | None) -> None:
    doc = f"k: {scalar(text, style, indent=2)}\nnext: 1\n"
    for got in read_back(doc):
        assert got == {"k": text, "next": 1}, doc


@settings(max_examples=200, deadline=None)
@given(text=TEXT, style=st.sampled_from(STYLES))
def test_flow_value_reads_back(text: str, style: str | None) -> None:
    doc = f"- {{k: {scalar(text, style, flow=True)}, next: 1}}\n"
    for got in read_back(doc):
        assert got == [{"k": text, "next": 1}], doc


@pytest.mark.parametrize("text", ["yes", "no", "on", "null", "~", "1.0", "0x1f", "2026-01-01",
                                  "- a", "a: b", "a #b", "@x", "%x", "`x`", "", " x", "x "])
def test_ambiguous_text_is_quoted(text: str) -> None:
    assert not plain_ok(text)


def test_plain_text_stays_plain() -> None:
    assert scalar("We are investigating slow logins.") == "We are investigating slow logins."
    assert scalar("Fixed, watching.", flow=True) == "'Fixed, watching.'"
    assert scalar("It's fine", "'") == "'It''s fine'"
    assert scalar("two\nlines", None, indent=4) == "|-\n    two\n    lines"
