"""Validating data/: every problem at once, as `file:line: record: rule`, exit 1, no traceback."""

from pathlib import Path

import pytest

from plugins.core.problems import DataError
from tests.helpers import ROOT, edit, load, run_kb




def problems(data: Path) -> list[str]:
    with pytest.raises(DataError) as error:
        load(data)
    return [str(p) for p in error.value.problems]


def test_the_shipped_data_is_valid():
    kb = load()
    assert kb.record_count > 0 and set(kb.collections) >= {"sources", "glossary", "references"}


def test_impossible_date_names_file_line_record_and_rule(data):
    edit(data / "sources.yml", "published: 2012-07-31", "published: 2012-02-30")
    assert problems(data) == ["data/sources.yml:5: source fostering: published: '2012-02-30' is not a real date"]


def test_wrong_type_is_reported(data):
    edit(data / "sources.yml", "judgement: adequate", "judgement: 5")
    [message] = problems(data)
    assert message.startswith("data/sources.yml:6: source fostering: judgement: '5' is not allowed: expected ")


def test_unknown_reference_is_reported_at_its_line(data):
    edit(data / "roles.yml", "service: scs", "service: nobody")
    assert problems(data) == [
        "data/roles.yml:4: role social-worker: service: unknown service 'nobody' (not in data/services.yml)"]


def test_unknown_citation_in_a_list_points_at_the_item(data):
    edit(data / "glossary.yml", "definition: Social care.\n  plural: false\n  cites: [report-a]",
         "definition: Social care.\n  plural: false\n  cites:\n    - report-a\n    - no-such-report")
    assert problems(data) == [
        "data/glossary.yml:8: glossary term scs: cites[1]: unknown reference 'no-such-report' (not in data/references.yml)"]


def test_duplicate_key_is_refused(data):
    edit(data / "contacts.yml", "  hours: 24 hours\n", "  hours: 24 hours\n  hours: daytime\n")
    assert problems(data) == [
        "data/contacts.yml:5: contact emergency: duplicate key 'hours' (first at line 4); "
        "YAML would silently keep only the last value"]


def test_duplicate_id_is_refused(data):
    edit(data / "areas.yml", "- id: west", "- id: west\n  name: West\n  districts: [Sevenoaks]\n  cites: [report-a]\n- id: west")
    assert problems(data) == ["data/areas.yml:5: area west: duplicate id 'west' (also at data/areas.yml:1)"]


def test_a_record_without_a_source_is_refused(data):
    edit(data / "services.yml", "  cites: [report-a]\n", "")
    assert problems(data) == [
        "data/services.yml:1: service scs: states facts without a source: add `cites:` or mark it "
        "`illustrative:` saying what was assumed"]


def test_misspelt_field_is_refused(data):
    edit(data / "services.yml", "  kind: kcc-division\n", "  kind: kcc-division\n  colour: blue\n")
    assert problems(data) == [
        "data/services.yml:5: service scs: colour: unknown field (check the spelling; `kb schema` lists the fields)"]


def test_rules_across_records_are_checked(data):
    edit(data / "areas.yml", "districts: [Maidstone, Tunbridge Wells]", "districts: [Maidstone, maidstone]")
    assert problems(data) == ["data/areas.yml:3: area west: districts[1]: 'maidstone' is already listed in area 'west'"]


def test_kb_validate_reports_every_problem_at_once_and_exits_1(data):
    edit(data / "sources.yml", "published: 2012-07-31", "published: 2012-02-30")      # broken date
    edit(data / "roles.yml", "audience: staff", "audience: everyone")                   # unknown reference
    edit(data / "contacts.yml", "  hours: 24 hours\n", "  hours: 24 hours\n  hours: x\n")  # duplicate key
    edit(data / "glossary.yml", "  term: CSE", "  term: [CSE")                         # YAML syntax error
    result = run_kb("validate", "--data", str(data), cwd=data.parent)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "data/contacts.yml:5: contact emergency: duplicate key 'hours' (first at line 4); "
        "YAML would silently keep only the last value",
        "data/glossary.yml:8: YAML syntax error: a list opened with '[' on this line is not closed with ']', or a "
        "comma is missing between its items (YAML says: while parsing a flow sequence did not find expected ',' "
        "or ']')",
        "data/roles.yml:3: role social-worker: audience: unknown audience 'everyone' (not in data/audiences.yml)",
        "data/sources.yml:5: source fostering: published: '2012-02-30' is not a real date",
        "4 problems found in data/",
    ]


def test_kb_validate_passes_on_the_shipped_data():
    result = run_kb("validate", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("data/ is valid:")


def test_an_email_address_in_text_is_refused_as_personal_data(data):
    edit(data / "roles.yml", "description: Works with children.", "description: Contact jo.bloggs@kent.gov.uk.")
    assert problems(data) == [
        "data/roles.yml:5: role social-worker: description: 'jo.bloggs@kent.gov.uk' looks like an e-mail address: "
        "name a role, not a person (if it is not personal data, see data/personal-data-allowed.yml)"]


def test_a_phone_number_that_is_not_a_public_service_number_is_refused(data):
    edit(data / "roles.yml", "description: Works with children.", "description: Ring 07700 900123 or 999.")
    edit(data / "contacts.yml", 'number: "999"', "number: 03000 41 11 11")
    edit(data / "services.yml", "description: Children's social care.", "description: Ring 03000 411111.")
    [message] = problems(data)
    assert message.startswith("data/roles.yml:5: role social-worker: description: '07700 900123' looks like a "
                              "telephone number that is not a public service number in data/contacts.yml")


def test_an_update_dated_in_the_future_is_refused(data):
    edit(data / "actions.yml", "{date: 2015-04-21, status: at-risk", "{date: 2051-04-21, status: at-risk")
    assert problems(data) == [
        "data/actions.yml:11: action act-training: updates[1].date: 2051-04-21 is in the future: "
        "nothing can have been recorded then"]


@pytest.mark.parametrize("number", ["(01622) 696000", "+44 (0)7700 900123", "0044 7700 900123", "07700.900.123"])
def test_phone_numbers_written_in_other_ways_are_caught(data, number):
    edit(data / "roles.yml", "description: Works with children.", f"description: Ring {number} today.")
    [message] = problems(data)
    assert "looks like a telephone number that is not a public service number" in message


def test_content_above_the_sites_classification_is_refused(data):
    edit(data / "policies.yml", "classification: unrestricted", "classification: official-sensitive")
    assert problems(data) == ["data/policies.yml:11: policy missing-2015: classification: 'official-sensitive' "
                              "is above this build's classification ('unrestricted'): it must not be published here"]
    load(data, classification="official-sensitive")


def test_a_bad_classification_setting_is_one_clear_line(data):
    result = run_kb("validate", "--data", str(data), cwd=ROOT, env={"KB_CLASSIFICATION": "secret"})
    assert result.returncode == 1
    assert result.stderr.strip() == ("KB_CLASSIFICATION='secret' is not a classification: "
                                     "use one of unrestricted, official, official-sensitive")
