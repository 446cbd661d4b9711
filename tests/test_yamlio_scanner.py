"""The line scanner against the composer on real frontmatter, and its fast paths against
its slow ones: wherever `LineFinder` answers, it is `line_of(key_lines(...))`'s answer.

Texts: every frontmatter of the example handbook and of `tests/data/`, a few hundred
incidents of the messy bench corpus (`bench/messy.py`) and hand-written tricky cases."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from sevbook import yamlio
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
