"""GET changes nothing: prefetchers, link scanners and a reload may open any address as often as they like.

Every journey is walked over HTTP in-process (each page shown, posted, popups, the face check's screen, 信息确认,
the results, 制卡进度查询 and the receipts), and in each state the walk reaches every address of every journey
(each page, with ?edit=1 and ?why=1, its verification screen, each result, the journey's own address, and the
addresses each POST redirected to) is opened with GET and with HEAD. Every table of the store, every row and
column, is compared before and after each such request; only sessions.last_seen_at may move (the session's
access bookkeeping, written at most once a minute: renderer/store/sessions.py).
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, select
from sqlalchemy import text as sql_text
from starlette.testclient import TestClient

from renderer.journey.engine import Engine
from renderer.journey.verification import PASSES, pass_key
from renderer.store.tables import sessions
from renderer.web.app import create_app
from tests.integration.conftest import ZHANG, Citizen, settings_for

WANG_FANG = "440105198502114020"
JIANG_LIZHI = "440304198709234462"       # holds a card of another city: the one-person-one-card popup, then 清理
IGNORED = {("sessions", "last_seen_at")}

Snapshot = dict[str, list[tuple[Any, ...]]]


def snapshot(app: Any) -> Snapshot:
    """Every row of every table (alembic's included), as sorted tuples, without the ignored columns."""
    with app.state.store.db.read() as conn:
        names = sorted(inspect(conn).get_table_names())
        found: Snapshot = {}
        for name in names:
            columns = [c["name"] for c in inspect(conn).get_columns(name) if (name, c["name"]) not in IGNORED]
            quoted = ", ".join(f'"{c}"' for c in columns)
            rows = conn.execute(sql_text(f'SELECT {quoted} FROM "{name}"')).all()
            found[name] = sorted((tuple(row) for row in rows), key=repr)
    return found


def changes(before: Snapshot, after: Snapshot) -> list[str]:
    said = []
    for name in sorted(set(before) | set(after)):
        was, now = before.get(name, []), after.get(name, [])
        if was != now:
            gone = [r for r in was if r not in now][:3]
            new = [r for r in now if r not in was][:3]
            said.append(f"{name}: {len(was)} -> {len(now)} rows; gone {_short(gone)}; new {_short(new)}")
    return said


def _short(rows: list[tuple[Any, ...]]) -> str:
    return repr([tuple(str(v)[:80] for v in row) for row in rows])[:600]


class Watched(Citizen):
    """A citizen whose every GET and HEAD (the redirects a POST answers with included) is checked: the store is
    the same after it as before."""

    def __init__(self, client: TestClient, app: Any) -> None:
        super().__init__(client)
        self.app = app
        self.seen: set[str] = set()          # addresses the walk was sent to (flash tokens and all)
        self.watching = True

    def read(self, url: str, method: str = "GET") -> Any:
        before = snapshot(self.app)
        answer = self.client.request(method, url, follow_redirects=False)
        after = snapshot(self.app)
        changed = changes(before, after) if self.watching else []
        assert not changed, f"{method} {url} ({answer.status_code}) changed the store: {changed}"
        return answer

    def get(self, url: str) -> Any:
        answer = self.read(url)
        for _ in range(10):
            location = answer.headers.get("location") or answer.headers.get("hx-redirect")
            if not location:
                break
            self.seen.add(location)
            answer = self.read(location)
        self.last = answer
        self._token(answer.text)
        return answer

    def post(self, url: str, data: dict[str, str], files: dict[str, Any] | None = None) -> Any:
        answer = self.client.post(url, data={"_csrf": self.csrf, **data}, files=files, follow_redirects=False)
        location = answer.headers.get("location")
        if location:
            self.seen.add(location)
            return self.get(location)
        self.last = answer
        self._token(answer.text)
        return answer

    def sweep(self, head: bool = False) -> None:
        """Every address of every journey, and every address the walk has been sent to, opened again."""
        for url in [*self.addresses(), *sorted(self.seen)]:
            self.read(url)
            if head:
                self.read(url, "HEAD")

    def addresses(self) -> Iterator[str]:
        yield from ("/", "/login", "/status", "/healthz", "/readyz")
        definition = self.app.state.engine.definition
        for journey in definition.journeys.values():
            yield f"/j/{journey.id}"
            yield f"/schemas/applications/{journey.id}.json"
            for page in journey.pages:
                base = f"/j/{journey.id}/{page.id}"
                yield from (base, f"{base}?edit=1", f"{base}?edit=1&why=1", f"{base}/verify", f"{base}/verify?edit=1")
            for result in journey.results:
                yield f"/j/{journey.id}/result/{result}"
        store = self.app.state.store
        with store.db.read() as conn:
            uploads = conn.execute(sql_text("SELECT id FROM uploads")).all()
            references = conn.execute(sql_text("SELECT reference FROM applications WHERE reference IS NOT NULL")).all()
        for (upload,) in uploads:
            yield from (f"/uploads/{upload}", f"/uploads/{upload}?size=thumb")
        for (reference,) in references:
            yield f"/receipts/{reference}"


def receipt_pdfs(citizen: Watched) -> None:
    with citizen.app.state.store.db.read() as conn:
        references = conn.execute(sql_text("SELECT reference FROM applications WHERE reference IS NOT NULL")).all()
    for (reference,) in references:
        citizen.read(f"/receipts/{reference}.pdf")


@pytest.fixture(params=["sqlite", "postgresql"])
def watched(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Watched]:
    if request.param == "sqlite":
        database: Any = tmp_path / "app.sqlite3"
        app = create_app(settings_for(database))
        with TestClient(app, follow_redirects=False) as client:
            yield Watched(client, app)
        return
    from tests.pg import throwaway_database
    with throwaway_database() as url:
        app = create_app(dataclasses.replace(settings_for(tmp_path / "unused.sqlite3"), database=url))
        with TestClient(app, follow_redirects=False) as client:
            yield Watched(client, app)
        app.state.store.close()


def _signed_in_identity(citizen: Watched, number: str) -> Any:
    app = citizen.app
    identity = app.state.services.sign_in.sign_in(number)
    with app.state.store.db.read() as conn:
        session_id = conn.execute(select(sessions.c.id_hash).where(sessions.c.owner == identity.key,
                                                              sessions.c.revoked_at.is_(None))).scalar_one()
    return dataclasses.replace(identity, session=session_id)


def test_no_get_of_the_adult_journey_changes_the_store(watched: Watched) -> None:
    citizen = watched
    citizen.sign_in()
    citizen.sweep(head=True)                                  # signed in, nothing started
    citizen.get("/j/adult")
    citizen.post("/j/adult/guide", {"_action": "button:0"})          # not agreed: the page again, with its error
    citizen.post("/j/adult/guide", {"_action": "button:0", "agreed": "1"})
    assert citizen.last.url.path == "/j/adult/guide/verify" and "模拟核验通过" in citizen.last.text
    citizen.sweep()                                           # the check begun, not answered
    citizen.post(str(citizen.last.url), {"result": "pass"})
    citizen.sweep()
    citizen.walk_to_confirm(until="pickup")                   # 获取制卡相片 shown (the system photo) on the way
    citizen.sweep()
    citizen.post("/j/adult/pickup", {"_action": "button:0", "pickup_method": "网点领卡", "branch": "gz-lw-zhanqianlu"})
    assert citizen.last.url.path == "/j/adult/confirm"
    citizen.sweep()
    # the face check's pass gone (expired): a page that needs it asks for it, and only a POST begins it
    app = citizen.app
    app.state.store.records.remove(PASSES, pass_key(_signed_in_identity(citizen, ZHANG), "face_check"))
    shown = citizen.get("/j/adult/confirm")
    assert shown.url.path == "/j/adult/confirm/verify" and "开始人脸核验" in shown.text
    citizen.sweep()
    begun = citizen.post("/j/adult/confirm/verify", {"_action": "begin"})
    assert "模拟核验通过" in begun.text
    citizen.post("/j/adult/confirm/verify", {"result": "pass"})
    assert citizen.last.url.path == "/j/adult/confirm"
    citizen.sweep()
    done = citizen.post("/j/adult/confirm", {"_action": "button:0"})
    assert done.url.path == "/j/adult/result/submitted", done.url
    citizen.sweep(head=True)
    receipt_pdfs(citizen)


def test_no_get_of_the_minor_journey_changes_the_store(watched: Watched) -> None:
    citizen = watched
    citizen.sign_in(WANG_FANG)
    citizen.walk_minor_to_confirm()
    citizen.sweep()


def test_no_get_of_the_cleanup_journey_or_its_popup_changes_the_store(watched: Watched) -> None:
    citizen = watched
    citizen.sign_in(JIANG_LIZHI)
    citizen.get("/j/adult")
    citizen.post("/j/adult/guide", {"_action": "button:0", "agreed": "1"})
    citizen.post(str(citizen.last.url), {"result": "pass"})
    popup = citizen.post("/j/adult/eligibility", {"_action": "button:0", "intended_city": "广州市"})
    assert 'role="alertdialog"' in popup.text
    citizen.sweep()
    # the popup's 确认 enters 一人一卡清理 remembering where to come back: a POST (a form), never a link
    entry = re.search(r'<form method="post" action="(/j/cleanup\?return=[^"]+)"', popup.text)
    assert entry, "the popup's 确认 is not a POST"
    citizen.post(entry.group(1).replace("&amp;", "&"), {})
    assert citizen.last.url.path == "/j/cleanup/guide"
    citizen.sweep()
    citizen.post("/j/cleanup/guide", {"_action": "button:0", "agreed": "1"})
    assert citizen.last.url.path == "/j/cleanup/cards", citizen.last.url
    citizen.sweep()
    citizen.post("/j/cleanup/cards", {"_action": "button:0"})
    assert citizen.last.url.path == "/j/cleanup/review", citizen.last.url
    citizen.sweep()
    citizen.post("/j/cleanup/review", {"_action": "button:0", "_confirmed": "1"})
    assert citizen.last.url.path == "/j/cleanup/result/cleaned", citizen.last.url
    citizen.sweep()


def test_an_answer_the_draft_missed_is_shown_by_a_get_and_recorded_by_a_post(
        watched: Watched, monkeypatch: pytest.MonkeyPatch) -> None:
    """确认提交 answered, then the worker died before the draft took the answer: 信息确认 opened again shows that
    the result came (a GET records nothing), and 查看办理结果 (a POST) records it and shows it."""
    citizen = watched
    citizen.sign_in()
    citizen.watching = False          # the walk there is the other tests' (here: the state after the crash)
    citizen.walk_to_confirm()
    citizen.watching = True
    real_route = Engine._route

    def dies_once(self: Engine, *args: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(Engine, "_route", real_route)
        raise RuntimeError("the worker died after the province answered")

    monkeypatch.setattr(Engine, "_route", dies_once)
    with pytest.raises(RuntimeError):
        citizen.post("/j/adult/confirm", {"_action": "button:0"})
    shown = citizen.get("/j/adult/confirm")          # checked: the store is as it was
    assert shown.status_code == 200 and "查看办理结果" in shown.text, shown.text[-2000:]
    citizen.sweep()
    done = citizen.post("/j/adult/confirm", {})
    assert done.url.path == "/j/adult/result/submitted", done.url
    owner = citizen.app.state.services.sign_in.sign_in(ZHANG).key
    assert [a.status for a in citizen.app.state.store.applications_of(owner)] == ["accepted"]
