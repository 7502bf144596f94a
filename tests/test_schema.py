"""`kb schema`: JSON Schema generated from the models accepts the shipped data and refuses bad data."""

import json

import jsonschema
import pytest

from plugins.loader import load_yaml
from tests.helpers import ROOT, run_kb


@pytest.fixture(scope="module")
def schemas(tmp_path_factory):
    out = tmp_path_factory.mktemp("schema")
    result = run_kb("schema", "--out", str(out), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return {path.name.removesuffix(".schema.json"): json.loads(path.read_text()) for path in out.glob("*.json")}


def test_a_schema_is_written_for_every_collection(schemas):
    assert set(schemas) == {"references", "services", "areas", "audiences", "roles", "contacts", "sources",
                            "reports", "glossary", "themes", "recommendations", "actions", "indicators",
                            "policies", "guidance", "toolkits", "courses", "demand", "jsna", "programmes"}


def test_the_shipped_data_matches_its_schema(schemas):
    for name, schema in schemas.items():
        data, problems = load_yaml(ROOT / schema["title"])
        assert problems == []
        jsonschema.validate(json.loads(json.dumps(data)), schema)


def test_the_schema_refuses_a_misspelt_field_and_a_bad_id(schemas):
    record = {"id": "cse", "term": "CSE", "stands_for": "Child sexual exploitation", "definition": "x",
              "cites": ["r"]}
    jsonschema.validate([record], schemas["glossary"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{**record, "defintion": "typo"}], schemas["glossary"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{**record, "id": "Not An Id"}], schemas["glossary"])
