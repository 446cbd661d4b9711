"""`sevbook check` reports the links and anchors of the docs pages that MkDocs would warn
about (issue 10 item 13), following mkdocs.yml's `validation:` block.

tests/data/check/links/ is laid over the base handbook of test_check; `expected-warn.txt` is
the exact output with every link validation at `warn`, the same eight problems `mkdocs
build` reports for that page (checked by hand against MkDocs 1.6.1).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from tests.conftest import NOW, NOW_ARG, REPO

from sevbook.cli import main
from sevbook.links import page_links

DATA = Path(__file__).parent / "data" / "check"
WARN_ALL = "validation:\n  not_found: warn\n  unrecognized_links: warn\n  anchors: warn\n"


def make_root(tmp_path: Path, validation: str = WARN_ALL) -> Path:
    root = tmp_path / "hb"
    shutil.copytree(DATA / "base", root)
    shutil.copytree(DATA / "links" / "content", root / "content", dirs_exist_ok=True)
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as f:
        f.write(validation)
    return root


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def check(root: Path, *extra: str):
    return run("check", "--now", NOW_ARG, "--root", str(root), *extra)


def test_every_link_problem_mkdocs_warns_about(tmp_path):
    res = check(make_root(tmp_path))
    assert res.output == (DATA / "links" / "expected-warn.txt").read_text(encoding="utf-8")
    assert res.exit_code == 0


def test_strict_makes_link_problems_errors(tmp_path):
    res = check(make_root(tmp_path), "--strict")
    assert res.output.splitlines()[-1] == "8 errors, 0 warnings in 6 files"
    assert res.exit_code == 1


def test_github_annotation_names_file_and_line(tmp_path):
    res = check(make_root(tmp_path), "--format", "github")
    assert res.output.splitlines()[2] == (
        "::warning file=content/guide/links.md,line=6,title=sevbook broken-anchor::"
        "[broken-anchor] link '../severity.md#sev9': severity.md has no heading or id "
        "'sev9'; did you mean '#sev2'?")


def test_mkdocs_defaults_report_only_missing_targets(tmp_path):
    """Without a validation block MkDocs warns only about missing files (not_found: warn);
    unrecognized links and anchors are at info, so check is silent about them too."""
    res = check(make_root(tmp_path, validation=""))
    assert [line.split(" points to ")[0] for line in res.output.splitlines()[:-1]] == [
        "content/guide/links.md:5: warning: [broken-link] link '../img/diagram.png'",
        "content/guide/links.md:5: warning: [broken-link] link 'nowhere.md'",
        "content/guide/links.md:18: warning: [broken-link] link '../missing-section/page.md'"]
    assert res.output.splitlines()[-1] == "0 errors, 3 warnings in 6 files"


def test_nested_validation_form_and_ignore(tmp_path):
    validation = ("validation:\n  links:\n    not_found: ignore\n    anchors: warn\n"
                  "    unrecognized_links: info\n")
    res = check(make_root(tmp_path, validation))
    codes = [line.split("[")[1].split("]")[0] for line in res.output.splitlines()[:-1]]
    assert codes == ["broken-anchor"] * 4
    assert res.output.splitlines()[-1] == "0 errors, 4 warnings in 6 files"


def test_toc_slugify_from_mkdocs_yml(tmp_path):
    """`toc: slugify:` changes heading ids: with slugify_unicode 'Höhe der Störung' is
    #höhe-der-störung, and the page's link to #hohe-der-storung is broken."""
    toc = ("markdown_extensions:\n  - toc:\n      slugify: "
           "!!python/name:markdown.extensions.toc.slugify_unicode\n")
    res = check(make_root(tmp_path, WARN_ALL + toc))
    assert [line for line in res.output.splitlines() if ":7:" in line] == [
        "content/guide/links.md:7: warning: [broken-anchor] link '#hohe-der-storung': this "
        "page has no heading or id 'hohe-der-storung'; did you mean '#höhe-der-störung'?",
        "content/guide/links.md:7: warning: [broken-anchor] link '#no-such-heading': this "
        "page has no heading or id 'no-such-heading'; link a heading of that page (its id is "
        "the heading text in lowercase with dashes)"]


def test_fixed_page_is_clean(tmp_path):
    root = make_root(tmp_path)
    page = root / "content" / "guide" / "links.md"
    page.write_text("# Fine\n\nSee [sev](../severity.md), [levels](../severity.md#sev1), "
                    "[open items](../action-items.md), [metrics](../metrics.md), "
                    "[incident](../incidents/2026-11-01-checkout-down.md#key-times), "
                    "[runbooks](../runbooks/index.md), [self](#fine).\n", encoding="utf-8")
    res = check(root, "--strict")
    assert res.output == "0 errors, 0 warnings in 6 files\n"
    assert res.exit_code == 0


def test_links_in_code_and_absolute_urls_are_not_links():
    text = ("---\ntitle: x\n---\n[a](a.md) `[b](b.md)` [c](https://x/c.md) [d](/d.md)\n"
            "~~~\n[e](e.md)\n~~~\n[f]: f.md\n[g][] [h][f]\n[g]: g.md\n")
    assert [(link.line, link.url) for link in page_links(text)] == [
        (4, "a.md"), (4, "https://x/c.md"), (4, "/d.md"), (8, "f.md"), (10, "g.md")]


def test_example_handbook_links_are_clean():
    from sevbook.links import link_problems
    from sevbook.load import load

    assert link_problems(load(REPO).handbook, NOW) == []


BROKEN = "# Note\n\nSee [the plan](missing-plan.md).\n"


def link_lines(res) -> list[str]:
    return [line for line in res.output.splitlines() if "missing-plan.md" in line]


def test_a_page_that_is_a_symlink_out_of_the_repository_is_not_read(tmp_path):
    root = make_root(tmp_path, "validation:\n  not_found: warn\n")
    outside = tmp_path / "outside.md"
    outside.write_text(BROKEN, encoding="utf-8")
    (root / "content" / "leak.md").symlink_to(outside)
    assert link_lines(check(root)) == []


def test_a_page_that_is_a_symlink_inside_the_repository_is_checked(tmp_path):
    root = make_root(tmp_path, "validation:\n  not_found: warn\n")
    (root / "notes").mkdir()
    (root / "notes" / "real.md").write_text(BROKEN, encoding="utf-8")
    (root / "content" / "alias.md").symlink_to(root / "notes" / "real.md")
    (root / "content" / "plain.md").write_text(BROKEN, encoding="utf-8")
    lines = link_lines(check(root))
    assert [line.split(":")[0] for line in lines] == ["content/alias.md", "content/plain.md"]
    assert all("[broken-link]" in line for line in lines)


def test_a_symlinked_folder_out_of_the_repository_is_not_walked(tmp_path):
    root = make_root(tmp_path, "validation:\n  not_found: warn\n")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "page.md").write_text(BROKEN, encoding="utf-8")
    (root / "content" / "more").symlink_to(tmp_path / "elsewhere")
    assert link_lines(check(root)) == []
