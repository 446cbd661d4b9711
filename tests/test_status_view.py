"""The public view's contract: built once, frozen, and the only thing renderers see."""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType

import pytest

from conftest import NOW, REPO
from sevbook.model.vocab import Word
from sevbook.status.public import public_view
from sevbook.status.view import PublicView
from status_support import example_root, load_example

STATUS = REPO / "src" / "sevbook" / "status"
BOUNDARY = {"public", "assemble", "internal", "pages", "incidents", "components", "scope",
            "checks", "pin"}
"""The modules that read the model (the privacy boundary; `scope` decides which errors
stop the status page; `checks` what `sevbook check` reports about publishing)."""
RENDERERS = ["build", "render", "feeds", "api", "calendar", "badges", "history"]
VALUES = ["view", "headline", "ids", "uptime", "sanitize", "theme", "svg"]
SCALARS = (str, int, float, bool, type(None), datetime, date, Path, Word)


@pytest.fixture(scope="module")
def view() -> PublicView:
    return public_view(load_example(example_root()), NOW)


def _mutable_parts(obj: object, where: str) -> Iterator[str]:
    """Paths inside `obj` to anything that could be changed in place."""
    if isinstance(obj, SCALARS):
        return
    if dataclasses.is_dataclass(obj):
        if not type(obj).__dataclass_params__.frozen:  # type: ignore[attr-defined]
            yield f"{where}: {type(obj).__name__} is not frozen"
        for f in dataclasses.fields(obj):
            yield from _mutable_parts(getattr(obj, f.name), f"{where}.{f.name}")
    elif isinstance(obj, tuple):
        for n, item in enumerate(obj):
            yield from _mutable_parts(item, f"{where}[{n}]")
    elif isinstance(obj, MappingProxyType):
        for k, v in obj.items():
            yield from _mutable_parts(v, f"{where}[{k!r}]")
    else:
        yield f"{where}: {type(obj).__name__}"


def test_nothing_in_the_view_can_be_changed(view):
    assert view.components and view.incidents and view.groups
    assert list(_mutable_parts(view, "view")) == []


def test_assigning_to_the_view_fails(view):
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.components[0].status = "major_outage"  # type: ignore[misc]
    with pytest.raises(TypeError):
        view.component_by_id["search"] = view.components[0]  # type: ignore[index]


def test_building_twice_gives_equal_views():
    hb = load_example(example_root())
    assert public_view(hb, NOW) == public_view(hb, NOW)


def _imports(module: str) -> set[str]:
    """Absolute names of the modules `sevbook.status.<module>` imports."""
    tree = ast.parse((STATUS / f"{module}.py").read_text())
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ("sevbook.status." if node.level == 1 else
                    "sevbook." if node.level == 2 else "") + (node.module or "")
            base = base.rstrip(".")
            out.add(base)
            if node.level and not node.module:  # `from . import x`
                out.update(f"{base}.{a.name}" for a in node.names)
    return out


def test_every_status_module_is_classified():
    modules = {p.stem for p in STATUS.glob("*.py")} - {"__init__"}
    assert modules == BOUNDARY | set(RENDERERS) | set(VALUES)


@pytest.mark.parametrize("module", RENDERERS + VALUES)
def test_renderers_and_values_never_see_the_model(module):
    seen = _imports(module)
    model = {m for m in seen if m.startswith("sevbook.model") and m != "sevbook.model.vocab"}
    boundary = {m for m in seen if m.removeprefix("sevbook.status.") in BOUNDARY}
    assert (model, boundary) == (set(), set())
