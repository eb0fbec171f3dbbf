"""Static SVG charts: an indicator over waves with its intervals, and groups side by side. Each chart
carries a title and a description; the report puts its data table and a text alternative beside it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 560, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
INK, MUTED, ACCENT, TARGET = "#0b0c0c", "#505a5f", "#1d70b8", "#d4351c"
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
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#b1b4b6" stroke-width="0.5"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="{MUTED}">{escape(label)}</text>')
    if target is not None:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
            f'stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
    previous: tuple[float, float] | None = None
    for index, point in enumerate(points):
        cx = x(index)
        parts.append(f'<text x="{cx:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" fill="{INK}">{escape(point.label)}</text>')
        if point.value is None or math.isnan(point.value):
            parts.append(f'<text x="{cx:.1f}" y="{TOP + plot_h / 2:.1f}" text-anchor="middle" fill="{MUTED}">.</text>')
            previous = None
            continue
        if point.lower is not None and point.upper is not None and not math.isnan(point.lower):
            parts.append(
                f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y(point.lower):.1f}" y2="{y(point.upper):.1f}" stroke="{ACCENT}" stroke-width="2"/>'
            )
            for end in (point.lower, point.upper):
                parts.append(f'<line x1="{cx - 6:.1f}" x2="{cx + 6:.1f}" y1="{y(end):.1f}" y2="{y(end):.1f}" stroke="{ACCENT}" stroke-width="2"/>')
        if previous is not None:
            parts.append(
                f'<line x1="{previous[0]:.1f}" y1="{previous[1]:.1f}" x2="{cx:.1f}" y2="{y(point.value):.1f}" stroke="{ACCENT}" stroke-width="1"/>'
            )
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
    parts[0] = parts[0].replace(f'viewBox="0 0 {WIDTH} {HEIGHT}"', f'viewBox="0 0 {WIDTH} {height}"').replace(
        f'height="{HEIGHT}"', f'height="{height}"'
    )
    for tick in _ticks(low, high, share):
        label = f"{tick * 100:.0f}{percent}" if share else _number(tick)
        parts.append(f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{TOP}" y2="{height - BOTTOM}" stroke="#b1b4b6" stroke-width="0.5"/>')
        parts.append(f'<text x="{x(tick):.1f}" y="{height - BOTTOM + 16}" text-anchor="middle" fill="{MUTED}">{escape(label)}</text>')
    for index, point in enumerate(points):
        top = TOP + row * index
        parts.append(f'<text x="{label_w - 8}" y="{top + 17}" text-anchor="end" fill="{INK}">{escape(point.label)}</text>')
        if point.value is None or math.isnan(point.value):
            parts.append(f'<text x="{label_w + 6}" y="{top + 17}" fill="{MUTED}">.</text>')
            continue
        parts.append(
            f'<rect x="{label_w}" y="{top + 5}" width="{max(x(point.value) - label_w, 0):.1f}" height="{row - 10}" fill="{ACCENT}" fill-opacity="0.35"/>'
        )
        if point.lower is not None and point.upper is not None and not math.isnan(point.lower):
            parts.append(
                f'<line x1="{x(point.lower):.1f}" x2="{x(point.upper):.1f}" y1="{top + row / 2:.1f}" y2="{top + row / 2:.1f}" stroke="{INK}" stroke-width="1.5"/>'
            )
        parts.append(f'<circle cx="{x(point.value):.1f}" cy="{top + row / 2:.1f}" r="3.5" fill="{INK}"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
