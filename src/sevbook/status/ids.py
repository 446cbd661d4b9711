"""Opaque public ids: what the status page calls incidents, updates, groups and the page.

A file id often names the cause ("2026-03-02-db-pool-exhaustion"), so nothing public
carries it: every public id is `opaque_id(kind, key)`, 12 lowercase base32 characters of
a SHA-256, stable across builds and machines.
"""

from __future__ import annotations

import base64
import hashlib


def opaque_id(kind: str, key: str) -> str:
    """A stable public id that reveals nothing: 12 lowercase base32 chars of
    sha256("sevbook-<kind>:<key>")."""
    digest = hashlib.sha256(f"sevbook-{kind}:{key}".encode()).digest()
    # base32 works in 5-byte blocks: 10 bytes give the same first 12 characters, cheaper.
    return base64.b32encode(digest[:10]).decode("ascii")[:12].lower()
