"""kill -9 while the provincial system is answering 确认提交, then a restart: the citizen is not stuck, and there is
exactly one application — on SQLite and on PostgreSQL."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx2 as httpx
import pytest

from renderer.store import open_store
from tests.integration.conftest import ZHANG, Citizen
from tests.served import Served


@pytest.fixture
def database(each_engine: str) -> str:
    return each_engine


def browser(server: Served) -> httpx.Client:
    return httpx.Client(base_url=f"http://127.0.0.1:{server.port}", follow_redirects=True, timeout=30)


def test_a_worker_killed_mid_submission_leaves_no_one_stuck(tmp_path: Path, database: str) -> None:
    env = {"YSS_DB": database, "YSS_SIM_LATENCY": "submit=4", "YSS_SUBMIT_LEASE": "3", "YSS_SERVICE_TIMEOUT": "2.5"}
    first = Served(tmp_path, **env)
    client = browser(first)
    citizen = Citizen(client)           # type: ignore[arg-type]
    citizen.sign_in()
    citizen.walk_to_confirm()
    cookies, csrf = dict(client.cookies.items()), citizen.csrf

    def press_submit() -> None:
        try:
            client.post("/j/adult/confirm", data={"_csrf": csrf, "_action": "button:0"})
        except httpx.HTTPError:
            pass                        # the connection dies with the worker

    pressing = threading.Thread(target=press_submit)
    pressing.start()
    watcher = open_store(database)
    deadline = time.monotonic() + 15
    while not watcher.applications_of(owner_key()) and time.monotonic() < deadline:
        time.sleep(0.05)                # until the application is claimed; the province then takes 4 s to answer
    watcher.close()
    first.kill()
    pressing.join(timeout=10)
    client.close()

    second = Served(tmp_path, **{**env, "YSS_SIM_LATENCY": "0"})
    try:
        again = browser(second)
        again.cookies.update(cookies)
        back = Citizen(again)           # type: ignore[arg-type]
        page = back.get("/j/adult/confirm")
        assert "正在提交" in page.text, page.text[:300]
        deadline = time.monotonic() + 10
        while "继续提交" not in page.text and time.monotonic() < deadline:     # the lost request's lease runs out
            time.sleep(0.5)
            page = back.get("/j/adult/confirm")
        assert "继续提交" in page.text and "不会重复申请" in page.text
        done = back.post("/j/adult/confirm", {"_action": "button:0"})
        assert done.url.path == "/j/adult/result/submitted", done.text[:300]
        assert "您已成功提交申请" in done.text
    finally:
        again.close()
        second.stop()
    store = open_store(database)
    try:
        owner = owner_key()
        applications = store.applications_of(owner)
        assert [a.status for a in applications] == ["accepted"]
    finally:
        store.close()


def owner_key() -> str:
    """The demo citizen's opaque key as the server made it (with the test server's secret)."""
    from renderer.services.simulator import Personas
    personas = Personas(Path(__file__).resolve().parents[2] / "data" / "personas.yaml", b"serving-test")
    return personas.by_number[ZHANG].identity.key
