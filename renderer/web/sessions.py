"""Sessions kept in the store: the cookie carries a signed id only, so any worker can serve the citizen, 退出 really
ends the session, and signing in makes a new one. Before sign-in, a signed cookie holds just a CSRF token."""
from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable, Mapping
from http.cookies import SimpleCookie
from typing import Any

import anyio.to_thread
from itsdangerous import BadSignature, Signer, TimestampSigner
from starlette.requests import Request, cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from renderer.store.base import Session
from renderer.store.sessions import LIFETIME

COOKIE = "yss_session"
PRE_COOKIE = "yss_pre"                  # the sign-in page's CSRF token, before there is a session
PRE_LIFETIME_S = 2 * 3600
SCOPE_KEY = "yss.session"
SKIP_PREFIXES = ("/static/", "/schema/", "/healthz", "/readyz")   # no session needed: no store read


class SessionState:
    """One request's view of its session, and the cookies its answer must set. The session is read from the store
    when first asked for (blocking I/O): the middleware asks at once, off the event loop, except on paths whose
    endpoints read it in their own trip to the threadpool (the journeys: one trip per request, not two)."""

    def __init__(self, pre_token: str | None = None, load: Callable[[], Session | None] | None = None) -> None:
        self.pre_token = pre_token
        self.cookies: list[str] = []
        self._load = load
        self._session: Session | None = None

    @property
    def session(self) -> Session | None:
        if self._load is not None:
            load, self._load = self._load, None
            self._session = load()
        return self._session

    @session.setter
    def session(self, value: Session | None) -> None:
        self._load, self._session = None, value

    async def loaded(self) -> None:
        """Read the session now, off the event loop, if it is not read yet."""
        if self._load is not None:
            self.session = await anyio.to_thread.run_sync(self._load)


class SessionMiddleware:
    """Pure ASGI: reads the session once per request (off the event loop) and adds Set-Cookie headers."""

    def __init__(self, app: ASGIApp, secret: str, https_only: bool = False,
                 read_by_endpoint: tuple[str, ...] = ()) -> None:
        """`read_by_endpoint`: path prefixes whose endpoints read the session themselves, in the threadpool."""
        self.app, self.https_only, self.read_by_endpoint = app, https_only, read_by_endpoint
        self.signer = Signer(secret, salt="yss.session")
        self.pre_signer = TimestampSigner(secret, salt="yss.pre")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(SKIP_PREFIXES):
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        session_id = self._unsign(cookies.get(COOKIE, ""))
        state = SessionState(pre_token=self._unsign_pre(cookies.get(PRE_COOKIE, "")),
                             load=self._loader(scope, session_id) if session_id else None)
        scope[SCOPE_KEY] = state
        if not scope["path"].startswith(self.read_by_endpoint):
            await state.loaded()
        scope[SCOPE_KEY + ".middleware"] = self

        async def send_with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start" and state.cookies:
                headers = list(message.get("headers", []))
                headers += [(b"set-cookie", c.encode("latin-1")) for c in state.cookies]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_cookies)

    def _loader(self, scope: Scope, session_id: str) -> Callable[[], Session | None]:
        def load() -> Session | None:
            found: Session | None = scope["app"].state.store.sessions.get(session_id)
            if found is None:        # revoked or expired: the browser forgets it too
                state = scope[SCOPE_KEY]
                state.cookies.append(self.cookie(COOKIE, "", 0))
            return found
        return load

    def _unsign(self, value: str) -> str | None:
        try:
            return self.signer.unsign(value).decode() if value else None
        except BadSignature:
            return None

    def _unsign_pre(self, value: str) -> str | None:
        try:
            return self.pre_signer.unsign(value, max_age=PRE_LIFETIME_S).decode() if value else None
        except BadSignature:     # also an expired one
            return None

    def cookie(self, name: str, value: str, max_age: int) -> str:
        morsel: SimpleCookie = SimpleCookie()
        morsel[name] = value
        item = morsel[name]
        item["path"], item["httponly"], item["samesite"], item["max-age"] = "/", True, "Lax", max_age
        if self.https_only:
            item["secure"] = True
        return item.OutputString()


def _cookies(scope: Scope) -> dict[str, str]:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            return cookie_parser(value.decode("latin-1"))
    return {}


def _state(request: Request) -> SessionState:
    state = request.scope.get(SCOPE_KEY)
    if state is None:       # a path that skips sessions
        state = request.scope[SCOPE_KEY] = SessionState()
    return state


def _middleware(request: Request) -> SessionMiddleware:
    return request.scope[SCOPE_KEY + ".middleware"]


def session_of(request: Request) -> Session | None:
    return _state(request).session


async def loaded(request: Request) -> None:
    """Read the session now, off the event loop (before answering on the loop on a path whose endpoint reads it)."""
    await _state(request).loaded()


def begin(request: Request, owner: str) -> Session:
    """Sign in: the session before it (if any) is revoked and a new id is issued (no fixation). Blocking I/O."""
    state, store = _state(request), request.app.state.store
    if state.session is not None:
        store.sessions.revoke(state.session.id)
    session_id, state.session = store.sessions.create(owner)
    middleware = _middleware(request)
    state.cookies += [middleware.cookie(COOKIE, middleware.signer.sign(session_id).decode(),
                                        int(LIFETIME.total_seconds())),
                      middleware.cookie(PRE_COOKIE, "", 0)]
    state.pre_token = None
    return state.session


def end(request: Request) -> None:
    """退出: the session is revoked in the store, so a copy of the cookie signs no one in. Blocking I/O."""
    state = _state(request)
    if state.session is not None:
        request.app.state.store.sessions.revoke(state.session.id)
        state.session = None
    state.cookies.append(_middleware(request).cookie(COOKIE, "", 0))


def csrf_token(request: Request) -> str:
    """The session's CSRF token as a page carries it: masked afresh each time, so that a compressed page never
    repeats the same secret bytes (BREACH); before sign-in, one kept in a signed cookie (made on first use)."""
    return mask(_raw_token(request))


def browser_token(request: Request) -> str:
    """What tells this browser from another before sign-in (its pre-session token, hashed: never shown)."""
    return hashlib.sha256(_raw_token(request).encode()).hexdigest()


def _raw_token(request: Request) -> str:
    state = _state(request)
    if state.session is not None:
        return state.session.csrf
    if state.pre_token is None:
        state.pre_token = secrets.token_urlsafe(32)
        middleware = _middleware(request)
        state.cookies.append(middleware.cookie(PRE_COOKIE, middleware.pre_signer.sign(state.pre_token).decode(),
                                               PRE_LIFETIME_S))
    return state.pre_token


def csrf_ok(request: Request, form: Mapping[str, Any]) -> bool:
    """A POST carries the token in the form or (htmx) in the X-CSRF-Token header."""
    state = _state(request)
    expected = state.session.csrf if state.session is not None else state.pre_token
    sent = form.get("_csrf") or request.headers.get("x-csrf-token") or ""
    if not expected or not isinstance(sent, str):
        return False
    want = str(expected).encode()      # bytes: compare_digest refuses str with non-ASCII characters
    return secrets.compare_digest(want, unmask(sent).encode()) or secrets.compare_digest(want, sent.encode())


def mask(token: str) -> str:
    """A one-time pad over the token: a different text each time, the same token inside."""
    raw = token.encode()
    pad = secrets.token_bytes(len(raw))
    return base64.urlsafe_b64encode(pad + bytes(a ^ b for a, b in zip(raw, pad, strict=True))).decode()


def unmask(sent: str) -> str:
    """The token a masked text carries ('' when it is not one)."""
    try:
        data = base64.urlsafe_b64decode(sent.encode())
    except (ValueError, UnicodeError):
        return ""
    half = len(data) // 2
    if not data or len(data) % 2:
        return ""
    try:
        return bytes(a ^ b for a, b in zip(data[half:], data[:half], strict=True)).decode()
    except UnicodeDecodeError:
        return ""
