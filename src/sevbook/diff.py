"""`sevbook diff BASE_REF`: what a change does to the public status page.

Both sides are turned into the status page's frozen public view
(`sevbook.status.public.public_view`, the privacy boundary) and compared as data, not as
HTML, for the default page and every further page of `status_pages` (each section names
its page). Only what the status pages themselves show
can appear here: the pull request summary may be read by people outside the on-call team,
so private incidents, internal titles, severities and names never do.

The base side is read from git into a temporary folder. When only incident files differ
(`git diff --name-only BASE_REF`, plus untracked files), only those are read from the base:
every other document is the same on both sides and is taken from the working tree's load,
so a one-file change on 10,000 incidents reads one base file instead of all of them, and
both sides' views are then built from only the incidents that change and those a component's
status shares with them (`sevbook.diffing.narrow`: the same comparison as the whole views).
Otherwise (mkdocs.yml, the docs folder or the id key changed) the base's mkdocs.yml, docs
and incidents folders are extracted whole (`git archive`). Both sides are evaluated at the
same `now`.
"""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import tarfile
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .build import load_valid
from .config import Settings, load_settings
from .diffing.facts import open_facts
from .diffing.narrow import facts_of, narrowed
from .errors import ContentError, SevbookError
from .gcpause import gc_paused
from .load import LoadResult, load
from .model import Handbook
from .model.vocab import Word
from .status.ids import KEY_FILE as ID_KEY_FILE
from .times import utc_z

if TYPE_CHECKING:
    from .status.view import PublicIncident, PublicUpdate, PublicView


@dataclass
class UpdateChange:
    change: str
    """added | changed | removed"""
    at: str
    status: Word
    text: str
    components: dict[str, Word] = field(default_factory=dict)
    """Public component name -> status after this update, for components it changed."""


@dataclass
class IncidentChange:
    change: str
    """added | changed | removed"""
    name: str
    kind: str
    status_before: Word | None
    status_after: Word | None
    fields: dict[str, list] = field(default_factory=dict)
    """Public field -> [before, after], for changed incidents."""
    updates: list[UpdateChange] = field(default_factory=list)
    path: str = ""


@dataclass
class ComponentChange:
    change: str
    """added | removed | status | renamed"""
    name: str
    before: Word | None
    after: Word | None
    name_before: str | None = None


@dataclass
class PublicDiff:
    base: str
    now: str
    components: list[ComponentChange]
    incidents: list[IncidentChange]
    page: str = ""
    """'' for the default status page, else the `status_pages` id."""
    title: str = ""
    """The page's title (further pages only)."""
    pages: list[PublicDiff] = field(default_factory=list)
    """The default page's diff holds those of the further pages (`status_pages`)."""

    @property
    def empty(self) -> bool:
        return not self.components and not self.incidents

    def to_dict(self) -> dict:
        d = asdict(self)
        if not self.page:  # the default page's JSON as before, `pages` only when there are
            del d["page"], d["title"]
            d["pages"] = [p.to_dict() for p in self.pages]
            if not self.pages:
                del d["pages"]
        else:
            del d["pages"]
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)


# ---------------------------------------------------------------------- git
def _git(root: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True,
                              check=False, text=not binary)
    except FileNotFoundError:
        raise SevbookError("git is not installed; sevbook diff needs it") from None


def _repository(root: Path, ref: str) -> tuple[Path, str]:
    """(the repository's top folder, the handbook root's path in it, like `docs/` or ''),
    after checking that `ref` names a commit."""
    top = _git(root, "rev-parse", "--show-prefix")
    if top.returncode != 0:
        raise SevbookError(f"{root} is not inside a git repository; sevbook diff compares "
                           "with a git ref")
    prefix = top.stdout.strip()
    repo = Path(_git(root, "rev-parse", "--show-toplevel").stdout.strip())
    if ref.startswith("-") or _git(repo, "rev-parse", "--verify", "--quiet",
                                   f"{ref}^{{commit}}").returncode != 0:
        raise SevbookError(f"git does not know the ref '{ref}'; fetch it first (in GitHub "
                           "Actions: actions/checkout with fetch-depth: 0)")
    return repo, prefix


def checkout_base(root: Path, ref: str, dest: Path) -> bool:
    """Write mkdocs.yml, the docs and incidents folders of `ref` into `dest`. Returns False
    when `ref` has no handbook (no mkdocs.yml): everything is then new."""
    root, prefix = _repository(root, ref)
    mk = _git(root, "show", f"{ref}:{prefix}mkdocs.yml", binary=True)
    if mk.returncode != 0:
        return False
    (dest / "mkdocs.yml").write_bytes(mk.stdout)
    settings = load_settings(dest)
    wanted = []
    # The id key too: without it the base's public ids would be computed another way and
    # every incident would show as removed and added.
    for folder in (settings.docs_dir, settings.incidents_dir, ID_KEY_FILE):
        path = f"{prefix}{folder.strip('/')}"
        if _git(root, "ls-tree", "--name-only", ref, "--", path).stdout.strip():
            wanted.append(path)
    _extract(root, ref, prefix, wanted, dest)
    return True


def _extract(repo: Path, ref: str, prefix: str, paths: list[str], dest: Path) -> None:
    """Write `paths` (files or folders, as named in the repository) of `ref` into `dest`,
    named relative to the handbook root (`prefix`)."""
    if not paths:
        return
    tar = _git(repo, "archive", "--format=tar", ref, "--", *paths, binary=True)
    if tar.returncode != 0:
        raise SevbookError(f"git archive {ref} failed: {tar.stderr.decode(errors='replace')}")
    with tarfile.open(fileobj=io.BytesIO(tar.stdout)) as tf:
        members = []
        for m in tf.getmembers():
            if not m.name.startswith(prefix):
                continue
            m.name = m.name[len(prefix):]
            if m.name:
                members.append(m)
        if hasattr(tarfile, "data_filter"):
            tf.extractall(dest, members=members, filter="data")
        else:  # pragma: no cover - Python < 3.11.4
            tf.extractall(dest, members=[m for m in members if m.isfile() or m.isdir()])


def changed_incidents(root: Path, ref: str, settings: Settings) -> list[str] | None:
    """The incident files (named from the handbook root) that differ between `ref` and the
    working tree, untracked files included; None when anything else the status page reads
    differs too (mkdocs.yml, the docs folder, the id key) or `ref` has no mkdocs.yml."""
    repo, prefix = _repository(root, ref)
    if _git(repo, "cat-file", "-e", f"{ref}:{prefix}mkdocs.yml").returncode != 0:
        return None
    incidents = settings.incidents_dir.strip("/") + "/"
    read = (settings.docs_dir.strip("/") + "/", "mkdocs.yml", ID_KEY_FILE)
    where = [prefix + p for p in (incidents, *read)]
    tracked = _git(repo, "diff", "--name-only", "--no-renames", "-z", ref, "--", *where)
    untracked = _git(repo, "ls-files", "--others", "-z", "--", *where)
    if tracked.returncode != 0 or untracked.returncode != 0:
        return None
    out = []
    for name in (tracked.stdout + untracked.stdout).split("\0"):
        rel = name[len(prefix):] if name.startswith(prefix) else name
        if not rel:
            continue
        if rel.startswith(incidents):
            out.append(rel)
        elif rel.startswith(read) or rel == ID_KEY_FILE:
            return None
    return sorted(set(out))


def _base_from_changes(root: Path, ref: str, after: LoadResult, changed: list[str],
                       dest: Path, now: datetime) -> Handbook | None:
    """The base's handbook: the working tree's documents with the `changed` incident files
    as they are at `ref` (missing when they are new). None when that cannot stand for the
    base (two files of one id). Raises SevbookError when a base file has errors."""
    repo, prefix = _repository(root, ref)
    dest.mkdir()
    (dest / "mkdocs.yml").write_bytes(
        _git(repo, "show", f"{ref}:{prefix}mkdocs.yml", binary=True).stdout)
    settings = load_settings(dest)
    settings.incidents_path.mkdir(parents=True, exist_ok=True)
    listed = _git(repo, "ls-tree", "-r", "--name-only", "-z", ref, "--",
                  *[prefix + p for p in changed]).stdout if changed else ""
    _extract(repo, ref, prefix, [p for p in listed.split("\0") if p], dest)
    base = load(dest, settings, select=lambda path, kind: kind == "incident")
    hb = after.handbook
    own = dict(sorted(base.handbook.incidents.items()))
    mini = dataclasses.replace(hb, incidents=own)
    errors = _errors(LoadResult(mini, base.diagnostics, {**after.sources, **base.sources}), now)
    if errors:
        raise SevbookError(f"the handbook at {ref} does not load, so there is nothing to "
                           f"compare with ({ContentError(errors)})")
    kept = {i: inc for i, inc in hb.incidents.items() if inc.path not in set(changed)}
    if kept.keys() & own.keys():
        return None
    return dataclasses.replace(hb, incidents=dict(sorted({**kept, **own}.items())))


def _errors(result: LoadResult, now: datetime) -> list:
    from .rules import check

    return check(result, now, errors_only=True)


def _load_valid(root: Path, now: datetime, cache: bool = False) -> LoadResult:
    """`build.load_checked` without finding the lines of the warnings (never shown here);
    `cache`: through the content cache and the findings memo (`rules.memo`: an unchanged
    incident stays a stand-in, its errors are the memo's), both saved for the next run."""
    from .rules import memo

    result = load(root, cache=cache, reuse=memo.open_memo if cache else None)
    errors = _errors(result, now)
    result.save_cache()
    memo.save(result, now)
    if errors:
        raise ContentError(errors)
    return result


# ---------------------------------------------------------------------- compare
def _ts(t: datetime | None) -> str | None:
    return utc_z(t) if t is not None else None


def compare(before: PublicView | None, after: PublicView, base: str,
            now: datetime) -> PublicDiff:
    """Compare two public views (`before` may be None: an empty status page)."""
    return PublicDiff(base, _ts(now) or "", _component_changes(before, after),
                      _incident_changes(before, after))


def _component_changes(before: PublicView | None, after: PublicView) -> list[ComponentChange]:
    out: list[ComponentChange] = []
    b_comps = {c.id: c for c in before.components} if before else {}
    a_comps = {c.id: c for c in after.components}
    for cid, c in a_comps.items():
        old = b_comps.get(cid)
        if old is None:
            out.append(ComponentChange("added", c.name, None, c.status))
            continue
        if old.status != c.status:
            out.append(ComponentChange("status", c.name, old.status, c.status))
        if old.name != c.name:
            out.append(ComponentChange("renamed", c.name, old.status, c.status, old.name))
    for cid, c in b_comps.items():
        if cid not in a_comps:
            out.append(ComponentChange("removed", c.name, c.status, None))
    return out


def _incident_changes(before: PublicView | None, after: PublicView) -> list[IncidentChange]:
    out: list[IncidentChange] = []
    b_incs = {i.id: i for i in before.incidents} if before else {}
    a_incs = {i.id: i for i in after.incidents}
    for iid, inc in a_incs.items():
        old = b_incs.get(iid)
        if old is None:
            out.append(IncidentChange(
                "added", inc.name, inc.kind, None, inc.status,
                updates=[_update("added", u) for u in inc.updates], path=inc.path))
        elif (changed := _changed_incident(old, inc)) is not None:
            out.append(changed)
    for iid, inc in b_incs.items():
        if iid not in a_incs:
            out.append(IncidentChange("removed", inc.name, inc.kind, inc.status, None,
                                      path=inc.path))
    return out


def _changed_incident(old: PublicIncident, inc: PublicIncident) -> IncidentChange | None:
    """What changed in an incident on both sides, or None when nothing public did."""
    fields = {}
    for name in ("name", "kind", "started_at", "resolved_at", "scheduled_for",
                 "scheduled_until", "postmortem_text"):
        x, y = getattr(old, name), getattr(inc, name)
        if x != y:
            fields[name] = [_ts(x) if isinstance(x, datetime) else x,
                            _ts(y) if isinstance(y, datetime) else y]
    ups = []
    old_ups = {u.id: u for u in old.updates}
    new_ids = {u.id for u in inc.updates}
    for u in inc.updates:
        prev = old_ups.get(u.id)
        if prev is None:
            ups.append(_update("added", u))
        elif (prev.text, _changes(prev)) != (u.text, _changes(u)):
            ups.append(_update("changed", u))
    ups += [_update("removed", u) for u in old.updates if u.id not in new_ids]
    if not (fields or ups or old.status != inc.status):
        return None
    return IncidentChange("changed", inc.name, inc.kind, old.status, inc.status, fields, ups,
                          inc.path)


def _changes(u: PublicUpdate) -> dict[str, Word]:
    return {c.name: c.new_status for c in u.changes if c.old_status != c.new_status}


def _update(change: str, u: PublicUpdate) -> UpdateChange:
    return UpdateChange(change, _ts(u.at) or "", u.status, u.text, _changes(u))


def _view(hb: Handbook | None, now: datetime, page: str) -> PublicView | None:
    """Status page `page` of `hb` (None: no handbook, or it has no such page)."""
    from .status.public import public_view

    if hb is None or page and page not in {p.id for p in hb.settings.status_pages}:
        return None
    return public_view(hb, now, page)


def _diffs(before: Handbook | None, after: Handbook, base: str, now: datetime) -> PublicDiff:
    """The default page's diff, holding those of the further pages."""
    from .status.public import public_view

    out = compare(_view(before, now, ""), public_view(after, now), base, now)
    for page in after.settings.status_pages:
        d = compare(_view(before, now, page.id), public_view(after, now, page.id), base, now)
        d.page, d.title = page.id, page.title
        out.pages.append(d)
    return out


def public_diff(root: Path, base: str, now: datetime, cache: bool = False) -> PublicDiff:
    """Every public status page at `now` as built from `root`, compared with the one from
    `base` (the default page's diff, with the further pages' in `pages`; `cache`: the
    working tree is read through the content cache). The cyclic garbage collector rests
    meanwhile (`gcpause`): its passes would walk the 10,000 loaded incidents again
    and again while the rules, the base and the views make almost no reference cycles."""
    with gc_paused():
        return _public_diff(Path(root), base, now, cache)


def _public_diff(root: Path, base: str, now: datetime, cache: bool) -> PublicDiff:
    result = _load_valid(root, now, cache)
    changed = changed_incidents(root, base, result.handbook.settings)
    with tempfile.TemporaryDirectory(prefix="sevbook-diff-") as td:
        dest = Path(td)
        before: Handbook | None = None
        after = result.handbook
        if changed is not None and (hb := _base_from_changes(
                root, base, result, changed, dest / "changes", now)) is not None:
            before = hb
            known = open_facts(result)
            cut = narrowed(hb, after, set(changed), now, known or facts_of)
            if known is not None:
                known.save()
            if cut is not None:
                before, after = cut
        elif checkout_base(root, base, dest):
            try:
                before = load_valid(dest, now)
            except SevbookError as e:
                raise SevbookError(f"the handbook at {base} does not load, so there is "
                                   f"nothing to compare with ({e})") from None
        return _diffs(before, after, base, now)


# ---------------------------------------------------------------------- Markdown
FIELD_LABELS = {
    "name": "title", "kind": "kind", "started_at": "start", "resolved_at": "resolved at",
    "scheduled_for": "window start", "scheduled_until": "window end",
    "postmortem_text": "public postmortem summary",
}
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#~!"})


def _md(text: str | None) -> str:
    """Text from content, made inert in Markdown (no links, HTML, tables or headings)."""
    return " ".join((text or "").split()).translate(_MD_SPECIAL)


def _label(word: Word | None) -> str:
    """A status as people read it (the vocabulary's label), or a dash for none."""
    return word.label if word is not None else "—"


def _when(ts: str | None) -> str:
    return f"{ts[:10]} {ts[11:16]} UTC" if ts else "—"


def to_markdown(d: PublicDiff) -> str:
    """The default page's changes, then those of every further page that has any."""
    text = _page_markdown(d)
    for page in d.pages:
        if not page.empty:
            text += "\n" + _page_markdown(page)
    return text


def _page_markdown(d: PublicDiff) -> str:
    heading = f"## Status page changes: {_md(d.title)} (`{d.page}`)" if d.page else \
        "## Status page changes"
    out = [heading, "",
           f"Compared with `{_md(d.base)}`, both evaluated at {_when(d.now)}. Only what the "
           "public status page shows is listed.", ""]
    if d.empty:
        out.append("No changes to the public status page.")
        return "\n".join(out) + "\n"
    if d.components:
        out += ["### Components", "", "| Component | Before | After |", "|---|---|---|"]
        for c in d.components:
            name = _md(c.name)
            if c.change == "added":
                name += " (new)"
            elif c.change == "removed":
                name += " (removed)"
            elif c.change == "renamed":
                name += f" (was {_md(c.name_before)})"
            out.append(f"| {name} | {_label(c.before)} | {_label(c.after)} |")
        out.append("")
    if d.incidents:
        out += ["### Incidents and maintenance", ""]
        for inc in d.incidents:
            kind = "maintenance" if inc.kind == "maintenance" else "incident"
            if inc.change == "added":
                head = f"- **New {kind}:** {_md(inc.name)} ({_label(inc.status_after)})"
            elif inc.change == "removed":
                head = f"- **Removed from the status page:** {_md(inc.name)} ({kind})"
            else:
                status = (f"{_label(inc.status_before)} → {_label(inc.status_after)}"
                          if inc.status_before != inc.status_after else _label(inc.status_after))
                head = f"- **Changed {kind}:** {_md(inc.name)} ({status})"
            out.append(head)
            for name, (x, y) in inc.fields.items():
                fmt = _when if name.endswith(("_at", "_for", "_until")) else _md
                out.append(f"  - {FIELD_LABELS.get(name, name)}: {fmt(x) if x else '—'} → "
                           f"{fmt(y) if y else '—'}")
            for u in inc.updates:
                word = {"added": "", "changed": "edited: ", "removed": "removed: "}[u.change]
                comps = "; ".join(f"{_md(n)} → {_label(s)}" for n, s in u.components.items())
                line = f"  - {word}{_when(u.at)} · **{_label(u.status)}** · {_md(u.text)}"
                out.append(line + (f" · {comps}" if comps else ""))
        out.append("")
    return "\n".join(out)
