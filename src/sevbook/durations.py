"""Durations moved to `sevbook.times` (the one home of time); kept so imports still work."""

from __future__ import annotations

from .times import DURATION_PATTERN as PATTERN
from .times import format_duration, human, parse_duration

__all__ = ["PATTERN", "format_duration", "human", "parse_duration"]
