"""One postmortem structure (issue 11): `sevbook new incident`, the templates page and the
repository's own `templates/postmortem.md` share the sections of `model.postmortem`, and
the statuses they name are `PostmortemStatus`'s."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import NOW, NOW_ARG
from sevbook.cli import main
from sevbook.errors import SevbookError
from sevbook.handbook.generate import generate, structured_prose
from sevbook.load import load
from sevbook.model import postmortem
from sevbook.rules import check

HEADINGS = ["Summary", "Impact", "Timeline", "Detection", "Root cause",
            "Contributing factors", "What went well", "What went badly",
            "Where we got lucky", "Lessons", "Action items"]

OWN = "## What happened\n\n## What we learned\n\n<!-- one line each -->\n"


def _new(root: Path) -> str:
    res = CliRunner().invoke(main, ["new", "incident", "Checkout slow", "--severity", "SEV2",
                                    "--root", str(root), "--now", NOW_ARG])
    assert res.exit_code == 0, res.output
    return Path(res.output.strip()).read_text(encoding="utf-8")


def _templates_page(root: Path) -> str:
    result = load(root)
    pages = generate(result.handbook, NOW, check(result, NOW),
                     structured_prose(result.handbook))
    return pages["templates.md"]


def _headings(text: str) -> list[str]:
    return [line[3:] for line in text.splitlines() if line.startswith("## ")]


def test_the_sections_are_the_issue_s_list():
    assert [s.heading for s in postmortem.SECTIONS] == HEADINGS


def test_new_incident_writes_the_sections(example):
    body = _new(example).split("\n---\n", 1)[1]
    assert _headings(body) == HEADINGS


def test_new_incident_names_every_postmortem_status(example):
    assert ("  status: none    # SEV2: postmortem required, due 7d after resolution; none, "
            "draft, in_review, reviewed, published, closed\n") in _new(example)


def test_templates_page_shows_the_same_sections_and_statuses(example):
    page = _templates_page(example)
    skeleton = page.split("``` markdown\n", 1)[1].split("\n```\n", 1)[0]
    assert _headings(skeleton) == HEADINGS
    assert "  status: draft            # none | draft | in_review | reviewed | published | " \
           "closed\n" in skeleton
    assert "in_review -> published" not in page
    assert ("These are the built-in sections; `sevbook new incident` writes the same ones. "
            "Put your own in `templates/postmortem.md` (next to mkdocs.yml) to replace them. "
            "Statuses: `none`, `draft`, `in_review`, `reviewed`, `published`, `closed`.\n"
            ) in page


def test_a_repository_template_replaces_the_sections_everywhere(example):
    (example / "templates").mkdir()
    (example / "templates" / "postmortem.md").write_text(OWN, encoding="utf-8")
    written = _new(example)
    assert written.endswith("may. -->\n\n" + OWN)
    page = _templates_page(example)
    assert ("action_items:\n  - {title: <action>, owner: <team>, due: YYYY-MM-DD, status: "
            "open, type: prevent}\n---\n\n" + OWN + "```\n") in page
    assert ("The sections come from this repository's `templates/postmortem.md`; "
            "`sevbook new incident` writes the same ones.") in page


def test_a_template_with_frontmatter_is_refused(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "postmortem.md").write_text("---\na: 1\n---\n## X\n")
    with pytest.raises(SevbookError) as e:
        postmortem.body(tmp_path)
    assert str(e.value) == ("templates/postmortem.md:1: holds the postmortem's body only "
                            "(its headings); remove the frontmatter block, sevbook writes the "
                            "incident's keys")


def test_a_template_through_a_symlink_is_refused(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "secret.md").write_text("## Secret\n")
    (tmp_path / "templates" / "postmortem.md").symlink_to(tmp_path / "secret.md")
    with pytest.raises(SevbookError) as e:
        postmortem.body(tmp_path)
    assert str(e.value) == ("templates/postmortem.md: goes through the symbolic link "
                            "'postmortem.md'; make it a regular file inside the repository, "
                            "or remove it")


def test_a_template_that_is_not_utf8_is_refused(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "postmortem.md").write_bytes(b"## Caf\xe9\n")
    with pytest.raises(SevbookError) as e:
        postmortem.body(tmp_path)
    assert str(e.value) == "templates/postmortem.md: byte 6 is not UTF-8; save the file as UTF-8"


def test_without_a_template_the_body_is_the_builtin_one(tmp_path):
    assert postmortem.body(tmp_path) == postmortem.builtin_body()
    assert postmortem.builtin_body().startswith(
        "## Summary\n\n<!-- Two or three sentences anyone in the company can understand. "
        "-->\n\n## Impact\n")
