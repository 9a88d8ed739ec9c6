"""State that holds, on both engines, with two app instances on one database standing for two worker processes:
no acknowledged answer lost, one application under any race, no citizen stuck after a crash, face checks and
SMS codes that any worker can complete, sessions that really end, uploads kept once and removed when replaced."""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from itertools import cycle
from typing import Any

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from renderer.services.base import Identity
from renderer.uploads.images import make_placeholder_portrait
from renderer.web.app import create_app
from tests.integration.conftest import DETAILS, ZHANG, Citizen, settings_for


@pytest.fixture
def database(each_engine: str) -> str:
    return each_engine


@pytest.fixture
def workers(database: Any) -> Iterator[list[TestClient]]:
    """Two instances of the app on one store: what two uvicorn workers are."""
    clients = [TestClient(create_app(settings_for(database)), follow_redirects=True) for _ in range(2)]
    for c in clients:
        c.__enter__()
    yield clients
    for c in clients:
        c.__exit__(None, None, None)
        c.app.state.store.close()


class Balancer:
    """A load balancer in front of the workers: each request (and each redirect) goes to the next worker, carrying
    the browser's cookies, which this object keeps as a browser would."""

    def __init__(self, clients: list[TestClient]) -> None:
        self.clients, self.next = clients, cycle(clients)
        self.cookies: dict[str, str] = {}
        self.lock = threading.Lock()

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        for _ in range(10):
            with self.lock:
                client = next(self.next)
                cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            headers = {**kwargs.pop("headers", {}), **({"cookie": cookie} if cookie else {})}
            response = client.request(method, url, headers=headers, follow_redirects=False, **kwargs)
            self._keep(response)
            if response.status_code not in (301, 302, 303, 307) or "location" not in response.headers:
                return response
            method, url, kwargs = "GET", response.headers["location"], {}
        raise AssertionError("too many redirects")

    def _keep(self, response: httpx.Response) -> None:
        with self.lock:
            for header in response.headers.get_list("set-cookie"):
                parsed = SimpleCookie()
                parsed.load(header)
                for name, morsel in parsed.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def like(self, other: Balancer | TestClient) -> Balancer:
        """Share the cookies of another browser tab."""
        self.cookies = dict(other.cookies) if isinstance(other, Balancer) else dict(other.cookies.items())
        return self


def identity_of(clients: list[TestClient], number: str = ZHANG) -> Identity:
    found = clients[0].app.state.services.sign_in.identity
    personas = clients[0].app.state.services.sign_in.personas
    return found(personas.by_number[number].identity.key)


def test_face_check_sms_and_submission_work_with_every_request_on_another_worker(workers: list[TestClient]) -> None:
    citizen = Citizen(Balancer(workers))          # type: ignore[arg-type]
    citizen.sign_in()
    citizen.walk_to_confirm()                     # face check begun on one worker, completed on the other; SMS too
    done = citizen.post("/j/adult/confirm", {"_action": "button:0"})
    assert done.url.path == "/j/adult/result/submitted", citizen.errors()
    assert workers[1].app.state.store.count_applications(identity_of(workers).key) == 1


def test_a_restart_forgets_nothing(database: Any) -> None:
    first = TestClient(create_app(settings_for(database)), follow_redirects=True)
    citizen = Citizen(first)
    citizen.sign_in()
    citizen.get("/j/adult")
    citizen.post("/j/adult/guide", {"_action": "button:0", "agreed": "1"})
    assert "/verify" in str(citizen.last.url)
    face_url = str(citizen.last.url)
    first.app.state.store.close()
    second = TestClient(create_app(settings_for(database)), follow_redirects=True)   # the server came back up
    second.cookies = first.cookies
    citizen.client = second
    citizen.post(face_url, {"result": "pass"})
    assert citizen.last.url.path == "/j/adult/eligibility"
    second.app.state.store.close()


def test_two_tabs_saving_different_answers_at_once_lose_none(workers: list[TestClient]) -> None:
    citizen = Citizen(workers[0])
    citizen.sign_in()
    citizen.walk_to_confirm()
    tabs = [Balancer([workers[0]]).like(workers[0]), Balancer([workers[1]]).like(workers[0])]
    own = ("home_address", "id_valid_from")
    acknowledged: list[list[str]] = [[], []]
    start = threading.Barrier(2)

    def edit(n: int) -> None:
        tab, mine, theirs = tabs[n], own[n], own[1 - n]
        page = tab.get("/j/adult/details?edit=1").text
        start.wait()
        for i in range(15):
            value = f"天河路{i}号" if n == 0 else f"2019-01-{i + 10:02d}"
            shown = re.search(rf'name="{theirs}" value="([^"]*)"', page).group(1)
            form = {**DETAILS, "_action": "", mine: value, theirs: shown,
                    "_version": re.search(r'name="_version" value="(\d+)"', page).group(1)}
            answer = tab.post("/j/adult/details/refresh", data=form, headers={"X-CSRF-Token": citizen.csrf,
                                                                              "HX-Request": "true"})
            if answer.status_code == 200:
                acknowledged[n].append(value)
            page = answer.text

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(edit, [0, 1]))
    draft = workers[0].app.state.engine.drafts.load(identity_of(workers).key, "adult")
    assert len(acknowledged[0]) == 15 and len(acknowledged[1]) == 15       # different answers merge: no conflict
    assert draft.raw["home_address"] == acknowledged[0][-1]
    assert draft.raw["id_valid_from"] == acknowledged[1][-1]


def test_a_stale_tab_changing_the_same_answer_is_told_and_shown_the_newer_one(workers: list[TestClient]) -> None:
    citizen = Citizen(workers[0])
    citizen.sign_in()
    citizen.walk_to_confirm()
    stale = citizen.get("/j/adult/details?edit=1").text
    version = re.search(r'name="_version" value="(\d+)"', stale).group(1)
    citizen.post("/j/adult/details/refresh", {**DETAILS, "_action": "", "home_address": "新港东路1号"})
    answer = citizen.post("/j/adult/details?edit=1", {**DETAILS, "_action": "button:0", "_version": version,
                                                      "home_address": "中山五路2号"})
    assert [r.status_code for r in answer.history] == [303] and answer.status_code == 200      # shown by a GET
    assert "您在其他窗口或设备上同时修改了本页内容" in answer.text and 'value="新港东路1号"' in answer.text
    assert "此项已在其他窗口修改" in answer.text


def test_fifty_concurrent_submits_with_any_tokens_make_one_application(workers: list[TestClient]) -> None:
    citizen = Citizen(workers[0])
    citizen.sign_in()
    citizen.walk_to_confirm()
    balancer = Balancer(workers).like(workers[0])
    slow_submit(workers, seconds=0.2)

    def submit(n: int) -> int:
        token = "same-token-0123456789abc" if n % 2 else f"forged-{n:03d}-0123456789abc"
        return balancer.post("/j/adult/confirm", data={"_csrf": citizen.csrf, "_action": "button:0",
                                                       "_submission": token}).status_code

    with ThreadPoolExecutor(25) as pool:
        statuses = list(pool.map(submit, range(50)))
    assert set(statuses) <= {200, 202}, statuses
    applications = workers[0].app.state.store.applications_of(identity_of(workers).key)
    assert len(applications) == 1 and applications[0].status == "accepted"


def slow_submit(workers: list[TestClient], seconds: float) -> None:
    for client in workers:
        client.app.state.services.provincial.latency = {"submit": seconds}


def test_a_crash_while_the_province_answers_leaves_no_one_stuck(workers: list[TestClient], monkeypatch: Any) -> None:
    citizen = Citizen(workers[0])
    citizen.sign_in()
    citizen.walk_to_confirm()
    provincial = workers[0].app.state.services.provincial
    real_submit, sent_keys = provincial.submit, []

    def answered_then_died(identity: Identity, application: Any, idempotency_key: str) -> Any:
        sent_keys.append(idempotency_key)
        real_submit(identity, application, idempotency_key=idempotency_key)    # the province made the application…
        raise ConnectionResetError("the worker died before it could note the answer")

    monkeypatch.setattr(provincial, "submit", answered_then_died)
    crashed = TestClient(workers[0].app, raise_server_exceptions=False, cookies=workers[0].cookies)
    assert crashed.post("/j/adult/confirm", data={"_csrf": citizen.csrf, "_action": "button:0"}).status_code == 500
    # Coming back while the lease of the lost request runs: 正在提交, with what to do.
    waiting = citizen.get("/j/adult/confirm")
    assert waiting.status_code == 202 and "正在提交" in waiting.text and "请勿重复提交" in waiting.text
    # Later (the lease is over), the other worker sends the same application again under the same key.
    store = workers[1].app.state.store
    application = store.applications_of(identity_of(workers).key)[0]
    with store.db.write() as conn:
        conn.exec_driver_sql(f"UPDATE applications SET lease_until = NULL WHERE id = {application.id}")
    workers[1].cookies = workers[0].cookies
    citizen.client = workers[1]
    interrupted = citizen.get("/j/adult/confirm")
    assert "提交过程中被中断" in interrupted.text and "继续提交" in interrupted.text
    done = citizen.post("/j/adult/confirm", {"_action": "button:0"})
    assert done.url.path == "/j/adult/result/submitted", done.text[:500]
    applications = store.applications_of(identity_of(workers).key)
    assert len(applications) == 1 and applications[0].status == "accepted"
    assert len(set(sent_keys)) == 1 and applications[0].token == sent_keys[0]


def test_logout_ends_the_session_for_every_copy_of_the_cookie(workers: list[TestClient]) -> None:
    citizen = Citizen(workers[0])
    citizen.sign_in()
    captured = httpx.Cookies(workers[0].cookies)
    csrf = citizen.csrf
    citizen.post("/logout", {})
    replay = TestClient(workers[1].app, cookies=captured, follow_redirects=False)
    assert replay.get("/").headers["location"] == "/login"
    posted = replay.post("/j/adult/guide", data={"_csrf": csrf, "_action": "button:0", "agreed": "1"})
    assert posted.status_code == 303 and posted.headers["location"] == "/login"


def test_sign_in_issues_a_new_session_id(workers: list[TestClient]) -> None:
    citizen = Citizen(workers[0])
    citizen.sign_in()
    first = workers[0].cookies.get("yss_session")
    citizen.sign_in()
    assert workers[0].cookies.get("yss_session") not in (None, first)
    stale = TestClient(workers[0].app, cookies={"yss_session": first}, follow_redirects=False)
    assert stale.get("/").headers["location"] == "/login"


def test_each_upload_is_stored_once_and_replaced_or_deleted_ones_go(workers: list[TestClient]) -> None:
    citizen = Citizen(workers[0])
    citizen.sign_in()
    citizen.walk_to_confirm()
    store, owner = workers[0].app.state.store, identity_of(workers).key
    before = store.count_uploads(owner)
    image = make_placeholder_portrait("again")
    citizen.client.headers["HX-Request"] = "true"        # the htmx path: choose a file, it uploads at once
    citizen.post("/j/adult/documents?edit=1", {"_action": "field:documents:upload", "documents.choice": "id_card"},
                 files={"documents.id_card.0": ("a.jpg", image, "image/jpeg")})
    assert store.count_uploads(owner) == before          # one replaced by one
    citizen.post("/j/adult/documents?edit=1", {"_action": "field:documents:delete:documents.id_card.0",
                                               "documents.choice": "id_card"})
    assert store.count_uploads(owner) == before - 1


def test_a_second_tab_sees_submitting_then_the_real_result(workers: list[TestClient]) -> None:
    citizen = Citizen(workers[0])
    citizen.sign_in()
    citizen.walk_to_confirm()
    slow_submit(workers, seconds=3)
    other_tab = Balancer([workers[1]]).like(workers[0])
    pressing = threading.Thread(target=lambda: citizen.post("/j/adult/confirm", {"_action": "button:0"}))
    pressing.start()
    store, owner = workers[1].app.state.store, identity_of(workers).key
    deadline = time.monotonic() + 10
    while not store.applications_of(owner) and time.monotonic() < deadline:     # until the first tab has claimed
        time.sleep(0.05)
    waiting = other_tab.get("/j/adult/confirm")
    assert waiting.status_code == 202 and "正在提交" in waiting.text and 'http-equiv="refresh"' in waiting.text
    pressing.join()
    settled = other_tab.get("/j/adult/confirm")
    assert settled.url.path == "/j/adult/result/submitted" and "您已成功提交申请" in settled.text
