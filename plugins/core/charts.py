"""Charts as inline SVG made at build time: role="img", a title and a description, and always a table beside.

Nothing is drawn at run time and nothing is loaded. Colour is never the only
cue: every bar carries its label and value as text. Charts are laid out at the
width of a phone (LAYOUT_WIDTH units, text TEXT_SIZE units, labels wrapped, never
clipped) and shown no wider than MAX_WIDTH_PX, so text is never smaller than
TEXT_SIZE * 343 / LAYOUT_WIDTH px on a 375 px screen and never larger than
TEXT_SIZE * MAX_WIDTH_PX / LAYOUT_WIDTH px on a desktop. A bar whose value rests
on illustrative data carries the mark (†) in the chart and says so in its description.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from markupsafe import Markup

from plugins.core.provenance import MARK
from plugins.core.render import core_environment

# Okabe-Ito colours, distinguishable with the common colour-vision deficiencies.
PALETTE = {
    "not-started": "#999999", "on-track": "#0072b2", "at-risk": "#e69f00", "off-track": "#d55e00",
    "complete": "#009e73", "closed-merged": "#cc79a7", "default": "#56b4e9",
}

LAYOUT_WIDTH = 340
TEXT_SIZE = 13
MAX_WIDTH_PX = 440  # set in docs/assets/kb.css (.kb-chart): pages may not carry style attributes
LINE = 17
CHARS_PER_LINE = 44


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    colour: str = PALETTE["default"]
    illustrative: bool = False


@dataclass(frozen=True)
class _BarRow:
    bar: Bar
    lines: list[str]
    text_y: float
    bar_y: float
    width: float


def _wrap(text: str, width: int = CHARS_PER_LINE) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=True) or [""]


def bar_chart(chart_id: str, title: str, description: str, bars: list[Bar]) -> Markup:
    """A horizontal bar chart, each label above its bar; the caller shows the same figures in a table."""
    value_room, bar_height, gap = 56, 16, 10
    top = max((b.value for b in bars), default=0) or 1
    rows, y = [], 0.0
    for bar in bars:
        lines = _wrap(bar.label)
        text_y = y + LINE - 4
        bar_y = y + len(lines) * LINE + 2
        rows.append(_BarRow(bar, lines, text_y, bar_y, bar.value / top * (LAYOUT_WIDTH - value_room)))
        y = bar_y + bar_height + gap
    if any(b.illustrative for b in bars):
        description += f" Values marked {MARK} are illustrative: they rest on details no source gives."
    return _render("chart_bar.svg", chart_id=chart_id, title=title, description=description, rows=rows,
                   width=LAYOUT_WIDTH, height=max(y - gap, LINE), bar_height=bar_height, line=LINE, mark=MARK)


def sparkline(chart_id: str, title: str, description: str, values: list[float], target: float | None) -> Markup:
    """A small trend line with the target as a dashed line (no text: the values are in a table beside it)."""
    width, height, pad = 160, 40, 4
    points = list(values) + ([target] if target is not None else [])
    low, high = min(points), max(points)
    span = (high - low) or 1

    def y(value: float) -> float:
        return round(height - pad - (value - low) / span * (height - 2 * pad), 1)

    step = (width - 2 * pad) / max(len(values) - 1, 1)
    coordinates = [(round(pad + i * step, 1), y(v)) for i, v in enumerate(values)]
    return _render("chart_sparkline.svg", chart_id=chart_id, title=title, description=description,
                   width=width, height=height, coordinates=coordinates,
                   target_y=y(target) if target is not None else None, pad=pad)


def pathway_diagram(chart_id: str, title: str, steps: list[str]) -> Markup:
    """Numbered boxes joined by arrows, top to bottom; the page gives the same steps as an ordered list."""
    gap, pad = 22, 10
    rows, y = [], 0.0
    for index, label in enumerate(steps):
        lines = _wrap(f"{index + 1}. {label}", CHARS_PER_LINE - 4)
        box = len(lines) * LINE + 2 * pad
        rows.append((lines, y, box))
        y += box + gap
    description = " Then: ".join(f"Step {n}: {label}." for n, label in enumerate(steps, start=1))
    return _render("chart_pathway.svg", chart_id=chart_id, title=title, description=description, rows=rows,
                   width=LAYOUT_WIDTH, gap=gap, pad=pad, line=LINE, height=max(y - gap, LINE))


def _render(template: str, **context) -> Markup:
    return Markup(core_environment().get_template(f"core/{template}").render(**context))
