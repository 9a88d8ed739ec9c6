"""Performance figures for the product: `make bench` (python -m tests.bench from the project root).

Not a test: it prints medians and p99s against targets and never fails on timing. It exits non-zero only when
the product cannot be driven far enough to measure (e.g. the walk to the 申请信息 page breaks).

  1. cold load + check of every form under forms/ (fresh interpreter per run), and the warm in-process load
  2. server time per GET / failing POST of /j/adult/details through starlette's TestClient,
     and the engine alone
  3. the upload pipeline (renderer.uploads.images.process_upload) on a 4000x3000 phone-like JPEG
"""
from __future__ import annotations

import io
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]

COLD_RUNS = 5
WARM_RUNS = 5
REQUESTS = 1_000
WARMUP_REQUESTS = 20
PHOTO_RUNS = 20

PERSON_ID = "440106199001011235"        # 张伟 in shared/spec/personas.yaml
PERSON_PHONE = "13600002819"
JOURNEY = "adult"


# ---------------------------------------------------------------------------------------------- reporting

@dataclass
class Row:
    name: str
    samples_ms: list[float]
    target_ms: float | None = None       # compared with the median
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p99(self) -> float:
        ordered = sorted(self.samples_ms)                        # nearest-rank percentile
        return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]

    @property
    def verdict(self) -> str:
        if self.target_ms is None:
            return "info"
        return "ok" if self.median < self.target_ms else "SLOW"


ROWS: list[Row] = []
PROBLEMS: list[str] = []


def add(name: str, samples_ms: list[float], target_ms: float | None = None, note: str = "") -> None:
    ROWS.append(Row(name, samples_ms, target_ms, note))


def width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, columns: int, right: bool = False) -> str:
    fill = " " * max(0, columns - width(text))
    return fill + text if right else text + fill


def fmt_ms(value: float) -> str:
    return f"{value:,.2f}" if value < 100 else f"{value:,.1f}"


def print_table(rows: list[Row]) -> None:
    header = ("measure", "n", "median ms", "p99 ms", "target", "")
    body = [(r.name, str(len(r.samples_ms)), fmt_ms(r.median), fmt_ms(r.p99),
             f"< {r.target_ms:g} ms" if r.target_ms is not None else "-", r.verdict) for r in rows]
    widths = [max(width(line[i]) for line in [header, *body]) for i in range(len(header))]
    right = {1, 2, 3}

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(pad(c, w, i in right) for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    print(line(header))
    print("  ".join("-" * w for w in widths))
    for cells in body:
        print(line(cells))
    notes = [(r.name, r.note) for r in rows if r.note]
    if notes:
        print()
        for name, note in notes:
            print(f"  {name}: {note}")


def step(message: str) -> None:
    """Progress on stderr, so the figures on stdout stay a clean table."""
    sys.stdout.flush()
    print(f"  … {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------- 1. forms load

COLD_SCRIPT = r"""
import json, time
t0 = time.perf_counter()
from renderer.definition.loader import load_forms
t1 = time.perf_counter()
result = load_forms()
t2 = time.perf_counter()
print(json.dumps({"imports": (t1 - t0) * 1e3, "load": (t2 - t1) * 1e3, "total": (t2 - t0) * 1e3,
                  "files": result.files, "errors": len(result.errors)}))
"""


def bench_load() -> None:
    loads, totals, walls = [], [], []
    files = errors = 0
    for _ in range(COLD_RUNS):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", COLD_SCRIPT], cwd=ROOT, capture_output=True, text=True,
                              check=False)
        wall = (time.perf_counter() - started) * 1e3
        if done.returncode != 0:
            PROBLEMS.append(f"load_forms() in a fresh interpreter failed:\n{done.stderr.strip()}")
            return
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        loads.append(figures["load"])
        totals.append(figures["total"])
        walls.append(wall)
        files, errors = figures["files"], figures["errors"]
    if errors:
        PROBLEMS.append(f"load_forms() reported {errors} error(s) in forms/ (run `make check-forms`)")
    add("forms: cold load_forms() call", loads, 300,
        f"{files} YAML files, {errors} errors; fresh interpreter per run")
    add("forms: cold imports + load_forms()", totals)
    add("forms: cold whole subprocess (wall)", walls, note="interpreter start-up + imports + load + exit")

    from renderer.definition.loader import load_forms
    load_forms()                                    # first in-process call warms imports and caches
    warm = []
    for _ in range(WARM_RUNS):
        t0 = time.perf_counter()
        load_forms()
        warm.append((time.perf_counter() - t0) * 1e3)
    add("forms: warm load_forms() in-process", warm)


# -------------------------------------------------------------------------------------------- 2. details page

class WalkBroken(Exception):
    """The product did not answer as a citizen's browser expects on the way to the 申请信息 page."""


CSRF = re.compile(r'name="_csrf" value="([^"]+)"')
SMS_CODE = re.compile(r"验证码为(\d{6})")


def _snippet(html: str) -> str:
    errors = re.findall(r'class="[^"]*(?:error|message|popup)[^"]*"[^>]*>([^<]{1,200})<', html)
    text = "; ".join(e.strip() for e in errors if e.strip())
    return text[:400] or re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))[:400]


class Walker:
    """A TestClient session that walks the adult journey like a browser (303 → GET) and checks each answer."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.csrf = ""

    def get(self, url: str, expect: int = 200) -> Any:
        response = self.client.get(url, follow_redirects=False)
        if response.status_code != expect:
            raise WalkBroken(f"GET {url}: expected {expect}, got {response.status_code} "
                             f"(location={response.headers.get('location')!r}): {_snippet(response.text)}")
        found = CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def post(self, url: str, data: dict[str, str], *, files: dict[str, Any] | None = None,
             expect_location: str | None = None, expect_status: int = 303) -> Any:
        response = self.client.post(url, data={**data, "_csrf": self.csrf}, files=files,
                                    follow_redirects=False)
        location = response.headers.get("location")
        if response.status_code != expect_status or (expect_location and location != expect_location):
            wanted = f"{expect_status}" + (f" → {expect_location}" if expect_location else "")
            got = f"{response.status_code}" + (f" → {location}" if location else "")
            raise WalkBroken(f"POST {url} {sorted(data)}: expected {wanted}, got {got}: "
                             f"{_snippet(response.text)}")
        found = CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response


def details_form(code: str = "") -> dict[str, str]:
    """Every field of 申请信息 except 民族 (ethnicity), so pressing 下一步 re-renders the page with one error."""
    from datetime import date
    today = date.today()
    form = {
        "id_longterm": "否",
        "id_valid_from": date(today.year - 3, 6, 1).isoformat(),
        "id_valid_to": date(today.year + 7, 6, 1).isoformat(),
        "phone": PERSON_PHONE,
        "phone.code": code,
        "occupation": "专业技术人员",
        "home_region.province": "广东省",
        "home_region.city": "广州市",
        "home_region.district": "天河区",
        "home_address": "天河路385号太古汇一座18楼1801室",
        "bank": "工商银行",
        "insurance_type": "城镇职工",
        "_action": "button:0",
    }
    return form


def walk_to_details(w: Walker) -> dict[str, str]:
    """Sign in as 张伟, pass guide, face check, eligibility, documents and photo; return the failing form."""
    from renderer.uploads.images import make_placeholder_portrait

    j = f"/j/{JOURNEY}"
    w.get("/login")
    w.post("/login", {"id_number": PERSON_ID}, expect_location="/")
    w.get("/")
    w.get(j, expect=303)
    w.get(f"{j}/guide")
    w.post(f"{j}/guide", {"agreed": "1", "_action": "button:0"}, expect_location=f"{j}/guide/face")
    w.get(f"{j}/guide/face")
    w.post(f"{j}/guide/face", {"result": "pass"}, expect_location=f"{j}/eligibility")
    w.get(f"{j}/eligibility")
    w.post(f"{j}/eligibility", {"intended_city": "广州市", "_action": "button:0"},
           expect_location=f"{j}/documents")
    w.get(f"{j}/documents")
    card = (856, 540)
    files = {
        "documents.id_card.0": ("id-back.jpg", make_placeholder_portrait("bench-back", card), "image/jpeg"),
        "documents.id_card.1": ("id-front.jpg", make_placeholder_portrait("bench-front", card), "image/jpeg"),
    }
    w.post(f"{j}/documents", {"documents.choice": "id_card", "_action": "button:0"}, files=files,
           expect_location=f"{j}/photo")
    w.get(f"{j}/photo")                              # fetches the system photo (prepare) as a browser would
    w.post(f"{j}/photo", {"photo.consent": "1", "_action": "button:0"}, expect_location=f"{j}/details")
    w.get(f"{j}/details")

    # The phone is not prefilled: send a (simulated) SMS code once and let the first failing POST verify it,
    # so the measured POSTs fail on 民族 alone rather than on the phone check.
    sent = w.post(f"{j}/details", {**details_form(), "_action": "field:phone:send"}, expect_status=200)
    found = SMS_CODE.search(sent.text)
    if not found:
        raise WalkBroken(f"POST {j}/details field:phone:send: no simulated SMS code on the page: "
                         f"{_snippet(sent.text)}")
    form = details_form(found.group(1))
    first = w.post(f"{j}/details", form, expect_status=422)
    errors = _field_errors(first.text)
    if "请选择民族" not in first.text:
        raise WalkBroken(f"POST {j}/details without 民族: the page did not ask for 民族: "
                         f"{errors or _snippet(first.text)}")
    return form


def _field_errors(html: str) -> list[str]:
    return [e.strip() for e in re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]{1,200})<', html) if e.strip()]


def timed(call: Callable[[], Any], n: int, check: Callable[[Any], None] | None = None) -> list[float]:
    samples = []
    for i in range(n):
        t0 = time.perf_counter()
        result = call()
        samples.append((time.perf_counter() - t0) * 1e3)
        if check is not None and i in (0, n - 1):
            check(result)
    return samples


def bench_details() -> None:
    from starlette.testclient import TestClient

    from renderer.journey.engine import PageView
    from renderer.web.app import create_app
    from renderer.web.config import Settings

    personas = Path(os.environ.get("YSS_PERSONAS") or ROOT.parent / "shared" / "spec" / "personas.yaml")
    with tempfile.TemporaryDirectory(prefix="yss-bench-") as tmp:
        settings = Settings(host="127.0.0.1", port=0, database=Path(tmp) / "bench.sqlite3", forms=ROOT / "forms",
                            personas=personas, services="simulator", failure_rate=0.0, https_cookies=False,
                            secret="bench-" + "x" * 40)
        app = create_app(settings)
        with TestClient(app) as client:
            walker = Walker(client)
            try:
                form = walk_to_details(walker)
            except WalkBroken as exc:
                PROBLEMS.append(f"walk to /j/{JOURNEY}/details broke, details page not measured:\n    {exc}")
                return
            url = f"/j/{JOURNEY}/details"
            posted = {**form, "_csrf": walker.csrf}

            def get() -> Any:
                return client.get(url, follow_redirects=False)

            def post() -> Any:
                return client.post(url, data=posted, follow_redirects=False)

            def check_http(expected: int) -> Callable[[Any], None]:
                def check(response: Any) -> None:
                    if response.status_code != expected:
                        PROBLEMS.append(f"{response.request.method} {url} answered {response.status_code}, "
                                        f"expected {expected}: {_snippet(response.text)}")
                return check

            step(f"{REQUESTS} GETs + {REQUESTS} POSTs through TestClient")
            for _ in range(WARMUP_REQUESTS):
                get(), post()
            add("details GET  (TestClient)", timed(get, REQUESTS, check_http(200)), 5)
            add("details POST (TestClient, fails on 民族)", timed(post, REQUESTS, check_http(422)), 10,
                "422 re-render with the 民族 error; multipart parsing not involved (urlencoded form)")

            engine = app.state.engine
            identity = app.state.services.sign_in.sign_in(PERSON_ID)
            journey = engine.journey(JOURNEY)
            engine_form = dict(form)          # what read_form() hands the engine, minus _csrf

            def show() -> Any:
                return engine.show(identity, journey, "details")

            def engine_post() -> Any:
                return engine.post(identity, journey, "details", engine_form)

            def check_view(expected: int) -> Callable[[Any], None]:
                def check(outcome: Any) -> None:
                    if not isinstance(outcome, PageView) or outcome.status != expected:
                        PROBLEMS.append(f"engine on details gave {outcome!r:.200}, "
                                        f"expected a PageView {expected}")
                return check

            step(f"{REQUESTS} Engine.show + {REQUESTS} Engine.post")
            for _ in range(WARMUP_REQUESTS):
                show(), engine_post()
            add("details Engine.show (no HTTP, no template)", timed(show, REQUESTS, check_view(200)))
            add("details Engine.post (no HTTP, no template)", timed(engine_post, REQUESTS, check_view(422)))

            templates = app.state.templates
            view = engine.post(identity, journey, "details", engine_form)
            template = templates.get_template("page.html")

            def render() -> str:
                return template.render({"request": None, "csrf": walker.csrf, "signed_in": identity,
                                        "journey": view.journey, "page": view.page, **view.data})

            try:
                render()
            except Exception as exc:     # the template may need a real Request; then this row is skipped
                step(f"template render alone skipped: {type(exc).__name__}: {exc}")
            else:
                add("details page.html render alone (Jinja2)", timed(render, REQUESTS))


# ------------------------------------------------------------------------------------------ 3. photo pipeline

def phone_like_jpeg(size: tuple[int, int] = (4000, 3000), quality: int = 90) -> bytes:
    """A photo-like JPEG: smooth colour gradients, some shapes and sensor-like noise, with a camera's EXIF."""
    from PIL import Image, ImageDraw, ImageFilter

    width, height = size
    horizontal = Image.linear_gradient("L").rotate(90).resize(size, Image.Resampling.BICUBIC)
    vertical = Image.linear_gradient("L").resize(size, Image.Resampling.BICUBIC)
    radial = Image.radial_gradient("L").resize(size, Image.Resampling.BICUBIC)
    base = Image.merge("RGB", (horizontal, vertical, radial))
    draw = ImageDraw.Draw(base)
    for i in range(12):                                   # a few soft objects so it is not a pure gradient
        x, y = (i * 997) % width, (i * 613) % height
        r = 150 + (i * 71) % 500
        draw.ellipse((x - r, y - r, x + r, y + r), fill=((i * 40) % 256, (i * 90) % 256, (i * 150) % 256))
    base = base.filter(ImageFilter.GaussianBlur(6))
    noise = Image.merge("RGB", [Image.effect_noise(size, 40 + 5 * c) for c in range(3)])
    img = Image.blend(base, noise, 0.2)
    exif = Image.Exif()
    exif[0x010F] = "BenchPhone"            # Make
    exif[0x0110] = "Model 12MP"            # Model
    exif[0x0112] = 1                       # Orientation: upright
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, exif=exif.tobytes())
    return buf.getvalue()


def bench_photo() -> None:
    from renderer.uploads.images import ImageRejected, process_upload

    step("generating a 4000x3000 JPEG")
    data = phone_like_jpeg()
    try:
        out = process_upload(data)
    except ImageRejected as exc:
        PROBLEMS.append(f"process_upload rejected the 4000x3000 bench photo "
                        f"({len(data) / 1e6:.1f} MB): {exc}")
        return
    step(f"{PHOTO_RUNS} × process_upload")
    samples = timed(lambda: process_upload(data), PHOTO_RUNS)
    add("photo: process_upload 4000x3000 JPEG", samples, 250,
        f"input {len(data) / 1e6:.1f} MB q90 → {out.width}x{out.height}, {len(out.data) / 1e3:.0f} KB")


# ---------------------------------------------------------------------------------------------- main

def main() -> int:
    os.chdir(ROOT)
    started = time.perf_counter()
    try:
        cpus_usable = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus_usable = os.cpu_count() or 0
    print(f"yss-forms benchmark — Python {platform.python_version()} ({platform.python_implementation()}), "
          f"{platform.system()} {platform.machine()}, CPUs: {os.cpu_count()} ({cpus_usable} usable)")
    print("Figures vary on shared or busy machines; compare runs on the same machine, "
          "and treat SLOW as a prompt to look, not a failure.")
    print(flush=True)

    sections = (("forms load", bench_load), ("details page", bench_details), ("photo pipeline", bench_photo))
    for name, bench in sections:
        step(name)
        try:
            bench()
        except Exception as exc:        # one broken section should not hide the others' figures
            import traceback
            PROBLEMS.append(f"{name}: {type(exc).__name__}: {exc}\n{traceback.format_exc()}")

    sys.stderr.flush()
    print_table(ROWS)
    print()
    print("Notes: the TestClient rows include the client's own overhead (httpx request building, the\n"
          "in-memory ASGI transport, an anyio portal per request, cookies) on top of the server middleware,\n"
          "routing, form parsing, engine and Jinja2 rendering. The Engine rows are the engine alone (SQLite\n"
          "draft load/save included, no HTTP, no template); the render row is page.html alone.\n"
          "Targets compare the median.")
    print(f"Total bench time {time.perf_counter() - started:.1f} s.")
    if PROBLEMS:
        print()
        print("PROBLEMS (figures above may be incomplete):")
        for problem in PROBLEMS:
            print(f"  - {problem}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
