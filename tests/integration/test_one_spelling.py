"""One meaning per number, over HTTP: every spelling of a number a citizen types (digits of any script, fullwidth
letters, zero-width characters, mixed) is refused with a field error or kept, keyed and sent in its one ASCII form;
every spelling of one phone number shares one resend wait, one daily cap and one wrong-try counter."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import renderer.services.simulator as simulator
from renderer.uploads.images import make_placeholder_portrait
from tests.integration.conftest import DETAILS, ZHANG, Citizen
from tests.integration.test_application_schema import applications, problems, submit
from tests.spellings import SPELLINGS, junk, spellings
from widgets.phone_code import VERIFY_MESSAGES

OVER_HTTP = settings(SPELLINGS, max_examples=40)     # each example is a few requests
WANG_FANG = "440105198502114020"
CHEN = "810000199203082010"          # 陈志明, a Hong Kong resident: types his 通行证 number on 上传证件
SMITH = "USA110088042512"            # John Smith, 外国人永久居留身份证: letters and digits
CODE_SENT = "模拟短信"
WAIT, DAILY_CAP = "验证码已发送,请", "今日获取验证码次数已达上限"
FIELD_ERROR = re.compile(r'<p class="error" id="([^"]+)-error">([^<]+)</p>')


def field_errors(citizen: Citizen) -> dict[str, str]:
    return dict(FIELD_ERROR.findall(citizen.last.text))


def kept(app: Any, id_number: str, journey: str) -> dict[str, Any]:
    """The draft as stored: its answers (raw) and what the server wrote (facts)."""
    owner = app.state.services.sign_in.personas.by_number[id_number].identity.key
    return app.state.store.load_draft(owner, journey).state


class Clock:
    """The simulator's clock, moved on by hand from 01:00 today (UTC): a 60 s resend wait passes without waiting,
    and the day does not change under the daily cap. Started on 申请信息: the face check before it runs on time."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.now = dt.datetime.now(dt.UTC).replace(hour=1, minute=0, second=0, microsecond=0)

    def start(self) -> Clock:
        self.monkeypatch.setattr(simulator, "_now", self)
        return self

    def __call__(self) -> dt.datetime:
        return self.now

    def wait(self, seconds: float = 61) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def to_details(citizen: Citizen, journey: str = "adult") -> None:
    """Through the adult journey to 申请信息, no phone sent yet."""
    citizen.get(f"/j/{journey}")
    citizen.post(f"/j/{journey}/guide", {"_action": "button:0", "agreed": "1"})
    citizen.post(str(citizen.last.url), {"result": "pass"})
    citizen.post(f"/j/{journey}/eligibility", {"_action": "button:0", "intended_city": "广州市"})
    image = make_placeholder_portrait("id")
    citizen.post(f"/j/{journey}/documents", {"_action": "button:0", "documents.choice": "id_card"},
                 files={"documents.id_card.0": ("a.jpg", image, "image/jpeg"),
                        "documents.id_card.1": ("b.jpg", image, "image/jpeg")})
    citizen.post(f"/j/{journey}/photo", {"_action": "button:0", "photo.consent": "1"})
    assert citizen.last.url.path == f"/j/{journey}/details", (citizen.last.url, citizen.errors())


def send(citizen: Citizen, phone: str) -> str:
    return citizen.post("/j/adult/details", {"_action": "field:phone:send", "phone": phone}).text


# ------------------------------------------------------------------ sign-in

@OVER_HTTP
@given(st.sampled_from([ZHANG, SMITH, WANG_FANG]).flatmap(lambda n: st.tuples(st.just(n), spellings(n, cases=True))))
def test_every_spelling_of_a_demo_number_signs_in_as_that_citizen(citizen: Citizen, case: tuple[str, str]) -> None:
    number, spelled = case
    home = citizen.sign_in(spelled)
    assert home.url.path == "/", (spelled, citizen.errors())
    name = citizen.client.app.state.services.sign_in.personas.by_number[number].identity.name
    assert name[0] in home.text
    citizen.post("/logout", {})


@OVER_HTTP
@given(junk(40))
def test_sign_in_refuses_what_is_no_number_with_a_message_never_a_500(citizen: Citizen, typed: str) -> None:
    answer = citizen.sign_in(typed)
    assert answer.status_code < 500
    assert answer.url.path == "/login" and 'id="id_number-error"' in answer.text, typed


# ------------------------------------------------------------------ each typed field, by its page

@pytest.fixture
def zhang_at_confirm(citizen: Citizen) -> Citizen:
    citizen.sign_in()
    citizen.walk_to_confirm()           # 13600002819 verified in the draft: its spellings need no new code
    return citizen


@OVER_HTTP
@given(st.sampled_from([("phone", "13600002819", " -"), ("id_valid_from", "2020-01-01", ""),
                        ("home_address", "天河路100号1201房", "")])
       .flatmap(lambda f: st.tuples(st.just(f[0]), st.just(f[1]), spellings(f[1], separators=f[2]))))
def test_every_spelling_on_the_details_page_is_kept_in_ascii(zhang_at_confirm: Citizen, case: tuple[str, str, str]) -> None:
    key, canonical, spelled = case
    page = zhang_at_confirm.post("/j/adult/details", {**DETAILS, key: spelled})
    assert page.status_code == 200 and key not in field_errors(zhang_at_confirm), (spelled, field_errors(zhang_at_confirm))
    assert kept(zhang_at_confirm.client.app, ZHANG, "adult")["raw"][key] == canonical


@OVER_HTTP
@given(st.sampled_from(["phone", "phone.code", "id_valid_from", "home_address"]), junk())
def test_anything_typed_on_the_details_page_is_refused_or_kept_without_other_digits(
        zhang_at_confirm: Citizen, key: str, typed: str) -> None:
    page = zhang_at_confirm.post("/j/adult/details", {**DETAILS, key: typed})
    assert page.status_code < 500
    stored = kept(zhang_at_confirm.client.app, ZHANG, "adult")["raw"][key]
    assert stored.isascii() or not any(ch.isdigit() and not ch.isascii() for ch in stored), stored
    assert not re.search("[\u200b-\u200f\u2060\ufeff]", stored)


@pytest.fixture
def wang_at_confirm(citizen: Citizen) -> Citizen:
    citizen.sign_in(WANG_FANG)
    citizen.walk_minor_to_confirm()
    return citizen


MINOR = {"_action": "button:0", "guardian_relationship": "母亲", "applicant_name": "李小明",
         "applicant_id_type": "户口簿", "intended_city": "广州市"}


@OVER_HTTP
@given(spellings("440105201503153317"))
def test_every_spelling_of_a_childs_id_number_is_checked_and_kept_in_ascii(wang_at_confirm: Citizen, spelled: str) -> None:
    wang_at_confirm.post("/j/minor/eligibility", {**MINOR, "applicant_id_number": spelled})
    assert wang_at_confirm.last.url.path != "/j/minor/eligibility", (spelled, field_errors(wang_at_confirm))
    state = kept(wang_at_confirm.client.app, WANG_FANG, "minor")
    assert state["raw"]["applicant_id_number"] == "440105201503153317"


@OVER_HTTP
@given(spellings("GZ2023080100533", cases=True))
def test_every_spelling_of_a_photo_receipt_fetches_that_photo(wang_at_confirm: Citizen, spelled: str) -> None:
    wang_at_confirm.post("/j/minor/photo", {"_action": "field:photo:fetch", "photo.receipt": spelled})
    assert "photo" not in field_errors(wang_at_confirm), (spelled, field_errors(wang_at_confirm))
    state = kept(wang_at_confirm.client.app, WANG_FANG, "minor")
    assert state["raw"]["photo.receipt"] == "GZ2023080100533"
    assert state["facts"]["photo.receipt_photo"]["receipt"] == "GZ2023080100533"


@pytest.fixture
def chen_on_documents(citizen: Citizen) -> Citizen:
    citizen.sign_in(CHEN)
    citizen.through_eligibility()
    image = make_placeholder_portrait("permit")
    citizen.post("/j/adult/documents", {"documents.choice": "hk_permit", "_action": "field:documents:upload"},
                 files={"documents.hk_permit.0": ("a.jpg", image, "image/jpeg"),
                        "documents.hk_permit.1": ("b.jpg", image, "image/jpeg")})
    assert citizen.last.url.path == "/j/adult/documents", citizen.errors()
    return citizen


@OVER_HTTP
@given(spellings("H12345678", cases=True))
def test_every_spelling_of_a_permit_number_is_kept_in_ascii(chen_on_documents: Citizen, spelled: str) -> None:
    chen_on_documents.post("/j/adult/documents", {"_action": "button:0", "documents.choice": "hk_permit",
                                                  "documents.number": spelled})
    assert chen_on_documents.last.url.path == "/j/adult/photo", (spelled, field_errors(chen_on_documents))
    assert kept(chen_on_documents.client.app, CHEN, "adult")["raw"]["documents.number"].upper() == "H12345678"
    chen_on_documents.get("/j/adult/documents")


# ------------------------------------------------------------------ one phone number, one set of records

SPELLED_139 = ["13912345678", "１３９１２３４５６７８", "١٣٩١٢٣٤٥٦٧٨", "१३९१२३४५६७८", "1391234\u200b5678", "+86 139 1234 5678",
               "139-1234-5678", "১৩৯১২৩৪৫৬৭৮", "13９1２3٤5६7৮"]


def test_every_spelling_of_one_phone_number_waits_the_same_60_seconds(citizen: Citizen, clock: Clock) -> None:
    citizen.sign_in()
    to_details(citizen)
    clock.start()
    assert CODE_SENT in send(citizen, SPELLED_139[0])
    for spelled in SPELLED_139[1:]:
        page = send(citizen, spelled)
        assert WAIT in page and CODE_SENT not in page, spelled
    records = citizen.client.app.state.store.records
    assert records.get("sms", "+8613912345678")["sent_today"] == 1      # keyed by E.164, once
    assert all(records.get("sms", spelled) is None for spelled in SPELLED_139)


def test_with_the_ascii_number_at_its_daily_cap_the_fullwidth_one_gets_no_code(citizen: Citizen, clock: Clock) -> None:
    citizen.sign_in()
    to_details(citizen)
    clock.start()
    for _ in range(simulator.MAX_SENDS_PER_DAY):
        assert CODE_SENT in send(citizen, "13912345678")
        clock.wait()
    assert DAILY_CAP in send(citizen, "13912345678")
    for spelled in SPELLED_139[1:]:
        clock.wait()
        page = send(citizen, spelled)
        assert DAILY_CAP in page and CODE_SENT not in page, spelled


def test_every_spelling_of_one_phone_number_counts_the_same_wrong_tries(citizen: Citizen, clock: Clock) -> None:
    citizen.sign_in()
    to_details(citizen)
    clock.start()
    code = re.search(r"验证码为(\d{6})", send(citizen, "13912345678")).group(1)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    tries = SPELLED_139[1:simulator.MAX_WRONG + 1]
    for spelled in tries:
        citizen.post("/j/adult/details", {**DETAILS, "phone": spelled, "phone.code": wrong})
        voided = spelled == tries[-1]
        assert field_errors(citizen)["phone"] == VERIFY_MESSAGES["voided" if voided else "wrong"], spelled
    citizen.post("/j/adult/details", {**DETAILS, "phone": SPELLED_139[-1], "phone.code": code})
    assert field_errors(citizen)["phone"] == VERIFY_MESSAGES["voided"]    # the right code, after the fifth wrong try


# ------------------------------------------------------------------ what is sent to the province

def test_an_application_typed_in_other_scripts_is_sent_in_ascii(citizen: Citizen) -> None:
    citizen.sign_in("٤٤٠١٠٥١٩٨٥٠٢١١٤٠٢٠")
    citizen.get("/j/minor")
    citizen.post("/j/minor/guide", {"_action": "button:0", "agreed": "1"})
    citizen.post(str(citizen.last.url), {"result": "pass"})
    citizen.post("/j/minor/eligibility", {**MINOR, "applicant_id_number": "४४०१०५२०१५०३१५३३१७\u200b"})
    image = make_placeholder_portrait("doc")
    slots = ["guardian_documents.id_card.0", "guardian_documents.id_card.1",
             "applicant_documents.household_register.0", "applicant_documents.household_register.1",
             "applicant_documents.household_register.2"]
    citizen.post("/j/minor/documents", {"_action": "button:0", "guardian_documents.choice": "id_card",
                                        "applicant_documents.choice": "household_register"},
                 files=dict.fromkeys(slots, ("a.jpg", image, "image/jpeg")))
    citizen.post("/j/minor/photo", {"_action": "field:photo:fetch", "photo.receipt": "ｇｚ２０２３０８０１００５３３"})
    citizen.post("/j/minor/photo", {"_action": "button:0", "photo.receipt": "ｇｚ２０２３０８０１００５３３"})
    phone = "+86 １３９ ７７７７ ８８８８"
    code = re.search(r"验证码为(\d{6})", citizen.post("/j/minor/details", {"_action": "field:phone:send",
                                                                         "phone": phone}).text).group(1)
    details = {k: v for k, v in DETAILS.items() if not k.startswith("id_")}
    citizen.post("/j/minor/details", {**details, "phone": phone, "phone.code": code.translate(DEVANAGARI),
                                      "occupation": "其他人员", "home_address": "天河路١٠٠号１２０１房"})
    citizen.post("/j/minor/pickup", {"_action": "button:0", "pickup_method": "网点领卡", "branch": "gz-lw-zhanqianlu"})
    assert citizen.last.url.path == "/j/minor/confirm", (citizen.last.url, citizen.errors())
    submit(citizen, "minor")
    [application] = applications(citizen.client.app, WANG_FANG)
    payload = application.payload
    assert problems(citizen.client, payload) == []
    assert payload["applicant"]["id_number"] == "440105201503153317"
    assert payload["answers"]["applicant_id_number"] == "440105201503153317"
    assert payload["answers"]["phone"] == "13977778888"
    assert payload["answers"]["home_address"] == "天河路100号1201房"
    assert payload["answers"]["photo"]["receipt"] == "GZ2023080100533"
    assert payload["guardian"] == WANG_FANG


DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")
