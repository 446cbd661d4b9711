"""GitHub's captured status page (tests/data/statuspage/github-2022-11-25/summary.json)
imported and built, shown in Chromium next to the original: a small local page lists the
capture's headline, components, order and statuses in one column and frames the built
status page in the other. The built page's DOM must name the same components in the same
order, with the same statuses and headline.

Screenshot: docs/screenshots/import-github-side-by-side.png with SEVBOOK_SCREENSHOTS=1.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import screenshot_dir
from conftest import served as serve_folder
from sevbook.cli import main
from sevbook.init import init
from sevbook.model.vocab import ComponentStatus

CAPTURE = Path(__file__).parent / "data" / "statuspage" / "github-2022-11-25"
NOW = "2022-11-25T15:50:05.892Z"
SHOTS = screenshot_dir()

pytestmark = pytest.mark.browser


def _run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output


def build(tmp: Path) -> Path:
    """The capture imported into a fresh repository without `sevbook init`'s own example
    service, so the page holds GitHub's components only; the built status page."""
    repo = tmp / "repo"
    init(repo, "GitHub", datetime(2022, 1, 1, tzinfo=UTC), url="https://status.example.com/")
    for own in ("content/services/website.md", "content/runbooks/website-down.md"):
        (repo / own).unlink()
    _run("import", "statuspage", "--root", str(repo), str(CAPTURE))
    _run("build", "--no-handbook", "--root", str(repo), "--now", NOW)
    return repo / "site" / "status"


def original(summary: dict) -> tuple[str, list[tuple[str, str]]]:
    """The capture's headline and its (name, status) components in Statuspage's order."""
    comps = sorted((c for c in summary["components"] if not c.get("group")),
                   key=lambda c: c["position"])
    return summary["status"]["description"], [(c["name"], c["status"]) for c in comps]


def compare_page(summary: dict) -> str:
    headline, comps = original(summary)
    rows = "".join(
        f'<li><span class="n">{html.escape(n)}</span>'
        f'<span class="s s-{s}">{html.escape(ComponentStatus(s).label)}</span></li>'
        for n, s in comps)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>GitHub: captured vs imported</title><style>
body {{ margin: 0; font: 14px/1.4 system-ui, sans-serif; display: flex; height: 100vh; }}
.orig {{ width: 380px; padding: 16px 20px; box-sizing: border-box; background: #f6f8fa;
        border-right: 2px solid #d0d7de; overflow: hidden; }}
h1 {{ font-size: 15px; margin: 0 0 4px; }} .src {{ color: #57606a; margin: 0 0 12px; }}
.head {{ padding: 10px 12px; border-radius: 6px; color: #fff; background: #9a6700;
        font-weight: 700; margin-bottom: 12px; }}
ol {{ margin: 0; padding-left: 22px; }} li {{ padding: 5px 0; border-bottom: 1px solid #d8dee4; }}
.n {{ display: block; font-weight: 600; }} .s {{ color: #1a7f37; }}
.s-partial_outage, .s-degraded_performance {{ color: #9a6700; }} .s-major_outage {{ color: #cf222e; }}
iframe {{ flex: 1; border: 0; height: 100%; }}
</style></head><body>
<section class="orig" aria-label="Original">
<h1>Original: www.githubstatus.com</h1>
<p class="src">summary.json captured 2022-11-25 15:50 UTC (Statuspage)</p>
<div class="head" id="orig-headline">{html.escape(headline)}</div>
<ol id="orig-components">{rows}</ol></section>
<iframe title="Imported into sevbook" src="status/index.html"></iframe>
</body></html>"""


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, dict]]:
    tmp = tmp_path_factory.mktemp("side-by-side")
    site = build(tmp)
    root = tmp / "www"
    root.mkdir()
    site.rename(root / "status")
    summary = json.loads((CAPTURE / "summary.json").read_text())
    (root / "compare.html").write_text(compare_page(summary), encoding="utf-8")
    with serve_folder(root) as url:
        yield url, summary


def test_built_page_shows_the_captured_components_in_order(browser, served):
    base, summary = served
    headline, comps = original(summary)
    page = browser.new_page(viewport={"width": 1600, "height": 1400})
    page.goto(base + "compare.html")
    frame = page.frame_locator("iframe")
    built = frame.locator(".comp .ch")
    assert built.locator("h4").all_inner_texts() == [n for n, _ in comps]
    classes = built.locator(".st").evaluate_all("els => els.map(e => e.className)")
    assert classes == [f"st s-{s}" for _, s in comps]
    assert frame.locator("h1#overall").inner_text() == headline == "Minor Service Outage"
    assert page.locator("#orig-components .n").all_inner_texts() == [n for n, _ in comps]
    assert len(comps) == 11
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "import-github-side-by-side.png"))
    page.close()
