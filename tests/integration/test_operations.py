"""Operating the product: body limits, HEAD, health probes, JSON logs with request ids, the 500 page, and the
real server's timeouts, graceful shutdown and workers (started as `python -m renderer.web` on a free port)."""
from __future__ import annotations

import io
import json
import logging
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient
from starlette.types import Message

from renderer.web.app import create_app
from renderer.web.limits import JOURNEY_BODY, SIGN_IN_BODY
from renderer.web.logs import JsonFormatter
from renderer.web.security import HEADERS, HSTS
from tests import aio
from tests.integration.conftest import ZHANG, Citizen, settings_for
from tests.served import Served

PAGE_HEADERS = [name.lower() for name in HEADERS]


# ---------------------------------------------------------------- body limits

def asgi(app: Any, method: str, path: str, headers: dict[str, str], receive: Any) -> list[Message]:
    """Call the app as a server would, with a hand-made receive."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "path": path,
             "raw_path": path.encode(), "root_path": "", "scheme": "http", "query_string": b"",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()], "client": ("t", 1),
             "server": ("t", 80), "state": {}}
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    aio.run(app(scope, receive, send))
    return sent


def test_a_200_mb_declared_body_to_login_is_refused_before_it_is_read(app: Any) -> None:
    async def receive() -> Message:
        raise AssertionError("the body must not be read")

    sent = asgi(app, "POST", "/login", {"content-length": str(200 * 1024 * 1024),
                                        "content-type": "application/x-www-form-urlencoded"}, receive)
    headers = dict(sent[0]["headers"])
    assert sent[0]["status"] == 413 and "提交的内容过大" in sent[1]["body"].decode()
    assert headers[b"connection"] == b"close" and all(name.encode() in headers for name in PAGE_HEADERS)


def test_a_streamed_upload_is_stopped_at_the_request_limit(citizen: Citizen, app: Any) -> None:
    citizen.sign_in()
    cookie = "; ".join(f"{name}={value}" for name, value in citizen.client.cookies.items())
    pulled = 0

    async def receive() -> Message:      # a chunked multipart upload that never ends
        nonlocal pulled
        pulled += 1
        head = (b"--x\r\nContent-Disposition: form-data; name=\"documents.id_card.0\"; filename=\"a.jpg\"\r\n"
                b"Content-Type: image/jpeg\r\n\r\n") if pulled == 1 else b""
        return {"type": "http.request", "body": head + b"\xff" * 1024 * 1024, "more_body": True}

    sent = asgi(app, "POST", "/j/adult/documents",
                {"content-type": "multipart/form-data; boundary=x", "cookie": cookie}, receive)
    assert sent[0]["status"] == 413
    assert pulled * 1024 * 1024 <= JOURNEY_BODY + 1024 * 1024


def test_sign_in_and_upload_limits_by_declared_length(citizen: Citizen) -> None:
    citizen.get("/login")
    too_big = citizen.client.post("/login", data={"_csrf": citizen.csrf, "id_number": "1" * SIGN_IN_BODY})
    assert too_big.status_code == 413 and "提交的内容过大" in too_big.text
    assert citizen.sign_in().status_code == 200
    photo = ("a.jpg", b"\xff" * (JOURNEY_BODY + 1), "image/jpeg")
    refused = citizen.post("/j/adult/documents", {"_action": "button:0"}, files={"documents.id_card.0": photo})
    assert refused.status_code == 413
    assert citizen.get("/j/adult").status_code == 200      # the citizen carries on afterwards


# ---------------------------------------------------------------- HEAD

def test_head_is_answered_on_every_get_route(citizen: Citizen) -> None:
    client = citizen.client
    urls = ["/login", "/", "/healthz", "/readyz", "/static/app.css", "/nope", "/j/adult", "/j/adult/guide"]
    for signed_in in (False, True):
        if signed_in:
            citizen.sign_in()
        for url in urls:
            get, head = client.get(url, follow_redirects=False), client.head(url, follow_redirects=False)
            assert head.status_code == get.status_code, (url, signed_in, head.status_code, get.status_code)
            assert head.content == b""
            assert head.headers.get("content-type") == get.headers.get("content-type")
    assert client.head("/j/adult/guide").status_code == 200 and client.head("/login").status_code == 200


# ---------------------------------------------------------------- health

def test_healthz_answers_without_the_store(client: TestClient, app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    class Unreachable:
        def __getattr__(self, name: str) -> Any:
            raise AssertionError(f"/healthz touched the store ({name})")

    monkeypatch.setattr(app.state, "store", Unreachable())
    response = client.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok")


def test_readyz_needs_the_store_and_the_forms(client: TestClient, app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    assert (client.get("/readyz").status_code, client.get("/readyz").text) == (200, "ready")

    def down() -> None:
        raise OSError("database is down")

    monkeypatch.setattr(app.state.store, "ping", down, raising=False)
    response = client.get("/readyz")
    assert (response.status_code, response.text) == (503, "not ready: store")
    monkeypatch.setattr(app.state.engine, "definition", None)
    assert client.get("/readyz").text == "not ready: store, forms"


# ---------------------------------------------------------------- logs and request ids

@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """Everything the product logs, as the server writes it (the test client's own lines left out)."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(lambda record: not record.name.startswith(("httpx", "httpcore")))
    root, yss = logging.getLogger(), logging.getLogger("yss")
    levels = root.level, yss.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yss.setLevel(logging.DEBUG)
    yield out
    root.removeHandler(handler)
    root.setLevel(levels[0])
    yss.setLevel(levels[1])


def test_log_lines_are_json_with_request_ids_and_no_personal_data(citizen: Citizen, json_log: io.StringIO) -> None:
    citizen.client.get(f"/login?id_number={ZHANG}")
    citizen.sign_in()
    citizen.walk_to_confirm()        # sign-in, photos, an SMS code, the address: all through the logs
    text = json_log.getvalue()
    for personal in (ZHANG, "13600002819", "张伟", "天河路100号", "yss_session", "id_number"):
        assert personal not in text
    lines = [json.loads(line) for line in text.splitlines()]
    access = [line for line in lines if line["logger"] == "yss.access"]
    assert len(access) > 10
    assert all(line["request_id"] and {"method", "path", "status", "duration_ms"} <= line.keys() for line in access)
    assert {"path": "/login", "status": 200} in [{k: line[k] for k in ("path", "status")} for line in access]
    assert not any("?" in line["path"] for line in access)


def test_each_answer_names_its_request(client: TestClient, json_log: io.StringIO) -> None:
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a_1"})
    assert kept.headers["x-request-id"] == "lb-7f3a_1"
    for bad in ("x" * 65, "a b", ZHANG):
        assert client.get("/healthz", headers={"X-Request-ID": bad}).headers["x-request-id"] != bad
    made = {client.get("/healthz").headers["x-request-id"] for _ in range(3)}
    assert len(made) == 3
    logged = [json.loads(line)["request_id"] for line in json_log.getvalue().splitlines()]
    assert "lb-7f3a_1" in logged and made <= set(logged)


# ---------------------------------------------------------------- 500 page, security headers, HSTS

def failing_app(database: Path, https_cookies: bool = False) -> Any:
    app = create_app(replace(settings_for(database), https_cookies=https_cookies))

    async def boom(request: Any) -> Any:
        raise RuntimeError(f"store failed while saving {ZHANG}")

    app.router.routes.append(Route("/boom", boom, methods=["GET", "POST"]))
    return app


def test_the_500_page_tells_the_truth_with_headers_and_a_reference(database: Path, json_log: io.StringIO) -> None:
    with TestClient(failing_app(database), raise_server_exceptions=False) as client:
        response = client.post("/boom", data={"id_number": ZHANG})
    assert response.status_code == 500
    assert "系统繁忙,请稍后再试。刚才的操作可能没有完成,请返回上一页重新操作。" in response.text
    assert "已保存" not in response.text
    request_id = response.headers["x-request-id"]
    assert f"编号:{request_id}" in response.text
    assert all(response.headers[name] == value for name, value in HEADERS.items())
    assert "strict-transport-security" not in response.headers
    errors = [json.loads(line) for line in json_log.getvalue().splitlines() if '"level": "error"' in line]
    assert errors and all(line["request_id"] == request_id for line in errors)
    assert ZHANG not in json_log.getvalue()


def test_hsts_only_when_cookies_are_https(database: Path) -> None:
    with TestClient(failing_app(database, https_cookies=True), raise_server_exceptions=False) as client:
        for url in ("/login", "/nope", "/boom", "/static/app.css"):
            assert client.get(url).headers["strict-transport-security"] == HSTS, url
    with TestClient(failing_app(database), raise_server_exceptions=False) as client:
        assert all("strict-transport-security" not in client.get(url).headers for url in ("/login", "/boom"))


def test_error_pages_carry_the_security_headers(client: TestClient) -> None:
    for response in (client.get("/nope"), client.post("/login", content=b"x" * (SIGN_IN_BODY + 1))):
        assert response.status_code in (404, 413)
        assert all(response.headers[name] == value for name, value in HEADERS.items())


# ---------------------------------------------------------------- the real server

def until_closed(conn: socket.socket) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and how long that took."""
    started, data = time.monotonic(), b""
    with conn:
        while chunk := conn.recv(65536):
            data += chunk
    return data, time.monotonic() - started


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    server = Served(tmp_path_factory.mktemp("served"), YSS_HEADER_TIMEOUT="1", YSS_BODY_TIMEOUT="1",
                    YSS_KEEPALIVE_TIMEOUT="1")
    yield server
    server.stop()


LOGIN_POST = b"POST /login HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\n"


def test_half_a_request_line_or_an_idle_connection_is_closed(served: Served) -> None:
    half = served.connect()
    half.sendall(b"GET /healthz HT")
    data, waited = until_closed(half)
    assert data == b"" and 0.8 < waited < 3
    data, waited = until_closed(served.connect())
    assert data == b"" and 0.8 < waited < 3


def test_a_request_sent_slowly_but_in_time_is_answered(served: Served) -> None:
    conn = served.connect()
    for piece in (b"GET /heal", b"thz HTTP/1.1\r\n", b"Host: t\r\nConnection: close\r\n\r\n"):
        conn.sendall(piece)
        time.sleep(0.3)
    data, _ = until_closed(conn)
    assert data.startswith(b"HTTP/1.1 200") and data.endswith(b"ok")


def test_a_kept_alive_connection_is_closed_when_idle(served: Served) -> None:
    conn = served.connect()
    conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
    data, waited = until_closed(conn)
    assert data.startswith(b"HTTP/1.1 200") and 0.8 < waited < 3


def test_a_half_sent_body_gets_408(served: Served) -> None:
    conn = served.connect()
    conn.sendall(LOGIN_POST + b"Content-Length: 100\r\n\r\nid_number=44")
    data, waited = until_closed(conn)
    assert data.startswith(b"HTTP/1.1 408") and "提交超时" in data.decode() and 0.8 < waited < 3


def test_oversized_bodies_get_413_without_being_read(served: Served) -> None:
    conn = served.connect()
    conn.sendall(LOGIN_POST + f"Content-Length: {200 * 1024 * 1024}\r\n\r\n".encode())
    data, waited = until_closed(conn)
    assert data.startswith(b"HTTP/1.1 413") and waited < 0.5
    assert b"content-security-policy" in data and "提交的内容过大" in data.decode()
    conn = served.connect()
    conn.sendall(LOGIN_POST + b"Transfer-Encoding: chunked\r\n\r\n")
    for _ in range(6):                   # 24 KB of a body with no declared length
        conn.sendall(b"1000\r\n" + b"a" * 4096 + b"\r\n")
    data, _ = until_closed(conn)
    assert data.startswith(b"HTTP/1.1 413")


def test_the_server_logs_json_lines_only(served: Served) -> None:
    served.get("/healthz?id_number=" + ZHANG)
    time.sleep(0.2)
    lines = served.lines()
    assert {"uvicorn.error", "yss.access"} <= {line["logger"] for line in lines}
    access = [line for line in lines if line["logger"] == "yss.access"]
    assert {"method", "path", "status", "duration_ms", "request_id"} <= access[-1].keys()
    assert ZHANG not in served.log.read_text(encoding="utf-8")


def test_sigterm_lets_a_running_request_finish(tmp_path: Path) -> None:
    server = Served(tmp_path, YSS_SHUTDOWN_TIMEOUT="10")
    conn = server.connect()
    conn.sendall(LOGIN_POST + b"Content-Length: 20\r\n\r\nid_number=")   # the body is half sent
    time.sleep(0.3)
    server.terminate()
    time.sleep(0.5)
    conn.sendall(b"4401061990")
    data, _ = until_closed(conn)
    # Answered (no CSRF token was sent): the sign-in page again, by a redirect that carries its message.
    assert data.startswith(b"HTTP/1.1 303") and b"location: /login?said=" in data
    assert server.stop()
    assert "Finished server process" in server.log.read_text(encoding="utf-8")


def test_two_workers_serve(tmp_path: Path) -> None:
    server = Served(tmp_path, YSS_WORKERS="2")
    try:
        assert server.get("/healthz") == (200, "ok") and server.get("/readyz") == (200, "ready")
        deadline, workers = time.monotonic() + 20, set()
        while len(workers) < 2 and time.monotonic() < deadline:
            workers = set(re.findall(r"Started server process \[(\d+)\]", server.log.read_text(encoding="utf-8")))
            time.sleep(0.2)
        assert len(workers) == 2, server.log.read_text(encoding="utf-8")
    finally:
        assert server.stop()
