"""Public ids cannot be reversed to internal file names (issue 10 item 3), stay stable,
honour `public_id:`, and stay as they were in a repository without an id key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOW, NOW_ARG, REPO
from sevbook.cli import main
from sevbook.status.checks import REVERSIBLE, status_problems
from sevbook.status.ids import KEY_FILE, PublicIds, opaque_id, read_key
from sevbook.status.public import public_view
from status_support import build, example_root, load_example, load_unchecked, site_files

WORDS = ("db pool exhaustion login certificate expired search errors after node loss "
         "checkout payments auth cache failover stale replica credential stuffing attack "
         "card provider timeouts order emails delayed mobile network lockouts").split()


def mac_id(key: bytes, text: str) -> str:
    """The documented scheme, computed independently of sevbook."""
    return base64.b32encode(hmac.new(key, text.encode(), hashlib.sha256).digest()[:10]
                            ).decode()[:12].lower()


def published_ids(site: Path) -> tuple[set[str], set[str]]:
    """(incident ids, update ids) as the site publishes them."""
    incidents = {p.name for p in (site / "incidents").iterdir()}
    doc = json.loads((site / "api/v2/incidents.json").read_text())
    doc2 = json.loads((site / "api/v2/scheduled-maintenances.json").read_text())
    updates = {u["id"] for i in doc["incidents"] + doc2["scheduled_maintenances"]
               for u in i["incident_updates"]}
    return incidents, updates


def legacy_candidates(hb) -> tuple[set[str], set[str]]:
    """A dictionary attack with the old unsalted scheme, given every real file name and
    update (more than an attacker has) plus names made of a word list."""
    names = set(hb.incidents)
    names |= {f"{i.id[:10]}-{a}-{b}" for i in hb.incidents.values()
              for a in WORDS for b in WORDS}
    incidents = {opaque_id("incident", n) for n in names}
    updates = {opaque_id("update", f"{i.id}@{u.at.isoformat()}@{u.status}")
               for i in hb.incidents.values() for u in i.updates}
    return incidents, updates


def test_with_a_key_a_dictionary_attack_recovers_nothing():
    hb = load_example(example_root())
    assert (example_root() / KEY_FILE).is_file()
    incidents, updates = published_ids(build(hb))
    guessed_incidents, guessed_updates = legacy_candidates(hb)
    assert len(incidents) == len([i for i in hb.incidents.values() if i.public]) == 13
    assert (incidents & guessed_incidents, updates & guessed_updates) == (set(), set())


def test_keyed_ids_are_the_documented_hmacs():
    hb = load_example(example_root())
    key = (REPO / KEY_FILE).read_text().strip().encode()
    view = public_view(hb, NOW)
    by_name = {i.public_title: i for i in hb.incidents.values() if i.public}
    for pi in view.incidents:
        src = by_name[pi.name]
        assert pi.id == mac_id(key, f"incident:{src.id}")
        assert [u.id for u in pi.updates] == [mac_id(key, f"update:{pi.id}:{n}")
                                              for n in range(len(pi.updates))]


def test_ids_are_stable_across_builds_and_copies(tmp_path):
    from conftest import copy_example

    other = copy_example(tmp_path / "elsewhere")
    a = published_ids(build(load_example(example_root())))
    b = published_ids(build(load_example(other)))
    assert a == b


def test_public_id_is_the_public_id(example):
    path = example / "incidents" / "2026-11-22-search-errors-after-node-loss.md"
    text = path.read_text()
    path.write_text(text.replace("public: true\n", "public: true\npublic_id: p31zjtct2jer\n", 1))
    hb = load_example(example)
    site = build(hb)
    page = site / "incidents" / "p31zjtct2jer" / "index.html"
    assert page.is_file()
    key = (example / KEY_FILE).read_text().strip().encode()
    inc = public_view(hb, NOW).incident_by_id["p31zjtct2jer"]
    assert [u.id for u in inc.updates] == [mac_id(key, f"update:p31zjtct2jer:{n}")
                                           for n in range(len(inc.updates))]


@pytest.mark.parametrize("value", ["ab", "Has-Caps-123", "-leading-dash", "a" * 81])
def test_a_bad_public_id_is_a_located_error(example, value):
    path = example / "incidents" / "2026-11-22-search-errors-after-node-loss.md"
    text = path.read_text()
    path.write_text(text.replace("public: true\n", f"public: true\npublic_id: {value}\n", 1))
    line = path.read_text().splitlines().index(f"public_id: {value}") + 1
    res = CliRunner().invoke(main, ["check", "--root", str(example), "--now", NOW_ARG])
    assert res.exit_code == 1
    assert res.output == (
        f"incidents/2026-11-22-search-errors-after-node-loss.md:{line}: error: [bad-value] "
        f"public_id: {value!r} is not a public id; use 6 to 80 lowercase letters, digits and "
        "dashes, like p31zjtct2jer\n1 error, 0 warnings in 43 files\n")


def test_two_incidents_with_one_public_id_are_refused(example):
    from sevbook.errors import ContentError

    for name in ("2026-11-22-search-errors-after-node-loss.md",
                 "2026-01-14-login-certificate-expired.md"):
        path = example / "incidents" / name
        path.write_text(path.read_text().replace("public: true\n",
                                                 "public: true\npublic_id: same-id\n", 1))
    hb = load_unchecked(example)
    expected = ["incidents/2026-11-22-search-errors-after-node-loss.md: error: "
                "[duplicate-public-id] public_id: the public id 'same-id' is also the id of "
                "incidents/2026-01-14-login-certificate-expired.md; give each incident a "
                "public_id of its own"]
    assert [d.text() for d in status_problems(hb)] == expected
    with pytest.raises(ContentError) as e:
        public_view(hb, NOW)
    assert [d.text() for d in e.value.diagnostics] == expected


# --- without a key: today's ids, and a warning ------------------------------------------

@pytest.fixture
def keyless(example: Path) -> Path:
    shutil.rmtree(example / ".sevbook")
    return example


def test_without_a_key_ids_are_the_old_unsalted_ones(keyless):
    hb = load_example(keyless)
    view = public_view(hb, NOW)
    by_name = {i.public_title: i for i in hb.incidents.values() if i.public}
    for pi in view.incidents:
        src = by_name[pi.name]
        assert pi.id == opaque_id("incident", src.id)
        assert [u.id for u in pi.updates] == [
            opaque_id("update", f"{src.id}@{u.at.isoformat()}@{u.status}")
            for u in src.updates if u.at <= NOW]


def test_without_a_key_check_warns_once(keyless):
    assert [d.text() for d in status_problems(load_example(keyless))] == [
        f"mkdocs.yml: warning: [reversible-ids] {REVERSIBLE}"]


def test_the_migration_keeps_published_incident_links(keyless):
    """Pin every published id (as `python -m sevbook.status.pin` prints them), then add a
    key: the incident pages stay where they were, and the warning is gone."""
    before, _ = published_ids(build(load_example(keyless)))
    res = subprocess.run(["python", "-m", "sevbook.status.pin", str(keyless)],
                         capture_output=True, text=True, check=True)
    pins = [line.split(": public_id: ") for line in res.stdout.splitlines()]
    assert len(pins) == len(before) == 13
    for file, pid in pins:
        path = keyless / file
        path.write_text(path.read_text().replace("public: true\n",
                                                 f"public: true\npublic_id: {pid}\n", 1))
    (keyless / ".sevbook").mkdir()
    (keyless / KEY_FILE).write_text("0123456789abcdef" * 4 + "\n")
    hb = load_example(keyless)
    assert published_ids(build(hb))[0] == before
    assert status_problems(hb) == []


@pytest.mark.parametrize("content, why", [
    ("short\n", "does not hold a usable key"),
    ("", "does not hold a usable key"),
    ("x" * 40 + " with spaces\n", "does not hold a usable key"),
])
def test_a_bad_key_file_is_an_error(example, content, why):
    (example / KEY_FILE).write_text(content)
    problems = status_problems(load_unchecked(example))
    assert [(d.file, d.severity, d.code) for d in problems] == [(KEY_FILE, "error", "bad-id-key")]
    assert problems[0].message.startswith(f"{why}; it must be a regular file")


def test_a_symlinked_key_file_is_refused(example, tmp_path):
    (tmp_path / "key").write_text("0123456789abcdef" * 4)
    (example / KEY_FILE).unlink()
    (example / KEY_FILE).symlink_to(tmp_path / "key")
    assert read_key(example)[1][0].message.startswith("is a symbolic link; it must be")


def test_the_key_is_never_published():
    key = (example_root() / KEY_FILE).read_text().strip()
    site = build(load_example(example_root()))
    assert [p for p in site_files(site) if key in p.read_text(errors="replace")] == []


def test_init_writes_a_fresh_key(tmp_path):
    for name in ("a", "b"):
        res = CliRunner().invoke(main, ["init", str(tmp_path / name), "--now", NOW_ARG])
        assert res.exit_code == 0, res.output
    a, b = ((tmp_path / n / KEY_FILE).read_text() for n in "ab")
    assert len(a) == 65 and a.endswith("\n") and int(a, 16) >= 0
    assert a != b
    assert PublicIds.of(tmp_path / "a").keyed


def test_diff_compares_with_the_base_s_ids(example):
    """`sevbook diff` takes the base's key along: an unchanged repository shows nothing."""
    env = ["-c", "user.name=t", "-c", "user.email=t@e", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(["git", *env, "-C", str(example), *args], check=True)
    res = CliRunner().invoke(main, ["diff", "HEAD", "--format", "json", "--root", str(example),
                                    "--now", NOW_ARG])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert (doc["components"], doc["incidents"]) == ([], [])


# --- component ids: `status_page.public_id` (issue 12: imports keep Statuspage's ids) -----

def _set_component_id(example: Path, service: str, value: str) -> Path:
    path = example / "content" / "services" / f"{service}.md"
    path.write_text(path.read_text().replace("status_page:\n",
                                             f"status_page:\n  public_id: {value}\n", 1))
    return path


def _api_component_refs(site: Path) -> tuple[list[str], list[str], list[str]]:
    """(components.json ids, incidents' component ids, affected_components codes)."""
    api = site / "api" / "v2"
    comps = [c["id"] for c in json.loads((api / "components.json").read_text())["components"]
             if not c["group"]]
    incs = json.loads((api / "incidents.json").read_text())["incidents"]
    incs += json.loads((api / "scheduled-maintenances.json").read_text())[
        "scheduled_maintenances"]
    named = sorted(c["id"] for i in incs for c in i["components"])
    codes = sorted(a["code"] for i in incs for u in i["incident_updates"]
                   for a in u["affected_components"] or [])
    return comps, named, codes


def test_a_component_public_id_is_its_id_everywhere(example):
    before = _api_component_refs(build(load_example(example)))
    _set_component_id(example, "checkout-api", "ftgks51sfj8c")
    site = build(load_example(example))
    after = _api_component_refs(site)

    def renamed(ids: list[str]) -> list[str]:
        return sorted("ftgks51sfj8c" if i == "checkout-api" else i for i in ids)

    assert "checkout-api" in before[0]
    assert after == ([("ftgks51sfj8c" if i == "checkout-api" else i) for i in before[0]],
                     renamed(before[1]), renamed(before[2]))
    assert (site / "components" / "ftgks51sfj8c" / "index.html").is_file()
    assert (site / "components" / "ftgks51sfj8c" / "badge.svg").is_file()
    assert (site / "components" / "ftgks51sfj8c" / "history.atom").is_file()
    assert not (site / "components" / "checkout-api").exists()
    assert "components/checkout-api/" not in "".join(
        p.read_text() for p in site_files(site) if p.suffix in (".html", ".json", ".atom",
                                                                 ".rss", ".ics"))


def test_two_components_with_one_public_id_are_refused(example):
    from sevbook.errors import ContentError

    _set_component_id(example, "auth", "search-box")
    path = _set_component_id(example, "search", "search-box")
    line = path.read_text().splitlines().index("  public_id: search-box") + 1
    hb = load_unchecked(example)
    expected = ("content/services/search.md: error: [duplicate-public-id] "
                "status_page.public_id: the public id 'search-box' is also the id of "
                "content/services/auth.md; give each component a status_page.public_id "
                "of its own")
    assert [d.text() for d in status_problems(hb)] == [expected]
    with pytest.raises(ContentError) as e:
        public_view(hb, NOW)
    assert [d.text() for d in e.value.diagnostics] == [expected]
    res = CliRunner().invoke(main, ["check", "--root", str(example), "--now", NOW_ARG])
    assert res.exit_code == 1
    assert res.output == (expected.replace("search.md:", f"search.md:{line}:", 1)
                          + "\n1 error, 0 warnings in 43 files\n")


def test_a_component_public_id_may_not_take_another_components_service_id(example):
    _set_component_id(example, "auth", "search")
    assert [d.text() for d in status_problems(load_unchecked(example))] == [
        "content/services/search.md: error: [duplicate-public-id] status_page.public_id: "
        "the public id 'search' is also the id of content/services/auth.md; give each "
        "component a status_page.public_id of its own"]
