"""Details page: server time per GET / failing POST of /j/adult/details through starlette's TestClient, and the
engine alone."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from renderer.definition.languages import HONG_KONG, SIMPLIFIED
from tests.bench.report import PROBLEMS, add, step, timed
from tests.bench.walk import JOURNEY, PERSON_ID, WalkBroken, Walker, snippet, walk_to_details

ROOT = Path(__file__).resolve().parents[2]

REQUESTS = 1_000
WARMUP_REQUESTS = 20


def bench_details() -> None:
    from starlette.testclient import TestClient

    from renderer.journey.engine import PageView
    from renderer.web.app import create_app
    from renderer.web.config import Settings

    personas = Path(os.environ.get("YSS_PERSONAS") or ROOT / "data" / "personas.yaml")
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

            def check_http(*expected: int) -> Callable[[Any], None]:
                def check(response: Any) -> None:
                    if response.status_code not in expected:
                        PROBLEMS.append(f"{response.request.method} {url} answered {response.status_code}, "
                                        f"expected {expected}: {snippet(response.text)}")
                return check

            step(f"{REQUESTS} GETs + {REQUESTS} POSTs through TestClient")
            for _ in range(WARMUP_REQUESTS):
                get(), post()
            add("details GET  (TestClient)", timed(get, REQUESTS, check_http(200)), 5)
            add("details POST (TestClient, fails on 民族)", timed(post, REQUESTS, check_http(422, 303)), 10,
                "422 re-render with the 民族 error, or its 303 (post/redirect/get); urlencoded, not multipart")

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

            view = engine.post(identity, journey, "details", engine_form)
            for code, name in ((SIMPLIFIED, ""), (HONG_KONG, ", 繁體 zh-Hant-HK")):
                template = app.state.templates[code].get_template("page.html")

                def render(template: Any = template, code: str = code) -> str:
                    return template.render({"request": None, "csrf": walker.csrf, "signed_in": identity,
                                            "journey": view.journey, "page": view.page, **view.data_in(code)})

                try:
                    render()
                except Exception as exc:  # noqa: BLE001 - the template may need a real Request; then this row is skipped
                    step(f"template render alone skipped: {type(exc).__name__}: {exc}")
                else:
                    add(f"details page.html render alone (Jinja2{name})", timed(render, REQUESTS))
