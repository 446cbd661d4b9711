"""`check(..., errors_only=True)` (what `build --no-handbook` and `diff` run) skips the
rules that cannot give an error, and gives exactly the errors of a full check."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests import rule_corpora
from tests.conftest import NOW

from sevbook.load import load
from sevbook.rules import RULES, Finding, Rule, check, rules_for


@pytest.mark.parametrize("name", rule_corpora.NAMES)
def test_errors_only_gives_the_errors_of_a_full_check(name, tmp_path: Path):
    result = load(rule_corpora.make(name, tmp_path))
    full = check(result, NOW)
    assert check(result, NOW, errors_only=True) == [d for d in full if d.severity == "error"]


def test_a_corpus_with_errors_keeps_every_error(tmp_path: Path):
    result = load(rule_corpora.make("all-bad", tmp_path))
    errors = check(result, NOW, errors_only=True)
    assert len(errors) > 20
    assert {d.severity for d in errors} == {"error"}


def test_errors_only_runs_no_warning_rule():
    assert {r.severity for r in rules_for(True)} == {"error"}
    assert [r for r in RULES if r.severity == "error"] == rules_for(True)
    assert rules_for(False) == RULES


def _never(ctx, doc) -> list[Finding]:
    return []


def test_every_rule_runs_when_an_after_rule_gives_errors():
    """Such a rule reads what the warnings found too (`RuleContext.fired`)."""
    warning = Rule("w", "warning", ("incident",), "a warning", _never)
    reader = Rule("e", "error", ("incident",), "reads the warnings", _never, after=True)
    assert rules_for(True, [warning, reader]) == [warning, reader]
    assert rules_for(True, [warning, Rule("e", "error", ("incident",), "", _never)]) \
        == [Rule("e", "error", ("incident",), "", _never)]
