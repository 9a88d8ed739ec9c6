"""申请信息 served by the engine against the same page written by hand on the same stack, in one run: requests/s of
each under wrk (one uvicorn worker each, loopback, alternating, several rounds) and the ratios; and the per-page cost
of a generated 100-page journey against the real one.

GET renders the page; POST presses 下一步 with 民族 missing (the realistic error path: validate, save the draft,
render the errors). Redirects are not followed, so a POST the engine answers with 303 is measured alone.
"""
from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

import httpx2 as httpx

from tests.bench.report import add_figure, add_note, step
from tests.bench.uploads import extra_citizens
from tests.bench.walk import CSRF, Walker, walk_to_details
from tests.bench.workers import LUA as WORKERS_LUA
from tests.served import ROOT, Served, free_port

CITIZENS = 4            # wrk threads, one session each
CONNECTIONS = 8
SECONDS = 2             # per wrk run
ROUNDS = 5              # each round runs every target once per method, in turn (medians: the machine is noisy)
PAGE = "/j/adult/details"
EXTRA_PAGES = 93        # the adult journey has 7: 100 in all

# The wrk script: one session per thread, GET or the POST body (the workers section's own).
LUA = WORKERS_LUA

Sessions = list[tuple[str, str]]       # (Cookie header, POST body) per citizen


def _lua(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _engine_sessions(base: str, numbers: list[str]) -> Sessions:
    out = []
    for i, number in enumerate(numbers):
        with httpx.Client(base_url=base, timeout=30) as client:
            walker = Walker(client)
            form = walk_to_details(walker, number, phone=f"1360001{i:04d}")
            version = re.search(r'name="_version" value="(\d+)"', client.get(PAGE).text)
            body = {**form, "_csrf": walker.csrf, **({"_version": version.group(1)} if version else {})}
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            out.append((cookie, urllib.parse.urlencode(body)))
    return out


def _handwritten_sessions(base: str, forms: Sessions) -> Sessions:
    """The same citizens on the hand-written page: its own session and CSRF token, the same failing form."""
    out = []
    for i, (_, engine_body) in enumerate(forms):
        with httpx.Client(base_url=base, timeout=30) as client:
            phone = dict(urllib.parse.parse_qsl(engine_body))["phone"]
            csrf = client.get("/bench/sign-in", params={"owner": f"citizen-{i}", "phone": phone}).text
            body = {**dict(urllib.parse.parse_qsl(engine_body)), "_csrf": csrf}
            client.post(PAGE, data=body, follow_redirects=True)      # the answers so far, as the engine's walk left
            out.append(("; ".join(f"{k}={v}" for k, v in client.cookies.items()), urllib.parse.urlencode(body)))
    return out


def _normalised(html: str) -> str:
    """The page's <main> (the head's scripts are not the page's), without per-session tokens, countdowns and the
    citizen's own name and number."""
    html = html[html.find("<main"):html.find("</main>")]
    html = CSRF.sub('name="_csrf" value=""', html)
    html = re.sub(r'"X-CSRF-Token": "[^"]*"', '"X-CSRF-Token": ""', html)
    html = re.sub(r'name="_version" value="\d+"', 'name="_version" value=""', html)
    html = re.sub(r"\d+秒后重新发送|data-countdown=\"\d+\"", "", html)
    html = re.sub(r'(class="readonly">)[^<]*<', r"\1<", html)      # the citizen's own (masked) name and number
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def _same_page(engine: tuple[str, str], handwritten: tuple[str, str]) -> None:
    """The comparison is fair only if both serve the same page: say where they differ, if they do."""
    for method, ours, theirs in (("GET", engine[0], handwritten[0]), ("POST", engine[1], handwritten[1])):
        a, b = _normalised(ours), _normalised(theirs)
        if a != b:
            at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            add_note(f"Side by side: the hand-written {method} page differs from the engine's at character {at}: "
                     f"engine …{a[max(0, at - 60):at + 60]}… hand-written …{b[max(0, at - 60):at + 60]}…")


SERVER_CPU, LOAD_CPU = 0, 1     # with two or more cores: each server on one, wrk on another, so neither's
                                # scheduling moves the other about (the figures were noisy by ±20 % without)


def _pinned() -> bool:
    return len(os.sched_getaffinity(0)) >= 2 and shutil.which("taskset") is not None


def _pin(pid: int) -> None:
    """Every thread of the server process on SERVER_CPU (threads it makes later inherit it)."""
    if _pinned():
        for task in Path(f"/proc/{pid}/task").iterdir():
            os.sched_setaffinity(int(task.name), {SERVER_CPU})


def _wrk(base: str, script: Path) -> float:
    """Requests/s of one bounded wrk run (the answers' status was checked once before, by _pages)."""
    pin = ["taskset", "-c", str(LOAD_CPU)] if _pinned() else []
    run = subprocess.run([*pin, "wrk", "-t", str(CITIZENS), "-c", str(CONNECTIONS), "-d", f"{SECONDS}s", "--timeout", "10s",
                          "-s", str(script), base + PAGE], capture_output=True, text=True, timeout=SECONDS + 60)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", run.stdout)
    if not rate:
        raise RuntimeError(f"wrk printed no rate:\n{run.stdout}\n{run.stderr}")
    return float(rate.group(1))


def _script(folder: Path, name: str, method: str, sessions: Sessions) -> Path:
    entries = ", ".join("{" + _lua(c) + ", " + _lua(b) + "}" for c, b in sessions)
    path = folder / f"{name}-{method}.lua"
    path.write_text(f'wrk.method = "{method}"\n' + LUA % {"sessions": entries, "page": PAGE})
    return path


def long_forms(folder: Path) -> Path:
    """A copy of forms/ whose adult journey has 100 pages: generated pages between 申请信息 and 领卡方式."""
    copy = folder / "forms"
    shutil.copytree(ROOT / "forms", copy)
    adult = copy / "journeys" / "adult.yaml"
    pages = "".join(
        f"  - id: extra_{n:02d}\n    title: 补充信息{n}\n    step: 申请信息\n    fields:\n"
        f"      - {{id: extra_{n:02d}_text, kind: text, label: 补充说明{n}, required: true, max_length: 50}}\n"
        f"      - {{id: extra_{n:02d}_job, kind: select, label: 补充职业{n}, options: lists.occupations, required: true}}\n"
        f"      - {{id: extra_{n:02d}_note, kind: readonly, label: 补充信息{n}, value: person.name, display: mask_name}}\n"
        f"    buttons:\n      - label: 下一步\n        on:\n          ok: {{next: true}}\n\n"
        for n in range(1, EXTRA_PAGES + 1))
    text = adult.read_text(encoding="utf-8")
    if "  - include: details\n" not in text:
        raise RuntimeError("forms/journeys/adult.yaml has no '- include: details' to put the generated pages after")
    adult.write_text(text.replace("  - include: details\n", "  - include: details\n\n" + pages, 1), encoding="utf-8")
    return copy


class Handwritten:
    """The hand-written page under uvicorn, one worker, on a free port."""

    def __init__(self, folder: Path, flag: str) -> None:
        """`flag`: --prg (the bare page, answering a failing POST with 303) or --product-stack."""
        self.port = free_port()
        name = f"handwritten{flag.replace('--', '-')}"
        self.log = (folder / f"{name}.log").open("wb")
        self.process = subprocess.Popen([sys.executable, "-m", "tests.bench.handwritten",
                                         str(folder / f"{name}.sqlite3"), str(self.port), flag],
                                        cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                httpx.get(f"http://127.0.0.1:{self.port}{PAGE}", timeout=1)
                return
            except httpx.TransportError:
                if self.process.poll() is not None:
                    break
                subprocess.run(["sleep", "0.1"], check=False)
        self.stop()
        raise RuntimeError(f"the hand-written page did not start: {(folder / f'{name}.log').read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


HAND = "hand-written"
STACK = "hand-written, product stack"


def bench_side_by_side() -> None:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (make bench installs Debian's wrk)")
    with tempfile.TemporaryDirectory(prefix="yss-bench-sidebyside-") as name:
        tmp = Path(name)
        personas, numbers = extra_citizens(tmp, CITIZENS)
        (tmp / "real").mkdir()
        (tmp / "long").mkdir()
        real = Served(tmp / "real", YSS_PERSONAS=str(personas))
        long = Served(tmp / "long", YSS_PERSONAS=str(personas), YSS_FORMS=str(long_forms(tmp)))
        hands: list[Handwritten] = []
        try:
            step("side by side: walking the citizens to 申请信息 on the engine (real and 100-page journeys)")
            targets = {name: (base, _engine_sessions(base, numbers)) for name, base in
                       (("engine", f"http://127.0.0.1:{real.port}"), ("100 pages", f"http://127.0.0.1:{long.port}"))}
            engine_pages, prg = _pages(*targets["engine"])
            # the bare page answers a failing POST as the engine does (the page, or a 303); on the product's
            # stack it always redirects, as the product does
            for target, flag in ((HAND, "--prg" if prg else "--bare"), (STACK, "--product-stack")):
                hands.append(Handwritten(tmp, flag))
                base = f"http://127.0.0.1:{hands[-1].port}"
                targets[target] = (base, _handwritten_sessions(base, targets["engine"][1]))
                _same_page(engine_pages, _pages(*targets[target])[0])
            for process in (real.process, long.process, *(hand.process for hand in hands)):
                _pin(process.pid)
            rates = _measure(tmp, targets)
        finally:
            for hand in hands:
                hand.stop()
            long.stop()
            real.stop()
    _report(rates, prg)


def _measure(tmp: Path, targets: dict[str, tuple[str, Sessions]]) -> dict[tuple[str, str], list[float]]:
    rates: dict[tuple[str, str], list[float]] = {}
    runs = [("GET", "engine"), ("GET", HAND), ("GET", STACK), ("GET", "100 pages"),
            ("POST", "engine"), ("POST", HAND), ("POST", STACK)]
    for n in range(ROUNDS):
        step(f"side by side: round {n + 1} of {ROUNDS}, wrk {SECONDS} s × {len(runs)}")
        for method, target in (runs if n % 2 == 0 else runs[::-1]):     # every target early and late in turn
            base, sessions = targets[target]
            rate = _wrk(base, _script(tmp, re.sub(r"\W+", "-", target), method, sessions))
            rates.setdefault((method, target), []).append(rate)
    return rates


def _report(rates: dict[tuple[str, str], list[float]], prg: bool) -> None:
    median = {key: statistics.median(values) for key, values in rates.items()}
    for method in ("GET", "POST"):
        engine = median[(method, "engine")]
        add_figure(f"side by side: {method} 申请信息, engine", engine, "req/s")
        for target, wanted in ((HAND, "at least 1.0 wanted (issue 11)"),
                               (STACK, "the same obligations as the product: what interpreting YAML costs")):
            by_hand = median[(method, target)]
            add_figure(f"side by side: {method} 申请信息, {target}", by_hand, "req/s")
            add_figure(f"engine / {target}: {method}", _paired(rates[(method, "engine")], rates[(method, target)]), "×",
                       note=f"{wanted}; rounds engine {_rounds(rates[(method, 'engine')])}, "
                            f"{target} {_rounds(rates[(method, target)])}")
        add_figure(f"{STACK} / {HAND}: {method}", _paired(rates[(method, STACK)], rates[(method, HAND)]), "×",
                   note="what the product's obligations cost without any engine: the most an engine that costs "
                        "nothing could reach against the bare page")
    long_rate, real_rate = median[("GET", "100 pages")], median[("GET", "engine")]
    add_figure("100-page journey: GET cost per page / real journey's",
               _paired(rates[("GET", "engine")], rates[("GET", "100 pages")]),
               "×", limit=1.2, note=f"GET 申请信息 {long_rate:,.0f} req/s in a 100-page adult journey, "
                                    f"{real_rate:,.0f} req/s in the real one (7 pages)")
    add_note(f"Side by side: wrk -t{CITIZENS} -c{CONNECTIONS} -d{SECONDS}s on loopback, {ROUNDS} rounds alternating "
             "the targets, rates are medians and ratios the median of each round's ratio; "
             + (f"servers on CPU {SERVER_CPU}, wrk on CPU {LOAD_CPU}; " if _pinned() else "not pinned to CPUs; ")
             + "one uvicorn worker each (h11, SQLite), each citizen with a session and a draft "
             "of their own; POSTs fail on 民族 and are measured alone: "
             + ("all answer 303 (post/redirect/get), not followed. " if prg else "the bare page answers 422. ")
             + "The hand-written page on the product's stack (tests/bench/handwritten/product_stack.py) keeps what "
             "the bare one leaves out: sessions in the store, the product's middleware and JSON access log, the "
             "draft in the product's store, a POST's errors kept in the store, the face-check pass looked up.")


def _paired(ours: list[float], theirs: list[float]) -> float:
    """The median of each round's ratio: runs next to each other share the machine's mood of the moment, which
    moves every rate by ±30 % from round to round here."""
    return statistics.median(a / b for a, b in zip(ours, theirs, strict=True) if b) if any(theirs) else 0.0


def _rounds(values: list[float]) -> str:
    return ", ".join(f"{v:,.0f}" for v in values)


def _pages(base: str, sessions: Sessions) -> tuple[tuple[str, str], bool]:
    """The page a GET shows and the one the failing POST shows (following a 303), and whether it redirected."""
    cookie, body = sessions[0]
    with httpx.Client(base_url=base, timeout=30) as client:
        for pair in cookie.split("; "):
            client.cookies.set(*pair.split("=", 1))
        get = client.get(PAGE)
        post = client.post(PAGE, headers={"Content-Type": "application/x-www-form-urlencoded"}, content=body,
                           follow_redirects=True)
    redirected = bool(post.history) and post.history[0].status_code == 303
    if get.status_code != 200 or post.status_code != (200 if redirected else 422) or "请选择民族" not in post.text:
        raise RuntimeError(f"{base}: GET {PAGE} answered {get.status_code} (200 wanted), the failing POST "
                           f"{post.status_code} (422, or 303 then 200, with 请选择民族 wanted)")
    return (get.text, post.text), redirected
