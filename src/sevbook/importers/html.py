"""Statuspage update bodies (plain text with some HTML) -> Markdown.

Statuspage lets teams write `<br>`, links, bold and lists into update bodies, and shows
newlines as line breaks. sevbook's messages are Markdown rendered with raw HTML off, so the
HTML is turned into the Markdown that means the same: `<br>` and newlines become hard line
breaks (two spaces and a newline), two of them a new paragraph, `<a href>` a link, `<strong>`
/`<b>` bold, `<em>`/`<i>` italics, `<li>` a list item. Other tags are dropped, their text
kept. Markdown-significant characters in the text are left alone: real bodies use `*` and
`_` as Markdown already.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BREAK = "\x00"
"""Marks one line break while converting; runs of them decide break or paragraph."""

_INLINE = {"strong": "**", "b": "**", "em": "*", "i": "*"}


class _ToMarkdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.href: list[str | None] = []
        self.link_start: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.out.append(_BREAK)
        elif tag in ("p", "div", "ul", "ol"):
            self.out.append(_BREAK * 2)
        elif tag == "li":
            self.out.append(_BREAK + "- ")
        elif tag in _INLINE:
            self.out.append(_INLINE[tag])
        elif tag == "a":
            self.href.append(dict(attrs).get("href"))
            self.link_start.append(len(self.out))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "div", "ul", "ol"):
            self.out.append(_BREAK * 2)
        elif tag in _INLINE:
            self.out.append(_INLINE[tag])
        elif tag == "a" and self.href:
            href, start = self.href.pop(), self.link_start.pop()
            text = "".join(self.out[start:]).strip()
            del self.out[start:]
            self.out.append(_link(text, href))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.out.append(data.replace("\r\n", "\n").replace("\n", _BREAK))


def _link(text: str, href: str | None) -> str:
    if not href or not re.match(r"^(https?:|mailto:)", href.strip(), re.I):
        return text  # no target, or one the sanitizer would drop anyway
    href = href.strip().replace(" ", "%20").replace(")", "%29")
    if not text or text == href:
        return f"<{href}>"
    return f"[{text}]({href})"


def to_markdown(body: str) -> str:
    """The Markdown for a Statuspage update body (see the module docstring)."""
    if "<" not in body and "&" not in body and "\n" not in body and "\r" not in body:
        return body.strip()
    parser = _ToMarkdown()
    parser.feed(body)
    parser.close()
    text = "".join(parser.out)
    lines = [ln.strip() for ln in re.split(f"({_BREAK}+)", text)]
    out: list[str] = []
    for i, part in enumerate(lines):
        if i % 2 == 0:
            out.append(part)
        elif len(part) >= 2:
            out.append("\n\n")
        else:
            out.append("  \n")
    md = "".join(out)
    md = re.sub(r"(?:  \n|\n\n)+$", "", md)
    md = re.sub(r"^(?:  \n|\n\n)+", "", md)
    md = re.sub(r"  \n(\n\n)", r"\1", md)
    return md.strip(" ")
