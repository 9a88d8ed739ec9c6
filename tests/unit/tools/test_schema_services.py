"""The schema's service names and `verify:` come from the services registry, and the file says what it says."""
from __future__ import annotations

import json

from renderer.services.registry import SERVICES, VERIFICATIONS
from renderer.tools.schema_services import SCHEMA, apply, render


def test_the_schema_file_is_up_to_date_with_the_registry() -> None:
    text = SCHEMA.read_text(encoding="utf-8")
    assert render(apply(json.loads(text))) == text, \
        "forms/schema/form.schema.json is out of date: run python -m renderer.tools.schema_services"


def test_every_service_is_named_with_its_arguments_and_outcomes() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    names = schema["$defs"]["serviceName"]
    assert names["enum"] == list(SERVICES)
    for name, service in SERVICES.items():
        assert f"{name}: {service.summary}" in names["description"]
        assert "outcomes: " + ", ".join(service.codes) in names["description"]
    assert schema["properties"]["verify"]["items"]["properties"]["service"]["enum"] == list(VERIFICATIONS)
