"""The imported pages whose built `api/v2/` is kept as golden files
(tests/golden/imported/<page>/api/v2/): each real capture imported into a fresh `sevbook
init` repository with a fixed id key, built with `--now` at the capture time. Shared by
tests/test_import_golden.py (which compares) and tests/regen_golden.py (which writes)."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from sevbook.cli import main
from sevbook.init import init
from sevbook.status.ids import KEY_FILE

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data"
GOLDEN = TESTS / "golden" / "imported"
FIXED_KEY = "0123456789abcdef" * 4 + "\n"
"""The id key of every golden repository (update ids are keyed; a fresh `init` key is random)."""

PAGES: dict[str, tuple[str, Path, str]] = {
    "github-2022-11-25": ("statuspage", DATA / "statuspage" / "github-2022-11-25",
                          "2022-11-25T15:50:05.892Z"),
    "emma-2019-02-21": ("statuspage", DATA / "statuspage" / "emma-2019-02-21",
                        "2019-02-21T14:31:24.239Z"),
    "renku-2021-10-28": ("statuspage", DATA / "statuspage" / "renku-2021-10-28",
                         "2021-10-28T11:39:27.351Z"),
    "claude-2026-02-04": ("statuspage", DATA / "statuspage" / "claude-2026-02-04",
                          "2026-02-04T17:06:00Z"),
    "cstate-example": ("cstate", DATA / "cstate" / "example", "2019-10-05T16:58:00Z"),
}
"""page → (importer, capture, the capture time given as --now)."""


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    if result.exit_code != 0:
        raise RuntimeError(f"sevbook {' '.join(args)} failed:\n{result.output}")
    return result.output


def build_imported(page: str, tmp: Path) -> Path:
    """Import `page` into a fresh repository under `tmp`, build its status page; the
    built `api/v2` folder."""
    importer, capture, now = PAGES[page]
    repo = tmp / page
    init(repo, "Acme", datetime(2026, 1, 1, tzinfo=UTC), url="https://status.example.com/")
    (repo / KEY_FILE).write_text(FIXED_KEY)
    _run("import", importer, "--root", str(repo), str(capture))
    _run("build", "--no-handbook", "--root", str(repo), "--now", now)
    return repo / "site" / "status" / "api" / "v2"


def api_files(api: Path) -> dict[str, bytes]:
    """Every file under an `api/v2` folder, by its path relative to it."""
    return {p.relative_to(api).as_posix(): p.read_bytes()
            for p in sorted(api.rglob("*")) if p.is_file()}


def regen(page: str) -> list[Path]:
    """Rewrite tests/golden/imported/<page>/api/v2/ from a fresh build; the files written."""
    tmp = Path(tempfile.mkdtemp(prefix="sevbook-golden-"))
    try:
        files = api_files(build_imported(page, tmp))
        dest = GOLDEN / page / "api" / "v2"
        if dest.exists():
            shutil.rmtree(dest)
        written = []
        for rel, data in files.items():
            path = dest / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written.append(path)
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
