"""The typed models: partial dates, plain-text titles, sourced records, periods."""

import pytest
from pydantic import ValidationError

from plugins.organisation.models import Contact
from plugins.sources.models import Source
from plugins.core.types import PartialDate

SOURCE = dict(id="s", title="An inspection", short_title="Insp", kind="ofsted-inspection",
              published="2012-07-31", judgement="adequate", summary="Text.", cites=["r"])


@pytest.mark.parametrize("text, long, precision", [
    ("2012-07-31", "31 July 2012", "day"),
    ("2014-11", "November 2014", "month"),
    ("2015", "2015", "year"),
])
def test_partial_dates_keep_their_precision(text, long, precision):
    value = PartialDate.parse(text)
    assert (value.long(), value.precision, str(value)) == (long, precision, text)


@pytest.mark.parametrize("text", ["2015-02-30", "2015-13", "31/07/2012", "2015-2-3"])
def test_impossible_or_malformed_dates_are_refused(text):
    with pytest.raises(ValidationError) as error:
        Source.model_validate({**SOURCE, "published": text})
    assert text in str(error.value)


def test_a_record_must_cite_a_source_or_say_it_is_illustrative():
    with pytest.raises(ValidationError, match="without a source"):
        Source.model_validate({**SOURCE, "cites": []})
    assert Source.model_validate({**SOURCE, "cites": [], "illustrative": "All of it."}).illustrative == "All of it."


def test_titles_are_plain_text():
    with pytest.raises(ValidationError, match="plain text"):
        Source.model_validate({**SOURCE, "title": "<script>x()</script>"})


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError, match="extra"):
        Source.model_validate({**SOURCE, "judgment": "good"})


def test_fieldwork_cannot_end_before_it_starts_or_be_published_before():
    with pytest.raises(ValidationError, match="ends"):
        Source.model_validate({**SOURCE, "carried_out": {"start": "2014-10-17", "end": "2014-10-13"}})
    with pytest.raises(ValidationError, match="published"):
        Source.model_validate({**SOURCE, "carried_out": {"start": "2012-08"}})


def test_source_sits_on_the_timeline_at_publication_else_fieldwork():
    assert str(Source.model_validate(SOURCE).date) == "2012-07-31"
    undated = {k: v for k, v in SOURCE.items() if k != "published"}
    assert str(Source.model_validate({**undated, "carried_out": {"start": "2015-01"}}).date) == "2015-01"


def test_contact_numbers_become_tel_links():
    contact = Contact.model_validate(dict(id="cru", name="CRU", number="03000 41 11 11", hours="office",
                                          use_for="Referrals.", cites=["r"]))
    assert contact.tel == "tel:03000411111"


@pytest.mark.parametrize("text", ["2014-00-05", "2014-00", "2014-02-00"])
def test_month_and_day_zero_are_not_dates(text):
    with pytest.raises(ValidationError, match="not a real date"):
        Source.model_validate({**SOURCE, "published": text})


def test_figures_cannot_be_nan_or_infinite():
    from plugins.plan.models import Indicator

    base = dict(id="i", name="I", definition="d", polarity="higher-is-better", unit="number", target=1, cites=["r"])
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValidationError):
            Indicator.model_validate({**base, "values": [{"period": "Q1", "date": "2015-03-31", "value": bad}]})
