"""Public Markdown -> safe HTML, and safe plain text for feeds and the JSON API.

DESIGN.md: public Markdown is sanitized — no raw HTML, no `javascript:` links, no event
handlers. Three layers, so one mistake does not open a hole:

1. raw HTML tags are removed from the source (with the content of `<script>`/`<style>`);
2. Markdown is rendered with its raw-HTML passthrough switched off, so anything that still
   looks like a tag is shown as text;
3. the HTML goes through `nh3` (ammonia) with a small allow-list of tags and attributes and
   only `http`, `https` and `mailto` link targets. No `<img>`: the status page never makes a
   request to another host.

Results are cached by message text: status updates repeat ("We are investigating") and the
page must build fast for tens of thousands of updates.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "a", "strong", "em", "b", "i", "code", "pre", "ul", "ol", "li", "blockquote",
    "hr", "del",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Text with none of these characters renders to one escaped paragraph, so the (slow)
# Markdown parser is skipped for the common one-line update.
_MARKDOWN_SYNTAX = re.compile(r"[\\`*_\[\]<>&#!|~=\n]|^\s*(?:[-+]|\d+[.)])\s|https?:|www\.")


class _Renderer:
    """One reusable Markdown instance with raw HTML disabled."""

    def __init__(self) -> None:
        self.md = markdown.Markdown(extensions=[], output_format="html")
        # Raw HTML blocks and inline tags become literal text, never markup.
        self.md.preprocessors.deregister("html_block")
        self.md.inlinePatterns.deregister("html")

    def __call__(self, text: str) -> str:
        self.md.reset()
        return self.md.convert(text)


_render = _Renderer()
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^<>\s]+)>")


def strip_tags(text: str) -> str:
    """Remove every HTML tag (and script/style content) from `text`; keep the rest as text."""
    if "<" not in text and "&" not in text:
        return text
    cleaned = nh3.clean(text, tags=set(), clean_content_tags={"script", "style"})
    return html.unescape(cleaned)


@lru_cache(maxsize=65536)
def to_html(text: str) -> str:
    """Sanitized HTML for a public Markdown message (empty string for empty input)."""
    text = (text or "").strip()
    if not text:
        return ""
    if not _MARKDOWN_SYNTAX.search(text):
        return f"<p>{html.escape(text, quote=False)}</p>"
    # `<https://…>` autolinks would look like tags to strip_tags: keep them as plain URLs.
    rendered = _render(strip_tags(_AUTOLINK.sub(r"\1", text)))
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    ).strip()


_BLOCK_END = re.compile(r"</(?:p|li|pre|blockquote|h\d)>|<br\s*/?>|<hr\s*/?>")
_LI = re.compile(r"<li>")
_TAG = re.compile(r"<[^>]+>")
_BLANKS = re.compile(r"\n{3,}")


@lru_cache(maxsize=65536)
def to_text(text: str) -> str:
    """Plain text of a public message (for feed summaries and the JSON `body`): the
    sanitized HTML with tags dropped, paragraphs separated by blank lines."""
    rendered = to_html(text)
    if not rendered:
        return ""
    out = _LI.sub("- ", rendered.replace("</li>\n", "</li>"))
    out = _BLOCK_END.sub("\n", out)
    out = _TAG.sub("", out)
    out = html.unescape(out)
    lines = [ln.rstrip() for ln in out.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def plain(text: str) -> str:
    """A one-line public string (titles, names) with any markup removed."""
    return " ".join(strip_tags(text or "").split())
