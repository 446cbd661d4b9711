"""Byte-preserving edits of YAML frontmatter: find nodes by their marks, splice in new text.

A round trip through a YAML library (even ruamel's) re-emits the whole document and can
change quoting, wrapping or blank lines. Here the file is never re-serialised: the
frontmatter is composed into a node tree only to learn *where* things are (PyYAML marks
carry a character index), and the new lines are written in the style the file already uses
(indentation, block or flow items, quoting). Everything outside the splice stays as it was.

The pure-Python composer is used on purpose: its marks count characters of the str given,
which is what slicing needs; libyaml's marks are not guaranteed to.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, Node

from .. import yamlio
from ..errors import EditFailed

BOUNDARY = re.compile(r"^-{3,}\s*$", re.M)
"""python-frontmatter's delimiter rule, so the span found here is the one the loader reads."""

TOP_KEY_ORDER = (
    "title", "kind", "severity", "services", "started_at", "detected_at", "acknowledged_at",
    "mitigated_at", "resolved_at", "roles", "runbooks", "public", "public_title", "updates",
    "timeline", "postmortem", "action_items", "scheduled_for", "scheduled_until",
)
"""The order of incident keys in DESIGN.md; a missing key is inserted at its place."""

_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")


@dataclass
class Frontmatter:
    """The text of a file with the frontmatter located; edits are applied to `text`."""

    text: str
    start: int
    """Index of the first character of the YAML (just after the opening delimiter)."""
    end: int
    """Index of the closing delimiter line."""
    newline: str = "\n"
    _root: yaml.MappingNode | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, text: str, name: str = "file") -> Frontmatter:
        off = 1 if text.startswith("\ufeff") else 0
        matches = BOUNDARY.finditer(text[off:])
        first = next(matches, None)
        second = next(matches, None)
        if first is None or first.start() != 0 or second is None:
            raise EditFailed(f"{name} has no frontmatter block between '---' lines")
        newline = "\r\n" if "\r\n" in text[off:off + second.end()] else "\n"
        fm = cls(text, off + first.end(), off + second.start(), newline)
        fm.root  # noqa: B018 - parse now so problems surface before any edit
        return fm

    @property
    def yaml(self) -> str:
        return self.text[self.start:self.end]

    @property
    def root(self) -> MappingNode:
        if self._root is None:
            try:
                node = yaml.compose(self.yaml, Loader=yaml.SafeLoader)
            except yaml.YAMLError as e:
                raise EditFailed(f"the frontmatter is not valid YAML ({e}); fix it first, "
                                 "then run `sevbook check`") from None
            if node is None:
                node = yaml.MappingNode("tag:yaml.org,2002:map", [])
            if not isinstance(node, yaml.MappingNode):
                raise EditFailed("the frontmatter is not a mapping of keys")
            self._root = node
        return self._root

    # ------------------------------------------------------------------ positions
    def abs(self, index: int) -> int:
        """An index into the YAML text, as an index into the whole file."""
        return self.start + index

    def line_end(self, index: int) -> int:
        """The index just past the end of the line holding file index `index`."""
        if index > 0 and self.text[index - 1] == "\n":
            return index
        nl = self.text.find("\n", index)
        return len(self.text) if nl < 0 else nl + 1

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def node_end(self, node: Node) -> int:
        """File index just past the last line of `node` (block collections end at their
        last leaf, not at the next key, so trailing comments stay with what follows)."""
        while isinstance(node, yaml.CollectionNode) and not node.flow_style and node.value:
            last = node.value[-1]
            node = last[1] if isinstance(node, yaml.MappingNode) else last
        return self.line_end(self.abs(node.end_mark.index))

    def key(self, name: str) -> tuple[Node, Node] | None:
        for k, v in self.root.value:
            if isinstance(k, yaml.ScalarNode) and k.value == name:
                return k, v
        return None

    @property
    def key_column(self) -> int:
        return self.root.value[0][0].start_mark.column if self.root.value else 0

    # ------------------------------------------------------------------ edits
    def splice(self, start: int, end: int, new: str) -> None:
        """Replace file text [start, end) and forget the parsed tree."""
        new = new.replace("\n", self.newline) if self.newline != "\n" else new
        self.text = self.text[:start] + new + self.text[end:]
        delta = len(new) - (end - start)
        if start <= self.end:
            self.end += delta
        self._root = None

    def insert_top_key(self, name: str, block: str, order: tuple[str, ...] = TOP_KEY_ORDER) -> None:
        """Insert `block` (whole lines for a new top-level key) where `name` belongs."""
        pos = order.index(name) if name in order else len(order)
        for before in reversed(order[:pos]):
            found = self.key(before)
            if found is not None:
                at = self.node_end(found[1])
                self.splice(at, at, self._ensure_break(at) + block)
                return
        for after in order[pos + 1:]:
            found = self.key(after)
            if found is not None:
                at = self._above_comments(self.line_start(self.abs(found[0].start_mark.index)))
                self.splice(at, at, block)
                return
        at = self.end
        self.splice(at, at, self._ensure_break(at) + block)

    def _ensure_break(self, at: int) -> str:
        return "" if at == 0 or self.text[at - 1] == "\n" else "\n"

    def _above_comments(self, at: int) -> int:
        """Move a line-start index up over the comment lines directly above it."""
        while at > self.start:
            prev = self.line_start(at - 1)
            if self.text[prev:at].lstrip().startswith("#"):
                at = prev
            else:
                break
        return at


# ---------------------------------------------------------------------- scalars
def scalar_style(node: yaml.Node | None) -> str | None:
    """None (plain), "'", '"', '|' or '>' for a scalar node; None for anything else."""
    return node.style if isinstance(node, yaml.ScalarNode) else None


def _reads_back(text: str, value: str, flow: bool = False) -> bool:
    doc = f"- {{k: {text}, n: 1}}\n" if flow else f"k: {text}\nn: 1\n"
    want = [{"k": value, "n": 1}] if flow else {"k": value, "n": 1}
    for loader in (lambda s: yaml.safe_load(s), yamlio.load_yaml):
        try:
            if loader(doc) != want:
                return False
        except (yaml.YAMLError, yamlio.YamlProblem):
            return False
    return True


def plain_ok(value: str, flow: bool = False) -> bool:
    """True when `value` can be written unquoted and reads back as the same string under
    both YAML 1.1 and 1.2 (so `yes`, `1.0`, dates and `null` get quoted)."""
    if not value or value != value.strip() or "\n" in value or "\r" in value:
        return False
    if value[0] in _INDICATORS or ": " in value or " #" in value or value.endswith(":"):
        return False
    if flow and any(c in value for c in ",[]{}?:#"):
        return False
    if any(_special(c) for c in value):
        return False
    return _reads_back(value, value, flow)


def _special(c: str) -> bool:
    """Characters YAML refuses raw, or reads as line breaks (YAML 1.1: NEL, LS, PS)."""
    o = ord(c)
    return o < 32 or 0x7F <= o <= 0x9F or o in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF)


def double_quoted(value: str) -> str:
    # JSON string escapes are a subset of YAML's double-quoted escapes; JSON leaves DEL,
    # C1 controls and the Unicode line separators raw, so escape those too.
    text = json.dumps(value, ensure_ascii=False)
    return "".join(f"\\u{ord(c):04x}" if _special(c) else c for c in text)


def single_quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def scalar(value: str, style: str | None = None, flow: bool = False, indent: int = 0) -> str:
    """`value` written as a YAML scalar in `style` when that style can hold it faithfully,
    else the closest safe style. Block styles (| >) need `indent` for their lines and are
    returned with a leading newline-free header: '|-\\n    line\\n    line'."""
    single_line = "\n" not in value and "\r" not in value
    printable = all(c == "\n" or not _special(c) for c in value)
    if style is None and plain_ok(value, flow):
        return value
    if style in ("|", ">") and not flow and printable and value.strip() and not value[0].isspace():
        if style == ">" and not single_line:
            style = "|"
        body = value[:-1] if value.endswith("\n") else value
        if "\n\n" in value[-2:] or "\r" in value:
            return double_quoted(value)
        chomp = "" if value.endswith("\n") else "-"
        pad = " " * indent
        lines = [(pad + ln) if ln else "" for ln in body.split("\n")]
        return f"{style}{chomp}\n" + "\n".join(lines)
    if style == '"':
        return double_quoted(value)
    if single_line and printable:
        return single_quoted(value)
    if not flow and printable and value.strip() and not value[0].isspace() and "\r" not in value:
        return scalar(value, "|", flow, indent)
    return double_quoted(value)
