"""The package as a new team gets it: `python -m build` makes an sdist and, from that sdist,
a wheel; the wheel carries every file of `src/sevbook/`; installed into a fresh venv it runs
`sevbook init`, `check --strict` and `build` in a folder with no source tree.

About a minute (the build fetches setuptools into an isolated environment). Run it alone:
`python -m pytest -m package`; `.ci/run` runs it as a step of its own.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import NOW_ARG, REPO
from sevbook import __version__

pytestmark = pytest.mark.package

WHEEL = f"sevbook-{__version__}-py3-none-any.whl"
SDIST = f"sevbook-{__version__}.tar.gz"


def clean_env() -> dict[str, str]:
    """The environment without anything that points Python at a source tree."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=clean_env(), text=True,
                          capture_output=True, timeout=600)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    res = run(sys.executable, "-m", "build", "--outdir", out, REPO, cwd=REPO)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def venv(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed. It sees this interpreter's site-packages for
    the dependencies (fast, offline); sevbook itself must come from the wheel."""
    env = tmp_path_factory.mktemp("venv") / "env"
    res = run(sys.executable, "-m", "venv", "--system-site-packages", env, cwd=env.parent)
    assert res.returncode == 0, res.stderr
    if sys.prefix != sys.base_prefix:
        # This interpreter is itself a venv: --system-site-packages reaches the base
        # interpreter's packages, not the ones installed here. List them by path (a path
        # line runs none of their .pth files, so an editable sevbook stays out).
        purelib = run(env / "bin" / "python", "-c",
                      "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                      cwd=env.parent).stdout.strip()
        outer = sorted({sysconfig.get_paths()[k] for k in ("purelib", "platlib")})
        (Path(purelib) / "_outer_env.pth").write_text("".join(f"{p}\n" for p in outer))
    res = run(env / "bin" / "python", "-m", "pip", "install", "-q", "--no-deps", "--no-index",
              dist / WHEEL, cwd=env.parent)
    assert res.returncode == 0, res.stdout + res.stderr
    return env


def source_files() -> list[str]:
    """Every file of the package in the source tree (tracked by git when there is one)."""
    res = subprocess.run(["git", "-C", str(REPO), "ls-files", "src/sevbook"],
                         capture_output=True, text=True)
    if res.returncode == 0 and res.stdout:
        names = res.stdout.split()
    else:
        names = [p.relative_to(REPO).as_posix() for p in (REPO / "src/sevbook").rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts]
    return sorted(n.removeprefix("src/") for n in names if (REPO / n).is_file())


def test_build_makes_an_sdist_and_a_wheel(dist: Path) -> None:
    assert sorted(p.name for p in dist.iterdir()) == sorted([SDIST, WHEEL])


def test_the_wheel_carries_every_file_of_the_package(dist: Path) -> None:
    """Templates, CSS, assets, the scaffold (with its `gitignore`) and the handbook's
    overrides: a file missing from package-data only shows up on a team's machine."""
    names = zipfile.ZipFile(dist / WHEEL).namelist()
    packaged = sorted(n for n in names if n.startswith("sevbook/"))
    assert packaged == source_files()
    for needed in ("sevbook/handbook/overrides/main.html", "sevbook/scaffold/handbook/gitignore",
                   "sevbook/scaffold/workflows/publish.yml",
                   "sevbook/templates/status/index.html"):
        assert needed in names
    meta = zipfile.ZipFile(dist / WHEEL).read(
        f"sevbook-{__version__}.dist-info/METADATA").decode()
    assert "Requires-Python: >=3.11\n" in meta
    assert "License-Expression: MIT\n" in meta


def test_the_sdist_and_the_wheel_carry_the_license(dist: Path) -> None:
    """MIT, as the metadata declares: the LICENSE file itself travels with both."""
    text = (REPO / "LICENSE").read_bytes()
    assert text.startswith(b"MIT License\n\nCopyright (c) 2026 sevbook contributors\n")
    wheel = zipfile.ZipFile(dist / WHEEL)
    info = f"sevbook-{__version__}.dist-info"
    assert sorted(n for n in wheel.namelist() if n.startswith(f"{info}/licenses/")) == [
        f"{info}/licenses/LICENSE"]
    assert wheel.read(f"{info}/licenses/LICENSE") == text
    meta = wheel.read(f"{info}/METADATA").decode()
    assert [ln for ln in meta.splitlines() if ln.startswith("License")] == [
        "License-Expression: MIT", "License-File: LICENSE"]
    with tarfile.open(dist / SDIST) as sdist:
        member = sdist.extractfile(f"sevbook-{__version__}/LICENSE")
        assert member is not None
        assert member.read() == text


def test_the_venv_runs_the_wheel_not_the_source_tree(venv: Path, tmp_path: Path) -> None:
    res = run(venv / "bin" / "python", "-c", "import sevbook; print(sevbook.__file__)",
              cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert Path(res.stdout.strip()).is_relative_to(venv), res.stdout
    res = run(venv / "bin" / "sevbook", "--version", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip().endswith(__version__)


def test_a_new_team_starts_from_the_installed_wheel(venv: Path, tmp_path: Path) -> None:
    """init, check --strict, a first incident and build, as the team README says."""
    sevbook = venv / "bin" / "sevbook"
    res = run(sevbook, "init", "acme-handbook", "--now", NOW_ARG, cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    team = tmp_path / "acme-handbook"
    workflow = (team / ".github" / "workflows" / "ci.yml").read_text()
    assert f'python -m pip install "sevbook=={__version__}"\n' in workflow
    res = run(sevbook, "check", "--strict", "--now", NOW_ARG, cwd=team)
    assert (res.returncode, res.stdout) == (0, "0 errors, 0 warnings in 7 files\n"), res.stderr
    res = run(sevbook, "new", "incident", "Website down for everyone", "--severity", "SEV1",
              "--service", "website", "--at", NOW_ARG, "--now", NOW_ARG, cwd=team)
    assert res.returncode == 0, res.stdout + res.stderr
    res = run(sevbook, "build", "--now", NOW_ARG, cwd=team)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Website" in (team / "site" / "status" / "index.html").read_text()
    page = (team / "site" / "handbook" / "index.html").read_text()
    # The open-incident banner comes from the package's handbook/overrides/main.html.
    found = re.search(r'<span class="sb-announce">\s*(.*?)\s*</span>', page, re.S)
    assert found is not None
    assert " ".join(found.group(1).split()) == (
        '<strong>1 open incident:</strong> <a href="incidents/2026-11-22-website-down-for-'
        'everyone/">SEV1 · Website down for everyone</a>')
