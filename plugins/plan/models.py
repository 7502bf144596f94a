"""The Children's Services Development Plan: indicators, themes, recommendations, actions and their status over time.

Status is read from an action's dated progress updates; "overdue" is derived
from the due date and never stored. Every method takes the date the figures are
"as at", so the same data gives the same answer for any date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from datetime import date as date_type
from typing import Annotated, Literal

from pydantic import Field, model_validator

from plugins.core.records import Part, Record, Sourced
from plugins.core.types import Number, PlainText, Recorded, Ref, Text
from plugins.organisation.models import Role, Service
from plugins.sources.models import Source

Status = Literal["not-started", "on-track", "at-risk", "off-track", "complete", "closed-merged"]
"""An action's status. 'Overdue' is never stored: it is derived from the due date."""

STATUS_LABELS = {
    "not-started": "Not started",
    "on-track": "On track",
    "at-risk": "At risk",
    "off-track": "Off track",
    "complete": "Complete",
    "closed-merged": "Closed (merged)",
}

DONE: frozenset[str] = frozenset({"complete", "closed-merged"})
DUE_SOON_DAYS = 90


DIRECTION_LABELS = {"improving": "Improving", "worsening": "Worsening", "no-change": "No change",
                    "no-previous": "No earlier value"}


class IndicatorValue(Part):
    """One value of an indicator, for the period ending on `date`."""

    period: PlainText = Field(description="How the period is named, e.g. 'Quarter 3 2014-15' or 'March 2015'.")
    date: date_type = Field(description="The last day of the period.")
    value: Number = Field(description="The value for the period, in the indicator's unit.")


@dataclass(frozen=True)
class Score:
    """An indicator as at a date: its latest and previous values, direction of travel, target met."""

    indicator: "Indicator"
    latest: IndicatorValue | None
    previous: IndicatorValue | None
    direction: str
    met: bool | None

    @property
    def direction_label(self) -> str:
        return DIRECTION_LABELS[self.direction]


class Indicator(Sourced):
    """A performance indicator on the scorecard."""

    name: PlainText = Field(description="The indicator's name, as the scorecard shows it.")
    definition: Text = Field(description="What is measured, and how.")
    polarity: Literal["higher-is-better", "lower-is-better"] = Field(
        description="higher-is-better or lower-is-better: decides whether a change is an improvement.")
    unit: Literal["percent", "number", "days"] = Field(description="percent, number or days.")
    target: Number = Field(description="The target, in the indicator's unit.")
    values: list[IndicatorValue] = Field(min_length=1, description="Oldest first.")

    @model_validator(mode="after")
    def _values_in_order(self) -> "Indicator":
        dates = [v.date for v in self.values]
        if dates != sorted(set(dates)):
            raise ValueError("values must be in date order, one per period")
        if self.unit == "percent" and not all(0 <= v.value <= 100 for v in self.values):
            raise ValueError("a percentage must be between 0 and 100")
        return self

    def values_at(self, as_at: date) -> list[IndicatorValue]:
        return [v for v in self.values if v.date <= as_at]

    def direction(self, latest: float, previous: float | None) -> str:
        """Improving, worsening or no change, by the indicator's polarity."""
        if previous is None:
            return "no-previous"
        if latest == previous:
            return "no-change"
        better = latest > previous if self.polarity == "higher-is-better" else latest < previous
        return "improving" if better else "worsening"

    def target_met(self, value: float) -> bool:
        return value >= self.target if self.polarity == "higher-is-better" else value <= self.target

    def score(self, as_at: date, baseline: date | None = None) -> Score:
        """The latest value as at a date, against one stated baseline: the value known at `baseline` (the
        last report to committee) when there is one, else the value before the latest."""
        known = self.values_at(as_at)
        latest = known[-1] if known else None
        if latest is None:
            return Score(self, None, None, "no-previous", None)
        before = [v for v in known[:-1] if baseline is None or v.date <= baseline]
        previous = before[-1] if before else None
        return Score(self, latest, previous, self.direction(latest.value, previous.value if previous else None),
                     self.target_met(latest.value))

    def format(self, value: float | None) -> str:
        """A value as a reader sees it: '93%', '1,200', '12 days'."""
        if value is None:
            return "no value"
        number = f"{value:g}" if value != int(value) else f"{int(value):,}"
        return {"percent": f"{number}%", "days": f"{number} days", "number": number}[self.unit]


class DevelopmentPlan(Sourced):
    """The plan itself: what it was formerly, who oversees it, and whether its own text is in the sources."""

    title: PlainText = Field(description="The plan's name.")
    formerly: PlainText | None = Field(default=None, description="What the plan was called before.")
    history: Text | None = Field(default=None, description="How the plan came to be, as the sources say.")
    overseen_by: Text = Field(description="Who oversees the plan, as the sources say.")
    governance: list[Text] = Field(default_factory=list, description="Where progress is reported and monitored.")
    priorities: Text | None = Field(default=None, description="The plan's priorities, as the sources give them.")
    document: PlainText = Field(description="The plan's own document, e.g. the report's appendix.")
    document_seen: bool = Field(description="Whether the plan's own document is in the sources. When it is not, "
                                            "say in `illustrative` how the actions were reconstructed.")

    @model_validator(mode="after")
    def _says_how_it_was_rebuilt(self) -> "DevelopmentPlan":
        if not self.document_seen and not self.illustrative:
            raise ValueError("document_seen is false: say in `illustrative` how the actions were reconstructed")
        return self


class Theme(Record):
    """A priority theme of the Development Plan."""

    name: PlainText = Field(description="The theme's name.")
    description: Text = Field(description="What the theme is about.")
    order: int = Field(default=100, description="Lower numbers are listed first.")


class Recommendation(Sourced):
    """A recommendation from a source, answered by one or more actions."""

    source: Ref[Source] = Field(description="The inspection, review or diagnostic that made it.")
    text: Text = Field(description="The recommendation, as the source words it.")
    priority: Literal["high", "medium", "low"] | None = Field(
        default=None, description="Only where a source gives it.")


class ProgressUpdate(Part):
    """What was reported about an action on a date."""

    date: Annotated[date_type, Recorded()] = Field(description="When the update was reported (YYYY-MM-DD); not "
                                                             "in the future.")
    status: Status = Field(description="not-started, on-track, at-risk, off-track, complete or closed-merged. "
                                       "Overdue is worked out from the due date, never written.")
    percent_complete: int | None = Field(default=None, ge=0, le=100,
                                         description="Only where a percentage is meaningful.")
    note: Text = Field(description="What was reported, in a sentence or two.")
    merged_into: Ref["Action"] | None = Field(default=None,
                                              description="For closed-merged: the action that carries it on.")
    illustrative: Text | None = Field(default=None, description="Set when this update is not from a source.")

    @model_validator(mode="after")
    def _consistent(self) -> "ProgressUpdate":
        if self.status == "closed-merged" and not self.merged_into:
            raise ValueError("a closed-merged update must say which action it was merged into (`merged_into`)")
        if self.merged_into and self.status != "closed-merged":
            raise ValueError("`merged_into` is only for status closed-merged")
        if self.status == "complete" and self.percent_complete not in (None, 100):
            raise ValueError(f"status complete but percent_complete is {self.percent_complete}")
        return self

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


class Action(Sourced):
    """An action of the Children's Services Development Plan."""

    title: PlainText = Field(description="What the action does, in a line.")
    recommendations: list[Ref[Recommendation]] = Field(min_length=1, description="The recommendations it answers.")
    theme: Ref[Theme] = Field(description="The priority theme it belongs to.")
    lead_service: Ref[Service] = Field(description="The service that leads it.")
    owner: Ref[Role] = Field(description="A role, never a person.")
    start: date_type = Field(description="When it started (YYYY-MM-DD).")
    due: date_type = Field(description="When it is due (YYYY-MM-DD); on or after the start.")
    updates: list[ProgressUpdate] = Field(min_length=1, description="Dated progress updates, oldest first.")
    evidence: list[Text] = Field(default_factory=list, description="Evidence of impact.")
    indicators: list[Ref[Indicator]] = Field(default_factory=list, description="Performance indicators it moves.")
    completed: date_type | None = Field(default=None, description="When it was completed; needed once an update "
                                                                  "says complete.")

    @model_validator(mode="after")
    def _dates_in_order(self) -> "Action":
        if self.due < self.start:
            raise ValueError(f"due date {self.due} is before the start date {self.start}")
        dates = [u.date for u in self.updates]
        if dates != sorted(set(dates)):
            raise ValueError("updates must be in date order, one per date")
        finished = [u for u in self.updates if u.status == "complete"]
        if self.completed is None and self.updates[-1].status == "complete":
            raise ValueError("the latest update says complete: give the `completed` date")
        if self.completed is not None:
            if not finished:
                raise ValueError("`completed` is set but no update has status complete")
            if self.completed > finished[0].date:
                raise ValueError(f"completed {self.completed} is after the update that reported it ({finished[0].date})")
            if self.completed < self.start:
                raise ValueError(f"completed {self.completed} is before the start date {self.start}")
        return self

    def latest_update(self, as_at: date) -> ProgressUpdate | None:
        """The last update on or before `as_at` (None before the action's first update)."""
        found = None
        for update in self.updates:
            if update.date > as_at:
                break
            found = update
        return found

    def in_plan(self, as_at: date) -> bool:
        """An action is in the plan from its first recorded update."""
        return self.updates[0].date <= as_at

    def status_at(self, as_at: date) -> Status | None:
        update = self.latest_update(as_at)
        return update.status if update else None

    def is_overdue(self, as_at: date) -> bool:
        """Past its due date and not complete or closed, as at the date (derived, never stored)."""
        status = self.status_at(as_at)
        return status is not None and status not in DONE and self.due < as_at

    def is_due_soon(self, as_at: date, days: int = DUE_SOON_DAYS) -> bool:
        status = self.status_at(as_at)
        return status is not None and status not in DONE and as_at <= self.due <= as_at + timedelta(days=days)

    def is_open(self, as_at: date) -> bool:
        return self.status_at(as_at) not in DONE

    @property
    def sources(self) -> list[Source]:
        """The sources whose recommendations the action answers, in first-seen order."""
        return list({r.record.source.id: r.record.source.record for r in self.recommendations}.values())
