"""The face check as a declared rule: the engine makes sure of it before every page that needs it, whatever the
buttons' `calls:` say, and a pass is the citizen's for the minutes the journey declares."""
from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from renderer.definition.loader import FORMS_DIR
from renderer.journey.verification import PASSES
from renderer.web.app import create_app
from tests.integration.conftest import ZHANG, Citizen, settings_for


def _app(tmp_path: Path, forms: Path = FORMS_DIR) -> Any:
    return create_app(dataclasses.replace(settings_for(tmp_path / "app.sqlite3"), forms=forms))


@pytest.fixture
def walker(tmp_path: Path) -> Iterator[tuple[Citizen, Any]]:
    app = _app(tmp_path)
    with TestClient(app, follow_redirects=True) as client:
        yield Citizen(client), app


def _edited_forms(tmp_path: Path, old: str, new: str) -> Path:
    root = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, root)
    adult = root / "journeys" / "adult.yaml"
    text = adult.read_text(encoding="utf-8")
    assert old in text
    adult.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def _past_the_guide_without_a_pass(citizen: Citizen, app: Any) -> None:
    """Through the guide's face check, then the pass is gone (expired): the draft says the guide was passed."""
    citizen.sign_in()
    citizen.get("/j/adult")
    citizen.post("/j/adult/guide", {"_action": "button:0", "agreed": "1"})
    assert citizen.post(str(citizen.last.url), {"result": "pass"}).url.path == "/j/adult/eligibility"
    identity = app.state.services.sign_in.sign_in(ZHANG)
    app.state.store.records.remove(PASSES, f"face_check:{identity.key}")


def test_a_page_that_needs_the_face_check_sends_a_citizen_without_a_pass_to_it_first(walker: tuple[Citizen, Any]) -> None:
    citizen, app = walker
    _past_the_guide_without_a_pass(citizen, app)
    shown = citizen.get("/j/adult/eligibility")
    assert shown.url.path == "/j/adult/eligibility/verify" and "模拟核验通过" in shown.text
    passed = citizen.post(str(shown.url), {"result": "pass"})
    assert passed.url.path == "/j/adult/eligibility" and "申请资格校验" in passed.text


def test_a_post_to_such_a_page_without_a_pass_is_not_taken(walker: tuple[Citizen, Any]) -> None:
    citizen, app = walker
    _past_the_guide_without_a_pass(citizen, app)
    answer = citizen.post("/j/adult/eligibility", {"_action": "button:0", "intended_city": "广州市"})
    assert answer.url.path == "/j/adult/eligibility/verify"
    identity = app.state.services.sign_in.sign_in(ZHANG)
    draft = app.state.engine.drafts.load(identity.key, "adult")
    assert "intended_city" not in draft.raw


def test_a_failed_check_before_a_page_goes_back_to_the_guide_with_the_declared_message(
        walker: tuple[Citizen, Any]) -> None:
    citizen, app = walker
    _past_the_guide_without_a_pass(citizen, app)
    shown = citizen.get("/j/adult/eligibility")
    failed = citizen.post(str(shown.url), {"result": "fail"})
    assert "人脸核验未通过,请重新核验" in failed.text and "办事指南" in failed.text
    assert citizen.get("/j/adult/eligibility").url.path == "/j/adult/eligibility/verify"     # still no pass


def test_a_pass_is_kept_for_the_declared_minutes_then_asked_again(walker: tuple[Citizen, Any]) -> None:
    citizen, app = walker
    citizen.sign_in()
    citizen.walk_to_confirm(until="pickup")
    assert citizen.get("/j/adult/pickup").url.path == "/j/adult/pickup"      # the pass from the guide holds
    identity = app.state.services.sign_in.sign_in(ZHANG)
    key = f"face_check:{identity.key}"
    kept = app.state.store.records.get(PASSES, key)
    assert kept is not None
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=31)
    assert app.state.store.records.get(PASSES, key, now=later) is None        # valid_minutes: 30
    app.state.store.records.remove(PASSES, key)                              # as if 31 minutes had passed
    again = citizen.get("/j/adult/pickup")
    assert again.url.path == "/j/adult/pickup/verify"
    assert citizen.post(str(again.url), {"result": "pass"}).url.path == "/j/adult/pickup"


def test_calls_listed_in_another_order_still_verify_first(tmp_path: Path) -> None:
    forms = _edited_forms(tmp_path, "calls: [face_check, precheck]", "calls: [precheck, face_check]")
    with TestClient(_app(tmp_path, forms), follow_redirects=True) as client:
        citizen = Citizen(client)
        citizen.sign_in()
        citizen.get("/j/adult")
        pressed = citizen.post("/j/adult/guide", {"_action": "button:0", "agreed": "1"})
        assert pressed.url.path == "/j/adult/guide/verify"
        assert citizen.post(str(pressed.url), {"result": "pass"}).url.path == "/j/adult/eligibility"


def test_a_failed_check_at_a_button_stays_on_the_guide(walker: tuple[Citizen, Any]) -> None:
    citizen, app = walker
    citizen.sign_in()
    citizen.get("/j/adult")
    pressed = citizen.post("/j/adult/guide", {"_action": "button:0", "agreed": "1"})
    failed = citizen.post(str(pressed.url), {"result": "fail"})
    assert "人脸核验未通过,请重新核验" in failed.text
    identity = app.state.services.sign_in.sign_in(ZHANG)
    assert app.state.store.records.get(PASSES, f"face_check:{identity.key}") is None       # no pass was kept
