"""The simulated provincial social-security system: answers as personas.yaml says, remembers in the store's records
what it accepted (so one person holds one card, whichever journey applied), and can be made slow or busy."""
from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from renderer.definition.functions import age, birth_date_of
from renderer.services.base import OK, Identity, Outcome
from renderer.services.registry import outcome
from renderer.store.records import Records
from renderer.uploads.images import make_placeholder_portrait

if TYPE_CHECKING:
    from renderer.services.simulator import Persona, Personas

SIM_MEMORY = dt.timedelta(days=30)      # how long the simulated back office remembers a cleanup or a submission
DEFAULT_TIMEOUT = 10.0                  # s: a call's deadline; the province drops a request it cannot answer in time
ADULT_AGE = 16                          # younger applicants apply through a guardian (代未成年子女办理)
HAS_APPLICATION = "您已存在社保卡申领记录,请勿重复申请,可通过【制卡进度查询】查看办理进度"
NOT_INSURED = "未查询到您的参保信息"
UNDER_AGE = "申领人未满16周岁,请由法定监护人通过【代未成年子女办理】为其申领社保卡"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def person_key(id_number: str) -> str:
    """Records are keyed by a digest, not by the ID number itself."""
    return hashlib.sha256(id_number.upper().encode()).hexdigest()[:32]


def _per_call(setting: float | Mapping[str, float], call: str) -> float:
    return float(setting) if isinstance(setting, (int, float)) else float(setting.get(call, 0.0))


def under_age(id_number: str) -> bool:
    """Younger than ADULT_AGE by the birth date an ID number carries (numbers without one are not judged)."""
    years = age(birth_date_of(id_number))
    return years is not None and years < ADULT_AGE


class SimulatedProvincial:
    """Answers as personas.yaml says; a failure rate makes a share of calls fail as a busy system would.

    `failure_rate` is a float for every call, or a mapping from a call (precheck, eligibility, submit,
    submit_cleanup) to its own rate, so that one step can be made to fail on purpose. `latency` is how long each
    call takes; a call slower than `timeout` is dropped at its deadline, unanswered and unrecorded, as a real
    service does with a request whose caller has stopped waiting.
    """

    def __init__(self, personas: Personas, records: Records, failure_rate: float | Mapping[str, float] = 0.0,
                 latency: float | Mapping[str, float] = 0.0, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.personas = personas
        self.records = records            # what the provincial system remembers: cleanups, each person's card
        self.failure_rate, self.latency, self.timeout = failure_rate, latency, timeout
        self._random = random.Random()

    def forget(self, id_number: str) -> None:
        """Undo what the demo did for this person (a cleanup), so every walk through starts the same. The card
        a person applied for stays: one person, one card."""
        self.records.remove("sim.cleaned", person_key(id_number))

    def _cleaned(self, id_number: str) -> bool:
        return self.records.get("sim.cleaned", person_key(id_number)) is not None

    def _holds_card(self, id_number: str) -> bool:
        """An application of this person's was accepted: here (a record), or before the demo began (holds_card)."""
        persona = self.personas.by_number.get(id_number.upper())
        if persona is not None and persona.outcome == "holds_card":
            return True
        card = self.records.get("sim.card", person_key(id_number))
        return card is not None and card.get("code") == "ok"

    def _persona(self, identity: Identity) -> Persona | None:
        return self.personas.by_number.get(identity.id_number)

    def _busy(self, call: str) -> bool:
        """Each call takes its latency (no longer than its deadline), then fails at its rate or for being late."""
        delay = _per_call(self.latency, call)
        if delay > 0:
            time.sleep(min(delay, self.timeout))
        if delay >= self.timeout:
            return True
        rate = _per_call(self.failure_rate, call)
        return rate > 0 and self._random.random() < rate

    def precheck(self, identity: Identity) -> Outcome:
        persona = self._persona(identity)
        if self._busy("precheck"):
            return outcome("precheck", "unavailable")
        if persona is None:
            return outcome("precheck", "ineligible", NOT_INSURED)
        if persona.outcome == "not_online":
            return outcome("precheck", "not_online")       # the popup says why, from the resident type
        if persona.outcome == "has_application":     # an application record the pre-check knows of
            return outcome("precheck", "has_application", HAS_APPLICATION)
        return OK

    def eligibility(self, identity: Identity, city: str | None = None, applicant: str | None = None,
                    applicant_name: str | None = None, relationship: str | None = None) -> Outcome:
        persona = self._persona(identity)
        if self._busy("eligibility"):
            return outcome("eligibility_check", "unavailable")
        if persona is None:
            return outcome("eligibility_check", "ineligible", NOT_INSURED)
        if applicant:
            return self._minor(persona, applicant, applicant_name, relationship)
        if under_age(identity.id_number):        # the guide's guard says so first; the province holds to it too
            return outcome("eligibility_check", "ineligible", UNDER_AGE)
        if persona.outcome == "not_insured":
            return outcome("eligibility_check", "ineligible", NOT_INSURED)
        if self._holds_card(identity.id_number):
            return outcome("eligibility_check", "has_application", HAS_APPLICATION)
        if persona.raw.get("cards") and not self._cleaned(identity.id_number):
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
        if child.get("outcome") == "not_insured":
            return outcome("eligibility_check", "ineligible", NOT_INSURED)
        if self._holds_card(number):
            return outcome("eligibility_check", "has_application", HAS_APPLICATION)
        if child.get("cards"):
            cities = "、".join(str(c["issuing_city"]) for c in child["cards"])
            return outcome("eligibility_check", "cards_elsewhere", f"申领人名下已有{cities}发行的社保卡")
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
        on_record = self.cards_to_clean(identity)
        expected = {c["card_number"] for c in on_record}
        if not expected or {str(c.get("card_number")) for c in cards} != expected:
            return outcome("submit_cleanup", "rejected", "待清理的社保卡信息已变化,请重新办理")
        lost = [c for c in on_record if c["status"] == "挂失"]
        if lost:        # a card reported lost cannot be cancelled here: it is released at its city first
            return outcome("submit_cleanup", "rejected",
                           f"您名下{lost[0]['issuing_city']}发行的社保卡处于挂失状态,暂不能清理,请先到该市社保卡服务网点办理解挂")
        self.records.put("sim.cleaned", person_key(identity.id_number), {"at": _now().isoformat()},
                         _now() + SIM_MEMORY)
        return outcome("submit_cleanup", "ok",
                       data={"application_id": f"QL{_now():%Y%m%d}{secrets.randbelow(10**6):06d}"})

    def submit(self, identity: Identity, application: Mapping[str, Any], idempotency_key: str) -> Outcome:
        """One record per applicant, changed under its lock: the same key sent again gets its first answer (a
        retry after a lost reply makes no second application); another key for a person who holds a card is
        refused (one person, one card), whichever journey and whoever sends it."""
        if self._busy("submit"):
            return outcome("submit_application", "unavailable")
        applicant = str((application.get("applicant") or {}).get("id_number") or identity.id_number).upper()
        persona = self.personas.by_number.get(applicant)
        guardian = application.get("guardian")

        def decide(seen: dict[str, Any] | None) -> tuple[dict[str, Any], dt.datetime, dict[str, Any]]:
            if seen is not None and (seen.get("key") == idempotency_key or seen.get("code") == "ok"):
                answer = seen if seen.get("key") == idempotency_key else {"code": "has_application",
                                                                          "reason": HAS_APPLICATION}
                return seen, dt.datetime.fromisoformat(seen["until"]), answer
            if persona is not None and persona.outcome in ("holds_card", "applied_elsewhere"):
                held = {"code": "has_application", "reason": HAS_APPLICATION}
                return held, _now() + SIM_MEMORY, held
            if not guardian and under_age(applicant):
                decided = {"code": "rejected", "reason": UNDER_AGE}
            elif persona is not None and persona.outcome == "submit_rejected":
                decided = {"code": "rejected", "reason": persona.reject_reason or "申请信息校验不通过"}
            else:
                decided = {"code": "ok", "application_id": f"SB{_now():%Y%m%d}{secrets.randbelow(10**6):06d}"}
            until = _now() + SIM_MEMORY
            return {**decided, "key": idempotency_key, "until": until.isoformat()}, until, decided

        answer = self.records.change("sim.card", person_key(applicant), decide)
        if answer["code"] == "ok":
            return outcome("submit_application", "ok", data={"application_id": answer["application_id"]})
        return outcome("submit_application", answer["code"], answer.get("reason"))
