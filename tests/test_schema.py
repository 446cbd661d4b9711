"""`sevbook schema`: JSON Schemas an editor can use, and that agree with the models."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from tests.conftest import REPO

from sevbook.cli import main
from sevbook.config import load_settings
from sevbook.load import discover
from sevbook.yamlio import load_yaml, split_frontmatter

KINDS = ["incident", "oncall", "role", "runbook", "service", "severity"]


@pytest.fixture(scope="module")
def schemas(tmp_path_factory):
    out = tmp_path_factory.mktemp("schemas")
    res = CliRunner().invoke(main, ["schema", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == [f"{k}.schema.json" for k in KINDS]
    return {k: json.loads((out / f"{k}.schema.json").read_text()) for k in KINDS}


def test_schemas_are_valid_json_schema(schemas):
    for schema in schemas.values():
        Draft202012Validator.check_schema(schema)
        assert schema["additionalProperties"] is False


def example_files():
    settings = load_settings(REPO)
    return [(p, kind) for p, kind in discover(settings)]


@pytest.mark.parametrize("path, kind", example_files(), ids=lambda v: str(v)[-40:])
def test_every_example_file_validates_against_its_schema(schemas, path, kind):
    fm, _, _ = split_frontmatter(path.read_text(encoding="utf-8"))
    data = load_yaml(fm)
    errors = list(Draft202012Validator(schemas[kind]).iter_errors(data))
    assert errors == []


def test_schema_rejects_what_check_rejects(schemas):
    v = Draft202012Validator(schemas["incident"])
    bad = {"title": "x", "staus": "open"}
    assert [e.validator for e in v.iter_errors(bad)] == ["additionalProperties"]
    bad_duration = {"name": "x", "response_time": "15 minutes"}
    level_errors = list(Draft202012Validator(schemas["severity"]).iter_errors(
        {"levels": [{"id": "SEV1", **bad_duration}]}))
    assert any(e.validator == "pattern" for e in level_errors)


def test_schema_without_out_prints_all_kinds():
    res = CliRunner().invoke(main, ["schema"])
    assert res.exit_code == 0
    assert sorted(json.loads(res.output)) == KINDS
