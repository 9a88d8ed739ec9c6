"""社保卡申领 by the Hong Kong, Macau and Taiwan residents of personas.yaml (journeys.md section A, manual 1.3.3-1.3.6).

Each registered with their residence permit (港澳居民居住证 / 台湾居民居住证). On 上传材料 they choose between their
two documents and photograph both sides of the chosen one; the travel permit, not the number they signed in with,
needs its number typed and checked against lists/number_formats.yaml. 申请信息 asks both validity dates (no
长期 option for them) and 领卡方式 offers 网点领卡 only. Each person is used by one test only (drafts persist).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    check_eligibility,
    choose,
    control,
    field,
    fill_details_in,
    heading,
    htmx_swap,
    options_of,
    pick_branch,
    section,
    sign_in,
    start_adult,
    upload_id_card,
    use_system_photo,
    value_of,
)

pytestmark = pytest.mark.e2e

SUCCESS_TEXT = "您已成功提交申请,您可前往广东人社APP或粤省事小程序【制卡进度查询】查看当前业务的办理进度"


def read_in_simplified(page: Page) -> None:
    """They read Traditional Chinese until they choose (their resident type's language, tests/e2e/test_languages.py);
    these tests follow the journey's rules in the manual's words, so they choose 简体 at the foot of the page."""
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^zh-Hant-(HK|TW)$"))
    page.get_by_role("button", name="简体").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")


def document_choice(page: Page, label: str) -> None:
    """上传材料: tick one of the documents offered; the page refreshes to ask for that document's sides. A radio
    already ticked (the first document is, at first) fires no change, so no refresh is waited for."""
    radio = page.get_by_role("radio", name=label, exact=True)
    if not radio.is_checked():
        with htmx_swap(page):
            radio.check()
    expect(page.get_by_role("radio", name=label, exact=True)).to_be_checked()


def sides(images: dict[str, Path], front: str, back: str) -> dict[str, Path]:
    """Two pictures, labelled as the slots of the chosen document."""
    emblem, portrait = images["身份证国徽面"], images["身份证人像面"]
    return {front: emblem, back: portrait}


def expect_two_documents_offered(page: Page, first: str, second: str) -> None:
    expect(heading(page, "上传材料")).to_be_visible()
    expect(page.get_by_role("radio")).to_have_count(2)
    expect(page.get_by_role("radio", name=first, exact=True)).to_be_visible()
    expect(page.get_by_role("radio", name=second, exact=True)).to_be_visible()


def expect_no_longterm_option(page: Page) -> None:
    """申请信息 for 港澳台 residents: no 证件有效期是否为长期; both validity dates are asked."""
    expect(heading(page, "申请信息")).to_be_visible()
    expect(page.get_by_text("证件有效期是否为长期")).to_have_count(0)
    expect(page.get_by_role("radio", name="是", exact=True)).to_have_count(0)
    expect(field(page, "证件有效开始日期")).to_be_visible()
    expect(field(page, "证件有效截止日期")).to_be_visible()


def expect_branch_pickup_only(page: Page) -> None:
    """领卡方式 for 港澳台 residents: 网点领卡 only, never 邮寄到付."""
    expect(heading(page, "领卡方式")).to_be_visible()
    pickup = control(page, "领卡方式")
    expect(pickup).to_be_visible()
    assert options_of(pickup) == ["网点领卡"], f"领卡方式 offers {options_of(pickup)}"


def confirm_and_submit(page: Page, *, name: str, nationality: str, bank: str, branch: str) -> None:
    expect(heading(page, "信息确认")).to_be_visible()
    personal = section(page, "个人信息")
    expect(value_of(personal, "姓名")).to_have_text(name)
    expect(value_of(personal, "国家/地区")).to_have_text(nationality)
    expect(value_of(section(page, "社保卡信息"), "服务银行")).to_have_text(bank)
    expect(value_of(section(page, "社保卡领卡方式"), "领卡方式")).to_have_text("网点领卡")
    expect(value_of(section(page, "领卡网点"), "网点名称")).to_have_text(branch)
    expect(page.get_by_role("heading", name="收件人信息", exact=True)).to_have_count(0)
    page.get_by_role("button", name="确认提交").click()
    expect(heading(page, "提交成功")).to_be_visible()
    expect(page.get_by_text(SUCCESS_TEXT, exact=True)).to_be_visible()


# ------------------------------------------------------------------ 陈志明: 香港居民居住证, 深圳市


def photo_details_and_branch(page: Page, id_type: str, phone: str, city: str, district: str, bank: str,
                             address: str, branch: str, branch_district: str, keyword: str) -> None:
    """获取制卡相片 → 申请信息 (no 长期 option) → 领卡方式 (网点领卡 only), the same for every HK/MO/TW resident."""
    expect(heading(page, "获取制卡相片")).to_be_visible()
    use_system_photo(page)
    expect_no_longterm_option(page)
    expect(field(page, "证件类型")).to_have_text(id_type)
    fill_details_in(page, phone, city=city, district=district, bank=bank, address=address)
    page.get_by_role("button", name="下一步").click()
    expect_branch_pickup_only(page)
    choose(page, "领卡方式", "网点领卡")
    pick_branch(page, name=branch, district=branch_district, keyword=keyword)
    page.get_by_role("button", name="下一步").click()

def test_chen_zhiming_applies_with_his_hong_kong_residence_permit(page: Page, id_card_images: dict[str, Path]) -> None:
    sign_in(page, "810000199203082010")
    read_in_simplified(page)
    start_adult(page)
    check_eligibility(page, "深圳市")

    expect_two_documents_offered(page, "香港居民来往内地通行证", "香港居民居住证")
    document_choice(page, "香港居民居住证")
    # his own document: the number he signed in with is used, none is asked
    expect(page.get_by_label(re.compile("号码$"))).to_have_count(0)
    expect(page.get_by_label("香港居民居住证国徽面")).to_have_count(1)
    expect(page.get_by_label("香港居民居住证人像面")).to_have_count(1)
    expect(page.get_by_label("香港居民来往内地通行证正面")).to_have_count(0)
    upload_id_card(page, sides(id_card_images, "香港居民居住证国徽面", "香港居民居住证人像面"))
    page.get_by_role("button", name="下一步").click()

    photo_details_and_branch(page, "港澳居民居住证", "13822223333", "深圳市", "南山区", "招商银行",
                             "深圳市南山区科技园南区高新南七道18号1203室", "南海大道支行", "南山区", "南海")

    confirm_and_submit(page, name="陈*明", nationality="中国香港", bank="招商银行", branch="南海大道支行")


# ------------------------------------------------------------------ 何家俊: 澳门居民来往内地通行证 M12345678, 珠海市

def test_he_jiajun_applies_with_his_macau_travel_permit(page: Page, id_card_images: dict[str, Path]) -> None:
    sign_in(page, "820000198901011110")
    read_in_simplified(page)
    start_adult(page)
    check_eligibility(page, "珠海市")

    expect_two_documents_offered(page, "澳门居民来往内地通行证", "澳门居民居住证")
    document_choice(page, "澳门居民来往内地通行证")
    number = field(page, "澳门居民来往内地通行证号码")
    expect(number).to_be_visible()
    expect(page.get_by_label("澳门居民来往内地通行证正面")).to_have_count(1)
    expect(page.get_by_label("澳门居民来往内地通行证反面")).to_have_count(1)
    expect(page.get_by_label("澳门居民居住证国徽面")).to_have_count(0)
    upload_id_card(page, sides(id_card_images, "澳门居民来往内地通行证正面", "澳门居民来往内地通行证反面"))

    # a number in the wrong format is refused with the message of lists/number_formats.yaml
    message = "澳门居民来往内地通行证号码应为M加8位(或10位)数字"
    field(page, "澳门居民来往内地通行证号码").fill("12345")
    page.get_by_role("button", name="下一步").click()
    expect(heading(page, "上传材料")).to_be_visible()
    expect(page.get_by_text(message, exact=True)).to_be_visible()
    # The manual's 下一步 answers a failed check with a popup; it must not claim photos are missing.
    popup = page.get_by_role("alertdialog")
    expect(popup).to_contain_text("上传材料不完整或有误")
    expect(popup).not_to_contain_text("照片")
    popup.get_by_role("button", name="确认").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    expect(field(page, "澳门居民来往内地通行证号码")).to_have_accessible_description(message)
    expect(field(page, "澳门居民来往内地通行证号码")).to_have_value("12345")
    expect(page.get_by_role("radio", name="澳门居民来往内地通行证", exact=True)).to_be_checked()
    expect(page.get_by_role("img", name="澳门居民来往内地通行证正面")).to_be_visible()
    expect(page.get_by_role("img", name="澳门居民来往内地通行证反面")).to_be_visible()

    field(page, "澳门居民来往内地通行证号码").fill("M12345678")
    page.get_by_role("button", name="下一步").click()

    photo_details_and_branch(page, "港澳居民居住证", "13922224444", "珠海市", "香洲区", "珠海华润银行",
                             "珠海市香洲区情侣中路47号2栋802房", "拱北支行", "香洲区", "拱北")

    expect(heading(page, "信息确认")).to_be_visible()
    uploaded = section(page, "上传材料")
    expect(uploaded.get_by_role("img", name="澳门居民来往内地通行证正面")).to_be_visible()
    expect(uploaded.get_by_role("img", name="澳门居民来往内地通行证反面")).to_be_visible()
    confirm_and_submit(page, name="何*俊", nationality="中国澳门", bank="珠海华润银行", branch="拱北支行")


# ------------------------------------------------------------------ 林雅婷: 台湾居民来往大陆通行证 12345678, 广州市

def test_lin_yating_applies_with_her_taiwan_travel_permit(page: Page, id_card_images: dict[str, Path]) -> None:
    sign_in(page, "830000199506173028")
    read_in_simplified(page)
    start_adult(page)
    check_eligibility(page, "广州市")

    expect_two_documents_offered(page, "台湾居民来往大陆通行证", "台湾居民居住证")
    document_choice(page, "台湾居民来往大陆通行证")
    expect(field(page, "台湾居民来往大陆通行证号码")).to_be_visible()
    expect(page.get_by_label("台湾居民居住证国徽面")).to_have_count(0)
    upload_id_card(page, sides(id_card_images, "台湾居民来往大陆通行证正面", "台湾居民来往大陆通行证反面"))
    field(page, "台湾居民来往大陆通行证号码").fill("12345678")
    page.get_by_role("button", name="下一步").click()

    photo_details_and_branch(page, "台湾居民居住证", "13533334444", "广州市", "天河区", "中国银行",
                             "广州市天河区天河北路233号中信广场3806室", "北京路支行", "越秀区", "北京")

    confirm_and_submit(page, name="林*婷", nationality="中国台湾", bank="中国银行", branch="北京路支行")
