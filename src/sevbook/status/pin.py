"""`python -m sevbook.status.pin [ROOT]`: the `public_id:` line that keeps each public
incident's published id, for pinning before an id key is added (docs/status-page.md).

Kept apart from `ids.py` because it loads and checks the whole handbook, which `ids.py`
(read by the rules) must not.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..build import load_valid
from ..times import current
from .ids import PublicIds


def pins(root: Path) -> list[str]:
    """`<file>: public_id: <id>` for every public incident without a `public_id:`."""
    hb = load_valid(root, current())
    ids = PublicIds.of(hb.root)
    return [f"{inc.path}: public_id: {ids.incident(inc.id)}"
            for inc in hb.incidents.values() if inc.public and not inc.public_id]


if __name__ == "__main__":
    for line in pins(Path(sys.argv[1] if len(sys.argv) > 1 else ".")):
        print(line)
