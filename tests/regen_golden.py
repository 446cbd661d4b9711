"""Regenerate the status page golden files (and, on request, the README screenshots).

    python tests/regen_golden.py                 # tests/golden/status/ from the example,
                                                 # tests/golden/handbook/ and
                                                 # tests/golden/imported/ (real captures)
    python tests/regen_golden.py --screenshots   # also docs/screenshots/*.png (Chromium)

Only this explicit command writes them; the tests only compare. Review the diff first.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from status_support import GOLDEN, GOLDEN_FILES, example_site  # noqa: E402

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def regen_golden() -> None:
    site = example_site()
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    for rel in GOLDEN_FILES:
        dest = GOLDEN / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(site / rel, dest)
        print(dest.relative_to(GOLDEN.parent.parent.parent))


def regen_handbook_golden() -> None:
    """tests/golden/handbook/: the Markdown of a few generated handbook pages."""
    import test_handbook_golden as handbook

    pages = handbook.example_pages()
    if handbook.GOLDEN.exists():
        shutil.rmtree(handbook.GOLDEN)
    for rel in handbook.GOLDEN_PAGES:
        dest = handbook.GOLDEN / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(pages[rel], encoding="utf-8")
        print(dest.relative_to(handbook.GOLDEN.parent.parent.parent))


def regen_imported_golden() -> None:
    """tests/golden/imported/<page>/api/v2/: the built API of each imported real capture."""
    import import_golden

    for page in sorted(import_golden.PAGES):
        for path in import_golden.regen(page):
            print(path.relative_to(import_golden.GOLDEN.parent.parent.parent))


def regen_screenshots() -> None:
    from status_shots import take_screenshots

    for path in take_screenshots(example_site(), SCREENSHOTS):
        print(path.relative_to(SCREENSHOTS.parent.parent))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--screenshots", action="store_true", help="also docs/screenshots/")
    args = ap.parse_args()
    regen_golden()
    regen_handbook_golden()
    regen_imported_golden()
    if args.screenshots:
        regen_screenshots()


if __name__ == "__main__":
    main()
