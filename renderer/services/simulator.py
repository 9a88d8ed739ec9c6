"""The simulated 粤省事 channel and provincial system, driven by data/personas.yaml (a copy of the contract's demo people).

It follows shared/spec/simulated-channel.md: codes are 6 digits, live 5 minutes, may be re-sent after 60 s,
and five wrong entries void them; face checks are single-use and expire; the back office can be set to fail.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from renderer.services.base import Identity, SentCode, Services
from renderer.services.sim_province import DEFAULT_TIMEOUT, SimulatedProvincial
from renderer.store.records import Records

CODE_LIFETIME = dt.timedelta(minutes=5)
RESEND_AFTER = dt.timedelta(seconds=60)
MAX_WRONG = 5
MAX_SENDS_PER_DAY = 10
FACE_LIFETIME = dt.timedelta(minutes=5)


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
    def __init__(self, personas: Personas, provincial: Any = None) -> None:
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


def simulated_services(personas_path: Path, secret: bytes, records: Records,
                       failure_rate: float | Mapping[str, float] = 0.0,
                       latency: float | Mapping[str, float] = 0.0, timeout: float = DEFAULT_TIMEOUT) -> Services:
    """The default services: everything simulated from the demo people; their memory is in the store's records."""
    personas = Personas(personas_path, secret)
    provincial = SimulatedProvincial(personas, records, failure_rate, latency, timeout)
    return Services(sign_in=SimulatedSignIn(personas, provincial), face=SimulatedFaceCheck(records),
                    sms=SimulatedSms(records), provincial=provincial)
