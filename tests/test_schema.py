"""`kb schema`: JSON Schema generated from the models accepts the shipped data and refuses bad data."""

import json

import jsonschema
import pytest

from plugins.core.loader import load_yaml
from plugins.core.loading import register_collections
from plugins.core.manager import get_plugin_manager
from tests.helpers import ROOT, run_kb


@pytest.fixture(scope="module")
def schemas(tmp_path_factory):
    out = tmp_path_factory.mktemp("schema")
    result = run_kb("schema", "--out", str(out), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return {path.name.removesuffix(".schema.json"): json.loads(path.read_text()) for path in out.glob("*.json")}


def test_a_schema_is_written_for_every_collection_named_after_its_data_file(schemas):
    collections = register_collections(get_plugin_manager())
    assert set(schemas) == set(collections)
    for name, schema in schemas.items():
        assert schema["title"] == f"data/{name}.yml" and (ROOT / "data" / f"{name}.yml").exists()


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
