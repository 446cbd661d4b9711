"""JSON Schema for every frontmatter kind, so editors can complete and check keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .model import KINDS


def kind_schema(kind: str) -> dict[str, Any]:
    schema = KINDS[kind].model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://sevbook.dev/schema/{kind}.schema.json"
    schema["title"] = KINDS[kind].title
    return schema


def all_schemas() -> dict[str, dict[str, Any]]:
    return {kind: kind_schema(kind) for kind in KINDS}


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, schema in all_schemas().items():
        p = out / f"{kind}.schema.json"
        p.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(p)
    return written
