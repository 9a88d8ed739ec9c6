"""未成年人社保卡申领 (journeys.md section B), walked in a phone-sized chromium by 王芳 of personas.yaml for her
children 李小明 (户口簿, no system photo) and 李小红 (居民身份证, system photo).

Drafts persist per signed-in person and journey for the whole server run, and all three tests sign in as 王芳:
each walks from whatever page the product shows. A successful submission clears the minor draft, so the next
test starts at the guide again. 本人申领 (the last test) sends 王芳 into her own application past its guide, so
it stays last.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from stdnum.cn import ric

from tests.e2e.conftest import (
    ensure_chosen,
    field,
    heading,
    pick_branch,
    section,
    send_and_enter_code,
    sign_in,
    top_bar,
    upload_id_card,
    use_receipt_photo,
    use_system_photo,
    value_of,
)

pytestmark = pytest.mark.e2e

WANG_FANG = "440105198502114020"
AGREEMENT = "本人已认真阅读,理解并自愿接受以上约定"
MINOR_TITLE = "未成年人社保卡申领"
SUCCESS_TEXT = "您已成功提交申请,您可前往广东人社APP或粤省事小程序【制卡进度查询】查看当前业务的办理进度"
GUARDIAN_SIDES = ["监护人身份证国徽面", "监护人身份证人像面"]
REGISTER_SIDES = ["户口本首页", "户口本户主页", "户口本子女页"]
MINOR_ID_SIDES = ["申领人身份证国徽面", "申领人身份证人像面", "出生医学证明"]


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One distinct JPEG per document side a guardian may be asked for."""
    folder = tmp_path_factory.mktemp("minor-documents")
    out = {}
    for index, side in enumerate(GUARDIAN_SIDES + REGISTER_SIDES + MINOR_ID_SIDES):
        buffer = io.BytesIO()
        Image.new("RGB", (640, 400), (40 + 20 * index, 120, 200 - 15 * index)).save(buffer, format="JPEG", quality=85)
        path = folder / f"side-{index}.jpg"
        path.write_bytes(buffer.getvalue())
        out[side] = path
    return out


# ------------------------------------------------------------------ steps

def guardian_face_check(page: Page, button: str) -> None:
    """On a 办事指南: tick the agreement, press the button, pass the simulated face check."""
    field(page, AGREEMENT).check()
    page.get_by_role("button", name=button).click()
    expect(heading(page, "人脸核验")).to_be_visible()
    page.get_by_role("button", name="模拟核验通过").click()


def agree_and_go_on(page: Page, button: str) -> None:
    """On the minor's 办事指南, after the adult guide's face check in this sign-in: tick the agreement and press the
    button; the face is not checked a second time."""
    field(page, AGREEMENT).check()
    page.get_by_role("button", name=button).click()
    expect(heading(page, "办事指南")).to_have_count(0)
    expect(heading(page, "人脸核验")).to_have_count(0)


def open_minor_journey(page: Page) -> None:
    """Home › 社保卡申领 (adult 办事指南) › 代未成年子女办理 › face check › the minor journey, wherever it resumes."""
    page.get_by_role("link", name="社保卡申领").click()
    expect(heading(page, "办事指南")).to_be_visible()
    expect(top_bar(page)).to_contain_text("社保卡申领")
    guardian_face_check(page, "代未成年子女办理")
    expect(top_bar(page)).to_contain_text(MINOR_TITLE)


def to_minor_eligibility(page: Page) -> None:
    """From the minor journey's first page shown: through B1 (if shown) to 申领资格校验."""
    title = page.get_by_role("heading", level=1)
    expect(title).to_have_text(re.compile("办事指南|申领资格校验"))
    if "办事指南" in title.inner_text():
        agree_and_go_on(page, "代未成年子女办理")
    expect(heading(page, "申领资格校验")).to_be_visible()
    expect(top_bar(page)).to_contain_text(MINOR_TITLE)


def enter_applicant(page: Page, *, name: str, id_type: str, number: str, relationship: str = "母亲",
                    city: str = "广州市") -> None:
    """申领资格校验: the selects first (each refreshes the page), then the typed fields, then 资格校验."""
    ensure_chosen(page, "法定监护人与申领人关系", relationship)
    ensure_chosen(page, "证件类型", id_type)
    ensure_chosen(page, "意向发卡地", city)
    field(page, "申领人姓名").fill(name)
    field(page, "证件号码").fill(number)
    page.get_by_role("button", name="资格校验").click()


def refused_number(page: Page, message: str | re.Pattern[str], number: str) -> None:
    """After 资格校验: still on 申领资格校验, the message next to 证件号码, what was typed kept."""
    expect(heading(page, "申领资格校验")).to_be_visible()
    number_field = field(page, "证件号码")
    # described by what the box wants, then by the message
    said = rf"{re.escape(message)}$" if isinstance(message, str) else message.pattern
    expect(number_field).to_have_accessible_description(re.compile(rf"^请输入申领人的18位证件号码 {said}"))
    # .last: the error summary's link says it first (证件号码:…), the text next to the field comes after
    expect((page.get_by_text(message, exact=True) if isinstance(message, str)
            else page.get_by_text(message)).last).to_be_visible()
    expect(number_field).to_have_value(number)
    expect(field(page, "申领人姓名")).not_to_have_value("")


def upload_documents(page: Page, images: dict[str, Path], sides: list[str]) -> None:
    upload_id_card(page, {side: images[side] for side in sides})


def fill_common_details(page: Page, phone: str) -> None:
    """申请信息, what both children need besides the validity dates (职业 stays at its default)."""
    expect(field(page, "职业"), "职业 defaults to 其他人员 for a minor").to_have_value("其他人员")
    expect(page.get_by_text("证件有效期是否为长期")).to_have_count(0)
    ensure_chosen(page, "民族", "汉族")
    ensure_chosen(page, "常住地区", "广州市")
    field(page, "区/县").select_option("越秀区")
    ensure_chosen(page, "服务银行", "工商银行")
    ensure_chosen(page, "参保类型", "城乡居民")
    field(page, "常住详细地址").fill("广州市越秀区中山五路33号501房")
    send_and_enter_code(page, phone)


def branch_pickup(page: Page) -> None:
    expect(heading(page, "领卡方式")).to_be_visible()
    ensure_chosen(page, "领卡方式", "网点领卡")
    pick_branch(page)
    page.get_by_role("button", name="下一步").click()


def submit_and_return_to_guide(page: Page) -> None:
    """信息确认 › 确认提交 › 提交成功 › 返回首页 › the minor journey's 办事指南."""
    page.get_by_role("button", name="确认提交").click()
    expect(heading(page, "提交成功")).to_be_visible()
    expect(page.get_by_text(SUCCESS_TEXT, exact=True)).to_be_visible()
    page.get_by_role("button", name="返回首页").click()
    expect(heading(page, "办事指南")).to_be_visible()
    expect(top_bar(page)).to_contain_text(MINOR_TITLE)
    expect(page.get_by_role("button", name="代未成年子女办理")).to_be_visible()
    expect(page.get_by_role("button", name="本人申领")).to_be_visible()


# ------------------------------------------------------------------ 1. 李小明: 户口簿, a photo by receipt number

def test_wang_fang_applies_for_li_xiaoming(page: Page, images: dict[str, Path]) -> None:
    sign_in(page, WANG_FANG)
    open_minor_journey(page)

    # B1 办事指南 of the minor journey: the guardian rules, the agreement, both buttons
    expect(heading(page, "办事指南")).to_be_visible()
    expect(page.get_by_text(re.compile("未满16周岁的未成年人由其法定监护人代为申领"))).to_be_visible()
    expect(page.get_by_role("button", name="代未成年子女办理")).to_be_visible()
    expect(page.get_by_role("button", name="本人申领")).to_be_visible()
    page.get_by_role("button", name="代未成年子女办理").click()       # not yet agreed: nothing proceeds
    expect(heading(page, "办事指南")).to_be_visible()
    expect(page.get_by_text(f"请先勾选“{AGREEMENT}”").first).to_be_visible()
    expect(heading(page, "人脸核验")).to_have_count(0)
    to_minor_eligibility(page)

    # B2 申领资格校验: the guardian, masked and read-only
    expect(field(page, "监护人姓名")).to_have_text("王*")
    expect(field(page, "监护人社会保障号")).to_have_text(re.compile(r"^440105\*+020$"))

    # refusals, each next to 证件号码
    enter_applicant(page, name="李小明", id_type="户口簿", number=WANG_FANG)
    refused_number(page, "申领人已满16周岁,请由本人通过“本人申领”办理", WANG_FANG)
    field(page, "证件号码").fill("440105201503153318")
    page.get_by_role("button", name="资格校验").click()
    refused_number(page, "证件号码校验位不正确,请核对后重新输入", "440105201503153318")
    # a valid minor's number that is not on record (calc_check_digit wants a placeholder for the check digit)
    unknown = "44010520160101001" + ric.calc_check_digit("44010520160101001" + "0")
    assert ric.is_valid(unknown)
    field(page, "证件号码").fill(unknown)
    page.get_by_role("button", name="资格校验").click()
    refused_number(page, re.compile("未查询到该申领人"), unknown)
    expect(field(page, "法定监护人与申领人关系")).to_have_value("母亲")
    expect(field(page, "证件类型")).to_have_value("户口簿")
    expect(field(page, "意向发卡地")).to_have_value("广州市")

    enter_applicant(page, name="李小明", id_type="户口簿", number="440105201503153317")

    # B3 上传材料: the guardian's ID card and three pages of the household register
    expect(heading(page, "上传材料")).to_be_visible()
    for side in MINOR_ID_SIDES:
        expect(page.get_by_label(side)).to_have_count(0)
    upload_documents(page, images, GUARDIAN_SIDES + REGISTER_SIDES)
    page.get_by_role("button", name="下一步").click()

    # B4 获取制卡相片: no system photo, so the receipt number
    expect(heading(page, "获取制卡相片")).to_be_visible()
    expect(page.get_by_role("img", name="社保系统相片")).to_have_count(0)
    expect(page.get_by_role("button", name="使用相片")).to_be_disabled()
    use_receipt_photo(page, "GZ2023080100533")

    # B5 申请信息: the child's data, dates from the household register, the guardian's phone
    expect(heading(page, "申请信息")).to_be_visible()
    expect(page.get_by_text(re.compile("户口簿登记日期"))).to_be_visible()
    expect(field(page, "姓名")).to_have_text("李*明")
    expect(field(page, "证件类型")).to_have_text("户口簿")
    expect(field(page, "证件号码")).to_have_text(re.compile(r"^440105\*+317$"))
    expect(field(page, "证件有效开始日期")).to_have_text("2015-04-02")
    expect(field(page, "证件有效截止日期")).to_have_text("2031-03-15")
    fill_common_details(page, "13977778888")
    page.get_by_role("button", name="下一步").click()

    # B6 领卡方式
    branch_pickup(page)

    # B7 信息确认
    expect(heading(page, "信息确认")).to_be_visible()
    guardian = section(page, "监护人信息")
    expect(value_of(guardian, "监护人姓名")).to_have_text("王*")
    expect(value_of(guardian, "监护人社会保障号")).to_have_text(re.compile(r"^440105\*+020$"))
    expect(value_of(guardian, "法定监护人与申领人关系")).to_have_text("母亲")
    applicant = section(page, "申领人信息")
    expect(value_of(applicant, "姓名")).to_have_text("李*明")
    expect(value_of(applicant, "证件类型")).to_have_text("户口簿")
    expect(value_of(applicant, "证件号码")).to_have_text(re.compile(r"^440105\*+317$"))
    expect(value_of(applicant, "证件有效开始日期")).to_have_text("2015-04-02")
    expect(value_of(applicant, "证件有效截止日期")).to_have_text("2031-03-15")
    expect(value_of(applicant, "性别")).to_have_text("男")
    expect(value_of(applicant, "出生日期")).to_have_text("20150315")
    expect(value_of(applicant, "职业")).to_have_text("其他人员")
    expect(value_of(applicant, "手机号码")).to_have_text("139****8888")
    expect(value_of(applicant, "常住地址")).to_contain_text("中山五路33号501房")
    expect(page.get_by_role("heading", name="个人信息", exact=True)).to_have_count(0)
    for title in ["制卡相片", "社保卡信息", "社保卡领卡方式", "领卡网点", "上传材料"]:
        expect(section(page, title)).to_be_visible()
    expect(section(page, "制卡相片").get_by_role("img")).to_be_visible()
    expect(value_of(section(page, "社保卡信息"), "发卡地")).to_have_text("广州市")
    expect(value_of(section(page, "社保卡信息"), "社会保障号")).to_have_text(re.compile(r"^440105\*+317$"))
    expect(value_of(section(page, "领卡网点"), "网点名称")).to_have_text("站前路支行")
    for side in GUARDIAN_SIDES + REGISTER_SIDES:
        expect(section(page, "上传材料").get_by_role("img", name=side)).to_be_visible()

    # 修改 申领人信息 › 申请信息 › 下一步 comes straight back
    page.get_by_role("link", name="修改申领人信息").click()
    expect(heading(page, "申请信息")).to_be_visible()
    expect(page.get_by_text("修改完成后将返回信息确认")).to_be_visible()
    expect(field(page, "常住详细地址")).to_have_value("广州市越秀区中山五路33号501房")
    field(page, "常住详细地址").fill("广州市越秀区中山五路35号602房")
    page.get_by_role("button", name="下一步").click()
    expect(heading(page, "信息确认")).to_be_visible()
    expect(value_of(section(page, "申领人信息"), "常住地址")).to_contain_text("中山五路35号602房")
    expect(value_of(section(page, "领卡网点"), "网点名称")).to_have_text("站前路支行")

    # 修改 监护人信息 › 申领资格校验, everything kept; 资格校验 comes straight back
    page.get_by_role("link", name="修改监护人信息").click()
    expect(heading(page, "申领资格校验")).to_be_visible()
    expect(field(page, "法定监护人与申领人关系")).to_have_value("母亲")
    expect(field(page, "申领人姓名")).to_have_value("李小明")
    expect(field(page, "证件类型")).to_have_value("户口簿")
    expect(field(page, "证件号码")).to_have_value("440105201503153317")
    expect(field(page, "意向发卡地")).to_have_value("广州市")
    page.get_by_role("button", name="资格校验").click()
    expect(heading(page, "信息确认")).to_be_visible()
    expect(value_of(section(page, "监护人信息"), "法定监护人与申领人关系")).to_have_text("母亲")

    submit_and_return_to_guide(page)


# ------------------------------------------------------------------ 2. 李小红: 居民身份证, the system photo

def test_wang_fang_applies_for_li_xiaohong(page: Page, images: dict[str, Path]) -> None:
    sign_in(page, WANG_FANG)
    open_minor_journey(page)
    to_minor_eligibility(page)
    enter_applicant(page, name="李小红", id_type="居民身份证", number="440105201208203422")

    # B3: the child's ID card and birth certificate, not the household register
    expect(heading(page, "上传材料")).to_be_visible()
    for side in REGISTER_SIDES:
        expect(page.get_by_label(side)).to_have_count(0)
    upload_documents(page, images, GUARDIAN_SIDES + MINOR_ID_SIDES)
    page.get_by_role("button", name="下一步").click()

    # B4: the system holds her photo
    expect(heading(page, "获取制卡相片")).to_be_visible()
    use_system_photo(page)

    # B5: the validity dates as printed on her card; no 长期
    expect(heading(page, "申请信息")).to_be_visible()
    expect(field(page, "姓名")).to_have_text("李*红")
    expect(field(page, "证件类型")).to_have_text("居民身份证")
    # a different number from test 1: one phone may get a new code only every 60 s
    fill_common_details(page, "13977779999")
    valid_from, valid_to = field(page, "证件有效开始日期"), field(page, "证件有效截止日期")

    # the end on the start day: refused, it must be later
    today = dt.date.today().isoformat()      # the server runs on this machine: the same today
    valid_from.fill(today)
    valid_to.fill(today)
    page.get_by_role("button", name="下一步").click()
    expect(heading(page, "申请信息")).to_be_visible()
    expect(field(page, "证件有效截止日期")).to_have_accessible_description("证件有效截止日期须晚于证件有效开始日期")
    expect(page.get_by_text("证件有效截止日期须晚于证件有效开始日期", exact=True)).to_be_visible()

    # an end before the start (and so also past, as the start cannot be later than today): refused
    field(page, "证件有效开始日期").fill("2022-09-01")
    field(page, "证件有效截止日期").fill("2022-08-01")
    page.get_by_role("button", name="下一步").click()
    expect(heading(page, "申请信息")).to_be_visible()
    expect(field(page, "证件有效截止日期")).to_have_accessible_description(re.compile("证件有效截止日期"))
    expect(field(page, "证件有效开始日期")).to_have_value("2022-09-01")
    expect(field(page, "证件有效截止日期")).to_have_value("2022-08-01")

    # an end after the start, but past: refused
    field(page, "证件有效截止日期").fill("2024-09-01")
    page.get_by_role("button", name="下一步").click()
    expect(heading(page, "申请信息")).to_be_visible()
    expect(field(page, "证件有效截止日期")).to_have_accessible_description("证件有效截止日期已过期,请核对")
    expect(field(page, "证件有效截止日期")).to_have_value("2024-09-01")

    # the dates on her card
    field(page, "证件有效截止日期").fill("2027-09-01")
    page.get_by_role("button", name="下一步").click()

    branch_pickup(page)

    expect(heading(page, "信息确认")).to_be_visible()
    applicant = section(page, "申领人信息")
    expect(value_of(applicant, "姓名")).to_have_text("李*红")
    expect(value_of(applicant, "证件类型")).to_have_text("居民身份证")
    expect(value_of(applicant, "证件号码")).to_have_text(re.compile(r"^440105\*+422$"))
    expect(value_of(applicant, "证件有效开始日期")).to_have_text(re.compile("2022-?09-?01"))
    expect(value_of(applicant, "证件有效截止日期")).to_have_text(re.compile("2027-?09-?01"))
    expect(value_of(applicant, "性别")).to_have_text("女")
    expect(value_of(applicant, "出生日期")).to_have_text("20120820")
    expect(value_of(applicant, "手机号码")).to_have_text("139****9999")
    expect(value_of(section(page, "监护人信息"), "监护人姓名")).to_have_text("王*")
    for side in GUARDIAN_SIDES + MINOR_ID_SIDES:
        expect(section(page, "上传材料").get_by_role("img", name=side)).to_be_visible()

    submit_and_return_to_guide(page)


# ------------------------------------------------------------------ 3. 本人申领 from the minor guide

def test_wang_fang_applies_for_herself_from_the_minor_guide(page: Page) -> None:
    sign_in(page, WANG_FANG)
    open_minor_journey(page)
    expect(heading(page, "办事指南")).to_be_visible()
    agree_and_go_on(page, "本人申领")

    # straight to her own 申请资格校验: the guide and its face check are not asked for again
    expect(heading(page, "申请资格校验")).to_be_visible()
    expect(top_bar(page)).to_contain_text("社保卡申领")
    expect(top_bar(page)).not_to_contain_text(MINOR_TITLE)
    expect(field(page, "姓名")).to_have_text("王*")
    expect(field(page, "社会保障号")).to_have_text(re.compile(r"^440105\*+020$"))

    # Back home, 社保卡申领 must still let her apply for a child: 代未成年子女办理 on the adult 办事指南 is the
    # minor journey's only entry, and the home page has no link of its own for it.
    page.get_by_role("link", name="返回首页").click()
    page.get_by_role("link", name="社保卡申领").click()
    expect(page.get_by_role("button", name="代未成年子女办理"),
           "after 本人申领 a guardian must still be able to reach 代未成年子女办理").to_be_visible()
