"""Every journey POST answers 303 to a GET (Back and reload never resubmit); what it said is carried to that GET."""
from __future__ import annotations

import re
from typing import Any

from starlette.testclient import TestClient

from renderer.uploads.images import make_placeholder_portrait
from tests.integration.conftest import DETAILS, ZHANG, Citizen

SUMMARY = "请检查以下内容"


def _post(citizen: Citizen, url: str, data: dict[str, str], **headers: str) -> Any:
    return citizen.client.post(url, data={"_csrf": citizen.csrf, **data}, headers=headers, follow_redirects=False)


def test_an_error_is_answered_by_a_redirect_whose_page_shows_it_on_every_reload(citizen: Citizen, app: Any) -> None:
    citizen.sign_in()
    citizen.walk_to_confirm()
    posted = _post(citizen, "/j/adult/details?edit=1", {**DETAILS, "ethnicity": "", "home_address": "新地址路2号"})
    assert posted.status_code == 303
    shown_at = posted.headers["location"]
    assert shown_at.startswith("/j/adult/details?edit=1&flash=")
    for _reload in range(2):          # a reload shows the same errors, and posts nothing
        page = citizen.get(shown_at)
        assert page.status_code == 200 and SUMMARY in page.text and "请选择民族" in citizen.errors()
        assert 'value="新地址路2号"' in page.text          # nothing typed is lost
    assert SUMMARY not in citizen.get("/j/adult/details?edit=1").text      # another tab: the page as it is
    with TestClient(app) as other_client:                                  # another citizen: not theirs
        other = Citizen(other_client)
        _to_details(other, "440104199303032645")                          # they are on 申请信息 too
        theirs = other.get("/j/adult/details?flash=" + shown_at.rsplit("=", 1)[1])
        assert theirs.url.path == "/j/adult/details" and SUMMARY not in theirs.text
    citizen.post("/j/adult/details?edit=1", {**DETAILS, "home_address": "新地址路3号", "_action": "field:x:y"})
    assert SUMMARY not in citizen.get(shown_at).text       # changed since: Back shows the page as it is now


def _to_details(citizen: Citizen, number: str = ZHANG) -> None:
    """Signed in, on 申请信息 with no phone number verified yet (walk_to_confirm's first steps)."""
    citizen.sign_in(number)
    citizen.through_eligibility()
    image = make_placeholder_portrait("id")
    citizen.post("/j/adult/documents", {"_action": "button:0", "documents.choice": "id_card"},
                 files={"documents.id_card.0": ("a.jpg", image, "image/jpeg"),
                        "documents.id_card.1": ("b.jpg", image, "image/jpeg")})
    citizen.post("/j/adult/photo", {"_action": "button:0", "photo.consent": "1"})
    assert citizen.last.url.path == "/j/adult/details"


def test_a_notice_is_carried_to_the_get(citizen: Citizen) -> None:
    _to_details(citizen)
    posted = _post(citizen, "/j/adult/details", {"_action": "field:phone:send", "phone": "13600002819"})
    assert posted.status_code == 303
    assert re.search(r"验证码为\d{6}", citizen.get(posted.headers["location"]).text)


def test_an_open_dialog_is_carried_to_the_get(citizen: Citizen) -> None:
    citizen.sign_in()
    citizen.walk_to_confirm(until="pickup")
    posted = _post(citizen, "/j/adult/pickup", {"_action": "field:branch:open", "pickup_method": "网点领卡"})
    assert posted.status_code == 303 and "受理网点信息" in citizen.get(posted.headers["location"]).text


def test_htmx_gets_the_page_to_swap_from_without_a_redirect(citizen: Citizen) -> None:
    _to_details(citizen)
    answer = _post(citizen, "/j/adult/details", {"_action": "field:phone:send", "phone": "13600002819"},
                   **{"HX-Request": "true"})
    assert answer.status_code == 200 and re.search(r"验证码为\d{6}", answer.text)
    refreshed = _post(citizen, "/j/adult/details/refresh", {**DETAILS, "_action": ""}, **{"HX-Request": "true"})
    assert refreshed.status_code == 200 and 'id="page-main"' in refreshed.text


def test_a_failed_face_check_is_shown_by_a_get(citizen: Citizen) -> None:
    citizen.sign_in()
    citizen.get("/j/adult")
    citizen.post("/j/adult/guide", {"_action": "button:0", "agreed": "1"})
    posted = _post(citizen, str(citizen.last.url), {"result": "fail"})
    assert posted.status_code == 303 and posted.headers["location"].startswith("/j/adult/guide?flash=")
    assert 'class="message" role="alert"' in citizen.get(posted.headers["location"]).text


def _back_link(html: str) -> str | None:
    found = re.search(r'<a class="back-link" href="([^"]+)">上一步</a>', html)
    return found.group(1) if found else None


def test_each_step_after_the_first_links_back_one_step_and_an_edit_back_to_the_confirm_page(citizen: Citizen) -> None:
    citizen.sign_in()
    citizen.walk_to_confirm()
    assert _back_link(citizen.get("/j/adult/confirm").text) == "/j/adult/pickup"
    assert _back_link(citizen.get("/j/adult/pickup").text) == "/j/adult/details"
    assert _back_link(citizen.get("/j/adult/eligibility").text) == "/j/adult/guide"
    assert _back_link(citizen.get("/j/adult/details?edit=1").text) == "/j/adult/confirm"
    guide = citizen.get("/j/adult/guide").text
    assert _back_link(guide) is None and 'aria-label="返回首页"' in guide
