"""The rules' shortcuts give what the rules give without them: the update cadence skips
the public silence of incidents that owe no public update and the timeline gaps shorter
than every cadence any level promises (`obligations._shortest_cadence`)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from tests import rule_corpora
from tests.conftest import NOW

from sevbook.load import load
from sevbook.model.vocab import Audience
from sevbook.rules import obligations
from sevbook.rules.context import RuleContext

CORPORA = ["example", "v2", "messy", "base", "bad/warnings", "all-bad"]


def _cadence_findings(root: Path) -> list:
    result = load(root)
    ctx = RuleContext(result.handbook, result.diagnostics, NOW)
    return [f for inc in result.handbook.incidents.values() if not inc.is_maintenance
            for f in obligations.update_cadence(ctx, inc)]


@pytest.mark.parametrize("name", CORPORA)
def test_cadence_shortcut_finds_what_checking_every_gap_finds(name, tmp_path, monkeypatch):
    root = rule_corpora.make(name, tmp_path)
    fast = _cadence_findings(root)
    none_skipped = {a: timedelta(0) for a in Audience}
    monkeypatch.setattr(obligations, "_shortest_cadence", lambda ctx: none_skipped)
    assert _cadence_findings(root) == fast
    if name == "v2":
        assert fast, "the corpus has silent incidents, so the comparison means something"


@pytest.mark.parametrize("name", CORPORA)
def test_incidents_owing_no_public_update_have_no_public_silence(name, tmp_path):
    result = load(rule_corpora.make(name, tmp_path))
    ctx = RuleContext(result.handbook, result.diagnostics, NOW)
    for inc in result.handbook.incidents.values():
        level = ctx.level(inc.severity)
        if level is not None and level.update_every is not None \
                and not (inc.public and inc.updates):
            assert list(obligations._public_silence(ctx, inc, level)) == []


def test_shortest_cadence_is_the_least_any_level_promises(tmp_path):
    result = load(rule_corpora.make("v2", tmp_path))
    ctx = RuleContext(result.handbook, result.diagnostics, NOW)
    levels = result.handbook.severity.levels
    for audience, floor in obligations._shortest_cadence(ctx).items():
        promised = [lv.cadence(audience, stage) for lv in levels
                    for stage in obligations.IncidentStatus]
        assert floor == min(p for p in promised if p)
