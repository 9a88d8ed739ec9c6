"""A citizen's browser in the bench: walks the adult journey (303 → GET) and checks each answer on the way."""
from __future__ import annotations

import re
from typing import Any

PERSON_ID = "440106199001011235"        # 张伟 in data/personas.yaml
PERSON_PHONE = "13600002819"
JOURNEY = "adult"

CSRF = re.compile(r'name="_csrf" value="([^"]+)"')
SMS_CODE = re.compile(r"验证码为(\d{6})")


class WalkBroken(Exception):
    """The product did not answer as a citizen's browser expects on the way to the page measured."""


def snippet(html: str) -> str:
    errors = re.findall(r'class="[^"]*(?:error|message|popup)[^"]*"[^>]*>([^<]{1,200})<', html)
    text = "; ".join(e.strip() for e in errors if e.strip())
    return text[:400] or re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))[:400]


def field_errors(html: str) -> list[str]:
    return [e.strip() for e in re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]{1,200})<', html) if e.strip()]


class Walker:
    """An HTTP client session (TestClient or httpx) that walks like a browser and checks each answer."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.csrf = ""

    def get(self, url: str, expect: int = 200) -> Any:
        response = self.client.get(url, follow_redirects=False)
        if response.status_code != expect:
            raise WalkBroken(f"GET {url}: expected {expect}, got {response.status_code} "
                             f"(location={response.headers.get('location')!r}): {snippet(response.text)}")
        found = CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def post(self, url: str, data: dict[str, str], *, files: dict[str, Any] | None = None,
             expect_location: str | None = None, expect_status: int = 303) -> Any:
        response = self.client.post(url, data={**data, "_csrf": self.csrf}, files=files,
                                    follow_redirects=False)
        location = response.headers.get("location")
        if response.status_code != expect_status or (expect_location and location != expect_location):
            wanted = f"{expect_status}" + (f" → {expect_location}" if expect_location else "")
            got = f"{response.status_code}" + (f" → {location}" if location else "")
            raise WalkBroken(f"POST {url} {sorted(data)}: expected {wanted}, got {got}: "
                             f"{snippet(response.text)}")
        found = CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def post_shown(self, url: str, data: dict[str, str], expect_status: int) -> Any:
        """A POST that shows its page again: the page it answers with (`expect_status`), or, when it answers 303 to
        the same page (post/redirect/get), the page that redirect shows."""
        response = self.client.post(url, data={**data, "_csrf": self.csrf}, follow_redirects=False)
        location = response.headers.get("location") or ""
        if response.status_code == 303 and location.split("?")[0] == url:
            return self.get(location)
        if response.status_code != expect_status:
            raise WalkBroken(f"POST {url} {sorted(data)}: expected {expect_status} or 303 → {url}, got "
                             f"{response.status_code}" + (f" → {location}" if location else "")
                             + f": {snippet(response.text)}")
        found = CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response


def sign_in(w: Walker, person_id: str = PERSON_ID) -> None:
    w.get("/login")
    w.post("/login", {"id_number": person_id}, expect_location="/")
    w.get("/")


def walk_to_documents(w: Walker, person_id: str = PERSON_ID) -> None:
    """Sign in, pass guide, face check and eligibility; stop on the 上传材料 page, fetched."""
    j = f"/j/{JOURNEY}"
    sign_in(w, person_id)
    w.get(j, expect=303)
    w.get(f"{j}/guide")
    w.post(f"{j}/guide", {"agreed": "1", "_action": "button:0"}, expect_location=f"{j}/guide/verify")
    w.get(f"{j}/guide/verify")
    w.post(f"{j}/guide/verify", {"result": "pass"}, expect_location=f"{j}/eligibility")
    w.get(f"{j}/eligibility")
    w.post(f"{j}/eligibility", {"intended_city": "广州市", "_action": "button:0"},
           expect_location=f"{j}/documents")
    w.get(f"{j}/documents")


def details_form(code: str = "", phone: str = PERSON_PHONE) -> dict[str, str]:
    """Every field of 申请信息 except 民族 (ethnicity), so pressing 下一步 re-renders the page with one error."""
    from datetime import date
    today = date.today()
    return {
        "id_longterm": "否",
        "id_valid_from": date(today.year - 3, 6, 1).isoformat(),
        "id_valid_to": date(today.year + 7, 6, 1).isoformat(),
        "phone": phone,
        "phone.code": code,
        "occupation": "专业技术人员",
        "home_region.province": "广东省",
        "home_region.city": "广州市",
        "home_region.district": "天河区",
        "home_address": "天河路385号太古汇一座18楼1801室",
        "bank": "工商银行",
        "insurance_type": "城镇职工",
        "_action": "button:0",
    }


def walk_to_details(w: Walker, person_id: str = PERSON_ID, phone: str = PERSON_PHONE) -> dict[str, str]:
    """Sign in (张伟 by default), pass guide, face check, eligibility, documents and photo; return the failing form."""
    from renderer.uploads.images import make_placeholder_portrait

    j = f"/j/{JOURNEY}"
    walk_to_documents(w, person_id)
    card = (856, 540)
    files = {
        "documents.id_card.0": ("id-back.jpg", make_placeholder_portrait("bench-back", card), "image/jpeg"),
        "documents.id_card.1": ("id-front.jpg", make_placeholder_portrait("bench-front", card), "image/jpeg"),
    }
    w.post(f"{j}/documents", {"documents.choice": "id_card", "_action": "button:0"}, files=files,
           expect_location=f"{j}/photo")
    w.get(f"{j}/photo")                              # fetches the system photo (prepare) as a browser would
    w.post(f"{j}/photo", {"photo.consent": "1", "_action": "button:0"}, expect_location=f"{j}/details")
    w.get(f"{j}/details")

    # The phone is not prefilled: send a (simulated) SMS code once and let the first failing POST verify it,
    # so the measured POSTs fail on 民族 alone rather than on the phone check.
    sent = w.post_shown(f"{j}/details", {**details_form(phone=phone), "_action": "field:phone:send"}, 200)
    found = SMS_CODE.search(sent.text)
    if not found:
        raise WalkBroken(f"POST {j}/details field:phone:send: no simulated SMS code on the page: "
                         f"{snippet(sent.text)}")
    form = details_form(found.group(1), phone)
    first = w.post_shown(f"{j}/details", form, 422)
    errors = field_errors(first.text)
    if "请选择民族" not in first.text:
        raise WalkBroken(f"POST {j}/details without 民族: the page did not ask for 民族: "
                         f"{errors or snippet(first.text)}")
    return form
