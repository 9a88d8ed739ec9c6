"""繁體中文 at 390×844: 陈志明 (Hong Kong) reads Hong Kong's Traditional Chinese from sign-in on, 林雅婷 (Taiwan) Taiwan's
words, 张伟 Simplified; the 简体 / 繁體 switch at the foot of the page keeps the citizen where they are with what they
chose, and is remembered from page to page and across 退出 and signing in again.

These tests have a server of their own: the personas' drafts stay apart from the other modules' walks."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.a11y.axe import described, violations
from tests.e2e.conftest import heading, htmx_swap, serve

pytestmark = pytest.mark.e2e

CHEN, LIN, ZHANG = "810000199203082010", "830000199506173028", "440106199001011235"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("e2e-languages")) as base:
        yield base


def sign_in(page: Page, site: str, number: str, login: str = "登录") -> None:
    page.goto(f"{site}/login")
    page.locator("#id_number").fill(number)
    page.get_by_role("button", name=login).click()
    expect(page.get_by_role("link", name=re.compile(r"^社保卡申[领領]$"))).to_be_visible()


def expect_lang(page: Page, code: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_chen_zhiming_reads_hong_kong_traditional_by_default(page: Page, site: str,
                                                             snap: Callable[[Page, str], None]) -> None:
    sign_in(page, site, CHEN)
    expect_lang(page, "zh-Hant-HK")
    expect(page.get_by_role("heading", name="社保卡相關服務")).to_be_visible()
    page.get_by_role("link", name="社保卡申領").click()
    expect(heading(page, "辦事指南")).to_be_visible()
    expect(page.get_by_text("面向在廣東省內居住、就業、參加社會保險的中國公民", exact=False)).to_be_visible()
    snap(page, "hk-guide")
    page.get_by_label(re.compile("本人已認真")).check()
    page.get_by_role("button", name="完成人臉核驗開始辦理").click()
    expect(heading(page, "人臉核驗")).to_be_visible()
    expect_lang(page, "zh-Hant-HK")
    page.get_by_role("button", name="模擬核驗通過").click()
    expect(heading(page, "申請資格校驗")).to_be_visible()
    steps = page.get_by_role("list", name="辦理步驟")
    expect(steps).to_contain_text("獲取製卡相片")          # 製卡: forms/translations.yaml, not OpenCC's 制卡
    expect(steps).to_contain_text("信息確認")               # Hong Kong's word
    expect(page.get_by_label(re.compile(r"意向發卡地"))).to_be_visible()     # 發卡, not 髮卡 (a hairpin)
    snap(page, "hk-eligibility")
    # axe: the page's language tags are valid, and the switch at its foot passes (size, contrast, names)
    found = [v for v in violations(page) if v["id"] in ("html-lang-valid", "valid-lang", "html-xml-lang-mismatch")
             or any(word in n["target"] for n in v["nodes"] for word in ("lang", "foot"))]
    assert found == [], described(found)


def test_lin_yating_reads_taiwan_words(page: Page, site: str, snap: Callable[[Page, str], None]) -> None:
    sign_in(page, site, LIN)
    expect_lang(page, "zh-Hant-TW")
    page.get_by_role("link", name="社保卡申領").click()
    expect(heading(page, "辦事指南")).to_be_visible()
    expect(page.get_by_text("按照操作指引完成資訊項填寫")).to_be_visible()       # Taiwan says 資訊
    page.get_by_label(re.compile("本人已認真")).check()
    page.get_by_role("button", name="完成人臉核驗開始辦理").click()
    page.get_by_role("button", name="模擬核驗通過").click()
    expect(heading(page, "申請資格校驗")).to_be_visible()
    expect(page.get_by_role("list", name="辦理步驟")).to_contain_text("資訊確認")
    snap(page, "tw-eligibility")


def test_zhang_wei_reads_simplified_by_default(page: Page, site: str) -> None:
    sign_in(page, site, ZHANG)
    expect_lang(page, "zh-CN")
    expect(page.get_by_role("heading", name="社保卡相关服务")).to_be_visible()
    expect(page.get_by_role("button", name="繁體")).to_be_visible()


def test_simplified_chosen_is_kept_on_the_page_across_pages_and_signing_in_again(
        page: Page, site: str, snap: Callable[[Page, str], None]) -> None:
    sign_in(page, site, CHEN)
    page.get_by_role("link", name="社保卡申領").click()
    page.get_by_label(re.compile("本人已認真")).check()
    page.get_by_role("button", name="完成人臉核驗開始辦理").click()
    if page.get_by_role("button", name="模擬核驗通過").is_visible():
        page.get_by_role("button", name="模擬核驗通過").click()
    expect(heading(page, "申請資格校驗")).to_be_visible()
    with htmx_swap(page):
        page.get_by_label(re.compile(r"意向發卡地")).select_option("深圳市")
    url = page.url
    page.get_by_role("button", name="简体").click()          # at the foot of the page
    expect(heading(page, "申请资格校验")).to_be_visible()
    assert urlsplit(page.url).path == urlsplit(url).path          # the same page …
    expect(page.get_by_label(re.compile(r"意向发卡地"))).to_have_value("深圳市")     # … with what was chosen
    expect_lang(page, "zh-CN")
    snap(page, "hk-chose-simplified")
    page.get_by_role("link", name="返回首页").click()
    expect(page.get_by_role("heading", name="社保卡相关服务")).to_be_visible()
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", name="粤省事登录")).to_be_visible()
    sign_in(page, site, CHEN)
    expect_lang(page, "zh-CN")
    expect(page.get_by_role("heading", name="社保卡相关服务")).to_be_visible()
    page.get_by_role("button", name="繁體").click()
    expect(page.get_by_role("heading", name="社保卡相關服務")).to_be_visible()
    expect_lang(page, "zh-Hant-HK")
