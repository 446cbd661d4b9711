"""What `sevbook serve` keeps in memory between its rebuilds.

MkDocs loads a new config, a new sevbook plugin and a new theme environment for every
rebuild, so nothing survives one rebuild by itself. A preview session hands its `Session`
to each rebuild's plugin (`SevbookPlugin.prepare(session=...)`), which keeps there:

* `pages`: the page cache entries (`pagecache.Entry`) this process has stored or has read
  and checked, by source path, so a rebuild takes an unchanged page from memory instead of
  reading its row from the database and checking its digest again. An entry is used only
  when its keys equal the keys just computed, exactly as a row is (`reuse.py`).
* `templates`: the theme's templates compiled to Python code, so a rebuild does not
  compile them again. Jinja uses a compiled template only when the template's source has
  the same checksum (`jinja2.BytecodeCache`); the compiler's settings are part of the key.
* `incident_pages`: the Markdown generated for each incident page, with what it was
  generated from (`incidentmemo.py`), so a rebuild generates only the pages of the
  incidents whose inputs changed (every one when anything else in the handbook did).
* the pages' sources split into Markdown and meta (MkDocs parses every page's frontmatter
  again with the pure-Python YAML loader on each build), by the source's exact text, for
  the sources the last rebuild read; each page gets a copy of the meta of its own.

`sevbook build` runs one build per process and passes no session.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from typing import Any

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket

from .incidentmemo import IncidentPages
from .pagecache import Entry


def compiler_settings(env: Environment) -> str:
    """What, besides a template's source, decides the code Jinja compiles it to."""
    autoescape = _name(env.autoescape) if callable(env.autoescape) else env.autoescape
    parts: list[Any] = [
        sorted(env.extensions), env.block_start_string, env.block_end_string,
        env.variable_start_string, env.variable_end_string, env.comment_start_string,
        env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
        env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
        env.keep_trailing_newline, env.optimized, env.is_async, autoescape,
        f"{env.code_generator_class.__module__}.{env.code_generator_class.__qualname__}",
        # the optimizer folds constant expressions through the filters and tests
        sorted((k, _name(v)) for k, v in env.filters.items()),
        sorted((k, _name(v)) for k, v in env.tests.items()),
    ]
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()


def _name(function: Any) -> str:
    return f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', '?')}"


class TemplateCache(BytecodeCache):
    """Compiled templates in memory, by template, file and compiler settings."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        key = f"{self.get_cache_key(name, filename)}-{compiler_settings(environment)}"
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # resets itself on another checksum

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()


Parsed = tuple[str, dict[str, Any]]


@dataclass
class Session:
    """One `sevbook serve` session's memory (see the module's docstring)."""

    pages: dict[str, Entry] = field(default_factory=dict)
    templates: TemplateCache = field(default_factory=TemplateCache)
    incident_pages: IncidentPages = field(default_factory=IncidentPages)
    _sources: dict[str, Parsed] = field(default_factory=dict)
    _read: dict[str, Parsed] = field(default_factory=dict)

    def start_build(self) -> None:
        """Forget the sources no page read in the last build."""
        self._sources, self._read = self._read, {}

    def serve_source(self, page: Any) -> None:
        """Make the next `page.read_source(config)` go through `read_source`."""
        def read_source(config: Any) -> None:
            del page.read_source  # back to the class's method
            self.read_source(page, config)

        page.read_source = read_source

    def read_source(self, page: Any, config: Any) -> None:
        """What MkDocs' `Page.read_source` does when no plugin supplies the source (the
        caller checks), with each distinct source parsed once."""
        from mkdocs.utils import meta

        try:
            source = page.file.content_string
        except (OSError, ValueError):
            type(page).read_source(page, config)  # MkDocs' own: it says what is wrong
            return
        parsed = self._read.get(source) or self._sources.get(source) or meta.get_data(source)
        self._read[source] = parsed
        page.markdown, page.meta = parsed[0], copy.deepcopy(parsed[1])
