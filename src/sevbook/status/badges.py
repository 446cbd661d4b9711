"""Shields-style SVG badges: `badge.svg` (the page) and `components/<id>/badge.svg`.

The status is written out as text; the colour only repeats it. Colours are the status
page's light-theme colours (`ComponentStatus.colour`), which keep white text above WCAG AA
(4.5:1).
"""

from __future__ import annotations

import unicodedata

from markupsafe import escape

from ..model.vocab import ComponentStatus

LABEL_COLOUR = "#555555"

# Approximate advance widths of Verdana 11px (what shields.io measures with), by class.
_NARROW = set("fijlrtI!.,:;|'()[] ")
_WIDE = set("mwMW@%")


def text_width(text: str) -> int:
    w = 0.0
    for ch in text:
        if ch in _NARROW:
            w += 4.0
        elif ch in _WIDE:
            w += 10.0
        elif unicodedata.east_asian_width(ch) in "WF":
            w += 11.0  # CJK: a square em (Japanese status words)
        elif ch.isupper() or ch.isdigit():
            w += 7.5
        else:
            w += 6.5
    return int(w + 0.5)


def badge(label: str, message: str, state: ComponentStatus) -> str:
    """A flat two-part badge; the component `state` picks the colour of the message part."""
    lw, mw = text_width(label) + 12, text_width(message) + 12
    total = lw + mw
    colour = ComponentStatus(state).colour
    lab, msg = escape(label), escape(message)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f'aria-label="{lab}: {msg}"><title>{lab}: {msg}</title>'
        f'<clipPath id="r"><rect width="{total}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{lw}" height="20" fill="{LABEL_COLOUR}"/>'
        f'<rect x="{lw}" width="{mw}" height="20" fill="{colour}"/></g>'
        f'<g fill="#fff" text-anchor="middle" '
        f'font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{lw / 2:.1f}" y="14">{lab}</text>'
        f'<text x="{lw + mw / 2:.1f}" y="14">{msg}</text></g></svg>\n'
    )
