"""Let the cyclic garbage collector rest while a pass makes many short-lived objects.

The loaded handbook is hundreds of thousands of long-lived objects; every cyclic GC pass
would walk all of them again (half a second per pass at 10,000 incidents). Building the
status page's view and rendering it, `diff`'s comparison and writing the findings memo
make almost no reference cycles, so the collector can rest meanwhile; reference counting
still frees everything else.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic GC inside the block; restore it afterwards if it was on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
