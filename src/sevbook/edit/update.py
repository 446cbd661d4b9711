"""`sevbook update` and `sevbook resolve`: append one public update, and on resolve set
`resolved_at`, changing nothing else in the file.

The new update is written in the style of the ones before it: block (`- at: ...`) or flow
(`- {at: ..., status: ...}`) items, the same indentation, key order and quoting. Decisions:

* `--at` defaults to now, written in UTC with second precision and a Z.
* An update may not be earlier than the last one (updates are chronological).
* `update` refuses the terminal status (`resolved`, `completed`): use `resolve`, which also
  sets `resolved_at` to the time of the final update.
* `resolve` sets every component the incident touched back to `operational` in the final
  update (the incident's public services and every component named in its updates), so the
  status page and the PR summary show the recovery explicitly. `--component` overrides.
* `resolve` does not invent `mitigated_at`: that is a fact only people know.
* The edited text is loaded and checked like `sevbook check` would before it is written;
  if it has errors, nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml

from .. import locks
from ..config import load_settings
from ..errors import BadInput, ContentError, EditRefused, SevbookError
from ..load import LoadResult
from ..locks import exclusive
from ..model import COMPONENT_STATUSES, Handbook, Incident
from .files import (
    find_incident,
    load_for_edit,
    refuse_controls,
    utc,
    utc_text,
    validate_or_raise,
    write_atomic,
)
from .yamltext import Frontmatter, scalar, scalar_style

UPDATE_KEYS = ("at", "status", "message", "components")

DEFAULT_RESOLVE_MESSAGE = {
    "incident": "This incident has been resolved.",
    "maintenance": "The scheduled maintenance has been completed.",
}


@dataclass
class Edited:
    path: Path
    incident: str
    index: int
    """Index of the new update in `updates`."""
    status: str
    at: datetime
    public: bool
    resolved: bool = False


def parse_components(values: tuple[str, ...] | list[str], hb: Handbook) -> dict[str, str]:
    """`ID=STATUS` pairs, checked against the public components and the status names."""
    out: dict[str, str] = {}
    public = hb.public_services
    names = ", ".join(public) or "(none: no service has a status_page block)"
    for raw in values:
        cid, sep, status = raw.partition("=")
        cid, status = cid.strip(), status.strip()
        if not sep or not cid or not status:
            raise BadInput("--component", f"'{raw}' is not ID=STATUS; write it like "
                           "checkout-api=partial_outage")
        if cid not in hb.services:
            raise BadInput("--component", f"'{cid}' is not a service; public components "
                           f"are: {names}")
        if cid not in public:
            raise BadInput("--component", f"service '{cid}' is not on the status page (it has "
                           f"no status_page block); public components are: {names}")
        if status not in COMPONENT_STATUSES:
            raise BadInput("--component", f"'{status}' is not a component status; use one "
                           f"of: {', '.join(COMPONENT_STATUSES)}")
        out[cid] = status
    return out


@contextmanager
def _locked_incident(root: Path, query: str) -> Iterator[tuple[LoadResult, Incident, Path]]:
    """The incident named by `query`, loaded and locked against other edits for the block
    (read, check and write happen under one lock, so concurrent edits all land)."""
    ident, path = find_incident(load_settings(root), query)
    rel = path.relative_to(root).as_posix()
    busy = f"{rel} is being edited by another sevbook command"
    with exclusive(path, locks.EDIT_TIMEOUT, busy):
        result = load_for_edit(root, path)
        inc = result.handbook.incidents.get(ident)
        if inc is None:
            errors = [d for d in result.diagnostics if d.file == rel and d.severity == "error"]
            if errors:
                raise ContentError(errors)
            raise SevbookError(f"{rel} could not be loaded; run `sevbook check` to see why")
        yield result, inc, path


def add_update(root: Path, query: str, status: str, message: str,
               components: tuple[str, ...] | list[str] = (), at: datetime | None = None,
               now: datetime | None = None) -> Edited:
    """Append one update to an open incident; return what was written."""
    with _locked_incident(Path(root), query) as (result, inc, path):
        _check_update_input(inc, status, message)
        comps = parse_components(components, result.handbook)
        return _append(Path(root), result, inc, path, status, message, comps, at, now,
                       resolve=False)


def _check_update_input(inc: Incident, status: str, message: str) -> None:
    kind = inc.kind
    allowed = kind.statuses.words()
    terminal = kind.terminal
    what = kind.label
    if status == terminal:
        raise BadInput("--status", f"'{status}' ends the {kind}; use `sevbook resolve "
                       f"{inc.id}`, which also sets resolved_at")
    if status not in allowed:
        open_ = [s for s in allowed if s != terminal]
        raise BadInput("--status", f"'{status}' is not a status for {what}; use one of: "
                       f"{', '.join(open_)} (or `sevbook resolve {inc.id}` to end it)")
    if not message.strip():
        raise BadInput("--message", "the message is empty; say what is known, even "
                       "'We are still investigating.'")
    refuse_controls("--message", message)


def resolve(root: Path, query: str, message: str | None = None,
            components: tuple[str, ...] | list[str] = (), at: datetime | None = None,
            now: datetime | None = None) -> Edited:
    """Append the final update (resolved/completed) and set resolved_at."""
    with _locked_incident(Path(root), query) as (result, inc, path):
        if message is not None and not message.strip():
            raise BadInput("--message", "the message is empty; leave --message out for the "
                           "default text")
        if message is not None:
            refuse_controls("--message", message)
        comps = {c: "operational" for c in touched_components(inc, result.handbook)}
        comps.update(parse_components(components, result.handbook))
        msg = message if message is not None else DEFAULT_RESOLVE_MESSAGE[inc.kind]
        return _append(Path(root), result, inc, path, inc.kind.terminal, msg, comps, at, now,
                       resolve=True)


def touched_components(inc: Incident, hb: Handbook) -> list[str]:
    """Public components the incident affected: its services and those named in updates."""
    public = hb.public_services
    seen = [s for s in inc.services if s in public]
    for up in inc.updates:
        seen += [c for c in up.components if c in public]
    return list(dict.fromkeys(seen))


def _append(root: Path, result, inc: Incident, path: Path, status: str, message: str,
            comps: dict[str, str], at: datetime | None, now: datetime | None,
            resolve: bool) -> Edited:

    now = utc(now or datetime.now(UTC))
    when = utc(at) if at is not None else now
    if inc.resolved_at is not None:
        word = "completed" if inc.is_maintenance else "resolved"
        raise EditRefused(
            f"{inc.id} is already {word} (resolved_at: {utc_text(inc.resolved_at)}); a "
            "resolved incident is not reopened: open a new one with `sevbook new incident` "
            "and link this one in its body")
    if inc.updates and when < inc.updates[-1].at:
        last = inc.updates[-1]
        raise BadInput("--at", f"{utc_text(when)} is before the last update "
                       f"({utc_text(last.at)}, {last.status}); updates are chronological, so "
                       "give a later --at")
    rel = path.relative_to(root).as_posix()
    text = path.read_bytes().decode("utf-8")
    fm = Frontmatter.parse(text, rel)
    append_update(fm, {"at": when, "status": status, "message": message, "components": comps})
    if resolve:
        set_top_scalar(fm, "resolved_at", when)
    validate_or_raise(root, path, fm.text, now, "incident", result)
    write_atomic(path, fm.text)
    return Edited(path, inc.id, len(inc.updates), status, when, inc.public, resolve)


# ---------------------------------------------------------------------- text edits
def _style_of(item: yaml.Node | None, key: str) -> tuple[str | None, yaml.Node | None]:
    if isinstance(item, yaml.MappingNode):
        for k, v in item.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return scalar_style(v), v
    return None, None


def _ts_style(fm: Frontmatter) -> str | None:
    """Quote new timestamps the way the file quotes its existing ones."""
    for key in ("started_at", "detected_at", "scheduled_for"):
        found = fm.key(key)
        if found and isinstance(found[1], yaml.ScalarNode) and found[1].value:
            return found[1].style
    return None


def _ts(t: datetime, style: str | None) -> str:
    """A timestamp, plain (YAML reads it as a timestamp, which the model accepts) unless the
    file quotes its timestamps."""
    text = utc_text(t)
    return scalar(text, style) if style in ("'", '"') else text


def _common_style(items: list[yaml.Node], key: str) -> str | None:
    """The quoting most updates use for `key` (ties: the latest), so one message that had
    to be quoted does not make every later one quoted."""
    styles = [_style_of(it, key)[0] for it in items if _style_of(it, key)[1] is not None]
    if not styles:
        return None
    counts = {st: styles.count(st) for st in styles}
    best = max(counts.values())
    return next(st for st in reversed(styles) if counts[st] == best)


def _render_item(update: dict, model: yaml.Node | None, flow: bool, key_col: int,
                 ts_style: str | None, items: list[yaml.Node] | None = None) -> str:
    """One update as YAML text (no leading dash, no trailing newline), in the style of
    `model` (the last existing update) and the quoting `items` (all updates) mostly use."""
    items = items if items is not None else ([model] if model is not None else [])
    keys = []
    if isinstance(model, yaml.MappingNode):
        keys = [k.value for k, _ in model.value if getattr(k, "value", None) in UPDATE_KEYS]
    keys += [k for k in UPDATE_KEYS if k not in keys]
    keys = [k for k in keys if k != "components" or update["components"]]
    parts: list[tuple[str, str]] = []
    comp_flow = True
    comp_col = key_col + 2
    for key in keys:
        node = _style_of(model, key)[1]
        style = _common_style(items, key)
        if key == "at":
            style = style if model is not None else ts_style
            text = _ts(update["at"], style)
        elif key == "status":
            text = scalar(update["status"], style if style in ("'", '"') else None, flow)
        elif key == "message":
            text = scalar(update["message"], style, flow, indent=_block_indent(node, key_col))
        else:
            if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
                comp_flow = False
                comp_col = node.value[0][0].start_mark.column
            text = ""
        parts.append((key, text))
    comps = update["components"]
    if flow:
        inner = []
        for key, text in parts:
            if key == "components":
                text = "{" + ", ".join(f"{c}: {s}" for c, s in comps.items()) + "}"
            inner.append(f"{key}: {text}")
        return "{" + ", ".join(inner) + "}"
    lines = []
    pad = " " * key_col
    for i, (key, text) in enumerate(parts):
        lead = "" if i == 0 else pad
        if key == "components":
            if comp_flow:
                flow_map = "{" + ", ".join(f"{c}: {s}" for c, s in comps.items()) + "}"
                lines.append(f"{lead}components: {flow_map}")
            else:
                lines.append(f"{lead}components:")
                lines += [f"{' ' * comp_col}{c}: {s}" for c, s in comps.items()]
        else:
            lines.append(f"{lead}{key}: {text}")
    return "\n".join(lines)


def _block_indent(node: yaml.Node | None, key_col: int) -> int:
    """Content indentation of an existing block scalar, else the key's column + 2."""
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        # The mark is at the header; the content starts on a later line.
        return max(key_col + 1, _content_col(node))
    return key_col + 2


def _content_col(node: yaml.ScalarNode) -> int:
    buf = node.start_mark.buffer or ""
    i = buf.find("\n", node.start_mark.index)
    while 0 <= i < len(buf) - 1:
        line_end = buf.find("\n", i + 1)
        line = buf[i + 1: line_end if line_end >= 0 else len(buf)]
        if line.strip():
            return len(line) - len(line.lstrip(" "))
        i = line_end
    return 0


def append_update(fm: Frontmatter, update: dict) -> None:
    """Append `update` ({at, status, message, components}) to the `updates` sequence."""
    found = fm.key("updates")
    ts_style = _ts_style(fm)
    if found is not None and isinstance(found[1], yaml.SequenceNode) and found[1].value:
        seq = found[1]
        last = seq.value[-1]
        if seq.flow_style:
            item = _render_item(update, last, True, 0, ts_style, seq.value)
            at = fm.abs(last.end_mark.index)
            fm.splice(at, at, ", " + item)
            return
        flow = isinstance(last, yaml.MappingNode) and bool(last.flow_style)
        dash_col = seq.start_mark.column
        key_col = last.start_mark.column
        gap = max(1, key_col - dash_col - 1)
        item = _render_item(update, last, flow, key_col, ts_style, seq.value)
        at = fm.node_end(last)
        fm.splice(at, at, fm._ensure_break(at) + " " * dash_col + "-" + " " * gap + item + "\n")
        return
    dash_off, key_off = _sequence_indent(fm)
    if found is None:
        col = fm.key_column
        item = _render_item(update, None, False, col + key_off, ts_style)
        block = f"{' ' * col}updates:\n{' ' * (col + dash_off)}-{' ' * (key_off - dash_off - 1)}"
        fm.insert_top_key("updates", block + item + "\n")
        return
    key, value = found
    if not (isinstance(value, yaml.SequenceNode) or
            (isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null"))):
        raise SevbookError("'updates' is not a list; fix it (run `sevbook check`) and retry")
    # `updates: []`, `updates:` or `updates: null`: drop the empty value, add a block list.
    col = key.start_mark.column
    vstart, vend = fm.abs(value.start_mark.index), fm.abs(value.end_mark.index)
    colon = fm.text.index(":", fm.abs(key.end_mark.index))
    if vend > vstart:
        fm.splice(colon + 1, vend, "")
    item = _render_item(update, None, False, col + key_off, ts_style)
    at = fm.line_end(colon)
    fm.splice(at, at, fm._ensure_break(at) + f"{' ' * (col + dash_off)}-"
              f"{' ' * (key_off - dash_off - 1)}" + item + "\n")


def _sequence_indent(fm: Frontmatter) -> tuple[int, int]:
    """(dash offset, key offset) of block lists of mappings elsewhere in the file, relative
    to their parent key; (2, 4) when there are none."""
    for k, v in fm.root.value:
        if isinstance(v, yaml.SequenceNode) and not v.flow_style and v.value:
            first = v.value[0]
            if isinstance(first, yaml.MappingNode) and not first.flow_style:
                base = k.start_mark.column
                d = v.start_mark.column - base
                return d, max(d + 2, first.start_mark.column - base)
    return 2, 4


def set_top_scalar(fm: Frontmatter, name: str, value: datetime) -> None:
    """Set a top-level timestamp: fill an empty `name:` / `name: null`, or add the key."""
    text_value = _ts(value, _ts_style(fm))
    found = fm.key(name)
    if found is None:
        col = fm.key_column
        fm.insert_top_key(name, f"{' ' * col}{name}: {text_value}\n")
        return
    key, node = found
    if not (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
        raise SevbookError(f"'{name}' already has a value; not changing it")
    colon = fm.text.index(":", fm.abs(key.end_mark.index))
    start, end = fm.abs(node.start_mark.index), fm.abs(node.end_mark.index)
    if end > start:  # `null` or `~`
        fm.splice(start, end, text_value)
    else:
        fm.splice(colon + 1, colon + 1, " " + text_value)
