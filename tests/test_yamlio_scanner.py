"""The line scanner and the outline's searches against the composer on real frontmatter,
and the scanner's fast paths against its slow ones: wherever `LineFinder`, `KeyLines` or
`Outline` answers, it is `line_of(key_lines(...))`'s answer.

Texts: every frontmatter of the example handbook and of `tests/data/`, a few hundred
incidents of the messy bench corpus (`bench/messy.py`), hand-written tricky cases and
generated block YAML (hypothesis)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sevbook import yamlio
from sevbook.errors import YamlProblem
from sevbook.yamlio import (
    KeyLines,
    LineFinder,
    Outline,
    key_lines,
    line_of,
    load_yaml,
    scan_key_lines,
    split_frontmatter,
)

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from messy import generate_messy  # noqa: E402

TRICKY = [
    '\na: "x # not a comment"\nb: 1 # a comment\nc: \'#\'\n',
    "\nk: don't\nl: it's: no\nm: [it's, x]\nn: {a: don't, b: 'it''s'}\n",
    "\nx: [a,\n  b, \"c]\"]\ny:\n  - {p: 1,\n     q: 2}\nz: 1\n",
    "\nt: |\n  a: b\n  - c\n\nu: >-\n  {x: y}\nv: 2\n",
    "\n# head\na:   # after\n  b: 1\n  # between\n  c: [1, {d: \"e}\"}]\n",
    '\nu:\n  - {at: 1, message: "a, b: c", components: {x: major_outage}}\n  - {at: 2, m: \'q\'}\n',
    "\nu:\n  - {a: x\"y\", b: 1}\n  - {a: \"x\" , b: [\"]\", '[']}\n  - [[[[[a]]]]]\n",
    "\nw: {a: b # c\n  , d: e}\nz: 1\n",
    "\nw:\n  - {a: b # c}\n    , d: e}\n  - [x # ]\n    ]\nz: 1\n",
    "\nq: \"line one\n  line: two\"\nr: 'x\n  y: z'\ns: 3\n",
    "\na.b: 1\nc-d: 2\n_e: 3\n9: 4\nf:\n- g\n- h: 1\n  i: 2\n",
    "\nplain: a long\n  continued: not a key\nnext: 1\n",
    "\nm: {a: 1}  # c\nn: [x]   \no: {}\np: []\n",
]


def _frontmatters() -> list[str]:
    texts = []
    files = sorted((REPO / "content").rglob("*.md")) + sorted((REPO / "incidents").rglob("*.md"))
    files += sorted((REPO / "tests" / "data").rglob("*.md"))
    for f in files:
        try:
            parts = split_frontmatter(f.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, OSError):
            continue
        if parts is not None:
            texts.append(parts[0])
    return texts


def _messy(tmp: Path) -> list[str]:
    out = generate_messy(tmp / "messy", 300, runbooks=10, services=10)
    parts = [split_frontmatter(f.read_text(encoding="utf-8"))
             for f in sorted((out / "incidents").glob("*-imported-*.md"))]
    return [p[0] for p in parts if p is not None]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    return _frontmatters() + _messy(tmp_path_factory.mktemp("scan")) + TRICKY


def _valid(text: str) -> bool:
    try:
        load_yaml(text)
    except YamlProblem:
        return False
    return True


def _paths(composed: dict[tuple, int]) -> list[tuple]:
    return list(composed) + [p + ("missing",) for p in composed] + [p + (9,) for p in composed]


def test_corpus_is_what_it_should_be(corpus):
    assert len(corpus) > 400
    scanned = [t for t in corpus if _valid(t) and scan_key_lines(t) is not None]
    assert len(scanned) > 350  # the scanner reads most of it, not just defers


def test_line_finder_gives_the_composers_line_for_every_path(corpus):
    for text in corpus:
        if not _valid(text):
            continue
        composed = key_lines(text)
        finder = LineFinder(text)
        for path in _paths(composed):
            assert finder(path) == line_of(composed, path), (text, path)


def test_the_scan_answers_are_the_composers_or_none(corpus):
    for text in corpus:
        scan = scan_key_lines(text) if _valid(text) else None
        if scan is None:
            continue
        composed = key_lines(text)
        for path in _paths(composed):
            got = scan.find(path)
            assert got is None or got == line_of(composed, path), (text, path, got)


def _state(scan: KeyLines | None) -> object:
    return None if scan is None else (scan.lines, scan.flat, scan.opaque)


def test_fast_paths_give_what_the_slow_paths_give(corpus, monkeypatch):
    """`_SIMPLE_KEY` (rows `key: plain`), `_FLAT_FLOW` (one-line flow collections in one
    regex) and `_FLAT_ITEM` (rows `- {...}`) change nothing: the same lines, flat and
    opaque paths as without them."""
    texts = [t for t in corpus if _valid(t)]
    fast = [_state(scan_key_lines(t)) for t in texts]
    never = yamlio.re.compile(r"(?!)")
    monkeypatch.setattr(yamlio, "_SIMPLE_KEY", never)
    monkeypatch.setattr(yamlio, "_FLAT_FLOW", never)
    monkeypatch.setattr(yamlio, "_FLAT_ITEM", never)
    slow = [_state(scan_key_lines(t)) for t in texts]
    assert fast == slow
    assert sum(s is not None for s in fast) > 350


@pytest.mark.parametrize("v", [
    '{at: 1, message: "Update on auth: x.", components: {auth: degraded}}  ',
    '[a, "b]"]', "{a: don't}", '{a: x"y"}', "[[[[a]]]]", "[[[[[a]]]]]",
    "{a: 'it''s [', b: \"x # y\"}", "{a: b # c", "{a: b # c}", "{a: b#c}",
    '{a: "\\"}"}', "{a:   \"x\"}", "[a, b",
])
def test_flat_flow_pattern_closes_where_flow_close_does(v):
    m = yamlio._FLAT_FLOW.match(v)
    assert m is None or m.end() == yamlio._flow_close(v, 0)


def test_flat_flow_pattern_matches_the_common_rows():
    row = '{at: 2016-10-25T12:35:00Z, status: investigating, message: "Update: x.", ' \
          "components: {auth: degraded_performance}}"
    assert yamlio._FLAT_FLOW.match(row).end() == len(row)  # type: ignore[union-attr]
    assert yamlio._FLAT_FLOW.match("{a: don't}") is None  # `'` inside a plain scalar


@pytest.mark.parametrize("row, groups", [
    ("title: Incident 0", ("", "title", "I")),
    ("  owner: Carla", ("  ", "owner", "C")),
    ("roles:", ("", "roles", None)),
    ("roles:   # c", ("", "roles", None)),
    ("x: -1", None), ("x: [a]", None), ('x: "q"', None), ("x: |", None), ("x:y", None),
    ("- a: 1", None), ("é: 1", None), ("a b: 1", None), ("x: &a 1", None), ("x: ? q", None),
])
def test_simple_key_rows(row, groups):
    m = yamlio._SIMPLE_KEY.match(row)
    assert (m.groups() if m else None) == groups


# ------------------------------------------------------------------ the outline
# `Outline` answers by searching rows once `_ROWS` has matched the whole text; these cases
# are the ones where a row that looks like a key or an item is not one (or is one of
# another block), and the shapes it must refuse.

OUTLINED = [
    "\na: 1\nab: 2\na.b: 3\nb:\n  a: 4\n  ab:\n    a: 5\n",            # prefixes of keys
    "\nt: |\n  a: not a key\n  - nor an item\n\n  b: x\na: 2\nb:\n  c: 3\n",  # block text
    "\nt: >2-\n   a: x\n  b: y\nu:\n- k: |+\n   c: z\n\n  d: 1\n",        # indicators
    "\nu:\n  - at: 1\n    m: |\n      at: 2\n\n       status: 3\n    status: 4\n  - at: 5\n",
    "\np: a long\n  - b\n  c\nq:\n- x\n  - y\n- z\n",                     # plain continued
    "\n# c: 1\na:\n# b: 2\n  b: 3\n    # c\n  c:   # d: 4\n  - 5\n  # - 6\n  - 7\n",
    "\nl:\n- a\n- b: 1\n  c:\n  - d\n  - e: {f: 1}\n    g: [h]\nz: 2\n",     # same column
    "\nl:\n    -   k: 1\n        m: 2\n    -   n: 3\nz:\n  - [1, {a: b}]  # c\n",
    "\nk: 'q: r'\nl: \"s: t\"\nm: -1\nn: ~\no:\np: x#y # c\nq: http://h/a:b\n9: 1\n",
    '\nu:\n  - {at: 1, message: "a, b: c", components: {x: y}}\n  - \"s: x\"\n  - \'t\'\n',
    "\nempty:\nnext:\n  # only a comment\nlast: 1",                      # no final newline
    "\n# only comments\n\n",
    "",
]


def _outline_agrees(text: str, every_key: bool = True) -> None:
    """The outline's line for every path of `text` and a missing child of each; with
    `every_key`, also each path with any key of the text (or item 0, 1) under it, so a
    sibling or an outer block's key is never taken for a child."""
    outline = Outline.of(text)
    assert outline is not None, "the outline should read this text"
    composed = key_lines(text)
    paths = _paths(composed) + [("a", "b", "c", 0), (0,), ("u", -1), ("l", "x"), ("l", True)]
    if every_key:
        names = sorted({p[-1] for p in composed if p and isinstance(p[-1], str)})
        paths += [p + (k,) for p in composed for k in [*names, 0, 1]]
    for path in paths:
        assert outline.find(path) == line_of(composed, path), (text, path)


@pytest.mark.parametrize("text", OUTLINED)
def test_outline_gives_the_composers_line(text):
    assert _valid(text)
    _outline_agrees(text)


@pytest.mark.parametrize("text", [
    "\nx: [a,\n  b]\ny: 1\n",                 # a flow collection over rows
    "\nq: \"a\n  b\"\nr: 1\n",                # a quoted scalar over rows
    "\nk:\n  value on the next line\n",       # a scalar below its key
    '\n"yes": 1\n',                           # a quoted key
    "\na b: 1\n", "\né: 1\n", "\n-a: 1\n",    # keys of other shapes
    "\nseq:\n  - - a\n", "\nseq:\n  -\n    a\n", "\n? k\n: v\n",
    "\n- a\n", "\n  a: 1\n  b: 2\n",          # not a mapping at column 0
    "\na: !!str 1\n", "\na:\tx\n", "\na: 1\r\n", "\ufeffa: 1\n", "\n---\na: 1\n",
    "\nl: [don't, x]\n",                      # `'` in a flow's plain scalar
])
def test_outline_refuses_what_it_does_not_model(text):
    assert Outline.of(text) is None


def test_outline_reads_the_corpus_and_agrees(corpus):
    outlined = [t for t in corpus if _valid(t) and Outline.of(t) is not None]
    assert len(outlined) > 400
    for text in outlined:
        _outline_agrees(text, every_key=len(text) < 2000)


def test_line_finder_searches_when_the_outline_reads_the_text():
    finder = LineFinder("\na: 1\nb:\n  c: 2\n")
    assert (finder(("b", "c")), finder(("b", "x")), finder._scanned) == (4, 3, False)
    finder = LineFinder("\nx: [a,\n  b]\ny: 1\n")
    assert (finder(("y",)), finder._outline, finder._scanned) == (4, None, True)


_ROW_KEYS = st.sampled_from(["a", "b", "ab", "a.b", "status", "at", "1", "x-y"])
_ROW_SCALARS = st.sampled_from([
    "1", "plain text", "x#y", "a # c", "'q: r'", '"s: t # u"', "[1, 2]", "{a: b, c: [d]}",
    '{m: "a, b: c"}', "-1", "~", "http://h/a:b"])
_Node = st.deferred(lambda: st.one_of(
    _ROW_SCALARS.map(lambda v: ("scalar", v)),
    st.sampled_from(["a: 1", "- b", "c:", "  d: 2", "# e: 3"]).map(lambda v: ("block", v)),
    st.tuples(st.just("map"), st.lists(st.tuples(_ROW_KEYS, _Node), min_size=1, max_size=3,
                                       unique_by=lambda kv: kv[0])),
    st.tuples(st.just("seq"), st.lists(_Node, min_size=1, max_size=3))))


def _rows(node, indent: int, lead: str, noise: list[str]) -> list[str]:
    """`node` as block YAML rows: `lead` (`key:` or `-`) at `indent`, with comment and
    blank rows from `noise` between them."""
    kind, value = node
    pad = " " * indent
    if kind == "scalar":
        return [f"{pad}{lead} {value}"]
    if kind == "block":
        return [f"{pad}{lead} |", f"{pad}  {value}", ""]
    head = [f"{pad}{lead}"] + ([noise.pop()] if noise else [])
    step = 0 if kind == "seq" and lead.endswith(":") and noise[:1] == [""] else 2
    rows = []
    for item in value:
        if kind == "map":
            rows += _rows(item[1], indent + step, f"{item[0]}:", noise)
        else:
            rows += _rows(item, indent + step, "-", noise)
    return head + rows


@settings(max_examples=300, deadline=None)
@given(root=st.lists(st.tuples(_ROW_KEYS, _Node), min_size=1, max_size=4,
                     unique_by=lambda kv: kv[0]),
       noise=st.lists(st.sampled_from(["", "# a: 9", "    # - 9", "  ", "#"]), max_size=6))
def test_outline_agrees_with_the_composer_on_generated_block_yaml(root, noise):
    """Nested block mappings and sequences (at the key's column or deeper), block scalars
    whose text looks like keys and items, comments and blank rows anywhere."""
    rows: list[str] = []
    for key, node in root:
        rows += _rows(node, 0, f"{key}:", noise)
    text = "\n" + "\n".join(rows) + "\n"
    if not _valid(text):
        return
    if Outline.of(text) is not None:
        _outline_agrees(text)
    finder, composed = LineFinder(text), key_lines(text)
    for path in _paths(composed):
        assert finder(path) == line_of(composed, path), (text, path)
