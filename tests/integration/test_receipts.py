"""Something to keep: 提交成功 shows the application number and what happens next; 制卡进度查询 reads the
application's state from the store; the receipt as a page and a PDF, masked; 提交失败 in plain words, with 12333."""
from __future__ import annotations

import io
import re
from typing import Any

from PIL import ImageFile
from pypdf import PdfReader
from sqlalchemy import update
from starlette.testclient import TestClient

from renderer.store.tables import applications
from tests.integration.conftest import ZHANG, Citizen

ZHAO_MIN = "440104199303032645"      # the provincial system rejects her: 社会保障号检验位不符合检验规则
ZHAO_PHONE = "13866667777"


def _submitted(citizen: Citizen) -> str:
    citizen.sign_in()
    citizen.walk_to_confirm()
    shown = citizen.post("/j/adult/confirm", {"_action": "button:0"})
    assert shown.url.path == "/j/adult/result/submitted"
    return shown.text


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _reference(app: Any) -> str:
    with app.state.store.db.read() as conn:
        return str(conn.execute(applications.select()).first().reference)


def test_submitted_shows_the_number_the_province_gave_and_what_happens_next(citizen: Citizen, app: Any) -> None:
    page = _text(_submitted(citizen))
    reference = _reference(app)
    assert re.fullmatch(r"SB\d{14}", reference)
    assert f"申请编号 {reference}" in page
    assert "接下来" in page and "制卡完成后,请按您选择的领卡方式领取社保卡" in page
    assert '<form method="get" action="/status">' in citizen.last.text      # the 制卡进度查询 button
    assert f'href="/receipts/{reference}"' in citizen.last.text
    assert f'href="/receipts/{reference}.pdf"' in citizen.last.text
    assert '<a class="tel" href="tel:12333">12333</a>' in citizen.last.text


def test_the_status_page_reads_the_applications_state_from_the_store(citizen: Citizen, app: Any) -> None:
    _submitted(citizen)
    reference = _reference(app)
    shown = _text(citizen.get("/status").text)
    assert "制卡进度查询" in shown and reference in shown and "已受理" in shown and "张*" in shown
    assert "张伟" not in shown
    with app.state.store.db.write() as conn:        # the store changes, the page follows
        conn.execute(update(applications).values(status="rejected", reason="证件信息有误"))
    again = _text(citizen.get("/status").text)
    assert "未通过" in again and "原因说明 证件信息有误" in again and "查看回执" not in again


def test_status_without_applications_says_so_and_needs_sign_in(client: TestClient) -> None:
    assert client.get("/status", follow_redirects=False).headers["location"] == "/login"
    citizen = Citizen(client)
    citizen.sign_in()
    assert "您还没有提交过社保卡申领" in citizen.get("/status").text


def test_the_receipt_page_shows_number_date_masked_person_and_pickup(citizen: Citizen, app: Any) -> None:
    _submitted(citizen)
    reference = _reference(app)
    page = citizen.get(f"/receipts/{reference}")
    shown = _text(page.text)
    assert page.status_code == 200
    for expected in (f"申请编号 {reference}", "提交时间 20", "申领人 张*", "证件号码 440106*********235",
                     "领卡方式 网点领卡", "网点名称 站前路支行", "服务银行 工商银行"):
        assert expected in shown, expected
    assert ZHANG not in page.text and "张伟" not in page.text and "13600002819" not in page.text
    assert "打印回执" in shown and 'href="tel:12333"' in page.text


def test_the_receipt_pdf_has_the_same_facts_in_its_text(citizen: Citizen, app: Any) -> None:
    _submitted(citizen)
    reference = _reference(app)
    answer = citizen.client.get(f"/receipts/{reference}.pdf")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert answer.headers["cache-control"] == "private, no-store"
    assert f'filename="receipt-{reference}.pdf"' in answer.headers["content-disposition"]
    text = re.sub(r"\s+", " ", "".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.content)).pages))
    for expected in ("社保卡申领回执", reference, "张*", "440106*********235", "网点领卡", "站前路支行"):
        assert expected in text, (expected, text)
    assert ZHANG not in text and "张伟" not in text
    # WeasyPrint's import switches Pillow to accept truncated images process-wide: uploads must still refuse them
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_another_citizens_receipt_is_not_found(citizen: Citizen, app: Any, client: TestClient) -> None:
    _submitted(citizen)
    reference = _reference(app)
    citizen.sign_in(ZHAO_MIN)                     # someone else on the same browser
    for url in (f"/receipts/{reference}", f"/receipts/{reference}.pdf", "/receipts/SB0"):
        answer = citizen.client.get(url)
        main = answer.text[answer.text.find("<main"):answer.text.find("</main>")]
        assert answer.status_code == 404 and "未找到该申请的回执" in main and reference not in main


def test_a_rejection_resubmitting_cannot_fix_is_explained_with_12333_and_no_resubmit(client: TestClient) -> None:
    citizen = Citizen(client)
    citizen.sign_in(ZHAO_MIN)
    _walk_with_phone(citizen, ZHAO_PHONE)
    failed = citizen.post("/j/adult/confirm", {"_action": "button:0"})
    assert failed.url.path == "/j/adult/result/failed"
    shown = _text(failed.text)
    assert "原因说明:社会保障号检验位不符合检验规则" in shown
    assert "最后一位校验码不正确" in shown and "重新提交不会改变结果" in shown
    assert '<a class="tel" href="tel:12333">12333</a>' in failed.text
    assert "重新提交</button>" not in failed.text and "返回首页</button>" in failed.text
    assert "未通过" in _text(citizen.get("/status").text)


def _walk_with_phone(citizen: Citizen, phone: str) -> None:
    """walk_to_confirm, with this citizen's own phone for the SMS code."""
    post = citizen.post

    def with_phone(url: str, data: dict[str, str], files: Any = None) -> Any:
        return post(url, {**data, "phone": phone} if "phone" in data else data, files)

    citizen.post = with_phone        # type: ignore[method-assign]
    try:
        citizen.walk_to_confirm()
    finally:
        citizen.post = post          # type: ignore[method-assign]


def test_in_traditional_chinese_the_advice_status_and_receipt_are_converted(citizen: Citizen, app: Any) -> None:
    _submitted(citizen)
    reference = _reference(app)
    citizen.client.cookies.set("yss_lang", "zh-Hant")
    result = _text(citizen.get("/j/adult/result/submitted").text)
    assert "申請編號" in result and "接下來" in result and reference in result
    status = _text(citizen.get("/status").text)
    assert "製卡進度查詢" in status and "已受理" in status
    receipt = citizen.get(f"/receipts/{reference}")
    assert 'lang="zh-Hant-HK"' in receipt.text and "社保卡申領回執" in receipt.text and "網點領卡" in receipt.text
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(citizen.client.get(
        f"/receipts/{reference}.pdf").content)).pages)
    assert "申領人" in text and reference in text
