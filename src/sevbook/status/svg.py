"""SVG files the status page publishes (the logo, SVG theme assets) must be inert.

An SVG opened on its own runs its scripts with the status page's origin, and may load
things from other hosts. sevbook does not rewrite such a file; it refuses it, naming the
line, when it holds any of:

* a `<script>`, `<foreignObject>` (HTML inside SVG), `<iframe>`, `<embed>`, `<object>`,
  `<handler>` or `<listener>` element;
* an event handler attribute (`onload=`, `onclick=`, any `on…=`);
* `javascript:` (or `vbscript:`) anywhere in an attribute or a style sheet;
* a reference to anything but a fragment of the same file: `href`/`xlink:href`/`src` that
  is not `#id` (a `data:image/png|jpeg|gif|webp` URI is allowed: editors embed bitmaps
  that way), `url(…)` that is not `url(#id)`, `@import`, an `<?xml-stylesheet?>`;
* an animation (`<set>`, `<animate>`) that changes a link or an event attribute;
* a DOCTYPE or entity declaration (entities can hide all of the above), or XML that is not
  well-formed.
"""

from __future__ import annotations

import re
from xml.parsers import expat

FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler",
                      "listener"}
LINK_ATTRIBUTES = {"href", "src", "action", "formaction"}
ANIMATIONS = {"set", "animate", "animatetransform", "animatemotion"}
_SCRIPT_URL = re.compile(r"(java|vb)script:")
_URL = re.compile(r"url\(\s*(['\"]?)\s*([^)'\"]*)")
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp)[;,]")
_SPACE = re.compile(r"[\x00-\x20]+")


def _squeezed(value: str) -> str:
    """Lower case without whitespace or controls (`java\tscript:` is `javascript:`)."""
    return _SPACE.sub("", value).lower()


def _local(name: str) -> str:
    """`http://www.w3.org/1999/xlink href` -> `href` (expat's namespace form)."""
    return name.rsplit(" ", 1)[-1].lower()


def _css_problem(text: str) -> str | None:
    low = _squeezed(text)
    if _SCRIPT_URL.search(low):
        return "a javascript: URL"
    if "@import" in low or "expression(" in low:
        return "a style sheet that loads or runs something (@import, expression())"
    for m in _URL.finditer(low):
        if not m.group(2).startswith("#") and not _DATA_IMAGE.match(m.group(2)):
            return f"an external reference url({m.group(2)})"
    return None


def _attribute_problem(name: str, value: str) -> str | None:
    local = _local(name)
    low = _squeezed(value)
    if local.startswith("on"):
        return f"an event handler ({local}=)"
    if _SCRIPT_URL.search(low):
        return f"a javascript: URL ({local}=)"
    if local in LINK_ATTRIBUTES and not low.startswith("#") and not _DATA_IMAGE.match(low):
        return f"an external reference ({local}=\"{value[:60]}\")"
    return _css_problem(value) if "url(" in low or "@import" in low else None


class _Checker:
    """Collects (line, problem) while expat reads the file."""

    def __init__(self, data: bytes) -> None:
        self.problems: list[tuple[int, str]] = []
        self.style_depth = 0
        p = self.parser = expat.ParserCreate(namespace_separator=" ")
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        p.CharacterDataHandler = self.text
        p.ProcessingInstructionHandler = self.instruction
        p.StartDoctypeDeclHandler = self.doctype
        p.EntityDeclHandler = self.doctype
        try:
            p.Parse(data, True)
        except _Stop:
            pass
        except expat.ExpatError as e:
            self.problems.append((e.lineno, f"is not well-formed XML ({expat.errors.messages[e.code]})"))

    def add(self, what: str) -> None:
        self.problems.append((self.parser.CurrentLineNumber, f"contains {what}"))

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag in FORBIDDEN_ELEMENTS:
            self.add(f"a <{tag}> element")
        if tag in ANIMATIONS:
            target = _local(attrs.get("attributeName", ""))
            if target in LINK_ATTRIBUTES or target.startswith("on"):
                self.add(f"an animation that changes {target}=")
        for key, value in attrs.items():
            why = _attribute_problem(key, value)
            if why:
                self.add(why)
        if tag == "style":
            self.style_depth += 1

    def end(self, name: str) -> None:
        if _local(name) == "style":
            self.style_depth -= 1

    def text(self, data: str) -> None:
        if self.style_depth:
            why = _css_problem(data)
            if why:
                self.add(why)

    def instruction(self, target: str, data: str) -> None:
        self.add(f"a processing instruction <?{target}?>")

    def doctype(self, *args: object) -> None:
        self.add("a DOCTYPE or entity declaration")
        raise _Stop


class _Stop(Exception):
    """Stop reading before any declared entity can expand."""


def svg_problems(data: bytes) -> list[tuple[int, str]]:
    """What makes the SVG `data` unsafe to publish, as (line, "contains …") pairs; [] when
    it is inert."""
    return _Checker(data).problems
