"""Files -> model. Reads `content/` and `incidents/`, collecting every problem with its line.

Nothing here raises on bad content: each file that cannot be read or validated adds a
`Diagnostic` and is left out of the model, so one run reports every problem.
"""

from __future__ import annotations

import gc
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from . import errors_map, yamlio
from .cache import DEFAULT_DIR, ContentCache, Entry, open_cache
from .config import Settings, load_settings
from .diagnostics import Diagnostic
from .errors import YamlProblem
from .model import KINDS, Handbook
from .model.common import SLUG_RE, slugify

MAX_BYTES = 2 * 1024 * 1024
"""Largest file read. A handbook page is a few KB; 2 MB leaves room for long postmortems."""

INDEX_NAMES = {"index.md", "README.md"}
"""Section pages the handbook generates; a file of that name in a structured folder is prose."""


@dataclass
class Source:
    """The frontmatter text of one file, kept so lines can be found when a rule needs one.
    With a cache entry, lines it already holds are not looked up again, and new ones are
    remembered in it (`cache.py`)."""

    yaml_text: str
    first_line: int
    _finder: yamlio.LineFinder | None = None
    _cached: tuple[ContentCache, str, Entry] | None = None

    def line(self, path: tuple) -> int:
        if self._cached is not None:
            cache, key, entry = self._cached
            known = entry.lines.get(path)
            if known is not None:
                return known
        if self._finder is None:
            self._finder = yamlio.LineFinder(self.yaml_text)
        found = self._finder(path) + self.first_line - 1
        if self._cached is not None:
            entry.lines[path] = found
            cache.dirty[key] = entry
        return found


class Reuse(Protocol):
    """What `check` already knows of unchanged incident files (`rules.memo.FindingsMemo`):
    a stand-in document for a file it matches, by stat (before reading) or content key."""

    def by_stat(self, path: Path, rel: str, result: LoadResult) -> Any | None: ...

    def by_key(self, path: Path, rel: str, key: str, result: LoadResult) -> Any | None: ...

    def prepare(self, incidents: list[tuple[Path, str]], result: LoadResult) -> None:
        """Called once with every incident file to load as (path, name), after every other
        file is loaded and before the first `by_stat` (`rules.parallel_check` judges them
        all there, on every core)."""


@dataclass
class LoadResult:
    handbook: Handbook
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    cache: ContentCache | None = None
    """Where valid files' data and lines are kept between runs (None: not cached)."""
    salvaged: list[tuple[str, Any]] = field(default_factory=list)
    """(kind, document) of files that failed validation, rebuilt from the top-level keys
    that did validate (`salvage`), so `check` also reports their reference and order
    errors in the same run. Never part of the handbook: nothing is built from them."""
    reuse: Reuse | None = None
    keys: dict[str, tuple[str, str]] = field(default_factory=dict)
    """File -> (kind, content key) of every file found ("" when not read), with a cache."""
    lazy: dict[str, Callable[[], Any]] = field(default_factory=dict)
    """Files stood in for by `reuse`, not read yet: loading one fills its `Source`."""
    root: Path | None = None

    def line(self, file: str, path: tuple) -> int:
        src = self.sources.get(file)
        if src is None and file in self.lazy:
            self.lazy.pop(file)()
            src = self.sources.get(file)
        return src.line(path) if src else 0

    def materialize(self, path: Path, rel: str) -> Any | None:
        """The validated document of a file `reuse` stood in for (None if it no longer
        validates: it changed during the run)."""
        self.lazy.pop(rel, None)
        assert self.root is not None
        return load_file(path, rel, "incident", self.root.resolve(), self, reuse=False)

    def save_cache(self) -> None:
        """Write what this run added to the cache (new files, lines found since)."""
        if self.cache is not None:
            self.cache.save()

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


def discover(settings: Settings,
             problems: list[Diagnostic] | None = None) -> list[tuple[Path, str]]:
    """Every structured file under the handbook root as (path, kind), sorted by path.

    Folder problems go to `problems`: a missing, unreadable or not-a-folder incidents
    folder (an error, never "no incidents": the status page would say all is well while an
    incident is open), or one that is a symlink leading out of the repository."""
    out: list[tuple[Path, str]] = []
    problems = [] if problems is None else problems
    for kind in KINDS.values():
        place = kind.location(settings)
        if kind.many:
            if kind.name == "incident" and not _incidents_folder_ok(settings, place, problems):
                continue
            out += [(p, kind.name) for p in _markdown_files(place, settings.root, problems)]
        elif place.exists() or place.is_symlink():
            out.append((place, kind.name))
    return out


def _incidents_folder_ok(settings: Settings, folder: Path, problems: list[Diagnostic]) -> bool:
    name = settings.incidents_dir.rstrip("/") + "/"

    def problem(code: str, message: str) -> bool:
        problems.append(Diagnostic(name, 0, "", "error", code, message))
        return False

    if not folder.exists():
        return problem("missing-folder", "the incidents folder does not exist, so no incident "
                       "could be published; create it (keep a README.md in it) or set "
                       "incidents_dir in mkdocs.yml")
    if not folder.is_dir():
        return problem("missing-folder", "the incidents folder is not a folder; set "
                       "incidents_dir in mkdocs.yml to the folder of incident files")
    real = folder.resolve()
    if not real.is_relative_to(settings.root.resolve()):
        return problem("symlink-outside", f"the incidents folder leads outside the repository "
                       f"(to {real}); keep incidents inside the repository")
    if not os.access(folder, os.R_OK | os.X_OK):
        return problem("unreadable", "the incidents folder cannot be read; fix its permissions")
    return True


def _markdown_files(folder: Path, root: Path, problems: list[Diagnostic]) -> list[Path]:
    if not folder.is_dir():
        return []
    found: list[str] = []

    def unreadable(e: OSError) -> None:
        where = os.path.relpath(e.filename, root) if e.filename else str(folder)
        problems.append(Diagnostic(where.replace(os.sep, "/") + "/", 0, "", "error",
                                   "unreadable", f"folder cannot be read: {e.strerror or e}"))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unreadable):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in filenames:
            if f.endswith(".md") and not f.startswith(".") and f not in INDEX_NAMES:
                found.append(os.path.join(dirpath, f))
    found.sort()  # sorting strings, not Paths: measurably faster at 10,000 files
    return [Path(f) for f in found]


def load(root: Path | str, settings: Settings | None = None,
         select: Callable[[Path, str], bool] | None = None,
         cache: bool = False,
         reuse: Callable[[Path, ContentCache | None], Reuse | None] | None = None) -> LoadResult:
    """Read and validate every structured file under `root` (or those `select(path, kind)`
    keeps: editing one incident needs the content files and that incident only).
    `cache`: reuse and keep valid files' data in the content cache (`cache.py`) unless the
    `cache` setting is off; the caller saves it after checking (`LoadResult.save_cache`).
    `reuse`: what `check` knows of the incidents before they are loaded: called with the
    content cache (None without one) to give a `Reuse` or None (`rules.memo`: unchanged
    incidents; `rules.parallel_check`: incidents judged in forked children)."""
    # Loading creates hundreds of thousands of long-lived objects and no reference cycles;
    # the cyclic GC would walk all of them again on every pass (~20% of load time at
    # 10,000 incidents), so it rests until the model is built.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(Path(root), settings, select, cache, reuse)
    finally:
        if enabled:
            gc.enable()


def _load(root: Path, settings: Settings | None, select: Callable[[Path, str], bool] | None,
          cache: bool, reuse: Callable[[Path, ContentCache | None], Reuse | None] | None,
          ) -> LoadResult:
    settings = settings or load_settings(root)
    hb = Handbook(root=root, settings=settings)
    result = LoadResult(handbook=hb, root=root)
    if cache and settings.cache:
        result.cache = open_cache(root, settings.cache_dir or DEFAULT_DIR)
    if reuse is not None:
        result.reuse = reuse(root, result.cache)
    memo = result.reuse
    real_root = root.resolve()
    seen: dict[tuple[str, str], str] = {}
    prefix = str(root).rstrip(os.sep) + os.sep
    files: list[tuple[Path, str, str]] = []
    for path, kind in discover(settings, result.diagnostics):
        if select is not None and not select(path, kind):
            continue
        text_path = str(path)
        rel = text_path[len(prefix):] if text_path.startswith(prefix) else text_path
        files.append((path, kind, rel.replace(os.sep, "/")))
    # Every other file before the incidents (ids are unique per kind, so the order across
    # kinds changes nothing): the incident rules a `Reuse` may run need them all loaded.
    files.sort(key=lambda f: f[1] == "incident")
    incidents = [(path, rel) for path, kind, rel in files if kind == "incident"]
    for path, kind, rel in files:
        if memo is not None and kind == "incident" and incidents:
            memo.prepare(incidents, result)
            incidents = []
        hb.files += 1
        doc = None
        if memo is not None:
            if result.cache is not None:
                result.keys[rel] = (kind, "")
            if kind == "incident":
                doc = memo.by_stat(path, rel, result)
        if doc is None:
            doc = load_file(path, rel, kind, real_root, result)
        if doc is None:
            continue
        key = (kind, doc.id)
        if key in seen:
            result.diagnostics.append(Diagnostic(
                rel, 1, "", "error", "duplicate-id",
                f"{kind} id '{doc.id}' is already used by {seen[key]}; rename one of the files"))
            continue
        seen[key] = rel
        attach(hb, kind, doc)
    for file_kind in KINDS.values():
        if file_kind.many:
            setattr(hb, file_kind.attr, dict(sorted(getattr(hb, file_kind.attr).items())))
    return result


def attach(hb: Handbook, kind: str, doc: Any) -> None:
    """Put a loaded document where it belongs in the Handbook."""
    KINDS[kind].store(hb, doc)


Report = Callable[..., None]
"""`err(code, message, line=1, field="")`: add one error about the file being read."""


def load_file(path: Path, rel: str, kind: str, real_root: Path, result: LoadResult,
              reuse: bool = True):
    """Read one file as `kind`; return the bound document, or None after adding every
    problem to `result.diagnostics`. `rel` is how the file is named in messages.
    `reuse`: an incident `result.reuse` knows by its content key is stood in for."""
    def err(code: str, message: str, line: int = 1, fld: str = "") -> None:
        result.diagnostics.append(Diagnostic(rel, line, fld, "error", code, message))

    raw = _read_bytes(path, real_root, err)
    if raw is None:
        return None
    cache, key = result.cache, ""
    if cache is not None:
        key = cache.key(kind, rel, raw)
        result.keys[rel] = (kind, key)
        if result.reuse is not None:
            if reuse and kind == "incident":
                stand_in = result.reuse.by_key(path, rel, key, result)
                if stand_in is not None:
                    return stand_in
        entry = cache.get(key)
        if entry is not None:
            doc = _from_entry(entry, raw, path, rel, kind, result, (cache, key))
            if doc is not None:
                return doc
    text = _decode(raw, err)
    if text is None:
        return None
    parsed = _frontmatter(text, rel, result, err)
    if parsed is None:
        return None
    data, body = parsed
    file_kind = KINDS[kind]
    doc_id = file_kind.fixed_id() or path.stem
    if file_kind.fixed_id() is None and not SLUG_RE.match(path.stem):
        err("bad-filename", f"file name '{path.name}' is not a valid id; rename it to "
            f"lowercase letters, digits and dashes, like '{slugify(path.stem, kind)}.md'", 0)
        return None
    try:
        doc = file_kind.validate(data)
    except ValidationError as e:
        _report_validation(file_kind.model, data, e, rel, result)
        salvaged = salvage(file_kind, data, e)
        if salvaged is not None:
            result.salvaged.append((kind, salvaged.bind(doc_id, rel, body)))
        return None
    if cache is not None:
        _remember(cache, key, text, data, body, result.sources[rel])
    return doc.bind(doc_id, rel, body)


def _remember(cache: ContentCache, key: str, text: str, data: dict[str, Any], body: str,
              src: Source) -> None:
    """Keep a valid file's data, and where its YAML and body are, in the cache (when the
    offsets can be checked; then the Source remembers the lines rules ask for)."""
    text = text[1:] if text.startswith("\ufeff") else text
    fm = src.yaml_text
    start = text.find(fm)
    body_start = len(text) - len(body)
    if start < 0 or not text.endswith(body) or body_start < start + len(fm):
        return
    entry = Entry(data, start, start + len(fm), body_start, src.first_line)
    cache.put(key, entry)
    src._cached = (cache, key, entry)


def _from_entry(entry: Entry, raw: bytes, path: Path, rel: str, kind: str,
                result: LoadResult, where: tuple[ContentCache, str]) -> Any | None:
    """The document of a cache hit, or None when the entry does not hold up (then the file
    is read as if there were none). The data is validated like freshly parsed YAML."""
    if b"\x00" in raw[:8192]:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    text = text[1:] if text.startswith("\ufeff") else text
    fm = text[entry.yaml_start:entry.yaml_end]
    if _MAY_HOLD_CONTROLS.search(fm):
        return None
    file_kind = KINDS[kind]
    try:
        doc = file_kind.validate(entry.data)
    except ValidationError:
        return None
    result.sources[rel] = Source(fm, entry.first_line, _cached=(*where, entry))
    return doc.bind(file_kind.fixed_id() or path.stem, rel, text[entry.body_start:])


def salvage(file_kind: Any, data: dict[str, Any], exc: ValidationError) -> Any | None:
    """The document without the top-level keys that failed validation, or None when that
    is not valid either (a required key failed, or a check across keys did)."""
    bad = {e["loc"][0] for e in exc.errors() if e["loc"]}
    if not bad or any(not e["loc"] for e in exc.errors()):
        return None
    try:
        return file_kind.validate({k: v for k, v in data.items() if k not in bad})
    except ValidationError:
        return None


_NAME_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


def _read_bytes(path: Path, real_root: Path, err: Report) -> bytes | None:
    """The file's bytes, or None after reporting why it cannot be read."""
    try:
        st: os.stat_result | None = os.lstat(path)  # a regular file's stat too: one call
    except OSError:
        st = None  # reported below, after the name
    if st is not None and stat.S_ISLNK(st.st_mode):
        st = None
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            err("unreadable", "symlink points to a file that does not exist; fix or remove the link", 0)
            return None
        if not target.is_relative_to(real_root):
            err("symlink-outside", "symlink points outside the repository "
                f"(to {target}); copy the file into the repository instead", 0)
            return None
    if _NAME_CONTROLS.search(path.name):
        err("bad-filename", f"file name {path.name!r} contains control characters (a line "
            "break?); rename it to lowercase letters, digits and dashes", 0)
        return None
    try:
        st = path.stat() if st is None else st
        if not stat.S_ISREG(st.st_mode):
            err("not-a-file", "this is not a regular file (a pipe, socket or device?); remove "
                "it or rename it so it does not end in .md", 0)
            return None
        if st.st_size > MAX_BYTES:
            err("too-large", f"file is {st.st_size / 1_048_576:.1f} MB; sevbook reads files up "
                f"to {MAX_BYTES // 1_048_576} MB, so move large material (logs, dumps) elsewhere "
                "and link to it", 0)
            return None
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        err("unreadable", f"cannot be read: {e.strerror or e}", 0)
        return None


def _decode(raw: bytes, err: Report) -> str | None:
    """The file's text, or None after reporting why it is not Markdown text."""
    if b"\x00" in raw[:8192]:
        err("binary", "file is binary, not Markdown text; remove it or give it another extension", 0)
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        err("not-utf8", f"file is not UTF-8 (byte 0x{raw[e.start]:02x} at offset {e.start}); "
            "save it as UTF-8", line)
        return None
    if not text.strip():
        err("empty", "file is empty; it needs a frontmatter block between '---' lines", 0)
        return None
    return text


def _frontmatter(text: str, rel: str, result: LoadResult,
                 err: Report) -> tuple[dict[str, Any], str] | None:
    """(frontmatter data, body), or None after reporting what is wrong with the YAML."""
    parts = yamlio.split_frontmatter(text)
    if parts is None:
        err("no-frontmatter", "file has no frontmatter; start it with a line '---', the YAML "
            "keys, then another '---' line", 1)
        return None
    fm, body, first = parts
    result.sources[rel] = Source(fm, first)
    try:
        data = yamlio.load_yaml(fm)
    except YamlProblem as e:
        err("yaml", e.message, e.line + first - 1)
        return None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        err("wrong-type", f"frontmatter must be a mapping of keys, got {type(data).__name__}", first)
        return None
    if _MAY_HOLD_CONTROLS.search(fm):
        bad = list(_control_characters(data, ()))
        for where, ch in bad:
            err("control-character", f"text contains the control character U+{ord(ch):04X} "
                f"({CONTROL_NAMES.get(ch, 'a control character')}), which feeds and pages "
                "cannot carry; remove it (a paste from a terminal or word processor?)",
                result.sources[rel].line(where), errors_map.field_name(where))
        if bad:
            return None
    return data, body


_CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
CONTROL_RE = re.compile(_CONTROL)
_MAY_HOLD_CONTROLS = re.compile(_CONTROL[:-1] + r"\\](?:(?<=\\)(?:[0abtvfeNU]|x[0-9a-fA-F]{2}|"
                                r"u00[0-9a-fA-F]{2})|(?<!\\))")
"""A raw control character, or a double-quoted YAML escape that could make one (\\v,
\\x0b, \\u0085, ...): only then are the parsed values walked (one regex per file). One
character class first, then what follows a backslash: a quarter of the time of the five
alternatives tried at every character."""
CONTROL_NAMES = {"\x00": "NUL", "\x07": "bell", "\x08": "backspace", "\x0b": "vertical tab",
                  "\x0c": "form feed", "\x1b": "escape", "\x7f": "delete",
                  "\x85": "next line"}


def _control_characters(node: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    """(key path, character) for every C0/C1 control other than tab, CR and LF."""
    if isinstance(node, str):
        m = CONTROL_RE.search(node)
        if m:
            yield path, m.group()
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _control_characters(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _control_characters(v, path + (i,))


def _report_validation(model, data, exc: ValidationError, rel: str, result: LoadResult) -> None:
    src = result.sources[rel]
    found = [errors_map.describe(model, data, dict(e)) for e in exc.errors()]
    paths = {p for p, _, _ in found}
    seen: set[tuple] = set()
    for path, code, msg in found:
        # Union members each report; keep the most specific one.
        if code == "wrong-type" and any(len(q) > len(path) and q[: len(path)] == path for q in paths):
            continue
        if (path, msg) in seen:
            continue
        seen.add((path, msg))
        result.diagnostics.append(Diagnostic(
            rel, src.line(path), errors_map.field_name(path), "error", code, msg))
