"""Problems found in a handbook: one `Diagnostic` per problem, with file, line and fix.

Library code collects diagnostics instead of raising, so that one run reports every
problem. Only `cli.py` decides how they are printed and which exit code they give. The
exceptions that carry them are in `errors.py`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem: where it is (file, line, field), how bad, what and how to fix it."""

    file: str
    line: int
    field: str
    severity: Level
    code: str
    message: str

    def text(self) -> str:
        file = printable(self.file)
        where = f"{file}:{self.line}" if self.line else file
        field = f" {self.field}:" if self.field else ""
        return f"{where}: {self.severity}: [{self.code}]{field} {self.message}"

    def github(self) -> str:
        level = "error" if self.severity == "error" else "warning"
        msg = _gh_escape(f"[{self.code}] {self.field + ': ' if self.field else ''}{self.message}")
        props = f"file={_gh_prop(self.file)}"
        if self.line:
            props += f",line={self.line}"
        props += f",title={_gh_prop('sevbook ' + self.code)}"
        return f"::{level} {props}::{msg}"


_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


def printable(s: str) -> str:
    """`s` with control characters written as escapes, so a file name with a line break
    cannot start a line of its own (GitHub runs `::command` lines in a job's output)."""
    if not _CONTROLS.search(s):
        return s  # the common case, found by one regex instead of a loop over characters
    return "".join(c if 32 <= ord(c) < 127 or ord(c) >= 160 else repr(c)[1:-1] for c in s)


def _gh_escape(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_escape(s).replace(":", "%3A").replace(",", "%2C")


def sort_key(d: Diagnostic) -> tuple:
    return (d.file, d.line, d.field, d.code, d.message)


def summary(diagnostics: Iterable[Diagnostic], files: int) -> str:
    diags = list(diagnostics)
    e = sum(1 for d in diags if d.severity == "error")
    w = len(diags) - e
    return f"{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''} in {files} files"


def promote_warnings(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """`--strict`: every warning becomes an error (same code, message and place)."""
    return [Diagnostic(d.file, d.line, d.field, "error", d.code, d.message)
            if d.severity == "warning" else d for d in diagnostics]


def to_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([asdict(d) for d in diagnostics], indent=2, ensure_ascii=False)

