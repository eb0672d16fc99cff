"""What the OpenAPI description says beyond what django-ninja derives from the views, so
that a request the server refuses is not valid by the description:

- a query parameter is a value or absent: django-ninja describes `int | None` as
  "integer or null", but an address cannot carry null (`?year=null` is refused, 422);
- /api/figures takes its filters as one object (style form, explode: still one query
  parameter each, `?year=2023&region=410704&code=208`) so that the description can hold
  what the server asks of them together (schemas.FIGURE_SCOPE): `?code=208` alone is
  refused (422), and invalid by the description;
- /api/figures reads `offset` only up to queries.figure_offset_max() (deeper pages follow
  the `next` cursor): past it the server answers 400, so the description says that maximum
  and its 400 says why.

Error responses (400, 404, 414, 422) are declared where the operations are registered
(endpoints.get, bulk), with their bodies.
"""

from __future__ import annotations

from .queries import figure_offset_max
from .schemas import FIGURE_SCOPE, FIGURE_SCOPE_TEXT, RESPONSES, FigureFilters

FIGURES_OPERATION = "figure_list"
FILTERS = "filters"


def finish(document: dict) -> dict:
    """The document django-ninja built, completed as above (in place)."""
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", ()):
                if parameter["in"] == "query":
                    parameter["schema"] = _without_null(parameter["schema"])
            if operation.get("operationId") == FIGURES_OPERATION:
                _filters_as_one(operation)
                _offset_bounded(operation)
    return document


def _without_null(schema: dict) -> dict:
    """`{"anyOf": [X, {"type": "null"}], "default": None, …}` → X with the rest kept."""
    branches = [branch for branch in schema.get("anyOf", ()) if branch != {"type": "null"}]
    if len(branches) != 1 or len(branches) == len(schema["anyOf"]):
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf" and not (key == "default" and value is None)}
    return {**branches[0], **rest}


def _filters_as_one(operation: dict) -> None:
    names = set(FigureFilters.model_fields)
    parameters = operation["parameters"]
    filters = [parameter for parameter in parameters if parameter["name"] in names]
    operation["parameters"] = [
        {
            "in": "query",
            "name": FILTERS,
            "style": "form",
            "explode": True,
            "required": False,
            "description": f"筛选条件，每项为一个查询参数（如 ?year=2023&region=410704&code=208）；{FIGURE_SCOPE_TEXT}。",
            "schema": {
                "type": "object",
                "properties": {parameter["name"]: parameter["schema"] for parameter in filters},
                **FIGURE_SCOPE,
            },
        },
        *(parameter for parameter in parameters if parameter["name"] not in names),
    ]


def _offset_bounded(operation: dict) -> None:
    deepest = figure_offset_max()
    for parameter in operation["parameters"]:
        if parameter["name"] == "offset":
            parameter["schema"]["maximum"] = deepest
    refused = next(answer for status, answer in operation["responses"].items() if int(status) == 400)
    refused["description"] = f"{RESPONSES[400]}；或 offset 超过 {deepest}（更深的页请用 next 游标）"
