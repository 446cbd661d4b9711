"""Which problems can stop the status page: only errors in what it publishes.

During an incident the status page must go out even when a runbook, a role, on-call, a
private incident or an internal field of a public incident is broken: those are the
handbook's problems, reported by `sevbook check` (and failing the pull request), never a
reason to keep customers uninformed. An error stops the status page when it is in:

* `mkdocs.yml` or a folder problem (the incidents folder missing or unreadable), the
  status theme (`theme/status/`) or the public id key (`.sevbook/`);
* the severity matrix (public impact and component states come from it);
* a service that is on the status page (has a `status_page` block), or one whose file
  cannot be read far enough to tell;
* a public incident that failed to load (it would vanish from the page), or one whose
  file does not say `public: false`-or-nothing (a file that is not even YAML counts as
  public when a top-level line sets `public:`), or an error in a loaded public incident's
  published fields (not `INTERNAL_FIELDS`).

A file that fails to load is left out of the model; for a private incident or an internal
file that changes nothing on the status page.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic
from ..errors import YamlProblem
from ..load import LoadResult
from ..yamlio import load_yaml

PUBLISHING_CODES = frozenset({"unsafe-asset", "bad-id-key", "duplicate-public-id",
                              "bad-catalogue"})
"""Problems `status.checks` finds in what only the status page reads."""
INTERNAL_FIELDS = ("roles", "runbooks", "timeline", "action_items", "detected_at",
                   "acknowledged_at", "mitigated_at", r"postmortem\.(status|owner|published_at)",
                   "accepted", "links", "related", "labels", "fields", "time_precision", "type",
                   "impact")
"""Fields of an incident that never reach the status page (DESIGN's privacy boundary),
as patterns of the diagnostic's field."""
SEVERITY_INTERNAL = (r"levels\[\d+\]\.(roles|page|postmortem|response_time|update_every|"
                     r"criteria|examples|summary|name|handling|major|major_actions|"
                     r"first_update_within)", "decision_tree")
"""Fields of the severity matrix the status page never reads (patterns)."""


def blocks_status(diag: Diagnostic, result: LoadResult) -> bool:
    """True when error `diag` is in something the status page publishes (or may)."""
    settings = result.handbook.settings
    docs = settings.docs_dir.strip("/") + "/"
    incidents = settings.incidents_dir.strip("/") + "/"
    if diag.file == "mkdocs.yml" or diag.file.endswith("/") and diag.file == incidents:
        return True
    if diag.code in PUBLISHING_CODES:  # the status theme, logo and ids (`status.checks`)
        return True
    if diag.file == f"{docs}severity.md":
        # A matrix that failed to load blocks; on a loaded one, only errors in what the
        # status page reads (level ids, public impact, component states) do.
        return result.handbook.severity is None or not _internal(diag.field, SEVERITY_INTERNAL)
    if diag.file.startswith(f"{docs}services/"):
        svc = next((s for s in result.handbook.services.values() if s.path == diag.file), None)
        return svc.status_page is not None if svc else _raw(result, diag.file, "status_page")
    if diag.file.startswith(incidents):
        inc = next((i for i in result.handbook.incidents.values() if i.path == diag.file), None)
        if inc is None:  # left out of the model: a public one would vanish from the page
            return _raw(result, diag.file, "public")
        return inc.public and not _internal(diag.field, INTERNAL_FIELDS)
    return False


def _internal(field: str, internal: tuple[str, ...]) -> bool:
    return any(re.fullmatch(f + r"(\..*|\[.*)?", field) for f in internal)


def _raw(result: LoadResult, file: str, key: str) -> bool:
    """Whether the unvalidated frontmatter of `file` sets `key` (to anything but false).
    When it is not YAML, whether a top-level line sets it; True when there is no
    frontmatter to look at (the file could be anything)."""
    src = result.sources.get(file)
    if src is None:
        return True
    try:
        data = load_yaml(src.yaml_text)
    except YamlProblem:
        return re.search(rf"^{key}\s*:\s*(?!false\s*(#.*)?$)\S", src.yaml_text, re.M) is not None
    if not isinstance(data, dict):
        return True
    return key in data and data[key] is not False


def status_errors(diagnostics: list[Diagnostic], result: LoadResult) -> list[Diagnostic]:
    """The errors among `diagnostics` that stop the status page."""
    return [d for d in diagnostics if d.severity == "error" and blocks_status(d, result)]
