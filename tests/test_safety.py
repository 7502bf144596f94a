"""The personal-data guard: what identifies a person is stopped in data and pages, at its file and line;
a false alarm is cleared only by a reviewed allow-list entry for that text in that file."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from plugins.core.cli import main
from plugins.core.problems import DataError
from plugins.safety.detectors import classify, find, normalise
from tests.helpers import ROOT, TINY_DATA, edit, load, make_project, run_kb

CORPUS = ROOT / "tests" / "fixtures" / "personal-data"
PUBLIC = frozenset({"03000411111", "03000419191"})


def plants() -> list[tuple[str, object]]:
    return [(kind, text) for kind, texts in yaml.safe_load((CORPUS / "plants.yml").read_text()).items()
            for text in texts]


def clean_lines() -> list[str]:
    return [line for line in (CORPUS / "clean.txt").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def validate(project: Path, expect: int | None = None) -> list[str]:
    """What `kb validate` reports for a project, run in this process (fast): its problem lines, [] if none."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), contextlib.chdir(project):
        code = main(["validate"])
    assert "Traceback" not in err.getvalue()
    if expect is not None:
        assert code == expect, out.getvalue() + err.getvalue()
    return err.getvalue().strip().splitlines()[:-1] if code else []


def stopped(text: object) -> bool:
    if isinstance(text, int):
        return bool(classify(str(text), numeric=True)[0])
    return bool(find(normalise(str(text)), PUBLIC))


def test_every_plant_in_the_corpus_is_stopped_and_no_clean_line_is(capsys):
    missed = [(kind, text) for kind, text in plants() if not stopped(text)]
    alarms = [line for line in clean_lines() if stopped(line)]
    with capsys.disabled():
        total = len(plants())
        print(f"\npersonal-data guard: {total - len(missed)} of {total} plants stopped; "
              f"{len(alarms)} false alarms in {len(clean_lines())} lines of clean text")
    assert missed == []
    assert alarms == []


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "project")


def problems_in(project: Path) -> list[str]:
    return validate(project)



def test_personal_data_is_refused_in_data_and_in_pages_with_file_and_line(project):
    edit(project / "data" / "roles.yml", "description: Works with children.",
         "description: Works with children. Ring Jane on 07700 900123.")
    (project / "docs" / "about.md").write_text("# About\n\nIntro.\n\nChild A, Jane Smith, aged 14, went missing.\n",
                                               encoding="utf-8")
    found = problems_in(project)
    assert found[0].startswith("data/roles.yml:5: role social-worker: description: '07700 900123' looks like a "
                               "telephone number")
    assert found[1].startswith("docs/about.md:5: 'Child A, Jane Smith' looks like a person's name in a case "
                               "description")
    assert len(found) == 2


def test_numbers_typed_into_numeric_fields_are_stopped(project):
    edit(project / "data" / "contacts.yml", "  hours: 24 hours\n", "  hours: 24 hours\n  order: 447700900123\n")
    [problem] = problems_in(project)
    assert problem.startswith("data/contacts.yml:5: contact emergency: order: '447700900123' looks like a "
                              "telephone number (written as a number)")


def test_the_guard_runs_even_when_records_are_invalid(project):
    edit(project / "data" / "sources.yml", "published: 2012-07-31", "published: 2012-07-32")
    edit(project / "data" / "roles.yml", "description: Works with children.", "description: jane@kent.gov.uk")
    found = problems_in(project)
    assert any("is not a real date" in line for line in found)
    assert any("'jane@kent.gov.uk' looks like an e-mail address" in line for line in found)


def test_public_service_numbers_in_contacts_are_not_personal_data(project):
    edit(project / "data" / "roles.yml", "description: Works with children.",
         "description: Works with children; ring 999 or the Central Referral Unit.")
    assert problems_in(project) == []


ALLOWED = """\
- id: switchboard-on-about
  text: "03000 41 41 41"
  file: {file}
  reviewed_by: social-worker
  reviewed: 2015-04-21
  reason: The council's published switchboard number, printed on every committee report.
"""


def test_a_false_alarm_is_cleared_only_by_a_reviewed_entry_for_that_text_in_that_file(project):
    about = project / "docs" / "about.md"
    about.write_text("# About\n\nThe council's switchboard is 03000 41 41 41.\n", encoding="utf-8")
    allowed = project / "data" / "personal-data-allowed.yml"
    [problem] = problems_in(project)
    assert problem.startswith("docs/about.md:3: '03000 41 41 41' looks like a telephone number")

    allowed.write_text(ALLOWED.format(file="docs/index.md"), encoding="utf-8")  # the wrong file clears nothing
    assert any(p.startswith("docs/about.md:3:") for p in problems_in(project))

    allowed.write_text(ALLOWED.format(file="docs/about.md"), encoding="utf-8")
    assert problems_in(project) == []
    assert run_kb("build", "-d", "site", cwd=project).returncode == 0

    about.write_text("# About\n\nNo number here any more.\n", encoding="utf-8")
    assert problems_in(project) == ["data/personal-data-allowed.yml:1: allowed text switchboard-on-about: "
                                    "'03000 41 41 41' is not stopped by the guard in docs/about.md (or is not "
                                    "there): remove this entry"]


def test_an_allow_list_entry_must_say_who_reviewed_it_and_why(project):
    (project / "data" / "personal-data-allowed.yml").write_text(
        '- id: unexplained\n  text: "03000 41 41 41"\n  file: docs/about.md\n', encoding="utf-8")
    found = problems_in(project)
    assert "data/personal-data-allowed.yml:1: allowed text unexplained: reviewed_by: required field is missing" \
        in found
    assert "data/personal-data-allowed.yml:1: allowed text unexplained: reason: required field is missing" in found


def test_the_shipped_data_and_pages_raise_no_alarm():
    load(ROOT / "data")  # raises DataError on any personal-data problem
    assert run_kb("validate", cwd=ROOT).returncode == 0


ADVERSARIAL = ["a", "1", "@", "a@", "a.", "1 ", "1-", "a at ", "a dot ", "Mr ", "born ", "child ", "Child A, ",
               "Jane Smith, aged 1", "ME14 1AA ", "12 Acacia Avenue ", "AB 12 ", "07700 ", "(", "a@a.", "[at]",
               "lives at 1 ", "DOB 12/03/2004 ", "O", "_at_", "x" * 63 + ".", "1/", "12 March "]


def test_the_patterns_stay_linear_on_a_200_kb_word():
    """A guard against catastrophic backtracking, not a performance test: each 200 KB word takes well under a
    second when the patterns are linear, and hours when one backtracks; the limit only tells the two apart."""
    script = ("import sys\nfrom plugins.safety.detectors import find, normalise\n"
              "for word in sys.argv[1:]:\n    find(normalise((word * (200_000 // len(word) + 1))[:200_000]))\n")
    result = subprocess.run([sys.executable, "-c", script, *ADVERSARIAL], cwd=ROOT, timeout=300,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_page_full_of_one_long_word_is_checked_like_any_other(project):
    (project / "docs" / "about.md").write_text("# About\n\n" + "a@" * 100_000 + "\n", encoding="utf-8")
    assert validate(project) == []


def test_the_tiny_fixture_is_clean():
    """The tiny data most build tests use passes the guard as it stands."""
    try:
        load(TINY_DATA)
    except DataError as error:  # pragma: no cover - the message is the point
        pytest.fail(str(error))
