"""Issue 10, item 10: deeply nested YAML is answered fast, with a located error."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import NOW_ARG

from sevbook.cli import main
from sevbook.errors import YamlProblem
from sevbook.yamlio import MAX_NESTING, load_yaml

DEEP = (f"nesting deeper than {MAX_NESTING} levels ([ and {{ inside each other); write the "
        "structure flatter")
SIZE = 200 * 1024


@pytest.mark.parametrize(("text", "line"), [
    ("[" * SIZE, 1),
    ("title: x\nservices: " + "[" * SIZE, 2),
    ("{a: " * (SIZE // 4), 1),
    ("title: x\nroles:\n  - " + "{a: " * (SIZE // 4), 3),
    ("a:\n" + "  [\n" * (SIZE // 4), 102),
])
def test_deep_nesting_is_refused_fast_with_its_line(text: str, line: int) -> None:
    started = time.monotonic()
    with pytest.raises(YamlProblem) as e:
        load_yaml(text)
    assert time.monotonic() - started < 3
    assert (e.value.line, e.value.message) == (line, DEEP)


def test_check_reports_a_file_of_brackets_fast(example: Path) -> None:
    bad = example / "incidents" / "2026-03-01-brackets.md"
    bad.write_text("---\ntitle: x\nservices: " + "[" * SIZE + "\n---\nbody\n")
    started = time.monotonic()
    res = CliRunner().invoke(main, ["check", "--root", str(example), "--now", NOW_ARG])
    assert time.monotonic() - started < 10  # the whole example, not only this file
    assert res.exit_code == 1
    errors = [ln for ln in res.output.splitlines() if ": error: " in ln]
    assert errors == [f"incidents/2026-03-01-brackets.md:3: error: [yaml] {DEEP}"]


@pytest.mark.parametrize("text", [
    "a: " + "[" * MAX_NESTING + "]" * MAX_NESTING + "\n",
    "a: |\n" + "  [[[[[[[[[[\n" * 20 + "b: 1\n",
    "- >\n" + " {{{{{{{{{{\n" * 20,
    "# " + "[" * 500 + "\na: 1\n",
    "a: x " + "[" * 500 + "\n",
    "a: '" + "[" * 500 + "'\n",
    'a: ["' + "{" * 500 + '", x]\n',
    "a: [b#, " + "[], " * 500 + "]\n",
])
def test_brackets_that_are_text_are_not_nesting(text: str) -> None:
    load_yaml(text)  # no YamlProblem
