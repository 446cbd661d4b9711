"""The `sevbook` command: parse arguments, call the library, map errors to exit codes.

Exit codes (stable): 0 success; 1 the handbook has errors (or warnings under --strict) or a
command could not do its work; 2 usage error (bad option or argument). No traceback
reaches a user unless --debug is given.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from . import __version__
from .diagnostics import Diagnostic, promote_warnings, summary, to_json
from .errors import ContentError, SevbookError
from .times import current, parse_instant, utc_z

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class NowType(click.ParamType):
    """An ISO 8601 timestamp with an offset, or a date (midnight UTC): `times.parse_instant`."""

    name = "TIMESTAMP"

    def convert(self, value, param, ctx):
        if isinstance(value, datetime):
            return value
        try:
            return parse_instant(value)
        except ValueError as e:
            self.fail(str(e), param, ctx)


NOW = NowType()

root_option = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=".",
    show_default=True, help="Handbook repository (the folder with mkdocs.yml).")
now_option = click.option(
    "--now", type=NOW, default=None,
    help="Evaluate time-dependent rules at this time (default: now). Same --now, same output.")
cache_option = click.option(
    "--no-cache", "no_cache", is_flag=True,
    help="Read every file afresh, without the content cache (cache_dir), and render every "
         "handbook page (no page cache); same output.")


def _now(now: datetime | None) -> datetime:
    return current(now)


class SevbookGroup(click.Group):
    """Turns library errors into clean messages and stable exit codes."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ContentError as e:
            click.echo(e.report(), err=True)
            raise click.exceptions.Exit(EXIT_PROBLEMS) from None
        except SevbookError as e:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise click.ClickException(str(e)) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            raise click.Abort() from None
        except BrokenPipeError:
            # `sevbook check | head`: the reader has gone; stop quietly, as cat would.
            _silence_stdout()
            raise click.exceptions.Exit(EXIT_PROBLEMS) from None
        except Exception as e:  # a bug: say so plainly, show the traceback only on --debug
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise click.ClickException(
                f"internal error ({type(e).__name__}: {e}); rerun with --debug and report it"
            ) from None


_QUICK_EXIT = False
"""Whether this process is the `sevbook` command itself (`run`), not a caller of `main`
such as a test's CliRunner: then `check` may end the process at once (`_finish`)."""


def run() -> None:
    """The `sevbook` command (the installed script and `python -m sevbook`)."""
    global _QUICK_EXIT
    _QUICK_EXIT = True
    main(prog_name="sevbook")


def _finish(code: int) -> None:
    """End a command that has written all it writes and holds nothing to clean up. In the
    `sevbook` process itself: flush and leave without tearing down the loaded handbook's
    objects (a tenth of a second after a check of 10,000 incidents; mypy's `hard_exit`
    does the same). Elsewhere: exit with `code` as usual."""
    if not _QUICK_EXIT:
        if code:
            sys.exit(code)
        return
    import os

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader has gone (`sevbook check | head`)
        code = EXIT_PROBLEMS
    except (OSError, ValueError):
        code = code or EXIT_PROBLEMS
    os._exit(code)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so flushing it at exit raises no second BrokenPipeError."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


@click.group(cls=SevbookGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sevbook")
@click.option("--debug", is_flag=True, help="Show Python tracebacks (for bug reports).")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Incident handbook and public status page from one repository of Markdown files."""
    ctx.obj = {"debug": debug}


# ---------------------------------------------------------------- check
@main.command()
@root_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text",
              show_default=True, help="text for people, github for Actions annotations, json.")
@now_option
@cache_option
def check(root: Path, strict: bool, fmt: str, now: datetime | None, no_cache: bool) -> None:
    """Validate every file and report all problems at once."""
    from .gcpause import gc_paused

    with gc_paused():  # one short process over a large model (see `_check`)
        _finish(_check(root, strict, fmt, now, no_cache))  # before the GC would collect


def _check(root: Path, strict: bool, fmt: str, now: datetime | None, no_cache: bool) -> int:
    """`check`'s work; returns its exit code. Runs with the cyclic GC resting: each
    collection would walk the whole loaded handbook again, and the cycles a check leaves
    (a quarter of a million objects after a cached check of 10,000 incidents) are
    collected only if the process goes on (`_finish`): a tenth of such a check."""
    from .load import load
    from .rules import check as run_rules
    from .rules import memo, parallel_check, rules_for

    at = _now(now)
    try:
        result = load(root, cache=not no_cache, reuse=parallel_check.opener(at, rules_for(False)))
    except ContentError as e:  # mkdocs.yml itself is wrong: report it like content
        diags, files = e.diagnostics, e.files
    else:
        diags, files = run_rules(result, at), result.handbook.files
        result.save_cache()
        memo.save(result, at)  # what each incident's rules found, for the next run
    if strict:
        diags = promote_warnings(diags)
    if fmt == "json":
        click.echo(to_json(diags))
    else:  # one write: 30,000 warnings of an imported history cost 30,000 echo calls
        line = Diagnostic.github if fmt == "github" else Diagnostic.text
        click.echo("".join(f"{line(d)}\n" for d in diags) + summary(diags, files))
    return EXIT_PROBLEMS if any(d.severity == "error" for d in diags) else 0


# ---------------------------------------------------------------- schema
@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write one <kind>.schema.json per kind here (default: print all as JSON).")
def schema(out: Path | None) -> None:
    """JSON Schema of every frontmatter kind, for editors."""
    from .schema import all_schemas, write_schemas

    if out is None:
        import json

        click.echo(json.dumps(all_schemas(), indent=2, sort_keys=True))
        return
    for path in write_schemas(out):
        click.echo(str(path))


# ---------------------------------------------------------------- build
@main.command()
@root_option
@click.option("--handbook/--no-handbook", default=True, help="Build the internal handbook.")
@click.option("--status/--no-status", default=True, help="Build the public status page.")
@click.option("--strict", is_flag=True,
              help="Also fail on link problems in the handbook's pages (CI uses this).")
@click.option("--engine", type=click.Choice(["mkdocs", "zensical"]), default=None,
              help="What builds the handbook (default: the engine: setting, else mkdocs); "
                   "zensical needs sevbook[zensical].")
@click.option("--restricted", is_flag=True,
              help="Build only the handbook for the responders of restricted incidents, "
                   "in full, into restricted_dir (site/handbook-restricted/); never publish it.")
@now_option
@cache_option
def build(root: Path, handbook: bool, status: bool, strict: bool, engine: str | None,
          restricted: bool, now: datetime | None, no_cache: bool) -> None:
    """Build site/handbook/ and site/status/ (atomically: a failed build keeps the old site).

    Content errors always stop it; broken links and anchors in hand-written pages are
    warnings unless --strict."""
    from .build import build as run_build

    run_build(root, _now(now), handbook=handbook, status=status, log=click.echo,
              strict=strict, engine=engine, cache=not no_cache, restricted=restricted)


# ---------------------------------------------------------------- report
class DateType(click.ParamType):
    """A calendar date written YYYY-MM-DD."""

    name = "DATE"

    def convert(self, value, param, ctx):
        from datetime import date

        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a date; write it like 2026-03-02", param, ctx)


@main.command()
@root_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="table for people; json or csv for tools.")
@click.option("--since", type=DateType(), default=None,
              help="First day (UTC) of incidents counted (default: the first incident).")
@click.option("--until", type=DateType(), default=None,
              help="Last day (UTC) of incidents counted (default: today); budgets are "
                   "evaluated at its end.")
@click.option("--service", default=None, metavar="ID",
              help="Only incidents affecting this service, and only its error budget.")
@now_option
def report(root: Path, fmt: str, since, until, service: str | None,
           now: datetime | None) -> None:
    """Incident metrics (MTTD, MTTA, MTTM, MTTR, ...) and error budgets."""
    from .build import load_valid
    from .metrics.report import build_report, to_csv, to_json, to_table

    if since and until and since > until:
        raise click.UsageError(f"--since {since} is after --until {until}; swap them")
    model = load_valid(root, _now(now))
    if service is not None and service not in model.services:
        known = ", ".join(model.services) or "none"
        raise click.BadParameter(f"service '{service}' does not exist; use one of: {known}",
                                 param_hint="'--service'")
    result = build_report(model, _now(now), since, until, service)
    click.echo({"json": to_json, "csv": to_csv, "table": to_table}[fmt](result), nl=fmt == "json")


# ---------------------------------------------------------------- new / update / resolve
def _edit_errors(fn, *args, **kwargs):
    """Run an edit; a wrong argument or option value becomes a usage error (exit 2)."""
    from .errors import BadInput

    try:
        return fn(*args, **kwargs)
    except BadInput as e:
        raise click.BadParameter(e.message, param_hint=f"'{e.param}'") from None


def _shown(root: Path, path: Path) -> str:
    return str(root / path.relative_to(root)) if path.is_relative_to(root) else str(path)


@main.group()
def new() -> None:
    """Start an incident, a maintenance window or a runbook (prints the new file's path)."""


@new.command("incident")
@root_option
@click.argument("title")
@click.option("--severity", required=True, help="Severity level id from content/severity.md.")
@click.option("--service", "services", multiple=True, help="Affected service id (repeatable).")
@click.option("--public", is_flag=True, help="Show it on the status page (default: internal).")
@click.option("--public-title", default=None, help="Status page title (default: TITLE).")
@click.option("--role", "roles", multiple=True, metavar="ROLE=NAME",
              help="Who holds a role, e.g. incident-commander=alice (repeatable).")
@click.option("--at", type=NOW, default=None, help="When impact began (default: now).")
@click.option("--detected-at", type=NOW, default=None,
              help="When it was detected (default: now, when it is declared).")
@click.option("--acknowledged-at", type=NOW, default=None,
              help="When on-call acknowledged it (for MTTA).")
@click.option("--ack", is_flag=True, help="Acknowledged now (same as --acknowledged-at now).")
@now_option
def new_incident_cmd(root, title, severity, services, public, public_title, roles, at,
                     detected_at, acknowledged_at, ack, now):
    """Open an incident: incidents/<date impact began>-<slug>.md, filled from the severity
    matrix. Its first update and "declared" entry are at the real time, not at --at."""
    from .edit import new_incident

    path = _edit_errors(new_incident, root, title, severity, services, public, public_title,
                        roles, at, _now(now), detected_at, acknowledged_at, ack)
    click.echo(_shown(root, path))


@new.command("maintenance")
@root_option
@click.argument("title")
@click.option("--from", "start", type=NOW, required=True, help="Window start (with offset).")
@click.option("--until", type=NOW, required=True, help="Window end (with offset).")
@click.option("--service", "services", multiple=True, help="Affected service id (repeatable).")
@click.option("--public/--private", default=True, show_default=True,
              help="Announce it on the status page.")
@click.option("--public-title", default=None, help="Status page title (default: TITLE).")
@click.option("--past", is_flag=True, help="Accept a window that starts before now.")
@now_option
def new_maintenance_cmd(root, title, start, until, services, public, public_title, past, now):
    """Schedule maintenance: incidents/<window date>-<slug>.md."""
    from .edit import new_maintenance

    path = _edit_errors(new_maintenance, root, title, start, until, services, public,
                        public_title, _now(now), past=past)
    click.echo(_shown(root, path))


@new.command("runbook")
@root_option
@click.argument("title")
@click.option("--service", "services", multiple=True, help="Service id it covers (repeatable).")
@click.option("--owner", default=None, help="Owning team id.")
@click.option("--severity", default=None, help="Typical severity.")
@click.option("--alert", "alerts", multiple=True, help="Alert name that leads here (repeatable).")
@now_option
def new_runbook_cmd(root, title, services, owner, severity, alerts, now):
    """Write a runbook skeleton: content/runbooks/<slug>.md with the six sections."""
    from .edit import new_runbook

    path = _edit_errors(new_runbook, root, title, services, owner, severity, alerts, _now(now))
    click.echo(_shown(root, path))


def _report_edit(root: Path, e) -> None:
    where = "public: on the status page after merge" if e.public else "internal"
    verb = "resolved" if e.resolved else "added update"
    # e.index is the update's position in `updates:` (0-based); people count from 1.
    click.echo(f"{_shown(root, e.path)}: {verb} #{e.index + 1} ({e.status} at "
               f"{utc_z(e.at)}; {where})")


@main.command()
@root_option
@click.argument("ident", metavar="ID")
@click.option("--status", required=True, help="investigating|identified|monitoring, or for "
              "maintenance scheduled|in_progress|verifying.")
@click.option("--message", required=True, help="The public text of the update (Markdown).")
@click.option("--component", "components", multiple=True, metavar="ID=STATUS",
              help="Component status, e.g. checkout-api=partial_outage (repeatable).")
@click.option("--at", type=NOW, default=None, help="Time of the update (default: now).")
@now_option
def update(root, ident, status, message, components, at, now):
    """Append an update to incident ID (a unique prefix of its id or slug is enough)."""
    from .edit import add_update

    _report_edit(root, _edit_errors(add_update, root, ident, status, message, components, at,
                                    _now(now)))


@main.command()
@root_option
@click.argument("ident", metavar="ID")
@click.option("--message", default=None, help="Final public message (default: a standard "
              "'has been resolved' text).")
@click.option("--component", "components", multiple=True, metavar="ID=STATUS",
              help="Override a component's final status (default: all back to operational).")
@click.option("--at", type=NOW, default=None, help="Time of resolution (default: now).")
@now_option
def resolve(root, ident, message, components, at, now):
    """Resolve incident ID (or complete maintenance): final update plus resolved_at."""
    from .edit import resolve as run_resolve

    _report_edit(root, _edit_errors(run_resolve, root, ident, message, components, at,
                                    _now(now)))


# ---------------------------------------------------------------- serve
@main.command()
@root_option
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Loopback address to listen on (anything else is refused).")
@click.option("--status/--no-status", default=True,
              help="Also preview the status page under /status/.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
@click.option("--no-cache", is_flag=True,
              help="Render every page on every rebuild (default: only the pages whose "
                   "inputs changed).")
@click.option("--restricted", is_flag=True,
              help="Preview the handbook for the responders of restricted incidents, in full.")
@now_option
def serve(root: Path, port: int, host: str, status: bool, open_browser: bool, no_cache: bool,
          restricted: bool, now: datetime | None) -> None:
    """Preview the handbook (and status page at /status/) with live reload on any change
    in content/, incidents/ or theme/."""
    from .handbook.serve import serve as run_serve

    run_serve(root, host=host, port=port, now=now, status=status, open_browser=open_browser,
              cache=not no_cache, restricted=restricted)


# ---------------------------------------------------------------- diff
@main.command()
@root_option
@click.argument("base", metavar="BASE_REF")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown",
              show_default=True, help="markdown (for $GITHUB_STEP_SUMMARY) or json.")
@now_option
@cache_option
def diff(root: Path, base: str, fmt: str, now: datetime | None, no_cache: bool) -> None:
    """What changes on the public status page compared with git ref BASE_REF."""
    from .diff import public_diff, to_markdown

    result = public_diff(root, base, _now(now), cache=not no_cache)
    click.echo(result.to_json() if fmt == "json" else to_markdown(result), nl=fmt == "json")


# ---------------------------------------------------------------- init
@main.command("init")
@click.argument("dest", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default="", help="Organisation name for titles (default: from DIR).")
@click.option("--install", "install", default=None, metavar="SPEC",
              help="What the workflows pip install: a requirement or URL, e.g. "
                   "git+https://github.com/OWNER/sevbook@v0.2.0 (default: "
                   f"sevbook=={__version__}, this version).")
@click.option("--url", default="", metavar="URL",
              help="The status page's public address, e.g. https://status.example.com/ "
                   "(status.url; needed before the first public incident).")
@now_option
def init_cmd(dest: Path, name: str, install: str | None, url: str,
             now: datetime | None) -> None:
    """Create a new handbook repository in DIR: mkdocs.yml, content/, incidents/, the
    GitHub workflows and a README for the team."""
    from .init import init

    files = _edit_errors(init, dest, name, _now(now), install, url)
    git = "" if (dest / ".git").exists() else "git init && git add -A && "
    click.echo(f"created {len(files)} files in {dest}; next: cd {dest} && {git}sevbook check "
               "--strict && sevbook build (see README.md)")


# ---------------------------------------------------------------- import
@main.group("import")
def import_() -> None:
    """Bring another status page's components and history into this repository."""


def _print_import(report) -> None:
    click.echo(report.text())


@import_.command("statuspage")
@root_option
@click.argument("paths", nargs=-1, required=True, metavar="PATH...",
                type=click.Path(path_type=Path))
@click.option("--owner", default=None, metavar="TEAM",
              help="Team that owns the imported services (default: the first team in "
                   "oncall.md).")
def import_statuspage_cmd(root: Path, paths: tuple[Path, ...], owner: str | None) -> None:
    """Import saved Statuspage v2 responses (summary.json, components.json, incidents.json,
    incidents/unresolved.json, scheduled-maintenances.json, history.atom; files or folders)."""
    from .importers import write_import
    from .importers.statuspage import read_statuspage

    _print_import(write_import(root, read_statuspage(list(paths)), owner))


@import_.command("cstate")
@root_option
@click.argument("path", metavar="PATH", type=click.Path(path_type=Path))
@click.option("--owner", default=None, metavar="TEAM",
              help="Team that owns the imported services (default: the first team in "
                   "oncall.md).")
def import_cstate_cmd(root: Path, path: Path, owner: str | None) -> None:
    """Import a cState (Hugo) site: config.yml systems/categories and content/issues/*.md."""
    from .importers import write_import
    from .importers.cstate import read_cstate

    _print_import(write_import(root, read_cstate(path), owner))


# ---------------------------------------------------------------- notify
def _public_tree(settings, page: str):
    """The public status page `page` ('' the default one); UsageError when there is none."""
    for tree in settings.public_trees:
        if tree.name == page:
            return tree
    ids = ", ".join(p.id for p in settings.status_pages) or "none"
    raise click.UsageError(f"--page {page!r}: status_pages has no such page (it has: {ids})")


def _save_previous(trees, dest: Path, all_pages: bool) -> None:
    """--save-previous: each page's published API into dest (a further page's into
    dest/<id>/ with --all-pages)."""
    from .notify import save_published
    from .notify.pages import base_url, previous_folder

    for tree in trees:  # every url is checked before anything is fetched
        if not base_url(tree):
            raise click.UsageError(f"--save-previous needs the url of the {tree.label} in "
                                   "mkdocs.yml" if all_pages else
                                   "--save-previous needs status.url in mkdocs.yml")
    for tree in trees:
        url = base_url(tree)
        into = previous_folder(dest, tree) if all_pages else dest
        shown = tree.options.url
        click.echo(f"saved the published page's API from {shown} into {into}"
                   if save_published(url, into) else
                   f"nothing is published at {shown} yet (a first deploy); {into} is empty")


def _previous_state(tree, previous: Path | None, all_pages: bool):
    """The page as published before: from --previous DIR, else fetched from its url."""
    from .notify import fetch_state, read_state
    from .notify.pages import previous_folder

    if previous is not None:
        if not previous.is_dir():
            raise click.BadParameter(f"{previous} is not a folder", param_hint="'--previous'")
        folder = previous_folder(previous, tree) if all_pages else previous
        return read_state(folder) if folder.is_dir() else None
    return fetch_state(_previous_url(tree, all_pages))


def _previous_url(tree, all_pages: bool = True) -> str:
    """The url the page's published state is fetched from; UsageError when it has none."""
    from .notify.pages import base_url

    if base_url(tree):
        return base_url(tree)
    if all_pages:
        raise click.UsageError(f"pass --previous DIR, or set the url of the {tree.label} in "
                               "mkdocs.yml to fetch the published page")
    raise click.UsageError("pass --previous DIR, or set status.url in mkdocs.yml to "
                           "fetch the published page")


@main.command("notify")
@root_option
@click.option("--previous", type=click.Path(file_okay=False, path_type=Path), default=None,
              metavar="DIR", help="The page as published before this deploy: a folder with "
              "its api/v2/ (saved by --save-previous; with --all-pages a further page's in "
              "DIR/<id>/); default: fetched from status.url.")
@click.option("--save-previous", type=click.Path(file_okay=False, path_type=Path),
              default=None, metavar="DIR", help="Only save the published page's api/v2/ "
              "JSON from status.url into DIR (run it before deploying) and exit.")
@click.option("--dry-run", is_flag=True, help="Print the events and messages; send nothing.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for tools.")
@click.option("--first-deploy-sends", is_flag=True,
              help="With no previously published page, announce what is active now "
                   "(default: send nothing).")
@click.option("--page", default="", metavar="ID",
              help="A further page of status_pages (its site_dir and url; run once per "
                   "page); default: the status: page.")
@click.option("--all-pages", is_flag=True,
              help="Every public page in one run (the default page and each of "
                   "status_pages, never the internal one); exit 1 when any failed.")
def notify_cmd(root: Path, previous: Path | None, save_previous: Path | None, dry_run: bool,
               fmt: str, first_deploy_sends: bool, page: str, all_pages: bool) -> None:
    """Send one notification per new public event (incident, update, resolution,
    maintenance, component change) to the channels of mkdocs.yml's notify: settings.
    Exit 1 when a channel failed."""
    from .config import load_settings
    from .notify import notify
    from .notify.pages import built_state
    from .notify.report import to_json, to_json_pages, to_text

    if all_pages and page:
        raise click.UsageError("--page and --all-pages exclude each other: pass one")
    settings = load_settings(root)
    trees = settings.public_trees if all_pages else (_public_tree(settings, page),)
    if save_previous is not None:
        _save_previous(trees, save_previous, all_pages)
        return
    states = [built_state(settings, tree) for tree in trees]
    if previous is None and all_pages:
        for tree in trees:  # every url is checked before anything is fetched
            _previous_url(tree)
    befores = [_previous_state(tree, previous, all_pages) for tree in trees]
    reports = [notify(settings, current, before, first_deploy_sends=first_deploy_sends,
                      dry_run=dry_run, page=tree.name)
               for tree, current, before in zip(trees, states, befores, strict=True)]
    if fmt == "json":
        click.echo(to_json_pages(reports) if all_pages else to_json(reports[0]))
    else:
        click.echo("\n\n".join(to_text(r, s, name_default=all_pages)
                                for r, s in zip(reports, states, strict=True)))
    if any(r.failed for r in reports):
        sys.exit(EXIT_PROBLEMS)
