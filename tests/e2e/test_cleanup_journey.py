"""一人一卡清理 (journeys.md section C), walked in a phone-sized chromium by 江丽芝 of personas.yaml, who holds
cards issued by 深圳市 and 佛山市.

Drafts persist per person and journey for the whole server run, so each test walks from whatever page the
product shows (test_adult_journey.py also takes 江丽芝 to 申请资格校验). Signing in again makes the simulator
forget her cleanup, so every test here meets her two cards afresh.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import (
    ensure_chosen,
    face_check,
    field,
    heading,
    sign_in,
    top_bar,
    value_of,
)

pytestmark = pytest.mark.e2e

JIANG_LIZHI = "440304198709234462"
AGREEMENT = "本人已认真阅读、理解并自愿接受以上约定"
CLEANED_TEXT = "您的一人一卡清理申请已提交成功,原发卡地市的社会保障卡将予以注销,您可继续申领社保卡。"
CARDS = [
    {"社保卡号": "SZ0012345", "发卡城市": "深圳市", "服务银行": "中国银行"},
    {"社保卡号": "FS0067890", "发卡城市": "佛山市", "服务银行": "农业银行"},
]


def card(scope: Locator, card_number: str) -> Locator:
    """One card of a record list: the term/definition list that holds its 社保卡号."""
    number = scope.page.get_by_role("definition").filter(has_text=re.compile(f"^{re.escape(card_number)}$"))
    return scope.locator("dl").filter(has=number)


def adult_eligibility(page: Page) -> None:
    """Home › 社保卡申领 › (办事指南 and the face check, unless the draft has passed them) › 申请资格校验."""
    page.get_by_role("link", name="社保卡申领").click()
    title = page.get_by_role("heading", level=1)
    expect(title).to_have_text(re.compile("办事指南|申请资格校验"))
    if "办事指南" in title.inner_text():
        face_check(page)
    expect(heading(page, "申请资格校验")).to_be_visible()
    expect(top_bar(page)).to_contain_text("社保卡申领")


def walk_cleanup_from_guide(page: Page) -> None:
    """C1 办事指南 › C2 待清理的社保卡信息 › C3 确认信息 (the dialog of 清理 not yet answered)."""
    expect(heading(page, "办事指南")).to_be_visible()
    expect(top_bar(page)).to_contain_text("一人一卡清理")
    for block in ["办理须知", "办理流程"]:
        expect(page.get_by_role("heading", name=block, exact=True)).to_be_visible()
    expect(page.get_by_text("须先清理该地市的社会保障卡", exact=False)).to_be_visible()

    # nothing proceeds until the agreement is ticked
    page.get_by_role("button", name="开始办理").click()
    expect(heading(page, "办事指南")).to_be_visible()
    expect(page.get_by_text(f"请先勾选“{AGREEMENT}”").first).to_be_visible()
    expect(heading(page, "待清理的社保卡信息")).to_have_count(0)
    field(page, AGREEMENT).check()
    page.get_by_role("button", name="开始办理").click()

    # C2: every card listed, selected, and the selection cannot be changed
    expect(heading(page, "待清理的社保卡信息")).to_be_visible()
    cards = page.get_by_role("group", name="待清理的社保卡")
    for expected in CARDS:
        row = card(cards, expected["社保卡号"])
        expect(row).to_have_count(1)
        expect(value_of(row, "姓名")).to_have_text("江*芝")
        expect(value_of(row, "发卡城市")).to_have_text(expected["发卡城市"])
        expect(value_of(row, "服务银行")).to_have_text(expected["服务银行"])
        expect(value_of(row, "卡状态")).to_have_text("正常")
        expect(row).to_contain_text("可申请办理")
        tick = cards.get_by_role("checkbox", name=re.compile(re.escape(expected["社保卡号"])))
        expect(tick).to_be_checked()
        expect(tick).to_be_disabled()
    expect(cards.get_by_role("checkbox")).to_have_count(len(CARDS))
    page.get_by_role("button", name="下一步").click()

    # C3: each card in full, masked
    expect(heading(page, "确认信息")).to_be_visible()
    cards = page.get_by_role("group", name="待清理的社保卡信息")
    for expected in CARDS:
        row = card(cards, expected["社保卡号"])
        expect(row).to_have_count(1)
        expect(value_of(row, "发卡地")).to_have_text(expected["发卡城市"])
        expect(value_of(row, "姓名")).to_have_text("江*芝")
        expect(value_of(row, "证件号码")).to_have_text(re.compile(r"^440304\*+462$"))
        expect(value_of(row, "社会保障号")).to_have_text(re.compile(r"^440304\*+462$"))
        expect(value_of(row, "卡状态")).to_have_text("正常")
        expect(value_of(row, "制卡进度")).to_have_text("已领卡")


def clean_up(page: Page) -> None:
    """C3 确认信息: 清理 › the dialog asks to confirm › 确认 › C4 提交成功."""
    page.get_by_role("button", name="清理").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("确认提交一人一卡清理吗")
    dialog.get_by_role("button", name="确认").click()
    expect(heading(page, "提交成功")).to_be_visible()
    expect(top_bar(page)).to_contain_text("一人一卡清理")
    expect(page.get_by_text(CLEANED_TEXT, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="继续申领")).to_be_visible()
    expect(page.get_by_role("button", name="返回首页")).to_be_visible()


# ------------------------------------------------------------------ 1. from the popup of 资格校验, back to 申领

def test_jiang_lizhi_cleans_up_her_cards_and_continues_applying(page: Page) -> None:
    sign_in(page, JIANG_LIZHI)
    adult_eligibility(page)
    ensure_chosen(page, "意向发卡地", "广州市")
    page.get_by_role("button", name="资格校验").click()

    popup = page.get_by_role("alertdialog")
    expect(popup).to_be_visible()
    expect(popup).to_contain_text("您名下已有广东省内发行的社保卡")
    expect(popup).to_contain_text("若想继续申领广州市社保卡")
    popup.get_by_role("button", name="取消").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    expect(heading(page, "申请资格校验")).to_be_visible()

    page.get_by_role("button", name="资格校验").click()
    popup = page.get_by_role("alertdialog")
    expect(popup).to_contain_text("您名下已有广东省内发行的社保卡")
    popup.get_by_role("button", name="确认").click()

    walk_cleanup_from_guide(page)

    # 清理 › 取消: the dialog closes, nothing is submitted, the cards are still there
    page.get_by_role("button", name="清理").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("确认提交一人一卡清理吗")
    expect(dialog.get_by_role("button", name="取消")).to_be_visible()
    expect(dialog.get_by_role("button", name="确认")).to_be_visible()
    dialog.get_by_role("button", name="取消").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    expect(heading(page, "确认信息")).to_be_visible()
    expect(heading(page, "提交成功")).to_have_count(0)
    for expected in CARDS:
        expect(card(page.get_by_role("group", name="待清理的社保卡信息"), expected["社保卡号"])).to_have_count(1)

    # 清理 again, and this time 确认 (the simulator accepts only while both cards are still on record,
    # so this success also shows that 取消 submitted nothing)
    clean_up(page)

    # 继续申领 › the application resumes at 申请资格校验, which now passes
    page.get_by_role("button", name="继续申领").click()
    expect(heading(page, "申请资格校验")).to_be_visible()
    expect(top_bar(page)).to_contain_text("社保卡申领")
    expect(field(page, "意向发卡地"), "the city chosen before the cleanup is kept").to_have_value("广州市")
    ensure_chosen(page, "意向发卡地", "广州市")
    page.get_by_role("button", name="资格校验").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    expect(heading(page, "上传材料")).to_be_visible()


# ------------------------------------------------------------------ 2. from the home page, 返回首页 at the end

def test_cleanup_from_the_home_page_and_back_to_the_guide(page: Page) -> None:
    sign_in(page, JIANG_LIZHI)          # a new sign-in: the simulator forgets the earlier cleanup
    expect(page.get_by_role("link", name="社保卡申领")).to_be_visible()
    page.get_by_role("link", name="一人一卡清理").click()

    walk_cleanup_from_guide(page)
    clean_up(page)

    page.get_by_role("button", name="返回首页").click()
    expect(heading(page, "办事指南")).to_be_visible()
    expect(top_bar(page)).to_contain_text("社保卡申领")
    expect(page.get_by_role("button", name="完成人脸核验开始办理")).to_be_visible()
    expect(page.get_by_role("heading", name="质量管理卡", exact=True)).to_be_visible()
