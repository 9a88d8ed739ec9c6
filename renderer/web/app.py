"""Build the Starlette application: forms, services, store, templates and routes."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, PrefixLoader
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from renderer.definition.errors import FormsInvalid
from renderer.definition.languages import LANGUAGES, SIMPLIFIED, Converter
from renderer.definition.loader import load_forms
from renderer.journey.engine import Engine
from renderer.services.base import around_calls
from renderer.services.simulator import simulated_services
from renderer.store import open_store
from renderer.versions.registry import VersionRegistry, log_drafts_on_older_versions
from renderer.web import analyst, care, receipts, routes, schemas
from renderer.web.assets import Assets
from renderer.web.config import ROOT, Settings, checked, load_settings
from renderer.web.head import HeadAsGet
from renderer.web.health import healthz, readyz
from renderer.web.limits import BodyLimits
from renderer.web.logs import RequestLog
from renderer.web.security import SecurityHeaders, security_headers
from renderer.web.sessions import SessionMiddleware
from renderer.web.templating import TranslatingLoader, page_environment

log = logging.getLogger("yss")
HTMX = "htmx-2.0.11.min.js"
GZIP_MINIMUM = 500      # bytes: smaller answers gain less than the compression costs


def templates(assets: Assets | None = None, reload: bool = False, language: str = SIMPLIFIED,
              overrides: Mapping[str, str] | None = None) -> Jinja2Templates:
    """The templates in one language, each one's text converted (with forms/translations.yaml's `overrides`) and
    compiled once at start; `reload` (yss serve --reload, yss preview) reads a changed template again."""
    loader: BaseLoader = ChoiceLoader([FileSystemLoader(str(Path(__file__).parent / "templates")),
                                       PrefixLoader({"widgets": FileSystemLoader(str(ROOT / "widgets" / "templates"))})])
    if LANGUAGES[language].profile:
        loader = TranslatingLoader(loader, Converter(LANGUAGES[language], overrides).plain)
    env = page_environment(loader, reload, language)
    env.globals["htmx_asset"] = HTMX
    env.globals["asset"] = (assets or Assets(ROOT / "static")).url     # /static/<fingerprint>/<name>
    env.globals["care_switch"] = care.care_switch      # 关怀版 or 标准版, read from this browser's cookie
    env.globals["query_pairs"] = lambda url: parse_qsl(urlsplit(url).query)   # a GET form drops its action's query
    return Jinja2Templates(env=env)


def templates_by_language(assets: Assets | None = None, reload: bool = False,
                          overrides: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, Jinja2Templates]:
    """One template environment per language the citizen may read."""
    return {code: templates(assets, reload, code, (overrides or {}).get(code)) for code in LANGUAGES}


async def server_error(request: Request, exc: Exception) -> HTMLResponse:
    # Logged without the request body or the citizen's identity: only the path and the exception type.
    request_id = getattr(request.state, "request_id", "")     # set by RequestLog: safe characters only
    log.error("unhandled %s on %s", type(exc).__name__, request.url.path, extra={"request_id": request_id})
    # Starlette answers this outside every middleware, so the page brings the security headers itself. It does
    # not claim the answers were saved: the failure may have been the save.
    headers = security_headers(request.url.path, hsts=request.app.state.settings.https_cookies)
    if request_id:
        headers["X-Request-ID"] = request_id
    reference = f"<p>如需咨询,请提供编号:{request_id}</p>" if request_id else ""
    return HTMLResponse("<!doctype html><meta charset=utf-8><title>系统繁忙</title>"
                        "<p>系统繁忙,请稍后再试。刚才的操作可能没有完成,请返回上一页重新操作。</p>"
                        f"{reference}<p><a href=\"/\">返回首页</a></p>",
                        status_code=500, headers=headers)


async def not_found(request: Request, exc: Exception) -> HTMLResponse:
    return HTMLResponse("<!doctype html><meta charset=utf-8><title>页面不存在</title>"
                        "<p>页面不存在。</p><p><a href=\"/\">返回首页</a></p>", status_code=404)


def create_app(settings: Settings | None = None, reload_forms: bool = False, preview: bool = False) -> Starlette:
    settings = settings or load_settings()
    if settings.services != "simulator":
        raise SystemExit(f"unknown YSS_SERVICES={settings.services!r}: only 'simulator' is built in")
    loaded = load_forms(settings.forms)
    if loaded.definition is None and not reload_forms:   # an analyst's server starts even on broken forms
        raise FormsInvalid(loaded.errors)
    for warning in loaded.warnings:      # shown, and the forms still serve
        log.warning("forms: %s", warning)
    definition, first_errors = loaded.definition, loaded.problems
    settings = checked(settings)
    store = open_store(settings.database, dt.timedelta(seconds=settings.submit_lease), settings.db_pool)
    # While an outside system answers, the request's database connection goes back to the pool (routes._answer)
    services = around_calls(simulated_services(settings.personas, settings.secret.encode(), store.records,
                                               settings.failure_rate, settings.sim_latency,
                                               settings.service_timeout), store.released)
    assets = Assets(ROOT / "static")
    app = Starlette(
        routes=[
            Route("/", routes.home),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/login", routes.login, methods=["GET", "POST"]),
            Route("/logout", routes.logout, methods=["POST"]),
            Route("/care", care.switch, methods=["POST"]),
            Route("/language", routes.language_switch, methods=["POST"]),
            Route("/uploads/{upload}", routes.upload),
            Route("/status", receipts.status),
            Route("/receipts/{reference}.pdf", receipts.receipt_pdf),
            Route("/receipts/{reference}", receipts.receipt),
            Route("/schemas/applications/{journey}.json", schemas.application_schema),
            Route("/j/{journey}", routes.journey_start, methods=["GET", "POST"]),
            Route("/j/{journey}/restart", routes.journey_restart, methods=["POST"]),
            Route("/j/{journey}" + routes.START_AGAIN, routes.journey_start_again, methods=["POST"]),
            Route("/j/{journey}/result/{result}", routes.journey_result),
            Route("/j/{journey}/{page}", routes.journey_page, methods=["GET", "POST"]),
            Route("/j/{journey}/{page}/refresh", routes.journey_refresh, methods=["POST"]),
            Route("/j/{journey}/{page}/verify", routes.journey_verify, methods=["GET", "POST"]),
            Mount("/static", assets.app(), name="static"),
            # The DSL's JSON Schema at a stable address, for editors that fetch it over HTTP.
            Mount("/schema", StaticFiles(directory=str(ROOT / "forms" / "schema")), name="schema"),
            *([Route("/preview", routes.preview_index),
               Route("/preview/{journey}/{page}", routes.preview_page)] if preview else []),
        ],
        middleware=[
            Middleware(RequestLog),
            Middleware(SecurityHeaders, hsts=settings.https_cookies),
            # HTML, CSS and JS compressed; CSRF tokens in pages are masked per response, so compression gives
            # nothing away (BREACH). Images are not compressed again.
            Middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM, compresslevel=6),
            Middleware(BodyLimits, body_timeout=settings.body_timeout),
            Middleware(HeadAsGet),
            *([Middleware(analyst.ReloadForms)] if reload_forms else []),
            Middleware(SessionMiddleware, secret=settings.secret, https_only=settings.https_cookies,
                       read_by_endpoint=routes.READS_SESSION),
        ],
        exception_handlers={500: server_error, 404: not_found},
    )
    versions = VersionRegistry(definition, settings.forms, store)
    app.state.engine = Engine(definition, services, store, versions)
    if definition is not None:
        log_drafts_on_older_versions(versions, store)
    if reload_forms:
        app.state.watcher = analyst.FormsWatcher(settings.forms, app.state.engine)
        app.state.watcher.errors = first_errors
    app.state.services = services
    app.state.store = store
    app.state.templates = templates_by_language(assets, reload=reload_forms or preview,
                                                overrides=definition.overrides if definition else None)
    app.state.settings = settings
    return app
