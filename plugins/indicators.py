"""Performance indicators: the scorecard's latest and previous values, direction of travel, target met."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from plugins.hookspecs import hookimpl
from plugins.knowledge import Collection, Knowledge
from plugins.models import Indicator, IndicatorValue

DIRECTION_LABELS = {"improving": "Improving", "worsening": "Worsening", "no-change": "No change",
                    "no-previous": "No earlier value"}


@hookimpl
def register_collections(register):
    register(Collection("indicators", Indicator, "indicator", description="Performance indicators and their values."))


def values_at(indicator: Indicator, as_at: date) -> list[IndicatorValue]:
    return [v for v in indicator.values if v.date <= as_at]


def direction(indicator: Indicator, latest: float, previous: float | None) -> str:
    """Improving, worsening or no change, by the indicator's polarity."""
    if previous is None:
        return "no-previous"
    if latest == previous:
        return "no-change"
    better = latest > previous if indicator.polarity == "higher-is-better" else latest < previous
    return "improving" if better else "worsening"


def target_met(indicator: Indicator, value: float) -> bool:
    return value >= indicator.target if indicator.polarity == "higher-is-better" else value <= indicator.target


@dataclass(frozen=True)
class Score:
    indicator: Indicator
    latest: IndicatorValue | None
    previous: IndicatorValue | None
    direction: str
    met: bool | None


def score(indicator: Indicator, as_at: date) -> Score:
    known = values_at(indicator, as_at)
    latest = known[-1] if known else None
    previous = known[-2] if len(known) > 1 else None
    if latest is None:
        return Score(indicator, None, None, "no-previous", None)
    return Score(indicator, latest, previous,
                 direction(indicator, latest.value, previous.value if previous else None),
                 target_met(indicator, latest.value))


def scorecard(kb: Knowledge, as_at: date) -> list[Score]:
    return [score(i, as_at) for i in kb.all("indicators")]


def movement(indicator: Indicator, start: date, end: date) -> tuple[IndicatorValue | None, IndicatorValue | None, str]:
    """The value known at `start`, the value known at `end`, and the direction between them."""
    before = (values_at(indicator, start) or [None])[-1]
    after = (values_at(indicator, end) or [None])[-1]
    if after is None:
        return before, after, "no-previous"
    return before, after, direction(indicator, after.value, before.value if before else None)


def format_value(indicator: Indicator, value: float | None) -> str:
    if value is None:
        return "no value"
    number = f"{value:g}" if value != int(value) else f"{int(value):,}"
    return {"percent": f"{number}%", "days": f"{number} days", "number": number}[indicator.unit]
