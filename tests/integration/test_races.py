"""Races seen from the outside, over HTTP against real servers: more requests than connections, a double click on
确认提交, an edit while the application is being sent, and one person one card across journeys and sign-ins."""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import delete

from renderer.store import open_store
from renderer.store.sql import SqlStore
from renderer.store.tables import applications, records, sessions
from tests.integration.conftest import DETAILS, ZHANG, Citizen
from tests.pg import throwaway_database
from tests.served import Served

WANG_FANG, LI_XIAOHONG = "440105198502114020", "440105201208203422"
HAS_APPLICATION = "您已存在社保卡申领记录,请勿重复申请,可通过【制卡进度查询】查看办理进度"


@pytest.fixture
def postgres() -> Iterator[str]:
    with throwaway_database() as url:
        yield url


@pytest.fixture
def database(each_engine: str) -> str:
    return each_engine


OPENED: list[httpx.Client] = []


@pytest.fixture(autouse=True)
def _browsers_closed() -> Iterator[None]:
    yield
    while OPENED:
        OPENED.pop().close()


def browser(server: Served) -> httpx.Client:
    OPENED.append(httpx.Client(base_url=f"http://127.0.0.1:{server.port}", follow_redirects=True, timeout=60))
    return OPENED[-1]


def signed_in(server: Served, number: str = ZHANG) -> Citizen:
    citizen = Citizen(browser(server))      # type: ignore[arg-type]
    citizen.sign_in(number)
    return citizen


def twin(citizen: Citizen, server: Served) -> Citizen:
    """Another tab of the same browser: the same cookies, its own pages."""
    other = Citizen(browser(server))        # type: ignore[arg-type]
    other.client.cookies.update(dict(citizen.client.cookies.items()))
    other.csrf = citizen.csrf
    return other


def statuses(database: str) -> list[tuple[str, str, str]]:
    store = open_store(database)
    try:
        with store.db.read() as conn:
            rows = conn.execute(applications.select().order_by(applications.c.id)).all()
        return [(row.journey, row.applicant, row.status) for row in rows]
    finally:
        store.close()


def test_more_concurrent_requests_than_the_pool_has_connections_all_complete(tmp_path: Path, postgres: str) -> None:
    """YSS_DB_POOL=2 gives a worker 2 connections and 2 in overflow; 16 requests at once on 信息确认 (which reads the
    session, the draft and the application) and 16 presses of 确认提交 each use one at a time, so none waits for a
    second connection that the others hold (before, each held one and asked for another: 30 s, then errors)."""
    server = Served(tmp_path, YSS_DB=postgres, YSS_DB_POOL="2", YSS_SIM_LATENCY="submit=0.3")
    try:
        citizen = signed_in(server)
        citizen.walk_to_confirm()
        tabs = [twin(citizen, server) for _ in range(16)]
        with ThreadPoolExecutor(16) as pool:
            shown = list(pool.map(lambda tab: tab.client.get("/j/adult/confirm").status_code, tabs))
            pressed = list(pool.map(lambda tab: tab.client.post(
                "/j/adult/confirm", data={"_csrf": citizen.csrf, "_action": "button:0"}), tabs))
        assert shown == [200] * 16       # before, each held one connection and waited for a second: 30 s, then 500
        assert all(r.status_code in (200, 202) for r in pressed), [r.status_code for r in pressed]
        assert sum("提交成功" in r.text for r in pressed) >= 1
        assert statuses(postgres) == [("adult", ZHANG, "accepted")]
    finally:
        server.stop()


def test_a_double_click_on_submit_reads_submitting_on_both_engines(tmp_path: Path, database: str) -> None:
    server = Served(tmp_path, YSS_DB=database, YSS_SIM_LATENCY="submit=1")
    try:
        citizen = signed_in(server)
        citizen.walk_to_confirm()
        tabs = [twin(citizen, server) for _ in range(6)]
        gate = threading.Barrier(6)

        def press(tab: Citizen) -> str:
            gate.wait()
            return str(tab.client.post("/j/adult/confirm", data={"_csrf": citizen.csrf, "_action": "button:0"}).text)

        with ThreadPoolExecutor(6) as pool:
            pages = list(pool.map(press, tabs))
        assert sum("提交成功" in page for page in pages) >= 1
        assert all("提交成功" in page or "正在提交" in page for page in pages), \
            [re.findall(r"<h1[^>]*>([^<]+)", page) for page in pages]
        assert not any("该申领人已有一笔申请" in page for page in pages)
        assert statuses(database) == [("adult", ZHANG, "accepted")]
    finally:
        server.stop()


def test_an_edit_while_the_application_is_sent_is_refused_not_dropped(tmp_path: Path, database: str) -> None:
    """Tab A presses 确认提交 (the province takes 2 s); tab B changes 服务银行 meanwhile. B is told its change was not
    saved; the application carries the bank A sent; the new draft after acceptance holds nothing of B's."""
    server = Served(tmp_path, YSS_DB=database, YSS_SIM_LATENCY="submit=2")
    try:
        tab_a = signed_in(server)
        tab_a.walk_to_confirm()
        tab_b = twin(tab_a, server)
        tab_b.get("/j/adult/details?edit=1")
        sending = threading.Thread(target=lambda: tab_a.post("/j/adult/confirm", {"_action": "button:0"}))
        sending.start()
        deadline = time.monotonic() + 10
        while not statuses(database) and time.monotonic() < deadline:
            time.sleep(0.05)
        edit = tab_b.post("/j/adult/details?edit=1", {**DETAILS, "_version": tab_b.version(), "bank": "农业银行"})
        sending.join(timeout=20)
        assert "正在提交" in edit.text and "本次修改未保存" in edit.text, edit.text[:500]
        assert 'content="3;url=/j/adult/confirm' in edit.text      # it looks again at 信息确认, not at this page
        assert "提交成功" in tab_a.last.text
        store = open_store(database)
        try:
            [application] = store.applications_of(owner_of_the_one_session(store))
            assert application.status == "accepted" and "工商银行" in str(application.payload)
            assert "农业银行" not in str(application.payload)
            draft = store.load_draft(application.owner, "adult")
            assert draft is not None and "农业银行" not in str(draft.state)
        finally:
            store.close()
    finally:
        server.stop()


def owner_of_the_one_session(store: SqlStore) -> str:
    """The one citizen who has signed in on this store."""
    with store.db.read() as conn:
        return str(conn.execute(sessions.select()).first().owner)


def test_one_person_one_card_across_journeys_and_sign_ins(tmp_path: Path, database: str) -> None:
    server = Served(tmp_path, YSS_DB=database)
    try:
        # 李小红 (born 2012) signed in herself: the adult journey points her guardian to 代未成年子女办理
        child = signed_in(server, LI_XIAOHONG)
        child.get("/j/adult")
        child.post("/j/adult/guide", {"_action": "button:0", "agreed": "1"})
        assert "未满16周岁" in child.last.text and "代未成年子女办理" in child.last.text
        assert statuses(database) == []
        # 张伟 applies once; a second application, on a new sign-in, stops at 资格校验 with the manual's message
        first = signed_in(server)
        first.walk_to_confirm()
        first.post("/j/adult/confirm", {"_action": "button:0"})
        assert "提交成功" in first.last.text
        again = signed_in(server)
        again.through_eligibility()
        assert HAS_APPLICATION in again.last.text and 'action="/status"' in again.last.text     # 制卡进度查询
        # 王芳 applies for 李小明; applying for him again stops at the minor's 资格校验
        guardian = signed_in(server, WANG_FANG)
        guardian.walk_minor_to_confirm()
        guardian.post("/j/minor/confirm", {"_action": "button:0"})
        assert "提交成功" in guardian.last.text
        guardian.post("/j/minor/restart", {})
        guardian.post("/j/minor/guide", {"_action": "button:0", "agreed": "1"})
        guardian.post("/j/minor/eligibility", {"_action": "button:0", "guardian_relationship": "母亲",
                                               "applicant_name": "李小明", "applicant_id_type": "户口簿",
                                               "applicant_id_number": "440105201503153317", "intended_city": "广州市"})
        assert HAS_APPLICATION in guardian.last.text
        assert statuses(database) == [("adult", ZHANG, "accepted"), ("minor", "440105201503153317", "accepted")]
    finally:
        server.stop()


def test_the_store_holds_one_card_even_when_the_province_forgets(tmp_path: Path, database: str) -> None:
    """The province's memory wiped between two walks (a restarted simulator): the store's constraint still refuses
    the second application at 确认提交 with the same popup, and nothing new is stored."""
    server = Served(tmp_path, YSS_DB=database)
    try:
        first = signed_in(server)
        first.walk_to_confirm()
        first.post("/j/adult/confirm", {"_action": "button:0"})
        assert "提交成功" in first.last.text
        again = signed_in(server)
        forget_the_provinces_cards(database)
        again.walk_to_confirm()
        again.post("/j/adult/confirm", {"_action": "button:0"})
        assert HAS_APPLICATION in again.last.text
        assert statuses(database) == [("adult", ZHANG, "accepted")]
    finally:
        server.stop()


def forget_the_provinces_cards(database: str) -> None:
    store = open_store(database)
    try:
        with store.db.write() as conn:
            conn.execute(delete(records).where(records.c.kind.in_(("sim.card", "sms"))))     # a new simulator
    finally:
        store.close()
