"""关怀版: the switch in the top bar sets a long-lived cookie of its own, comes back only to a path of this site, and
the mode it chose is declared on every page (data-theme, care.css) and kept through 退出 and the next sign-in."""
from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from renderer.web.care import COOKIE
from tests.integration.conftest import ZHANG, Citizen

CARE_SHEET = re.compile(r'<link rel="stylesheet" href="/static/[0-9a-f]{12}/care\.css" data-care-css>')


def _token(html: str) -> str:
    return re.search(r'name="_csrf" value="([^"]+)"', html).group(1)


def _switch(browser: TestClient, care: str, back: str, **extra: Any) -> Any:
    token = _token(browser.get("/login").text)
    return browser.post("/care", data={"_csrf": token, "care": care, "back": back}, follow_redirects=False, **extra)


def _in_care(html: str) -> bool:
    return '<html lang="zh-CN" data-theme="care">' in html and bool(CARE_SHEET.search(html))


def test_the_switch_turns_care_on_and_off_and_comes_back_to_the_same_page(app: Any) -> None:
    with TestClient(app) as browser:
        page = browser.get("/login")
        assert not _in_care(page.text) and "care.css" in page.text      # the sheet's address waits on the switch
        assert re.search(r'name="back" value="/login"', page.text) and ">关怀版</button>" in page.text
        on = _switch(browser, "1", "/login?said=abc")
        assert on.status_code == 303 and on.headers["location"] == "/login?said=abc"
        cookie = on.headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE}=1;") and "Max-Age=31536000" in cookie
        assert "SameSite=lax" in cookie and "HttpOnly" in cookie and "Path=/" in cookie
        shown = browser.get("/login")
        assert _in_care(shown.text) and ">标准版</button>" in shown.text and 'name="care" value="0"' in shown.text
        off = _switch(browser, "0", "/login")
        assert off.status_code == 303 and f"{COOKIE}=" in off.headers["set-cookie"]
        assert "Max-Age=0" in off.headers["set-cookie"]
        assert not _in_care(browser.get("/login").text)


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example", "/\\evil.example", "\\\\evil.example",
                                  "/\t/evil.example", "javascript:alert(1)"])
def test_the_switch_never_sends_the_citizen_to_another_site(app: Any, back: str) -> None:
    """Over HTTP: the Location is this site's home page (every case: tests/unit/web/test_care.py)."""
    with TestClient(app) as browser:
        answer = _switch(browser, "1", back)
        assert answer.status_code == 303 and answer.headers["location"] == "/"
        assert answer.headers["set-cookie"].startswith(f"{COOKIE}=1;")     # the mode still changes


def test_without_its_token_the_switch_changes_nothing(app: Any) -> None:
    with TestClient(app) as browser:
        browser.get("/login")
        forged = browser.post("/care", data={"_csrf": "forged", "care": "1", "back": "/login"}, follow_redirects=False)
        assert forged.status_code == 303 and forged.headers["location"] == "/login"
        assert "set-cookie" not in forged.headers or COOKIE not in forged.headers["set-cookie"]
        in_place = browser.post("/care", data={"care": "1", "back": "/login"}, headers={"HX-Request": "true"},
                                follow_redirects=False)
        assert in_place.status_code == 403 and COOKIE not in in_place.headers.get("set-cookie", "")
        assert not _in_care(browser.get("/login").text)


def test_in_place_the_switch_answers_without_a_page(app: Any) -> None:
    with TestClient(app) as browser:
        answer = _switch(browser, "1", "/login", headers={"HX-Request": "true"})
        assert answer.status_code == 204 and answer.headers["set-cookie"].startswith(f"{COOKIE}=1;")
        assert _in_care(browser.get("/login").text)


def test_care_is_kept_through_logout_and_signing_in_again(app: Any) -> None:
    with TestClient(app, follow_redirects=True) as browser:
        citizen = Citizen(browser)
        citizen.sign_in(ZHANG)
        citizen.get("/j/adult")
        guide = str(citizen.last.url.path)
        citizen.post("/care", {"care": "1", "back": guide})
        assert citizen.last.url.path == guide and _in_care(citizen.last.text)
        assert _in_care(citizen.get("/").text)
        citizen.post("/logout", {})
        assert citizen.last.url.path == "/login" and _in_care(citizen.last.text)
        citizen.post("/login", {"id_number": ZHANG})
        assert citizen.last.url.path == "/" and _in_care(citizen.last.text)


def test_the_care_sheet_is_served_under_its_fingerprint(app: Any) -> None:
    with TestClient(app) as browser:
        citizen = browser.get("/login")
        sheet = re.search(r'data-care-css="(/static/[0-9a-f]{12}/care\.css)"', citizen.text).group(1)
        answer = browser.get(sheet)
        assert answer.status_code == 200 and "[data-theme=\"care\"]" in answer.text
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
