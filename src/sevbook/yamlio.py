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


_ALIAS_HINT = re.compile(r"[&*]")


def _refuse_aliases(text: str) -> None:
    """Refuse anchors/aliases before anything expands them (libyaml events, no objects)."""
    if not _ALIAS_HINT.search(text):
        return
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


def split_frontmatter(text: str) -> tuple[str, str, int] | None:
    """Split `---\\nYAML\\n---\\nbody` into (yaml, body, file line of YAML line 1).

    Returns None when the file has no frontmatter block. Uses python-frontmatter's
    splitting rules so files that work there work here.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if not _FM_HANDLER.detect(text):
        return None
    try:
        fm, body = _FM_HANDLER.split(text)
    except ValueError:
        return None
    # The YAML text starts with the rest of the opening `---` line (a newline), so line N
    # of the YAML text is line N of the file.
    return fm, body, 1


def key_lines(text: str) -> dict[tuple, int]:
    """Map every key path in a YAML document to its 1-based line.

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
