"""The channel and back-office services the journeys call, as interfaces a real implementation can fill."""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, cast


@dataclass(frozen=True)
class Identity:
    """The signed-in citizen as the 粤省事 channel knows them. `key` is opaque and safe to put in a cookie."""

    key: str
    name: str
    id_number: str
    id_type: str
    resident_type: str
    phone: str | None = None
    session: str = ""       # the sign-in it came from (the session's stored digest, never the cookie): a face
                            # check passed holds for this sign-in only

    def as_context(self) -> dict[str, Any]:
        """What expressions see as `person`."""
        return {"name": self.name, "id_number": self.id_number, "id_type": self.id_type,
                "resident_type": self.resident_type, "phone": self.phone}


@dataclass(frozen=True)
class Outcome:
    """A service's answer: `code` is 'ok' or a code that the journey's YAML routes (popup, page, result)."""

    code: str
    reason: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.code == "ok"


OK = Outcome("ok")


@dataclass(frozen=True)
class SentCode:
    """An SMS code was sent (ok) or refused (wait_seconds left before a resend is allowed)."""

    ok: bool
    resend_at: dt.datetime
    expires_at: dt.datetime | None = None
    demo_text: str | None = None      # only a simulator shows the message on the page
    error: str | None = None


class SignIn(Protocol):
    def sign_in(self, id_number: str) -> Identity | None: ...
    def identity(self, key: str) -> Identity | None:
        """The citizen a signed-in key names, from what `sign_in` kept: asked on every request, so it must not
        call the channel again (LOCAL_CALLS)."""


# Calls answered from what the adapter keeps, never by an outside system: made without giving anything back.
LOCAL_CALLS = {"sign_in": frozenset({"identity"})}


class FaceCheck(Protocol):
    def begin(self, identity: Identity, purpose: str) -> str:
        """Start a check; returns a challenge id that the check's page and `complete` use."""
    def complete(self, challenge: str, identity: Identity, evidence: Mapping[str, str]) -> bool:
        """True when the face matches; a challenge can be completed once."""


class SmsGateway(Protocol):
    """`phone` is always E.164 (+8613600002819), one spelling per number: its records (the resend wait, the daily
    cap, the wrong tries) are keyed by it."""

    def send_code(self, phone: str, now: dt.datetime | None = None) -> SentCode: ...
    def verify(self, phone: str, code: str, now: dt.datetime | None = None) -> str:
        """'ok', 'wrong', 'expired', 'voided' (too many wrong tries) or 'none' (no code sent)."""


class Provincial(Protocol):
    """The provincial social-security system."""

    def precheck(self, identity: Identity) -> Outcome: ...
    def eligibility(self, identity: Identity, city: str | None = None, applicant: str | None = None,
                    applicant_name: str | None = None, relationship: str | None = None) -> Outcome:
        """May this person (or the minor `applicant` in their care) apply in `city`? ok data: the applicant's record."""
    def photo_by_receipt(self, owner_id_number: str, receipt: str) -> bytes | None: ...
    def system_photo(self, owner_id_number: str) -> bytes | None: ...
    def cards_to_clean(self, identity: Identity) -> list[dict[str, Any]]:
        """The cards issued elsewhere in Guangdong that a one-person-one-card cleanup would cancel."""
    def submit_cleanup(self, identity: Identity, cards: list[dict[str, Any]]) -> Outcome: ...
    def submit(self, identity: Identity, application: Mapping[str, Any], idempotency_key: str) -> Outcome:
        """Send an application; the same key sent again is the same application (its first answer comes back)."""


@dataclass(frozen=True)
class Services:
    sign_in: SignIn
    face: FaceCheck
    sms: SmsGateway
    provincial: Provincial


class _Around:
    """An adapter whose every method call, but its local ones, runs inside `around()`."""

    def __init__(self, adapter: Any, around: Callable[[], AbstractContextManager[Any]],
                 local: frozenset[str] = frozenset()) -> None:
        object.__setattr__(self, "_adapter", adapter)
        object.__setattr__(self, "_around", around)
        object.__setattr__(self, "_local", local)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._adapter, name, value)       # a setting changed (an operator's latency, a test's) is the adapter's

    def __delattr__(self, name: str) -> None:
        delattr(self._adapter, name)

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._adapter, name)
        if not callable(found) or name in self._local:
            return found

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._around():
                return found(*args, **kwargs)
        return call


def around_calls(services: Services, around: Callable[[], AbstractContextManager[Any]]) -> Services:
    """The same services, each adapter's every call made inside `around()`. The product gives a request's
    database connection back to the pool while an outside system answers (renderer/web/app.py)."""
    return Services(**{f.name: cast(Any, _Around(getattr(services, f.name), around, LOCAL_CALLS.get(f.name, frozenset())))
                       for f in dataclasses.fields(services)})
