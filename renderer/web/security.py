"""Security headers on every answer (CSRF tokens live with the sessions: renderer/web/sessions.py)."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BACK = 2000                       # longer than any of this site's addresses
# A path of this site: one "/" then not "/" or "\" (browsers read "//x" and "/\x" as another host), and no
# control characters or spaces (a browser drops tabs and newlines, which could join "/" and "/" again).
_SAFE_PATH = re.compile(r"^/(?![/\\])[^\x00-\x20\x7f\\]*$")


def same_site_path(back: object) -> str:
    """Where a switch (关怀版, 简体/繁體) returns to: the page it was pressed on when that is a path of this site,
    else the home page. Never another host, scheme, `//host` or `/\\host`: no open redirect."""
    if not isinstance(back, str) or len(back) > MAX_BACK or not _SAFE_PATH.match(back):
        return "/"
    parts = urlsplit(back)
    if parts.scheme or parts.netloc:
        return "/"
    return back


HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), microphone=()",
    "Cache-Control": "no-store",
}
# Sent only when the session cookie is Secure (YSS_HTTPS_COOKIES): over plain HTTP it would lock a browser out.
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(path: str, hsts: bool) -> dict[str, str]:
    """The headers every answer carries; static files keep their own caching."""
    headers = {name: value for name, value in HEADERS.items()
               if not (name == "Cache-Control" and path.startswith("/static/"))}
    if hsts:
        headers["Strict-Transport-Security"] = HSTS
    return headers


class SecurityHeaders:
    """Pure ASGI: adds `security_headers` to every response that does not set its own."""

    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app = app
        self.for_pages, self.for_static = (_raw(security_headers(path, hsts)) for path in ("/", "/static/"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.for_static if scope["path"].startswith("/static/") else self.for_pages

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                message = {**message, "headers": headers + [h for h in extra if h[0] not in present]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _raw(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]
