"""Every exception sevbook raises on purpose, in one place.

Library code raises these; only `cli.py` turns them into messages and exit codes
(`SevbookError` and `ContentError`: exit 1; `BadInput`: a usage error, exit 2). Anything
else reaching the CLI is a bug and is reported as one.
"""

from __future__ import annotations

from .diagnostics import Diagnostic, summary


class SevbookError(Exception):
    """A problem that stops a command (not a content problem: those are diagnostics)."""


class ContentError(SevbookError):
    """The handbook (or its mkdocs.yml) has errors; carries every diagnostic, and how many
    files were read, so every command can print them all and the same summary line."""

    def __init__(self, diagnostics: list[Diagnostic], files: int | None = None):
        self.diagnostics = diagnostics
        self.files = len({d.file for d in diagnostics}) if files is None else files
        super().__init__(self.report())

    def report(self) -> str:
        """Every diagnostic, one per line, then the summary line `check` prints."""
        lines = [d.text() for d in self.diagnostics]
        return "\n".join(lines + [summary(self.diagnostics, self.files)])


class EditFailed(SevbookError):
    """The file's frontmatter cannot be edited safely (unparseable or of an odd shape)."""


class EditRefused(SevbookError):
    """The incident's state does not allow the edit (already resolved...)."""


class YamlProblem(Exception):
    """Unparseable YAML; `line` is 1-based within the text given to the parser. Turned into
    a diagnostic by the loader; never reaches the CLI."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


class BadInput(SevbookError):
    """An argument or option value is wrong (unknown id, bad status...): a usage error.

    `param` names the option or argument ("--status", "ID") for the message."""

    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param = param
        self.message = message


class DeliveryFailed(SevbookError):
    """A notification could not be delivered (`sevbook notify`); `retry` says whether a
    later attempt may succeed (a 5xx, a timeout, a lost connection), `retry_after` how
    many seconds the receiver asked to wait (HTTP 429 Retry-After)."""

    def __init__(self, message: str, retry: bool = False, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.retry = retry
        self.retry_after = retry_after
