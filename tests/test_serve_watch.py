"""Issue 16 leftovers: `sevbook serve` also watches the team's postmortem template
(`templates/`) and every status page's `locale_dir` catalogues, through the plugin's
`on_serve`."""

from __future__ import annotations

from pathlib import Path

from conftest import NOW
from sevbook.handbook.build import load_mkdocs_config


class Recorder:
    """Stands in for MkDocs' LiveReloadServer: records what is watched."""

    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


def on_serve(root: Path) -> list[str]:
    config = load_mkdocs_config(root, now=NOW)
    config = config.plugins.on_config(config)  # as the first build of `sevbook serve` does
    server = config.plugins.on_serve(Recorder(), config=config, builder=lambda: None)
    return [Path(p).relative_to(root).as_posix() for p in server.watched]


def test_serve_watches_templates_and_every_page_locale_dir(example):
    (example / "templates").mkdir()
    (example / "templates" / "postmortem.md").write_text("## What happened\n")
    for folder in ("locale/nl", "catalogues/pt"):
        (example / folder).mkdir(parents=True)
    mk = example / "mkdocs.yml"
    text = mk.read_text()
    assert text.count("          site_dir: site/status-accounts\n") == 1
    mk.write_text(text.replace("          site_dir: site/status-accounts\n",
                               "          site_dir: site/status-accounts\n"
                               "          locale_dir: catalogues\n"))
    assert on_serve(example) == ["incidents", "theme", "templates", "locale", "catalogues"]


def test_missing_folders_are_not_watched(example):
    assert not (example / "templates").exists() and not (example / "locale").exists()
    assert on_serve(example) == ["incidents", "theme"]
