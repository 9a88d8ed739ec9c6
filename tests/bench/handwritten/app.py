"""申请信息 (/j/adult/details) as a competent engineer would write it by hand on the product's stack: Starlette,
Jinja2, a signed session cookie, the draft in SQLite (read on every request, written on every POST), a CSRF check,
the same HTML the engine serves. `create_app(db, prg)`: with `prg`, a POST that fails answers 303 and the page it
redirects to shows the errors (kept in the session for that one GET), as the engine does when it redirects; `GET /bench/sign-in?owner=…&phone=…` makes a session whose phone
is already verified (the bench's stand-in for the sign-in and SMS steps, which it does not measure)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import sqlite3
import threading
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from ruamel.yaml import YAML
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

ROOT = Path(__file__).resolve().parents[3]
FORMS = ROOT / "forms"
HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "same-origin",
    "permissions-policy": "geolocation=(), microphone=()", "cache-control": "no-store",
}
LABELS = {"ethnicity": "民族", "id_longterm": "证件有效期是否为长期", "id_valid_from": "证件有效开始日期",
          "id_valid_to": "证件有效截止日期", "phone": "手机号码", "occupation": "职业", "home_region": "常住地区",
          "home_address": "常住详细地址", "bank": "服务银行", "insurance_type": "参保类型"}
KEYS = ("ethnicity", "id_longterm", "id_valid_from", "id_valid_to", "phone", "phone.code", "occupation",
        "home_region.province", "home_region.city", "home_region.district", "home_address", "bank", "insurance_type")
PHONE = re.compile(r"1\d{10}")
PERSON = {"masked_name": "张*", "id_type": "居民身份证", "masked_id": "440106*********235"}


def _read(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _fingerprints() -> dict[str, str]:
    static = ROOT / "static"
    htmx = next(p.name for p in static.glob("htmx-*.js"))
    urls = {name: f"/static/{hashlib.sha256((static / name).read_bytes()).hexdigest()[:12]}/{name}"
            for name in ("app.css", "app.js", "picker.js", "upload.js", "care.js", "care.css", htmx)}
    urls["htmx"] = urls.pop(htmx)
    return urls


class Drafts:
    """One row per citizen: the answers as JSON and a version for the optimistic UPDATE."""

    def __init__(self, path: Path) -> None:
        self.path, self.local = path, threading.local()
        with self.db() as db:
            db.execute("CREATE TABLE IF NOT EXISTS drafts (owner TEXT PRIMARY KEY, state TEXT NOT NULL, "
                       "version INTEGER NOT NULL)")

    def db(self) -> sqlite3.Connection:
        if getattr(self.local, "db", None) is None:
            self.local.db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            self.local.db.execute("PRAGMA journal_mode=WAL")
            self.local.db.execute("PRAGMA synchronous=NORMAL")
        return self.local.db

    def load(self, owner: str) -> tuple[dict[str, Any], int]:
        row = self.db().execute("SELECT state, version FROM drafts WHERE owner = ?", (owner,)).fetchone()
        return (json.loads(row[0]), row[1]) if row else ({}, 0)

    def save(self, owner: str, state: dict[str, Any], version: int) -> int:
        db = self.db()
        text = json.dumps(state, ensure_ascii=False)
        if version == 0:
            db.execute("INSERT INTO drafts VALUES (?, ?, 1)", (owner, text))
            return 1
        changed = db.execute("UPDATE drafts SET state = ?, version = version + 1 WHERE owner = ? AND version = ?",
                             (text, owner, version)).rowcount
        if not changed:
            raise RuntimeError("the draft changed in another tab")
        return version + 1


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def check(answers: dict[str, str], state: dict[str, Any], lists: dict[str, Any], banks: list[str],
          cities: dict[str, list[str]]) -> dict[str, str]:
    """The page's rules, in page order; the first problem of each field."""
    errors: dict[str, str] = {}
    today = dt.date.today()
    if answers.get("ethnicity") not in lists["ethnicities"]:
        errors["ethnicity"] = "请选择民族"
    if answers.get("id_longterm") not in ("否", "是"):
        errors["id_longterm"] = "请选择证件有效期是否为长期"
    start, end = _date(answers.get("id_valid_from", "")), _date(answers.get("id_valid_to", ""))
    if start is None:
        errors["id_valid_from"] = "请选择证件有效开始日期"
    elif start > today:
        errors["id_valid_from"] = "证件有效开始日期不能晚于今天"
    if answers.get("id_longterm") != "是":
        if end is None:
            errors["id_valid_to"] = "请选择证件有效截止日期"
        elif end < today:
            errors["id_valid_to"] = "证件有效截止日期不能早于今天"
        elif start and end <= start:
            errors["id_valid_to"] = "证件有效截止日期须晚于证件有效开始日期"
    phone = answers.get("phone", "")
    if not PHONE.fullmatch(phone):
        errors["phone"] = "请输入正确的手机号码"
    elif state.get("verified_phone") != phone:
        errors["phone"] = "请输入短信验证码"
    if answers.get("occupation") not in lists["occupations"]:
        errors["occupation"] = "请选择职业"
    if answers.get("home_region.district") not in cities.get(answers.get("home_region.city", ""), ()):
        errors["home_region"] = "请选择常住地区"
    if not 5 <= len(answers.get("home_address", "").strip()) <= 100:
        errors["home_address"] = "请输入常住详细地址(5-100个字)"
    if answers.get("bank") not in banks:
        errors["bank"] = "请选择服务银行"
    if answers.get("insurance_type") not in lists["insurance_types"]:
        errors["insurance_type"] = "请选择参保类型"
    return errors


def constants() -> dict[str, Any]:
    """What the page shows the same to everyone: the lists, a city's banks, the labels, the asset addresses."""
    return {"lists": {name: _read(FORMS / "lists" / f"{name}.yaml")["options"]
                      for name in ("ethnicities", "occupations", "insurance_types")},
            "cities": _read(FORMS / "lists" / "regions.yaml")["tree"]["广东省"],
            "banks": _read(FORMS / "cities" / "guangzhou.yaml")["banks"],
            "labels": LABELS, "person": PERSON, "issuing_city": "广州市", "assets": _fingerprints()}


def templates() -> Jinja2Templates:
    return Jinja2Templates(env=Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                                           autoescape=True, trim_blocks=True, lstrip_blocks=True))


def create_app(database: Path, prg: bool = False, secret: str = "handwritten-bench") -> Starlette:
    shared = constants()
    lists, cities, banks = shared["lists"], shared["cities"], shared["banks"]
    drafts = Drafts(database)
    page_templates = templates()

    def page(request: Request, state: dict[str, Any], version: int, errors: dict[str, str]) -> Response:
        wait = max(0, int(state.get("resend_at", 0) - dt.datetime.now(dt.UTC).timestamp()))
        context = {**shared, "csrf": request.session["csrf"], "answers": state.get("answers", {}),
                   "verified_phone": state.get("verified_phone"), "wait": wait, "errors": errors,
                   "version": version, "today": dt.date.today().isoformat()}
        status = 422 if errors and request.method == "POST" else 200
        return page_templates.TemplateResponse(request, "details.html", context, status_code=status,
                                               headers=HEADERS)

    def details(request: Request) -> Response:        # sync: Starlette runs it in its threadpool
        owner = request.session.get("owner")
        if not owner:
            return PlainTextResponse("sign in first", status_code=401)
        state, version = drafts.load(owner)
        return page(request, state, version, request.session.pop("flash", None) or {})

    async def details_post(request: Request) -> Response:
        owner = request.session.get("owner")
        if not owner:
            return PlainTextResponse("sign in first", status_code=401)
        async with request.form(max_files=0, max_fields=100) as form:
            posted = {key: str(form.get(key, "")).strip() for key in KEYS}
            token = str(form.get("_csrf", ""))
        if not secrets.compare_digest(token, request.session["csrf"]):
            return PlainTextResponse("页面已过期,请返回刷新后重新操作", status_code=403)
        return await run_in_threadpool(save_and_show, request, owner, posted)

    def save_and_show(request: Request, owner: str, posted: dict[str, str]) -> Response:
        state, version = drafts.load(owner)
        state["answers"] = posted
        errors = check(posted, state, lists, banks, cities)
        version = drafts.save(owner, state, version)
        if prg:
            request.session["flash"] = errors
            return RedirectResponse("/j/adult/details", status_code=303)
        return page(request, state, version, errors)

    def sign_in(request: Request) -> Response:
        owner, phone = request.query_params["owner"], request.query_params["phone"]
        request.session.update({"owner": owner, "csrf": secrets.token_urlsafe(32)})
        state, version = drafts.load(owner)
        state.update({"verified_phone": phone, "resend_at": dt.datetime.now(dt.UTC).timestamp() + 60})
        drafts.save(owner, state, version)
        return PlainTextResponse(request.session["csrf"])

    return Starlette(routes=[Route("/j/adult/details", details, methods=["GET"]),
                             Route("/j/adult/details", details_post, methods=["POST"]),
                             Route("/bench/sign-in", sign_in)],
                     middleware=[Middleware(SessionMiddleware, secret_key=secret, same_site="lax")])
