"""繁體中文 over HTTP: each resident type's language by default, the 简体 / 繁體 switch (a cookie any worker reads,
kept across 退出 and signing in again, back to the same page, same-site only), and answers stored the same in
every language."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from renderer.web.app import create_app
from tests.integration.conftest import ZHANG, Citizen, settings_for

CHEN, LIN = "810000199203082010", "830000199506173028"      # 陈志明 (Hong Kong), 林雅婷 (Taiwan)


def lang(response: Any) -> str:
    return re.search(r'<html lang="([^"]+)"', response.text).group(1)


def main_text(response: Any) -> str:
    found = re.search(r"<main.*?</main>", response.text, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0) if found else ""))


@pytest.fixture
def browser(app: Any) -> Iterator[Citizen]:
    with TestClient(app, follow_redirects=True) as client:
        yield Citizen(client)


def switch(citizen: Citizen, to: str, back: str) -> Any:
    """The footer's 简体 / 繁體 button on a page that is not a journey's."""
    page = citizen.get(back)
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page.text).group(1)
    return citizen.client.post("/language", data={"_csrf": csrf, "_language": to, "back": back},
                               follow_redirects=False)


@pytest.mark.parametrize(("number", "code", "words", "not_words"), [
    (ZHANG, "zh-CN", "按照操作指引完成信息项填写", "資訊"),
    (CHEN, "zh-Hant-HK", "按照操作指引完成信息項填寫", "資訊"),      # Hong Kong keeps 信息
    (LIN, "zh-Hant-TW", "按照操作指引完成資訊項填寫", "信息項"),     # Taiwan says 資訊
])
def test_each_resident_type_reads_its_own_language_until_they_choose(app: Any, number: str, code: str, words: str,
                                                                    not_words: str) -> None:
    with TestClient(app, follow_redirects=True) as client:
        citizen = Citizen(client)
        citizen.sign_in(number)
        guide = citizen.get("/j/adult")
        assert lang(guide) == code
        assert words in main_text(guide) and not_words not in main_text(guide)


def test_the_switch_comes_back_to_the_same_page_and_is_kept_after_signing_out(browser: Citizen) -> None:
    browser.sign_in(CHEN)
    answer = switch(browser, "zh-CN", "/j/adult/guide?x=1")
    assert answer.status_code == 303 and answer.headers["location"] == "/j/adult/guide?x=1"
    cookie = answer.headers["set-cookie"]
    for part in ("yss_lang=zh-CN", "Max-Age=63072000", "Path=/", "SameSite=lax", "HttpOnly"):
        assert part in cookie
    assert lang(browser.get("/")) == "zh-CN" and "社保卡相关服务" in browser.last.text
    csrf = re.search(r'name="_csrf" value="([^"]+)"', browser.last.text).group(1)
    browser.client.post("/logout", data={"_csrf": csrf})
    assert lang(browser.get("/login")) == "zh-CN"
    browser.sign_in(CHEN)
    assert lang(browser.get("/")) == "zh-CN"
    switch(browser, "zh-Hant", "/")
    assert lang(browser.get("/")) == "zh-Hant-HK" and "社保卡相關服務" in browser.last.text


def test_traditional_chosen_by_a_taiwan_resident_is_taiwan_s(browser: Citizen) -> None:
    browser.sign_in(LIN)
    switch(browser, "zh-CN", "/")
    assert lang(browser.get("/")) == "zh-CN"
    switch(browser, "zh-Hant", "/")
    assert lang(browser.get("/")) == "zh-Hant-TW"


@pytest.mark.parametrize("back", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x",
                                  "", "/j/adult\r\nSet-Cookie: a=b"])
def test_the_switch_goes_back_only_to_a_path_of_this_site(browser: Citizen, back: str) -> None:
    browser.sign_in()
    page = browser.get("/")
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page.text).group(1)
    answer = browser.client.post("/language", data={"_csrf": csrf, "_language": "zh-Hant", "back": back},
                                 follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/"


def test_the_switch_without_the_page_s_token_changes_nothing(browser: Citizen) -> None:
    browser.sign_in()
    answer = browser.client.post("/language", data={"_language": "zh-Hant", "back": "/"}, follow_redirects=False)
    assert "set-cookie" not in answer.headers
    assert lang(browser.get("/")) == "zh-CN"


def test_switching_on_a_journey_page_keeps_what_was_chosen_there(browser: Citizen) -> None:
    browser.sign_in()
    pickup = browser.walk_to_confirm(until="pickup")
    csrf = re.search(r'name="_csrf" value="([^"]+)"', pickup.text).group(1)
    # The footer's button posts the page's own form to its refresh address (page.html: language_target).
    assert 'form="page-form" formaction="/j/adult/pickup/refresh"' in pickup.text
    shown = browser.post("/j/adult/pickup/refresh", {"_csrf": csrf, "pickup_method": "网点领卡",
                                                      "_language": "zh-Hant"})
    assert shown.url.path == "/j/adult/pickup" and lang(shown) == "zh-Hant-HK"
    assert re.search(r'<input type="radio" name="pickup_method" value="网点领卡" checked[^>]*> 網點領卡</label>', shown.text)


def _walk_and_submit(database: Path, language: str | None) -> dict[str, Any]:
    app = create_app(settings_for(database))
    with TestClient(app, follow_redirects=True) as client:
        if language:
            client.cookies.set("yss_lang", language)
        citizen = Citizen(client)
        citizen.sign_in()
        confirm = citizen.walk_to_confirm()
        assert lang(confirm) == ("zh-Hant-HK" if language else "zh-CN")
        citizen.post("/j/adult/confirm", {"_action": "button:0"})
        assert citizen.last.url.path == "/j/adult/result/submitted"
        owner = app.state.services.sign_in.sign_in(ZHANG).key
        [application] = app.state.store.applications_of(owner)
        return dict(application.payload)


def _steady(value: Any) -> Any:
    """The payload without what differs between any two submissions (ids, times, upload names)."""
    if isinstance(value, dict):
        return {k: _steady(v) for k, v in value.items() if k not in ("submitted_at", "idempotency_key", "upload")}
    if isinstance(value, list):
        return [_steady(v) for v in value]
    if isinstance(value, str):
        return re.sub(r"/uploads/[\w-]+", "/uploads/-", value)
    return value


def test_what_is_stored_and_sent_does_not_depend_on_the_language(tmp_path: Path) -> None:
    simplified = _walk_and_submit(tmp_path / "a.sqlite3", None)
    traditional = _walk_and_submit(tmp_path / "b.sqlite3", "zh-Hant")
    answers = {a["field"]: a.get("value") for a in traditional["fields"]}
    assert answers["ethnicity"] == "汉族" and answers["pickup_method"] == "网点领卡"
    assert _steady(traditional) == _steady(simplified)
