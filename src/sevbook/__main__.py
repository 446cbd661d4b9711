"""`python -m sevbook` is the `sevbook` command."""

from .cli import run

run()
