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

try:  # libyaml is bundled with PyYAML wheels; fall back to pure Python if missing
    from yaml._yaml import CParser as _Parser

    _HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml.parser import Parser as _Parser  # type: ignore[assignment]

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
    class Loader(_Parser, SafeConstructor, _Resolver):  # type: ignore[misc]
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


class YamlProblem(Exception):
    """Unparseable YAML; `line` is 1-based within the text given to the parser."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


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
