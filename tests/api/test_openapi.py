"""The served OpenAPI document: every endpoint, GET only, described in Chinese."""

from __future__ import annotations

import re

import pytest

CHINESE = re.compile(r"[\u4e00-\u9fff]")
PATHS = {
    "/api/disclosures",
    "/api/disclosures/{disclosure_id}",
    "/api/versions/{version_id}",
    "/api/versions/{version_id}/tables/{table}",
    "/api/figures",
    "/api/years/{year}/figures.csv",
}


@pytest.fixture(scope="module")
def document(openapi) -> dict:
    return openapi.spec.read_value()


def test_it_describes_every_endpoint_in_chinese(document):
    assert CHINESE.search(document["info"]["title"]) and CHINESE.search(document["info"]["description"])
    assert set(document["paths"]) == PATHS
    for path, operations in document["paths"].items():
        assert set(operations) == {"get"}, path
        operation = operations["get"]
        assert CHINESE.search(operation["summary"]) and CHINESE.search(operation["description"]), path
        for parameter in operation.get("parameters", []):
            assert CHINESE.search(parameter.get("description", "")), (path, parameter["name"])
        for status, response in operation["responses"].items():
            assert CHINESE.search(response["description"]), (path, status)


def test_every_field_is_described_in_chinese(document):
    for name, schema in document["components"]["schemas"].items():
        for field, prop in schema["properties"].items():
            assert CHINESE.search(prop.get("description", "")), (name, field)


def test_amounts_are_two_decimal_strings(document):
    schemas = document["components"]["schemas"]
    amount = {"type": "string", "pattern": r"^-?\d+\.\d{2}$"}
    assert schemas["FigureOut"]["properties"]["amount"]["anyOf"][0] == amount
    assert schemas["RowOut"]["properties"]["cells"]["additionalProperties"]["anyOf"][0] == amount
    assert all(p["anyOf"][0] == amount for p in schemas["KeyFiguresOut"]["properties"].values())


def test_the_csv_is_documented_as_csv(document):
    responses = document["paths"]["/api/years/{year}/figures.csv"]["get"]["responses"]
    assert set(responses["200"]["content"]) == {"text/csv"}
