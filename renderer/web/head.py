"""HEAD answered like GET on every route, without the body."""
from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """Pure ASGI: a HEAD request runs as a GET (so a handler that only knows GET and POST still answers it), and
    the body is dropped while the headers, Content-Length included, stay as the GET would send them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        # A copy: the server still sees HEAD in its own scope and frames the answer as one.
        await self.app({**scope, "method": "GET"}, receive, send_headers_only)
