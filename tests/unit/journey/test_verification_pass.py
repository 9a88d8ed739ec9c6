"""A pass is judged by the journey that asks: another journey may have kept it for longer than this one allows."""
from __future__ import annotations

import datetime as dt

from renderer.definition.model import Verification
from renderer.journey.verification import PASSES, has_pass, pass_key
from renderer.services.base import Identity
from renderer.store import open_store
from renderer.store.base import utcnow

CITIZEN = Identity(key="k1", name="张伟", id_number="440106199001011235", id_type="居民身份证",
                   resident_type="mainland")


def _face(minutes: int) -> Verification:
    return Verification("face_check", "eligibility", minutes, "人脸核验未通过")


def test_a_pass_counts_only_while_younger_than_this_journeys_minutes() -> None:
    store = open_store(":memory:")
    ten_minutes_ago = utcnow() - dt.timedelta(minutes=10)
    store.records.put(PASSES, pass_key(CITIZEN, "face_check"), {"at": ten_minutes_ago.isoformat()},
                      utcnow() + dt.timedelta(minutes=50))          # kept by a journey that allows 60 minutes
    assert has_pass(store, CITIZEN, _face(30))
    assert not has_pass(store, CITIZEN, _face(5))
    assert not has_pass(store, Identity(**{**CITIZEN.__dict__, "key": "k2"}), _face(30))
