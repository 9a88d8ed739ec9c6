"""申请信息 written by hand on the product's own stack: the same hand-written page and rules as app.py, but with the
obligations the product has and the bare page has not. Sessions kept in the store (退出 revokes them; any worker
reads them), the product's middleware (request ids and a JSON access line, security headers, compression, body
limits, HEAD), the draft in the product's store, a POST's errors kept in the store for the GET it redirects to (so
any worker can show them), the face-check pass looked up on every request, one pooled connection per request.

It answers what the engine's interpretation of YAML costs by itself: the same obligations, with the page's fields,
rules and template written out by hand instead of read from forms/. `GET /bench/sign-in?owner=…&phone=…` makes a
session whose phone is verified and whose face check has passed (the bench's stand-in for those steps)."""
from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from renderer.store import open_store
from renderer.store.base import utcnow
from renderer.web import sessions
from renderer.web.app import GZIP_MINIMUM
from renderer.web.head import HeadAsGet
from renderer.web.limits import BodyLimits
from renderer.web.logs import RequestLog
from renderer.web.security import SecurityHeaders
from renderer.web.sessions import SessionMiddleware
from tests.bench.handwritten.app import KEYS, check, constants, templates

PAGE = "/j/adult/details"
JOURNEY = "adult"
PASS = ("verified", "face_check:{owner}")      # the face-check pass, as the product keeps it
FLASH_LIFETIME = dt.timedelta(minutes=30)


def create_app(database: Path, secret: str = "handwritten-bench") -> Starlette:
    shared = constants()
    lists, cities, banks = shared["lists"], shared["cities"], shared["banks"]
    page_templates = templates()
    store = open_store(database)

    def page(request: Request, state: dict[str, Any], version: int, errors: dict[str, str]) -> Response:
        wait = max(0, int(state.get("resend_at", 0) - dt.datetime.now(dt.UTC).timestamp()))
        context = {**shared, "csrf": sessions.csrf_token(request), "answers": state.get("answers", {}),
                   "verified_phone": state.get("verified_phone"), "wait": wait, "errors": errors,
                   "version": version, "today": dt.date.today().isoformat()}
        return page_templates.TemplateResponse(request, "details.html", context)

    def citizen(request: Request) -> str | None:
        """The signed-in owner with a valid face-check pass, or None."""
        session = sessions.session_of(request)
        if session is None:
            return None
        kind, key = PASS
        return session.owner if store.records.get(kind, key.format(owner=session.owner)) is not None else None

    def show(request: Request) -> Response:
        owner = citizen(request)
        if owner is None:
            return PlainTextResponse("sign in first", status_code=401)
        stored = store.load_draft(owner, JOURNEY)
        state, version = (stored.state, stored.version) if stored else ({}, 0)
        errors: dict[str, str] = {}
        token = request.query_params.get("flash", "")
        if token and len(token) <= 64:
            kept = store.records.get("flash", token)
            if kept and (kept.get("owner"), kept.get("version")) == (owner, version):
                errors = kept["errors"]
        return page(request, state, version, errors)

    def save(request: Request, form: dict[str, str]) -> Response:
        owner = citizen(request)
        if owner is None:
            return PlainTextResponse("sign in first", status_code=401)
        if not sessions.csrf_ok(request, form):
            return PlainTextResponse("页面已过期,请返回刷新后重新操作", status_code=403)
        stored = store.load_draft(owner, JOURNEY)
        state, version = (stored.state, stored.version) if stored else ({}, None)
        posted = {key: form.get(key, "").strip() for key in KEYS}
        state["answers"] = posted
        errors = check(posted, state, lists, banks, cities)
        version = store.save_draft(owner, JOURNEY, state, version)
        if not errors:
            return RedirectResponse(PAGE, status_code=303)
        token = secrets.token_urlsafe(16)
        store.records.put("flash", token, {"owner": owner, "version": version, "errors": errors},
                          utcnow() + FLASH_LIFETIME)
        return RedirectResponse(f"{PAGE}?flash={token}", status_code=303)

    def held(answer: Callable[..., Response], *args: Any) -> Response:
        with store.held():          # one pooled connection per request, as the product's journeys have
            return answer(*args)

    async def details(request: Request) -> Response:
        if request.method == "GET":
            return await run_in_threadpool(held, show, request)
        async with request.form(max_files=0, max_fields=100) as form:
            posted = {key: str(value) for key, value in form.items()}
        return await run_in_threadpool(held, save, request, posted)

    def sign_in(request: Request) -> Response:
        owner, phone = request.query_params["owner"], request.query_params["phone"]
        sessions.begin(request, owner)
        kind, key = PASS
        store.records.put(kind, key.format(owner=owner), {"at": utcnow().isoformat()}, utcnow() + dt.timedelta(hours=8))
        stored = store.load_draft(owner, JOURNEY)
        state = {**(stored.state if stored else {}), "verified_phone": phone,
                 "resend_at": dt.datetime.now(dt.UTC).timestamp() + 60}
        store.save_draft(owner, JOURNEY, state, stored.version if stored else None)
        return PlainTextResponse(sessions.csrf_token(request))

    app = Starlette(
        routes=[Route(PAGE, details, methods=["GET", "POST"]), Route("/bench/sign-in", sign_in)],
        middleware=[Middleware(RequestLog), Middleware(SecurityHeaders),
                    Middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM, compresslevel=6), Middleware(BodyLimits),
                    Middleware(HeadAsGet),
                    Middleware(SessionMiddleware, secret=secret, read_by_endpoint=("/j/",))])
    app.state.store = store
    return app
