"""The simulated 粤省事 channel and provincial system, driven by data/personas.yaml (a copy of the contract's demo people).

It follows shared/spec/simulated-channel.md: codes are 6 digits, live 5 minutes, may be re-sent after 60 s,
and five wrong entries void them; face checks are single-use and expire; the back office can be set to fail.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import random
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from renderer.services.base import OK, Identity, Outcome, SentCode, Services
from renderer.services.registry import outcome
from renderer.store.records import Records
from renderer.uploads.images import make_placeholder_portrait

CODE_LIFETIME = dt.timedelta(minutes=5)
RESEND_AFTER = dt.timedelta(seconds=60)
MAX_WRONG = 5
MAX_SENDS_PER_DAY = 10
FACE_LIFETIME = dt.timedelta(minutes=5)
SIM_MEMORY = dt.timedelta(days=30)      # how long the simulated back office remembers a cleanup or a submission


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Persona:
    identity: Identity
    outcome: str
    system_photo: bool
    reject_reason: str | None
    raw: Mapping[str, Any]


class Personas:
    """The demo people, indexed by ID number and by opaque key."""

    def __init__(self, path: Path, secret: bytes) -> None:
        data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
        self.receipts = {str(r["receipt"]): str(r["owner"]) for r in data.get("photo_receipts") or []}
        self.by_number: dict[str, Persona] = {}
        for person in data.get("persons") or []:
            self._add(person, secret)
            for child in person.get("children") or []:
                self._add({**child, "resident_type": person["resident_type"]}, secret)   # a child lives as its guardian
        self.by_key = {p.identity.key: p for p in self.by_number.values()}

    def _add(self, person: Mapping[str, Any], secret: bytes) -> None:
        number = str(person["id_number"]).upper()
        key = hmac.new(secret, number.encode(), hashlib.sha256).hexdigest()[:24]
        identity = Identity(key=key, name=str(person["name"]), id_number=number, id_type=str(person["id_type"]),
                            resident_type=str(person["resident_type"]),
                            phone=str(person["phone"]) if person.get("phone") else None)
        self.by_number[number] = Persona(identity, str(person.get("outcome", "eligible")),
                                         bool(person.get("system_photo")), person.get("reject_reason"), person)


class SimulatedSignIn:
    def __init__(self, personas: Personas, provincial: SimulatedProvincial | None = None) -> None:
        self.personas = personas
        self.provincial = provincial

    def sign_in(self, id_number: str) -> Identity | None:
        persona = self.personas.by_number.get(id_number.strip().upper())
        if persona and self.provincial:     # each demo sign-in starts from personas.yaml again
            self.provincial.forget(persona.identity.id_number)
        return persona.identity if persona else None

    def identity(self, key: str) -> Identity | None:
        persona = self.personas.by_key.get(key)
        return persona.identity if persona else None


class SimulatedFaceCheck:
    """The citizen presses 模拟核验通过 or 模拟核验不通过; evidence {'result': 'pass'} is a pass.

    Challenges are records in the store, so whichever worker shows the result page can complete them.
    """

    def __init__(self, records: Records) -> None:
        self.records = records

    def begin(self, identity: Identity, purpose: str) -> str:
        challenge = secrets.token_urlsafe(16)
        self.records.put("face", challenge, {"owner": identity.key, "purpose": purpose}, _now() + FACE_LIFETIME)
        return challenge

    def complete(self, challenge: str, identity: Identity, evidence: Mapping[str, str]) -> bool:
        found = self.records.take("face", challenge)       # single use, and gone once expired
        return found is not None and found.get("owner") == identity.key and evidence.get("result") == "pass"


def _code_hash(phone: str, code: str) -> str:
    """Codes are kept hashed: a copy of the store does not give away a code that is still valid."""
    return hashlib.sha256(f"{phone}:{code}".encode()).hexdigest()


class SimulatedSms:
    """Sends nothing: the code is handed back as the text a phone would show, for the page to display.

    Each phone's state (code, expiry, resend time, wrong tries, sends today) is one record in the store.
    """

    def __init__(self, records: Records) -> None:
        self.records = records

    def send_code(self, phone: str, now: dt.datetime | None = None) -> SentCode:
        now = now or _now()

        def send(state: dict[str, Any] | None) -> tuple[dict[str, Any], dt.datetime, SentCode]:
            state = state or {}
            keep = now + dt.timedelta(days=1)
            resend_at = dt.datetime.fromisoformat(state["resend_at"]) if state.get("resend_at") else now
            if now < resend_at:
                wait = int((resend_at - now).total_seconds()) + 1
                return state, keep, SentCode(False, resend_at, error=f"验证码已发送,请{wait}秒后再重新获取")
            if state.get("day") != now.date().isoformat():
                state.update(day=now.date().isoformat(), sent_today=0)
            if state["sent_today"] >= MAX_SENDS_PER_DAY:
                return state, keep, SentCode(False, now + dt.timedelta(days=1), error="今日获取验证码次数已达上限,请明天再试")
            code = f"{secrets.randbelow(1_000_000):06d}"
            expires_at, resend_at = now + CODE_LIFETIME, now + RESEND_AFTER
            state.update(code=_code_hash(phone, code), expires_at=expires_at.isoformat(),
                         resend_at=resend_at.isoformat(), wrong=0, sent_today=state["sent_today"] + 1)
            text = f"【粤省事】模拟短信:您的验证码为{code},5分钟内有效,请勿泄露。"
            return state, keep, SentCode(True, resend_at, expires_at, demo_text=text)

        return self.records.change("sms", phone, send, now)

    def verify(self, phone: str, code: str, now: dt.datetime | None = None) -> str:
        now = now or _now()

        def check(state: dict[str, Any] | None) -> tuple[dict[str, Any] | None, dt.datetime, str]:
            keep = now + dt.timedelta(days=1)
            if state is None or not state.get("code"):
                return state, keep, "voided" if state is not None and state.get("wrong", 0) >= MAX_WRONG else "none"
            if now >= dt.datetime.fromisoformat(state["expires_at"]):
                return state, keep, "expired"
            if not secrets.compare_digest(state["code"], _code_hash(phone, code.strip())):
                state["wrong"] = state.get("wrong", 0) + 1
                if state["wrong"] >= MAX_WRONG:
                    state["code"] = ""
                    return state, keep, "voided"
                return state, keep, "wrong"
            state["code"] = ""      # a code is good for one successful check
            return state, keep, "ok"

        return self.records.change("sms", phone, check, now)


class SimulatedProvincial:
    """Answers as personas.yaml says; a failure rate makes a share of calls fail as a busy system would.

    `failure_rate` is a float for every call, or a mapping from a call (precheck, eligibility, submit,
    submit_cleanup) to its own rate, so that one step can be made to fail on purpose.
    """

    def __init__(self, personas: Personas, records: Records, failure_rate: float | Mapping[str, float] = 0.0,
                 latency: float | Mapping[str, float] = 0.0) -> None:
        self.personas = personas
        self.records = records            # what the provincial system remembers: cleanups, submissions by key
        self.failure_rate, self.latency = failure_rate, latency
        self._random = random.Random()

    def forget(self, id_number: str) -> None:
        """Undo what the demo did for this person (a cleanup), so every walk through starts the same."""
        self.records.remove("sim.cleaned", _person_key(id_number))

    def _cleaned(self, id_number: str) -> bool:
        return self.records.get("sim.cleaned", _person_key(id_number)) is not None

    def _persona(self, identity: Identity) -> Persona | None:
        return self.personas.by_number.get(identity.id_number)

    def _busy(self, call: str) -> bool:
        """Each call takes its latency, then fails at its rate, as a busy back office would."""
        delay = _per_call(self.latency, call)
        if delay > 0:
            time.sleep(delay)
        rate = _per_call(self.failure_rate, call)
        return rate > 0 and self._random.random() < rate

    def precheck(self, identity: Identity) -> Outcome:
        persona = self._persona(identity)
        if self._busy("precheck"):
            return outcome("precheck", "unavailable")
        if persona is None:
            return outcome("precheck", "ineligible", "未查询到您的参保信息")
        if persona.outcome == "not_online":
            return outcome("precheck", "not_online")       # the popup says why, from the resident type
        if persona.outcome == "has_application":
            return outcome("precheck", "has_application",
                           "您已存在社保卡申领记录,请勿重复申请,可通过【制卡进度查询】查看办理进度")
        return OK

    def eligibility(self, identity: Identity, city: str | None = None, applicant: str | None = None,
                    applicant_name: str | None = None, relationship: str | None = None) -> Outcome:
        persona = self._persona(identity)
        if self._busy("eligibility"):
            return outcome("eligibility_check", "unavailable")
        if persona is None:
            return outcome("eligibility_check", "ineligible", "未查询到您的参保信息")
        if applicant:
            return self._minor(persona, applicant, applicant_name, relationship)
        if persona.outcome == "cards_elsewhere" and not self._cleaned(identity.id_number):
            cities = "、".join(str(c["issuing_city"]) for c in persona.raw.get("cards") or [])
            return outcome("eligibility_check", "cards_elsewhere", f"您名下已有{cities}发行的社保卡")
        return OK

    def _minor(self, guardian: Persona, number: str, name: str | None, relationship: str | None) -> Outcome:
        """A guardian applies for a child: the child must be on record as theirs, with that name and relation."""
        child = next((c for c in guardian.raw.get("children") or [] if str(c["id_number"]) == number.upper()), None)
        if child is None or (name and name.strip() != child["name"]):
            return outcome("eligibility_check", "unknown_applicant",
                           "未查询到该申领人的户籍信息,或申领人与监护人关系未登记,请核对姓名和证件号码")
        if relationship and relationship != child.get("relationship"):
            return outcome("eligibility_check", "relationship_mismatch",
                           f"登记的监护关系与所选“{relationship}”不一致,请核对")
        record = {"name": child["name"], "birth_date": child.get("birth_date"),
                  "household_registration_date": child.get("household_registration_date"),
                  "id_type": child.get("id_type")}
        return outcome("eligibility_check", "ok", data={k: v for k, v in record.items() if v is not None})

    def photo_by_receipt(self, owner_id_number: str, receipt: str) -> bytes | None:
        owner = self.personas.receipts.get(receipt.strip().upper())
        return make_placeholder_portrait(receipt) if owner and owner == str(owner_id_number).upper() else None

    def system_photo(self, owner_id_number: str) -> bytes | None:
        persona = self.personas.by_number.get(str(owner_id_number).upper())
        return make_placeholder_portrait(persona.identity.key) if persona and persona.system_photo else None

    def cards_to_clean(self, identity: Identity) -> list[dict[str, Any]]:
        persona = self._persona(identity)
        if persona is None or self._cleaned(identity.id_number):
            return []
        return [{"name": identity.name, "id_number": identity.id_number, "ssn": identity.id_number,
                 "card_number": str(c["card_number"]), "issuing_city": str(c["issuing_city"]), "bank": str(c["bank"]),
                 "status": str(c["status"]), "progress": str(c.get("progress", "")), "eligible": "可申请办理"}
                for c in persona.raw.get("cards") or []]

    def submit_cleanup(self, identity: Identity, cards: list[dict[str, Any]]) -> Outcome:
        if self._busy("submit_cleanup"):
            return outcome("submit_cleanup", "unavailable")
        expected = {c["card_number"] for c in self.cards_to_clean(identity)}
        if not expected or {str(c.get("card_number")) for c in cards} != expected:
            return outcome("submit_cleanup", "rejected", "待清理的社保卡信息已变化,请重新办理")
        self.records.put("sim.cleaned", _person_key(identity.id_number), {"at": _now().isoformat()},
                         _now() + SIM_MEMORY)
        return outcome("submit_cleanup", "ok",
                       data={"application_id": f"QL{_now():%Y%m%d}{secrets.randbelow(10**6):06d}"})

    def submit(self, identity: Identity, application: Mapping[str, Any], idempotency_key: str) -> Outcome:
        """A repeat of the same key gets the first answer: a retry after a lost reply makes no second application."""
        if self._busy("submit"):
            return outcome("submit_application", "unavailable")
        applicant = (application.get("applicant") or {}).get("id_number")
        persona = self.personas.by_number.get(str(applicant).upper()) if applicant else self._persona(identity)

        def decide(seen: dict[str, Any] | None) -> tuple[dict[str, Any], dt.datetime, dict[str, Any]]:
            if seen is None:
                if persona is not None and persona.outcome == "submit_rejected":
                    seen = {"code": "rejected", "reason": persona.reject_reason or "申请信息校验不通过"}
                else:
                    seen = {"code": "ok", "application_id": f"SB{_now():%Y%m%d}{secrets.randbelow(10**6):06d}"}
            return seen, _now() + SIM_MEMORY, seen

        answer = self.records.change("sim.submission", idempotency_key, decide)
        if answer["code"] == "ok":
            return outcome("submit_application", "ok", data={"application_id": answer["application_id"]})
        return outcome("submit_application", answer["code"], answer.get("reason"))


def _person_key(id_number: str) -> str:
    """Records are keyed by a digest, not by the ID number itself."""
    return hashlib.sha256(id_number.upper().encode()).hexdigest()[:32]


def _per_call(setting: float | Mapping[str, float], call: str) -> float:
    return float(setting) if isinstance(setting, (int, float)) else float(setting.get(call, 0.0))


def simulated_services(personas_path: Path, secret: bytes, records: Records,
                       failure_rate: float | Mapping[str, float] = 0.0,
                       latency: float | Mapping[str, float] = 0.0) -> Services:
    """The default services: everything simulated from the demo people; their memory is in the store's records."""
    personas = Personas(personas_path, secret)
    provincial = SimulatedProvincial(personas, records, failure_rate, latency)
    return Services(sign_in=SimulatedSignIn(personas, provincial), face=SimulatedFaceCheck(records),
                    sms=SimulatedSms(records), provincial=provincial)
