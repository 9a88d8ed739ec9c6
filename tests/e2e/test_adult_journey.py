"""社保卡申领 (journeys.md section A), walked in a phone-sized chromium by the demo people of personas.yaml.

Each person is used by one test only: drafts persist per person, so signing the same person in again would
resume their draft instead of starting afresh.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from tests.a11y.sweep import Looks
from tests.e2e.conftest import (
    check_eligibility,
    choose,
    face_check,
    field,
    fill_details,
    heading,
    htmx_swap,
    open_adult_guide,
    pick_branch,
    sign_in,
    start_adult,
    upload_id_card,
    use_receipt_photo,
    use_system_photo,
    walk_to_confirm,
)

pytestmark = pytest.mark.e2e

SUCCESS_TEXT = "您已成功提交申请,您可前往广东人社APP或粤省事小程序【制卡进度查询】查看当前业务的办理进度"


def section(page: Page, title: str) -> Locator:
    """A card of the page, found by its heading."""
    return page.locator("section").filter(has=page.get_by_role("heading", name=title, exact=True))


def value_of(scope: Locator, label: str) -> Locator:
    """On 信息确认: the value shown beside a label (a dt/dd pair)."""
    term = scope.get_by_role("term").filter(has_text=re.compile(f"^{re.escape(label)}$"))
    return term.locator("xpath=following-sibling::*[1]")


# ------------------------------------------------------------------ 1. 张伟: the whole journey

def test_zhang_wei_applies_and_changes_to_post(page: Page, id_card_images: dict[str, Path],
                                               snap: Callable[[Page, str], None]) -> None:
    sign_in(page, "440106199001011235")
    snap(page, "home")
    open_adult_guide(page)
    for block in ["质量管理卡", "同步申领告知书", "办理须知", "所需材料", "办理流程"]:
        expect(page.get_by_role("heading", name=block, exact=True)).to_be_visible()
    snap(page, "guide")
    field(page, "本人已认真阅读,理解并自愿接受以上约定").check()
    page.get_by_role("button", name="完成人脸核验开始办理").click()
    expect(heading(page, "人脸核验")).to_be_visible()
    snap(page, "face")
    page.get_by_role("button", name="模拟核验通过").click()

    # ① 申请资格校验
    expect(heading(page, "申请资格校验")).to_be_visible()
    expect(field(page, "姓名")).to_have_text("张*")
    expect(field(page, "社会保障号")).to_have_text(re.compile(r"^440106\*+235$"))
    choose(page, "意向发卡地", "广州市")
    snap(page, "eligibility")
    page.get_by_role("button", name="资格校验").click()

    # ② 上传材料
    expect(heading(page, "上传材料")).to_be_visible()
    upload_id_card(page, id_card_images)
    snap(page, "documents")
    page.get_by_role("button", name="下一步").click()

    # ③ 获取制卡相片: the system photo, its consent ticked by default
    expect(heading(page, "获取制卡相片")).to_be_visible()
    expect(page.get_by_role("img", name="社保系统相片")).to_be_visible()
    snap(page, "photo")
    use_system_photo(page)

    # ④ 申请信息: first without 民族 - the page keeps what was typed and says what is missing
    expect(heading(page, "申请信息")).to_be_visible()
    expect(field(page, "姓名")).to_have_text("张*")
    expect(field(page, "证件号码")).to_have_text(re.compile(r"^440106\*+235$"))
    fill_details(page, "13600002819", ethnicity=None, address="广州市越秀区中山五路33号501房")
    snap(page, "details")
    page.get_by_role("button", name="下一步").click()
    expect(heading(page, "申请信息")).to_be_visible()
    summary = page.get_by_role("alert").filter(has_text="请检查以下内容")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("民族")
    expect(field(page, "民族")).to_have_accessible_description("请选择民族")
    expect(page.get_by_text("请选择民族", exact=True)).to_be_visible()
    expect(field(page, "常住详细地址")).to_have_value("广州市越秀区中山五路33号501房")
    expect(field(page, "证件有效开始日期")).to_have_value("2018-05-20")
    expect(field(page, "证件有效截止日期")).to_have_value("2038-05-20")
    expect(field(page, "职业")).to_have_value("专业技术人员")
    expect(field(page, "服务银行")).to_have_value("工商银行")
    expect(field(page, "参保类型")).to_have_value("城镇职工")
    expect(field(page, "区/县")).to_have_value("越秀区")
    snap(page, "details-error")
    choose(page, "民族", "汉族")
    page.get_by_role("button", name="下一步").click()

    # ⑤ 领卡方式: 网点领卡, a branch chosen from the list (district filter, then keyword)
    expect(heading(page, "领卡方式")).to_be_visible()
    choose(page, "领卡方式", "网点领卡")
    with htmx_swap(page):
        page.get_by_role("button", name="选择").click()
    dialog = page.get_by_role("dialog", name="受理网点信息")
    expect(dialog).to_be_visible()
    field(dialog, "区域").select_option("荔湾区")
    with htmx_swap(page):
        dialog.get_by_role("button", name="搜索").click()
    expect(dialog.get_by_role("button", name=re.compile("花地大道北支行"))).to_be_visible()
    expect(dialog.get_by_role("button", name=re.compile("北京路支行"))).to_have_count(0)
    field(dialog, "搜索关键词").fill("站前")
    with htmx_swap(page):
        dialog.get_by_role("button", name="搜索").click()
    zhanqian = dialog.get_by_role("button", name=re.compile("站前路支行"))
    expect(zhanqian).to_be_visible()
    expect(zhanqian).to_contain_text("广州市荔湾区站前路58号首层西侧04-06铺")
    expect(zhanqian).to_contain_text("营业时间")
    expect(zhanqian).to_contain_text("020-83528957")
    expect(dialog.get_by_role("button", name=re.compile("花地大道北支行"))).to_have_count(0)
    snap(page, "branch-list")
    with htmx_swap(page):
        zhanqian.click()
    expect(page.get_by_role("dialog", name="受理网点信息")).to_be_hidden()
    expect(field(page, "网点名称")).to_have_text("站前路支行")
    expect(field(page, "网点电话")).to_have_text("020-83528957")
    expect(field(page, "网点地址")).to_have_text("广州市荔湾区站前路58号首层西侧04-06铺")
    snap(page, "pickup")
    page.get_by_role("button", name="下一步").click()

    # ⑥ 信息确认: masked personal data
    expect(heading(page, "信息确认")).to_be_visible()
    personal = section(page, "个人信息")
    expect(value_of(personal, "姓名")).to_have_text("张*")
    expect(value_of(personal, "证件号码")).to_have_text(re.compile(r"^440106\*+235$"))
    expect(value_of(personal, "手机号码")).to_have_text("136****2819")
    expect(value_of(personal, "民族")).to_have_text("汉族")
    expect(value_of(personal, "性别")).to_have_text("男")
    expect(value_of(personal, "出生日期")).to_have_text("19900101")
    expect(value_of(section(page, "社保卡信息"), "服务银行")).to_have_text("工商银行")
    expect(value_of(section(page, "社保卡领卡方式"), "领卡方式")).to_have_text("网点领卡")
    expect(value_of(section(page, "领卡网点"), "网点名称")).to_have_text("站前路支行")
    expect(page.get_by_role("heading", name="收件人信息", exact=True)).to_have_count(0)
    snap(page, "confirm")

    # change 领卡方式 to 邮寄到付 from 信息确认
    page.get_by_role("link", name="修改社保卡领卡方式").click()
    expect(heading(page, "领卡方式")).to_be_visible()
    choose(page, "领卡方式", "邮寄到付")
    notice = page.get_by_role("alertdialog", name="邮寄温馨提醒")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("请认真填写持卡人本人的收件地址、联系手机号码信息")
    expect(notice).to_contain_text("如果多次投递失败,金融社保卡将配送至个人选择的受理网点")
    snap(page, "mail-notice")
    with htmx_swap(page):
        notice.get_by_role("button", name="好的,我已阅读").click()
    expect(page.get_by_role("alertdialog", name="邮寄温馨提醒")).to_be_hidden()
    recipient = section(page, "收件人信息")
    expect(field(recipient, "手机号码")).to_have_text("136****2819")
    expect(field(recipient, "姓名")).to_have_text("张*")
    choose(page, "收件地区", "广东省")
    expect(page.get_by_role("alertdialog", name="邮寄温馨提醒"),
           "the 邮寄温馨提醒 already acknowledged must not come back").to_be_hidden()
    choose(page, "城市", "广州市")
    field(page, "区/县").select_option("天河区")
    field(page, "收件详细地址").fill("广州市天河区天河路385号1201室")
    expect(field(page, "网点名称")).to_have_text("站前路支行")
    snap(page, "pickup-post")
    page.get_by_role("button", name="下一步").click()

    expect(heading(page, "信息确认")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/confirm$"))
    expect(value_of(section(page, "社保卡领卡方式"), "领卡方式")).to_have_text("邮寄到付")
    recipient = section(page, "收件人信息")
    expect(recipient).to_be_visible()
    expect(value_of(recipient, "姓名")).to_have_text("张*")
    expect(value_of(recipient, "手机号码")).to_have_text("136****2819")
    expect(value_of(recipient, "收件地区")).to_contain_text("天河区")
    expect(value_of(recipient, "收件详细地址")).to_have_text("广州市天河区天河路385号1201室")
    snap(page, "confirm-post")
    page.get_by_role("button", name="确认提交").click()

    # 提交成功 › 返回首页 › 办事指南
    expect(heading(page, "提交成功")).to_be_visible()
    expect(page.get_by_text(SUCCESS_TEXT, exact=True)).to_be_visible()
    snap(page, "submitted")
    number = page.locator(".result-facts dd").first.inner_text()
    assert re.fullmatch(r"SB\d{14}", number), number
    keeps_the_receipt(page, number, snap)
    page.get_by_role("button", name="返回首页").click()
    expect(heading(page, "办事指南")).to_be_visible()


def keeps_the_receipt(page: Page, number: str, snap: Callable[[Page, str], None]) -> None:
    """提交成功 › 制卡进度查询 (the state, from the store) › 查看回执 › 下载回执(PDF); then back to 提交成功. The status
    page and the receipt are swept for accessibility like every state of the generated routes (tests/a11y)."""
    look = Looks(page)
    expect(page.get_by_role("heading", name="接下来")).to_be_visible()
    page.get_by_role("button", name="制卡进度查询").click()
    expect(heading(page, "制卡进度查询")).to_be_visible()
    card = page.locator("section").filter(has_text=number)
    expect(card).to_contain_text("已受理")
    expect(page.get_by_role("link", name="12333")).to_have_attribute("href", "tel:12333")
    snap(page, "status")
    look("制卡进度查询")
    card.get_by_role("link", name="查看回执").click()
    expect(heading(page, "社保卡申领回执")).to_be_visible()
    expect(page.get_by_text(number, exact=True)).to_be_visible()
    expect(page.get_by_text("440106*********235", exact=True).first).to_be_visible()
    expect(page.get_by_role("button", name="打印回执")).to_be_visible()
    snap(page, "receipt")
    look("回执")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载回执(PDF)").click()
    text = "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert number in text and "张*" in text and "邮寄到付" in text and "440106199001011235" not in text, text
    page.go_back()
    page.go_back()
    expect(heading(page, "提交成功")).to_be_visible()
    look.assert_clean()


# ------------------------------------------------------------------ 2. 梁嘉欣: a photo by receipt number

def test_liang_jiaxin_gets_her_photo_by_receipt(page: Page, id_card_images: dict[str, Path]) -> None:
    sign_in(page, "440103198805124565")
    start_adult(page)
    check_eligibility(page, "广州市")
    expect(heading(page, "上传材料")).to_be_visible()
    upload_id_card(page, id_card_images)
    page.get_by_role("button", name="下一步").click()

    expect(heading(page, "获取制卡相片")).to_be_visible()
    expect(page.get_by_role("img", name="社保系统相片")).to_have_count(0)
    expect(page.get_by_role("button", name="使用相片")).to_be_disabled()
    receipt = field(page, "输入社保卡相片回执号")
    receipt.fill("GZ2023080100533")          # a real receipt, but of someone else (李小明)
    with htmx_swap(page):
        page.get_by_role("button", name="获取图片").click()
    popup = page.get_by_role("alertdialog")
    expect(popup).to_be_visible()
    expect(popup).to_contain_text("相片回执号")
    popup.get_by_role("button", name="确认").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    expect(page.get_by_role("img", name="回执号相片")).to_have_count(0)
    expect(page.get_by_role("button", name="使用相片")).to_be_disabled()

    use_receipt_photo(page, "GZ2023072600018")

    expect(heading(page, "申请信息")).to_be_visible()
    fill_details(page, "13711112222", bank="中国银行")
    page.get_by_role("button", name="下一步").click()
    expect(heading(page, "领卡方式")).to_be_visible()
    choose(page, "领卡方式", "网点领卡")
    pick_branch(page, name="北京路支行", district="越秀区", keyword="北京")
    page.get_by_role("button", name="下一步").click()

    expect(heading(page, "信息确认")).to_be_visible()
    expect(value_of(section(page, "个人信息"), "姓名")).to_have_text("梁*欣")
    expect(value_of(section(page, "领卡网点"), "网点名称")).to_have_text("北京路支行")
    expect(section(page, "制卡相片").get_by_role("img")).to_be_visible()
    page.get_by_role("button", name="确认提交").click()
    expect(heading(page, "提交成功")).to_be_visible()
    expect(page.get_by_text(SUCCESS_TEXT, exact=True)).to_be_visible()


# ------------------------------------------------------------------ 3. 赵敏: the back office rejects

def test_zhao_min_is_rejected_told_what_to_do_and_finds_her_answers_kept(page: Page,
                                                                        id_card_images: dict[str, Path]) -> None:
    sign_in(page, "440104199303032645")
    walk_to_confirm(page, id_card_images, "13866667777", bank="建设银行")
    page.get_by_role("button", name="确认提交").click()

    expect(heading(page, "提交失败")).to_be_visible()
    expect(page.get_by_text("原因说明:社会保障号检验位不符合检验规则")).to_be_visible()
    # in plain words, what to do, 12333 one tap away; no 重新提交, which would fail the same way
    expect(page.get_by_text(re.compile("最后一位校验码不正确"))).to_be_visible()
    expect(page.get_by_role("link", name="12333")).to_have_attribute("href", "tel:12333")
    expect(page.get_by_role("button", name="重新提交")).to_have_count(0)
    page.get_by_role("button", name="返回首页").click()

    # the failed application's answers are kept: through the guide (no second face check in this sign-in)
    expect(heading(page, "办事指南")).to_be_visible()
    page.get_by_label("本人已认真阅读,理解并自愿接受以上约定").check()
    page.get_by_role("button", name="完成人脸核验开始办理").click()
    expect(heading(page, "信息确认")).to_be_visible()
    expect(value_of(section(page, "社保卡信息"), "服务银行")).to_have_text("建设银行")
    expect(value_of(section(page, "领卡网点"), "网点名称")).to_have_text("站前路支行")
    expect(value_of(section(page, "个人信息"), "手机号码")).to_have_text("138****7777")
    expect(page.get_by_role("button", name="确认提交")).to_be_enabled()

    # a change made from 信息确认 is checked on its own page and comes straight back
    page.get_by_role("link", name="修改社保卡信息").click()
    expect(heading(page, "申请信息")).to_be_visible()
    expect(page.get_by_text("修改完成后将返回信息确认")).to_be_visible()
    expect(field(page, "服务银行")).to_have_value("建设银行")
    choose(page, "服务银行", "农业银行")
    page.get_by_role("button", name="下一步").click()
    expect(heading(page, "信息确认")).to_be_visible()
    expect(value_of(section(page, "社保卡信息"), "服务银行")).to_have_text("农业银行")
    expect(value_of(section(page, "领卡网点"), "网点名称")).to_have_text("站前路支行")


# ------------------------------------------------------------------ 4-7. stopped before or at the start

def test_liu_yang_with_an_application_stays_on_the_guide(page: Page) -> None:
    sign_in(page, "440106199107071535")
    open_adult_guide(page)
    face_check(page)
    popup = page.get_by_role("alertdialog")
    expect(popup).to_be_visible()
    expect(popup.get_by_role("button", name="确认")).to_be_visible()
    expect(heading(page, "办事指南")).to_be_visible()
    expect(heading(page, "申请资格校验")).to_have_count(0)


def test_foreigner_is_told_online_is_not_supported(page: Page) -> None:
    sign_in(page, "USA110088042512")
    open_adult_guide(page)
    # told at once, before any face check: the resident type is known from sign-in
    page.get_by_label("本人已认真阅读,理解并自愿接受以上约定").check()
    page.get_by_role("button", name="完成人脸核验开始办理").click()
    expect(heading(page, "人脸核验")).to_have_count(0)
    popup = page.get_by_role("alertdialog")
    expect(popup).to_be_visible()
    expect(popup).to_contain_text("暂不支持华侨及外国人线上办理")
    expect(heading(page, "申请资格校验")).to_have_count(0)


def test_jiang_lizhi_meets_the_one_person_one_card_popup(page: Page) -> None:
    sign_in(page, "440304198709234462")
    start_adult(page)
    check_eligibility(page, "广州市")
    popup = page.get_by_role("alertdialog")
    expect(popup).to_be_visible()
    expect(popup).to_contain_text("您名下已有广东省内发行的社保卡")
    expect(popup).to_contain_text("若想继续申领广州市社保卡")
    expect(popup.get_by_role("button", name="取消")).to_be_visible()
    expect(popup.get_by_role("button", name="确认")).to_be_visible()
    popup.get_by_role("button", name="取消").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    expect(heading(page, "申请资格校验")).to_be_visible()


def test_failed_face_check_stays_on_the_guide(page: Page) -> None:
    sign_in(page, "440105198502114020")      # 王芳
    open_adult_guide(page)
    # without ticking the agreement nothing proceeds
    page.get_by_role("button", name="完成人脸核验开始办理").click()
    expect(heading(page, "办事指南")).to_be_visible()
    expect(page.get_by_text("请先勾选“本人已认真阅读,理解并自愿接受以上约定”").first).to_be_visible()
    expect(heading(page, "人脸核验")).to_have_count(0)
    face_check(page, "模拟核验不通过")
    expect(heading(page, "办事指南")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="人脸核验未通过")).to_be_visible()
    expect(heading(page, "申请资格校验")).to_have_count(0)


# ------------------------------------------------------------------ 8. sign-in

def test_unknown_number_shows_an_error_on_the_login_page(page: Page) -> None:
    page.goto("/login")
    field(page, "证件号码").fill("440106199001019999")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/login\?said=[\w-]+$"))     # the POST answered 303: Back and reload are safe
    expect(page.get_by_role("heading", name="粤省事登录")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("未找到该证件号码")
    expect(field(page, "证件号码")).to_have_value("440106199001019999")
