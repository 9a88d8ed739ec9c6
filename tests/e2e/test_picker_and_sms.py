"""On a phone (390×844): the branch list closes by 取消, ✕ (关闭), Esc and a tap outside and opens again clean; the
手机号码 verified on 申请信息 needs no second code as the recipient's on 领卡方式; 修改 of it can be cancelled.

One walk of 张伟 on a server of its own (its own store), so no other test's draft or application meets this one."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import (
    check_eligibility,
    choose,
    face_check,
    field,
    heading,
    htmx_swap,
    open_adult_guide,
    section,
    serve,
    upload_id_card,
    use_system_photo,
    value_of,
)

ZHANG_WEI = "440106199001011235"
ZHANG_WEI_PHONE = "13600002819"      # his registered number, which 领卡方式 prefills as the recipient's
ALL_BRANCHES = re.compile(r"^共\d{2,}个网点$")     # the whole list of 广州市, not one district's few


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("picker-sms")) as base:
        yield base


def to_pickup_by_post(page: Page, base: str, images: dict[str, Path]) -> None:
    """张伟 from sign-in to 领卡方式 with 邮寄到付, his own number verified by SMS on 申请信息."""
    page.goto(base + "/login")
    field(page, "证件号码").fill(ZHANG_WEI)
    page.get_by_role("button", name="登录").click()
    open_adult_guide(page)
    face_check(page)
    check_eligibility(page)
    upload_id_card(page, images)
    page.get_by_role("button", name="下一步").click()
    use_system_photo(page)
    expect(heading(page, "申请信息")).to_be_visible()
    choose(page, "民族", "汉族")
    choose(page, "职业", "专业技术人员")
    choose(page, "常住地区", "广州市")
    field(page, "区/县").select_option("越秀区")
    choose(page, "服务银行", "工商银行")
    choose(page, "参保类型", "城镇职工")
    field(page, "证件有效开始日期").fill("2018-05-20")
    field(page, "证件有效截止日期").fill("2038-05-20")
    field(page, "常住详细地址").fill("广州市越秀区中山五路33号501房")
    field(page, "手机号码").fill(ZHANG_WEI_PHONE)
    with htmx_swap(page):
        page.get_by_role("button", name="发送验证码").click()
    notice = page.get_by_text("模拟短信")
    field(page, "验证码").fill(re.findall(r"\d{6}", notice.inner_text())[0])
    page.get_by_role("button", name="下一步").click()
    expect(heading(page, "领卡方式")).to_be_visible()
    choose(page, "领卡方式", "邮寄到付")
    with htmx_swap(page):
        page.get_by_role("alertdialog", name="邮寄温馨提醒").get_by_role("button", name="好的,我已阅读").click()


def open_picker(page: Page) -> Locator:
    with htmx_swap(page):
        page.get_by_role("button", name="选择").click()
    dialog = page.get_by_role("dialog", name="受理网点信息")
    expect(dialog).to_be_visible()
    return dialog


def tap_outside(page: Page) -> None:
    box = page.get_by_role("dialog", name="受理网点信息").bounding_box()
    assert box and box["x"] > 4, "the list covers the whole width: nowhere to tap outside it"
    page.touchscreen.tap(box["x"] / 2, box["y"] + box["height"] / 2)


CLOSERS: dict[str, Callable[[Page, Locator], None]] = {
    "取消": lambda page, dialog: dialog.get_by_role("button", name="取消", exact=True).click(),
    "✕": lambda page, dialog: dialog.get_by_role("button", name="关闭", exact=True).click(),
    "Esc": lambda page, dialog: page.keyboard.press("Escape"),
    "tap outside": lambda page, dialog: tap_outside(page),
}


def test_picker_closes_every_way_and_a_verified_phone_needs_no_second_code(
        page: Page, own_server: str, id_card_images: dict[str, Path]) -> None:
    to_pickup_by_post(page, own_server, id_card_images)

    # 受理网点信息: each way closes the list; each opening starts with no district, no keyword, the whole list
    for way, close in CLOSERS.items():
        dialog = open_picker(page)
        expect(field(dialog, "搜索关键词"), f"opened again after {way}").to_have_value("")
        expect(field(dialog, "区域")).to_have_value("")
        expect(dialog.get_by_role("status")).to_have_text(ALL_BRANCHES)
        field(dialog, "区域").select_option("荔湾区")
        field(dialog, "搜索关键词").fill("站前")
        with htmx_swap(page):
            dialog.get_by_role("button", name="搜索").click()
        expect(dialog.get_by_role("status")).to_have_text("共1个网点")
        close(page, dialog)
        expect(page.get_by_role("dialog", name="受理网点信息"), f"closed by {way}").to_be_hidden()
        expect(page.get_by_role("button", name="选择")).to_be_focused()
    dialog = open_picker(page)
    expect(field(dialog, "搜索关键词")).to_have_value("")
    with htmx_swap(page):
        dialog.get_by_role("button", name=re.compile("站前路支行")).click()
    expect(field(page, "网点名称")).to_have_text("站前路支行")

    # 收件人信息: his number, verified on 申请信息, shows as verified
    recipient = section(page, "收件人信息")
    expect(field(recipient, "手机号码")).to_have_text("136****2819")
    expect(recipient.get_by_text("已验证", exact=True)).to_be_visible()

    # 修改, a few digits typed, 取消: the number is back as it was
    with htmx_swap(page):
        recipient.get_by_role("button", name="修改").click()
    field(recipient, "手机号码").fill("139")
    with htmx_swap(page):
        recipient.get_by_role("button", name="取消", exact=True).click()
    expect(field(recipient, "手机号码")).to_have_text("136****2819")
    expect(field(recipient, "验证码")).to_have_count(0)

    # 修改 to the same number: 发送验证码 sends nothing (no 60 s wait) and no code is asked
    with htmx_swap(page):
        recipient.get_by_role("button", name="修改").click()
    field(recipient, "手机号码").fill(ZHANG_WEI_PHONE)
    with htmx_swap(page):
        recipient.get_by_role("button", name="发送验证码").click()
    expect(recipient.get_by_text("该手机号码已验证,无需再次获取验证码")).to_be_visible()
    expect(field(recipient, "验证码")).to_have_count(0)
    expect(recipient.get_by_role("button", name="发送验证码")).to_be_enabled()

    choose(page, "收件地区", "广东省")
    choose(page, "城市", "广州市")
    field(page, "区/县").select_option("天河区")
    field(page, "收件详细地址").fill("广州市天河区天河路385号1201室")
    page.get_by_role("button", name="下一步").click()
    expect(heading(page, "信息确认")).to_be_visible()
    expect(value_of(section(page, "收件人信息"), "手机号码")).to_have_text("136****2819")
