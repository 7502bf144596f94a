"""Development Plan logic: status as at a date, derived overdue, counts, change detection, KPI direction."""

from datetime import date

import pytest
from pydantic import ValidationError

from plugins.plan import summary as plan
from plugins.plan.models import Action, Indicator
from tests.helpers import TINY_DATA, load

ACTION = dict(id="a", title="An action", recommendations=["r"], theme="t", lead_service="s", owner="o",
              start="2015-01-01", due="2015-03-31", cites=["ref"],
              updates=[{"date": "2015-01-10", "status": "on-track", "note": "Started."},
                       {"date": "2015-02-10", "status": "at-risk", "note": "Slipping."},
                       {"date": "2015-04-10", "status": "complete", "note": "Done."}],
              completed="2015-04-10")


def action(**changes) -> Action:
    return Action.model_validate({**ACTION, **changes})


@pytest.mark.parametrize("as_at, expected", [
    ("2015-01-09", None),            # before its first update: not yet in the plan
    ("2015-01-10", "on-track"),
    ("2015-03-01", "at-risk"),
    ("2015-04-09", "at-risk"),       # the completion on 10 April is after the date: ignored
    ("2015-04-10", "complete"),
])
def test_status_is_the_latest_update_on_or_before_the_date(as_at, expected):
    assert action().status_at(date.fromisoformat(as_at)) == expected


def test_overdue_is_derived_from_the_due_date_and_ends_when_complete():
    a = action()
    assert not a.is_overdue(date(2015, 3, 31))      # due today is not late
    assert a.is_overdue(date(2015, 4, 1))
    assert a.is_overdue(date(2015, 4, 9))
    assert not a.is_overdue(date(2015, 4, 10))      # complete


def test_due_soon_is_the_next_90_days_and_not_done():
    a = action()
    assert a.is_due_soon(date(2015, 1, 10))
    assert not a.is_due_soon(date(2014, 12, 31))    # not in the plan yet
    assert not action(due="2015-06-30").is_due_soon(date(2015, 1, 10))


@pytest.mark.parametrize("changes, message", [
    ({"due": "2014-12-31"}, "before the start date"),
    ({"completed": None}, "give the `completed` date"),
    ({"completed": "2015-04-20"}, "after the update that reported it"),
    ({"updates": [{"date": "2015-02-10", "status": "on-track", "note": "x"},
                  {"date": "2015-01-10", "status": "on-track", "note": "y"}], "completed": None}, "date order"),
    ({"updates": [{"date": "2015-01-10", "status": "closed-merged", "note": "x"}], "completed": None}, "merged into"),
    ({"updates": [{"date": "2015-01-10", "status": "overdue", "note": "x"}], "completed": None}, "not allowed"),
])
def test_inconsistent_actions_are_refused(changes, message):
    with pytest.raises(ValidationError) as error:
        action(**changes)
    assert message in str(error.value) or "literal_error" in str(error.value)


@pytest.fixture(scope="module")
def tiny():
    return load(TINY_DATA)


def test_status_counts_add_up_to_the_number_of_actions(tiny):
    summary = plan.summarise(tiny, date(2015, 4, 21))
    assert summary.total == 3
    assert sum(summary.by_status.values()) == sum(summary.by_theme.values()) == sum(summary.by_service.values()) == 3
    assert summary.by_status == {"at-risk": 1, "complete": 1, "on-track": 1}
    assert [a.id for a in summary.overdue] == ["act-training"]
    assert [a.id for a in summary.due_soon] == ["act-workshop"]
    assert {key: figure.value for key, figure in summary.by_source.items()} == {"thematic": 3, "fostering": 1}
    assert not summary.basis.illustrative


def test_the_plan_is_as_at_its_latest_update_unless_told(tiny):
    assert tiny.as_at == date(2015, 4, 21)
    told = load(TINY_DATA, as_at=date(2015, 1, 1))
    assert told.as_at == date(2015, 1, 1)
    assert plan.summarise(told, told.as_at).total == 2


def test_changes_between_two_reports(tiny):
    changes = {c.action.id: c for c in plan.changes_between(tiny, date(2014, 12, 1), date(2015, 4, 21))}
    assert set(changes) == {"act-training", "act-audit", "act-workshop"}
    assert (changes["act-training"].before, changes["act-training"].after) == ("on-track", "at-risk")
    assert changes["act-training"].became_overdue
    assert changes["act-audit"].completed and not changes["act-audit"].added
    assert changes["act-workshop"].added
    assert plan.changes_between(tiny, date(2015, 4, 21), date(2015, 4, 21)) == []


INDICATOR = dict(id="i", name="I", definition="d", unit="percent", target=90, cites=["r"],
                 values=[{"period": "Q3", "date": "2014-12-31", "value": 80},
                         {"period": "Q4", "date": "2015-03-31", "value": 70}])


@pytest.mark.parametrize("polarity, expected_direction, expected_met", [
    ("higher-is-better", "worsening", False),
    ("lower-is-better", "improving", True),
])
def test_direction_of_travel_depends_on_polarity(polarity, expected_direction, expected_met):
    indicator = Indicator.model_validate({**INDICATOR, "polarity": polarity})
    score = indicator.score(date(2015, 4, 21))
    assert (score.direction, score.met) == (expected_direction, expected_met)
    assert score.latest.value == 70 and score.previous.value == 80


def test_indicator_values_after_the_date_are_ignored_and_equal_values_are_no_change():
    indicator = Indicator.model_validate({**INDICATOR, "polarity": "higher-is-better"})
    assert indicator.score(date(2015, 1, 1)).direction == "no-previous"
    flat = Indicator.model_validate({**INDICATOR, "polarity": "higher-is-better", "values": [
        {"period": "Q3", "date": "2014-12-31", "value": 80}, {"period": "Q4", "date": "2015-03-31", "value": 80}]})
    assert flat.score(date(2015, 4, 21)).direction == "no-change"
