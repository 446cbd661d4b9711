"""Charts as inline SVG, rendered at build time: no JavaScript, no external requests.

Text, axes and grid use `currentColor`, so they follow the page's text colour in light and
dark (mkdocs-material's slate) schemes. Series colours are CSS variables (`--sb-c0`..) with
light-scheme fallbacks; `STYLE` redefines them for slate. Every chart has `<title>` and
`<desc>` (read by screen readers), a legend in words, a tooltip per bar, and the page puts
the same numbers in a table next to it — colour is never the only carrier of meaning.
Output is deterministic (same input, same bytes).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

PALETTE_LIGHT = ("#c62828", "#b45309", "#1d4ed8", "#0f766e", "#7e22ce", "#4b5563")
PALETTE_DARK = ("#f87171", "#fbbf24", "#60a5fa", "#2dd4bf", "#c084fc", "#9ca3af")
"""Contrast ≥ 3:1 against white (light) and against slate's #1e2129 (dark)."""

STYLE = (
    "<style>\n"
    # material centres figures and shrinks them to their content; charts take the width.
    ".md-typeset figure.sb-chart,figure.sb-chart{display:block;width:100%;max-width:720px;"
    "margin:1em 0}\n"
    ".sb-chart svg{display:block;width:100%;height:auto;font-family:inherit}\n"
    ".sb-chart figcaption{font-size:.8rem;opacity:.8;margin:.25em 0 0;max-width:none}\n"
    # One SVG per width: the wide one from 45em (the handbook's card breakpoint), else narrow.
    ".sb-chart svg.sb-narrow{display:none}\n"
    "@media screen and (max-width:44.9375em){.sb-chart svg.sb-wide{display:none}"
    ".sb-chart svg.sb-narrow{display:block}}\n"
    + "".join(f".sb-chart{{--sb-c{i}:{c}}}" for i, c in enumerate(PALETTE_LIGHT)) + "\n"
    + "".join(f'[data-md-color-scheme="slate"] .sb-chart{{--sb-c{i}:{c}}}'
              for i, c in enumerate(PALETTE_DARK)) + "\n"
    "</style>\n"
)
"""Put once on a page that holds charts (the metrics page, a service page)."""

W, H = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 30, 40


@dataclass(frozen=True)
class Frame:
    """The drawing area of one SVG variant, in its own viewBox units (1 unit = 1 px at
    the width the variant is shown at, so the 11-unit text stays about 11 px)."""

    w: int
    h: int
    left: int = LEFT
    right: int = RIGHT
    top: int = TOP
    bottom: int = BOTTOM
    css: str = "sb-wide"


WIDE = Frame(W, H)
NARROW = Frame(360, 260, left=46, right=8, css="sb-narrow")
"""Shown instead of WIDE below 45em (phones): a viewBox near the screen's width, so text is
not scaled down to 6 px."""


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    color: int = 0


def _fill(i: int) -> str:
    return f"fill:var(--sb-c{i % len(PALETTE_LIGHT)},{PALETTE_LIGHT[i % len(PALETTE_LIGHT)]})"


def nice_step(top: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 × 10^k) giving about `ticks` grid lines up to `top`."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= raw:
            return m * mag
    return 10 * mag  # pragma: no cover


TIME_STEPS = (1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440, 2880, 4320,
              7200, 10080, 20160, 43200)
"""Round steps for a minutes axis: minutes, hours, days, weeks."""


def nice_time_step(top: float, ticks: int = 4) -> float:
    """The smallest round minutes step giving at most `ticks` + 1 grid lines up to `top`."""
    for s in TIME_STEPS:
        if top / s <= ticks:
            return float(s)
    return nice_step(top, ticks)


def _num(x: float) -> str:
    """Coordinates with at most one decimal, so output is stable and small."""
    s = f"{x:.1f}"
    return s[:-2] if s.endswith(".0") else s


@dataclass(frozen=True)
class Bars:
    """What a bar chart shows, whatever its width."""

    labels: Sequence[str]
    series: Sequence[Series]
    stacked: bool
    fmt: Callable[[float], str]
    axis_fmt: Callable[[float], str]
    lines: Sequence[tuple[float, str]]
    label_every: int
    time_axis: bool


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    stacked: bool = False,
    fmt: Callable[[float], str] = lambda v: f"{v:g}",
    axis_fmt: Callable[[float], str] | None = None,
    lines: Sequence[tuple[float, str]] = (),
    label_every: int = 1,
    time_axis: bool = False,
) -> str:
    """A vertical bar chart (grouped, or stacked) as a `<figure>` holding two inline SVGs,
    one for wide screens and one for phones (`STYLE` shows one of them).

    `lines` are horizontal reference lines (value, label), e.g. a budget limit;
    `time_axis` puts grid lines at round minutes/hours/days."""
    bars = Bars(labels, series, stacked, fmt, axis_fmt or fmt, lines, label_every, time_axis)
    svgs = [_bar_svg(chart_id, title, desc, bars, f) for f in (WIDE, NARROW)]
    return _figure(chart_id, svgs, title)


def _every(labels: Sequence[str], slot: float, asked: int) -> int:
    """Label every n-th bar so that labels (about 6.5 units a character) never overlap."""
    widest = max((len(lab) for lab in labels), default=0) * 6.5 + 4
    return max(asked, math.ceil(widest / slot) if slot > 0 else 1)


def _bar_svg(chart_id: str, title: str, desc: str, b: Bars, f: Frame) -> str:
    n = max(len(b.labels), 1)
    if b.stacked:
        tops = [sum(s.values[i] or 0 for s in b.series) for i in range(len(b.labels))]
    else:
        tops = [v or 0 for s in b.series for v in s.values]
    top = max([*tops, *(v for v, _ in b.lines), 0])
    step = nice_time_step(top) if b.time_axis else nice_step(top)
    ymax = step * max(1, math.ceil(top / step)) if top > 0 else step
    legend, legend_h = _legend(b.series, f)
    ptop = f.top + legend_h
    pw, ph = f.w - f.left - f.right, f.h - ptop - f.bottom

    def y(v: float) -> float:
        return ptop + ph - v / ymax * ph

    out = _open(chart_id, title, desc, f)
    k = 0.0
    while k <= ymax + 1e-9:
        yy = _num(y(k))
        out.append(f'<line x1="{f.left}" x2="{f.w - f.right}" y1="{yy}" y2="{yy}" '
                   f'stroke="currentColor" stroke-opacity="{0.5 if k == 0 else 0.15}"/>')
        out.append(f'<text x="{f.left - 6}" y="{_num(y(k) + 4)}" text-anchor="end">'
                   f'{escape(b.axis_fmt(k))}</text>')
        k += step
    slot = pw / n
    groups = 1 if b.stacked else max(len(b.series), 1)
    bw = slot * 0.7 / groups
    every = _every(b.labels, slot, b.label_every) if f is not WIDE else b.label_every
    for i, label in enumerate(b.labels):
        x0 = f.left + i * slot + slot * 0.15
        base = 0.0
        for j, s in enumerate(b.series):
            v = s.values[i]
            if v is None or v <= 0:
                continue
            x = x0 if b.stacked else x0 + j * bw
            lo, hi = (base, base + v) if b.stacked else (0, v)
            out.append(f'<rect x="{_num(x)}" y="{_num(y(hi))}" width="{_num(bw)}" '
                       f'height="{_num(y(lo) - y(hi))}" style="{_fill(s.color)}">'
                       f'<title>{escape(f"{label} — {s.name}: {b.fmt(v)}")}</title></rect>')
            if b.stacked:
                base += v
        if i % every == 0:
            out.append(f'<text x="{_num(f.left + i * slot + slot / 2)}" '
                       f'y="{f.h - f.bottom + 14}" text-anchor="middle">{escape(label)}</text>')
    for v, text in b.lines:
        yy = _num(y(v))
        out.append(f'<line x1="{f.left}" x2="{f.w - f.right}" y1="{yy}" y2="{yy}" '
                   f'stroke="currentColor" stroke-width="1.5" stroke-dasharray="6 4"/>')
        out.append(f'<text x="{f.w - f.right}" y="{_num(y(v) - 4)}" text-anchor="end">'
                   f'{escape(text)}</text>')
    return "\n".join(out + legend + ["</svg>"])


def _open(chart_id: str, title: str, desc: str, f: Frame, h: int | None = None) -> list[str]:
    """The start of one SVG variant (`h` high, default the frame's) and its accessible title
    and description. The wide variant keeps the chart's ids; the others get a suffix."""
    base = chart_id if f is WIDE else f"{chart_id}-{f.css.removeprefix('sb-')}"
    tid, did = f"{base}-title", f"{base}-desc"
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="{f.css}" '
            f'viewBox="0 0 {f.w} {h or f.h}" role="img" '
            f'aria-labelledby="{tid} {did}" font-size="11" fill="currentColor">',
            f'<title id="{tid}">{escape(title)}</title>',
            f'<desc id="{did}">{escape(desc)}</desc>']


def _legend(series: Sequence[Series], f: Frame) -> tuple[list[str], int]:
    """The legend, in words (the swatch only repeats it), wrapped to the frame's width;
    and how much taller than one row it is."""
    out, x, row = [], f.left, 0
    for s in series:
        width = 24 + 7 * len(s.name)
        if x > f.left and x + width - 10 > f.w - f.right:
            x, row = f.left, row + 1
        yy = 8 + 16 * row
        out.append(f'<rect x="{x}" y="{yy}" width="10" height="10" style="{_fill(s.color)}"/>')
        out.append(f'<text x="{x + 14}" y="{yy + 9}">{escape(s.name)}</text>')
        x += width
    return out, 16 * row


def _figure(chart_id: str, svgs: Sequence[str], title: str) -> str:
    """The figure around a chart's SVG variants, with its caption."""
    return "\n".join([f'<figure class="sb-chart" id="{chart_id}">', *svgs,
                      f"<figcaption>{escape(title)}</figcaption>", "</figure>"]) + "\n"


def gauge(chart_id: str, title: str, desc: str, ratio: float, marks: Sequence[float] = (0.8, 1.0),
          label: str = "") -> str:
    """A horizontal bar showing `ratio` of a whole (capped at 100% wide), with marks."""
    svgs = [_gauge_svg(chart_id, title, desc, ratio, marks, label, f) for f in (WIDE, NARROW)]
    return _figure(chart_id, svgs, title)


def _gauge_svg(chart_id: str, title: str, desc: str, ratio: float, marks: Sequence[float],
               label: str, f: Frame) -> str:
    w, pad = f.w, 12
    bar_w = w - 2 * pad
    filled = max(0.0, min(ratio, 1.0)) * bar_w
    color = 0 if ratio >= 1 else 1 if ratio >= 0.8 else 3
    out = _open(chart_id, title, desc, f, h=56) + [
        f'<rect x="{pad}" y="8" width="{bar_w}" height="18" fill="none" '
        f'stroke="currentColor" stroke-opacity="0.5"/>',
        f'<rect x="{pad}" y="8" width="{_num(filled)}" height="18" style="{_fill(color)}"/>']
    for m in marks:
        x = _num(pad + min(m, 1.0) * bar_w)
        out.append(f'<line x1="{x}" x2="{x}" y1="4" y2="30" stroke="currentColor" '
                   f'stroke-width="1.5"/>')
        out.append(f'<text x="{x}" y="44" text-anchor="{"end" if m >= 1 else "middle"}">'
                   f'{m * 100:g}%</text>')
    out.append(f'<text x="{pad}" y="44">{escape(label)}</text>')
    return "\n".join(out + ["</svg>"])
