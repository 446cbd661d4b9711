"""sevbook: an incident handbook and a public status page from one git repository."""

from __future__ import annotations

__version__ = "0.1.0"
