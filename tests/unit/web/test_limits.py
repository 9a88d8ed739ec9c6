"""Body limits: refused on the declared length before the app runs, counted when streamed, timed per piece."""
from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.types import Message, Receive, Scope, Send

from renderer.web.limits import BODY_LIMITS, DEFAULT_BODY, JOURNEY_BODY, SIGN_IN_BODY, BodyLimits, body_limit
from tests import aio


async def read_all(scope: Scope, receive: Receive, send: Send) -> None:
    """An app that reads the whole body, then answers 200 with its length."""
    size, more = 0, True
    while more:
        message = await receive()
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(size).encode()})


def scope_for(path: str, headers: dict[str, str] | None = None) -> Scope:
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    return {"type": "http", "method": "POST", "path": path, "headers": raw, "query_string": b""}


def call(app: Any, scope: Scope, receive: Receive) -> list[Message]:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    aio.run(app(scope, receive, send))
    return sent


def status_and_text(sent: list[Message]) -> tuple[int, str, dict[bytes, bytes]]:
    headers = dict(sent[0]["headers"])
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:]).decode(), headers


def test_the_limits_table_picks_exact_paths_and_prefixes() -> None:
    assert body_limit("/login") == body_limit("/logout") == SIGN_IN_BODY == 16 * 1024
    assert body_limit("/j/adult/documents") == JOURNEY_BODY == 24 * 1024 * 1024
    assert body_limit("/loginx") == body_limit("/") == body_limit("/j") == DEFAULT_BODY == 256 * 1024
    assert all(limit > 0 for _, limit in BODY_LIMITS)


def test_a_declared_length_over_the_limit_is_refused_before_the_app_or_the_body() -> None:
    async def never(*_: Any) -> Any:
        raise AssertionError("neither the app nor receive may run")

    sent = call(BodyLimits(never), scope_for("/login", {"Content-Length": str(200 * 1024 * 1024)}), never)
    status, text, headers = status_and_text(sent)
    assert status == 413 and "提交的内容过大" in text
    assert headers[b"connection"] == b"close"


def test_a_body_without_a_length_is_stopped_at_the_limit() -> None:
    pulled = 0

    async def endless() -> Message:     # a chunked upload that never ends
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"x" * 1024 * 1024, "more_body": True}

    status, text, _ = status_and_text(call(BodyLimits(read_all), scope_for("/j/adult/documents"), endless))
    assert status == 413 and "提交的内容过大" in text
    assert pulled == JOURNEY_BODY // (1024 * 1024) + 1       # stopped at the first megabyte over 24


def test_a_body_within_the_limit_reaches_the_app_whole() -> None:
    chunks = [b"a" * 8000, b"b" * 8000]

    async def two_pieces() -> Message:
        body = chunks.pop(0)
        return {"type": "http.request", "body": body, "more_body": bool(chunks)}

    status, text, _ = status_and_text(call(BodyLimits(read_all), scope_for("/login"), two_pieces))
    assert (status, text) == (200, "16000")


def test_a_stalled_body_gets_408() -> None:
    async def stalls() -> Message:
        await asyncio.sleep(5)
        raise AssertionError("the deadline should have passed")

    status, text, headers = status_and_text(call(BodyLimits(read_all, body_timeout=0.05), scope_for("/login"), stalls))
    assert status == 408 and "提交超时" in text and headers[b"connection"] == b"close"


def test_waiting_for_a_disconnect_after_the_body_has_no_deadline() -> None:
    messages = [{"type": "http.request", "body": b"done", "more_body": False}]

    async def then_disconnect() -> Message:
        if messages:
            return messages.pop()
        await asyncio.sleep(0.2)       # longer than the body deadline
        return {"type": "http.disconnect"}

    async def listens(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        assert (await receive())["type"] == "http.disconnect"
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    sent = call(BodyLimits(listens, body_timeout=0.05), scope_for("/login"), then_disconnect)
    assert sent[0]["status"] == 204


def test_a_refusal_after_the_answer_started_is_left_to_the_server() -> None:
    async def answers_then_reads(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        while True:
            await receive()

    async def endless() -> Message:
        return {"type": "http.request", "body": b"x" * 4096, "more_body": True}

    with pytest.raises(Exception, match="413"):
        call(BodyLimits(answers_then_reads), scope_for("/login"), endless)
