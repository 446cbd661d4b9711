"""Each new rule of content model v2, with its exact message: one small incident added to
a copy of `tests/data/v2/` (whose own warnings are left out of the comparison)."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from sevbook.build import load_valid
from sevbook.cli import main
from sevbook.metrics.budget import compute_budget
from sevbook.status.public import public_view

DATA = Path(__file__).parent / "data" / "v2"
NOW_ARG = "2019-07-10T00:00:00Z"
NOW = datetime(2019, 7, 10, tzinfo=UTC)
FILE = "incidents/2019-07-05-probe.md"

HEAD = """---
title: Probe
services: [cdn]
started_at: 2019-07-05T10:00:00Z
resolved_at: 2019-07-05T11:00:00Z
"""


def run_check(tmp_path: Path, body: str, mkdocs: str | None = None) -> list[str]:
    root = tmp_path / "v2"
    shutil.copytree(DATA, root)
    (root / FILE).write_text(HEAD + body + "---\n", encoding="utf-8")
    if mkdocs is not None:
        (root / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    res = CliRunner().invoke(main, ["check", "--now", NOW_ARG, "--root", str(root)])
    assert "Traceback" not in res.output
    return [line for line in res.output.splitlines() if line.startswith(FILE)
            or line.startswith("mkdocs.yml")]


CASES = {
    "related-missing": (
        "severity: SEV3\nrelated:\n  - {incident: 2019-01-01-nothing, relation: duplicate_of}\n",
        [f"{FILE}:8: error: [unknown-incident] related[0].incident: incident "
         "'2019-01-01-nothing' does not exist; use the id of a file in incidents/ (its name "
         "without .md)"]),
    "related-self": (
        "severity: SEV3\nrelated:\n  - {incident: 2019-07-05-probe, relation: merged_into}\n",
        [f"{FILE}:8: error: [unknown-incident] related[0].incident: an incident cannot be "
         "merged into itself; name another incident's id"]),
    "field-undeclared": (
        "severity: SEV3\nfields: {detection: monitoring, root-cause: dns}\n",
        [f"{FILE}:7: error: [unknown-field] fields.root-cause: custom field 'root-cause' is "
         "not declared; declare it under incident_fields: in mkdocs.yml or use one of: "
         "detection, customers-affected, regions"]),
    "field-bad-choice": (
        "severity: SEV3\nfields: {detection: pager}\n",
        [f"{FILE}:7: error: [bad-field-value] fields.detection: custom field 'detection' "
         "(choice): 'pager' is not allowed; use one of: monitoring, customer-report, "
         "employee"]),
    "field-not-a-number": (
        "severity: SEV3\nfields: {customers-affected: many}\n",
        [f"{FILE}:7: error: [bad-field-value] fields.customers-affected: custom field "
         "'customers-affected' (number): expected a number, got 'many'"]),
    "field-not-a-list": (
        "severity: SEV3\nfields: {regions: eu}\n",
        [f"{FILE}:7: error: [bad-field-value] fields.regions: custom field 'regions' (list): "
         "expected a list, got 'eu'"]),
    "field-required": (
        "severity: SEV2\nroles: {incident-commander: A}\npostmortem: {status: reviewed}\n",
        [f"{FILE}:1: warning: [missing-field] fields: custom field 'detection' is required "
         "from SEV2 and this incident is SEV2; add it under fields:, e.g. detection: "
         "monitoring"]),
    "history-unknown-level": (
        "severity_history:\n  - {at: 2019-07-05T10:00:00Z, severity: SEV3}\n"
        "  - {at: 2019-07-05T10:10:00Z, severity: SEV9}\n",
        [f"{FILE}:8: error: [unknown-severity] severity_history[1].severity: severity 'SEV9' "
         "does not exist; use one of: SEV1, SEV2, SEV3, SEV4, SEV5"]),
    "history-out-of-order": (
        "severity_history:\n  - {at: 2019-07-05T10:30:00Z, severity: SEV4}\n"
        "  - {at: 2019-07-05T10:10:00Z, severity: SEV3}\n",
        [f"{FILE}:8: error: [out-of-order] severity_history[1].at: severity_history[1] at "
         "2019-07-05T10:10:00Z is earlier than the change before it (2019-07-05T10:30:00Z); "
         "keep the changes in the order they were made"]),
    "history-disagrees": (
        "severity: SEV2\nseverity_history:\n  - {at: 2019-07-05T10:00:00Z, severity: SEV3}\n",
        [f"{FILE}:1: error: [bad-value] severity 'SEV2' is not the last entry of "
         "severity_history ('SEV3'); the current severity is the last change: remove "
         "severity: or make them agree"]),
    "impact-unknown-service": (
        "severity: SEV3\nimpact:\n  - {component: dns, from: 2019-07-05T10:00:00Z, "
        "status: partial_outage}\n",
        [f"{FILE}:8: error: [unknown-service] impact[0].component: service 'dns' does not "
         "exist; use one of: cdn, gitlab-com, s3"]),
    "shift-backwards": (
        "severity: SEV3\nroles:\n  incident-commander:\n    - {name: A, from: "
        "2019-07-05T10:30:00Z, until: 2019-07-05T10:00:00Z}\n",
        [f"{FILE}:9: error: [bad-value] roles.incident-commander[0]: until must be after "
         "from; a shift ends after it starts"]),
    "call-not-a-url": (
        "severity: SEV3\nlinks: {call: zoom}\n",
        [f"{FILE}:7: error: [bad-value] links.call: 'zoom' is not an absolute http(s) URL; "
         "write it like https://example.com/path"]),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_new_rule_message(tmp_path, case):
    body, expected = CASES[case]
    assert run_check(tmp_path, body) == expected


def test_custom_field_declaration_errors_have_their_line(tmp_path):
    mk = (DATA / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "{name: regions, type: list, description: Regions}",
        "{name: regions, type: choice, description: Regions}")
    lines = run_check(tmp_path, "severity: SEV3\n", mk)
    assert lines == ["mkdocs.yml:17: error: [bad-value] incident_fields[2]: "
                     "field 'regions' is a choice without choices; list them under choices:"]


def test_unknown_incident_keys_stay_errors(tmp_path):
    assert run_check(tmp_path, "severity: SEV3\nlabls: [x]\n") == [
        f"{FILE}:7: error: [unknown-key] labls: unknown key 'labls'; did you mean 'labels'?"]


def test_a_private_incident_counts_in_public_uptime_when_told(tmp_path):
    """A private SEV1 (component_status major_outage) on cdn, 10:00-11:00 on 5 July: with
    count_in_uptime the public bar of that day shows 60 min of major outage; without, none."""
    root = tmp_path / "v2"
    shutil.copytree(DATA, root)
    day = date(2019, 7, 5)
    for counted, expected in ((False, {}), (True, {"major_outage": 60.0})):
        (root / FILE).write_text(HEAD + "severity: SEV1\nroles: {incident-commander: A, "
                                 f"scribe: B}}\ncount_in_uptime: {str(counted).lower()}\n---\n",
                                 encoding="utf-8")
        hb = load_valid(root, NOW)
        cdn = next(c for c in public_view(hb, NOW).components if c.id == "cdn")
        assert dict(next(d for d in cdn.uptime.days if d.day == day).minutes) == expected
    assert compute_budget(hb, "cdn", NOW).consumed == 27.0 + 60.0
