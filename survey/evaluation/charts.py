"""Static SVG charts: an indicator over waves with its intervals, and groups side by side. Each chart
carries a title and a description; the report puts its data table and a text alternative beside it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 560, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
INK, MUTED, ACCENT, TARGET, GRID = "#0b0c0c", "#505a5f", "#1d70b8", "#d4351c", "#b1b4b6"
FONT = "Noto Sans, Noto Sans Arabic, Noto Sans Ethiopic, sans-serif"


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None  # None: withheld or not estimable
    lower: float | None = None
    upper: float | None = None


def _scale(points: Sequence[Point], share: bool, target: float | None) -> tuple[float, float]:
    if share:
        return 0.0, 1.0
    values = [v for p in points for v in (p.lower, p.upper, p.value) if v is not None and not math.isnan(v)]
    if target is not None:
        values.append(target)
    if not values:
        return 0.0, 1.0
    low, high = min(values), max(values)
    pad = (high - low) * 0.15 or 1.0
    return max(0.0, low - pad) if low >= 0 else low - pad, high + pad


def _ticks(low: float, high: float, share: bool) -> list[float]:
    if share:
        return [0.0, 0.25, 0.5, 0.75, 1.0]
    step = (high - low) / 4
    return [low + step * k for k in range(5)]


def _number(value: float) -> str:
    return f"{value:.1f}"


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, width: float, extra: str = "") -> str:
    ends = f'x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"'
    return f'<line {ends} stroke="{stroke}" stroke-width="{width}"{extra}/>'


def _text(x: float, y: float, content: str, fill: str, anchor: str = "start") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}">{escape(content)}</text>'


def _open(title: str, description: str, lang: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" lang="{lang}" font-family="{FONT}" font-size="12">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description)}</desc>",
    ]


def over_waves(
    points: Sequence[Point],
    title: str,
    description: str,
    lang: str,
    share: bool,
    target: float | None = None,
    percent: str = "%",
) -> str:
    """Estimates over waves with 95% interval whiskers; a dashed line marks the target."""
    low, high = _scale(points, share, target)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - low) / (high - low))

    def x(index: int) -> float:
        return LEFT + plot_w * (index + 0.5) / max(len(points), 1)

    parts = _open(title, description, lang)
    for tick in _ticks(low, high, share):
        label = f"{tick * 100:.0f}{percent}" if share else _number(tick)
        parts.append(_line(LEFT, y(tick), WIDTH - RIGHT, y(tick), GRID, 0.5))
        parts.append(_text(LEFT - 6, y(tick) + 4, label, MUTED, "end"))
    if target is not None:
        parts.append(_line(LEFT, y(target), WIDTH - RIGHT, y(target), TARGET, 1.5, ' stroke-dasharray="6 4"'))
    previous: tuple[float, float] | None = None
    for index, point in enumerate(points):
        cx = x(index)
        parts.append(_text(cx, HEIGHT - BOTTOM + 18, point.label, INK, "middle"))
        if point.value is None or math.isnan(point.value):
            parts.append(_text(cx, TOP + plot_h / 2, ".", MUTED, "middle"))
            previous = None
            continue
        if point.lower is not None and point.upper is not None and not math.isnan(point.lower):
            parts.append(_line(cx, y(point.lower), cx, y(point.upper), ACCENT, 2))
            for end in (point.lower, point.upper):
                parts.append(_line(cx - 6, y(end), cx + 6, y(end), ACCENT, 2))
        if previous is not None:
            parts.append(_line(previous[0], previous[1], cx, y(point.value), ACCENT, 1))
        parts.append(f'<circle cx="{cx:.1f}" cy="{y(point.value):.1f}" r="4.5" fill="{ACCENT}"/>')
        previous = (cx, y(point.value))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def by_group(points: Sequence[Point], title: str, description: str, lang: str, share: bool, percent: str = "%") -> str:
    """Horizontal bars per group with 95% interval whiskers; withheld groups show '.'."""
    low, high = _scale(points, share, None)
    row = 26
    height = TOP + BOTTOM + row * len(points)
    label_w = 190
    plot_w = WIDTH - label_w - RIGHT

    def x(value: float) -> float:
        return label_w + plot_w * (value - low) / (high - low)

    parts = _open(title, description, lang)
    parts[0] = (
        parts[0]
        .replace(f'viewBox="0 0 {WIDTH} {HEIGHT}"', f'viewBox="0 0 {WIDTH} {height}"')
        .replace(f'height="{HEIGHT}"', f'height="{height}"')
    )
    for tick in _ticks(low, high, share):
        label = f"{tick * 100:.0f}{percent}" if share else _number(tick)
        parts.append(_line(x(tick), TOP, x(tick), height - BOTTOM, GRID, 0.5))
        parts.append(_text(x(tick), height - BOTTOM + 16, label, MUTED, "middle"))
    for index, point in enumerate(points):
        top = TOP + row * index
        parts.append(_text(label_w - 8, top + 17, point.label, INK, "end"))
        if point.value is None or math.isnan(point.value):
            parts.append(_text(label_w + 6, top + 17, ".", MUTED))
            continue
        bar = max(x(point.value) - label_w, 0)
        box = f'x="{label_w}" y="{top + 5}" width="{bar:.1f}" height="{row - 10}"'
        parts.append(f'<rect {box} fill="{ACCENT}" fill-opacity="0.35"/>')
        if point.lower is not None and point.upper is not None and not math.isnan(point.lower):
            parts.append(_line(x(point.lower), top + row / 2, x(point.upper), top + row / 2, INK, 1.5))
        parts.append(f'<circle cx="{x(point.value):.1f}" cy="{top + row / 2:.1f}" r="3.5" fill="{INK}"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
