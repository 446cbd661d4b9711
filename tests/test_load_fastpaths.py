"""Loading's cheaper checks answer as the plain ones did: the control-character pre-check
(one character class, then what follows a backslash) and the alias pre-check."""

from __future__ import annotations

import itertools
import re

import pytest

from sevbook import load, yamlio
from sevbook.errors import YamlProblem

_FIVE_ALTERNATIVES = re.compile(
    load._CONTROL + r"|\\[0abtvfeN]|\\x[0-9a-fA-F]{2}|\\u00[0-9a-fA-F]{2}|\\U")
"""The pre-check as it was written first: the meaning the fast one must keep."""


def test_may_hold_controls_means_what_the_five_alternatives_mean():
    alphabet = ["\\", "x", "u", "0", "8", "b", "v", "N", "U", "q", "\x0b", "\x85", "é"]
    for n in range(1, 5):
        for chars in itertools.product(alphabet, repeat=n):
            text = "".join(chars)
            assert bool(load._MAY_HOLD_CONTROLS.search(text)) == \
                bool(_FIVE_ALTERNATIVES.search(text)), repr(text)


@pytest.mark.parametrize("text", ["\na: &x 1\nb: *x\n", "\n- &a [1]\n", "\na: 1\nb: *c\n"])
def test_anchors_and_aliases_are_still_refused(text):
    with pytest.raises(YamlProblem) as e:
        yamlio.load_yaml(text)
    assert "anchors and aliases" in e.value.message or "alias" in e.value.message.lower()


def test_ampersands_and_stars_in_text_are_fine():
    assert yamlio.load_yaml('\na: "R&D *now*"\nb: x & y\n') == {"a": "R&D *now*", "b": "x & y"}


def _handler_split(text: str) -> tuple[str, str] | None:
    """python-frontmatter's own detect-then-split, what `yamlio._split` must equal."""
    handler = yamlio._FM_HANDLER
    if not handler.detect(text):
        return None
    try:
        return handler.split(text)
    except ValueError:
        return None


def test_split_is_python_frontmatters_split():
    alphabet = ["---", "-", "\n", " ", "a", "----", "\t"]
    for n in range(1, 6):
        for parts in itertools.product(alphabet, repeat=n):
            text = "".join(parts)
            assert yamlio._split(text) == _handler_split(text), repr(text)
    text = "---\ntitle: x\n---  \n\nbody\n---\nmore\n"
    assert yamlio._split(text) == _handler_split(text) == ("\ntitle: x\n", "\nbody\n---\nmore\n")
