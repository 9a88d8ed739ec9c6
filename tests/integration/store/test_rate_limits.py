"""Every limit takes its slot in the same locked transaction that decides, on both engines and across workers:
the sign-in limit (a slot taken before, given back by a known number), SMS resends, daily sends and wrong codes."""
from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from renderer.services.simulator import MAX_WRONG, SimulatedSms
from renderer.store.sql import SqlStore

WINDOW = dt.timedelta(minutes=10)
PHONE = "13600002819"


def at_once(count: int, attempt: Callable[[int], object]) -> list[object]:
    start = threading.Barrier(count)

    def go(n: int) -> object:
        start.wait()
        return attempt(n)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(go, range(count)))


def test_a_limit_that_counts_failures_keeps_exactly_the_failures(worker: Callable[[], SqlStore]) -> None:
    stores = [worker(), worker()]

    def attempt(n: int) -> str:
        records = stores[n % 2].records
        if not records.hit("login.fail", "addr", 10, WINDOW):
            return "paused"
        if n % 3 == 0:                          # a known number: its slot goes back
            records.give_back("login.fail", "addr")
            return "signed in"
        return "unknown"

    answers = at_once(24, attempt)
    counted = stores[0].records.get("login.fail", "addr")
    assert counted is not None and counted["n"] == answers.count("unknown") <= 10
    assert answers.count("paused") == 24 - answers.count("unknown") - answers.count("signed in")


def test_concurrent_resends_send_one_code(worker: Callable[[], SqlStore]) -> None:
    channels = [SimulatedSms(worker().records) for _ in range(2)]
    sent = at_once(16, lambda n: channels[n % 2].send_code(PHONE).ok)
    assert sent.count(True) == 1


def test_concurrent_wrong_codes_void_the_code_after_five(worker: Callable[[], SqlStore]) -> None:
    channels = [SimulatedSms(worker().records) for _ in range(2)]
    text = channels[0].send_code(PHONE).demo_text or ""
    code = text.split("验证码为")[1][:6]
    wrong = "000000" if code != "000000" else "111111"
    answers = at_once(16, lambda n: channels[n % 2].verify(PHONE, wrong))
    assert answers.count("wrong") == MAX_WRONG - 1 and answers.count("voided") == 16 - (MAX_WRONG - 1)
    assert channels[1].verify(PHONE, code) == "voided"
