"""Analysts change a live journey while a citizen is halfway through it; the server restarts on the new forms. The
citizen finishes without an error: on their own version when the change would break their answers, on the new one
when every change is compatible for them; and the application names the version it was made with."""
from __future__ import annotations

import dataclasses
import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from renderer.definition.loader import FORMS_DIR, load_or_raise
from renderer.web.app import create_app
from tests.integration.conftest import ZHANG, Citizen, settings_for


@pytest.fixture
def database(each_engine: str) -> str:
    return each_engine


def edit(forms: Path, name: str, old: str, new: str) -> None:
    path = forms / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{name} no longer has {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def new_required_field(forms: Path) -> None:
    edit(forms, "fragments/details.yaml",
         "          - {id: ethnicity, kind: select, label: 民族, options: lists.ethnicities, required: true}\n",
         "          - {id: ethnicity, kind: select, label: 民族, options: lists.ethnicities, required: true}\n"
         "          - {id: nickname, kind: text, label: 曾用名, required: true, max_length: 20}\n")


def bank_removed(forms: Path) -> None:
    edit(forms, "cities/guangzhou.yaml", "banks: [工商银行, ", "banks: [")


def pages_reordered(forms: Path) -> None:
    edit(forms, "journeys/adult.yaml", "  - include: photo\n\n  - include: details\n",
         "  - include: details\n\n  - include: photo\n")


def page_renamed(forms: Path) -> None:
    edit(forms, "fragments/photo.yaml", "  - id: photo\n", "  - id: card_photo\n")
    edit(forms, "journeys/adult.yaml", "edit: photo,", "edit: card_photo,")
    minor = forms / "journeys" / "minor.yaml"
    minor.write_text(minor.read_text(encoding="utf-8").replace("edit: photo", "edit: card_photo"), encoding="utf-8")


def new_check_on_a_passed_page(forms: Path) -> None:
    edit(forms, "journeys/adult.yaml", "          - {service: eligibility_check, with: {city: intended_city}}\n",
         "          - precheck\n          - {service: eligibility_check, with: {city: intended_city}}\n")


def new_city(forms: Path) -> None:
    shutil.copy(forms / "cities" / "yunfu.yaml", forms / "cities" / "xinshi.yaml")
    edit(forms, "cities/xinshi.yaml", "city: 云浮市", "city: 新示市")
    edit(forms, "cities/xinshi.yaml", 'code: "4453"', 'code: "4499"')
    edit(forms, "lists/issuing_cities.yaml", "  - 云浮市\n", "  - 云浮市\n  - 新示市\n")


# (the change, whether a citizen who passed 申请信息 with 工商银行 may move to it)
CHANGES: list[tuple[Callable[[Path], None], bool]] = [
    (new_required_field, False),     # a page they passed now needs more: they finish on their version
    (bank_removed, False),           # the bank they chose is gone
    (pages_reordered, True),         # both pages passed: nothing to redo
    (page_renamed, False),           # a page they passed no longer exists by that name
    (new_check_on_a_passed_page, False),   # a service the new version runs on a page they passed: not skipped
    (new_city, True),                # nothing they answered changes
]


def copy_of_forms(tmp_path: Path) -> Path:
    forms = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, forms)
    return forms


def halfway(settings: Any) -> tuple[TestClient, Citizen, str]:
    """A citizen through 申请信息 (on 领卡方式) on these settings' forms; then that server stops."""
    before = TestClient(create_app(settings), follow_redirects=True)
    citizen = Citizen(before)
    citizen.sign_in()
    citizen.walk_to_confirm(until="pickup")
    version = before.app.state.engine.definition.version
    before.app.state.store.close()
    return before, citizen, version


@pytest.mark.parametrize(("change", "moves"), CHANGES, ids=[c.__name__ for c, _ in CHANGES])
def test_a_citizen_in_flight_finishes_after_a_change(change: Callable[[Path], None], moves: bool, database: Any,
                                                      tmp_path: Path, caplog: Any) -> None:
    forms = copy_of_forms(tmp_path)
    first_settings = dataclasses.replace(settings_for(database), forms=forms)
    before, citizen, old_version = halfway(first_settings)

    change(forms)
    new_version = load_or_raise(forms).version
    assert new_version != old_version
    caplog.set_level(logging.INFO, logger="yss.versions")
    after = TestClient(create_app(first_settings), follow_redirects=True)        # the restart on the new forms
    assert "1 adult draft(s) on form version" in caplog.text
    after.cookies = before.cookies
    citizen.client = after
    page = citizen.get("/j/adult/pickup")
    assert page.status_code == 200 and page.url.path == "/j/adult/pickup", (page.url, citizen.errors())
    citizen.post("/j/adult/pickup", {"_action": "button:0", "pickup_method": "网点领卡", "branch": "gz-lw-zhanqianlu"})
    assert citizen.last.url.path == "/j/adult/confirm", (citizen.last.url, citizen.errors())
    done = citizen.post("/j/adult/confirm", {"_action": "button:0"})
    assert done.url.path == "/j/adult/result/submitted", (done.url, citizen.errors())
    owner = after.app.state.services.sign_in.sign_in(ZHANG).key
    [application] = after.app.state.store.applications_of(owner)
    assert application.form_version == (new_version if moves else old_version)
    # The next application starts on today's forms.
    citizen.post("/j/adult/restart", {})
    assert after.app.state.store.load_draft(owner, "adult").form_version == new_version
    after.app.state.store.close()


def test_continue_keeps_every_citizen_on_their_version(database: Any, tmp_path: Path) -> None:
    forms = copy_of_forms(tmp_path)
    edit(forms, "journeys/adult.yaml", "title: 社保卡申领\n", "title: 社保卡申领\nin_flight: continue\n")
    settings = dataclasses.replace(settings_for(database), forms=forms)
    before, citizen, old_version = halfway(settings)
    new_city(forms)                                   # compatible, yet `continue` says: finish where you started
    after = TestClient(create_app(settings), follow_redirects=True)
    after.cookies = before.cookies
    citizen.client = after
    citizen.get("/j/adult/pickup")
    owner = after.app.state.services.sign_in.sign_in(ZHANG).key
    assert after.app.state.store.load_draft(owner, "adult").form_version == old_version
    after.app.state.store.close()


def test_an_application_can_be_read_with_the_schema_of_its_own_version(tmp_path: Path) -> None:
    forms = copy_of_forms(tmp_path)
    settings = dataclasses.replace(settings_for(tmp_path / "db.sqlite3"), forms=forms)
    before = TestClient(create_app(settings), follow_redirects=True)
    old_version = before.app.state.engine.definition.version
    before.app.state.store.close()
    new_required_field(forms)
    after = TestClient(create_app(settings), follow_redirects=True)
    today = after.get("/schemas/applications/adult.json").json()
    then = after.get(f"/schemas/applications/adult.json?version={old_version}").json()
    assert "曾用名" in str(today) and "曾用名" not in str(then)
    assert after.get("/schemas/applications/adult.json?version=nosuchversion").status_code == 404
    after.app.state.store.close()
