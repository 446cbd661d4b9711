"""Types shared by every frontmatter kind: strict base model, ids, durations, times."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    StrictBool,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
)

from ..times import DURATION_PATTERN, format_duration, parse_duration

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
SLUG_RE = re.compile(SLUG_PATTERN)

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
LANGUAGE_PATTERN = r"^[a-z]{2,3}(_[A-Z][a-z]{3})?(_[A-Z]{2}|_[0-9]{3})?$"
"""A Babel locale identifier: `de`, `pt_BR`, `zh_Hant_TW` (a status page language and the
folder name of its catalogue)."""
LanguageCode = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)]
"""A lowercase id: letters, digits and dashes, starting with a letter or digit."""

def slugify(text: str, fallback: str) -> str:
    """A lowercase ASCII id for `text`, of at most ~50 characters, cut at a dash."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    if len(slug) > 50:
        slug = slug[:51].rsplit("-", 1)[0] if "-" in slug[:51] else slug[:50]
    return slug or fallback


def unique_slug(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`, ... : the first not in `taken` (which it joins)."""
    n, cand = 1, base
    while cand in taken:
        n += 1
        cand = f"{base}-{n}"
    taken.add(cand)
    return cand


LevelId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]
"""A severity level id; upper case allowed (SEV1, P2)."""

PUBLIC_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{5,79}$"
_PUBLIC_ID_RE = re.compile(PUBLIC_ID_PATTERN)


def _public_id(value: str) -> str:
    if not _PUBLIC_ID_RE.match(value):
        raise ValueError(f"{value!r} is not a public id; use 6 to 80 lowercase letters, "
                         "digits and dashes, like p31zjtct2jer")
    return value


PublicId = Annotated[str, AfterValidator(_public_id),
                     WithJsonSchema({"type": "string", "pattern": PUBLIC_ID_PATTERN})]
"""A status page id: 6 to 80 lowercase letters, digits and dashes (cState ids are slugs)."""


Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN,
                    "examples": ["15m", "1h30m", "2d", "1w"]}),
]
"""A duration written `15m`, `1h30m`, `4h`, `2d`, `1w`."""

OptionalDuration = Annotated[
    timedelta | None,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN,
                    "examples": ["15m", "1h30m", "2d", "1w"]}),
]
"""A duration key that may be left out (None then), but when written is a duration: `~`
is refused like any other non-duration, so the schema stays a plain string pattern."""

def _no_bool_or_text(value: Any) -> Any:
    if isinstance(value, bool | str):
        raise ValueError(f"expected a number, got {value!r}")
    return value


Flag = StrictBool
"""`true` or `false` only: `yes`, `1` or `"true"` are errors, not silently True."""
Whole = StrictInt
"""A whole number only: `true` is not 1, `"3"` is not 3."""
Number = Annotated[float, BeforeValidator(_no_bool_or_text)]
"""A number (whole or decimal); `true` or `"99.9"` are errors."""

EARLIEST, LATEST = date(1970, 1, 1), date(2999, 12, 31)
"""Times and dates outside these years are typos (`0001-01-01`), and arithmetic on them
(to UTC, plus a day) overflows."""


def _time_in_range(t: datetime) -> datetime:
    if EARLIEST.year < t.year < LATEST.year:
        return t  # no offset moves it out of range (nor overflows): the common case
    try:
        day = t.astimezone(UTC).date()
    except OverflowError:
        day = None
    if day is None or not EARLIEST <= day <= LATEST:
        raise ValueError(f"{t.isoformat()} is out of range; write a time between "
                         f"{EARLIEST.year} and {LATEST.year}")
    return t


def _day_in_range(d: date) -> date:
    if not EARLIEST <= d <= LATEST:
        raise ValueError(f"{d.isoformat()} is out of range; write a date between "
                         f"{EARLIEST.year} and {LATEST.year}")
    return d


Timestamp = Annotated[AwareDatetime, AfterValidator(_time_in_range)]
"""An ISO 8601 time with an offset; a naive time is refused."""

Day = Annotated[date, AfterValidator(_day_in_range)]

class Strict(BaseModel):
    """Base of every frontmatter model: unknown keys are errors, no coercion surprises."""

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=False)


class Document(Strict):
    """A model read from one file: carries its id, path (relative to the root) and body.

    These live in slots, not Pydantic private attributes: private attributes are set up
    for every instance at a measurable cost (10,000 incidents), and they are not data
    from the frontmatter anyway. The loader always calls bind().
    """

    __slots__ = ("sb_id", "sb_path", "sb_body")
    if TYPE_CHECKING:
        sb_id: str
        sb_path: str
        sb_body: str

    @property
    def id(self) -> str:
        return self.sb_id

    @property
    def path(self) -> str:
        return self.sb_path

    @property
    def body(self) -> str:
        return self.sb_body

    def bind(self, id: str, path: str, body: str) -> Any:
        object.__setattr__(self, "sb_id", id)
        object.__setattr__(self, "sb_path", path)
        object.__setattr__(self, "sb_body", body)
        return self
