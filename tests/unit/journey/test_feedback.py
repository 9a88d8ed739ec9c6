"""What a POST said survives the trip through the store to the GET it redirects to, field for field."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

from renderer.journey.view import Feedback
from renderer.services.base import Outcome


def test_every_field_round_trips_through_json() -> None:
    said = Feedback(errors={"phone": "请输入短信验证码"}, notices={"photo": "已获取"}, popup="not_eligible",
                    outcome=Outcome("refused", "已有卡", {"city": "广州市", "since": dt.date(2020, 1, 2)}),
                    message="请检查", dialogs={"branch": True}, proceed="button:1", opener="button:0")
    kept = json.loads(json.dumps(said.to_json()))     # as the store keeps it: JSON text
    assert set(kept) == {f.name for f in dataclasses.fields(Feedback)}
    back = Feedback.from_json(kept)
    assert back == dataclasses.replace(said, outcome=Outcome("refused", "已有卡",
                                                             {"city": "广州市", "since": "2020-01-02"}))


def test_nothing_said_is_nothing_kept() -> None:
    assert Feedback.from_json(json.loads(json.dumps(Feedback().to_json()))) == Feedback()
