"""Uploads under load: the real server (a subprocess) takes 8 concurrent worst-case uploads; its peak RSS.

Each upload is what a browser sends from 上传材料: a POST of the documents page with both sides of the ID card.
RSS comes from /proc/<pid>/status of the server (VmHWM: the peak since it started), since tracemalloc cannot
see Pillow's pixel buffers. A fresh server per case, so each peak is that case's alone.
`python -m tests.bench.uploads --root DIR` measures the product checked out in DIR (e.g. an older commit).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.bench.report import FIGURES, NOTES, PROBLEMS, add_figure, add_note, print_figures, step
from tests.bench.walk import JOURNEY, WalkBroken, Walker, field_errors, snippet, walk_to_documents
from tests.served import free_port
from tests.unit.uploads.worst_images import flat_png, textured_jpeg

ROOT = Path(__file__).resolve().parents[2]

CONCURRENT = 8
PEAK_LIMIT_MB = 1024                  # issue 8: peak RSS ≤ 1 GB under 8 concurrent worst-case uploads
SETTLE_S = 2.0                        # wait before reading "RSS after", so the server has finished its work
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)   # GB 11643 check digit

DECODE_SCRIPT = r"""
import json, sys
from renderer.uploads.images import ImageRejected, process_upload
def status():
    return {k: int(v.split()[0]) // 1024 for k, _, v in (l.partition(":") for l in open("/proc/self/status"))
            if k in ("VmHWM", "VmRSS")}
data = open(sys.argv[1], "rb").read()
before = status()
try:
    process_upload(data)
    outcome = "accepted"
except ImageRejected as exc:
    outcome = exc.code
print(json.dumps({"extra_mb": status()["VmHWM"] - before["VmRSS"], "outcome": outcome}))
"""


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[], bytes]
    filename: str
    content_type: str


CASES = (
    # The upload of issue 8: 165 KB that decodes to 40 M pixels of RGBA.
    Case("6300x6300 RGBA PNG", lambda: flat_png((6300, 6300)), "id.png", "image/png"),
    # The largest PNG the pipeline takes (ImageLimits.max_full_decode_pixels), in its most expensive mode.
    Case("4096x4096 RGBA PNG", lambda: flat_png((4096, 4096)), "id.png", "image/png"),
    # Progressive 4:4:4: libjpeg holds 6 bytes of coefficients per pixel, whatever the output scale.
    Case("4096x4096 progressive JPEG", lambda: textured_jpeg((4096, 4096), quality=95, progressive=True,
                                                             subsampling=0), "id.jpg", "image/jpeg"),
    # A 108 MP phone photo, taken on its side (EXIF orientation 6).
    Case("12000x9000 JPEG (108 MP)", lambda: textured_jpeg((12000, 9000), orientation=6), "id.jpg",
         "image/jpeg"),
)


def _python(root: Path) -> str:
    venv = root / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _id_number(serial: int) -> str:
    body = f"440106199{serial % 10}0101{101 + 2 * serial:03d}"   # Guangzhou 天河, born 199x-01-01, male
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS)) % 11]


def extra_citizens(folder: Path, count: int) -> tuple[Path, list[str]]:
    """The product's demo people plus `count` more mainland adults (one per session, so no two sessions share
    a draft), written as a personas file for YSS_PERSONAS; returns it and the new ID numbers."""
    from ruamel.yaml import YAML

    shipped = ROOT / "data" / "personas.yaml"
    base = Path(os.environ.get("YSS_PERSONAS") or shipped)
    people = YAML(typ="safe", pure=True).load(base.read_text(encoding="utf-8"))
    numbers = [_id_number(i) for i in range(count)]
    people["persons"] += [{"name": f"压测市民{i + 1}", "id_type": "居民身份证", "id_number": number,
                           "resident_type": "mainland", "phone": f"1360001{i:04d}", "system_photo": True,
                           "outcome": "eligible"} for i, number in enumerate(numbers)]
    path = folder / "personas.json"                  # JSON is YAML too
    path.write_text(json.dumps(people, ensure_ascii=False, default=str), encoding="utf-8")
    return path, numbers


class Server:
    """`python -m renderer.web` on a free port and a throwaway database, with `citizens` extra demo people."""

    def __init__(self, root: Path, citizens: int = CONCURRENT) -> None:
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._tmp = tempfile.TemporaryDirectory(prefix="yss-bench-uploads-")
        self._log = Path(self._tmp.name) / "server.log"
        self._personas, self.citizens = extra_citizens(Path(self._tmp.name), citizens)
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        env = {**os.environ, "YSS_HOST": "127.0.0.1", "YSS_PORT": str(self.port),
               "YSS_DB": str(Path(self._tmp.name) / "yss.sqlite3"), "YSS_PERSONAS": str(self._personas)}
        with self._log.open("wb") as log:
            self._process = subprocess.Popen([_python(self.root), "-m", "renderer.web"], cwd=self.root, env=env,
                                             stdout=log, stderr=subprocess.STDOUT)
        self._wait_until_serving()
        return self

    def _wait_until_serving(self, timeout_s: float = 60.0) -> None:
        import httpx2 as httpx

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise WalkBroken(f"the server exited with {self._process.returncode}: {self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/login", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise WalkBroken(f"the server did not answer /login within {timeout_s:.0f} s: {self.log_tail()}")

    def memory_mb(self) -> dict[str, float]:
        """VmHWM (peak RSS since start) and VmRSS of the server process, in MB."""
        assert self._process is not None
        with open(f"/proc/{self._process.pid}/status", encoding="ascii") as status:
            fields = dict(line.split(":", 1) for line in status if ":" in line)
        return {key: int(fields[key].split()[0]) / 1024 for key in ("VmHWM", "VmRSS")}

    def cpu_seconds(self) -> float:
        """User + system CPU time the server has used so far (all its threads)."""
        assert self._process is not None
        with open(f"/proc/{self._process.pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")   # utime, stime

    def log_tail(self, lines: int = 15) -> str:
        return " | ".join(self._log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def __exit__(self, *exc: object) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._tmp.cleanup()


def _sessions_on_documents(server: Server) -> list[Walker]:
    """One signed-in session per citizen of the server, each walked to the 上传材料 page."""
    import httpx2 as httpx

    walkers = []
    for person in server.citizens:
        walker = Walker(httpx.Client(base_url=server.url, timeout=300.0))
        walk_to_documents(walker, person)
        walkers.append(walker)
    return walkers


def _upload_all(walkers: list[Walker], case: Case, data: bytes) -> tuple[float, list[Any]]:
    """Every session posts the documents page at the same moment; (seconds until the last answer, answers)."""
    url = f"/j/{JOURNEY}/documents"
    form = {"documents.choice": "id_card", "_action": "button:0"}
    answers: list[Any] = [None] * len(walkers)
    start = threading.Barrier(len(walkers) + 1)

    def post(i: int, walker: Walker) -> None:
        files = {f"documents.id_card.{side}": (case.filename, data, case.content_type) for side in (0, 1)}
        start.wait()
        try:
            answers[i] = walker.client.post(url, data={**form, "_csrf": walker.csrf}, files=files,
                                            follow_redirects=False)
        except Exception as exc:  # noqa: BLE001 - a dropped connection is a figure too, not a crash of the bench
            answers[i] = exc

    threads = [threading.Thread(target=post, args=(i, w)) for i, w in enumerate(walkers)]
    for thread in threads:
        thread.start()
    start.wait()
    t0 = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - t0, answers


def _outcomes(answers: list[Any]) -> str:
    """E.g. `8× 303 → /j/adult/photo` or `8× 422 正面:图片尺寸过大…`."""
    counted: Counter[str] = Counter()
    for answer in answers:
        if isinstance(answer, Exception):
            counted[type(answer).__name__] += 1
        elif answer.status_code == 303:
            counted[f"303 → {answer.headers.get('location')}"] += 1
        else:
            errors = field_errors(answer.text)
            counted[f"{answer.status_code} {errors[0] if errors else snippet(answer.text)[:60]}"] += 1
    return ", ".join(f"{n}× {what}" for what, n in counted.most_common())


def _one_decode(root: Path, data: bytes) -> dict[str, Any]:
    """Peak RSS above the starting RSS of one process_upload in a fresh interpreter."""
    with tempfile.NamedTemporaryFile(prefix="yss-bench-image-") as image:
        image.write(data)
        image.flush()
        done = subprocess.run([_python(root), "-c", DECODE_SCRIPT, image.name], cwd=root, capture_output=True,
                              text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"process_upload in a fresh interpreter failed: {done.stderr.strip()[-400:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(case: Case, root: Path = ROOT) -> None:
    """One case: a single decode alone, then a fresh server taking 8 concurrent uploads of it."""
    step(f"uploads: making {case.name}")
    data = case.make()
    label = f"{case.name}, {len(data) / 1e6:.2f} MB"
    alone = _one_decode(root, data)
    add_figure(f"one decode: {case.name}", alone["extra_mb"], "MB", note=f"{label}: {alone['outcome']}")

    step(f"uploads: server, {CONCURRENT} sessions on 上传材料, then {CONCURRENT} concurrent POSTs of {case.name}")
    with Server(root) as server:
        walkers = _sessions_on_documents(server)
        before, cpu_before = server.memory_mb(), server.cpu_seconds()
        seconds, answers = _upload_all(walkers, case, data)
        peak, cpu = server.memory_mb()["VmHWM"], server.cpu_seconds() - cpu_before
        time.sleep(SETTLE_S)
        after = server.memory_mb()["VmRSS"]
        for walker in walkers:
            walker.client.close()
    add_figure(f"{CONCURRENT} uploads: {case.name}: peak RSS", peak, "MB", PEAK_LIMIT_MB,
               f"both sides, server at {before['VmRSS']:.0f} MB before: {_outcomes(answers)}")
    add_figure(f"{CONCURRENT} uploads: {case.name}: RSS after", after, "MB")
    add_figure(f"{CONCURRENT} uploads: {case.name}: time", seconds, "s")
    add_figure(f"{CONCURRENT} uploads: {case.name}: server CPU", cpu, "s")


def bench_uploads(root: Path = ROOT) -> None:
    """Every worst case; one that cannot be driven is reported and the others still run."""
    add_note("uploads: 'one decode' is the peak RSS of one process_upload above a fresh interpreter's own; "
             "'peak RSS' is the server's VmHWM, 'RSS after' its VmRSS 2 s after the last answer; 'server CPU' is "
             "its user + system time while answering, which a busy machine inflates less than 'time'.")
    for case in CASES:
        try:
            measure(case, root)
        except WalkBroken as exc:
            PROBLEMS.append(f"uploads, {case.name}: the walk to 上传材料 broke, not measured:\n    {exc}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the product checkout to serve (default: this one)")
    bench_uploads(parser.parse_args().root.resolve())
    print_figures(FIGURES)
    for note in NOTES:
        print(textwrap.fill(note, 110))
    for problem in PROBLEMS:
        print(f"  - {problem}")
    sys.exit(1 if PROBLEMS else 0)
