"""Restricted incidents in the generated handbook pages (issue 11): the stub model, the stub
page, the full page of the restricted build and the warnings about a restricted file."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from conftest import NOW, REPO
from sevbook.cli import main
from sevbook.config import load_settings
from sevbook.diagnostics import Diagnostic
from sevbook.handbook import audience, serve
from sevbook.handbook.context import Context
from sevbook.handbook.generate import generate, structured_prose
from sevbook.load import load
from sevbook.model import Incident
from sevbook.rules import check

ID = "2026-03-18-credential-stuffing-attack"
PAGE = f"incidents/{ID}.md"
TITLE = "Credential stuffing attack against customer accounts - 212 accounts accessed"


@pytest.fixture(scope="module")
def example():
    result = load(REPO)
    return result.handbook, check(result, NOW)


@pytest.fixture(scope="module")
def pages(example) -> dict[str, str]:
    hb, diags = example
    return generate(hb, NOW, diags, structured_prose(hb))


@pytest.fixture(scope="module")
def full_pages(example) -> dict[str, str]:
    hb, diags = example
    return generate(hb, NOW, diags, structured_prose(hb), restricted=True)


def test_every_incident_field_is_kept_rewritten_or_dropped_by_the_stub():
    """A new field of Incident must be classified here before a stub can carry it."""
    groups = [audience.KEPT, audience.REWRITTEN, audience.DROPPED]
    assert sorted(set().union(*groups)) == sorted(Incident.model_fields)
    assert sum(len(g) for g in groups) == len(Incident.model_fields)


def test_the_example_incident_is_restricted(example):
    hb, _ = example
    assert [i.id for i in hb.incidents.values() if i.restricted] == [ID]


def test_the_stub_keeps_what_metrics_read_and_no_words(example):
    hb, _ = example
    inc = hb.incidents[ID]
    st = audience.stub(inc)
    assert (st.id, st.path, st.body, st.title) == (inc.id, inc.path, "", "Restricted incident")
    for name in audience.KEPT:
        assert getattr(st, name) == getattr(inc, name)
    assert st.timeline == [] and st.accepted == [] and st.labels == [] and st.fields == {}
    assert [(a.title, a.owner, a.due, a.status, a.type, a.done_at, a.link)
            for a in st.action_items] == [
        ("Restricted action item", a.owner, a.due, a.status, a.type, a.done_at, None)
        for a in inc.action_items]
    assert (st.postmortem.status, st.postmortem.owner, st.postmortem.published_at,
            st.postmortem.public_summary) == (inc.postmortem.status, inc.postmortem.owner,
                                              inc.postmortem.published_at, None)
    assert st.status == inc.status


def test_without_restricted_incidents_the_context_sees_the_same_objects(example):
    hb, diags = example
    plain = hb.__class__(**{**hb.__dict__, "incidents": {
        k: v for k, v in hb.incidents.items() if not v.restricted}})
    ctx = Context(plain, NOW, diags)
    assert ctx.handbook is plain and ctx.diagnostics is diags


def test_the_stub_page_of_the_example(pages):
    assert pages[PAGE] == (
        "# Restricted incident\n"
        "\n"
        '[<span class="sb-badge sb-sev sb-sev2">SEV2</span>](../severity.md#sev2) '
        '<span class="sb-badge sb-ok">resolved</span> '
        '<span class="sb-badge sb-restricted">restricted</span>\n'
        "\n"
        f"- **Id:** `{ID}`\n"
        '- **Severity:** [<span class="sb-badge sb-sev sb-sev2">SEV2</span>]'
        "(../severity.md#sev2) — Major\n"
        "- **Started:** 2026-03-18 02:12 CET\n"
        "- **Resolved:** 2026-03-18 10:30 CET\n"
        "- **Incident Commander:** Farid Haddad\n"
        "- **Scribe:** Elena Rossi\n"
        "- **Subject-Matter Expert:** Lena Fischer\n"
        "- **Executive Sponsor:** Marco Silva\n"
        "- **Support Lead:** Ines Duarte\n"
        "- **Postmortem owner:** Farid Haddad\n"
        "\n"
        '!!! warning "Restricted incident"\n'
        "\n"
        "    This incident is kept to its responders. Its title, summary, timeline, updates, "
        "postmortem, action items, links, labels and custom fields are not in this handbook "
        "and not in its search. Responders read it in the restricted handbook: `sevbook build "
        "--restricted` builds it into `site/handbook-restricted/` (or `sevbook serve "
        "--restricted` previews it) from the same repository; never publish that folder. "
        "Otherwise ask the people listed here.\n")


def test_no_generated_page_has_the_title(pages):
    assert [p for p, text in pages.items() if "212 accounts" in text
            or "Credential stuffing attack" in text] == []


def test_the_index_row_is_a_stub_with_its_badge(pages):
    rows = [line for line in pages["incidents/index.md"].splitlines() if ID in line]
    assert len(rows) == 1
    assert (f"[Restricted incident]({ID}.md) "
            '<span class="sb-badge sb-restricted">restricted</span> |') in rows[0]


def test_the_restricted_build_has_the_full_page_with_a_notice(full_pages):
    page = full_pages[PAGE]
    assert page.startswith(f"# {TITLE}\n")
    assert ('<span class="sb-badge sb-private">private</span> '
            '<span class="sb-badge sb-restricted">restricted</span>\n') in page
    assert ('!!! danger "Restricted incident"\n\n    Kept to its responders: the handbook '
            "everyone reads shows only a stub (id, severity, times, status, people). This "
            "page is part of the restricted build; do not publish it.\n") in page
    assert "## Internal timeline" in page and "## Root cause" in page
    assert "Offer optional two-factor sign-in to customers" in full_pages["action-items.md"]


def test_pages_other_than_the_restricted_ones_are_the_same_for_both_audiences(pages,
                                                                              full_pages):
    differ = sorted(p for p in pages if pages[p] != full_pages[p])
    assert differ == ["action-items.md", PAGE, "incidents/index.md", "postmortems.md",
                      "runbooks/credential-stuffing.md", "runbooks/login-errors.md",
                      "services/auth.md"]


def test_warnings_about_a_restricted_file_keep_where_but_not_what(example):
    hb, _ = example
    mine = Diagnostic(f"incidents/{ID}.md", 40, "action_items[4].due", "warning",
                      "action-item-overdue", "action item 'Offer optional two-factor' ...")
    other = Diagnostic("incidents/2026-11-22-search-errors-after-node-loss.md", 3, "x",
                       "warning", "no-monitoring", "kept as it is")
    _, diags = audience.for_everyone(hb, [mine, other])
    assert diags == [Diagnostic(mine.file, 40, "action_items[4].due", "warning",
                                "action-item-overdue", audience.STUB_MESSAGE), other]


def test_restricted_dir_setting_default():
    settings = load_settings(REPO)
    assert settings.restricted_dir == "site/handbook-restricted"
    assert settings.restricted_site == REPO / "site" / "handbook-restricted"


def test_serve_restricted_prepares_the_plugin_for_the_restricted_audience(monkeypatch):
    seen: dict = {}
    monkeypatch.setattr(serve, "serve", lambda root, **kw: seen.update(kw))
    res = CliRunner().invoke(main, ["serve", "--restricted", "--root", str(REPO)])
    assert (res.exit_code, seen["restricted"]) == (0, True)
    for restricted in (True, False):
        preview = serve.Preview(REPO, "127.0.0.1", 8000, NOW, False, restricted=restricted)
        try:
            assert preview.config().plugins["sevbook"].restricted is restricted
        finally:
            shutil.rmtree(preview.site_dir, ignore_errors=True)
