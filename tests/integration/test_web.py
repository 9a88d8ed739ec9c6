"""The web layer end to end in process: security baseline, drafts, uploads, submission written once."""
from __future__ import annotations

import logging
import re
from typing import Any

from starlette.testclient import TestClient

from renderer.uploads.images import make_placeholder_portrait
from renderer.web.app import create_app
from tests.integration.conftest import DETAILS, ZHANG, Citizen, settings_for


def test_adult_journey_submits_once_even_when_replayed(citizen: Citizen, app: Any) -> None:
    citizen.sign_in()
    citizen.walk_to_confirm()
    first = citizen.post("/j/adult/confirm", {"_action": "button:0"})
    assert first.url.path == "/j/adult/result/submitted"
    assert "您已成功提交申请" in first.text
    # A double click or a replay carries the same token: still one application.
    citizen.post("/j/adult/confirm", {"_action": "button:0"})
    identity = app.state.services.sign_in.sign_in(ZHANG)
    assert app.state.store.count_applications(identity.key) == 1


def test_rejected_submission_keeps_everything_for_resubmission(citizen: Citizen) -> None:
    citizen.sign_in("440104199303032645")
    citizen.walk_to_confirm()
    failed = citizen.post("/j/adult/confirm", {"_action": "button:0"})
    assert failed.url.path == "/j/adult/result/failed"
    assert "原因说明:社会保障号检验位不符合检验规则" in failed.text
    again = citizen.get("/j/adult/confirm")
    assert again.url.path == "/j/adult/confirm"
    assert "工商银行" in again.text and "站前路支行" in again.text


def test_post_without_csrf_token_is_refused_and_changes_nothing(citizen: Citizen) -> None:
    citizen.sign_in()
    citizen.get("/j/adult")
    citizen.csrf = "forged"
    refused = citizen.post("/j/adult/guide", {"_action": "button:0", "agreed": "1"})
    assert refused.status_code == 403
    assert "页面已过期" in refused.text


def test_session_cookie_and_security_headers(client: TestClient) -> None:
    page = client.get("/login")
    token = re.search(r'name="_csrf" value="([^"]+)"', page.text).group(1)
    response = client.post("/login", data={"_csrf": token, "id_number": ZHANG}, follow_redirects=False)
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert ZHANG not in response.headers["set-cookie"]      # the cookie holds an opaque key only
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_unknown_number_gets_an_error_on_the_login_page(citizen: Citizen) -> None:
    response = citizen.sign_in("440106199001011234")
    assert response.status_code == 401
    assert "未找到该证件号码" in response.text
    assert 'value="440106199001011234"' in response.text


def test_uploads_are_served_only_to_their_owner(citizen: Citizen, app: Any) -> None:
    citizen.sign_in()
    citizen.walk_to_confirm()
    url = re.search(r'src="(/uploads/[^"]+)"', citizen.last.text).group(1)
    assert citizen.client.get(url).headers["content-type"] == "image/jpeg"
    with TestClient(app) as other_client:
        other = Citizen(other_client)
        other.sign_in("440103198805124565")
        assert other.client.get(url).status_code == 404
        assert TestClient(app).get(url).status_code == 404


def test_a_bad_upload_gets_a_chinese_message_next_to_the_field(citizen: Citizen) -> None:
    citizen.sign_in()
    citizen.get("/j/adult")
    citizen.post("/j/adult/guide", {"_action": "button:0", "agreed": "1"})
    citizen.post(str(citizen.last.url), {"result": "pass"})
    citizen.post("/j/adult/eligibility", {"_action": "button:0", "intended_city": "广州市"})
    response = citizen.post("/j/adult/documents", {"_action": "button:0", "documents.choice": "id_card"},
                            files={"documents.id_card.0": ("a.jpg", b"not an image at all", "image/jpeg"),
                                   "documents.id_card.1": ("b.gif", b"GIF89a" + b"\0" * 20, "image/gif")})
    assert [r.status_code for r in response.history] == [303] and response.url.path == "/j/adult/documents"
    assert "身份证国徽面:请上传JPG或PNG格式的图片" in response.text


def test_draft_survives_a_restart_and_resumes_after_signing_in_again(citizen: Citizen, database: Any) -> None:
    citizen.sign_in()
    citizen.walk_to_confirm()
    with TestClient(create_app(settings_for(database))) as restarted:
        again = Citizen(restarted)
        again.sign_in()
        assert again.get("/j/adult").url.path == "/j/adult/guide"       # the front door: the guide again
        again.post("/j/adult/guide", {"_action": "button:0", "agreed": "1"})
        resumed = again.post(str(again.last.url), {"result": "pass"})
        assert resumed.url.path == "/j/adult/confirm"                  # then straight on where the draft stopped
        assert "天河路100号1201房" in resumed.text


def test_nothing_typed_is_lost_on_an_error(citizen: Citizen) -> None:
    citizen.sign_in()
    citizen.walk_to_confirm()
    response = citizen.post("/j/adult/details?edit=1", {**DETAILS, "ethnicity": "", "home_address": "新地址路2号"})
    assert [r.status_code for r in response.history] == [303] and response.url.query.startswith(b"edit=1&flash=")
    assert "请选择民族" in citizen.errors()
    assert 'value="新地址路2号"' in response.text
    assert 'href="#ethnicity"' in response.text     # the summary links to the field


def test_garbage_input_never_gives_a_500(citizen: Citizen) -> None:
    citizen.sign_in()
    citizen.walk_to_confirm()
    junk = {"\u0000": "x", "ethnicity": "<script>alert(1)</script>", "id_valid_from": "2020-02-30",
            "id_valid_to": "9999999-01-01", "phone": "1" * 5000, "phone.code": "abcdef", "bank": "不存在的银行",
            "_action": "field:nope:nope"}
    for page in ("guide", "eligibility", "documents", "photo", "details", "pickup", "confirm"):
        for action in ("button:0", "button:99", "field:branch:pick:../../etc", "junk", junk["_action"]):
            response = citizen.post(f"/j/adult/{page}", {**junk, "_action": action})
            assert response.status_code < 500, (page, action)
            assert "<script>alert(1)</script>" not in response.text
    bad = citizen.client.post("/j/adult/details", content=b"--x\r\nbroken", headers={
        "content-type": "multipart/form-data; boundary=x"})
    assert bad.status_code in (400, 403)


def test_personal_data_is_never_logged(citizen: Citizen, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    citizen.sign_in()
    citizen.walk_to_confirm()
    citizen.post("/j/adult/confirm", {"_action": "button:0"})
    text = caplog.text
    for secret in (ZHANG, "13600002819", "张伟", "天河路100号"):
        assert secret not in text


def test_hong_kong_resident_chooses_a_document_and_may_only_collect_at_a_branch(citizen: Citizen) -> None:
    citizen.sign_in("810000199203082010")      # 陈志明, 港澳居民居住证
    citizen.get("/j/adult")
    citizen.post("/j/adult/guide", {"_action": "button:0", "agreed": "1"})
    citizen.post(str(citizen.last.url), {"result": "pass"})
    citizen.post("/j/adult/eligibility", {"_action": "button:0", "intended_city": "深圳市"})
    page = citizen.get("/j/adult/documents").text       # in Traditional Chinese, his resident type's language
    assert "香港居民來往內地通行證" in page and "香港居民居住證" in page
    assert "身份證國徽面" not in page
    citizen.post("/j/adult/documents", {"_action": "button:0", "documents.choice": "hk_residence"})
    assert "請按要求上傳證件照片" in citizen.errors()
    assert 'name="documents.hk_residence.0"' in citizen.last.text
    details = citizen.client.get("/j/adult/details")
    assert details.url.path == "/j/adult/documents"    # cannot skip ahead
    image = make_placeholder_portrait("hk")
    citizen.post("/j/adult/documents", {"_action": "button:0", "documents.choice": "hk_residence"},
                 files={"documents.hk_residence.0": ("a.jpg", image, "image/jpeg"),
                        "documents.hk_residence.1": ("b.jpg", image, "image/jpeg")})
    assert citizen.last.url.path == "/j/adult/photo"
    citizen.post("/j/adult/photo", {"_action": "button:0", "photo.consent": "1"})
    assert "證件有效期是否為長期" not in citizen.last.text      # no 长期 option for HK residents
    citizen.post("/j/adult/details", {"_action": "field:phone:send", "phone": "13822223333"})
    code = re.search(r"驗證碼為(\d{6})", citizen.last.text).group(1)
    citizen.post("/j/adult/details", {**DETAILS, "phone": "13822223333", "phone.code": code, "bank": "中国银行"})
    assert citizen.last.url.path == "/j/adult/pickup", citizen.errors()
    assert 'value="网点领卡"' in citizen.last.text and "網點領卡<" in citizen.last.text    # shown; the value as stored
    assert 'value="邮寄到付"' not in citizen.last.text
    citizen.post("/j/adult/pickup", {"_action": "button:0", "pickup_method": "邮寄到付"})
    assert "請從列表中選擇領卡方式" in citizen.errors()


def test_guardian_application_carries_both_guardian_and_child(citizen: Citizen, app: Any) -> None:
    citizen.sign_in("440105198502114020")          # 王芳
    citizen.get("/j/minor")
    citizen.post("/j/minor/guide", {"_action": "button:0", "agreed": "1"})
    citizen.post(str(citizen.last.url), {"result": "pass"})
    citizen.post("/j/minor/eligibility", {"_action": "button:0", "guardian_relationship": "母亲", "applicant_name": "李小明",
                                          "applicant_id_type": "户口簿", "applicant_id_number": "440105201503153317",
                                          "intended_city": "广州市"})
    assert citizen.last.url.path == "/j/minor/documents", citizen.errors()
    image = make_placeholder_portrait("doc")
    slots = ["guardian_documents.id_card.0", "guardian_documents.id_card.1", "applicant_documents.household_register.0",
             "applicant_documents.household_register.1", "applicant_documents.household_register.2"]
    citizen.post("/j/minor/documents", {"_action": "button:0", "guardian_documents.choice": "id_card",
                                        "applicant_documents.choice": "household_register"},
                 files=dict.fromkeys(slots, ("a.jpg", image, "image/jpeg")))
    citizen.post("/j/minor/photo", {"_action": "field:photo:fetch", "photo.receipt": "GZ2023080100533"})
    citizen.post("/j/minor/photo", {"_action": "button:0", "photo.receipt": "GZ2023080100533"})
    assert citizen.last.url.path == "/j/minor/details", citizen.errors()
    assert "2015-04-02" in citizen.last.text and "2031-03-15" in citizen.last.text
    citizen.post("/j/minor/details", {"_action": "field:phone:send", "phone": "13977778888"})
    code = re.search(r"验证码为(\d{6})", citizen.last.text).group(1)
    details = {k: v for k, v in DETAILS.items() if not k.startswith("id_")}
    citizen.post("/j/minor/details", {**details, "phone": "13977778888", "phone.code": code, "occupation": "其他人员"})
    citizen.post("/j/minor/pickup", {"_action": "button:0", "pickup_method": "网点领卡", "branch": "gz-lw-zhanqianlu"})
    confirm = citizen.last
    assert confirm.url.path == "/j/minor/confirm", citizen.errors()
    for text in ("监护人信息", "申领人信息", "王*", "李*明", "母亲", "20150402", "20310315"):
        assert text in re.sub(r"<[^>]+>", "", confirm.text).replace("-", ""), text
    done = citizen.post("/j/minor/confirm", {"_action": "button:0"})
    assert done.url.path == "/j/minor/result/submitted"
    guardian = app.state.services.sign_in.sign_in("440105198502114020")
    payload = app.state.store.applications_of(guardian.key)[0].payload
    assert payload["applicant"]["id_number"] == "440105201503153317"
    assert payload["guardian"] == "440105198502114020"
    back = citizen.post("/j/minor/restart", {})
    assert back.url.path == "/j/minor/guide"
