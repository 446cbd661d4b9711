"""`python -m sevbook.rules --markdown`: the table of rule codes that the README carries;
`--readme PATH` rewrites that table in place (between its marker comments)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import RULES
from .registry import markdown_table

BEGIN = "<!-- rule codes: begin (python -m sevbook.rules --readme README.md) -->"
END = "<!-- rule codes: end -->"


def readme_table(text: str) -> str:
    """The table between the README's markers (ValueError when they are missing)."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[start:end].strip("\n") + "\n"


def with_table(text: str, table: str) -> str:
    """`text` with the table between the markers replaced by `table`."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:start] + "\n" + table + text[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sevbook.rules", description=__doc__)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--markdown", action="store_true", help="print the table")
    group.add_argument("--readme", type=Path, help="rewrite the table in this README")
    args = parser.parse_args(argv)
    table = markdown_table(RULES)
    if args.markdown:
        sys.stdout.write(table)
        return 0
    text = args.readme.read_text(encoding="utf-8")
    args.readme.write_text(with_table(text, table), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
