"""The schema page is made once per process and served from then on: every reader gets the
same document, in the format they ask for, equal to what the generator makes."""

from __future__ import annotations

import json

import yaml
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from config.api_docs import SchemaView


def _generated() -> dict:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


def test_the_yaml_and_json_schemas_are_the_generated_one(agent_client):
    generated = _generated()

    as_yaml = agent_client.get("/api/schema/")
    as_json = agent_client.get("/api/schema/", {"format": "json"})

    assert as_yaml["Content-Type"] == "application/vnd.oai.openapi; charset=utf-8"
    assert yaml.safe_load(as_yaml.content) == generated
    assert as_json["Content-Type"] == "application/vnd.oai.openapi+json"
    assert as_json.json() == generated
    assert 'filename="Huddle API.json"' in as_json["Content-Disposition"]


def test_a_second_request_is_served_the_kept_document(agent_client, client, manager):
    first = agent_client.get("/api/schema/", {"format": "json"})
    kept = dict(SchemaView._rendered)

    client.force_login(manager)
    second = client.get("/api/schema/", {"format": "json"})

    assert second.content == first.content
    assert SchemaView._rendered == kept  # nothing new was made for the second reader


def test_the_schema_still_needs_a_signed_in_reader(client):
    assert client.get("/api/schema/", {"format": "json"}).status_code in (401, 403)
