"""The content cache: what loading a valid file produced, keyed by the file's bytes.

`check` on an imported history reads 10,000 files that did not change since the last run.
For each file that loaded without a problem, the cache keeps the parsed frontmatter (plain
JSON data), where the YAML and the body start in the text, and every key line a rule has
asked for, under `.cache/sevbook/` (the `cache_dir` setting). The key is the SHA-256 of
the cache version, the file's kind and name and its bytes, so any edit, rename or new
sevbook misses.

**What is trusted, and why not pickle.** A cache folder can come from elsewhere (CI
restores it with actions/cache; a copy of the repository brings it along), so an entry is
plain data read with `json.loads`, which builds nothing but dicts, lists, strings and
numbers. An entry is used only when its shape is exactly the one written here and it names
its own key; anything else (truncated, foreign, older format) is a miss, never an error.
The data then goes through the same Pydantic validation as freshly parsed YAML, so a cache
entry can never make a document the models refuse. What an entry could still do is claim
other contents for a file whose bytes hash to its key: the cache folder is therefore as
trusted as the working tree itself (whoever can write `.cache/sevbook/` can write
`incidents/`), and CI caches are scoped to a branch (a pull request can read its base's
cache, never write it). Files that fail to load are never cached: their problems are
found again each run.

**Byte-identical output.** A hit gives the same data, body and lines as parsing (the
lines are answers the line finder gave for this very text), so a cached run prints what
an uncached one does; `tests/test_cache.py` compares them.

Writes are atomic (a temporary file renamed in), never follow a symlink, and never fail a
command: a cache that cannot be written is skipped.

Two more files live beside the entries, read and written through `read_named` and
`write_named` under the same rules: `findings.memo`, what the rules found in each
unchanged incident (`sevbook.rules.memo`, kept by `check`), and `narrow.facts`, what
`diff`'s narrowing reads of each unchanged incident (`sevbook.diffing.facts`).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT = 1
"""The entry layout; bump when it changes."""

DEFAULT_DIR = ".cache/sevbook"
"""The cache folder unless mkdocs.yml sets `cache_dir`."""

_VERSION_MODULES = ("load.py", "yamlio.py", "cache.py", "errors_map.py", "model")
"""The sources that decide what a file loads to: their bytes are part of the version, so
a code change (a model's schema, a validator, the line scanner) invalidates the cache."""


def _code_hash() -> str:
    """SHA-256 of sevbook's version, the Python, Pydantic and ryaml versions and the
    source of the modules in `_VERSION_MODULES` (about 20 small files: under 2 ms)."""
    import pydantic
    import ryaml

    from . import __version__

    h = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}\0{pydantic.VERSION}\0"
                       f"{getattr(ryaml, '__version__', '')}".encode())
    here = Path(__file__).parent
    for name in _VERSION_MODULES:
        path = here / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for f in files:
            h.update(b"\0" + f.relative_to(here).as_posix().encode() + b"\0")
            h.update(f.read_bytes())
    return h.hexdigest()


def package_hash() -> str:
    """SHA-256 of `_code_hash` and the source of every module of sevbook: what decides the
    findings of a rule (`rules.memo`), which may read anything sevbook has."""
    h = hashlib.sha256(_code_hash().encode())
    here = Path(__file__).parent
    for f in sorted(here.rglob("*.py")):
        h.update(b"\0" + f.relative_to(here).as_posix().encode() + b"\0")
        h.update(f.read_bytes())
    return h.hexdigest()


def _plain(value: Any) -> bool:
    """Whether `value` survives a JSON round trip unchanged in type and value: str keys,
    str/int/float/bool/None leaves, lists and dicts."""
    if value is None or isinstance(value, (str, int, float)):
        return True  # bool is an int
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


@dataclass
class Entry:
    """What loading one valid file produced (besides the document built from `data`)."""

    data: dict[str, Any]
    """The parsed frontmatter."""
    yaml_start: int
    yaml_end: int
    body_start: int
    """Offsets in the decoded text (without a byte-order mark) of the YAML and the body."""
    first_line: int
    lines: dict[tuple, int] = field(default_factory=dict)
    """Key path -> file line, as the line finder answered for this text."""

    def to_json(self, key: str) -> str:
        return json.dumps({"format": FORMAT, "key": key, "data": self.data,
                           "at": [self.yaml_start, self.yaml_end, self.body_start,
                                  self.first_line],
                           "lines": [[list(p), n] for p, n in self.lines.items()]},
                          ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: bytes, key: str) -> Entry | None:
        """The entry, or None when `raw` is not exactly what `to_json` writes for `key`."""
        try:
            obj = json.loads(raw)
        except (ValueError, RecursionError):
            return None
        if not (isinstance(obj, dict) and obj.keys() == {"format", "key", "data", "at", "lines"}
                and obj["format"] == FORMAT and obj["key"] == key
                and isinstance(obj["data"], dict) and isinstance(obj["lines"], list)):
            return None
        at = obj["at"]
        if not (isinstance(at, list) and len(at) == 4
                and all(type(n) is int and n >= 0 for n in at)):
            return None
        lines: dict[tuple, int] = {}
        for item in obj["lines"]:
            if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], list)
                    and type(item[1]) is int
                    and all(type(k) in (str, int) for k in item[0])):
                return None
            lines[tuple(item[0])] = item[1]
        return cls(obj["data"], at[0], at[1], at[2], at[3], lines)


class ContentCache:
    """The entries of one repository's cache folder for this sevbook (`open_cache`)."""

    def __init__(self, folder: Path, inside: Path):
        self.folder = folder
        self.inside = inside
        """The real (symlinks resolved) folder every entry must be in."""
        self.dirty: dict[str, Entry] = {}
        """Entries to write: new ones, and ones that learnt a line."""
        self._safe: dict[str, bool] = {}
        self._base = str(folder)

    def key(self, kind: str, rel: str, raw: bytes) -> str:
        h = hashlib.sha256(f"{kind}\0{rel}\0".encode())
        h.update(raw)
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / (key[2:] + ".json")

    def entry_path(self, key: str) -> str:
        """Where the entry of `key` is (or would be)."""
        return f"{self._base}/{key[:2]}/{key[2:]}.json"

    def _inside(self, folder: str) -> bool:
        """Whether `folder` (an entry's folder, existing) really is inside the cache
        folder: no symlink leads elsewhere (checked once per folder and run)."""
        if folder not in self._safe:
            real = Path(os.path.realpath(folder))
            self._safe[folder] = real.is_relative_to(self.inside) and real != self.inside
        return self._safe[folder]

    def get(self, key: str) -> Entry | None:
        folder = f"{self._base}/{key[:2]}"
        if folder not in self._safe and not os.path.isdir(folder):
            return None
        if not self._inside(folder):
            return None
        path = f"{folder}/{key[2:]}.json"
        try:
            with open(path, "rb", opener=_no_follow) as f:
                raw = f.read()
        except (OSError, ValueError):
            return None
        return Entry.from_json(raw, key)

    def read_named(self, name: str) -> bytes | None:
        """The bytes of the file `name` beside the entries (findings.memo, narrow.facts), or None."""
        folder = str(self.folder)
        if not os.path.isdir(folder) or not self._inside(folder):
            return None
        try:
            with open(f"{folder}/{name}", "rb", opener=_no_follow) as f:
                return f.read()
        except (OSError, ValueError):
            return None

    def write_named(self, name: str, text: str) -> None:
        """Write the file `name` beside the entries atomically; give up quietly."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if not self._inside(str(self.folder)):
                return
            self._write_text(self.folder / name, text)
        except (OSError, ValueError):
            return

    def put(self, key: str, entry: Entry) -> None:
        if _plain(entry.data):
            self.dirty[key] = entry

    def save(self) -> None:
        """Write every dirty entry; give up quietly on the first write that fails."""
        dirty, self.dirty = self.dirty, {}
        try:
            for key, entry in dirty.items():
                self._write(key, entry)
        except (OSError, ValueError):
            return

    def _write(self, key: str, entry: Entry) -> None:
        path = self._path(key)
        if not path.parent.is_dir():
            path.parent.mkdir(parents=True, exist_ok=True)
        if not self._inside(str(path.parent)):
            raise OSError("a cache folder leads outside the cache")
        self._write_text(path, entry.to_json(key))

    @staticmethod
    def _write_text(path: Path, text: str) -> None:
        """A temporary file (never through a symlink) renamed over `path`."""
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NOFOLLOW)


def open_cache(root: Path, cache_dir: str) -> ContentCache | None:
    """The cache under `root/cache_dir` for this sevbook's code, or None when that folder
    (symlinks resolved) is not inside the repository: the setting was checked when
    mkdocs.yml was read (`config.folder_problems`), and is checked again here in case a
    link was swapped in since. Older versions' folders beside it are removed."""
    real_root = Path(os.path.realpath(root))
    base = Path(os.path.realpath(root / cache_dir))
    if base == real_root or not base.is_relative_to(real_root):
        return None
    version = _code_hash()[:24]
    _prune(base, f"v{FORMAT}-{version}")
    return ContentCache(base / f"v{FORMAT}-{version}", base)


def _prune(base: Path, keep: str) -> None:
    """Remove the entry folders of other cache versions (only names this module makes)."""
    import shutil

    try:
        names = [p for p in base.iterdir() if p.name.startswith("v") and p.name != keep
                 and "-" in p.name and p.is_dir() and not p.is_symlink()]
    except OSError:
        return
    for p in names:
        shutil.rmtree(p, ignore_errors=True)
