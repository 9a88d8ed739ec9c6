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
from sqlalchemy import select
from starlette.testclient import TestClient

from renderer.definition.loader import FORMS_DIR
from renderer.journey.verification import PASSES, pass_key
from renderer.store.tables import sessions
from renderer.web.app import create_app
from tests.integration.conftest import ZHANG, Citizen, settings_for


def _signed_in(app: Any) -> Any:
    """张伟 as the product sees him in his one live sign-in: a face-check pass is kept per sign-in."""
    identity = app.state.services.sign_in.sign_in(ZHANG)
    with app.state.store.db.read() as conn:
        session_id = conn.execute(select(sessions.c.id_hash).where(sessions.c.owner == identity.key,
                                                              sessions.c.revoked_at.is_(None))).scalar_one()
    return dataclasses.replace(identity, session=session_id)


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
    identity = _signed_in(app)
    app.state.store.records.remove(PASSES, pass_key(identity, "face_check"))


def _check_begun(citizen: Citizen, shown: Any) -> Any:
    """The screen a GET leads to begins nothing: 开始人脸核验 (a POST) begins the check, then its screen is shown."""
    assert "开始人脸核验" in shown.text and "模拟核验通过" not in shown.text
    begun = citizen.post(str(shown.url), {"_action": "begin"})
    assert begun.url.path == shown.url.path and "模拟核验通过" in begun.text
    return begun


def test_a_page_that_needs_the_face_check_sends_a_citizen_without_a_pass_to_it_first(walker: tuple[Citizen, Any]) -> None:
    citizen, app = walker
    _past_the_guide_without_a_pass(citizen, app)
    shown = citizen.get("/j/adult/eligibility")
    assert shown.url.path == "/j/adult/eligibility/verify"
    shown = _check_begun(citizen, shown)
    passed = citizen.post(str(shown.url), {"result": "pass"})
    assert passed.url.path == "/j/adult/eligibility" and "申请资格校验" in passed.text


def test_a_post_to_such_a_page_without_a_pass_is_not_taken(walker: tuple[Citizen, Any]) -> None:
    citizen, app = walker
    _past_the_guide_without_a_pass(citizen, app)
    answer = citizen.post("/j/adult/eligibility", {"_action": "button:0", "intended_city": "广州市"})
    assert answer.url.path == "/j/adult/eligibility/verify"
    identity = _signed_in(app)
    draft = app.state.engine.drafts.load(identity.key, "adult")
    assert "intended_city" not in draft.raw


def test_a_failed_check_before_a_page_goes_back_to_the_guide_with_the_declared_message(
        walker: tuple[Citizen, Any]) -> None:
    citizen, app = walker
    _past_the_guide_without_a_pass(citizen, app)
    shown = _check_begun(citizen, citizen.get("/j/adult/eligibility"))
    failed = citizen.post(str(shown.url), {"result": "fail"})
    assert "人脸核验未通过,请重新核验" in failed.text and "办事指南" in failed.text
    assert citizen.get("/j/adult/eligibility").url.path == "/j/adult/eligibility/verify"     # still no pass


def test_a_pass_is_kept_for_the_declared_minutes_then_asked_again(walker: tuple[Citizen, Any]) -> None:
    citizen, app = walker
    citizen.sign_in()
    citizen.walk_to_confirm(until="pickup")
    assert citizen.get("/j/adult/pickup").url.path == "/j/adult/pickup"      # the pass from the guide holds
    identity = _signed_in(app)
    key = pass_key(identity, "face_check")
    kept = app.state.store.records.get(PASSES, key)
    assert kept is not None
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=31)
    assert app.state.store.records.get(PASSES, key, now=later) is None        # valid_minutes: 30
    app.state.store.records.remove(PASSES, key)                              # as if 31 minutes had passed
    again = citizen.get("/j/adult/pickup")
    assert again.url.path == "/j/adult/pickup/verify"
    again = _check_begun(citizen, again)
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
    identity = _signed_in(app)
    assert app.state.store.records.get(PASSES, pass_key(identity, "face_check")) is None       # no pass was kept


WANG_FANG = "440105198502114020"
JOHN_SMITH = "USA110088042512"


def test_a_guardian_passes_one_face_check_from_the_adult_guide_to_the_minors_eligibility(
        walker: tuple[Citizen, Any]) -> None:
    citizen, _ = walker
    citizen.sign_in(WANG_FANG)
    citizen.get("/j/adult")
    pressed = citizen.post("/j/adult/guide", {"_action": "button:1", "agreed": "1"})     # 代未成年子女办理
    assert pressed.url.path == "/j/adult/guide/verify"
    minor = citizen.post(str(pressed.url), {"result": "pass"})
    assert minor.url.path == "/j/minor/guide"
    onward = citizen.post("/j/minor/guide", {"_action": "button:0", "agreed": "1"})
    assert onward.url.path == "/j/minor/eligibility", "the pass from the adult guide holds for the minor's guide"


def test_a_face_check_passed_holds_for_that_sign_in_only(walker: tuple[Citizen, Any]) -> None:
    citizen, _ = walker
    citizen.sign_in()
    citizen.get("/j/adult")
    pressed = citizen.post("/j/adult/guide", {"_action": "button:0", "agreed": "1"})
    assert citizen.post(str(pressed.url), {"result": "pass"}).url.path == "/j/adult/eligibility"
    citizen.sign_in()                  # signing in again (another phone, or after 退出) checks the face again
    assert citizen.get("/j/adult/eligibility").url.path == "/j/adult/eligibility/verify"


def test_a_resident_type_that_cannot_apply_online_is_told_before_any_face_check(walker: tuple[Citizen, Any]) -> None:
    citizen, _ = walker
    citizen.sign_in(JOHN_SMITH)
    citizen.get("/j/adult")
    pressed = citizen.post("/j/adult/guide", {"_action": "button:0", "agreed": "1"})
    assert pressed.url.path == "/j/adult/guide", "no face check first"
    assert "暂不支持华侨及外国人线上办理" in pressed.text
