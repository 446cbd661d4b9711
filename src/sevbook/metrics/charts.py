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
    + "".join(f".sb-chart{{--sb-c{i}:{c}}}" for i, c in enumerate(PALETTE_LIGHT)) + "\n"
    + "".join(f'[data-md-color-scheme="slate"] .sb-chart{{--sb-c{i}:{c}}}'
              for i, c in enumerate(PALETTE_DARK)) + "\n"
    "</style>\n"
)
"""Put once on a page that holds charts (the metrics page, a service page)."""

W, H = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 30, 40


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
    """A vertical bar chart (grouped, or stacked) as a `<figure>` holding an inline SVG.

    `lines` are horizontal reference lines (value, label), e.g. a budget limit;
    `time_axis` puts grid lines at round minutes/hours/days."""
    axis_fmt = axis_fmt or fmt
    n = max(len(labels), 1)
    if stacked:
        tops = [sum(s.values[i] or 0 for s in series) for i in range(len(labels))]
    else:
        tops = [v or 0 for s in series for v in s.values]
    top = max([*tops, *(v for v, _ in lines), 0])
    step = nice_time_step(top) if time_axis else nice_step(top)
    ymax = step * max(1, math.ceil(top / step)) if top > 0 else step
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def y(v: float) -> float:
        return TOP + ph - v / ymax * ph

    out = _open(chart_id, title, desc, W, H)
    k = 0.0
    while k <= ymax + 1e-9:
        yy = _num(y(k))
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{yy}" y2="{yy}" '
                   f'stroke="currentColor" stroke-opacity="{0.5 if k == 0 else 0.15}"/>')
        out.append(f'<text x="{LEFT - 6}" y="{_num(y(k) + 4)}" text-anchor="end">'
                   f'{escape(axis_fmt(k))}</text>')
        k += step
    slot = pw / n
    groups = 1 if stacked else max(len(series), 1)
    bw = slot * 0.7 / groups
    for i, label in enumerate(labels):
        x0 = LEFT + i * slot + slot * 0.15
        base = 0.0
        for j, s in enumerate(series):
            v = s.values[i]
            if v is None or v <= 0:
                continue
            x = x0 if stacked else x0 + j * bw
            lo, hi = (base, base + v) if stacked else (0, v)
            out.append(f'<rect x="{_num(x)}" y="{_num(y(hi))}" width="{_num(bw)}" '
                       f'height="{_num(y(lo) - y(hi))}" style="{_fill(s.color)}">'
                       f'<title>{escape(f"{label} — {s.name}: {fmt(v)}")}</title></rect>')
            if stacked:
                base += v
        if i % label_every == 0:
            out.append(f'<text x="{_num(LEFT + i * slot + slot / 2)}" y="{H - BOTTOM + 14}" '
                       f'text-anchor="middle">{escape(label)}</text>')
    for v, text in lines:
        yy = _num(y(v))
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{yy}" y2="{yy}" '
                   f'stroke="currentColor" stroke-width="1.5" stroke-dasharray="6 4"/>')
        out.append(f'<text x="{W - RIGHT}" y="{_num(y(v) - 4)}" text-anchor="end">'
                   f'{escape(text)}</text>')
    out += _legend(series)
    return _close(out, title)


def _open(chart_id: str, title: str, desc: str, w: int, h: int) -> list[str]:
    """The start of a chart: figure, SVG, and its accessible title and description."""
    tid, did = f"{chart_id}-title", f"{chart_id}-desc"
    return [f'<figure class="sb-chart" id="{chart_id}">',
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" '
            f'aria-labelledby="{tid} {did}" font-size="11" fill="currentColor">',
            f'<title id="{tid}">{escape(title)}</title>',
            f'<desc id="{did}">{escape(desc)}</desc>']


def _legend(series: Sequence[Series]) -> list[str]:
    """The legend, in words; the swatch only repeats it."""
    out, x = [], LEFT
    for s in series:
        out.append(f'<rect x="{x}" y="8" width="10" height="10" style="{_fill(s.color)}"/>')
        out.append(f'<text x="{x + 14}" y="17">{escape(s.name)}</text>')
        x += 24 + 7 * len(s.name)
    return out


def _close(out: list[str], title: str) -> str:
    """The end of a chart (SVG, caption, figure), joined."""
    out += ["</svg>", f"<figcaption>{escape(title)}</figcaption>", "</figure>"]
    return "\n".join(out) + "\n"


def gauge(chart_id: str, title: str, desc: str, ratio: float, marks: Sequence[float] = (0.8, 1.0),
          label: str = "") -> str:
    """A horizontal bar showing `ratio` of a whole (capped at 100% wide), with marks."""
    w, h, pad = W, 56, 12
    bar_w = w - 2 * pad
    filled = max(0.0, min(ratio, 1.0)) * bar_w
    color = 0 if ratio >= 1 else 1 if ratio >= 0.8 else 3
    out = _open(chart_id, title, desc, w, h) + [
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
    return _close(out, title)
