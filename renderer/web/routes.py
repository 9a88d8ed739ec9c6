"""HTTP endpoints: each turns a request into a call on the engine and the answer into HTML."""
from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from renderer.definition.model import Definition, Journey
from renderer.definition.typed_text import typed_text
from renderer.journey import flash, verification
from renderer.journey.engine import FRONT, Engine, PageView, Redirect
from renderer.journey.pinning import VersionUnavailable
from renderer.services.base import Identity
from renderer.store.base import SubmissionPending, utcnow
from renderer.web import analyst, sessions
from renderer.web.clients import client_address, limited_as
from renderer.web.htmx import HtmxDetails
from renderer.web.language import FIELD, language_of, remember, result_in, switch_context, switched
from renderer.web.sessions import csrf_ok, csrf_token
from widgets.display import mask_name

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
LOGIN_FAILURES = 10                          # unknown numbers from one address …
LOGIN_WINDOW = dt.timedelta(minutes=10)      # … within this long, then sign-in waits for the window to pass
LOGIN_LOCKED = "登录失败次数过多,请10分钟后再试"
LOGIN_FAILED = "login.fail"                  # records kind: unknown numbers per address
FORM_LIMITS = {"max_files": 12, "max_fields": 300, "max_part_size": 64 * 1024}


def engine(request: Request) -> Engine:
    return request.app.state.engine


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """The page drawn in the citizen's language (the template's; the context's texts are in it already)."""
    code = language(request)
    context = {"request": request, "csrf": csrf_token(request), "signed_in": current_identity(request),
               **switch_context(code), **context}
    return request.app.state.templates[code].TemplateResponse(request, template, context, status_code=status)


def language(request: Request) -> str:
    """The citizen's language code: their choice, else their resident type's, else Simplified."""
    identity = current_identity(request)
    return language_of(request, engine(request).versions.current, getattr(identity, "resident_type", None))


def texts(request: Request) -> Definition:
    """Today's forms in the citizen's language (a journey's page brings its own version's)."""
    return engine(request).definition.in_language(language(request))


def said_all(request: Request, view: Any) -> Any:
    """Every text of a view made in Python (and of what the store kept, as it was shown then) in the citizen's
    language: strings converted, the shape kept."""
    if isinstance(view, str):
        return _said(request, view)
    if isinstance(view, dict):
        return {key: said_all(request, value) for key, value in view.items()}
    if isinstance(view, list):
        return [said_all(request, value) for value in view]
    return view


def _said(request: Request, text: str) -> str:
    """A message made in Python, in the citizen's language."""
    definition = engine(request).versions.current       # None while an analyst's server starts on broken forms
    return definition.in_language(language(request)).said(text) if definition is not None else text


def current_identity(request: Request) -> Identity | None:
    """The signed-in citizen of this request's session; worked out once per request (a page asks several times:
    its language, the top bar, each text made in Python), again only if the session changed meanwhile."""
    session = sessions.session_of(request)
    if session is None:
        return None
    known: Identity | None = getattr(request.state, "identity", None)
    if known is not None and known.session == session.id:
        return known
    identity = request.app.state.services.sign_in.identity(session.owner)
    if identity is not None:
        identity = request.state.identity = dataclasses.replace(identity, session=session.id)
    return identity


def redirect(request: Request, url: str) -> Response:
    if HtmxDetails.of(request).request:
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, message: str, status: int) -> HTMLResponse:
    return render(request, "error.html", {"message": _said(request, message)}, status=status)


async def read_form(request: Request) -> dict[str, Any] | None:
    """The posted form as plain values, files read up to the upload limit; None if it cannot be read."""
    try:
        async with request.form(**FORM_LIMITS) as form:
            out: dict[str, Any] = {}
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    data = await value.read(MAX_UPLOAD_BYTES + 1)
                    if data:
                        out[key] = data
                else:
                    out.setdefault(key, value)
            return out
    except (MultiPartException, ValueError, KeyError):
        return None


# ---------------------------------------------------------------- sign-in and home

async def home(request: Request) -> Response:
    identity = current_identity(request)
    if identity is None:
        return RedirectResponse("/login", status_code=303)
    journeys = [j for j in texts(request).journeys.values() if j.home_link]
    return render(request, "home.html", {"journeys": journeys, "masked_name": mask_name(identity.name)})


async def login(request: Request) -> Response:
    if request.method == "GET":
        said = await run_in_threadpool(_login_said, request)
        if said is None:
            return render(request, "login.html", {"error": None, "number": ""})
        return render(request, "login.html", {"error": _said(request, said["error"]), "number": said["number"]},
                      status=int(said["status"]))
    form = await read_form(request)
    if form is None or not csrf_ok(request, form):
        return await _login_again(request, "页面已过期,请重新登录", "", 400)
    number = typed_text(str(form.get("id_number", "")))[:40]     # one spelling: ４４０１…ｘ is 4401…X
    if not number:
        return await _login_again(request, "请输入证件号码", number, 401)
    # The attempt takes its slot first, in one locked transaction, so concurrent guesses cannot all pass a read of
    # the count; only an unknown number keeps it (a known one, or a sign-in service that failed, gives it back).
    records, client = request.app.state.store.records, limited_as(client_address(request))
    if not await run_in_threadpool(records.hit, LOGIN_FAILED, client, LOGIN_FAILURES, LOGIN_WINDOW):
        return await _login_again(request, LOGIN_LOCKED, number, 429)
    try:
        identity = await run_in_threadpool(request.app.state.services.sign_in.sign_in, number)
    except Exception:
        await run_in_threadpool(records.give_back, LOGIN_FAILED, client)
        raise
    if identity is None:
        return await _login_again(request, "未找到该证件号码对应的粤省事用户,请核对后重新输入", number, 401)
    await run_in_threadpool(records.give_back, LOGIN_FAILED, client)
    await run_in_threadpool(sessions.begin, request, identity.key)
    return RedirectResponse("/", status_code=303)


# A failed sign-in answers 303 to /login?said=<token> (Back and reload never ask to resubmit); the record holds the
# message and what was typed, for this browser's sign-in page only, for a few minutes.
LOGIN_SAID = "login.said"
LOGIN_SAID_LIFETIME = dt.timedelta(minutes=5)


async def _login_again(request: Request, error: str, number: str, status: int) -> Response:
    token = secrets.token_urlsafe(16)
    owner = sessions.browser_token(request)
    value = {"owner": owner, "error": error, "number": number, "status": status}
    await run_in_threadpool(request.app.state.store.records.put, LOGIN_SAID, token, value,
                            utcnow() + LOGIN_SAID_LIFETIME)
    return RedirectResponse(f"/login?said={token}", status_code=303)


def _login_said(request: Request) -> dict[str, Any] | None:
    token = request.query_params.get("said", "")
    if not token or len(token) > 64:
        return None
    said = request.app.state.store.records.get(LOGIN_SAID, token)
    return said if said is not None and said.get("owner") == sessions.browser_token(request) else None


async def language_switch(request: Request) -> Response:
    """简体 / 繁體 from a page that is not a journey's (a journey's page posts its answers with it: journey_refresh)."""
    form = await read_form(request)
    if form is None or not csrf_ok(request, form):
        return RedirectResponse("/", status_code=303)
    return switched(form, request.app.state.settings.https_cookies)


async def logout(request: Request) -> Response:
    form = await read_form(request)
    if form is not None and csrf_ok(request, form):
        await run_in_threadpool(sessions.end, request)
    return RedirectResponse("/login", status_code=303)


# ---------------------------------------------------------------- journeys

READS_SESSION = ("/j/",)       # the journeys' endpoints read the session in their own trip to the threadpool
JourneyHandler = Callable[[Request, Identity, Journey, "dict[str, Any] | None"], Response]


def journey_endpoint(handler: JourneyHandler) -> Callable[[Request], Awaitable[Response]]:
    """On POST, read the form (on the event loop: it is I/O); then, in ONE trip to the threadpool, resolve the
    citizen (the session is read there: renderer/web/sessions.py), the journey and the CSRF token, and let
    `handler` do the engine's work and render the page. The event loop only moves bytes."""
    async def endpoint(request: Request) -> Response:
        form = None
        if request.method == "POST":
            form = await read_form(request)
            if form is None:
                await sessions.loaded(request)
                return error_page(request, "提交的内容无法识别,请返回重新填写", 400)
        return await run_in_threadpool(_answer, request, handler, form)
    return endpoint


def _answer(request: Request, handler: JourneyHandler, form: dict[str, Any] | None) -> Response:
    with request.app.state.store.held():      # the session, the draft and its records: one pooled connection
        return _answer_held(request, handler, form)


def _answer_held(request: Request, handler: JourneyHandler, form: dict[str, Any] | None) -> Response:
    identity = current_identity(request)
    if identity is None:
        return redirect(request, "/login")
    journey = engine(request).journey(request.path_params["journey"])
    if journey is None:
        return error_page(request, "未找到该事项", 404)
    if form is not None and not csrf_ok(request, form):
        return error_page(request, "页面已过期,请返回刷新后重新操作", 403)
    try:
        return handler(request, identity, journey, form)
    except SubmissionPending:       # the draft's application is being sent: nothing is saved meanwhile
        return page_response(request, engine(request).pending_view(identity, journey))
    except VersionUnavailable:       # the draft's forms no longer load: the citizen decides (nothing moved)
        return render(request, "version_gone.html", {"journey": texts(request).journeys.get(journey.id, journey),
                                                     "action_url": f"/j/{journey.id}{START_AGAIN}"},
                      status=200 if form is None else 409)


def page_response(request: Request, outcome: Redirect | PageView) -> Response:
    if isinstance(outcome, Redirect):
        return redirect(request, outcome.url)
    status = 200 if HtmxDetails.of(request).request else outcome.status
    return render(request, outcome.template, {"journey": outcome.journey, "page": outcome.page,
                                              **outcome.data_in(language(request))}, status=status)


def post_answer(request: Request, identity: Identity, outcome: Redirect | PageView) -> Response:
    """Every POST answers with a redirect (303): a page shown again, with its errors or popup, is shown by the GET
    it redirects to, so Back and reload never ask to resubmit. htmx's in-page requests, which make no history
    entry, get the page to swap from at once. The GET answers 200: the POST's failure was answered by the 303."""
    if isinstance(outcome, PageView) and not HtmxDetails.of(request).request:
        outcome = engine(request).redirect_after_post(identity, outcome)
    return page_response(request, outcome)


# The journey handlers run in the threadpool (journey_endpoint): the store and Jinja block.

@journey_endpoint
def journey_start(request: Request, identity: Identity, journey: Journey, form: Any) -> Response:
    """GET: where the citizen is (a home link; nothing changes). POST: a button that enters the journey, keeping
    the page a `goto: return` comes back to (`?return=`)."""
    if form is None:
        return page_response(request, engine(request).front_door(identity, journey))
    return post_answer(request, identity, engine(request).start(identity, journey, request.query_params.get("return")))


START_AGAIN = "/start-again"


@journey_endpoint
def journey_start_again(request: Request, identity: Identity, journey: Journey, form: Any) -> Response:
    """按最新规则重新办理, from the page a draft on a version that no longer loads is shown."""
    return post_answer(request, identity, engine(request).start_again(identity, journey))


@journey_endpoint
def journey_restart(request: Request, identity: Identity, journey: Journey, form: Any) -> Response:
    return page_response(request, engine(request).restart(identity, journey))


@journey_endpoint
def journey_page(request: Request, identity: Identity, journey: Journey, form: Any) -> Response:
    page_id = request.path_params["page"]
    edit = request.query_params.get("edit") == "1"
    if form is None:
        why, shown = request.query_params.get("why") == "1", request.query_params.get(flash.PARAM)
        front = request.query_params.get(FRONT) == "1"
        return page_response(request, engine(request).show(identity, journey, page_id, edit, why, shown, front))
    return post_answer(request, identity, engine(request).post(identity, journey, page_id, form, edit))


@journey_endpoint
def journey_refresh(request: Request, identity: Identity, journey: Journey, form: Any) -> Response:
    page_id = request.path_params["page"]
    response = post_answer(request, identity, engine(request).refresh(identity, journey, page_id, form or {}))
    # The language switch on a journey page posts the page's answers here: kept, and the page shown in it.
    return remember(response, (form or {}).get(FIELD), request.app.state.settings.https_cookies)


@journey_endpoint
def journey_verify(request: Request, identity: Identity, journey: Journey, form: Any) -> Response:
    """A verification's screen (the simulated face check: the channel's own screen in a real deployment)."""
    page_id, edit = request.path_params["page"], request.query_params.get("edit") == "1"
    if form is None:
        shown = engine(request).verify_screen(identity, journey, page_id)
        if shown is None:
            return redirect(request, f"/j/{journey.id}/{page_id}")
        return render(request, verification.screen(shown.service),
                      {"journey": texts(request).journeys.get(journey.id, journey), "begun": shown.begun})
    if form.get("_action") == verification.BEGIN:      # 开始人脸核验: a check is begun by a POST, never by a GET
        return post_answer(request, identity, engine(request).verify_begin(identity, journey, page_id, edit))
    return post_answer(request, identity, engine(request).verify_done(identity, journey, page_id, form))


@journey_endpoint
def journey_result(request: Request, identity: Identity, journey: Journey, form: Any) -> Response:
    outcome = engine(request).result(identity, journey, request.path_params["result"])
    if isinstance(outcome, Redirect):
        return redirect(request, outcome.url)
    shown = texts(request)
    return render(request, "result.html", result_in(shown, journey, outcome))


async def upload(request: Request) -> Response:
    """An uploaded or fetched image, to its owner only; `?size=thumb` its thumbnail."""
    identity = current_identity(request)
    if identity is None:
        return Response(status_code=404)
    thumbnail = request.query_params.get("size") == "thumb"
    stored = await run_in_threadpool(request.app.state.store.get_upload, identity.key, request.path_params["upload"],
                                     thumbnail)
    if stored is None:
        return Response(status_code=404)
    # An identity document, full size or thumbnail, is personal data: never left in a shared phone's cache.
    return Response(stored.data, media_type=stored.content_type,
                    headers={"Cache-Control": "private, no-store", "Content-Disposition": "inline"})


# ---------------------------------------------------------------- analysts' preview

PREVIEW_STATES = {"filled": "示例答案", "empty": "空白", "errors": "校验错误"}


async def preview_index(request: Request) -> Response:
    if current_identity(request) is None:
        return redirect(request, "/login")
    journeys = engine(request).definition.journeys.values()
    return render(request, "preview.html", {"journeys": journeys, "states": PREVIEW_STATES})


async def preview_page(request: Request) -> Response:
    """Any page of any journey, with sample answers or in its error state, without walking to it."""
    identity = current_identity(request)
    if identity is None:
        return redirect(request, "/login")
    state = request.query_params.get("state", "filled")
    view = await run_in_threadpool(analyst.preview_view, engine(request), identity, request.path_params["journey"],
                                   request.path_params["page"], state if state in PREVIEW_STATES else "filled")
    if view is None:
        return error_page(request, "未找到该页面", 404)
    return render(request, "page.html", {"journey": view.journey, "page": view.page, **view.data_in(language(request)),
                                         "preview_state": PREVIEW_STATES.get(state, "示例答案")})
