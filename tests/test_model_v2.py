"""Content model v2 (issue 11) on `tests/data/v2/`: a handbook in the shape of PagerDuty's
published process (no response times, major levels, cadence per audience, several
postmortem deadlines) and three incidents after public postmortems (GitLab 2017, AWS S3
2017, Cloudflare 2019) plus a drill. Every number below is computed by hand in the
comments of the incident files."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from sevbook.build import load_valid
from sevbook.cli import main
from sevbook.handbook.generate import generate, structured_prose
from sevbook.load import load
from sevbook.metrics.budget import compute_budget
from sevbook.metrics.compute import compute
from sevbook.metrics.report import minutes, to_table
from sevbook.rules import check
from sevbook.status.public import public_view
from sevbook.times import add_business, human

DATA = Path(__file__).parent / "data" / "v2"
NOW = datetime(2019, 7, 10, tzinfo=UTC)
NOW_ARG = "2019-07-10T00:00:00Z"


@pytest.fixture(scope="module")
def hb():
    return load_valid(DATA, NOW)


@pytest.fixture(scope="module")
def pages():
    result = load(DATA)
    return generate(result.handbook, NOW, check(result, NOW), structured_prose(result.handbook))


# ------------------------------------------------------------------ check


def test_check_reports_exactly_the_promises_missed():
    res = CliRunner().invoke(main, ["check", "--now", NOW_ARG, "--root", str(DATA)])
    assert res.output == (DATA / "expected-check.txt").read_text(encoding="utf-8")
    assert res.exit_code == 0


# ------------------------------------------------------------------ the model
def test_severity_history_sets_the_current_severity(hb):
    gitlab = hb.incidents["2017-01-31-database-deleted"]
    assert gitlab.severity == "SEV1"
    assert gitlab.severity_at(datetime(2017, 1, 31, 22, 30, tzinfo=UTC)) == "SEV3"
    assert gitlab.severity_at(datetime(2017, 1, 31, 23, 30, tzinfo=UTC)) == "SEV1"
    assert gitlab.severity_at(datetime(2017, 1, 31, 21, 0, tzinfo=UTC)) == "SEV3"


def test_role_handoff_and_plain_names(hb):
    gitlab = hb.incidents["2017-01-31-database-deleted"]
    ic = gitlab.role_holders("incident-commander")
    assert [s.name for s in ic] == ["Avery Lin", "Jordan Reyes"]
    assert ic[0].until == ic[1].from_ == datetime(2017, 2, 1, 2, 0, tzinfo=UTC)
    assert [s.name for s in gitlab.role_holders("scribe")] == ["Sam Okoro"]


def test_levels_without_response_times(hb):
    sev = hb.severity
    assert [lv.response_time for lv in sev.levels] == [None] * 5
    assert [lv.handled_by for lv in sev.levels] == ["page", "page", None,
                                                    "next_business_day", "ticket"]
    assert [lv.major for lv in sev.levels] == [True, True, False, False, False]


# ------------------------------------------------------------------ metrics
def test_metrics_from_the_start_keep_aws_in_mttr(hb):
    """metrics.start: started. AWS states no detection time: it has MTTM/MTTR (257 min)
    but no MTTD/MTTA. GitLab 1127/1142, AWS 257/257, Cloudflare 27/70 minutes."""
    d = compute(hb, NOW).overall.durations
    assert (d["mttd"].n, d["mttd"].missing, d["mttd"].mean) == (2, 1, 3.0)
    assert (d["mtta"].n, d["mtta"].missing, d["mtta"].mean, d["mtta"].approximate) == (
        2, 1, 6.5, 1)
    assert (d["mttm"].n, d["mttm"].median, d["mttm"].p90) == (3, 257.0, 1127.0)
    assert d["mttm"].mean == pytest.approx((1127 + 257 + 27) / 3)
    assert (d["mttr"].n, d["mttr"].median, d["mttr"].p90) == (3, 257.0, 1142.0)
    assert d["mttr"].mean == pytest.approx((1142 + 257 + 70) / 3)
    assert (d["impact"].n, d["impact"].median, d["impact"].p90) == (3, 257.0, 1127.0)


def test_metrics_from_detection_drop_aws_but_not_its_impact(hb):
    from dataclasses import replace
    hb2 = replace(hb, settings=replace(hb.settings, metrics=hb.settings.metrics.model_copy(
        update={"start": "detected"})))
    d = compute(hb2, NOW).overall.durations
    assert (d["mttr"].n, d["mttr"].missing, d["mttr"].median) == (2, 1, (1139 + 67) / 2)
    assert d["impact"].n == 3


def test_drills_are_left_out_and_said_so(hb):
    r = compute(hb, NOW)
    assert (r.overall.count, r.excluded) == (3, 1)
    table = to_table(r)
    assert table.splitlines()[0] == ("Incidents from first incident to 2019-07-10 (UTC, by "
                                     "started_at): 3, 0 open (1 left out by type)")


def test_report_prints_no_empty_month_rows(hb):
    table = to_table(compute(hb, NOW))
    block = table[table.index("By month"):].split("\n\n")[0].splitlines()
    assert [line.split()[0] for line in block[2:]] == ["2017-01", "2017-02", "2019-07"]


def test_error_budgets_use_impact_phases(hb):
    """cdn: the phase says 27 min of major outage (the status page showed 33); s3: 169 min
    major + 0.3 × 88 min partial = 195.4; gitlab-com: 1127 min major."""
    cdn = compute_budget(hb, "cdn", NOW)
    assert (cdn.consumed, cdn.state) == (27.0, "ok")
    s3 = compute_budget(hb, "s3", datetime(2017, 3, 10, tzinfo=UTC))
    assert s3.consumed == pytest.approx(195.4)
    assert dict(s3.by_state) == {"major_outage": 169.0, "partial_outage": 88.0}
    gl = compute_budget(hb, "gitlab-com", datetime(2017, 2, 10, tzinfo=UTC))
    assert (gl.consumed, gl.state) == (1127.0, "exhausted")


def test_status_page_uptime_stays_what_the_page_showed(hb):
    """The public timeline of Cloudflare's record: major from 13:42 (the first update's
    state back to started_at) to the 14:15 update = 33 min: 1 − 33/1440 that day."""
    cdn = next(c for c in public_view(hb, NOW).components if c.id == "cdn")
    day = next(d for d in cdn.uptime.days if d.day == date(2019, 7, 2))
    assert dict(day.minutes) == {"major_outage": 33.0}
    assert day.uptime == pytest.approx(1 - 33 / 1440)


# ------------------------------------------------------------------ pages
def test_severity_page_shows_handling_major_and_cadence(pages):
    page = pages["severity.md"]
    assert ("**Obligations:** handling: page; first public update within 15 min of "
            "detection; update every internal 10 min · customers 20 min while investigating or "
            "identified, 1 h while monitoring · executives 30 min; "
            "postmortem required, review meeting within 3 d, publication within 5 business "
            "days; public impact critical, affected components shown as *major outage*.\n"
            ) in page
    assert ("**Major incident.** Declaring it sets in motion:\n\n- Open the incident bridge\n"
            "- Page the incident commander\n- Brief the executive on call\n") in page
    assert "nobody (ticket)" not in page
    assert "<span class=\"sb-l\">Paged: </span>Ticket |" in page
    assert "<span class=\"sb-l\">Paged: </span>Next business day |" in page
    assert "<span class=\"sb-l\">Paged: </span>nobody |" in page


def test_incident_page_shows_history_handoff_links_and_fields(pages):
    page = pages["incidents/2017-01-31-database-deleted.md"]
    assert ("| 2017-01-31 22:00 UTC | [<span class=\"sb-badge sb-sev sb-sev3\">SEV3</span>]"
            "(../severity.md#sev3) | on-call engineer |") in page
    assert ("Avery Lin (until 2017-02-01 02:00 UTC) → Jordan Reyes (from 2017-02-01 "
            "02:00 UTC)") in page
    assert "| Chat | `#inc-2017-01-31-db` |" in page
    assert "- **How it was noticed:** employee\n- **Customers affected:** 5000\n" in page
    waf = pages["incidents/2019-07-02-waf-rule-cpu.md"]
    assert "| Acknowledged (approximate) |" in waf


def test_links_and_fields_never_reach_the_status_page(hb, tmp_path):
    import json
    import shutil
    root = tmp_path / "v2"
    shutil.copytree(DATA, root)
    res = CliRunner().invoke(main, ["build", "--no-handbook", "--now", NOW_ARG, "--root",
                                    str(root)])
    assert res.exit_code == 0, res.output
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in (root / "site" / "status").rglob("*") if p.is_file())
    for secret in ("inc-2017-01-31-db", "INFRA-1107", "example.com/bridge", "Avery Lin",
                   "customers-affected", "edge-cpu", "Failover game day"):
        assert secret not in text
    assert json.loads((root / "site/status/api/v2/components.json").read_text())


# ------------------------------------------------------------------ durations
@pytest.mark.parametrize(("mins", "expected"), [
    (1454, "1 d 14 min"), (24 * 60 + 11, "1 d 11 min"), (3 * 1440 + 120, "3 d 2 h"),
    (90, "1 h 30 min"), (0, "0 min")])
def test_human_keeps_minutes(mins, expected):
    assert human(timedelta(minutes=mins)) == expected


@pytest.mark.parametrize(("mins", "expected"), [
    (1454, "1d00h14m"), (1440, "1d00h"), (1052, "17h32m"), (42, "42m")])
def test_report_minutes_keep_precision(mins, expected):
    assert minutes(mins) == expected


def test_business_days_skip_the_weekend():
    friday = datetime(2019, 7, 5, 9, 0, tzinfo=UTC)
    assert add_business(friday, timedelta(days=5), frozenset(range(5))) == datetime(
        2019, 7, 12, 9, 0, tzinfo=UTC)
    sunday_week = frozenset({6, 0, 1, 2, 3})
    assert add_business(friday, timedelta(days=1), sunday_week) == datetime(
        2019, 7, 7, 9, 0, tzinfo=UTC)


# ------------------------------------------------------------------ schema
V2_FIELDS = {
    "severity": ["response_time", "handling", "major", "major_actions", "update_every",
                 "first_update_within"],
    "incident": ["roles", "severity_history", "type", "labels", "links", "related",
                 "time_precision", "impact", "count_in_uptime", "fields"],
}


@pytest.fixture(scope="module")
def schemas(tmp_path_factory):
    import json
    out = tmp_path_factory.mktemp("schemas")
    res = CliRunner().invoke(main, ["schema", "--out", str(out)])
    assert res.exit_code == 0, res.output
    return {k: json.loads((out / f"{k}.schema.json").read_text())
            for k in ("severity", "incident")}


def _props(schema: dict, kind: str) -> dict:
    if kind == "incident":
        return schema["properties"]
    return schema["$defs"]["Level"]["properties"]


@pytest.mark.parametrize("kind", V2_FIELDS)
def test_new_fields_have_a_description_and_an_example(schemas, kind):
    props = _props(schemas[kind], kind)
    for name in V2_FIELDS[kind]:
        assert props[name].get("description"), name
        assert props[name].get("examples"), name


def test_every_v2_file_validates_against_its_schema(schemas):
    from jsonschema import Draft202012Validator

    from sevbook.config import load_settings
    from sevbook.load import discover
    from sevbook.yamlio import load_yaml, split_frontmatter
    for path, kind in discover(load_settings(DATA)):
        if kind not in schemas:
            continue
        data = load_yaml(split_frontmatter(path.read_text(encoding="utf-8"))[0])
        assert list(Draft202012Validator(schemas[kind]).iter_errors(data)) == [], path


def test_a_restricted_incident_cannot_be_public(tmp_path):
    import shutil
    root = tmp_path / "hb"
    shutil.copytree(DATA, root)
    path = root / "incidents" / "2017-01-31-database-deleted.md"
    text = path.read_text(encoding="utf-8")
    assert "\npublic: true\n" in text
    path.write_text(text.replace("\npublic: true\n", "\npublic: true\nrestricted: true\n", 1),
                    encoding="utf-8")
    res = CliRunner().invoke(main, ["check", "--now", NOW_ARG, "--root", str(root)])
    line = next(x for x in res.output.splitlines() if "restricted" in x)
    assert line == ("incidents/2017-01-31-database-deleted.md:1: error: [bad-value] a restricted "
                    "incident is never public: remove public: true or restricted: true")
    assert res.exit_code == 1
