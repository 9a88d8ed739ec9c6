"""Every page of every journey says where the citizen is, as text a screen reader reads with the page's heading:
第n步/共m步 (n and m from the journey's `steps:`) on a page of a step, the journey's name on the others (its guide,
the face check, its results)."""
from __future__ import annotations

import re
from typing import Any

import pytest

from renderer.definition.model import Journey
from renderer.web.app import create_app
from tests.integration.conftest import Citizen, settings_for

WHERE = re.compile(r'<p class="where[^"]*" id="where">([^<]*)</p>\s*<h1[^>]*aria-describedby="where"')


@pytest.fixture
def app(database: Any) -> Any:
    """The app with the analysts' preview, which opens any page without walking to it."""
    return create_app(settings_for(database), preview=True)


def where(html: str) -> str:
    found = WHERE.search(html)
    assert found, "no 'where am I' text describing the page's heading"
    return found.group(1)


def expected(journey: Journey, step: str | None) -> str:
    if step in journey.steps:
        return f"第{journey.steps.index(step) + 1}步/共{len(journey.steps)}步"
    return journey.title


def test_every_page_of_every_journey_says_where_the_citizen_is(citizen: Citizen, app: Any) -> None:
    citizen.sign_in()
    journeys = app.state.engine.definition.journeys.values()
    seen = set()
    for journey in journeys:
        for page in journey.pages:
            shown = where(citizen.get(f"/preview/{journey.id}/{page.id}?state=filled").text)
            assert shown == expected(journey, page.step), (journey.id, page.id)
            seen.add(shown)
    assert "第1步/共6步" in seen and "第6步/共6步" in seen and "社保卡申领" in seen      # both kinds were there


def test_the_face_check_and_the_results_say_which_journey(citizen: Citizen) -> None:
    citizen.sign_in("440104199303032645")        # 赵敏: the provincial system refuses her first submission
    citizen.get("/j/adult")
    face = citizen.post("/j/adult/guide", {"_action": "button:0", "agreed": "1"})
    assert "<h1" in face.text and where(face.text) == "社保卡申领"
    citizen.walk_to_confirm()
    failed = citizen.post("/j/adult/confirm", {"_action": "button:0"})
    assert failed.url.path == "/j/adult/result/failed" and where(failed.text) == "社保卡申领"


def test_a_submitted_application_says_which_journey(citizen: Citizen) -> None:
    citizen.sign_in()
    citizen.walk_to_confirm()
    done = citizen.post("/j/adult/confirm", {"_action": "button:0"})
    assert done.url.path == "/j/adult/result/submitted" and where(done.text) == "社保卡申领"
