"""Reading YAML frontmatter safely and fast, and finding the line of any key later.

* ryaml (Rust, YAML 1.2) parses: 10,000 files must load in well under a second, and
  PyYAML's Python constructor alone takes two seconds for that. YAML 1.2 also means only
  `true`/`false` are booleans: YAML 1.1 turns `no:`, `yes:`, `on:` and the country code
  `NO` into booleans, which would break the severity decision tree (`yes:`/`no:`), and
  `?` inside `{...}` is text, as in the DESIGN's `{question: Is it degraded?, ...}`.
* Anchors and aliases are refused before anything expands them: an alias bomb ("billion
  laughs") is small on disk and explodes in memory as soon as anything walks it.
* Line numbers are not kept during the fast load. When a problem needs one, the file is
  composed again with libyaml (node tree with marks; ruamel.yaml when libyaml cannot read
  it) and the key's path is looked up. Problems are rare, so the common case pays nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import frontmatter
import ryaml
import yaml

from .errors import YamlProblem

try:  # libyaml is bundled with PyYAML wheels; fall back to pure Python if missing
    from yaml._yaml import CParser as _Parser

    _HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml.parser import Parser as _Parser

    _HAVE_LIBYAML = False

from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver


class _Resolver(Resolver):
    pass


# Replace the YAML 1.1 bool resolver with the YAML 1.2 core schema one.
_Resolver.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in Resolver.yaml_implicit_resolvers.items()
}
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


if _HAVE_LIBYAML:
    class Loader(_Parser, SafeConstructor, _Resolver):
        def __init__(self, stream: str):
            _Parser.__init__(self, stream)
            SafeConstructor.__init__(self)
            _Resolver.__init__(self)
else:  # pragma: no cover
    from yaml.composer import Composer
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class Loader(Reader, Scanner, _Parser, Composer, SafeConstructor, _Resolver):  # type: ignore
        def __init__(self, stream: str):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _Parser.__init__(self)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            _Resolver.__init__(self)


def _refuse_aliases(text: str) -> None:
    """Refuse anchors/aliases before anything expands them (libyaml events, no objects)."""
    if "&" not in text and "*" not in text:
        return  # `in` is ten times faster than a regex character class here
    loader = Loader(text)
    try:
        while loader.check_event():
            ev = loader.get_event()
            if isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None):
                raise YamlProblem(
                    "YAML anchors and aliases (&name, *name) are not allowed in sevbook "
                    "files; write the value out in full",
                    ev.start_mark.line + 1,
                )
    except yaml.YAMLError:
        pass  # not YAML 1.1; the YAML 1.2 parser below decides (and refuses aliases too)
    finally:
        loader.dispose()


MAX_NESTING = 100
"""Deepest nesting of flow collections (`[...]`, `{...}`) a file may have. ryaml's scanner
spends time proportional to the open collections on every token, so 200 KB of `[` took 90 s
before its own depth limit (128) answered; this is found first, in linear time."""

_NODE_START = re.compile(r"[ \t]*(?:[-?](?=[ \t]|$)[ \t]*)*", re.M)
_VALUE_OR_COMMENT = re.compile(r":(?=[ \t]|$)|(?<=[ \t])#", re.M)
_FLOW_TOKEN = re.compile(r"[\[\]{}\"'#]")


def _line_end(text: str, p: int) -> int:
    end = text.find("\n", p)
    return len(text) if end < 0 else end


def _quoted_end(text: str, p: int) -> int:
    """The index after the quoted scalar starting at `p` (the end of text if unclosed)."""
    if text[p] == "'":
        m = re.compile(r"'(?:[^']|'')*'").match(text, p)
    else:
        m = re.compile(r'"(?:[^"\\]|\\.)*"', re.S).match(text, p)
    return m.end() if m else len(text)


def _flow_end(text: str, p: int) -> tuple[int, int | None]:
    """Scan the flow collection opening at `p`: (index after it, None), or (index, line)
    where it nests deeper than MAX_NESTING."""
    depth = 0
    while True:
        m = _FLOW_TOKEN.search(text, p)
        if m is None:
            return len(text), None
        q, c = m.start(), m.group()
        p = q + 1
        if c in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return q, text.count("\n", 0, q) + 1
        elif c in "]}":
            depth -= 1
            if depth <= 0:
                return p, None
        elif c == "#" and (q == 0 or text[q - 1] in " \t\n"):
            p = _line_end(text, q)
        elif c in "'\"" and text[:q].rstrip()[-1:] in ("[", "{", ",", ":", "?"):
            p = _quoted_end(text, q)


def _block_scalar_end(text: str, eol: int, parent: int) -> int:
    """The start of the first line after `eol` that is neither blank nor indented deeper
    than `parent` (the end of a block scalar's content)."""
    pos = eol + 1
    while pos < len(text):
        end = _line_end(text, pos)
        line = text[pos:end]
        if line.strip() and len(line) - len(line.lstrip(" ")) <= parent:
            return pos
        pos = end + 1
    return len(text)


def _deep_nesting_line(text: str) -> int | None:
    """The line where flow collections nest deeper than MAX_NESTING, else None.

    A light scan of YAML's structure: flow collections start where a node starts (after
    indentation, `- `, `? ` or `key: `) and everywhere inside another one; quoted scalars,
    comments and block scalars (`|`, `>`) are skipped."""
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return None  # the common case: not even possible
    pos = 0
    while pos < len(text):
        eol = _line_end(text, pos)
        node_start = _NODE_START.match(text, pos, eol)
        assert node_start is not None  # the pattern matches the empty string
        start = p = node_start.end()
        next_line = eol + 1
        while p < eol:
            c = text[p]
            if c == "#":
                break
            if c in "|>":
                # Its content is indented deeper than the key (`key: |`), or than the
                # line (`- |`).
                row = text[pos:eol]
                parent = start - pos if p > start else len(row) - len(row.lstrip(" "))
                next_line = _block_scalar_end(text, eol, parent)
                break
            if c in "[{":
                p, deep = _flow_end(text, p)
                if deep is not None:
                    return deep
            elif c in "'\"":
                p = _quoted_end(text, p)
            eol = _line_end(text, p)
            next_line = eol + 1
            m = _VALUE_OR_COMMENT.search(text, p, eol)
            if m is None or m.group() == "#":
                break
            p = m.end()
            while p < eol and text[p] in " \t":
                p += 1
        pos = next_line
    return None


def _yaml12():
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True)


_RYAML_POS = re.compile(r" at line (\d+) column (\d+)")


def load_yaml(text: str) -> Any:
    """Parse one YAML 1.2 document with the rules above; raise YamlProblem on bad input.

    ryaml (Rust, YAML 1.2) does the parsing: it is six times faster than PyYAML's Python
    constructor and refuses duplicate keys. Timestamps and dates come back as strings and
    Pydantic parses them, so a time without an offset is still caught by the models.
    """
    deep = _deep_nesting_line(text)
    if deep is not None:
        raise YamlProblem(f"nesting deeper than {MAX_NESTING} levels ([ and {{ inside each "
                          "other); write the structure flatter", deep)
    _refuse_aliases(text)
    try:
        return ryaml.loads(text)
    except ryaml.InvalidYamlError as e:
        msg = str(e)
        m = _RYAML_POS.search(msg)
        line = int(m.group(1)) if m else 1
        msg = _RYAML_POS.sub("", msg)
        dup = re.search(r'duplicate entry with key "(.*)"', msg)
        if dup:
            key = dup.group(1)
            hits = [i for i, ln in enumerate(text.splitlines(), 1)
                    if re.match(rf"\s*(?:-\s+)?['\"]?{re.escape(key)}['\"]?\s*:", ln)]
            line = hits[1] if len(hits) > 1 else line
            first = f" (first on line {hits[0]})" if hits else ""
            raise YamlProblem(f"key '{key}' appears twice{first}; keep one", line) from None
        raise YamlProblem(f"invalid YAML: {msg}", line) from None
    except (ValueError, TypeError, OverflowError) as e:
        raise YamlProblem(f"invalid YAML value: {e}", 1) from None


_FM_HANDLER = frontmatter.YAMLHandler()


def _split(text: str) -> tuple[str, str] | None:
    """`_FM_HANDLER.detect` then `.split` (the boundary regex splitting the whole text
    twice), with the second boundary looked for only where a line starts with `---`."""
    boundary = _FM_HANDLER.FM_BOUNDARY
    first = boundary.match(text)
    if first is None:
        return None
    at = first.end()
    while True:
        at = text.find("---", at)
        if at < 0:
            return None
        second = boundary.match(text, at) if at == 0 or text[at - 1] == "\n" else None
        if second is not None:
            return text[first.end():second.start()], text[second.end():]
        at += 1


def split_frontmatter(text: str) -> tuple[str, str, int] | None:
    """Split `---\\nYAML\\n---\\nbody` into (yaml, body, file line of YAML line 1).

    Returns None when the file has no frontmatter block. Uses python-frontmatter's
    splitting rules so files that work there work here.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    parts = _split(text)
    if parts is None:
        return None
    fm, body = parts
    # The YAML text starts with the rest of the opening `---` line (a newline), so line N
    # of the YAML text is line N of the file.
    return fm, body, 1


def key_lines(text: str) -> dict[tuple, int]:
    """Map every key path in a YAML document to its 1-based line (by composing it).

    Paths use str keys and int list indexes: ("updates", 2, "status"). A path to a mapping
    key gives the key's line; the empty path gives line 1.
    """
    lines: dict[tuple, int] = {(): 1}
    try:
        loader = Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError:
        try:
            node = _yaml12().compose(text)
        except Exception:
            return lines
    if node is None:
        return lines
    stack: list[tuple[tuple, Any]] = [((), node)]
    while stack:
        path, n = stack.pop()
        kind = getattr(n, "id", "")
        if kind == "mapping":
            for k, v in n.value:
                key = k.value if getattr(k, "id", "") == "scalar" else str(k.value)
                p = path + (key,)
                lines.setdefault(p, k.start_mark.line + 1)
                stack.append((p, v))
        elif kind == "sequence":
            for i, v in enumerate(n.value):
                p = path + (i,)
                lines.setdefault(p, v.start_mark.line + 1)
                stack.append((p, v))
    return lines


def line_of(lines: dict[tuple, int], path: tuple) -> int:
    """The line of the deepest existing prefix of `path` (a missing key: its parent)."""
    p = tuple(path)
    while p:
        if p in lines:
            return lines[p]
        p = p[:-1]
    return lines.get((), 1)


# ---------------------------------------------------------------------- fast line lookup
# Composing a file again (above) costs about a millisecond in pure Python; an imported
# history warns on every incident, and then finding lines was half of `check`. Most
# frontmatter is simple block YAML: `key: value`, `- item`, nested by indentation, with
# one-line flow collections (`{at: ..., status: ...}`). `KeyLines` reads exactly that with
# a line scanner and says "don't know" (None) for everything else, where the composer
# answers. The scanner runs only on text that already parsed (ryaml), so it may rely on
# the YAML being valid; it gives up at the first construct it does not model.

class _Hard(Exception):
    """The scanner met YAML it does not model: the composer decides."""


_HARD_CHARS = ("\t", "\r", "\x85", "\u2028", "\u2029", "\ufeff")
_HARD_STARTS = ("---", "...", "%")
"""Tabs, other line breaks, a BOM, document markers or directives: left to the composer."""
_HARD_TEXT = _HARD_CHARS + tuple("\n" + m for m in _HARD_STARTS)
_QUOTED = {"'": re.compile(r"'(?:[^']|'')*'"), '"': re.compile(r'"(?:[^"\\]|\\.)*"', re.S)}
_REST_OK = re.compile(r"[ ]*(?:#.*)?$")
_KEY_FIRST_BAD = frozenset("[]{},#&*!|>%@`")
_ITEM_FIRST_HARD = frozenset("#-?|>&*!%@`")
_VALUE_FIRST_HARD = frozenset("&*!%@`")
_FLOW_SPECIAL = re.compile(r"[\[\]{}\"'#]")
_SIMPLE_KEY = re.compile(r"""( *)([A-Za-z0-9_][A-Za-z0-9_.-]*):(?:$| +(?:$|#|([^ \[\]{}|>'"&*!%@`#?-])))""")
"""The common row `key: plain value` (group 3: the value's first character), `key:` or
`key: # comment`, which `_key` would read the same way; other rows go through `_key`."""


@dataclass
class _Open:
    """A block collection being read: its indentation, kind, path and items so far."""

    indent: int
    seq: bool
    path: tuple
    items: int = 0


_Step = tuple["tuple[tuple, int] | None", int, int]
"""What reading a line leaves: (a `key:` whose value starts below and its column, skip
the lines indented deeper than this (-1: none), skip the lines up to this one)."""


class KeyLines:
    """The lines of the keys and items of a simple block-YAML document, from a scan.

    `lines`: path -> line, as `key_lines` gives it; `flat`: paths of one-line flow
    collections (everything under them is on that line); `opaque`: flow collections over
    several lines (nothing under them is known). `find` gives `line_of`'s answer, or None
    when only the composer knows it."""

    def __init__(self, text: str):
        self.lines: dict[tuple, int] = {(): 1}
        self.flat: dict[tuple, int] = {}
        self.opaque: set[tuple] = set()
        self._text = text
        self._rows = text.split("\n")
        self._starts: list[int] | None = None
        self._scan()

    def find(self, path: tuple) -> int | None:
        p = tuple(path)
        for n in range(len(p), -1, -1):
            q = p[:n]
            if q in self.lines:
                if n < len(p):
                    if q in self.opaque:
                        return None
                    if q in self.flat:
                        return self.flat[q]
                return self.lines[q]
        return 1  # pragma: no cover - () is always in lines

    def _scan(self) -> None:
        """One pass over the lines with a stack of the open block collections."""
        stack: list[_Open] = []
        pending: tuple[tuple, int] | None = None
        skip_deeper, skip_to = -1, 0
        simple_key, flat_item = _SIMPLE_KEY.match, _FLAT_ITEM.match
        for line, raw in enumerate(self._rows, 1):
            if line <= skip_to:
                continue
            simple = simple_key(raw)
            flat = None if simple is not None else _flat_item(flat_item(raw), raw)
            if simple is not None:
                s, indent, dash = raw, simple.end(1), False
            elif flat is not None:
                s, indent, dash = raw, flat.end(1), True
            else:
                s = raw.lstrip(" ")
                if not s or s[0] == "#":
                    continue
                indent = len(raw) - len(s)
                dash = s[0] == "-" and (len(s) == 1 or s[1] == " ")
            if indent > skip_deeper >= 0:
                continue  # a block scalar's text, or a plain scalar continued
            if pending is not None:
                path, col = pending
                pending = None
                if dash and indent >= col:
                    stack.append(_Open(indent, True, path))
                elif indent > col:
                    stack.append(_Open(indent, False, path))
            while stack and (stack[-1].indent > indent
                             or (stack[-1].indent == indent and stack[-1].seq and not dash)):
                stack.pop()
            if not stack:
                if len(self.lines) > 1 or dash:
                    raise _Hard  # a second root node, or a document that is a sequence
                stack.append(_Open(indent, False, ()))
            top = stack[-1]
            if top.indent != indent or top.seq != dash:
                raise _Hard
            if simple is not None:
                path = top.path + (simple.group(2),)
                if path in self.lines:
                    raise _Hard  # a key twice: ryaml refuses it; never guess
                self.lines[path] = line
                pending = None if simple.group(3) else (path, indent)
                skip_deeper, skip_to = (indent if simple.group(3) else -1), 0
            elif flat is not None:
                path = top.path + (top.items,)
                top.items += 1
                self.lines.setdefault(path, line)
                self.flat[path] = line
                pending, skip_deeper, skip_to = None, -1, 0
            elif dash:
                pending, skip_deeper, skip_to = self._item(stack, s, indent, line)
            else:
                pending, skip_deeper, skip_to = self._key(top.path, s, indent, line)

    def _item(self, stack: list[_Open], s: str, indent: int, line: int) -> _Step:
        """`- node` in the sequence on top of `stack`."""
        top = stack[-1]
        path = top.path + (top.items,)
        top.items += 1
        self.lines.setdefault(path, line)
        t = s[1:].lstrip(" ")
        c = t[:1]
        if not c or c in _ITEM_FIRST_HARD:
            raise _Hard  # empty, nested, complex, block scalar or tagged items
        if c in "[{":
            return None, -1, self._flow(path, t, line)
        if c in "'\"":
            m = _QUOTED[c].match(t)
            if m is None or t[m.end():m.end() + 1] != ":":
                return None, indent, self._quoted(t, line)
        elif ": " not in t and not t.endswith(":"):
            return None, indent, 0  # a plain scalar (maybe continued below)
        col = indent + len(s) - len(t)
        stack.append(_Open(col, False, path))
        return self._key(path, t, col, line)

    def _key(self, parent: tuple, s: str, col: int, line: int) -> _Step:
        """`key: value` at column `col` of a mapping at `parent`."""
        if s[0] in "'\"":
            m = _QUOTED[s[0]].match(s)
            if m is None or "\\" in m.group():
                raise _Hard
            key = m.group()[1:-1].replace("''", "'") if s[0] == "'" else m.group()[1:-1]
            rest = s[m.end():]
            if rest[:1] != ":" or rest[1:2] not in ("", " "):
                raise _Hard
        else:
            k = s.find(": ")
            if k < 0:
                if not s.endswith(":"):
                    raise _Hard
                k = len(s) - 1
            key = s[:k].rstrip(" ")
            if (not key or key[0] in _KEY_FIRST_BAD or " #" in key
                    or (key[0] in "?:-" and key[1:2] in ("", " "))):
                raise _Hard
            rest = s[k:]
        path = parent + (key,)
        if path in self.lines:
            raise _Hard  # a key twice: ryaml refuses it; never guess
        self.lines[path] = line
        v = rest[1:].lstrip(" ")
        c = v[:1]
        if not c or c == "#":
            return (path, col), -1, 0
        if c in "[{":
            return None, -1, self._flow(path, v, line)
        if c in "|>":
            return None, col, 0
        if c in "'\"":
            return None, col, self._quoted(v, line)
        if c in _VALUE_FIRST_HARD or (c in "?-" and v[1:2] in ("", " ")):
            raise _Hard
        return None, col, 0

    def _pos(self, line: int, rest: str) -> int:
        """The text position of `rest`, the end of the row `line`."""
        if self._starts is None:
            self._starts = [0] + [m.end() for m in re.finditer("\n", self._text)]
        return self._starts[line - 1] + len(self._rows[line - 1]) - len(rest)

    def _quoted(self, v: str, line: int) -> int:
        """A quoted scalar starting `v` (the rest of row `line`); the last row it is on
        when that is a later one, else 0."""
        m = _QUOTED[v[0]].match(v)
        if m is not None:
            if not _REST_OK.match(v, m.end()):
                raise _Hard
            return 0
        pos = self._pos(line, v)
        m = _QUOTED[v[0]].match(self._text, pos)
        if m is None:
            raise _Hard
        return self._ends_row(m.end(), line, pos)

    def _ends_row(self, end: int, line: int, pos: int) -> int:
        """The row of `end` (a node from `pos` on row `line` ends there), after checking
        that only a comment follows it."""
        text = self._text
        eol = text.find("\n", end)
        if not _REST_OK.match(text, end, len(text) if eol < 0 else eol):
            raise _Hard
        return line + text.count("\n", pos, end)

    def _flow(self, path: tuple, v: str, line: int) -> int:
        """A flow collection starting `v`: flat when it closes on its row, else opaque."""
        if "'" not in v and '"' not in v and "#" not in v:
            closes = (v.count("[") + v.count("{") == v.count("]") + v.count("}"))
            end = len(v.rstrip(" ")) if closes else -1
        else:
            flat = _FLAT_FLOW.match(v)
            end = flat.end() if flat is not None else _flow_close(v, 0)
        if end >= 0:
            if not _REST_OK.match(v, end):
                raise _Hard
            self.flat[path] = line
            return 0
        pos = self._pos(line, v)
        end = _flow_close(self._text, pos)
        if end < 0:
            raise _Hard
        self.opaque.add(path)
        return self._ends_row(end, line, pos)


def _flat_flow_pattern(depth: int) -> str:
    """A flow collection on one row, nested at most `depth` deep, that `_flow_close` would
    close at the same place, in one regex match: text without `#`, quoted scalars only
    right after `[`, `{`, `,`, `:` or `?` (and up to two spaces). Anything else does not
    match, and `_flow_close` decides."""
    after = "|".join(rf"(?<=[\[{{,:?]{' ' * n})" for n in range(3))
    quoted = rf"""(?:{after})(?:"(?:[^"\\\n]|\\.)*+"|'(?:[^'\n]|'')*+')"""
    atom = rf"""(?:[^\[\]{{}}"'#\n]++|{quoted})"""
    inner = atom
    for _ in range(depth):
        inner = rf"(?:[\[{{](?:{inner})*+[\]}}]|{atom})"
    return rf"[\[{{](?:{inner})*+[\]}}]"


_FLAT_FLOW_RX = _flat_flow_pattern(3)
_FLAT_FLOW = re.compile(_FLAT_FLOW_RX)
"""One-line flow collections such as `{at: ..., message: "...", components: {a: b}}`,
the common case (`_flow_close` reads them a token at a time)."""
_FLAT_ITEM = re.compile(r"( *)- +(?=[\[{])")
"""The start of a row `- {...}`: with `_flat_item`, one `_item` and `_flow` would find
flat."""


def _flat_item(start: re.Match[str] | None, row: str) -> re.Match[str] | None:
    """`start` (of `_FLAT_ITEM`) when the flow collection after it closes on `row` and
    only spaces or a comment follow; else None."""
    if start is None:
        return None
    flow = _FLAT_FLOW.match(row, start.end())
    return start if flow is not None and _REST_OK.match(row, flow.end()) else None


def _flow_close(text: str, p: int) -> int:
    """The index after the flow collection opening at `p`, or -1 when it does not close
    in `text` (or a quoted scalar in it does not). A quote starts a quoted scalar only
    where a node may start (after `[`, `{`, `,`, `:` or `?`): the `'` of `don't` is text."""
    depth = 0
    search = _FLOW_SPECIAL.search
    m = search(text, p)
    while m is not None:
        q = m.start()
        c = text[q]
        if c == "[" or c == "{":
            depth += 1
        elif c == "]" or c == "}":
            depth -= 1
            if depth == 0:
                return q + 1
        elif c == "#":
            if text[q - 1] in " \n":
                eol = text.find("\n", q)
                if eol < 0:
                    return -1
                q = eol
        elif _after_indicator(text, q):
            end = _QUOTED[c].match(text, q)
            if end is None:
                return -1
            q = end.end() - 1
        m = search(text, q + 1)
    return -1


def _after_indicator(text: str, q: int) -> bool:
    """Whether the last character before `q`, spaces and line breaks aside, is one after
    which a flow node starts."""
    j = q - 1
    while j >= 0 and text[j] in " \n":
        j -= 1
    return j >= 0 and text[j] in "[{,:?"


def _hard(text: str) -> bool:
    """Whether `text` has characters or markers no scanner here models (`_HARD_TEXT`)."""
    if text.startswith(_HARD_STARTS):
        return True
    for hard in _HARD_TEXT:
        if hard in text:
            return True
    return False


def scan_key_lines(text: str) -> KeyLines | None:
    """`KeyLines` of `text`, or None when it holds YAML the scanner leaves to the composer."""
    if _hard(text):
        return None
    try:
        return KeyLines(text)
    except _Hard:
        return None


# ------------------------------------------------------------- lookups by search
# `KeyLines` reads every row of a file in Python to answer the two or three paths a
# warning asks for. `Outline` first checks the whole text in one regex match (`_ROWS`):
# every row blank, a comment, `key: value` or `- value` with a plain key, and every value
# on its row (one-line flow collections and quoted scalars) or continued only on rows
# indented deeper than its key or dash (block and plain scalars). In such a text the keys
# of a block mapping at column c are exactly its rows that start with c spaces and a key,
# and its items likewise, so a path is found with a few `str.find`s, not a row loop.
# Texts outside that shape go to `KeyLines`, which models more.

_KEY_RX = r"[A-Za-z0-9_][A-Za-z0-9_.-]*+"
_END_RX = r"[ ]*+(?:(?<=[ ])\#[^\n]*+)?+"
"""The end of a row: spaces, maybe a comment."""
_ON_ROW_RX = rf"""(?:{_FLAT_FLOW_RX}|"(?:[^"\\\n]|\\.)*+"|'(?:[^'\n]|'')*+'){_END_RX}"""
"""A value that ends on its row: a one-line flow collection or quoted scalar."""
_PLAIN_FIRST_RX = r"""(?:[^ \n\[\]{}|>'"&*!%@`\#?:,-]|[-?:](?=[^ \n]))"""
"""The first character of a plain scalar: not an indicator."""
_PLAIN_ITEM_RX = rf"{_PLAIN_FIRST_RX}(?:[^:\#\n]++|:(?=[^ \n])|(?<![ ])\#)*+{_END_RX}"
"""A plain scalar's first row after `- `: no `: ` in it (that would make it a mapping).
After `key: ` any text will do: a `: ` there is not valid YAML."""


def _deeper_rx(indent: str) -> str:
    """Rows after a scalar's first: blank, or indented deeper than `indent` (a regex)."""
    return rf"(?:\n(?:[ ]*+(?=\n)|{indent}[ ][^\n]*+))*+"


def _value_rx(indent: str) -> str:
    """The value of a key (or an item) whose block starts deeper than `indent`."""
    return (rf"(?:{_PLAIN_FIRST_RX}[^\n]*+{_deeper_rx(indent)}|{_ON_ROW_RX}"
            rf"|[|>][-+0-9]*+{_END_RX}{_deeper_rx(indent)})")


_ROWS = re.compile(
    r"(?:(?:[ ]*+(?:\#[^\n]*+)?+"
    rf"|(?P<k>[ ]*+){_KEY_RX}:(?:[ ]++{_value_rx('(?P=k)')}|{_END_RX})"
    rf"|(?P<d>[ ]*+)-(?P<s>[ ]++)(?:{_KEY_RX}:(?:[ ]++{_value_rx('(?P=d)[ ](?P=s)')}|{_END_RX})"
    rf"|{_ON_ROW_RX}|{_PLAIN_ITEM_RX}{_deeper_rx('(?P=d)')}))\n)*+")
"""Text made only of the rows `Outline` models (each with the rows it continues on)."""
_KEY = re.compile(_KEY_RX + r"\Z")
_ITEM_KEY = re.compile(rf"[ ]*+({_KEY_RX}):(?=[ \n])")
_NODE_ROW = re.compile(r"\n( *+)([^ \n#])")
"""The next row that starts a node (not blank, not a comment): its indentation, first
character."""
_ENDS: dict[tuple[int, bool], re.Pattern[str]] = {}


def _block_end(col: int, seq: bool) -> re.Pattern[str]:
    """The first node row after a block mapping (`seq` False) or sequence at `col`: one
    indented less, or (a sequence) as much but not an item."""
    found = _ENDS.get((col, seq))
    if found is None:
        inside = f" {{{col + 1}}}| {{{col}}}-" if seq else f" {{{col}}}"
        found = _ENDS[col, seq] = re.compile(rf"\n(?!{inside}| *+[\n#])")
    return found


class Outline:
    """`line_of(key_lines(text), path)` for a text `_ROWS` matches whole, by search."""

    def __init__(self, text: str):
        self._t = "\n" + text if text.endswith("\n") else "\n" + text + "\n"

    @staticmethod
    def of(text: str) -> Outline | None:
        """The outline of `text`, or None when it holds rows it does not model or is not a
        mapping at column 0."""
        if _hard(text):
            return None
        outline = Outline(text)
        t = outline._t
        if _ROWS.fullmatch(t, 1) is None:
            return None
        first = _NODE_ROW.search(t)
        if first is not None and (first.group(1) or first.group(2) == "-"):
            return None
        return outline

    def find(self, path: tuple) -> int:
        t = self._t
        line, col, seq, start, end, first = 1, 0, False, 0, len(t), -1
        for part in path:
            if seq:
                if not isinstance(part, int) or part < 0:
                    return line
                at = self._item(part, col, start, end)
                if at < 0:
                    return line
                line = t.count("\n", 0, at) + 1
                key = _ITEM_KEY.match(t, at + col + 2)
                if key is None:
                    return line  # a scalar or a one-line flow collection
                first = key.start(1)
                col, seq, start = first - at - 1, False, first
                end = self._end(col, False, first, end)
                continue
            if not isinstance(part, str):
                return line
            at = self._key(part, col, start, end, first)
            if at < 0:
                return line
            line = t.count("\n", 0, at)
            eol = t.find("\n", at)
            rest = t[at + len(part) + 1:eol].lstrip(" ")
            if rest and rest[0] != "#":
                return line  # a value on the row: nothing under it is on another
            below = _NODE_ROW.search(t, eol, end)
            if below is None:
                return line
            indent, dash = len(below.group(1)), below.group(2) == "-"
            if indent < col or (indent == col and not dash):
                return line  # an empty value
            col, seq, start, first = indent, dash, below.start(), -1
            end = self._end(col, seq, below.end(), end)
        return line

    def _end(self, col: int, seq: bool, after: int, end: int) -> int:
        """Where the block at `col` that continues after `after` ends (before `end`)."""
        found = _block_end(col, seq).search(self._t, after, end) if col or seq else None
        return end if found is None else found.start()

    def _key(self, key: str, col: int, start: int, end: int, first: int) -> int:
        """Where `key` of the mapping at `col` between `start` and `end` starts, or -1;
        `first`: where its first key starts when that is after a `- `."""
        t = self._t
        if _KEY.match(key) is None:
            return -1  # every key here is a plain one of this shape
        n = len(key)
        if first >= 0 and t.startswith(key, first) and t[first + n] == ":" \
                and t[first + n + 1] in " \n":
            return first
        needle = "\n" + " " * col + key + ":"
        at = t.find(needle, start, end)
        while at >= 0 and t[at + len(needle)] not in " \n":
            at = t.find(needle, at + 1, end)
        return at if at < 0 else at + 1 + col

    def _item(self, index: int, col: int, start: int, end: int) -> int:
        """Where the row of item `index` of the sequence at `col` from `start` begins
        (its newline), or -1."""
        t = self._t
        needle = "\n" + " " * col + "-"
        at = start
        for _ in range(index):
            at = t.find(needle, at + 1, end)
            if at < 0:
                return -1
        return at


class LineFinder:
    """The line of any key path of one YAML text: searched when `Outline` models the text,
    scanned (`KeyLines`) when the YAML is simple, composed (once) when not, with
    `line_of`'s answer for missing keys."""

    def __init__(self, text: str):
        self._text = text
        self._outlined = self._scanned = False
        self._outline: Outline | None = None
        self._scan: KeyLines | None = None
        self._composed: dict[tuple, int] | None = None

    def __call__(self, path: tuple) -> int:
        if not self._outlined:
            self._outline, self._outlined = Outline.of(self._text), True
        if self._outline is not None:
            return self._outline.find(path)
        if not self._scanned:
            self._scan, self._scanned = scan_key_lines(self._text), True
        if self._scan is not None:
            line = self._scan.find(path)
            if line is not None:
                return line
        if self._composed is None:
            self._composed = key_lines(self._text)
        return line_of(self._composed, path)
