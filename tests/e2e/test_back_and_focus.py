"""Typing and focus survive in-page refreshes, Back and reload never ask to resubmit, and 上一步 leads back one step.

One walk through the adult journey on a server of its own (its drafts are its own), at 390×844 in Chromium:
each page's error state first, then the page done right; at the end, Back through the whole history."""
from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request, Route, expect

from tests.e2e.conftest import (
    choose,
    field,
    heading,
    htmx_swap,
    pick_branch,
    read_sms_code,
    serve,
    start_adult,
    upload_id_card,
    use_system_photo,
)

ZHANG_WEI = "440106199001011235"
ROUND_TRIP = 0.4       # seconds: a slow 4G answer to an in-page refresh
RESUBMIT = re.compile(r"Confirm Form Resubmission|ERR_CACHE_MISS|确认重新提交表单")


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("back-and-focus")) as base:
        yield base


def _posts(page: Page) -> list[str]:
    sent: list[str] = []

    def note(request: Request) -> None:
        if request.method == "POST":
            sent.append(request.url)
    page.on("request", note)
    return sent


def _error_state_survives_reload(page: Page, posts: list[str], title: str) -> None:
    """The page shows its errors after a POST; a reload shows them again without posting anything."""
    summary = page.get_by_role("heading", name="请检查以下内容")
    expect(summary).to_be_visible()
    before = len(posts)
    page.reload()
    expect(heading(page, title)).to_be_visible()
    expect(summary).to_be_visible()
    assert len(posts) == before, "a reload posted the form again"


def _back_link_leads_to(page: Page, title: str) -> None:
    back = page.get_by_role("link", name="上一步", exact=True)
    expect(back).to_be_visible()
    href = back.get_attribute("href")
    assert href and page.evaluate("h => fetch(h).then(r => r.text())", href).count(f"{title}</h1>") == 1, href


def _slow_refreshes(route: Route) -> None:
    answer = route.fetch()
    time.sleep(ROUND_TRIP)
    route.fulfill(response=answer)


def test_errors_popups_back_reload_and_focus_through_the_adult_journey(page: Page, own_server: str,
                                                                         id_card_images: dict[str, Path]) -> None:
    posts = _posts(page)
    page.goto(own_server + "/login")
    page.get_by_label("证件号码").fill(ZHANG_WEI)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("link", name="社保卡申领")).to_be_visible()        # on the home page now
    expect(page.get_by_role("link", name="返回首页")).to_have_count(0)       # home: no way "back" to itself
    start_adult(page)
    expect(page.get_by_role("link", name="返回首页")).to_be_visible()        # the top bar's ‹, apart from 上一步
    _back_link_leads_to(page, "办事指南")

    # 申请资格校验: no city chosen
    page.get_by_role("button", name="资格校验").click()
    _error_state_survives_reload(page, posts, "申请资格校验")
    with htmx_swap(page):
        field(page, "意向发卡地").select_option("广州市")
    page.get_by_role("button", name="资格校验").click()

    # 上传材料: nothing uploaded gives a popup; 确认 closes it and gives focus back to 下一步
    expect(heading(page, "上传材料")).to_be_visible()
    _back_link_leads_to(page, "申请资格校验")
    page.get_by_role("button", name="下一步").click()
    popup = page.get_by_role("alertdialog")
    expect(popup).to_be_visible()
    before = len(posts)
    page.reload()
    expect(popup).to_be_visible()
    assert len(posts) == before
    popup.get_by_role("button", name="确认").click()
    expect(popup).to_have_count(0)
    expect(page.get_by_role("button", name="下一步")).to_be_focused()
    with htmx_swap(page):                       # after an upload, focus is on the photo, not the page's top
        page.get_by_label("身份证国徽面").set_input_files(str(id_card_images["身份证国徽面"]))
    expect(page.get_by_role("link", name="身份证国徽面")).to_be_focused()
    upload_id_card(page, {"身份证人像面": id_card_images["身份证人像面"]})
    page.get_by_role("button", name="下一步").click()
    expect(heading(page, "获取制卡相片")).to_be_visible()
    use_system_photo(page)

    # 申请信息: typing while a slow refresh is on its way loses nothing and keeps the focus
    expect(heading(page, "申请信息")).to_be_visible()
    page.get_by_role("button", name="下一步").click()
    _error_state_survives_reload(page, posts, "申请信息")
    page.route("**/refresh", _slow_refreshes)
    address = field(page, "常住详细地址")
    with htmx_swap(page):
        field(page, "民族").select_option("汉族")
        address.press_sequentially("越秀区中山五路100号", delay=70)
    expect(address).to_have_value("越秀区中山五路100号")
    expect(address).to_be_focused()
    page.unroute("**/refresh")
    for label, value in (("职业", "专业技术人员"), ("常住地区", "广州市"), ("服务银行", "工商银行"), ("参保类型", "城镇职工")):
        field(page, label).focus()                                 # a tap on the select, as on a phone
        with htmx_swap(page):
            field(page, label).select_option(value)
        expect(field(page, label)).to_be_focused()                 # a choice keeps the focus where it was made
    field(page, "区/县").select_option("越秀区")
    field(page, "证件有效开始日期").fill("2018-05-20")
    field(page, "证件有效截止日期").fill("2038-05-20")
    field(page, "手机号码").fill("13600002819")
    with htmx_swap(page):
        page.get_by_role("button", name="发送验证码").click()
    expect(field(page, "验证码")).to_be_focused()                     # on to the code the SMS brings
    field(page, "验证码").fill(read_sms_code(page))
    page.get_by_role("button", name="下一步").click()

    # 领卡方式: no branch chosen; then choosing one gives focus back to 选择
    expect(heading(page, "领卡方式")).to_be_visible()
    _back_link_leads_to(page, "申请信息")
    choose(page, "领卡方式", "网点领卡")
    page.get_by_role("button", name="下一步").click()
    _error_state_survives_reload(page, posts, "领卡方式")
    pick_branch(page)
    expect(page.get_by_role("button", name="选择")).to_be_focused()
    page.get_by_role("button", name="下一步").click()
    expect(heading(page, "信息确认")).to_be_visible()
    _back_link_leads_to(page, "领卡方式")

    # Back through the whole history: every entry is a GET; none asks to resubmit a form
    before, titles = len(posts), []
    while page.url.startswith(own_server + "/j/"):
        page.go_back()
        assert not RESUBMIT.search(page.content()), page.url
        titles.append(page.locator("h1").first.inner_text())
    assert len(posts) == before, "going back posted a form again"
    assert {"领卡方式", "申请信息", "上传材料", "申请资格校验"} <= {t.strip("0123456789 \n") for t in titles}, titles
    page.go_forward()
    assert not RESUBMIT.search(page.content())
