"""Small server-drawn SVG charts: grouped bars and lines, with a title and a description.

The SVG is for sighted readers: each chart carries <title> (its name, by aria-labelledby) and <desc> (by
aria-describedby), and the page puts the same numbers in a table beside it for screen readers. No
script, no inline style (the CSP forbids both): colours are presentation attributes.
"""

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 72  # room for the axis labels and the legend
TICKS = 4
# GOV.UK colours: blue, orange, green, red, purple, dark grey.
COLOURS = ("#1d70b8", "#f47738", "#00703c", "#d4351c", "#4c2c92", "#505a5f")
TEXT = "#0b0c0c"
AXIS = "#b1b4b6"

Series = tuple[str, Sequence[float | None]]


def bar_chart(
    *, chart_id: str, title: str, description: str, categories: Sequence[str], series: Sequence[Series]
) -> Markup:
    """Grouped bars: one group per category, one bar per series, heights in proportion to the values."""
    top = axis_top(max((v or 0 for _, values in series for v in values), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    parts = _frame(chart_id, title, description, top, categories)
    for s, (label, values) in enumerate(series):
        colour = COLOURS[s % len(COLOURS)]
        for c, value in enumerate(values):
            height = plot_h * (value or 0) / top
            x = LEFT + c * group_w + group_w * 0.1 + s * bar_w
            y = TOP + plot_h - height
            tip = f"{categories[c]}, {label}: {_number(value)}"
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{height:.1f}" fill="{colour}">'
                f"<title>{escape(tip)}</title></rect>"
            )
    parts += _legend(series)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()


def line_chart(
    *, chart_id: str, title: str, description: str, categories: Sequence[str], series: Sequence[Series]
) -> Markup:
    """Lines through each series' values (a gap where a value is missing), a dot at each value."""
    top = axis_top(max((v or 0 for _, values in series for v in values), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(categories), 1)
    parts = _frame(chart_id, title, description, top, categories)
    for s, (label, values) in enumerate(series):
        colour = COLOURS[s % len(COLOURS)]
        runs: list[list[str]] = [[]]  # a missing value ends one run of the line and starts the next
        for c, value in enumerate(values):
            if value is None:
                runs.append([])
                continue
            x, y = LEFT + step * (c + 0.5), TOP + plot_h - plot_h * value / top
            runs[-1].append(f"{x:.1f},{y:.1f}")
            tip = f"{categories[c]}, {label}: {_number(value)}"
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"><title>{escape(tip)}</title></circle>'
            )
        for points in runs:
            if len(points) > 1:
                parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="3"/>')
    parts += _legend(series)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()


def axis_top(largest: float) -> float:
    """A round number at or above the largest value (1, 2, 2.5 or 5 times a power of ten, times the ticks)."""
    if largest <= 0:
        return float(TICKS)
    raw = largest / TICKS
    power = 10 ** math.floor(math.log10(raw))
    for nice in (1, 2, 2.5, 5, 10):
        if raw <= nice * power:
            return float(nice * power * TICKS)
    return float(10 * power * TICKS)  # pragma: no cover (the loop always ends at 10)


def _frame(chart_id: str, title: str, description: str, top: float, categories: Sequence[str]) -> list[str]:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" class="onward-chart" '
        f'font-family="sans-serif" '
        f'font-size="13" fill="{TEXT}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for tick in range(TICKS + 1):
        value = top * tick / TICKS
        y = TOP + plot_h - plot_h * tick / TICKS
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="{AXIS}"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_number(value)}</text>')
    step = plot_w / max(len(categories), 1)
    for c, label in enumerate(categories):
        x = LEFT + step * (c + 0.5)
        parts.append(f'<text x="{x:.1f}" y="{TOP + plot_h + 18}" text-anchor="middle">{escape(label)}</text>')
    return parts


def _legend(series: Sequence[Series]) -> list[str]:
    parts, x, y = [], LEFT, HEIGHT - 18
    for s, (label, _values) in enumerate(series):
        colour = COLOURS[s % len(COLOURS)]
        parts.append(f'<rect x="{x}" y="{y - 11}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 18}" y="{y}">{escape(label)}</text>')
        x += 18 + 8 * len(label) + 24
    return parts


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
