"""schemathesis against the generated OpenAPI document, over real HTTP on the real index: for every
operation, generated requests (valid and invalid) never give a 5xx, and every response matches the
document (status code documented, content type, body schema). Bounded: a fixed number of examples
per operation, no shrinking, derandomized, so it takes the same few seconds on every run."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from indexer.query import MAX_RESULT_WINDOW
from search_ui.api_schema import openapi_document

schema = schemathesis.openapi.from_dict(openapi_document())
EXAMPLES = 25


def filter_query(ctx, query):
    """Cases the wire cannot carry as generated, and two rules a schema cannot state (each documented in its parameter's description, and a
    400 when broken): ``from`` not after ``to``, and ``page × per_page`` within the result window."""
    query = query or {}
    # A query parameter mutated into an object ({"a": "b"}) goes on the wire as a=b, the same as a
    # valid array would: no server can tell, so such cases test schemathesis, not the API.
    if any(isinstance(v, dict) for v in query.values()):
        return False
    if isinstance(query.get("from"), str) and isinstance(query.get("to"), str) and query["from"] > query["to"]:
        return False
    page, per_page = query.get("page", 1), query.get("per_page", 20)
    if isinstance(page, int) and isinstance(per_page, int) and page * per_page > MAX_RESULT_WINDOW:
        return False
    return True


@pytest.mark.timeout(300)
@schema.hooks.apply(filter_query)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_openapi_document(case, live):
    response = case.call(base_url=live.url)
    assert response.status_code < 500, (case.path, case.query, response.text[:300])
    case.validate_response(response)
