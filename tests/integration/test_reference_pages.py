"""What docs/dsl-reference.md says a key shows, seen on the real journey's pages (tests/unit/docs/test_reference_claims.py
names these tests for the keys they show)."""
from __future__ import annotations

import re

from starlette.testclient import TestClient

from tests.integration.conftest import Citizen


def _text(html: str) -> str:
    """The page as a citizen reads it: tags gone, spaces folded."""
    html = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_home_page_links_each_journey_by_its_home_link(client: TestClient) -> None:
    citizen = Citizen(client)
    citizen.sign_in()
    home = citizen.get("/").text
    assert re.search(r'href="/j/adult"[^>]*>\s*社保卡申领', home)
    assert re.search(r'href="/j/cleanup"[^>]*>\s*一人一卡清理', home)


def test_the_guide_shows_the_journey_title_and_its_blocks(client: TestClient) -> None:
    citizen = Citizen(client)
    citizen.sign_in()
    page = citizen.get("/j/adult")
    assert page.url.path == "/j/adult/guide"              # pages are served under /j/<journey>/
    shown = _text(page.text)
    assert "办事指南 - 社保卡申领" in shown                   # the journey's title in the header of the page
    assert "办理须知 1.面向在广东省内居住" in shown             # a block: its title, then its lines
    assert "社保卡相片回执号 如社保系统有照片可无需社保卡相片回执号" in shown        # items: term, then text
    # items_from residents: each resident type's guide_label (else label) and materials, a shared group once
    assert "内地居民 居民身份证(原件)" in shown
    assert shown.count("香港、澳门特别行政区居民") == 1


def test_the_confirm_page_shows_its_steps_sections_rows_and_edit_links(client: TestClient) -> None:
    citizen = Citizen(client)
    citizen.sign_in()
    page = citizen.walk_to_confirm()
    shown = _text(page.text)
    # steps: the numbered bar; the page's step is the number before its title
    assert "6 信息确认 申请资格校验 上传材料 获取制卡相片 申请信息 领卡方式 信息确认" in shown
    # confirm sections: title, then rows; a bare id shows the field's label; value + display; fields joined
    assert "社保卡信息 修改 发卡地 广州市 服务银行 工商银行" in shown
    assert "性别 男 出生日期 19900101" in shown              # value: derived.gender; display: date_compact
    assert "证件号码 440106*********235" in shown             # a field's own display (mask_id)
    assert "常住地址 广东省广州市天河区 天河路100号1201房" in shown   # fields: joined in one row
    assert "网点名称 站前路支行" in shown                       # {label, value: branch.name}
    assert "收件人信息" not in shown                           # a section whose when is false is left out
    assert "国家/地区 中国" in shown                           # the resident type's nationality
    # edit: each 修改 opens its page in edit mode
    assert '<a href="/j/adult/details?edit=1" class="edit" aria-label="修改社保卡信息">修改</a>' in page.text
    assert '<a href="/j/adult/pickup?edit=1" class="edit" aria-label="修改社保卡领卡方式">修改</a>' in page.text


def test_a_page_shows_its_note_fields_and_section_titles(client: TestClient) -> None:
    citizen = Citizen(client)
    citizen.sign_in()
    guide = _text(citizen.get("/j/adult").text)
    assert "本人已认真阅读,理解并自愿接受以上约定" in guide     # fields: without a section title
    pickup = _text(citizen.walk_to_confirm(until="pickup").text)
    assert "领卡方式" in pickup
    citizen.get("/j/adult/documents")
    documents = _text(citizen.last.text)
    assert "请根据您的证件类型上传证件照片,上传材料的附件与用户证件类型需保持一致" in documents     # note
    citizen.get("/j/adult/details")
    details = _text(citizen.last.text)
    assert "个人信息" in details and "社保卡信息 发卡地" in details          # sections: title, then its fields


def test_a_result_shows_its_title_icon_text_and_buttons(client: TestClient) -> None:
    citizen = Citizen(client)
    citizen.sign_in()
    citizen.walk_to_confirm()
    result = citizen.post("/j/adult/confirm", {"_action": "button:0"})
    assert result.url.path == "/j/adult/result/submitted"      # ok: {result: submitted}
    assert 'class="result result-success"' in result.text and "✔" in result.text
    shown = _text(result.text)
    assert "提交成功 您已成功提交申请" in shown
    assert "返回首页" in shown
