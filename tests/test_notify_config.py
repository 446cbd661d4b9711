"""The `notify:` settings: validated like content, every problem with its mkdocs.yml line,
and secrets only ever named (environment variables), never written in the repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_example
from notify_servers import set_notify
from sevbook.cli import main


def _line(root: Path, text: str) -> int:
    lines = (root / "mkdocs.yml").read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def _check(root: Path) -> str:
    return CliRunner().invoke(main, ["notify", "--root", str(root), "--dry-run"]).output


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "handbook")


def test_a_url_written_in_the_repository_is_refused(root):
    set_notify(root, {"channels": [{"name": "ops", "type": "slack",
                                    "url": "https://hooks.slack.com/services/T0/B0/x"}]})
    assert _check(root) == (
        f"mkdocs.yml:{_line(root, 'url: https://hooks')}: error: [unknown-key] "
        "notify.channels[0].url: unknown key 'url'; did you mean 'url_env'?\n"
        "1 error, 0 warnings in 1 files\n")


@pytest.mark.parametrize(("channel", "message"), [
    ({"name": "ops", "type": "discord"},
     "a discord channel needs url_env: the name of the environment variable that holds its "
     "URL (never the URL itself)"),
    ({"name": "ops", "type": "email", "to": "a@example.com"},
     "an email channel needs smtp, sender, unsubscribe"),
    ({"name": "ops", "type": "email", "smtp": {"host": "smtp.example.com"}, "sender": "s@x.org",
      "unsubscribe": "mailto:u@x.org"},
     "an email channel needs a recipient: to (a list address), subscribers_env or "
     "subscribers_file"),
    ({"name": "ops", "type": "webhook", "url_env": "HOOK", "unsubscribe": "ftp://x"},
     "unsubscribe 'ftp://x' must be an http(s) or mailto: link"),
])
def test_a_channel_missing_what_its_type_needs(root, channel, message):
    set_notify(root, {"channels": [channel]})
    assert _check(root) == (
        f"mkdocs.yml:{_line(root, '- name: ops')}: error: [bad-value] notify.channels[0]: "
        f"{message}\n1 error, 0 warnings in 1 files\n")


def test_no_password_in_clear_text_to_another_host(root):
    set_notify(root, {"channels": [{
        "name": "ops", "type": "email", "to": "a@example.com", "sender": "s@example.com",
        "unsubscribe": "mailto:u@example.com",
        "smtp": {"host": "smtp.example.com", "security": "none", "password_env": "PW"}}]})
    assert _check(root) == (
        f"mkdocs.yml:{_line(root, 'smtp:')}: error: [bad-value] "
        "notify.channels[0].smtp: security none would send the password to smtp.example.com "
        "unencrypted; use starttls or ssl\n1 error, 0 warnings in 1 files\n")


def test_channel_names_are_unique(root):
    hook = {"type": "webhook", "url_env": "HOOK"}
    set_notify(root, {"channels": [{"name": "ops", **hook}, {"name": "ops", **hook}]})
    assert _check(root) == (
        f"mkdocs.yml:{_line(root, 'channels:')}: error: [bad-value] notify.channels: "
        "channel name 'ops' is used twice; give each its own\n1 error, 0 warnings in 1 files\n")


def test_a_subscribers_file_inside_a_published_folder_is_refused(root, tmp_path):
    (root / "content/subscribers.txt").write_text("a@example.com\n")
    set_notify(root, {"channels": [{
        "name": "mail", "type": "email", "sender": "s@example.com",
        "unsubscribe": "mailto:u@example.com", "subscribers_file": "content/subscribers.txt",
        "smtp": {"host": "127.0.0.1", "security": "none"}}]})
    site = tmp_path / "none"
    site.mkdir()
    result = CliRunner().invoke(main, ["build", "--no-handbook", "--root", str(root),
                                       "--now", "2026-11-22T12:00:00Z"])
    assert result.exit_code == 0, result.output
    out = CliRunner().invoke(main, ["notify", "--root", str(root), "--previous", str(site),
                                    "--first-deploy-sends"])
    assert out.exit_code == 1
    assert out.output.endswith(
        "mail (email): 0 sent, 0 skipped, 4 failed\n  subscribers_file content/subscribers.txt "
        "lies in a folder that is published or built into a site; keep it outside (for "
        "example written from a secret to $RUNNER_TEMP)\n")


@pytest.mark.parametrize("mode", ["repo", "team"])
def test_the_publish_workflow_saves_the_state_before_and_notifies_after_the_deploy(mode):
    import yaml

    from sevbook.init import render_workflow

    wf = yaml.safe_load(render_workflow("publish.yml", mode))
    status = [s.get("run", "") for s in wf["jobs"]["status"]["steps"]]
    assert status.index("sevbook notify --save-previous previous-status") < status.index(
        "sevbook build --no-handbook")
    job = wf["jobs"]["notify"]
    assert (job["needs"], job.get("permissions")) == (["status", "deploy"], None)
    assert job["steps"][-1]["run"] == (
        "mkdir -p previous-status && sevbook notify --previous previous-status")
