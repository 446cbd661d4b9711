"""WCAG AA contrast of the status page colours, light and dark, computed from the CSS."""

from __future__ import annotations

import re

import pytest

from sevbook.model.vocab import ComponentStatus
from sevbook.status.badges import LABEL_COLOUR
from sevbook.status.render import PACKAGE_TEMPLATES

CSS = (PACKAGE_TEMPLATES / "assets" / "status.css").read_text()
TEXT = ["fg", "muted", "link", "ok", "deg", "part", "maj", "mnt"]
BACKGROUNDS = ["bg", "card"]
SHAPES = ["ok", "deg", "part", "maj", "mnt"]  # bars and icons: non-text, 3:1


def palette(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{6})", block))


LIGHT = palette(CSS.split("@media (prefers-color-scheme: dark)")[0])
DARK = palette(CSS.split("@media (prefers-color-scheme: dark)")[1].split("}\n}")[0])


def luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_colours_pass_aa(scheme):
    pal = LIGHT if scheme == "light" else DARK
    assert set(TEXT + BACKGROUNDS) <= set(pal)
    low = {(fg, bg): round(contrast(pal[fg], pal[bg]), 2) for fg in TEXT for bg in BACKGROUNDS
           if contrast(pal[fg], pal[bg]) < 4.5}
    assert low == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_status_shapes_pass_non_text_contrast(scheme):
    pal = LIGHT if scheme == "light" else DARK
    assert all(contrast(pal[s], pal["bg"]) >= 3 for s in SHAPES)
    # the icon's inner mark is drawn in the background colour on the status colour
    assert all(contrast(pal["bg"], pal[s]) >= 3 for s in SHAPES)


def test_badge_text_passes_aa():
    for state in ComponentStatus:
        assert contrast("#ffffff", state.colour) >= 4.5, state
    assert contrast("#ffffff", LABEL_COLOUR) >= 4.5


def test_contrast_formula():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48
