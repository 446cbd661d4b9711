"""`python -m sevbook` is the `sevbook` command."""

from .cli import main

main(prog_name="sevbook")
