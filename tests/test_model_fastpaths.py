"""The validators' shortcuts give what the long way gives: vocabulary lookups from a map
made once, and the time range check that skips the UTC conversion for ordinary years."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from sevbook.model import common, vocab


def _vocabularies() -> list[type[vocab.Word]]:
    found, todo = [], [vocab.Word]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if cls is not vocab.Word:
            found.append(cls)
    return found


def test_every_vocabulary_is_found():
    names = {c.__name__ for c in _vocabularies()}
    assert {"IncidentStatus", "MaintenanceStatus", "ComponentStatus", "Impact"} <= names


@pytest.mark.parametrize("cls", _vocabularies(), ids=lambda c: c.__name__)
def test_words_and_of_are_the_enums_own_answers(cls):
    assert cls.words() == tuple(m.value for m in cls)
    for word in cls.words():
        assert cls.of(word) is cls(word)
        assert cls.of(str(word)) is cls(word)
    for other in ("", "nope", cls.words()[0].upper() + "x", 1, None, [], True):
        assert cls.of(other) is None


def _slow_in_range(t: datetime) -> bool:
    try:
        day = t.astimezone(UTC).date()
    except OverflowError:
        return False
    return common.EARLIEST <= day <= common.LATEST


_OFFSETS = [timezone(timedelta(hours=h, minutes=m)) for h, m in
            ((-23, -59), (-12, 0), (0, 0), (5, 30), (23, 59))]
_TIMES = [datetime(y, mo, d, hh, 30, tzinfo=tz)
          for y in (1, 1969, 1970, 1971, 2026, 2998, 2999, 3000, 9999)
          for mo, d in ((1, 1), (12, 31)) for hh in (0, 23) for tz in _OFFSETS]


@pytest.mark.parametrize("t", _TIMES, ids=lambda t: t.isoformat())
def test_time_in_range_is_the_utc_days_check(t):
    if _slow_in_range(t):
        assert common._time_in_range(t) is t
    else:
        with pytest.raises(ValueError) as e:
            common._time_in_range(t)
        assert str(e.value) == f"{t.isoformat()} is out of range; write a time between 1970 and 2999"
