"""A draft on a stored version of the forms that today's checks refuse (a new lint rule, say): the citizen is told,
nothing moves until they ask, 按最新规则重新办理 moves them to today's forms with the answers that still fit, the
version is loaded once per process, not on every request, and the start-up report names it."""
from __future__ import annotations

import dataclasses
import logging
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from renderer.definition.loader import FORMS_DIR
from renderer.definition.version import source_files
from renderer.store.base import stored_json
from renderer.versions import registry
from renderer.web.app import create_app
from tests.integration.conftest import ZHANG, Citizen, settings_for
from tests.integration.test_get_changes_nothing import changes, snapshot

BROKEN = "b" * 64


def broken_files(tmp_path: Path) -> dict[str, str]:
    """Today's forms with one field that names a list nobody declares: what a stricter lint refuses."""
    root = tmp_path / "old-forms"
    shutil.copytree(FORMS_DIR, root)
    adult = root / "journeys" / "adult.yaml"
    text = adult.read_text(encoding="utf-8")
    field = "          - {id: intended_city, kind: select, label: 意向发卡地, options: lists.issuing_cities, required: true}\n"
    assert field in text
    adult.write_text(text.replace(field, field + "          - {id: old_region, kind: select, label: 旧区域, "
                                               "options: lists.no_such_list}\n"), encoding="utf-8")
    return source_files(root)


def forms_with(tmp_path: Path, in_flight: str) -> Path:
    root = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, root)
    if in_flight == "continue":
        adult = root / "journeys" / "adult.yaml"
        text = adult.read_text(encoding="utf-8")
        adult.write_text(text.replace("title: 社保卡申领\n", "title: 社保卡申领\nin_flight: continue\n", 1), encoding="utf-8")
    return root


@pytest.mark.parametrize("in_flight", ["move_when_compatible", "continue"])
def test_a_draft_on_a_version_that_no_longer_loads(in_flight: str, tmp_path: Path, caplog: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    settings = dataclasses.replace(settings_for(tmp_path / "app.sqlite3"), forms=forms_with(tmp_path, in_flight))
    first = create_app(settings)                  # makes the store; then a draft as an older server left it
    owner = first.state.services.sign_in.sign_in(ZHANG).key
    first.state.store.versions.keep(BROKEN, "2023年旧版", broken_files(tmp_path))
    state = {"raw": {"agreed": "1", "intended_city": "广州市", "old_region": "越秀区"},
             "facts": {"_records": {"precheck": {"ok": True}}},
             "done": {"guide": "0123456789abcdef", "eligibility": "0123456789abcdef"}, "outcome": None}
    first.state.store.save_draft(owner, "adult", stored_json(state), None, BROKEN)
    first.state.store.close()

    loads: list[Path] = []
    real_load = registry.load_forms

    def counted(root: Path) -> Any:
        loads.append(root)
        return real_load(root)

    monkeypatch.setattr(registry, "load_forms", counted)
    caplog.set_level(logging.INFO, logger="yss.versions")
    app = create_app(settings)                    # the restart: the report names the version that fails
    assert "1 adult draft(s) on form version 2023年旧版, which no longer loads" in caplog.text
    assert "offers to start again" in caplog.text
    with TestClient(app, follow_redirects=True) as client:
        citizen = Citizen(client)
        citizen.sign_in()
        for url in ("/j/adult/eligibility", "/j/adult", "/j/adult/confirm", "/j/adult/result/submitted"):
            before = snapshot(app)
            shown = citizen.get(url)
            assert not changes(before, snapshot(app)), f"GET {url} changed the store"
            assert shown.status_code == 200 and "办事规则已更新" in shown.text and "按最新规则重新办理" in shown.text
        before = snapshot(app)
        posted = citizen.post("/j/adult/eligibility", {"_action": "button:0", "intended_city": "深圳市"})
        assert posted.status_code == 409 and "办事规则已更新" in posted.text
        assert not changes(before, snapshot(app)), "a page's POST on that version was taken"
        assert len(loads) == 1, "the version that fails was loaded again"

        moved = citizen.post("/j/adult/start-again", {})
        assert moved.url.path == "/j/adult/guide" and "办事指南" in moved.text
        stored = app.state.store.load_draft(owner, "adult")
        assert stored.form_version == app.state.engine.definition.version
        assert stored.state["raw"] == {"agreed": "1", "intended_city": "广州市"}      # 旧区域 is no field today
        assert stored.state["done"] == {} and "_records" not in stored.state["facts"]
        assert len(loads) == 1
        # on today's forms now, from the guide: the answer kept is there when the page comes
        citizen.post("/j/adult/guide", {"_action": "button:0", "agreed": "1"})
        citizen.post(str(citizen.last.url), {"result": "pass"})
        assert citizen.last.url.path == "/j/adult/eligibility"
        assert re.search(r'<option[^>]*value="广州市"[^>]*selected', citizen.last.text)
    app.state.store.close()
