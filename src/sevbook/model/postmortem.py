"""The postmortem's structure: its sections and its statuses, in one place.

`sevbook new incident` writes these sections into a new incident's body, the handbook's
templates page shows the same skeleton, and `content/process/postmortems.md` describes it.
A repository may replace the built-in sections with its own: the Markdown file
`templates/postmortem.md` (next to `mkdocs.yml`, outside the handbook's `content/`, so it
is not published as a page of its own) is then the body both of them use.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import SevbookError
from ..status.theme import MAX_FILE_BYTES, NotRegular, Refused, read_beneath
from .vocab import PostmortemStatus

TEMPLATE = "templates/postmortem.md"
"""Where a repository's own postmortem template lives, relative to its root."""


@dataclass(frozen=True)
class Section:
    """One heading of the postmortem, and the hint written under it."""

    heading: str
    hint: str = ""


SECTIONS: tuple[Section, ...] = (
    Section("Summary", "Two or three sentences anyone in the company can understand."),
    Section("Impact", "Who was affected, how, and for how long: orders, logins, support "
                      "contacts, error budget."),
    Section("Timeline", "The key moments. The full log is in `timeline` above."),
    Section("Detection", "How we found out: which alert, or which customer; how long it "
                         "took, and how it could have been sooner."),
    Section("Root cause", "The technical chain of events and the conditions that allowed it."),
    Section("Contributing factors", "What in our systems and habits made it worse or "
                                    "possible; blameless."),
    Section("What went well", "What helped: keep doing it."),
    Section("What went badly", "What slowed the response or made the impact larger."),
    Section("Where we got lucky", "Near misses; these often make the best action items."),
    Section("Lessons", "What the team now knows that it did not before."),
    Section("Action items", "A summary; the authoritative list is `action_items` above, "
                            "each with an owner team, a due date and a type."),
)
"""The built-in postmortem sections, in order."""


def status_words(sep: str = ", ") -> str:
    """Every postmortem status, in order: `none, draft, in_review, reviewed, published,
    closed`."""
    return sep.join(PostmortemStatus.words())


def builtin_body() -> str:
    """The built-in sections as Markdown: each heading, then its hint as a comment."""
    out: list[str] = []
    for s in SECTIONS:
        out += [f"## {s.heading}", ""]
        if s.hint:
            out += [f"<!-- {s.hint} -->", ""]
    return "\n".join(out)


def repository_template(root: Path) -> str | None:
    """The text of the repository's `templates/postmortem.md`, or None when there is none.
    It is read like the status page's theme files: a regular file inside the repository,
    never through a symbolic link, UTF-8, at most 10 MB. Anything else raises SevbookError
    naming the file and the fix."""
    if not (root / TEMPLATE).exists() and not (root / TEMPLATE).is_symlink():
        return None
    try:
        data = read_beneath(root, TEMPLATE, MAX_FILE_BYTES)
    except NotRegular:
        raise SevbookError(f"{TEMPLATE}: is not a regular file; make it a Markdown file "
                           "with the postmortem's headings, or remove it") from None
    except Refused as e:
        raise SevbookError(f"{TEMPLATE}: {e}; make it a regular file inside the "
                           "repository, or remove it") from None
    except OSError as e:
        raise SevbookError(f"{TEMPLATE}: cannot be read ({e.strerror}); fix its "
                           "permissions, or remove it") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SevbookError(f"{TEMPLATE}: byte {e.start} is not UTF-8; save the file as "
                           "UTF-8") from None
    if text.startswith("---"):
        raise SevbookError(f"{TEMPLATE}:1: holds the postmortem's body only (its headings); "
                           "remove the frontmatter block, sevbook writes the incident's keys")
    return text.strip("\n") + "\n"


def body(root: Path) -> str:
    """The postmortem body a new incident starts with: the repository's template, else the
    built-in sections."""
    own = repository_template(root)
    return own if own is not None else builtin_body()
