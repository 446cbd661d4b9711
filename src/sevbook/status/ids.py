"""Opaque public ids: what the status page calls incidents, updates, groups and the page.

A file id often names the cause ("2026-03-02-db-pool-exhaustion"), so nothing public
carries it. An incident's public id is, in this order:

* its `public_id:` key when set (kept as is: pinned ids, ids imported from Statuspage);
* keyed: 12 lowercase base32 characters of HMAC-SHA256(id key, "incident:" + file id), the
  id key being the secret in `<root>/.sevbook/id-key` (`sevbook init` writes one). Without
  the key nobody can compute, guess or confirm a file name from the id;
* legacy (no key file): `opaque_id("incident", file id)`, an unsalted SHA-256 as before, so
  existing sites keep their links; a word list can reverse these, which is why `sevbook
  check` warns `reversible-ids` (see docs/status-page.md for the migration).

An update's id is keyed from its incident's public id and its position in the file
(HMAC of "update:<public id>:<index>"), or, in legacy mode, the old hash of file id, time and
status. All ids are stable across builds and machines. `python -m sevbook.status.pin
[ROOT]` prints the `public_id:` line that pins each public incident's current id.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic
from ..errors import ContentError

KEY_FILE = ".sevbook/id-key"
"""Where the id key lives, relative to the repository root (next to mkdocs.yml)."""
MIN_KEY_CHARS = 32
MAX_KEY_BYTES = 4096


_PAIRS = tuple(a + b for a in "abcdefghijklmnopqrstuvwxyz234567"
               for b in "abcdefghijklmnopqrstuvwxyz234567")
"""Two lowercase base32 characters for each 10-bit value."""


def _b32(digest: bytes) -> str:
    """The first 12 characters of the lowercase base32 of `digest` (its first 60 bits),
    what `base64.b32encode(digest)[:12].lower()` gives, without base64's pure-Python
    block loop (one call per incident and update of every page)."""
    n = int.from_bytes(digest[:8], "big") >> 4
    return (_PAIRS[n >> 50] + _PAIRS[(n >> 40) & 1023] + _PAIRS[(n >> 30) & 1023]
            + _PAIRS[(n >> 20) & 1023] + _PAIRS[(n >> 10) & 1023] + _PAIRS[n & 1023])


def opaque_id(kind: str, key: str) -> str:
    """A stable public id of public data (the page, a group) and the legacy incident and
    update ids: 12 lowercase base32 chars of sha256("sevbook-<kind>:<key>")."""
    return _b32(hashlib.sha256(f"sevbook-{kind}:{key}".encode()).digest())


def new_key() -> str:
    """A fresh id key, as `sevbook init` writes it (64 hex digits and a newline)."""
    return secrets.token_hex(32) + "\n"


@dataclass(frozen=True)
class PublicIds:
    """The id scheme of one repository: keyed (`key` set) or legacy (`key` None)."""

    key: bytes | None = field(default=None, repr=False)
    page: str = ""
    """The page these ids are for: '' for the default status page (the ids it always had),
    else a further page's id (or 'internal'), which gives every incident and update other
    ids there, so nobody can match one page's incidents with another's."""

    @property
    def keyed(self) -> bool:
        return self.key is not None

    def for_page(self, page: str) -> PublicIds:
        """The ids of page `page` (see `page`)."""
        return PublicIds(self.key, page)

    def _scoped(self, text: str) -> str:
        return f"page:{self.page}:{text}" if self.page else text

    def _mac(self, text: str) -> str:
        assert self.key is not None
        return _b32(hmac.digest(self.key, text.encode(), "sha256"))

    def incident(self, file_id: str, public_id: str | None = None) -> str:
        """The public id of the incident in file `file_id` (its `public_id:` if given; on
        a further page, a hash of it)."""
        if public_id and not self.page:
            return public_id
        if public_id:
            return opaque_id("incident", self._scoped(f"pinned:{public_id}"))
        if self.key is None:
            return opaque_id("incident", self._scoped(file_id))
        return self._mac(self._scoped(f"incident:{file_id}"))

    def update(self, incident_id: str, index: int, legacy: str) -> str:
        """The id of update number `index` (0-based, in file order) of the incident whose
        public id is `incident_id`; `legacy` is the old key (file id, time and status)
        used while there is no id key."""
        if self.key is None:
            return opaque_id("update", self._scoped(legacy))
        return self._mac(self._scoped(f"update:{incident_id}:{index}"))

    def auto_update(self, incident_id: str, status: str, legacy: str) -> str:
        """The id of the update sevbook adds when a maintenance window starts or ends
        (`status` is in_progress or completed; at most one of each per maintenance)."""
        if self.key is None:
            return opaque_id("update", self._scoped(legacy))
        return self._mac(self._scoped(f"update:{incident_id}:auto:{status}"))

    @classmethod
    def of(cls, root: Path | None) -> PublicIds:
        """The scheme of the repository at `root`; raises ContentError if its key file
        is there but unusable."""
        key, problems = read_key(root)
        if problems:
            raise ContentError(problems)
        return cls(key)


LEGACY = PublicIds()
"""The scheme of a repository without an id key."""


def _bad_key(why: str) -> list[Diagnostic]:
    return [Diagnostic(KEY_FILE, 0, "", "error", "bad-id-key",
                       f"{why}; it must be a regular file holding one line of at least "
                       f"{MIN_KEY_CHARS} random characters. Create it with: python -c "
                       "\"import secrets; print(secrets.token_hex(32))\" > .sevbook/id-key")]


def read_key(root: Path | None) -> tuple[bytes | None, list[Diagnostic]]:
    """The id key of the repository at `root` (None when there is no key file), and what
    is wrong with the key file. The file is never read through a symlink."""
    if root is None:
        return None, []
    path = Path(root) / KEY_FILE
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None, []
    except OSError as e:
        if path.is_symlink():
            return None, _bad_key("is a symbolic link")
        return None, _bad_key(f"cannot be read ({e.strerror})")
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None, _bad_key("is not a regular file")
        data = os.read(fd, MAX_KEY_BYTES + 1)
    finally:
        os.close(fd)
    text = data.decode("ascii", "replace").strip()
    if len(data) > MAX_KEY_BYTES or len(text) < MIN_KEY_CHARS or \
            not all(33 <= ord(c) < 127 for c in text):
        return None, _bad_key("does not hold a usable key")
    return text.encode("ascii"), []


def duplicate_ids(ids: Iterable[tuple[str, str]],
                  line: Callable[[str], int] = lambda file: 0,
                  what: str = "incident", key: str = "public_id") -> list[Diagnostic]:
    """An error for each (public id, file) whose public id an earlier one has: both would
    be published at the same address. `what` names the things compared (incidents or
    components), `key` the field that sets the id and `line` a file's line of it."""
    first: dict[str, str] = {}
    out = []
    for pid, file in ids:
        other = first.setdefault(pid, file)
        if other != file:
            out.append(Diagnostic(file, line(file), key, "error", "duplicate-public-id",
                                  f"the public id {pid!r} is also the id of {other}; give "
                                  f"each {what} a {key} of its own"))
    return out


def duplicate_component_ids(services: Iterable[tuple[str, str]],
                            line: Callable[[str], int] = lambda file: 0) -> list[Diagnostic]:
    """`duplicate_ids` for public components: (component id, service file) pairs."""
    return duplicate_ids(services, line, "component", "status_page.public_id")
