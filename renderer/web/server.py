"""How the product is served: uvicorn with timeouts on every stage of a request, JSON logs, N workers."""
from __future__ import annotations

import asyncio
from typing import Any

import h11
from starlette.types import ASGIApp
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import Server, ServerState
from uvicorn.supervisors import Multiprocess

from renderer.web.config import Settings
from renderer.web.logs import log_config

# Each worker builds its own app from the environment (create_app() reads load_settings()).
APP_FACTORY = "renderer.web.app:create_app"


class ServerConfig(Config):
    """uvicorn's Config plus the request-header deadline its protocols lack; pickled to every worker."""

    def __init__(self, app: ASGIApp | str, *, header_timeout: float, **options: Any) -> None:
        super().__init__(app, **options)
        self.header_timeout = header_timeout


class DeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol, plus: a request's headers must arrive within `header_timeout` (counted from the
    connection or from the request's first byte), so an idle or half-sent request is closed; and an answer sent
    before its request's body has arrived ends the connection instead of waiting for the rest of the body."""

    def __init__(self, config: Config, server_state: ServerState, app_state: dict[str, Any],
                 _loop: asyncio.AbstractEventLoop | None = None) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.header_timeout: float = getattr(config, "header_timeout", Settings.header_timeout)
        self.header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._expect_headers()

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE:
            self._expect_headers()      # the first bytes of the next request on a kept-alive connection
        super().data_received(data)
        self._stop_when_headers_arrived()

    def on_response_complete(self) -> None:
        body_unread = self.conn.their_state is h11.SEND_BODY
        super().on_response_complete()
        if body_unread and not self.transport.is_closing():
            self.transport.close()
            return
        if self.conn.their_state is h11.IDLE and self.conn.trailing_data[0]:
            self._expect_headers()      # part of a pipelined request is already buffered
        self._stop_when_headers_arrived()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_deadline()
        super().connection_lost(exc)

    def _expect_headers(self) -> None:
        if self.header_deadline is None:
            self.header_deadline = self.loop.call_later(self.header_timeout, self._headers_too_late)

    def _stop_when_headers_arrived(self) -> None:
        if self.conn.their_state is not h11.IDLE:
            self._cancel_header_deadline()

    def _cancel_header_deadline(self) -> None:
        if self.header_deadline is not None:
            self.header_deadline.cancel()
            self.header_deadline = None

    def _headers_too_late(self) -> None:
        self.header_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.logger.debug("closing a connection whose request headers did not arrive in %ss", self.header_timeout)
            self.transport.close()


def server_config(settings: Settings, app: ASGIApp | str, workers: int = 1) -> ServerConfig:
    """uvicorn's options for the product; `app` is an import string of a factory when there are workers."""
    return ServerConfig(
        app,
        header_timeout=settings.header_timeout,
        host=settings.host,
        port=settings.port,
        workers=workers,
        factory=isinstance(app, str),
        http=DeadlineProtocol,
        ws="none",                                        # the product has no websockets
        timeout_keep_alive=settings.keep_alive_timeout,
        timeout_graceful_shutdown=settings.shutdown_timeout,
        log_config=log_config(),
        access_log=False,                                 # RequestLog writes one JSON access line per request
        server_header=False,
        # Whose X-Forwarded-For counts is YSS_TRUSTED_PROXIES alone: given here, uvicorn never reads its own
        # FORWARDED_ALLOW_IPS (nor its default, 127.0.0.1); with none, no forwarding header is read at all. uvicorn
        # takes the right-most address that is not a trusted proxy, so a client cannot put one in front of it.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies),
    )


def run(config: ServerConfig) -> int:
    """Serve until SIGINT or SIGTERM, letting running requests finish; 1 if the server could not start."""
    try:
        if config.workers > 1:
            Multiprocess(config, sockets=[config.bind_socket()]).run()
            return 0
        server = Server(config)
        server.run()
        return 0 if server.started else 1
    except KeyboardInterrupt:
        return 0
