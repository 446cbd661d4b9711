"""The files the status page takes from the repository: `theme/status/` and `status.logo`.

Whatever is read here ends up public, so only regular files inside the repository are
read, and never through a symbolic link: a link in `theme/status/assets/` could publish
`/proc/self/environ` (a CI job's secrets), `/etc/passwd` or a private incident, and a link
to a parent folder would copy without end. `scan_theme` looks at everything first and
reports every problem (code `unsafe-asset`, naming the file) before a build writes
anything; the build then reads each file again with `read_beneath`, which opens every
folder on the way and the file itself without following links (so a link swapped in after
the scan is refused too) and refuses FIFOs, devices and sockets. Limits: `MAX_FILE_BYTES`
per file, `MAX_THEME_BYTES` in all. SVG files (the logo, SVG assets) must be inert
(`sevbook.status.svg`).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlparse

from ..diagnostics import Diagnostic, printable
from ..errors import ContentError
from .svg import svg_problems

THEME = "theme/status"
ASSETS = "assets"
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_THEME_BYTES = 100 * 1024 * 1024
LOGO_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}
CODE = "unsafe-asset"


class Refused(Exception):
    """A file the status page must not read (the message says why, after its name)."""


class NotRegular(Refused):
    """A folder, FIFO, socket or device where a file was expected."""


def _parts(rel: str) -> list[str]:
    parts = rel.split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise Refused("is not a plain path inside the repository")
    return parts


def read_beneath(root: Path, rel: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file `rel` (a '/'-separated path) under `root`, opened
    folder by folder without following any symbolic link; raises Refused or OSError."""
    parts = _parts(rel)
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            flags = os.O_RDONLY | (os.O_NONBLOCK if last else os.O_DIRECTORY)
            nxt = _open_at(fd, part, flags)
            os.close(fd)
            fd = nxt
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular("is not a regular file")
        if info.st_size > limit:
            raise Refused(f"is {_size(info.st_size)}, more than the {_size(limit)} allowed")
        chunks: list[bytes] = []
        got = 0
        while got <= limit and (chunk := os.read(fd, min(1 << 20, limit + 1 - got))):
            chunks.append(chunk)
            got += len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise Refused(f"is more than the {_size(limit)} allowed")
        return data
    finally:
        os.close(fd)


def _open_at(dir_fd: int, name: str, flags: int) -> int:
    """Open `name` inside the folder `dir_fd`, refusing a symbolic link."""
    try:
        return os.open(name, flags | os.O_NOFOLLOW, dir_fd=dir_fd)
    except OSError as e:
        # A link gives ELOOP (EMLINK on FreeBSD), or ENOTDIR where a folder was asked for.
        if e.errno in (errno.ELOOP, errno.EMLINK) or e.errno == errno.ENOTDIR and \
                _is_link(dir_fd, name):
            raise Refused(f"goes through the symbolic link {name!r}") from None
        raise


def _is_link(dir_fd: int, name: str) -> bool:
    try:
        os.readlink(name, dir_fd=dir_fd)
    except OSError:
        return False
    return True


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


@dataclass(frozen=True)
class ThemeFiles:
    """What the status page reads from the repository, all checked by `scan_theme`."""

    root: Path | None = None
    """The repository (symlinks resolved), or None: only the package's templates."""
    templates: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Template name (`index.html`) -> path under `root` (`theme/status/index.html`)."""
    assets: tuple[tuple[str, str], ...] = ()
    """(name under the site's `assets/`, path under `root`), to copy."""
    logo: tuple[str, str] | None = None
    """(`logo.<ext>`, path under `root`) of a local `status.logo`, or None."""

    def read(self, rel: str) -> bytes:
        assert self.root is not None
        return read_beneath(self.root, rel)


def _problem(file: str, why: str, line: int = 0, fld: str = "") -> Diagnostic:
    return Diagnostic(printable(file), line, fld, "error", CODE, why)


def _walk(root: Path, rel: str) -> Iterator[tuple[str, os.DirEntry | None, str]]:
    """(path under root, entry, problem or '') for everything below folder `rel`."""
    try:
        entries = sorted(os.scandir(root / rel), key=lambda e: e.name)
    except OSError as e:
        yield rel, None, f"cannot be read ({e.strerror})"
        return
    for entry in entries:
        path = f"{rel}/{entry.name}"
        if entry.is_symlink():
            target = printable(os.readlink(entry.path))
            yield path, entry, (f"is a symbolic link (to {target}); the status page never "
                                "publishes through a link, which could reach secrets or "
                                "private files: put a copy of the file there instead")
        elif entry.is_dir(follow_symlinks=False):
            yield from _walk(root, path)
        elif not entry.is_file(follow_symlinks=False):
            yield path, entry, ("is not a regular file (a FIFO, socket or device); only "
                                "regular files are published")
        else:
            yield path, entry, ""


def _theme_folder(root: Path, folder: str = THEME) -> tuple[bool, list[Diagnostic]]:
    """Whether `folder` (`theme/status/`) exists, refusing any part of it as a link."""
    path = root
    for name in _parts(folder):
        path = path / name
        if path.is_symlink():
            return False, [_problem(path.relative_to(root).as_posix(),
                                    "is a symbolic link; the status page reads its theme "
                                    "only from a real folder inside the repository")]
        if not path.is_dir():
            return False, []
    return True, []


def _theme_files(root: Path, folder: str = THEME,
                 ) -> tuple[dict[str, str], list[tuple[str, str]], list[Diagnostic]]:
    templates: dict[str, str] = {}
    assets: list[tuple[str, str]] = []
    problems: list[Diagnostic] = []
    total = 0
    for rel, entry, why in _walk(root, folder):
        if why or entry is None:
            problems.append(_problem(rel, why))
            continue
        size = entry.stat(follow_symlinks=False).st_size
        total += size
        name = rel[len(folder) + 1:]
        if size > MAX_FILE_BYTES:
            problems.append(_problem(rel, f"is {_size(size)}; a theme file may have at most "
                                          f"{_size(MAX_FILE_BYTES)}"))
        elif name.startswith(ASSETS + "/"):
            assets.append((name[len(ASSETS) + 1:], rel))
            if name.lower().endswith(".svg"):
                problems += _svg(root, rel)
        else:
            templates[name] = rel
    if total > MAX_THEME_BYTES:
        problems.append(_problem(folder, f"holds {_size(total)}; the theme may have at most "
                                        f"{_size(MAX_THEME_BYTES)} in all"))
    return templates, assets, problems


def _svg(root: Path, rel: str, data: bytes | None = None) -> list[Diagnostic]:
    if data is None:
        try:
            data = read_beneath(root, rel)
        except (Refused, OSError):
            return []  # the scan that found the file reports what is wrong with it
    return [_problem(rel, f"{why}; an SVG the status page publishes must hold no script, "
                          "event handler or external reference: remove it, or use a PNG",
                     line)
            for line, why in svg_problems(data)]


def _setting_line(root: Path, path: tuple[str, ...]) -> int:
    """The line of a `sevbook` setting in mkdocs.yml (0 when it cannot be found)."""
    from .. import yamlio
    from ..config import CONFIG_FILE, plugin_options, read_config

    try:
        mk, text = read_config(root / CONFIG_FILE)
    except (ContentError, OSError):
        return 0
    found = plugin_options(mk)
    base = found[1] if found is not None else ()
    return yamlio.line_of(yamlio.key_lines(text), base + path)


def _logo_problem(root: Path, message: str) -> list[Diagnostic]:
    return [Diagnostic("mkdocs.yml", _setting_line(root, ("status", "logo")), "status.logo",
                       "error", CODE, message)]


def _logo(root: Path, logo: str) -> tuple[tuple[str, str] | None, list[Diagnostic]]:
    """The local logo to publish, if `status.logo` names one (another host's is ignored:
    the page never loads anything from elsewhere; a missing file is no logo)."""
    if not logo or urlparse(logo).scheme:
        return None, []
    full = os.path.normpath(os.path.join(root, logo))
    if full != str(root) and not full.startswith(str(root) + os.sep):
        return None, _logo_problem(root, f"{logo!r} lies outside the repository; the logo "
                                         "must be a file in the repository, like "
                                         "theme/status/logo.svg")
    rel = Path(full).relative_to(root).as_posix()
    suffix = Path(rel).suffix.lower()
    if suffix not in LOGO_SUFFIXES:
        return None, []  # not an image: no logo, as before
    try:
        data = read_beneath(root, rel)
    except NotRegular:
        return None, []  # a folder named like an image: no logo, as before
    except Refused as e:
        return None, _logo_problem(root, f"{logo!r} {e}; the logo must be a file of its "
                                         "own in the repository, like theme/status/logo.svg")
    except OSError:
        return None, []  # missing or unreadable: no logo, as before
    problems = _svg(root, rel, data) if suffix == ".svg" else []
    return (f"logo{suffix}", rel), problems


def scan_theme(root: Path | None, logo: str = "", folder: str = THEME,
               ) -> tuple[ThemeFiles, list[Diagnostic]]:
    """Everything the status page of the repository at `root` reads or copies (its theme
    from `folder`, a further page's `theme`), and every problem with it (each an
    `unsafe-asset` error)."""
    if root is None:
        return ThemeFiles(), []
    real = Path(os.path.realpath(root))
    try:
        exists, problems = _theme_folder(real, folder)
    except Refused as e:
        return ThemeFiles(), [_problem(folder, str(e))]
    templates: dict[str, str] = {}
    assets: list[tuple[str, str]] = []
    if exists:
        templates, assets, found = _theme_files(real, folder)
        problems += found
    logo_file, found = _logo(real, logo)
    return ThemeFiles(real, MappingProxyType(templates), tuple(assets), logo_file), \
        problems + found


def load_theme(root: Path | None, logo: str = "", folder: str = THEME) -> ThemeFiles:
    """`scan_theme`, raising ContentError with every problem found."""
    files, problems = scan_theme(root, logo, folder)
    if problems:
        raise ContentError(problems)
    return files
