"""Settings: the `sevbook` block of `mkdocs.yml`, as one Pydantic schema.

`mkdocs.yml` is the single configuration file (DESIGN.md). The CLI reads it here; the MkDocs
plugin hands its block to the same `settings_from_options`, so both see one schema with the
same defaults and messages. Like content, every problem is reported at once, each with its
line in mkdocs.yml and, for a misspelled key, the closest valid one.

mkdocs.yml is read as safely as frontmatter: MkDocs' own tags (`!ENV`, `!!python/name:`)
are read as nothing, and anchors/aliases may not expand to more than `MAX_NODES` values, so
a small "alias bomb" cannot take minutes and gigabytes.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from . import errors_map, i18n, yamlio
from .diagnostics import Diagnostic
from .errors import ContentError, SevbookError
from .times import zone

CONFIG_FILE = "mkdocs.yml"
MAX_CONFIG_BYTES = 1024 * 1024
MAX_NODES = 100_000
"""Most YAML values mkdocs.yml may expand to (anchors and aliases included)."""


def _repeated(names: Iterable[str]) -> list[str]:
    """The names that occur more than once, sorted (for "used twice" errors)."""
    seen = Counter(names)
    return sorted(name for name, n in seen.items() if n > 1)


class _Options(BaseModel):
    """Base of the settings models: unknown keys are errors, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class StatusOptions(_Options):
    """`status:` — the public status page."""

    title: str = Field("Status", description="Page title and feed title")
    url: str = Field("", description="Where the page is published (absolute http(s) URL); "
                     "feeds, the calendar and the API link there",
                     examples=["https://status.example.com/"])
    timezone: str = Field("UTC", description="IANA zone the page shows times in",
                          examples=["Europe/Berlin"])
    site_dir: str = Field("site/status", description="Output folder, relative to mkdocs.yml")
    logo: str = Field("", description="Logo file (relative to mkdocs.yml) or empty")
    links: dict[str, str] = Field(default_factory=dict,
                                  description="Footer links: label -> URL")
    locale_dir: str = Field("locale", description=(
        "Folder of the team's own status page catalogues, `<locale_dir>/<language>/status.po` "
        "(relative to mkdocs.yml, inside the repository; docs/translations.md)"))
    language: str = Field("en", description=(
        "The language of the page's words, dates and numbers: one sevbook ships (de, en, "
        "es, fr, ja) or one the team has a catalogue for in `locale_dir`"), examples=["de"])
    content_language: str = Field("en", description=(
        "The language the team writes incident text in; an update without a translation "
        "into `language` is shown in it, with a note"), examples=["en"])

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: str) -> str:
        v = v.strip()
        if not v:
            return v
        parts = urlsplit(v)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{v!r} is not an absolute http(s) URL; write it like "
                             "https://status.example.com/")
        return v

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        zone(v)
        return v

    @field_validator("locale_dir")
    @classmethod
    def _locale_dir(cls, v: str, info: ValidationInfo) -> str:
        problem = i18n.locale_dir_problem((info.context or {}).get("root"), v)
        if problem is not None:
            raise ValueError(problem)
        return v

    @field_validator("language")
    @classmethod
    def _language(cls, v: str, info: ValidationInfo) -> str:
        locale_dir = info.data.get("locale_dir", "locale")
        languages = i18n.available((info.context or {}).get("root"), locale_dir)
        if v not in languages:
            raise ValueError(f"{v!r} is not a language of the status page; use one of: "
                             f"{', '.join(languages)}, or add a catalogue "
                             f"{locale_dir}/{v}/status.po (docs/translations.md)")
        return v

    @field_validator("content_language")
    @classmethod
    def _content_language(cls, v: str) -> str:
        if not i18n.known_locale(v):
            raise ValueError(f"{v!r} is not a language code; write one like en, de or pt_BR")
        return v


PAGE_ID = r"^[a-z0-9][a-z0-9-]*$"
RESERVED_PAGE_IDS = ("api", "assets", "components", "history", "incidents")
"""Folders of a status page, which a page id may not be (serve previews pages inside it)."""


class PageOptions(StatusOptions):
    """One entry of `status_pages:` — a further public status page: every setting of the
    `status:` block (its own title, URL, time zone, theme, logo, links, output folder) and
    the components it shows."""

    id: str = Field(pattern=PAGE_ID, description=(
        "The page's name: `sevbook serve` previews it at /status/<id>/, `diff` and `notify` "
        "name it (lowercase letters, digits, dashes)"), examples=["de"])
    site_dir: str = Field(description="Output folder, relative to mkdocs.yml; its own tree, "
                          "overlapping no other", examples=["site/status-de"])
    theme: str = Field("theme/status", pattern=r"^theme/[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$",
                       description=("Templates and assets overriding the built-in ones "
                                    "(a folder inside theme/)"), examples=["theme/status-de"])
    services: list[str] = Field(default_factory=list, description=(
        "Components shown, by service id (services with a `status_page` block)"),
        examples=[["checkout-api", "storefront-web"]])
    groups: list[str] = Field(default_factory=list, description=(
        "Components shown, by `status_page.group` (every component of the group)"),
        examples=[["Store"]])
    labels: list[str] = Field(default_factory=list, description=(
        "Components shown, by service label (every public service with one of them)"),
        examples=[["eu"]])

    @field_validator("id")
    @classmethod
    def _not_a_folder(cls, v: str) -> str:
        if v in RESERVED_PAGE_IDS:
            raise ValueError(f"page id {v!r} is a folder of the status page (`sevbook serve` "
                             "previews pages at /status/<id>/); choose another")
        return v

    @model_validator(mode="after")
    def _shows_something(self) -> PageOptions:
        if not self.services and not self.groups and not self.labels:
            raise ValueError(f"page {self.id!r} shows no component; list the service ids it "
                             "shows under services:, their groups under groups: or their "
                             "labels under labels:")
        return self


class InternalOptions(StatusOptions):
    """`internal_status:` — the internal status page for employees: every incident
    (private ones too, restricted ones as stubs), internal titles and severities. Present
    (even as `internal_status: {}`): `sevbook build` builds it. Never publish its folder."""

    title: str = Field("Internal status", description="Page title and feed title")
    site_dir: str = Field("site/internal-status", description=(
        "Output folder, relative to mkdocs.yml; overlaps no public tree"))


@dataclass(frozen=True)
class StatusTree:
    """One status page sevbook builds: the default page (`name` ''), a further public
    page (`name` its id) or the internal page (`name` 'internal')."""

    name: str
    options: StatusOptions
    key_path: tuple
    """Its settings' key path inside the sevbook block (for line lookups)."""

    @property
    def internal(self) -> bool:
        return isinstance(self.options, InternalOptions)

    @property
    def label(self) -> str:
        """How messages name it: 'status page', "status page 'de'", 'internal status page'."""
        if self.internal:
            return "internal status page"
        return f"status page {self.name!r}" if self.name else "status page"

    @property
    def setting(self) -> str:
        """The name of its site_dir setting, as messages write it (`status_pages[0].site_dir`)."""
        return errors_map.field_name((*self.key_path, "site_dir"))


class FeatureOptions(_Options):
    """`features:` — switches."""

    nav_section_limit: int = Field(50, ge=0, description=(
        "A generated section (roles, services, runbooks) with more pages than this keeps only "
        "its index in the navigation"))


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Day names of `work_week`, in `date.weekday()` order."""

MetricStart = Literal["started", "detected"]
IncidentTypeWord = Literal["near_miss", "security", "drill", "false_alarm"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _not_counted() -> list[IncidentTypeWord]:
    return ["near_miss", "drill", "false_alarm"]


def _monday_to_friday() -> list[Weekday]:
    return ["mon", "tue", "wed", "thu", "fri"]


class MetricsOptions(_Options):
    """`metrics:` — what the metrics count and from when."""

    start: MetricStart = Field("detected", description=(
        "Where MTTA, MTTM and MTTR start: detected (detected_at, as before) or started "
        "(started_at, the impact start; for records without detected_at, like many public "
        "postmortems); MTTD always runs from started_at to detected_at"),
        examples=["started"])
    exclude_types: list[IncidentTypeWord] = Field(
        default_factory=_not_counted, description=(
            "Incident types (`type:`) left out of metrics and error budgets; incidents "
            "without a type always count"), examples=[["drill", "false_alarm"]])


class CustomField(_Options):
    """One custom field incidents may carry under `fields:` (`incident_fields:`)."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="The key under fields:",
                      examples=["detection"])
    type: Literal["text", "number", "choice", "list"] = Field(description=(
        "text, number, choice (one of `choices`) or list (of texts, or of `choices`)"),
        examples=["choice"])
    choices: list[str] = Field(default_factory=list, description="The allowed values of a "
                               "choice (or of a list's items)",
                               examples=[["monitoring", "customer-report", "employee"]])
    required_from: str | None = Field(default=None, description=(
        "The least severe level at which incidents must set it (that level and every more "
        "severe one); default: optional"), examples=["SEV2"])
    description: str = Field("", description="What it records, for the handbook")

    @field_validator("choices")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("choices are listed twice; list each once")
        return v

    @model_validator(mode="after")
    def _choices_for_choice(self) -> CustomField:
        if self.type == "choice" and not self.choices:
            raise ValueError(f"field {self.name!r} is a choice without choices; list them "
                             "under choices:")
        return self


EnvName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
"""The name of an environment variable (where a secret is read from; never the secret)."""
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
HTTP_CHANNELS = ("webhook", "slack", "teams", "discord")


class SmtpOptions(_Options):
    """`notify: channels: [- smtp:]` — the mail server of an e-mail channel."""

    host: str = Field(description="SMTP server host name", examples=["smtp.example.com"])
    port: int | None = Field(None, ge=1, le=65535, description=(
        "Port (default: 587 for starttls, 465 for ssl, 25 for none)"))
    security: Literal["starttls", "ssl", "none"] = Field("starttls", description=(
        "starttls (upgrade a plain connection), ssl (TLS from the start) or none (only "
        "without a password, or to a relay on this machine)"))
    username_env: EnvName | None = Field(None, description=(
        "Environment variable holding the SMTP user name"))
    password_env: EnvName | None = Field(None, description=(
        "Environment variable holding the SMTP password"))

    @model_validator(mode="after")
    def _no_clear_text_password(self) -> SmtpOptions:
        if (self.security == "none" and (self.username_env or self.password_env)
                and self.host not in LOOPBACK_HOSTS):
            raise ValueError(f"security none would send the password to {self.host} "
                             "unencrypted; use starttls or ssl")
        return self

    @property
    def default_port(self) -> int:
        return self.port or {"starttls": 587, "ssl": 465, "none": 25}[self.security]


class ChannelOptions(_Options):
    """One entry of `notify: channels:` — where notifications go."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description=(
        "The channel's name in the summary and --dry-run (lowercase letters, digits, dashes)"))
    type: Literal["webhook", "slack", "teams", "discord", "email"] = Field(description=(
        "webhook (Statuspage's payload), slack, teams (a Teams workflow), discord, email"))
    url_env: EnvName | None = Field(None, description=(
        "Environment variable holding the webhook URL (webhook, slack, teams, discord)"))
    components: list[str] = Field(default_factory=list, description=(
        "Only events about these components (ids as on the status page); empty: all"))
    unsubscribe: str = Field("", description=(
        "Unsubscribe link (https:// or mailto:): the List-Unsubscribe header of every mail, "
        "the webhook's meta.unsubscribe"))
    smtp: SmtpOptions | None = Field(None, description="Mail server (email)")
    sender: str = Field("", description="From: address (email)",
                        examples=["Acme Status <status@example.com>"])
    to: str = Field("", description="A list address that gets one message per event (email)")
    subscribers_env: EnvName | None = Field(None, description=(
        "Environment variable with subscribers, one per line or separated by ';': an "
        "address, optionally followed by the component ids it wants (email)"))
    subscribers_file: str | None = Field(None, description=(
        "File with subscribers in the same form, outside the repository's published "
        "folders (email)"))

    @model_validator(mode="after")
    def _keys_of_type(self) -> ChannelOptions:
        if self.type in HTTP_CHANNELS and not self.url_env:
            raise ValueError(f"a {self.type} channel needs url_env: the name of the "
                             "environment variable that holds its URL (never the URL itself)")
        if self.type == "email":
            missing = [k for k in ("smtp", "sender", "unsubscribe") if not getattr(self, k)]
            if missing:
                raise ValueError(f"an email channel needs {', '.join(missing)}")
            if not (self.to or self.subscribers_env or self.subscribers_file):
                raise ValueError("an email channel needs a recipient: to (a list address), "
                                 "subscribers_env or subscribers_file")
        if self.unsubscribe and not self.unsubscribe.startswith(("https://", "http://",
                                                                 "mailto:")):
            raise ValueError(f"unsubscribe {self.unsubscribe!r} must be an http(s) or "
                             "mailto: link")
        return self


class NotifyOptions(_Options):
    """`notify:` — what `sevbook notify` sends after a deploy, and where."""

    channels: list[ChannelOptions] = Field(default_factory=list, description=(
        "Where notifications go; without any, --dry-run still lists the events"))
    max_events: int = Field(20, ge=1, description=(
        "Per-run cap: events beyond it are skipped (a flood means something is wrong)"))
    retries: int = Field(3, ge=0, le=10, description=(
        "Retries of a delivery after a 5xx, 429, timeout or lost connection"))
    backoff: float = Field(2.0, ge=0, le=60, description=(
        "Seconds before the first retry; doubled for each further one"))
    timeout: float = Field(10.0, gt=0, le=120, description="Seconds per request")

    @field_validator("channels")
    @classmethod
    def _unique_names(cls, v: list[ChannelOptions]) -> list[ChannelOptions]:
        twice = _repeated(c.name for c in v)
        if twice:
            raise ValueError(f"channel name {twice[0]!r} is used twice; give each its own")
        return v


Engine = Literal["mkdocs", "zensical"]
"""What builds the handbook: MkDocs + mkdocs-material (the default) or Zensical."""


class SevbookOptions(_Options):
    """The `plugins: - sevbook:` block of mkdocs.yml."""

    engine: Engine = Field("mkdocs", description=(
        "What builds the handbook: mkdocs (MkDocs + mkdocs-material) or zensical (needs "
        "`pip install 'sevbook[zensical]'`); `sevbook build --engine` overrides it"),
        examples=["zensical"])
    incidents_dir: str = Field("incidents", description="Folder of incident files, relative "
                               "to mkdocs.yml (outside docs_dir)")
    restricted_dir: str = Field("site/handbook-restricted", description=(
        "Output folder of `sevbook build --restricted` (the handbook with restricted "
        "incidents in full), relative to mkdocs.yml; never inside or around the handbook "
        "or the status page"), examples=["site/handbook-restricted"])
    status: StatusOptions = Field(default_factory=lambda: StatusOptions())
    status_pages: list[PageOptions] = Field(default_factory=list, description=(
        "Further public status pages built from the same repository, each into its own "
        "tree, beside the `status:` page (the default one)"))
    internal_status: InternalOptions | None = Field(None, description=(
        "The internal status page for employees; absent: not built"), examples=[{}])
    features: FeatureOptions = Field(default_factory=lambda: FeatureOptions())
    work_week: list[Weekday] = Field(
        default_factory=_monday_to_friday, min_length=1,
        description="The days business-day deadlines count (postmortem obligations with "
        "business_days: true)", examples=[["sun", "mon", "tue", "wed", "thu"]])
    metrics: MetricsOptions = Field(default_factory=lambda: MetricsOptions())
    notify: NotifyOptions = Field(default_factory=lambda: NotifyOptions())
    incident_fields: list[CustomField] = Field(default_factory=list, description=(
        "Custom fields incidents may set under `fields:`; any other key there is an error"),
        examples=[[{"name": "detection", "type": "choice", "choices": [
            "monitoring", "customer-report"], "required_from": "SEV2"}]])
    cache: bool = Field(True, description="Keep parsed files between runs of check and "
                        "build in cache_dir (`--no-cache` skips it for one run)")
    cache_dir: str | None = Field(None, description="Folder of the content cache, relative "
                                  "to mkdocs.yml, inside the repository and out of git "
                                  "(default .cache/sevbook, which `.gitignore` lists; when "
                                  "that leads out of the repository the cache is off)")

    @field_validator("status_pages")
    @classmethod
    def _unique_pages(cls, v: list[PageOptions]) -> list[PageOptions]:
        twice = _repeated(p.id for p in v)
        if twice:
            raise ValueError(f"page id {twice[0]!r} is used twice; give each page its own")
        return v

    @field_validator("incident_fields")
    @classmethod
    def _unique_fields(cls, v: list[CustomField]) -> list[CustomField]:
        twice = _repeated(f.name for f in v)
        if twice:
            raise ValueError(f"custom field(s) {', '.join(twice)} declared twice; declare "
                             "each once")
        return v


@dataclass
class Settings:
    """What every command and the plugin know about a handbook repository."""

    root: Path
    engine: Engine = "mkdocs"
    site_name: str = "Handbook"
    docs_dir: str = "content"
    site_dir: str = "site/handbook"
    incidents_dir: str = "incidents"
    restricted_dir: str = "site/handbook-restricted"
    status: StatusOptions = field(default_factory=lambda: StatusOptions())
    status_pages: tuple[PageOptions, ...] = ()
    internal_status: InternalOptions | None = None
    features: FeatureOptions = field(default_factory=lambda: FeatureOptions())
    work_week: tuple[str, ...] = WEEKDAYS[:5]
    metrics: MetricsOptions = field(default_factory=lambda: MetricsOptions())
    incident_fields: tuple[CustomField, ...] = ()
    notify: NotifyOptions = field(default_factory=lambda: NotifyOptions())
    cache: bool = True
    cache_dir: str | None = None
    """As set in mkdocs.yml (checked like the output folders); None: the default."""
    config_lines: dict[tuple, int] = field(default_factory=dict, repr=False, compare=False)
    """Key path in mkdocs.yml -> its line (empty when read without the file's text)."""
    config_base: tuple = ()
    """The sevbook block's key path in mkdocs.yml."""

    def config_line(self, path: tuple) -> int:
        """The mkdocs.yml line of `path` inside the sevbook block (0: unknown)."""
        return yamlio.line_of(self.config_lines, self.config_base + path) \
            if self.config_lines else 0

    @property
    def workdays(self) -> frozenset[int]:
        """The work week as `date.weekday()` numbers (Monday is 0)."""
        return frozenset(WEEKDAYS.index(d) for d in self.work_week)

    @property
    def content_path(self) -> Path:
        return self.root / self.docs_dir

    @property
    def incidents_path(self) -> Path:
        return self.root / self.incidents_dir

    @property
    def handbook_site(self) -> Path:
        return self.root / self.site_dir

    @property
    def status_site(self) -> Path:
        return self.root / self.status.site_dir

    @property
    def status_trees(self) -> tuple[StatusTree, ...]:
        """Every status page to build: the default page, the further public pages, then
        the internal page (when enabled)."""
        out = [StatusTree("", self.status, ("status",))]
        out += [StatusTree(p.id, p, ("status_pages", i)) for i, p in enumerate(self.status_pages)]
        if self.internal_status is not None:
            out.append(StatusTree("internal", self.internal_status, ("internal_status",)))
        return tuple(out)

    @property
    def public_trees(self) -> tuple[StatusTree, ...]:
        return tuple(t for t in self.status_trees if not t.internal)

    def tree_site(self, tree: StatusTree) -> Path:
        return self.root / tree.options.site_dir

    @property
    def restricted_site(self) -> Path:
        """Where `sevbook build --restricted` writes (restricted incidents in full)."""
        return self.root / self.restricted_dir


# ------------------------------------------------------------------ reading mkdocs.yml
class _TolerantLoader(yaml.SafeLoader):
    """SafeLoader that turns unknown tags (MkDocs' !ENV, !!python/name) into None."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_TolerantLoader.add_multi_constructor("!", _ignore_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def _expanded_size(root: yaml.Node) -> int:
    """How many values the node graph stands for once aliases are expanded (memoised, so
    counting is linear in the nodes written)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children = ([c for kv in node.value for c in kv] if isinstance(node, yaml.MappingNode)
                    else list(node.value) if isinstance(node, yaml.SequenceNode) else [])
        if done:
            sizes[id(node)] = min(MAX_NODES + 1, 1 + sum(sizes[id(c)] for c in children))
        else:
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(root)]


def _problem(message: str, line: int = 0, fld: str = "", code: str = "config") -> ContentError:
    return ContentError([Diagnostic(CONFIG_FILE, line, fld, "error", code, message)], files=1)


def read_config(path: Path) -> tuple[dict[str, Any], str]:
    """mkdocs.yml as data, plus its text (for line lookups); raise ContentError."""
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise _problem(f"file is larger than {MAX_CONFIG_BYTES // 1024} KB; is it the "
                           "right file?")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _problem("file is not UTF-8; save it as UTF-8") from None
    except OSError as e:
        raise _problem(f"cannot be read: {e.strerror or e}") from None
    loader = _TolerantLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, text
        if _expanded_size(node) > MAX_NODES:
            raise _problem(f"anchors and aliases expand to more than {MAX_NODES:,} values; "
                           "write the values out instead of nesting aliases")
        mk = loader.construct_document(node)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise _problem(f"invalid YAML: {getattr(e, 'problem', None) or e}",
                       mark.line + 1 if mark else 0, code="yaml") from None
    finally:
        loader.dispose()
    if not isinstance(mk, dict):
        raise _problem("the top level must be a mapping of keys (site_name:, plugins:, ...)")
    return mk, text


def plugin_options(mkdocs_cfg: dict[str, Any]) -> tuple[Any, tuple] | None:
    """The `sevbook` entry of `plugins:` (list or mapping form) and its key path, or None."""
    plugins = mkdocs_cfg.get("plugins") or []
    if isinstance(plugins, dict):
        if "sevbook" in plugins:
            return plugins["sevbook"] or {}, ("plugins", "sevbook")
        return None
    if not isinstance(plugins, list):
        return None
    for i, p in enumerate(plugins):
        if p == "sevbook":
            return {}, ("plugins", i)
        if isinstance(p, dict) and "sevbook" in p:
            return p["sevbook"] or {}, ("plugins", i, "sevbook")
    return None


def settings_from_options(root: Path, mk: dict[str, Any], opts: Any,
                          text: str | None = None, base: tuple = ()) -> Settings:
    """Settings from a parsed mkdocs.yml and its sevbook block; raise ContentError with
    every problem (with lines when `text` of mkdocs.yml is given; `base` is the block's key
    path in it)."""
    lines = yamlio.key_lines(text) if text is not None else {}
    problems: list[Diagnostic] = []

    def line(path: tuple) -> int:
        return yamlio.line_of(lines, path) if lines else 0

    options = SevbookOptions()
    if not isinstance(opts, dict):
        problems.append(Diagnostic(CONFIG_FILE, line(base), "plugins.sevbook", "error",
                                   "wrong-type", "the sevbook block must be a mapping of "
                                   "settings (incidents_dir:, status:, features:)"))
    else:
        try:
            options = SevbookOptions.model_validate(opts, context={"root": root})
        except ValidationError as e:
            for err in e.errors():
                path, code, msg = errors_map.describe(SevbookOptions, opts, dict(err))
                problems.append(Diagnostic(CONFIG_FILE, line(base + path),
                                           errors_map.field_name(path), "error", code, msg))
    strings = {}
    for key, default in (("site_name", "Handbook"), ("docs_dir", "docs"), ("site_dir", "site")):
        value = mk.get(key, default)
        if value is None:
            value = default
        if not isinstance(value, str):
            problems.append(Diagnostic(CONFIG_FILE, line((key,)), key, "error", "wrong-type",
                                       f"expected a string, got {errors_map.type_name(value)}"))
            value = default
        strings[key] = value
    if problems:
        raise ContentError(sorted(problems), files=1)
    return Settings(root=root, engine=options.engine, incidents_dir=options.incidents_dir,
                    restricted_dir=options.restricted_dir, status=options.status,
                    status_pages=tuple(options.status_pages),
                    internal_status=options.internal_status,
                    features=options.features, work_week=tuple(options.work_week),
                    metrics=options.metrics, incident_fields=tuple(options.incident_fields),
                    notify=options.notify, cache=options.cache,
                    cache_dir=options.cache_dir, config_lines=lines, config_base=base, **strings)


SOURCE_FOLDERS = ("docs_dir", "incidents_dir", "theme", ".git")


def _real(path: Path) -> Path:
    """The path with every symlink resolved (also for parts that do not exist yet)."""
    return Path(os.path.realpath(path))


def _overlap(a: Path, b: Path) -> bool:
    return a == b or a.is_relative_to(b) or b.is_relative_to(a)


def _unsafe_output(settings: Settings, path: tuple, name: str, value: str,
                   line: Any) -> Diagnostic | None:
    """The problem of one output folder on its own: outside the repository, the repository
    itself, or overlapping a source folder (None when it is safe)."""
    root = _real(settings.root)
    target = _real(root / value)

    def refuse(why: str) -> Diagnostic:
        return Diagnostic(CONFIG_FILE, line(path), name, "error", "unsafe-output",
                          f"{name} {value!r} {why}; use a folder of its own inside "
                          "the repository, like site/handbook or site/status")

    if target == root or not target.is_relative_to(root):
        return refuse("is the repository itself" if target == root else
                      "lies outside the repository, where a build would replace what is there")
    sources = {"docs_dir": settings.docs_dir, "incidents_dir": settings.incidents_dir,
               "theme": "theme", ".git": ".git"}
    for key, folder in sources.items():
        if _overlap(target, _real(root / folder)):
            return refuse(f"overlaps the source folder {folder}/ ({key}); a build replaces "
                          "its output folder and would destroy it")
    return None


def folder_problems(settings: Settings, line: Any = lambda p: 0, base: tuple = ()) -> list[Diagnostic]:
    """Output folders that could destroy or publish what they must not, checked before
    anything is written: each must lie inside the repository, must not be, contain or lie
    inside a source folder (docs_dir, incidents_dir, theme/, .git) or the repository root,
    and no two output trees (the handbook, every status page, the internal status page)
    may overlap."""
    root = _real(settings.root)
    sources = [settings.docs_dir, settings.incidents_dir, "theme", ".git"]
    outputs = [_Output("site_dir", settings.site_dir, ("site_dir",), "the internal handbook")]
    outputs += [_Output(t.setting, t.options.site_dir, base + t.key_path + ("site_dir",),
                        f"the {t.label}") for t in settings.status_trees]
    out = [d for o in outputs
           if (d := _unsafe_output(settings, o.path, o.name, o.value, line)) is not None]
    out += _cache_problems(settings, root, sources, [_real(root / o.value) for o in outputs],
                           line, base)
    if not out:
        out += _overlapping_outputs(root, outputs, line)
    return out


@dataclass(frozen=True)
class _Output:
    """An output folder setting: its name in messages, value, key path and what it holds."""

    name: str
    value: str
    path: tuple
    what: str


def _overlapping_outputs(root: Path, outputs: list[_Output], line: Any) -> list[Diagnostic]:
    """An error on the later of every two output trees that overlap."""
    out: list[Diagnostic] = []
    for k, later in enumerate(outputs):
        for earlier in outputs[:k]:
            if not _overlap(_real(root / later.value), _real(root / earlier.value)):
                continue
            if earlier.name == "site_dir" and later.name == "status.site_dir":
                message = (f"the status page ({later.value}) and the internal handbook "
                           f"({earlier.value}) overlap, so publishing one could publish or "
                           "destroy the other; give each its own folder, like site/status and "
                           "site/handbook")
            else:
                message = (f"{later.what} ({later.value}) and {earlier.what} ({earlier.value}) "
                           "overlap, so publishing one could publish or destroy the other; "
                           "give each its own folder next to the others, like site/status and "
                           "site/status-de")
            out.append(Diagnostic(CONFIG_FILE, line(later.path), later.name, "error",
                                  "unsafe-output", message))
            break
    return out


def _cache_problems(settings: Settings, root: Path, sources: list[str], outputs: list[Path],
                    line: Any, base: tuple) -> list[Diagnostic]:
    """The cache folder must lie inside the repository (symlinks resolved) and apart from
    the sources (the cache writes there) and the output trees (it would be published)."""
    if not settings.cache or settings.cache_dir is None:
        return []  # the default is checked where it is opened (`cache.open_cache`)
    target = _real(root / settings.cache_dir)
    why = ""
    if target == root or not target.is_relative_to(root):
        why = "is the repository itself" if target == root else "lies outside the repository"
    elif any(_overlap(target, _real(root / folder)) for folder in sources):
        why = "overlaps a source folder (docs_dir, incidents_dir, theme/ or .git)"
    elif any(_overlap(target, out) for out in outputs):
        why = "overlaps an output folder, which would publish it"
    if not why:
        return []
    return [Diagnostic(CONFIG_FILE, line(base + ("cache_dir",)), "cache_dir", "error",
                       "unsafe-output", f"cache_dir {settings.cache_dir!r} {why}; use a "
                       "folder of its own inside the repository, like .cache/sevbook")]


def restricted_folder_problems(settings: Settings, line: Any = lambda p: 0,
                               base: tuple = ()) -> list[Diagnostic]:
    """`restricted_dir` (checked for `sevbook build --restricted`): safe on its own like
    every output folder, and apart from the handbook and the status page, so publishing
    either can never publish a restricted incident, and no build replaces another's tree."""
    path, value = base + ("restricted_dir",), settings.restricted_dir
    alone = _unsafe_output(settings, path, "restricted_dir", value, line)
    if alone is not None:
        return [alone]
    target = _real(settings.restricted_site)
    others = [("internal handbook", settings.site_dir, settings.handbook_site)]
    others += [(tree.label, tree.options.site_dir, settings.tree_site(tree))
               for tree in settings.status_trees]
    for what, folder, real in others:
        if _overlap(target, _real(real)):
            return [Diagnostic(
                CONFIG_FILE, line(path), "restricted_dir", "error", "unsafe-output",
                f"the restricted handbook ({value}) and the {what} ({folder}) overlap, so "
                "publishing one could publish restricted incidents or destroy the other; "
                "give it a folder of its own, like site/handbook-restricted")]
    return []


def load_settings(root: Path, restricted: bool = False) -> Settings:
    """Read `<root>/mkdocs.yml`; raise SevbookError when it is missing, ContentError
    (every problem, with lines) when it is wrong, including output folders that are unsafe
    (`folder_problems`; the plugin is given its output folder by MkDocs or `sevbook build`,
    so only this repository-level reading checks them)."""
    root = Path(root)
    path = root / CONFIG_FILE
    if not path.is_file():
        raise SevbookError(
            f"no {CONFIG_FILE} in {root}; run sevbook from the handbook repository, pass "
            "--root DIR, or create one with `sevbook init DIR`"
        )
    mk, text = read_config(path)
    found = plugin_options(mk)
    opts, base = found if found is not None else ({}, ())
    settings = settings_from_options(root, mk, opts, text, base)
    lines = yamlio.key_lines(text)
    problems = folder_problems(settings, lambda p: yamlio.line_of(lines, p), base)
    if restricted and not problems:
        problems = restricted_folder_problems(settings, lambda p: yamlio.line_of(lines, p), base)
    if problems:
        raise ContentError(problems, files=1)
    return settings

