"""docs/formats.md: generated from the models, committed, and true: every key of every kind
is in it with a description, and every example it shows is valid for its key."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, TypeAdapter
from pydantic.fields import FieldInfo

from conftest import REPO
from sevbook.config import SevbookOptions
from sevbook.formats import key_name, keys, nested_model, render, table, type_text, yaml_text
from sevbook.model.kinds import KINDS
from sevbook.yamlio import load_yaml

MODELS = [*(k.model for k in KINDS.values()), SevbookOptions]


def fields(model: type[BaseModel], prefix: str = "",
           seen: frozenset[type] = frozenset()) -> Iterator[tuple[str, FieldInfo]]:
    """(path, field) for every key, nested tables included, each model once per path."""
    for name, field in model.model_fields.items():
        yield prefix + key_name(name, field), field
        nested = nested_model(field.annotation)
        if nested and nested[0] not in seen | {model}:
            yield from fields(nested[0], prefix + key_name(name, field) + nested[1], seen | {model})


def test_the_committed_file_is_the_generated_one() -> None:
    """If this fails: python -m sevbook.formats > docs/formats.md, and review the diff."""
    assert (REPO / "docs" / "formats.md").read_text(encoding="utf-8") == render()


def test_the_module_prints_the_file() -> None:
    res = subprocess.run([sys.executable, "-m", "sevbook.formats"], capture_output=True,
                         text=True, check=True)
    assert res.stdout == render()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_key_is_documented(model: type[BaseModel]) -> None:
    documented = [k.path for k in keys(model)]
    assert documented == [path for path, _ in fields(model)]
    text = render()
    for path in documented:
        assert f"| `{path}` |" in text


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_key_of_a_file_kind_has_a_description(kind: str) -> None:
    missing = [path for path, f in fields(KINDS[kind].model) if not f.description]
    assert missing == [], "add Field(description=...) to these keys"


def _examples() -> Iterator[Any]:
    for model in MODELS:
        for path, f in fields(model):
            for example in f.examples or []:
                yield pytest.param(f, example, id=f"{model.__name__}.{path}")


@pytest.mark.parametrize(("field", "example"), list(_examples()))
def test_every_example_is_valid_for_its_key(field: FieldInfo, example: Any) -> None:
    annotation = (Annotated[field.annotation, *field.metadata] if field.metadata
                  else field.annotation)
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    adapter.validate_python(example)
    # ... and is written as YAML that reads back as the same value (YAML 1.2, as files are)
    assert load_yaml(yaml_text(example)) == example


@pytest.mark.parametrize(("value", "written"), [
    ("plain words", "plain words"), ("#channel", '"#channel"'), ("a: b", '"a: b"'),
    ("", '""'), ("[x]", '"[x]"'), (["a", "b, c"], '[a, "b, c"]'), (True, "true"),
    ({"k": 1.5}, "{k: 1.5}"), (timedelta(hours=1, minutes=30), "1h30m"),
])
def test_yaml_text(value: Any, written: str) -> None:
    assert yaml_text(value) == written


def test_types_as_users_write_them() -> None:
    rows = {k.path: k for k in keys(KINDS["incident"].model)}
    assert rows["started_at"].type == "timestamp"
    assert rows["services"].type == "list of ids"
    assert rows["roles"].type == "map of id to text or list of tables"
    assert rows["roles.<key>[].from"].type == "timestamp"
    assert rows["impact[].from"].default == "required"
    assert rows["kind"].type == "one of `incident`, `maintenance`"
    assert rows["public_id"].type == "public id"
    assert rows["accepted[].reason"].type == "text (not empty)"
    assert (rows["title"].default, rows["public"].default, rows["resolved_at"].default) == (
        "required", "`false`", "—")
    service = {k.path: k for k in keys(KINDS["service"].model)}
    assert service["tier"].type == "whole number (≥ 1, ≤ 5)"
    assert service["slo.window"].default == "`28d`"
    severity = {k.path: k for k in keys(KINDS["severity"].model)}
    assert severity["levels"].type == "list of tables (at least 1)"
    assert severity["decision_tree.yes"].type == "level id or table like `decision_tree`"
    assert type_text(list[int], [], {}) == "list of whole numbers"


def test_table_escapes_pipes() -> None:
    from sevbook.formats import Key

    assert table(iter([Key("a", "b", "c", "x | y", "")])).splitlines()[-1] == (
        "| `a` | b | c | x \\| y |  |")
