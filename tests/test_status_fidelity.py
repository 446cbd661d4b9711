"""Statuspage fidelity of the status page built from the example, edited per test:
component order (`position`, `group_position`), `showcase`, and what the API says."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import html as lhtml

from conftest import copy_example
from status_support import build, load_example


def with_keys(root: Path, service: str, *lines: str) -> None:
    """Add `lines` (already indented) to the `status_page:` block of `service`."""
    path = root / "content" / "services" / f"{service}.md"
    text = path.read_text()
    head, rest = text.split("status_page:\n", 1)
    path.write_text(head + "status_page:\n" + "".join(f"  {ln}\n" for ln in lines) + rest)


def built(tmp_path: Path) -> Path:
    return build(load_example(tmp_path / "hb"), tmp_path / "site")


def api(site: Path, name: str) -> dict:
    return json.loads((site / "api" / "v2" / name).read_text())


def page_order(site: Path) -> list[str]:
    """Group headings and component names of the front page, in reading order."""
    page = lhtml.fromstring((site / "index.html").read_bytes())
    return [" ".join(e.text_content().split()) for e in
            page.xpath("//section[@aria-labelledby='comps']//h3/span[1] | "
                       "//section[@aria-labelledby='comps']//h4")]


def test_without_positions_groups_come_first_by_name(tmp_path):
    copy_example(tmp_path / "hb")
    assert page_order(built(tmp_path)) == [
        "Accounts", "Login and accounts", "Order emails",
        "Store", "Checkout", "Search", "Website"]


def test_positions_order_groups_and_components(tmp_path):
    root = copy_example(tmp_path / "hb")
    with_keys(root, "search", "position: 1", "group_position: 1")
    with_keys(root, "storefront-web", "position: 2")
    with_keys(root, "auth", "group_position: 2")
    with_keys(root, "notifications", "position: 1")
    site = built(tmp_path)
    assert page_order(site) == ["Store", "Search", "Website", "Checkout",
                                "Accounts", "Order emails", "Login and accounts"]
    comps = api(site, "components.json")["components"]
    assert [(c["name"], c["position"]) for c in comps] == [
        ("Store", 1), ("Accounts", 2),
        ("Search", 1), ("Website", 2), ("Checkout", 3),
        ("Order emails", 1), ("Login and accounts", 2)]
    assert [c["name"] for c in api(site, "summary.json")["components"]] == [
        c["name"] for c in comps]


def test_an_ungrouped_component_takes_its_place_between_groups(tmp_path):
    root = copy_example(tmp_path / "hb")
    path = root / "content" / "services" / "storefront-web.md"
    path.write_text(path.read_text().replace("  group: Store\n", ""))
    with_keys(root, "storefront-web", "position: 1")
    with_keys(root, "auth", "group_position: 2")
    with_keys(root, "search", "group_position: 3")
    site = built(tmp_path)
    assert page_order(site) == ["Other components",
                                "Website", "Accounts", "Login and accounts",
                                "Order emails", "Store", "Checkout", "Search"]
    tops = [(c["name"], c["position"]) for c in api(site, "components.json")["components"]
            if c["group"] or c["group_id"] is None]
    assert tops == [("Accounts", 2), ("Store", 3), ("Website", 1)]


def test_showcase_false_hides_the_uptime_bars(tmp_path):
    root = copy_example(tmp_path / "hb")
    with_keys(root, "search", "showcase: false")
    site = built(tmp_path)
    page = lhtml.fromstring((site / "index.html").read_bytes())
    rows = {" ".join(r.xpath(".//h4")[0].text_content().split()): bool(r.xpath(".//ol"))
            for r in page.xpath("//div[@class='comp']")}
    assert rows == {"Login and accounts": True, "Order emails": True, "Checkout": True,
                    "Search": False, "Website": True}
    showcase = {c["name"]: c["showcase"] for c in api(site, "components.json")["components"]}
    assert showcase == {"Accounts": False, "Store": False, "Login and accounts": True,
                        "Order emails": True, "Checkout": True, "Search": False,
                        "Website": True}


def test_a_status_set_without_an_incident_is_shown_counted_and_listed(tmp_path):
    root = copy_example(tmp_path / "hb")
    with_keys(root, "storefront-web", "status:",
              "  - {at: 2026-11-21T10:00:00Z, status: major_outage}",
              "  - {at: 2026-11-21T11:00:00Z, status: operational}",
              "  - {at: 2026-11-22T11:30:00.250Z, status: partial_outage}")
    site = built(tmp_path)
    web = {c["name"]: c for c in api(site, "components.json")["components"]}["Website"]
    assert (web["status"], web["updated_at"]) == ("partial_outage", "2026-11-22T11:30:00.250Z")
    page = lhtml.fromstring((site / "components/storefront-web/index.html").read_bytes())
    changes = [" ".join(li.text_content().split())
               for li in page.xpath("//section[@aria-labelledby='direct']//li")]
    assert changes == ["Partial outage 22 Nov 2026, 12:30 CET",
                       "Operational 21 Nov 2026, 12:00 CET",
                       "Major outage 21 Nov 2026, 11:00 CET"]
    bars = page.xpath("//ol[@class='bars']/li/span/text()")
    assert bars[-2:] == [
        "Sat 21 Nov 2026: major outage, 60 min affected (major outage 60 min), 95.83%",
        "Sun 22 Nov 2026: partial outage, 30 min affected (partial outage 30 min), 98.84%"]
    status = api(site, "status.json")["status"]
    assert status == {"indicator": "minor", "description": "Minor Service Outage"}


def test_a_later_incident_update_takes_over_from_a_status_set_directly(tmp_path):
    root = copy_example(tmp_path / "hb")
    # Search is degraded by the open incident, whose last update is at 11:40 UTC
    with_keys(root, "search", "status:", "  - {at: 2026-11-22T11:00:00Z, status: major_outage}")
    site = built(tmp_path)
    search = {c["name"]: c for c in api(site, "components.json")["components"]}["Search"]
    assert search["status"] == "degraded_performance"


def test_status_changes_must_be_oldest_first(tmp_path):
    from click.testing import CliRunner

    from sevbook.cli import main

    root = copy_example(tmp_path / "hb")
    with_keys(root, "search", "status:",
              "  - {at: 2026-11-22T11:00:00Z, status: major_outage}",
              "  - {at: 2026-11-21T11:00:00Z, status: operational}")
    result = CliRunner().invoke(main, ["check", "--root", str(root), "--now",
                                       "2026-11-22T12:00:00Z"])
    assert result.exit_code == 1
    assert ("status changes must be oldest first; 2026-11-21T11:00:00+00:00 is listed "
            "after 2026-11-22T11:00:00+00:00") in result.output


def test_untouched_component_times_are_never_the_build_time(tmp_path):
    root = copy_example(tmp_path / "hb")
    (root / "content" / "services" / "status-api.md").write_text(
        "---\nname: Status API\nowner: payments\nstatus_page: {name: Status API}\n---\n")
    site = built(tmp_path)
    new = {c["name"]: c for c in api(site, "components.json")["components"]}["Status API"]
    first = min(u["created_at"] for i in api(site, "incidents.json")["incidents"]
                for u in i["incident_updates"])
    assert new["created_at"] == new["updated_at"] == first != "2026-11-22T12:00:00Z"


SEARCH = "incidents/2026-11-22-search-errors-after-node-loss.md"
MAINTENANCE = "incidents/2026-12-06-payments-db-upgrade.md"


def unresolved_updates(site: Path) -> list[dict]:
    (inc,) = api(site, "incidents/unresolved.json")["incidents"]
    return inc["incident_updates"][::-1]  # oldest first


def test_update_times_silence_and_affected_components(tmp_path):
    root = copy_example(tmp_path / "hb")
    path = root / SEARCH
    text = path.read_text().replace(
        "    components: {search: degraded_performance}\n",
        "    components: {search: degraded_performance}\n"
        "    created_at: 2026-11-22T11:45:10.5Z\n    notify: false\n").replace(
        "Next update by 11:50 UTC.\n    components: {search: partial_outage}\n",
        "Next update by 11:50 UTC.\n")
    path.write_text(text)
    ups = unresolved_updates(built(tmp_path))
    assert [(u["created_at"], u["display_at"], u["deliver_notifications"]) for u in ups] == [
        ("2026-11-22T10:00:00Z", "2026-11-22T10:00:00Z", True),
        ("2026-11-22T10:50:00Z", "2026-11-22T10:50:00Z", True),
        ("2026-11-22T11:45:10.500Z", "2026-11-22T11:40:00Z", False)]
    assert [u["affected_components"] for u in ups] == [
        [{"code": "search", "name": "Search", "old_status": "operational",
          "new_status": "partial_outage"}],
        None,  # names no component and changes none
        [{"code": "search", "name": "Search", "old_status": "partial_outage",
          "new_status": "degraded_performance"}]]


def test_maintenance_impact_started_at_and_reminder_intervals(tmp_path):
    root = copy_example(tmp_path / "hb")
    path = root / MAINTENANCE
    path.write_text(path.read_text().replace("kind: maintenance\n",
                                             "kind: maintenance\nmaintenance_impact: minor\n"))
    (m,) = api(built(tmp_path), "scheduled-maintenances/upcoming.json")["scheduled_maintenances"]
    assert {k: m[k] for k in ("impact", "started_at", "scheduled_for",
                              "reminder_intervals")} == {
        "impact": "minor", "started_at": "2026-11-20T15:00:00Z",
        "scheduled_for": "2026-12-06T02:00:00Z", "reminder_intervals": None}


def test_an_impact_none_incident_says_no_impact_once(tmp_path):
    root = copy_example(tmp_path / "hb")
    path = root / SEARCH
    path.write_text(path.read_text().replace("severity: SEV2\n", "severity: SEV4\n"))
    site = built(tmp_path)
    front = lhtml.fromstring((site / "index.html").read_bytes())
    (meta,) = front.xpath("//section[@aria-labelledby='active']//p[@class='meta']")
    assert " ".join(meta.text_content().split()).startswith("Identified · No impact · since")
    history = (site / "history/index.html").read_text()
    assert "No impact impact" not in history
    assert history.count("No impact, ") == 1


def maintenance_at(tmp_path: Path, now: str, edit=None) -> dict | None:
    """The example's upcoming maintenance in scheduled-maintenances.json, built at `now`."""
    from datetime import datetime

    from sevbook.status.build import build_status
    from sevbook.status.public import public_view

    root = tmp_path / "hb"
    if not root.exists():
        copy_example(root)
    if edit:
        (root / MAINTENANCE).write_text(edit((root / MAINTENANCE).read_text()))
    site = tmp_path / f"site-{now}"
    build_status(public_view(load_example(root), datetime.fromisoformat(now)), site)
    found = [m for m in api(site, "scheduled-maintenances.json")["scheduled_maintenances"]
             if m["name"] == "Scheduled maintenance of checkout"]
    return found[0] if found else None


def steps(m: dict) -> list[tuple[str, str, str]]:
    return [(u["status"], u["display_at"], u["body"][:30]) for u in m["incident_updates"][::-1]]


def test_maintenance_starts_and_completes_at_its_window_edges(tmp_path):
    before = maintenance_at(tmp_path, "2026-12-06T01:59:00+00:00")
    during = maintenance_at(tmp_path, "2026-12-06T03:00:00+00:00")
    after = maintenance_at(tmp_path, "2026-12-06T05:00:00+00:00")
    assert (before["status"], during["status"], after["status"]) == (
        "scheduled", "in_progress", "completed")
    assert steps(after) == [
        ("scheduled", "2026-11-20T15:00:00Z", "We will carry out maintenance "),
        ("in_progress", "2026-12-06T02:00:00Z", "Scheduled maintenance is curre"),
        ("completed", "2026-12-06T04:00:00Z", "The scheduled maintenance has ")]
    ids = [u["id"] for u in after["incident_updates"]]
    assert len(set(ids)) == 3
    assert before["incident_updates"][0]["id"] == ids[-1]  # the written update keeps its id
    assert [u["id"] for u in during["incident_updates"]] == ids[1:]
    states = [(a["old_status"], a["new_status"]) for u in after["incident_updates"][::-1]
              for a in u["affected_components"] or []]
    assert states == [("operational", "operational"), ("operational", "under_maintenance"),
                      ("under_maintenance", "operational")]


def test_an_explicit_update_in_the_window_stops_the_automatic_ones(tmp_path):
    def written(text: str) -> str:
        return text.replace("    components: {checkout-api: operational}\n",
                            "    components: {checkout-api: operational}\n"
                            "  - at: 2026-12-06T01:55:00Z\n    status: in_progress\n"
                            "    message: Starting early.\n", 1)

    m = maintenance_at(tmp_path, "2026-12-06T05:00:00+00:00", written)
    assert m["status"] == "in_progress"  # overrunning until someone completes it
    assert [s for s, _, _ in steps(m)] == ["scheduled", "in_progress"]


def test_maintenance_is_visible_from_its_window_before_any_update(tmp_path):
    def later(text: str) -> str:
        return text.replace("  - at: 2026-11-20T15:00:00Z\n", "  - at: 2026-12-06T03:30:00Z\n")

    assert maintenance_at(tmp_path, "2026-12-06T01:00:00+00:00", later) is None
    m = maintenance_at(tmp_path, "2026-12-06T02:30:00+00:00")
    assert (m["status"], [s for s, _, _ in steps(m)]) == ("in_progress", ["in_progress"])


def _incident(site: Path, name: str) -> dict:
    (inc,) = [i for i in api(site, "incidents.json")["incidents"] if i["name"] == name]
    return inc


def test_public_impact_overrides_the_severity_levels(tmp_path):
    root = copy_example(tmp_path / "hb")
    name = "Search errors and slow search results"
    before = _incident(build(load_example(root), tmp_path / "before"), name)
    path = root / SEARCH
    path.write_text(path.read_text().replace("severity: SEV2\n",
                                             "severity: SEV2\npublic_impact: none\n"))
    after = _incident(built(tmp_path), name)
    assert (before["impact"], after["impact"]) == ("major", "none")
    assert {k: v for k, v in after.items() if k != "impact"} == \
        {k: v for k, v in before.items() if k != "impact"}


def test_public_impact_is_for_incidents_only(tmp_path):
    from click.testing import CliRunner

    from conftest import NOW_ARG
    from sevbook.cli import main

    root = copy_example(tmp_path / "hb")
    path = root / MAINTENANCE
    path.write_text(path.read_text().replace("kind: maintenance\n",
                                             "kind: maintenance\npublic_impact: minor\n"))
    line = path.read_text().splitlines().index("public_impact: minor") + 1
    res = CliRunner().invoke(main, ["check", "--root", str(root), "--now", NOW_ARG])
    assert res.exit_code == 1
    assert res.output.splitlines()[0] == (
        f"{MAINTENANCE}:{line}: error: [bad-value] public_impact: public_impact is for "
        "incidents; a maintenance states its impact with maintenance_impact")
