"""The simulated channel behaves like the real one: codes expire, resends wait, wrong tries void codes."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from renderer.services.sim_province import SimulatedProvincial
from renderer.services.simulator import Personas, SimulatedFaceCheck, SimulatedSignIn, SimulatedSms
from renderer.store import open_store
from renderer.store.records import Records

PERSONAS = Path(__file__).resolve().parents[3] / "data" / "personas.yaml"
T0 = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


def memory() -> Records:
    """The simulator keeps its memory in the store's records: here an in-memory store of its own."""
    return open_store(":memory:").records


def code_of(text: str) -> str:
    return text.split("验证码为")[1][:6]


def test_code_is_six_digits_and_shown_as_a_simulated_sms() -> None:
    sent = SimulatedSms(memory()).send_code("13600002819", now=T0)
    assert sent.ok and "模拟短信" in sent.demo_text
    assert len(code_of(sent.demo_text)) == 6 and code_of(sent.demo_text).isdigit()


def test_resend_only_after_sixty_seconds() -> None:
    sms = SimulatedSms(memory())
    sms.send_code("13600002819", now=T0)
    refused = sms.send_code("13600002819", now=T0 + dt.timedelta(seconds=30))
    assert not refused.ok and "31秒" in refused.error
    assert sms.send_code("13600002819", now=T0 + dt.timedelta(seconds=60)).ok


def test_code_expires_after_five_minutes() -> None:
    sms = SimulatedSms(memory())
    code = code_of(sms.send_code("13600002819", now=T0).demo_text)
    assert sms.verify("13600002819", code, now=T0 + dt.timedelta(minutes=5, seconds=1)) == "expired"


def test_five_wrong_tries_void_the_code() -> None:
    sms = SimulatedSms(memory())
    code = code_of(sms.send_code("13600002819", now=T0).demo_text)
    wrong = "000000" if code != "000000" else "111111"
    assert [sms.verify("13600002819", wrong, now=T0) for _ in range(5)] == ["wrong"] * 4 + ["voided"]
    assert sms.verify("13600002819", code, now=T0) == "voided"


def test_a_code_is_good_once_and_only_for_its_number() -> None:
    sms = SimulatedSms(memory())
    code = code_of(sms.send_code("13600002819", now=T0).demo_text)
    assert sms.verify("13711112222", code, now=T0) == "none"
    assert sms.verify("13600002819", code, now=T0) == "ok"
    assert sms.verify("13600002819", code, now=T0) in ("none", "voided")


def test_daily_send_limit() -> None:
    sms = SimulatedSms(memory())
    results = [sms.send_code("13600002819", now=T0 + dt.timedelta(minutes=2 * i)).ok for i in range(11)]
    assert results == [True] * 10 + [False]


@pytest.fixture(scope="module")
def personas() -> Personas:
    return Personas(PERSONAS, b"test-secret")


def test_personas_outcomes(personas: Personas) -> None:
    provincial = SimulatedProvincial(personas, memory())
    sign_in = SimulatedSignIn(personas)
    assert provincial.precheck(sign_in.sign_in("440106199001011235")).ok
    assert provincial.precheck(sign_in.sign_in("440106199107071535")).code == "has_application"
    assert provincial.precheck(sign_in.sign_in("usa110088042512")).code == "not_online"
    assert provincial.eligibility(sign_in.sign_in("440304198709234462"), city="广州市").code == "cards_elsewhere"
    rejected = provincial.submit(sign_in.sign_in("440104199303032645"), {}, idempotency_key="k-rejected")
    assert (rejected.code, rejected.reason) == ("rejected", "社会保障号检验位不符合检验规则")
    assert sign_in.sign_in("440106199001011234") is None


def test_photo_receipts_belong_to_their_owner(personas: Personas) -> None:
    provincial = SimulatedProvincial(personas, memory())
    liang = SimulatedSignIn(personas).sign_in("440103198805124565")
    assert provincial.photo_by_receipt(liang.id_number, "GZ2023072600018")
    assert provincial.photo_by_receipt(liang.id_number, "GZ2023080100533") is None
    assert provincial.photo_by_receipt("440105201503153317", "gz2023080100533")      # 李小明's, any case
    assert provincial.system_photo(liang.id_number) is None


def test_failure_rate_makes_calls_fail(personas: Personas) -> None:
    provincial = SimulatedProvincial(personas, memory(), failure_rate=1.0)
    zhang = SimulatedSignIn(personas).sign_in("440106199001011235")
    assert provincial.eligibility(zhang, city="广州市").code == "unavailable"


def test_face_challenge_is_single_use_and_owned(personas: Personas) -> None:
    sign_in, face = SimulatedSignIn(personas), SimulatedFaceCheck(memory())
    zhang, liu = sign_in.sign_in("440106199001011235"), sign_in.sign_in("440106199107071535")
    challenge = face.begin(zhang, "adult.guide")
    assert not face.complete(challenge, liu, {"result": "pass"})
    challenge = face.begin(zhang, "adult.guide")
    assert face.complete(challenge, zhang, {"result": "pass"})
    assert not face.complete(challenge, zhang, {"result": "pass"})
    assert not face.complete(face.begin(zhang, "x"), zhang, {"result": "fail"})
