"""Issue 16 leftovers: `sevbook notify --all-pages` runs every public page in one go, each
with its own previous state (`--previous DIR`: the default page in DIR, a further page in
DIR/<id>/) and a summary naming the page; the exit code is the worst of them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOW_ARG
from notify_servers import set_notify
from sevbook.cli import main
from status_support import public_id

INCIDENT = public_id("2026-11-22-search-errors-after-node-loss")
MAINTENANCE = public_id("2026-12-06-payments-db-upgrade")

FIRST = ("no previously published page (a first deploy): nothing is sent; pass "
         "--first-deploy-sends to announce what is active now\n\n"
         "no channel is configured (notify: channels: in mkdocs.yml): nothing is sent")


def notify(root: Path, *args: str, environ: dict | None = None):
    return CliRunner().invoke(main, ["notify", "--root", str(root), *args], env=environ or {})


@pytest.fixture
def built(example: Path) -> Path:
    res = CliRunner().invoke(main, ["build", "--no-handbook", "--now", NOW_ARG, "--root",
                                    str(example)])
    assert res.exit_code == 0, res.output
    return example


def test_all_pages_names_every_public_page_never_the_internal_one(built, tmp_path):
    res = notify(built, "--all-pages", "--dry-run", "--previous", str(tmp_path))
    assert (res.exit_code, res.output) == (0, (
        f"dry run: default status page: {FIRST}\n\n"
        f"dry run: status page 'accounts': {FIRST}\n"))


def test_each_page_reads_its_own_previous_state(built, tmp_path):
    prev = tmp_path / "prev"
    shutil.copytree(built / "site/status-accounts", prev / "accounts")
    res = notify(built, "--all-pages", "--dry-run", "--first-deploy-sends", "--format", "json",
                 "--previous", str(prev))
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    summary = json.loads((built / "site/status/api/v2/summary.json").read_text())
    active = sorted(i["id"] for i in summary["incidents"] + summary["scheduled_maintenances"])
    assert [(p["page"], p["first_deploy"], sorted({e["incident_id"] for e in p["events"]}))
            for p in doc["pages"]] == [("", True, active), ("accounts", False, [])]
    assert len(active) == 2


def test_the_exit_code_is_the_worst_of_the_pages(built, tmp_path):
    set_notify(built, {"channels": [{"name": "hook", "type": "webhook", "url_env": "T_HOOK"}],
                       "retries": 0, "backoff": 0, "timeout": 2})
    prev = tmp_path / "prev"
    shutil.copytree(built / "site/status-accounts", prev / "accounts")
    res = notify(built, "--all-pages", "--first-deploy-sends", "--previous", str(prev),
                 environ={"T_HOOK": "http://127.0.0.1:9/hook"})
    assert res.exit_code == 1, res.output
    refused = "no response (ConnectionRefusedError: [Errno 111] Connection refused) " \
              "(after 1 attempt)"
    assert res.output == f"""default status page: 4 new events

maintenance.scheduled  incident {MAINTENANCE}  update pzxxlwp26lua  2026-11-20T15:00:00Z

incident.created  incident {INCIDENT}  update gufjysvchicm  2026-11-22T10:00:00Z

incident.updated  incident {INCIDENT}  update 6ij7zt4ykeir  2026-11-22T10:50:00Z

incident.updated  incident {INCIDENT}  update paqdnx6tnnjx  2026-11-22T11:40:00Z

hook (webhook): 0 sent, 0 skipped, 4 failed
  maintenance.scheduled pzxxlwp26lua: {refused}
  incident.created gufjysvchicm: {refused}
  incident.updated 6ij7zt4ykeir: {refused}
  gave up after 3 failures in a row; the rest of this channel's deliveries are not attempted

status page 'accounts': 0 new events

hook (webhook): 0 sent, 0 skipped, 0 failed
"""


def test_page_and_all_pages_exclude_each_other(built):
    res = notify(built, "--all-pages", "--page", "accounts")
    assert (res.exit_code, res.output.splitlines()[-1]) == (
        2, "Error: --page and --all-pages exclude each other: pass one")


def test_all_pages_without_previous_needs_every_page_url(built):
    mk = built / "mkdocs.yml"
    mk.write_text(mk.read_text().replace(
        "          url: https://accounts-status.example.com/\n", "", 1))
    res = notify(built, "--all-pages", "--dry-run")
    assert (res.exit_code, res.output.splitlines()[-1]) == (
        2, "Error: pass --previous DIR, or set the url of the status page 'accounts' in "
           "mkdocs.yml to fetch the published page")


def test_save_previous_for_all_pages_needs_every_page_url(built, tmp_path):
    mk = built / "mkdocs.yml"
    mk.write_text(mk.read_text().replace(
        "          url: https://accounts-status.example.com/\n", "", 1))
    res = notify(built, "--all-pages", "--save-previous", str(tmp_path / "prev"))
    assert (res.exit_code, res.output.splitlines()[-1]) == (
        2, "Error: --save-previous needs the url of the status page 'accounts' in mkdocs.yml")
