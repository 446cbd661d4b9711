"""YAML reading: YAML 1.2 semantics, refusals, and the line of any key."""

from __future__ import annotations

import pytest

from sevbook.errors import YamlProblem
from sevbook.yamlio import key_lines, line_of, load_yaml, split_frontmatter


def test_yes_no_on_stay_text():
    assert load_yaml("yes: SEV1\nno: SEV2\ncountry: NO\nflag: on\nok: true") == {
        "yes": "SEV1", "no": "SEV2", "country": "NO", "flag": "on", "ok": True}


def test_question_mark_inside_flow_mapping():
    assert load_yaml("no: {question: Is it degraded?, yes: SEV2, no: SEV3}") == {
        "no": {"question": "Is it degraded?", "yes": "SEV2", "no": "SEV3"}}


@pytest.mark.parametrize("text, line, message", [
    ("a: 1\nb: 2\na: 3\n", 3, "key 'a' appears twice (first on line 1); keep one"),
    ("a: &x [1]\nb: *x\n", 1, "YAML anchors and aliases (&name, *name) are not allowed in "
                              "sevbook files; write the value out in full"),
    ("a: [1\nb: 2\n", 2, "invalid YAML: did not find expected ',' or ']', while parsing a flow "
                         "sequence"),
])
def test_refusals(text, line, message):
    with pytest.raises(YamlProblem) as e:
        load_yaml(text)
    assert (e.value.line, e.value.message) == (line, message)


def test_key_lines_maps_nested_paths():
    text = "title: x\nupdates:\n  - at: 1\n    status: a\n  - {at: 2, status: b}\n"
    lines = key_lines(text)
    assert lines[("updates", 0, "status")] == 4
    assert lines[("updates", 1, "status")] == 5
    assert line_of(lines, ("updates", 1, "components", "x")) == 5
    assert line_of(lines, ("missing",)) == 1


def test_key_lines_falls_back_to_yaml12_parser():
    lines = key_lines("a: 1\nno: {question: Is it degraded?, yes: SEV2, no: SEV3}\n")
    assert lines[("no", "yes")] == 2


def test_split_frontmatter():
    assert split_frontmatter("---\na: 1\n---\nbody\n") == ("\na: 1\n", "\nbody\n", 1)
    assert split_frontmatter("# no frontmatter\n") is None
    assert split_frontmatter("\ufeff---\na: 1\n---\n")[0] == "\na: 1\n"
