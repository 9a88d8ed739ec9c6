"""JSON log lines with a request id, and nothing personal in them."""
from __future__ import annotations

import json
import logging
import sys
from typing import Any

import pytest
from starlette.types import Message, Receive, Scope, Send

from renderer.web.logs import REQUEST_ID, JsonFormatter, RequestLog, log_config, request_id
from tests import aio

ZHANG = "440106199001011235"


def record(message: str, *args: Any, exc_info: Any = None, **extra: Any) -> logging.LogRecord:
    made = logging.LogRecord("yss", logging.ERROR, __file__, 1, message, args, exc_info)
    for name, value in extra.items():
        setattr(made, name, value)
    return made


def test_a_line_is_one_json_object_with_the_request_id() -> None:
    token = REQUEST_ID.set("abc-123")
    try:
        line = JsonFormatter().format(record("unhandled %s", "KeyError"))
    finally:
        REQUEST_ID.reset(token)
    entry = json.loads(line)
    assert "\n" not in line
    assert entry["level"] == "error" and entry["logger"] == "yss" and entry["message"] == "unhandled KeyError"
    assert entry["request_id"] == "abc-123" and entry["time"].endswith("+00:00")


def test_access_fields_are_written_and_numbers_masked() -> None:
    line = JsonFormatter().format(record("GET /x 200", method="GET", path=f"/p/{ZHANG}", status=200,
                                         duration_ms=1.5, request_id="r1"))
    entry = json.loads(line)
    assert (entry["method"], entry["status"], entry["duration_ms"], entry["request_id"]) == ("GET", 200, 1.5, "r1")
    assert ZHANG not in line and entry["path"] == "/p/***"
    assert "13600002819" not in JsonFormatter().format(record("sent to %s", "13600002819"))
    assert "44010619900101123X" not in JsonFormatter().format(record("id 44010619900101123X"))


def test_an_exception_is_logged_by_type_and_place_never_by_its_text() -> None:
    try:
        raise ValueError(f"bad number {ZHANG}")
    except ValueError:
        line = JsonFormatter().format(record("failed", exc_info=sys.exc_info()))
    entry = json.loads(line)
    assert entry["error"]["type"] == "ValueError" and "test_logs.py" in entry["error"]["at"][-1]
    assert ZHANG not in line


@pytest.mark.parametrize(("sent", "kept"), [
    ("req-1_A", True), ("x" * 64, True), ("x" * 65, False), ("a b", False), ("<script>", False), ("", False),
    (ZHANG, False), ("trace" + "13600002819", False),
])
def test_a_sane_incoming_request_id_is_kept_and_others_replaced(sent: str, kept: bool) -> None:
    chosen = request_id({"headers": [(b"x-request-id", sent.encode())]})
    assert (chosen == sent) is kept
    assert len(chosen) <= 64


def test_request_log_names_each_request_and_writes_one_access_line(caplog: pytest.LogCaptureFixture) -> None:
    seen: dict[str, Any] = {}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen["state"], seen["var"] = scope["state"]["request_id"], REQUEST_ID.get()
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "method": "GET", "path": "/j/adult", "query_string": b"id=1", "headers": []}
    caplog.set_level(logging.INFO, logger="yss.access")
    aio.run(RequestLog(app)(scope, receive, send))
    rid = dict(sent[0]["headers"])[b"x-request-id"].decode()
    assert seen == {"state": rid, "var": rid}
    [line] = [r for r in caplog.records if r.name == "yss.access"]
    assert (line.method, line.path, line.status) == ("GET", "/j/adult", 201)   # type: ignore[attr-defined]
    assert line.duration_ms >= 0 and "id=1" not in line.getMessage()           # type: ignore[attr-defined]
    assert REQUEST_ID.get() is None


def test_uvicorn_logs_as_json_and_its_own_access_log_is_off() -> None:
    config = log_config()
    assert config["formatters"]["json"]["()"] == "renderer.web.logs.JsonFormatter"
    assert config["loggers"]["uvicorn.access"] == {"handlers": [], "propagate": False}
