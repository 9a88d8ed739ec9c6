"""A failed sign-in answers with a redirect: Back and reload never ask to resubmit, and what was typed is kept."""
from __future__ import annotations

import re
from typing import Any

from starlette.testclient import TestClient

UNKNOWN = "440106199001011234"


def _token(html: str) -> str:
    return re.search(r'name="_csrf" value="([^"]+)"', html).group(1)


def test_an_unknown_number_is_shown_again_by_a_get_that_a_reload_repeats(app: Any) -> None:
    with TestClient(app) as browser:
        posted = browser.post("/login", data={"_csrf": _token(browser.get("/login").text), "id_number": UNKNOWN},
                              follow_redirects=False)
        assert posted.status_code == 303 and posted.headers["location"].startswith("/login?said=")
        shown = browser.get(posted.headers["location"])
        assert shown.status_code == 401 and "未找到该证件号码" in shown.text and f'value="{UNKNOWN}"' in shown.text
        again = browser.get(posted.headers["location"])          # a reload: the same page, nothing posted
        assert "未找到该证件号码" in again.text
        assert "未找到该证件号码" not in browser.get("/login").text  # the plain address: a clean sign-in page
        with TestClient(app) as other:                           # another browser with the address sees nothing
            elsewhere = other.get(posted.headers["location"])
            assert elsewhere.status_code == 200 and UNKNOWN not in elsewhere.text and "未找到" not in elsewhere.text


def test_an_empty_number_and_an_expired_page_say_so_after_the_redirect(app: Any) -> None:
    with TestClient(app) as browser:
        empty = browser.post("/login", data={"_csrf": _token(browser.get("/login").text), "id_number": " "})
        assert [r.status_code for r in empty.history] == [303]
        assert empty.status_code == 401 and "请输入证件号码" in empty.text
        expired = browser.post("/login", data={"_csrf": "forged", "id_number": UNKNOWN})
        assert [r.status_code for r in expired.history] == [303]
        assert expired.status_code == 400 and "页面已过期,请重新登录" in expired.text
