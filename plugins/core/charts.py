"""Charts as inline SVG made at build time: role="img", a title and a description, and always a table beside.

Nothing is drawn at run time and nothing is loaded. Colour is never the only
cue: every bar carries its label and value as text.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from plugins.core.render import core_environment

# Okabe-Ito colours, distinguishable with the common colour-vision deficiencies.
PALETTE = {
    "not-started": "#999999", "on-track": "#0072b2", "at-risk": "#e69f00", "off-track": "#d55e00",
    "complete": "#009e73", "closed-merged": "#cc79a7", "default": "#56b4e9",
}


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    colour: str = PALETTE["default"]


@dataclass(frozen=True)
class _BarGeometry:
    bar: Bar
    y: float
    width: float


def bar_chart(chart_id: str, title: str, description: str, bars: list[Bar]) -> Markup:
    """A horizontal bar chart; the caller shows the same figures in a table."""
    label_width, chart_width, row, gap = 190, 300, 22, 8
    top = max((b.value for b in bars), default=0) or 1
    rows = [_BarGeometry(bar, i * (row + gap), bar.value / top * chart_width) for i, bar in enumerate(bars)]
    height = max(len(bars) * (row + gap) - gap, row)
    return _render("chart_bar.svg", chart_id=chart_id, title=title, description=description, rows=rows,
                  label_width=label_width, chart_width=chart_width, row=row, height=height)


def sparkline(chart_id: str, title: str, description: str, values: list[float], target: float | None) -> Markup:
    """A small trend line with the target as a dashed line."""
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
    width, box, gap = 520, 44, 26
    rows = [(index + 1, label, index * (box + gap)) for index, label in enumerate(steps)]
    height = len(steps) * (box + gap) - gap
    description = " Then: ".join(f"Step {n}: {label}." for n, label, _ in rows)
    return _render("chart_pathway.svg", chart_id=chart_id, title=title, description=description,
                  rows=rows, width=width, box=box, gap=gap, height=height)


def _render(template: str, **context) -> Markup:
    return Markup(core_environment().get_template(f"core/{template}").render(**context))
