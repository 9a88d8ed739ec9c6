"""The analysts' server modes: forms reloaded on save (a broken save keeps the last good forms), and /preview."""
from __future__ import annotations

import dataclasses
import os
import re
import shutil
from pathlib import Path

from starlette.testclient import TestClient

from renderer.definition.loader import FORMS_DIR
from renderer.web.app import create_app
from tests.integration.conftest import Citizen, settings_for


def app_on_copy(tmp_path: Path, **modes: bool):
    forms = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, forms)
    settings = dataclasses.replace(settings_for(tmp_path / "db.sqlite3"), forms=forms)
    return create_app(settings, **modes), forms


def save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stamp = path.stat().st_mtime + 5       # a later mtime even on coarse file systems
    os.utime(path, (stamp, stamp))


def test_preview_opens_any_page_filled_empty_or_with_errors(tmp_path: Path) -> None:
    app, _ = app_on_copy(tmp_path, preview=True)
    with TestClient(app) as client:
        citizen = Citizen(client)
        citizen.sign_in()
        index = citizen.get("/preview")
        assert "未成年人社保卡申领" in index.text and "/preview/adult/details?state=errors" in index.text
        errors = citizen.get("/preview/adult/details?state=errors")
        assert errors.status_code == 200 and "请选择民族" in errors.text and "预览" in errors.text
        filled = citizen.get("/preview/adult/pickup?state=filled")
        assert re.search(r"<input type=\"radio\" name=\"pickup_method\" value=\"网点领卡\" checked", filled.text)
        confirm = citizen.get("/preview/minor/confirm?state=filled")
        assert "监护人信息" in confirm.text
        assert citizen.get("/preview/adult/nowhere").status_code == 404
    assert TestClient(create_app(settings_for(tmp_path / "other.db"))).get("/preview").status_code == 404


def test_reload_picks_up_a_saved_change_and_survives_a_broken_one(tmp_path: Path) -> None:
    app, forms = app_on_copy(tmp_path, reload_forms=True)
    details = forms / "fragments" / "details.yaml"
    with TestClient(app) as client:
        citizen = Citizen(client)
        citizen.sign_in()
        save(details, details.read_text(encoding="utf-8").replace("label: 民族,", "label: 民族(已改),"))
        page = citizen.get("/j/adult/guide")
        assert page.status_code == 200
        engine = app.state.engine
        assert engine.definition.journeys["adult"].field("ethnicity").label == "民族(已改)"
        save(details, details.read_text(encoding="utf-8").replace("kind: select, label: 民族(已改)", "kind: selct, label: 民族"))
        broken = citizen.get("/j/adult/guide")
        assert broken.status_code == 200
        assert "表单有误" in broken.text and 'href="/_lint"' in broken.text
        assert engine.definition.journeys["adult"].field("ethnicity").label == "民族(已改)"   # last good version
        lint = client.get("/_lint")
        assert "schema.bad_value" in lint.text and "fragments/details.yaml" in lint.text


def test_reload_server_starts_on_broken_forms_and_shows_why(tmp_path: Path) -> None:
    forms = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, forms)
    guide = forms / "fragments" / "guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace("kind: agreement", "kind: agrement"), encoding="utf-8")
    settings = dataclasses.replace(settings_for(tmp_path / "db.sqlite3"), forms=forms)
    with TestClient(create_app(settings, reload_forms=True)) as client:
        page = client.get("/login")
        assert "表单有误" in page.text and "schema.bad_value" in page.text
        save(guide, guide.read_text(encoding="utf-8").replace("kind: agrement", "kind: agreement"))
        assert "证件号码" in client.get("/login").text


def test_reload_publishes_a_version_and_a_citizen_in_flight_follows_the_rules(tmp_path: Path) -> None:
    app, forms = app_on_copy(tmp_path, reload_forms=True)
    details = forms / "fragments" / "details.yaml"
    with TestClient(app, follow_redirects=True) as client:
        citizen = Citizen(client)
        citizen.sign_in()
        citizen.walk_to_confirm(until="pickup")
        started_on = app.state.engine.definition.version
        save(details, details.read_text(encoding="utf-8").replace(
            "label: 民族, options: lists.ethnicities, required: true}",
            "label: 民族, options: lists.ethnicities, required: true}\n"
            "          - {id: nickname, kind: text, label: 曾用名, required: true}", 1))
        page = citizen.get("/j/adult/pickup")        # a required field on a page already passed: stay on the old one
        assert page.url.path == "/j/adult/pickup" and app.state.engine.definition.version != started_on
        citizen.post("/j/adult/pickup", {"_action": "button:0", "pickup_method": "网点领卡",
                                          "branch": "gz-lw-zhanqianlu"})
        assert citizen.last.url.path == "/j/adult/confirm"            # no 曾用名 asked: the old version's route
        owner = app.state.services.sign_in.sign_in("440106199001011235").key
        assert app.state.store.load_draft(owner, "adult").form_version == started_on
        assert app.state.store.versions.label(app.state.engine.definition.version)     # the new one is stored too
