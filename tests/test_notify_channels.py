"""The notify channels against real receivers on 127.0.0.1: their payloads validated against
schemas written from each service's documentation, the exact e-mail, retries, filters,
failures that stay in their channel, and that nothing internal ever reaches a receiver."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from notify_servers import MailServer, publish, set_notify
from sevbook.cli import main
from sevbook.errors import DeliveryFailed
from sevbook.notify.http import with_retries
from status_support import load_example
from test_notify import (
    INCIDENT,
    T,
    at,
    channels,
    deploy,
    env,
    handbook,  # noqa: F401 (fixture)
    notify,
    receivers,  # noqa: F401 (fixture)
    root,  # noqa: F401 (fixture)
)

TEXT = {"type": "object", "required": ["type", "text"], "properties": {
    "type": {"enum": ["plain_text", "mrkdwn"]}, "text": {"type": "string", "minLength": 1,
                                                          "maxLength": 3000}}}
SLACK = {
    # docs.slack.dev: incoming webhooks take a message payload: `text` (the notification
    # fallback when `blocks` are given) and up to 50 Block Kit blocks; a header block holds
    # plain_text of at most 150 characters, a section's text at most 3000, a context block
    # up to 10 elements.
    "type": "object", "required": ["text"], "properties": {
        "text": {"type": "string", "minLength": 1},
        "blocks": {"type": "array", "maxItems": 50, "items": {"oneOf": [
            {"type": "object", "required": ["type", "text"], "additionalProperties": False,
             "properties": {"type": {"const": "header"}, "text": {
                 "type": "object", "required": ["type", "text"], "properties": {
                     "type": {"const": "plain_text"},
                     "text": {"type": "string", "maxLength": 150}}}}},
            {"type": "object", "required": ["type", "text"], "additionalProperties": False,
             "properties": {"type": {"const": "section"}, "text": TEXT}},
            {"type": "object", "required": ["type", "elements"], "additionalProperties": False,
             "properties": {"type": {"const": "context"},
                            "elements": {"type": "array", "maxItems": 10, "items": TEXT}}},
        ]}},
        "unfurl_links": {"type": "boolean"}, "unfurl_media": {"type": "boolean"}},
    "additionalProperties": False}
TEAMS = {
    # learn.microsoft.com (Teams workflows, "When a Teams webhook request is received" /
    # "Post card in a chat or channel"): a message whose attachments hold one Adaptive Card
    # (contentType application/vnd.microsoft.card.adaptive); adaptivecards.io: TextBlock
    # needs `text`, FactSet `facts` of {title, value}, Action.OpenUrl a `url`.
    "type": "object", "required": ["type", "attachments"], "properties": {
        "type": {"const": "message"},
        "attachments": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["contentType", "content"], "properties": {
                "contentType": {"const": "application/vnd.microsoft.card.adaptive"},
                "contentUrl": {"type": "null"},
                "content": {"type": "object", "required": ["type", "version", "body"],
                            "properties": {
                    "type": {"const": "AdaptiveCard"}, "version": {"type": "string"},
                    "body": {"type": "array", "items": {"oneOf": [
                        {"type": "object", "required": ["type", "text"],
                         "properties": {"type": {"const": "TextBlock"},
                                        "text": {"type": "string"}}},
                        {"type": "object", "required": ["type", "facts"],
                         "properties": {"type": {"const": "FactSet"}, "facts": {
                             "type": "array", "items": {
                                 "type": "object", "required": ["title", "value"],
                                 "properties": {"title": {"type": "string"},
                                                "value": {"type": "string"}}}}}}]}},
                    "actions": {"type": "array", "items": {
                        "type": "object", "required": ["type", "url"], "properties": {
                            "type": {"const": "Action.OpenUrl"},
                            "url": {"type": "string", "pattern": "^https?://"}}}}}}}}}}}
DISCORD = {
    # discord.com/developers/docs/resources/webhook#execute-webhook: content (<= 2000) or
    # embeds (<= 10); embed title <= 256, description <= 4096, fields <= 25 (name <= 256,
    # value <= 1024), footer.text <= 2048, color an integer, timestamp ISO 8601;
    # allowed_mentions.parse of roles/users/everyone.
    "type": "object", "anyOf": [{"required": ["content"]}, {"required": ["embeds"]}],
    "properties": {
        "content": {"type": "string", "maxLength": 2000},
        "embeds": {"type": "array", "maxItems": 10, "items": {
            "type": "object", "additionalProperties": False, "properties": {
                "title": {"type": "string", "maxLength": 256},
                "description": {"type": "string", "maxLength": 4096},
                "url": {"type": "string", "pattern": "^https?://"},
                "color": {"type": "integer", "minimum": 0, "maximum": 0xFFFFFF},
                "timestamp": {"type": "string",
                              "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"},
                "fields": {"type": "array", "maxItems": 25, "items": {
                    "type": "object", "required": ["name", "value"], "properties": {
                        "name": {"type": "string", "maxLength": 256},
                        "value": {"type": "string", "maxLength": 1024},
                        "inline": {"type": "boolean"}}}},
                "footer": {"type": "object", "required": ["text"],
                           "properties": {"text": {"type": "string", "maxLength": 2048}}}}}},
        "allowed_mentions": {"type": "object", "properties": {"parse": {
            "type": "array", "items": {"enum": ["roles", "users", "everyone"]}}}}},
    "additionalProperties": False}
_UPDATE = {"type": "object", "required": ["id", "status", "body", "created_at", "incident_id"]}
STATUSPAGE = {
    # support.atlassian.com/statuspage/docs/enable-webhook-notifications: `meta`
    # (unsubscribe, documentation), `page` (id, status_indicator, status_description), then
    # `incident` with `incident_updates`, or `component_update` with `component`.
    "type": "object", "required": ["meta", "page"],
    "properties": {
        "meta": {"type": "object", "required": ["unsubscribe", "documentation"]},
        "page": {"type": "object", "required": ["id", "status_indicator",
                                                "status_description"]},
        "incident": {"type": "object", "required": [
            "id", "name", "status", "impact", "shortlink", "created_at", "updated_at",
            "incident_updates"],
            "properties": {"incident_updates": {"type": "array", "minItems": 1,
                                                "items": _UPDATE}}},
        "component_update": {"type": "object", "required": [
            "created_at", "new_status", "old_status", "id", "component_id"]},
        "component": {"type": "object", "required": ["created_at", "id", "name", "status"]}},
    "oneOf": [{"required": ["incident"]}, {"required": ["component_update", "component"]}]}
SCHEMAS = {"/slack": SLACK, "/teams": TEAMS, "/discord": DISCORD, "/statuspage": STATUSPAGE}


def _send_two_updates(handbook, root, tmp_path, web, smtp, **extra):  # noqa: F811
    set_notify(root, channels(web, smtp, **extra))
    prev = publish(handbook, tmp_path / "prev", at(T.format("10:30")))
    deploy(handbook, root, T.format("12:00"))
    return notify(root, prev, environ=env(web))


def test_every_payload_has_its_service_s_documented_shape(handbook, root, tmp_path,  # noqa: F811
                                                          receivers):  # noqa: F811
    web, smtp = receivers
    result = _send_two_updates(handbook, root, tmp_path, web, smtp)
    assert result.exit_code == 0, result.output
    assert sorted({r.path for r in web.received}) == sorted(SCHEMAS)
    for r in web.received:
        jsonschema.validate(r.body, SCHEMAS[r.path])
        assert r.headers["Content-Type"] == "application/json; charset=utf-8"


def test_the_slack_message_exactly(handbook, root, tmp_path, receivers):  # noqa: F811
    web, smtp = receivers
    _send_two_updates(handbook, root, tmp_path, web, smtp)
    link = f"https://status.example.com/incidents/{INCIDENT}/"
    first = web.bodies("/slack")[0]
    assert first == {
        "text": f"Identified: Search errors and slow search results {link}",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text",
                                        "text": "Identified: Search errors and slow search results"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": first["blocks"][1]["text"]["text"]}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": (
                "*Identified* · 2026-11-22 11:50 CET · Affected: Search (partial outage) · "
                f"<{link}|View on Acme Shop Status>")}]}],
        "unfurl_links": False, "unfurl_media": False}


def test_the_statuspage_payload_is_the_incident_as_of_its_update(handbook, root, tmp_path,  # noqa: F811
                                                                 receivers):  # noqa: F811
    web, smtp = receivers
    _send_two_updates(handbook, root, tmp_path, web, smtp)
    api = json.loads((root / "site/status/api/v2/incidents.json").read_text())
    inc = next(i for i in api["incidents"] if i["id"] == INCIDENT)
    first, second = web.bodies("/statuspage")
    assert first["meta"] == {"unsubscribe": "https://status.example.com", "documentation":
                             "https://support.atlassian.com/statuspage/docs/"
                             "enable-webhook-notifications/"}
    status = json.loads((root / "site/status/api/v2/summary.json").read_text())["status"]
    assert first["page"] == {"id": api["page"]["id"], "status_indicator": status["indicator"],
                             "status_description": status["description"]}
    assert (status["indicator"], status["description"]) == ("minor", "Partially Degraded Service")
    assert first["incident"]["incident_updates"] == inc["incident_updates"][1:]
    assert first["incident"]["updated_at"] == "2026-11-22T10:50:00Z"
    assert second["incident"] == inc


def test_the_e_mail_exactly(handbook, root, tmp_path, receivers):  # noqa: F811
    web, smtp = receivers
    _send_two_updates(handbook, root, tmp_path, web, smtp)
    mail = next(m for m in smtp.mails if m.recipients == ["ops@example.org"]).message
    assert mail.get_content_type() == "multipart/alternative"
    assert {k: str(mail[k]) for k in ("Subject", "From", "To", "Date", "List-Unsubscribe",
                                      "References", "Auto-Submitted")} == {
        "Subject": "[Acme Shop Status] Identified: Search errors and slow search results",
        "From": "Acme Shop Status <status@example.com>", "To": "ops@example.org",
        "Date": "Sun, 22 Nov 2026 10:50:00 +0000",
        "List-Unsubscribe": "<mailto:unsubscribe@example.com>",
        "References": f"<incident.{INCIDENT}@status.example.com>",
        "Auto-Submitted": "auto-generated"}
    text = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")  # as sent: CRLF
    body = json.loads((root / "site/status/api/v2/incidents.json").read_text())
    update = next(i for i in body["incidents"] if i["id"] == INCIDENT)["incident_updates"][1]
    assert text == (
        "Identified: Search errors and slow search results\n\nStatus: Identified\n"
        "Affected: Search (partial outage)\nPosted: 2026-11-22 11:50 CET\n\n"
        f"{update['body']}\n\nhttps://status.example.com/incidents/{INCIDENT}/\n\n-- \n"
        "You receive this because you subscribed to Acme Shop Status. Unsubscribe: "
        "mailto:unsubscribe@example.com\n")
    html = mail.get_body(("html",)).get_content()
    assert f'<a href="https://status.example.com/incidents/{INCIDENT}/">' in html
    assert [m.recipients for m in smtp.mails] == [
        ["status-announce@example.com"], ["ops@example.org"]] * 2


def test_a_503_is_retried_until_it_is_delivered(handbook, root, tmp_path, receivers):  # noqa: F811
    web, smtp = receivers
    web.replies["/slack"] = [503, 503]
    result = _send_two_updates(handbook, root, tmp_path, web, smtp)
    assert result.exit_code == 0, result.output
    assert "slack (slack): 2 sent, 0 skipped, 0 failed\n" in result.output
    slack = web.bodies("/slack")
    assert len(slack) == 4 and slack[0] == slack[1] == slack[2] != slack[3]


def test_a_channel_that_keeps_failing_fails_alone(handbook, root, tmp_path, receivers):  # noqa: F811
    web, smtp = receivers
    web.replies["/teams"] = [503] * 10
    result = _send_two_updates(handbook, root, tmp_path, web, smtp, retries=1)
    assert result.exit_code == 1
    assert ("teams (teams): 0 sent, 0 skipped, 2 failed\n"
            "  incident.updated ") in result.output
    assert ": HTTP 503 (after 2 attempts)\n" in result.output
    assert len(web.bodies("/teams")) == 4
    assert [len(web.bodies(f"/{n}")) for n in ("statuspage", "slack", "discord")] == [2, 2, 2]
    assert len(smtp.mails) == 4


def test_a_missing_secret_fails_that_channel_and_never_prints_the_url(  # noqa: F811
        handbook, root, tmp_path, receivers):  # noqa: F811
    web, smtp = receivers
    set_notify(root, channels(web, smtp))
    prev = publish(handbook, tmp_path / "prev", at(T.format("11:00")))
    deploy(handbook, root, T.format("12:00"))
    environ = env(web)
    del environ["T_DISCORD"]
    web.replies["/slack"] = [404]
    result = notify(root, prev, environ=environ)
    assert result.exit_code == 1
    assert "discord (discord): 0 sent, 0 skipped, 1 failed\n  $T_DISCORD is not set\n" in (
        result.output)
    assert ": HTTP 404 (after 1 attempt)\n" in result.output
    assert "127.0.0.1" not in result.output
    assert len(web.bodies("/statuspage")) == 1 and len(smtp.mails) == 2


def test_per_component_filters_for_channels_and_subscribers(handbook, root, tmp_path,  # noqa: F811
                                                            receivers):  # noqa: F811
    web, smtp = receivers
    conf = channels(web, smtp)
    conf["channels"][1]["components"] = ["checkout-api"]  # slack: not search
    conf["channels"][2]["components"] = ["search", "auth"]  # teams: search
    set_notify(root, conf)
    prev = publish(handbook, tmp_path / "prev", at(T.format("11:00")))
    deploy(handbook, root, T.format("12:00"))
    result = notify(root, prev, environ=env(
        web, "checkout@example.org checkout-api\nsearch@example.org search;all@example.org"))
    assert result.exit_code == 0, result.output
    assert "slack (slack): 0 sent, 1 skipped, 0 failed\n" in result.output
    assert (web.bodies("/slack"), len(web.bodies("/teams"))) == ([], 1)
    assert sorted(m.recipients[0] for m in smtp.mails) == [
        "all@example.org", "search@example.org", "status-announce@example.com"]


def test_an_unknown_component_in_a_filter_is_reported(handbook, root, tmp_path,  # noqa: F811
                                                      receivers):  # noqa: F811
    web, smtp = receivers
    conf = channels(web, smtp)
    conf["channels"][1]["components"] = ["serach"]
    set_notify(root, conf)
    prev = publish(handbook, tmp_path / "prev", at(T.format("11:00")))
    deploy(handbook, root, T.format("12:00"))
    result = notify(root, prev, environ=env(web))
    assert result.exit_code == 1
    assert ("slack (slack): 0 sent, 0 skipped, 1 failed\n  component 'serach' is not on the "
            "status page; use one of: auth, notifications, checkout-api, search, "
            "storefront-web\n") in result.output


def test_backoff_doubles_and_is_bounded():
    waits: list[float] = []
    calls = []

    def attempt():
        calls.append(1)
        raise DeliveryFailed("HTTP 503", retry=True)

    with pytest.raises(DeliveryFailed) as e:
        with_retries(attempt, retries=3, backoff=2.0, sleep=waits.append)
    assert (waits, len(calls), e.value.message) == ([2.0, 4.0, 8.0], 4,
                                                    "HTTP 503 (after 4 attempts)")


# --- nothing internal reaches any channel ----------------------------------------------

@pytest.mark.parametrize("self_check", [False, True])
def test_no_internal_field_reaches_any_channel(root, tmp_path, receivers, self_check):  # noqa: F811
    """Every internal field holds a marker; none may reach a receiver. Self-check: a
    public incident without public_title publishes its title (documented), so its marker
    must be found."""
    from test_status_privacy import Markers, poison

    web, smtp = receivers
    set_notify(root, channels(web, smtp, max_events=1000))
    hb = load_example(root)
    mark = Markers()
    poison(hb, mark)
    if self_check:
        leaky = next(i for i in hb.incidents.values() if i.public)
        leaky.public_title = None
    empty = load_example(root)
    empty.incidents.clear()
    prev = publish(empty, tmp_path / "prev", at(T.format("12:00")))
    publish(hb, root / "site/status", at(T.format("12:00")))
    result = notify(root, prev, environ=env(web))
    assert result.exit_code == 0, result.output
    public = [i for i in hb.incidents.values() if i.public]
    assert len(smtp.mails) == 2 * sum(len(i.updates) for i in public)
    received = [json.dumps(r.body) for r in web.received] + [
        m.message.as_string() for m in smtp.mails] + [result.output]
    pattern = re.compile(r"zqleak\d{4}x", re.I)
    leaks = {mark.fields[m.group(0).lower()] for text in received
             for m in pattern.finditer(text)}
    assert leaks == ({mark.fields[leaky.title.lower()]} if self_check else set())


# --- SMTP with STARTTLS and a password ----------------------------------------------------

def _certificate(tmp: Path) -> tuple[Path, Path]:
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True,
                   capture_output=True, timeout=60)
    return cert, key


def test_starttls_and_login(handbook, root, tmp_path, monkeypatch):  # noqa: F811
    import ssl

    from aiosmtpd.smtp import AuthResult

    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.login == b"status-bot")

    smtp = MailServer(tls_context=context, require_starttls=True,
                      authenticator=authenticator, auth_require_tls=True).start()
    try:
        set_notify(root, {"channels": [{
            "name": "mail", "type": "email", "sender": "status@example.com",
            "to": "status-announce@example.com", "unsubscribe": "https://example.com/u",
            "smtp": {"host": "127.0.0.1", "port": smtp.port, "security": "starttls",
                     "username_env": "T_USER", "password_env": "T_PASSWORD"}}],
            "backoff": 0})
        prev = publish(handbook, tmp_path / "prev", at(T.format("11:00")))
        deploy(handbook, root, T.format("12:00"))
        result = CliRunner().invoke(main, ["notify", "--root", str(root), "--previous",
                                           str(prev)], env={
            "T_USER": "status-bot", "T_PASSWORD": "s3cret", "SSL_CERT_FILE": str(cert)})
    finally:
        smtp.stop()
    assert result.exit_code == 0, result.output
    assert result.output.endswith("mail (email): 1 sent, 0 skipped, 0 failed\n")
    assert logins == [(b"status-bot", b"s3cret")]
    mail = smtp.mails[0].message
    assert (str(mail["List-Unsubscribe"]), str(mail["List-Unsubscribe-Post"])) == (
        "<https://example.com/u>", "List-Unsubscribe=One-Click")

