"""YAML reading: YAML 1.2 semantics, refusals, and the line of any key."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sevbook.errors import YamlProblem
from sevbook.yamlio import (
    KeyLines,
    LineFinder,
    key_lines,
    line_of,
    load_yaml,
    scan_key_lines,
    split_frontmatter,
)


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


# ---------------------------------------------------------------- the line scanner
# `LineFinder` scans simple block YAML instead of composing it; wherever the scan answers,
# the answer must be the composer's, for every key path and for a missing child of each.

def _agree(text: str) -> KeyLines:
    scan = scan_key_lines(text)
    assert scan is not None, "the scanner should read this text"
    composed = key_lines(text)
    for path in list(composed) + [p + ("missing",) for p in composed] + [p + (9,) for p in composed]:
        got = scan.find(path)
        assert got is None or got == line_of(composed, path), (path, got)
    return scan


SIMPLE = [
    "\na: 1\nb:\n  c: 2\n  d:\n  - x\n  - y: 1\n    z: 2\ne: [1, 2]\n",
    "\ntitle: a long\n  plain scalar\n  continued\nnext: 1\n",
    "\ntext: |\n  line: not a key\n  - nor an item\n\n  more\nafter: 2\n",
    "\ntext: >-\n  folded: x\nafter: 2\n",
    '\nq: "multi\n  line: quoted"\nr: 1\n',
    "\nq: 'it''s: fine'\nr: 1\n",
    '\n"yes": 1\n\'no\': 2\nx: {a: "b]", c: [d, "e}"]}\n',
    "\nlist:\n- a\n- b: 1\n  c: 2\nz: 3\n",
    "\n# comment\na: 1 # trailing: comment\nb: x#y\nc: http://example.com/a:b\n",
    "\ndt:\n  question: Q?\n  \"yes\":\n    question: R?\n    \"yes\": SEV0\n  \"no\": SEV1\n",
    "\nk: don't [stop]\nl: [don't, x]\nm: {a: 'it''s [', b: \"x # y\"}\n",
    "\nupdates:\n  - at: 1\n    message: >-\n      folded\n      text\n    components: {a: b}\n  - at: 2\n",
    "\na: 'x' # c\nb: \"y\"  \nc: -1\nd: ~\ne:\nf: []\n",
]


@pytest.mark.parametrize("text", SIMPLE)
def test_scanner_agrees_with_the_composer(text):
    scan = _agree(text)
    assert all(scan.find(p) is not None for p in key_lines(text))


def test_scanner_knows_lines_under_one_line_flow_collections():
    scan = _agree("\nupdates:\n  - {at: 1, status: x, components: {a: b}}\n  - at: 2\n")
    assert (scan.find(("updates", 0, "components", "a")), scan.find(("updates", 1, "at")),
            scan.find(("updates", 1, "status")), scan.find(("nothing",))) == (3, 4, 4, 1)


def test_scanner_leaves_multi_line_flow_collections_to_the_composer():
    scan = _agree("\nx: [a,\n  b]\ny:\n  - {p: 1,\n     q: 2}\nz: 1\n")
    assert (scan.find(("x",)), scan.find(("x", 1)), scan.find(("y", 0)),
            scan.find(("y", 0, "q")), scan.find(("z",))) == (2, None, 5, None, 7)


@pytest.mark.parametrize("text", [
    "\nseq:\n  - - a\n    - b\n",           # nested sequence on one line
    "\nk:\n  value on the next line\n",       # a scalar below its key
    "\na:\tx\n",                              # a tab
    "\na: 1\r\nb: 2\r\n",                     # CRLF
    "\na: !!str 1\n",                         # a tag
    "\n? complex\n: key\n",                   # a complex key
    "\n- a\n- b\n",                           # not a mapping
    '\n"a\\"b": 1\n',                         # an escaped quoted key
])
def test_scanner_defers_what_it_does_not_model(text):
    assert scan_key_lines(text) is None


def test_line_finder_composes_only_when_the_scan_cannot_answer():
    text = "\nx: [a,\n  b]\ny: 1\n"
    finder = LineFinder(text)
    assert (finder(("y",)), finder._composed) == (4, None)
    assert (finder(("x", 1)), finder._composed is not None) == (3, True)


_KEYS = st.sampled_from(["a", "b", "yes", "no", "key with space", "it's", "x: y", "#h",
                         "- d", "[z]", "q?", "é", "1"])
_SCALARS = st.one_of(
    st.sampled_from(["plain", "with: colon", "a # b", "it's", "[x]", "{y}", "- z", "", "true",
                     "line one\nline two", "  lead", "trail  ", "\"q\"", "'s'", "#"]),
    st.integers(-5, 5), st.booleans(), st.none(),
    st.text(st.sampled_from("ab :#'\"[]{},-\n"), max_size=12))
_DATA = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)), max_leaves=14)


@settings(max_examples=300, deadline=None)
@given(data=st.dictionaries(_KEYS, _DATA, min_size=1, max_size=5),
       flow=st.sampled_from([False, None, True]), width=st.sampled_from([12, 40, 200]),
       style=st.sampled_from([None, '"', "'", "|"]), indent=st.sampled_from([2, 4]))
def test_scanner_agrees_with_the_composer_on_dumped_yaml(data, flow, width, style, indent):
    """Whatever PyYAML writes (block, flow, wrapped over lines, every quoting style), the
    scan's answers are the composer's, or it defers."""
    text = "\n" + yaml.safe_dump(data, default_flow_style=flow, width=width, indent=indent,
                                 default_style=style, allow_unicode=True, sort_keys=False)
    try:
        load_yaml(text)
    except YamlProblem:
        return  # YAML 1.1 output that YAML 1.2 reads otherwise: never scanned
    scan = scan_key_lines(text)
    if scan is not None:
        _agree(text)
