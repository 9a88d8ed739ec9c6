"""Request bodies bounded before they are read: a size per route, and a deadline for each piece of a body."""
from __future__ import annotations

import asyncio

from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

KB, MB = 1024, 1024 * 1024
SIGN_IN_BODY = 16 * KB       # an ID number and a CSRF token
JOURNEY_BODY = 24 * MB       # a page's answers and its photos (each photo is capped by routes.MAX_UPLOAD_BYTES)
DEFAULT_BODY = 256 * KB      # everything else

# The one table of body limits (README "Operating it"): an exact path, or a prefix ending in "/".
BODY_LIMITS: tuple[tuple[str, int], ...] = (
    ("/login", SIGN_IN_BODY),
    ("/logout", SIGN_IN_BODY),
    ("/j/", JOURNEY_BODY),
)

REFUSALS = {
    413: ("提交的内容过大", "提交的内容过大,请减少或压缩上传的照片后,返回上一页重新提交。"),
    408: ("提交超时", "提交超时,网络可能不稳定,请返回上一页重新提交。"),
}


def body_limit(path: str) -> int:
    """The most bytes a request to `path` may carry."""
    for route, limit in BODY_LIMITS:
        if path == route or (route.endswith("/") and path.startswith(route)):
            return limit
    return DEFAULT_BODY


class BodyRefused(Exception):
    """Raised from `receive` to stop the app reading a body that is too large or too slow."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class BodyLimits:
    """Pure ASGI: 413 on a declared Content-Length over the route's limit before the app runs; a body without
    a length is counted as it streams and stopped at the limit; 408 when its next piece is `body_timeout` late."""

    def __init__(self, app: ASGIApp, body_timeout: float = 30.0) -> None:
        self.app, self.body_timeout = app, body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await refusal(413)(scope, receive, send)
            return
        received, body_done, response_started = 0, False, False

        async def receive_limited() -> Message:
            nonlocal received, body_done
            if body_done:        # later reads only wait for a disconnect: no deadline on those
                return await receive()
            try:
                async with asyncio.timeout(self.body_timeout):
                    message = await receive()
            except TimeoutError:
                raise BodyRefused(408) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyRefused(413)
                body_done = not message.get("more_body", False)
            else:
                body_done = True
            return message

        async def send_tracked(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive_limited, send_tracked)
        except BodyRefused as refused:
            if response_started:
                raise
            await refusal(refused.status)(scope, receive, send)


def refusal(status: int) -> HTMLResponse:
    """A short Chinese page; the connection closes, so the rest of the body is never read."""
    title, text = REFUSALS[status]
    return HTMLResponse(f"<!doctype html><meta charset=utf-8><title>{title}</title>"
                        f"<p>{text}</p><p><a href=\"/\">返回首页</a></p>",
                        status_code=status, headers={"Connection": "close"})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None      # the server refuses a malformed length itself
    return None
