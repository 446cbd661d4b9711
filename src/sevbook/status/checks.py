"""What `sevbook check` reports about publishing the status page, before any build.

`status_problems(handbook)` gives the problems a status build would stop on, so a pull
request shows them (each a `Diagnostic`):

* `unsafe-asset` (error): a symlink, special or oversized file in `theme/status/` (or a
  further page's `theme`), a
  `status.logo` outside the repository or through a symlink, an SVG with a script, an
  event handler or an external reference (`sevbook.status.theme`);
* `bad-id-key` (error): `.sevbook/id-key` exists but is unusable;
* `bad-catalogue` (error): the team's catalogue of the page's language
  (`<status.locale_dir>/<language>/status.po`) cannot be read or parsed (`sevbook.i18n`);
* `duplicate-public-id` (error): two public incidents, or two public components, would get
  the same public id;
* `unknown-component` (error, on mkdocs.yml): a page of `status_pages` lists a service that
  is not a public component, or a group no public component is in;
* `reversible-ids` (warning, once, on mkdocs.yml): there is no id key, so the public ids
  of the public incidents are unsalted hashes of their file names, which a word list can
  reverse (docs/status-page.md says how to add a key without breaking links).
"""

from __future__ import annotations

from collections.abc import Callable

from .. import i18n
from ..config import PageOptions
from ..diagnostics import Diagnostic
from ..model import Handbook
from .ids import KEY_FILE, PublicIds, duplicate_component_ids, duplicate_ids, read_key
from .theme import scan_theme

REVERSIBLE = (
    f"there is no {KEY_FILE}, so the status page's incident ids are unsalted hashes of the "
    "incident file names, and a word list can recover names like "
    "2026-03-02-db-pool-exhaustion from them; first pin the ids already published "
    "(`python -m sevbook.status.pin` prints a `public_id:` line for each public incident; "
    "add them), then create the key: python -c \"import secrets; "
    f"print(secrets.token_hex(32))\" > {KEY_FILE} (commit it; see docs/status-page.md)"
)


def status_problems(handbook: Handbook,
                    line: Callable[[str, tuple], int] = lambda file, path: 0,
                    ) -> list[Diagnostic]:
    """Every problem that would stop (or weaken) publishing `handbook`'s status page.
    `line(file, key_path)` locates a key in a content file (e.g. `LoadResult.line`)."""
    root = getattr(handbook, "root", None)
    st = handbook.settings.status
    _, out = scan_theme(root, st.logo or "")
    try:
        i18n.translations(root, st.language, st.locale_dir)
    except i18n.CatalogueError as e:
        out.append(Diagnostic(e.file, e.line, "", "error", "bad-catalogue", e.reason))
    for page in handbook.settings.status_pages:  # each problem once, if pages share files
        out += [d for d in scan_theme(root, page.logo or "", page.theme)[1] if d not in out]
    out += page_problems(handbook)
    key, key_problems = read_key(root)
    out += key_problems
    out += duplicate_component_ids(
        ((svc.component_id, svc.path) for svc in handbook.public_services.values()),
        lambda file: line(file, ("status_page", "public_id")))
    public = [inc for inc in handbook.incidents.values() if inc.public]
    if key_problems:
        return out
    ids = PublicIds(key)
    out += duplicate_ids(((ids.incident(inc.id, inc.public_id), inc.path) for inc in public),
                         lambda file: line(file, ("public_id",)))
    if key is None and any(not inc.public_id for inc in public):
        out.append(Diagnostic("mkdocs.yml", 0, "", "warning", "reversible-ids", REVERSIBLE))
    return out


def page_problems(handbook: Handbook) -> list[Diagnostic]:
    """What `status_pages` names that is no public component (or group of them)."""
    settings = handbook.settings
    public = handbook.public_services
    known = ", ".join(sorted(public)) or "none"
    group_names = sorted({svc.status_page.group for svc in public.values()
                          if svc.status_page is not None and svc.status_page.group})
    out = []
    for i, page in enumerate(settings.status_pages):
        for j, sid in enumerate(page.services):
            if sid in public:
                continue
            why = ("has no status_page block, so it is no public component; add one to "
                   "its file or remove it here" if sid in handbook.services else
                   f"is no service; use one of the public components: {known}")
            path = ("status_pages", i, "services", j)
            out.append(Diagnostic("mkdocs.yml", settings.config_line(path),
                                  f"status_pages[{i}].services[{j}]", "error",
                                  "unknown-component", f"page {page.id!r} shows service "
                                  f"{sid!r}, which {why}"))
        for j, group in enumerate(page.groups):
            if group not in group_names:
                path = ("status_pages", i, "groups", j)
                out.append(Diagnostic("mkdocs.yml", settings.config_line(path),
                                      f"status_pages[{i}].groups[{j}]", "error",
                                      "unknown-component", f"page {page.id!r} shows group "
                                      f"{group!r}, which no public component is in; use one "
                                      f"of: {', '.join(group_names) or 'none'}"))
        out += _label_problems(handbook, i, page)
    return out


def _label_problems(handbook: Handbook, i: int, page: PageOptions) -> list[Diagnostic]:
    """Labels of page `page` (entry `i` of status_pages) that no public service carries."""
    labels = sorted({label for svc in handbook.public_services.values() for label in svc.labels})
    return [Diagnostic("mkdocs.yml", handbook.settings.config_line(("status_pages", i, "labels", j)),
                       f"status_pages[{i}].labels[{j}]", "error", "unknown-component",
                       f"page {page.id!r} shows label {label!r}, which no public component "
                       f"has; use one of: {', '.join(labels) or 'none'}, or add it to a "
                       "service's labels:")
            for j, label in enumerate(page.labels) if label not in labels]
