"""申请信息 on PostgreSQL with one worker and with two, under wrk, side by side in one run: requests/s and the ratio.

Each wrk thread is one signed-in citizen (a session and a draft of their own); GET renders the page, POST presses
下一步 with 民族 missing, so every POST validates, saves the draft (a versioned UPDATE) and renders the errors.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import urllib.parse
from pathlib import Path

import httpx2 as httpx

from tests.bench.report import add_figure, add_note, step
from tests.bench.uploads import extra_citizens
from tests.bench.walk import Walker, walk_to_details
from tests.pg import throwaway_database
from tests.served import Served

CITIZENS = 4            # wrk threads, one session each
CONNECTIONS = 8         # two connections per session
SECONDS = 8
PAGE = "/j/adult/details"

LUA = r"""
local sessions = {%(sessions)s}
local index = 0
function setup(thread)
  index = index + 1
  local s = sessions[(index - 1) %% #sessions + 1]
  thread:set("cookie", s[1])
  thread:set("body", s[2])
end
function request()
  if wrk.method == "POST" then
    return wrk.format("POST", "%(page)s", {["Cookie"] = cookie,
      ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
  end
  return wrk.format("GET", "%(page)s", {["Cookie"] = cookie})
end
"""


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _sessions(base: str, numbers: list[str]) -> list[tuple[str, str]]:
    """Walk each citizen to 申请信息; their cookie header and the POST body that fails on 民族 alone."""
    out = []
    for i, number in enumerate(numbers):
        with httpx.Client(base_url=base, timeout=30) as client:
            walker = Walker(client)
            form = walk_to_details(walker, number, phone=f"1360001{i:04d}")
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            version = re.search(r'name="_version" value="(\d+)"', client.get(PAGE).text)
            body = urllib.parse.urlencode({**form, "_csrf": walker.csrf,
                                           **({"_version": version.group(1)} if version else {})})
            out.append((cookie, body))
    return out


def _cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]          # idle + iowait
    return sum(values) - idle, sum(values)


def _wrk(base: str, script: Path) -> tuple[float, int, float]:
    """One bounded wrk run on loopback: requests/s, answers that were not 2xx/3xx, and the machine's CPU use."""
    busy_before, total_before = _cpu_ticks()
    run = subprocess.run(["wrk", "-t", str(CITIZENS), "-c", str(CONNECTIONS), "-d", f"{SECONDS}s", "--timeout", "10s",
                          "-s", str(script), base + PAGE], capture_output=True, text=True, timeout=SECONDS + 60)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", run.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", run.stdout)
    busy_after, total_after = _cpu_ticks()
    if not rate:
        raise RuntimeError(f"wrk printed no rate:\n{run.stdout}\n{run.stderr}")
    cpu = (busy_after - busy_before) / max(1, total_after - total_before)
    return float(rate.group(1)), int(errors.group(1)) if errors else 0, cpu


def _measure(workers: int) -> dict[str, float]:
    with throwaway_database("yss_bench") as url, tempfile.TemporaryDirectory(prefix="yss-bench-workers-") as tmp:
        personas, numbers = extra_citizens(Path(tmp), CITIZENS)
        server = Served(Path(tmp), YSS_DB=url, YSS_WORKERS=str(workers), YSS_PERSONAS=str(personas))
        try:
            base = f"http://127.0.0.1:{server.port}"
            sessions = _sessions(base, numbers)
            rates = {}
            for method in ("GET", "POST"):
                script = Path(tmp) / f"{method}.lua"
                entries = ", ".join("{" + _lua_string(c) + ", " + _lua_string(b) + "}" for c, b in sessions)
                script.write_text(f'wrk.method = "{method}"\n' + LUA % {"sessions": entries, "page": PAGE})
                rate, not_ok, cpu = _wrk(base, script)
                rates[method] = rate
                rates[f"{method} not 2xx"] = not_ok
                rates[f"{method} cpu"] = cpu
            return rates
        finally:
            server.stop()


def bench_workers() -> None:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (make bench installs Debian's wrk)")
    results = {}
    for workers in (1, 2):
        step(f"申请信息 on PostgreSQL, {workers} worker(s), wrk {SECONDS} s per method")
        results[workers] = _measure(workers)
    for method in ("GET", "POST"):
        one, two = results[1][method], results[2][method]
        add_figure(f"PostgreSQL 1 worker: {method} 申请信息", one, "req/s")
        add_figure(f"PostgreSQL 2 workers: {method} 申请信息", two, "req/s")
        add_figure(f"2 workers / 1 worker: {method}", two / one if one else 0.0, "×",
                   note=f"machine CPU busy during the runs: {results[1][method + ' cpu']:.0%} with 1 worker, "
                        f"{results[2][method + ' cpu']:.0%} with 2 (2 cores, shared with wrk and PostgreSQL)")
    add_note(f"Workers rows: wrk -t{CITIZENS} -c{CONNECTIONS} -d{SECONDS}s on loopback, {CITIZENS} citizens each with "
             "their own session and draft; POSTs answer 422 by design (民族 missing): "
             f"non-2xx POSTs 1 worker {results[1]['POST not 2xx']:.0f}, 2 workers {results[2]['POST not 2xx']:.0f}.")
