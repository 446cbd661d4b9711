"""The benchmark corpora are what they claim: `bench/generate.py` valid and silent,
`bench/messy.py` exactly three warnings on every incident and none elsewhere."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from conftest import NOW, REPO
from sevbook.load import load
from sevbook.model.vocab import Kind
from sevbook.rules import check

sys.path.insert(0, str(REPO / "bench"))
from generate import generate  # noqa: E402
from messy import WARNINGS, generate_messy  # noqa: E402


def test_clean_corpus_is_valid_and_silent(tmp_path: Path) -> None:
    root = generate(tmp_path / "clean", incidents=40, runbooks=20, services=12,
                    public_services=5)
    result = load(root)
    assert check(result, NOW) == []
    assert (len(result.handbook.incidents), len(result.handbook.runbooks),
            len(result.handbook.services)) == (40, 20, 12)


def test_messy_corpus_warns_three_times_on_every_incident(tmp_path: Path) -> None:
    root = generate_messy(tmp_path / "messy", incidents=300, runbooks=30, services=20)
    result = load(root)
    diags = check(result, NOW)
    hb = result.handbook
    incidents = [i for i in hb.incidents.values() if i.kind == Kind.INCIDENT]
    maintenance = [i for i in hb.incidents.values() if i.kind == Kind.MAINTENANCE]
    assert (len(incidents), len(maintenance), len(hb.runbooks), len(hb.services)) == (
        300, 3, 30, 20)
    assert {d.severity for d in diags} == {"warning"}
    by_file: dict[str, list[str]] = {}
    for d in diags:
        by_file.setdefault(d.file, []).append(d.code)
    assert sorted(by_file) == sorted(i.path for i in incidents)
    assert {tuple(sorted(codes)) for codes in by_file.values()} == {WARNINGS}


def test_messy_corpus_has_every_kind_of_record(tmp_path: Path) -> None:
    root = generate_messy(tmp_path / "messy", incidents=200, runbooks=20, services=20)
    hb = load(root).handbook
    incidents = [i for i in hb.incidents.values() if i.kind == Kind.INCIDENT]
    assert Counter(i.severity for i in incidents).keys() == {"SEV0", "SEV1", "SEV2", "SEV3"}
    assert Counter(i.public for i in incidents) == {True: 100, False: 100}
    assert all(i.updates and i.timeline and i.postmortem for i in incidents)
    assert (hb.severity, hb.oncall) != (None, None) and len(hb.roles) == 8
    # The example's ids: its services and runbooks, and generated ones named after them.
    assert {"checkout-api", "search"} <= hb.services.keys()
    assert all(re.fullmatch(r"[a-z-]+(-\d{4})?", s) for s in hb.services)
