"""Turn Pydantic's `ValidationError.errors()` into messages a person can act on.

Each message says what is wrong and, where known, the fix: the closest valid key for a
typo, the accepted values of an enum, the form of a timestamp with an offset.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel


def _unwrap(tp: Any) -> list[Any]:
    """The concrete types inside Annotated/Optional/Union/list/dict annotations."""
    origin = get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(get_args(tp)[0])
    if origin in (Union, types.UnionType):
        out: list[Any] = []
        for a in get_args(tp):
            out += _unwrap(a)
        return out
    return [tp]


def model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that owns the mapping at `loc` (keys and list indexes)."""
    current: list[Any] = [model]
    for part in loc:
        nxt: list[Any] = []
        for tp in current:
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                if isinstance(part, str) and part in tp.model_fields:
                    nxt += _unwrap(tp.model_fields[part].annotation)
            else:
                origin = get_origin(tp)
                if origin in (list, tuple, set) and isinstance(part, int):
                    nxt += _unwrap(get_args(tp)[0])
                elif origin is dict:
                    nxt += _unwrap(get_args(tp)[1])
        current = nxt
    for tp in current:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return tp
    return None


def data_path(data: Any, loc: tuple) -> tuple:
    """Keep only the parts of a Pydantic `loc` that exist in the data (drops union tags).

    A missing key (always the last part of its `loc`) is kept so the message can name it.
    """
    out: list[Any] = []
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif i == len(loc) - 1 and isinstance(node, dict) and isinstance(part, str):
            out.append(part)
    return tuple(out)


def field_name(path: tuple) -> str:
    """`("updates", 2, "status")` -> `updates[2].status`."""
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def describe(model: type[BaseModel], data: Any, err: dict[str, Any]) -> tuple[tuple, str, str]:
    """(path in the data, code, message) for one Pydantic error."""
    loc = tuple(err.get("loc", ()))
    kind = err.get("type", "")
    path = data_path(data, loc)
    value = err.get("input")
    if kind == "extra_forbidden":
        key = path[-1] if path else loc[-1]
        owner = model_at(model, tuple(p for p in path[:-1]))
        valid = sorted(owner.model_fields) if owner else []
        close = difflib.get_close_matches(str(key), valid, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else (
            f"; valid keys here: {', '.join(valid)}" if valid else "")
        return path, "unknown-key", f"unknown key '{key}'{hint}"
    if kind == "missing":
        key = loc[-1]
        return path, "missing-key", f"required key '{key}' is missing; add it"
    if kind == "timezone_aware":
        return path, "naive-timestamp", (
            f"timestamp {_fmt_input(value)} has no UTC offset; write it with one, like "
            "2026-03-02T14:18:00Z (UTC) or 2026-03-02T15:18:00+01:00"
        )
    if kind in ("datetime_type", "datetime_parsing", "datetime_from_date_parsing"):
        return path, "bad-timestamp", (
            f"{_short(value)} is not a timestamp; write ISO 8601 with an offset, like "
            "2026-03-02T14:18:00Z"
        )
    if kind in ("date_type", "date_parsing", "date_from_datetime_inexact", "date_from_datetime_parsing"):
        return path, "bad-date", f"{_short(value)} is not a date; write YYYY-MM-DD, like 2026-03-02"
    if kind in ("literal_error", "enum"):
        expected = err.get("ctx", {}).get("expected", "")
        allowed = expected.replace(" or ", ", ")
        return path, "bad-value", f"{_short(value)} is not allowed; use one of: {allowed}"
    if kind == "string_pattern_mismatch":
        return path, "bad-id", (
            f"{_short(value)} is not a valid id; ids are lowercase letters, digits and dashes "
            "(like checkout-api)"
        )
    if kind == "value_error":
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        return path, "bad-value", msg
    if kind.endswith("_type") or kind.endswith("_parsing"):
        want = kind.removesuffix("_type").removesuffix("_parsing").replace("_", " ")
        want = {"model": "mapping", "dict": "mapping", "list": "list", "string": "string",
                "int": "whole number", "float": "number", "bool": "true or false"}.get(want, want)
        article = "" if want == "true or false" else "a "
        return path, "wrong-type", (
            f"expected {article}{want}, got {type_name(value)} {_short(value)}")
    msg = str(err.get("msg", "invalid value"))
    return path, "invalid", f"{msg} (got {_short(value)})"


def type_name(v: Any) -> str:
    return {dict: "mapping", list: "list", str: "string", int: "number", float: "number",
            bool: "boolean", type(None): "nothing"}.get(type(v), type(v).__name__)


def _fmt_input(v: Any) -> str:
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)
