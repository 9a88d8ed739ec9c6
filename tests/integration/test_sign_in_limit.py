"""10 unknown numbers per address in 10 minutes pause sign-in, seen from the outside: the address is the peer's
unless YSS_TRUSTED_PROXIES names it a proxy, a client's own X-Forwarded-For changes nothing, and concurrent
guesses on two PostgreSQL workers cannot get past the limit (each takes its slot before it is looked up)."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from renderer.web.routes import LOGIN_FAILED, LOGIN_FAILURES, LOGIN_LOCKED
from tests.integration.conftest import ZHANG, Citizen
from tests.pg import throwaway_database
from tests.served import Served

UNKNOWN = "未找到该证件号码对应的粤省事用户"
SIGNED_IN = "/"


def unknown(n: int) -> str:
    """The n-th well-formed ID number (GB 11643 check digit) that no demo person has."""
    body = f"44010619800101{n:03d}"
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(body))
    return body + "10X98765432"[total % 11]


def browser(server: Served, source: str = "127.0.0.1", forwarded: str | None = None) -> Citizen:
    """A browser connecting from `source` (any 127.x address is this machine), sending its own X-Forwarded-For."""
    client = httpx.Client(base_url=f"http://127.0.0.1:{server.port}", follow_redirects=True, timeout=30,
                          transport=httpx.HTTPTransport(local_address=source))
    if forwarded is not None:
        client.headers["X-Forwarded-For"] = forwarded
    return Citizen(client)  # type: ignore[arg-type]


def sign_in(server: Served, number: str, source: str = "127.0.0.1", forwarded: str | None = None) -> str:
    """What the sign-in answers: SIGNED_IN (the home page), UNKNOWN, or LOGIN_LOCKED."""
    citizen = browser(server, source, forwarded)
    with citizen.client:
        answer = citizen.sign_in(number)
    return outcome(answer)


def outcome(answer: Any) -> str:
    if answer.url.path == "/":
        return SIGNED_IN
    for said in (UNKNOWN, LOGIN_LOCKED):
        if said in answer.text:
            return said
    raise AssertionError(f"an unexpected answer to a sign-in: {answer.url} {answer.text[:300]}")


@pytest.fixture(scope="module")
def default_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The product as `make run` serves it, with uvicorn's own FORWARDED_ALLOW_IPS set to trust everyone: it must
    not count."""
    server = Served(tmp_path_factory.mktemp("default"), YSS_TRUSTED_PROXIES="",
                    FORWARDED_ALLOW_IPS="*")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def behind_a_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    server = Served(tmp_path_factory.mktemp("proxied"), YSS_TRUSTED_PROXIES="127.0.0.1")
    yield server
    server.stop()


def test_a_locked_address_stays_locked_whatever_it_forwards(default_server: Served) -> None:
    assert [sign_in(default_server, unknown(n), "127.0.0.3") for n in range(LOGIN_FAILURES)] == \
        [UNKNOWN] * LOGIN_FAILURES
    fresh = [sign_in(default_server, unknown(n), "127.0.0.3", forwarded=f"198.51.100.{n}") for n in range(15)]
    assert fresh == [LOGIN_LOCKED] * 15
    for header in ("X-Real-IP", "Forwarded", "True-Client-IP"):
        citizen = browser(default_server, "127.0.0.3")
        with citizen.client:
            citizen.client.headers[header] = "198.51.100.200" if header != "Forwarded" else "for=198.51.100.200"
            assert outcome(citizen.sign_in(ZHANG)) == LOGIN_LOCKED, header
    assert sign_in(default_server, ZHANG, "127.0.0.3", forwarded="198.51.100.99") == LOGIN_LOCKED


def test_failures_in_someone_elses_name_do_not_lock_them_out(default_server: Served) -> None:
    victim = "127.0.0.4"
    spoofed = [sign_in(default_server, unknown(n), "127.0.0.5", forwarded=victim) for n in range(LOGIN_FAILURES + 1)]
    assert spoofed == [UNKNOWN] * LOGIN_FAILURES + [LOGIN_LOCKED]         # they counted against the sender
    assert sign_in(default_server, ZHANG, victim) == SIGNED_IN
    assert sign_in(default_server, unknown(1), victim) == UNKNOWN


def test_behind_a_trusted_proxy_the_forwarded_client_counts(behind_a_proxy: Served) -> None:
    client, neighbour = "203.0.113.5", "203.0.113.6"
    assert [sign_in(behind_a_proxy, unknown(n), forwarded=client) for n in range(LOGIN_FAILURES + 1)] == \
        [UNKNOWN] * LOGIN_FAILURES + [LOGIN_LOCKED]
    assert sign_in(behind_a_proxy, ZHANG, forwarded=client) == LOGIN_LOCKED
    assert sign_in(behind_a_proxy, ZHANG, forwarded=neighbour) == SIGNED_IN      # the proxy itself is not locked
    # A client's own header arrives left of the address the proxy appends: only the latter counts.
    assert sign_in(behind_a_proxy, ZHANG, forwarded=f"{neighbour}, {client}") == LOGIN_LOCKED
    assert sign_in(behind_a_proxy, ZHANG, forwarded=f"{client}, {neighbour}") == SIGNED_IN
    # A peer that is not a trusted proxy is its own client, whatever it forwards.
    assert sign_in(behind_a_proxy, ZHANG, "127.0.0.6", forwarded=client) == SIGNED_IN


def test_a_known_number_gives_its_slot_back(behind_a_proxy: Served) -> None:
    """The limit counts unknown numbers only: a citizen who signs in between failures is not counted."""
    client = "203.0.113.7"
    outcomes = [sign_in(behind_a_proxy, unknown(n), forwarded=client) for n in range(LOGIN_FAILURES - 1)]
    outcomes += [sign_in(behind_a_proxy, ZHANG, forwarded=client) for _ in range(5)]
    outcomes += [sign_in(behind_a_proxy, unknown(n), forwarded=client) for n in range(2)]
    assert outcomes == [UNKNOWN] * (LOGIN_FAILURES - 1) + [SIGNED_IN] * 5 + [UNKNOWN, LOGIN_LOCKED]


def test_concurrent_guesses_on_two_postgresql_workers_cannot_pass_the_limit(tmp_path: Path) -> None:
    guesses = 3 * LOGIN_FAILURES
    with throwaway_database() as url:
        server = Served(tmp_path, YSS_DB=url, YSS_WORKERS="2")
        try:
            browsers = [browser(server) for _ in range(guesses)]
            for citizen in browsers:
                citizen.get("/login")                   # each its own sign-in page and CSRF token
            start = threading.Barrier(guesses)

            def guess(n: int) -> str:
                start.wait()
                citizen = browsers[n]
                return outcome(citizen.post("/login", {"id_number": unknown(n)}))

            with ThreadPoolExecutor(guesses) as pool:
                answers = list(pool.map(guess, range(guesses)))
            assert (answers.count(UNKNOWN), answers.count(LOGIN_LOCKED)) == (LOGIN_FAILURES, guesses - LOGIN_FAILURES)
            assert sign_in(server, ZHANG) == LOGIN_LOCKED
        finally:
            for citizen in browsers:
                citizen.client.close()
            assert server.stop()


def test_a_sign_in_service_that_fails_gives_the_slot_back(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(number: str) -> None:
        raise OSError("the sign-in service is down")

    monkeypatch.setattr(app.state.services.sign_in, "sign_in", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        citizen = Citizen(client)
        assert all(citizen.sign_in(ZHANG).status_code == 500 for _ in range(LOGIN_FAILURES + 2))
    assert (app.state.store.records.get(LOGIN_FAILED, "testclient") or {"n": 0})["n"] == 0     # not counted
