"""Applications describe themselves: each names its schema's address, the server serves that schema there, and
every application the adult and minor journeys make validates against it."""
from __future__ import annotations

from typing import Any

import jsonschema
from starlette.testclient import TestClient

from tests.integration.conftest import ZHANG, Citizen

WANG_FANG = "440105198502114020"


def submit(citizen: Citizen, journey: str) -> None:
    done = citizen.post(f"/j/{journey}/confirm", {"_action": "button:0"})
    assert done.url.path == f"/j/{journey}/result/submitted", citizen.errors()


def applications(app: Any, id_number: str) -> list[Any]:
    owner = app.state.services.sign_in.sign_in(id_number).key
    return app.state.store.applications_of(owner)


def problems(client: TestClient, payload: dict[str, Any]) -> list[str]:
    """What is wrong with `payload` by the schema served at the address it names."""
    answer = client.get(payload["schema"])
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/schema+json")
    schema = answer.json()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(payload)]


def test_the_schema_of_each_journeys_applications_is_served_at_a_stable_address(client: TestClient) -> None:
    schema = client.get("/schemas/applications/adult.json")
    assert schema.status_code == 200
    assert schema.json()["$id"] == "/schemas/applications/adult.json"
    assert "意向发卡地" in schema.text                 # the labels, as the analysts wrote them
    assert client.get("/schemas/applications/nosuch.json").status_code == 404
    assert client.get("/schema/form.schema.json").status_code == 200        # the DSL's own schema stays apart


def test_an_adult_application_validates_against_its_served_schema(citizen: Citizen, client: TestClient,
                                                                 app: Any) -> None:
    citizen.sign_in()
    citizen.walk_to_confirm()
    submit(citizen, "adult")
    [application] = applications(app, ZHANG)
    payload = application.payload
    assert problems(client, payload) == []
    assert payload["schema"] == "/schemas/applications/adult.json"
    assert payload["form"]["version"] == app.state.engine.definition.version
    documents = next(a for a in payload["fields"] if a["field"] == "documents")
    for image in documents["display"]:          # the uploads an application shows are kept with it
        assert client.get(f"/uploads/{image['upload']}").status_code == 200


def test_an_application_by_post_validates_against_its_served_schema(citizen: Citizen, client: TestClient,
                                                                   app: Any) -> None:
    citizen.sign_in()
    citizen.walk_to_confirm()
    citizen.post("/j/adult/pickup/refresh", {"pickup_method": "邮寄到付", "branch": "gz-lw-zhanqianlu"})
    citizen.post("/j/adult/pickup?edit=1", {"_action": "field:mail_notice:ack", "pickup_method": "邮寄到付",
                                            "branch": "gz-lw-zhanqianlu"})
    citizen.post("/j/adult/pickup?edit=1", {"_action": "button:0", "pickup_method": "邮寄到付", "mail_notice": "1",
                                            "branch": "gz-lw-zhanqianlu", "recipient_region.province": "广东省",
                                            "recipient_region.city": "广州市", "recipient_region.district": "天河区",
                                            "recipient_address": "天河路385号1201室"})
    assert citizen.last.url.path == "/j/adult/confirm", citizen.errors()
    submit(citizen, "adult")
    [application] = applications(app, ZHANG)
    assert problems(client, application.payload) == []
    assert application.payload["answers"]["recipient_region"]["district"] == "天河区"


def test_a_minor_application_validates_against_its_served_schema(citizen: Citizen, client: TestClient,
                                                                app: Any) -> None:
    citizen.sign_in(WANG_FANG)
    citizen.walk_minor_to_confirm()
    submit(citizen, "minor")
    [application] = applications(app, WANG_FANG)
    payload = application.payload
    assert problems(client, payload) == []
    assert payload["schema"] == "/schemas/applications/minor.json"
    assert payload["guardian"] == WANG_FANG
    registered = next(a for a in payload["fields"] if a["field"] == "register_valid_from")
    assert (registered["value"], registered["display"]) == ("2015-04-02", "2015-04-02")
    assert registered["page"] == {"id": "details", "title": "申请信息"}
