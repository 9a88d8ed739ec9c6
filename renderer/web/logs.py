"""Structured logs: one JSON object per line, each with the request's id, and never personal data.

Nothing here writes a query string, a body, a form value, a cookie or an exception's text (which may quote any
of those); an 11-or-more digit run (a phone or ID number) is masked in whatever message or path remains.
"""
from __future__ import annotations

import json
import logging
import re
import secrets
import time
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
PERSONAL_NUMBER = re.compile(r"\d{11,}[Xx]?")       # \d of any script on purpose: a number is scrubbed however written
ACCESS_FIELDS = ("method", "path", "status", "duration_ms")

access_log = logging.getLogger("yss.access")


def scrub(text: str) -> str:
    return PERSONAL_NUMBER.sub("***", text)


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, request_id; an access line adds method, path, status and duration_ms."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": scrub(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or REQUEST_ID.get(),
        }
        for field in ACCESS_FIELDS:
            if hasattr(record, field):
                value = getattr(record, field)
                entry[field] = scrub(value) if isinstance(value, str) else value
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = _error(record.exc_info[0], record.exc_info[2])
        return json.dumps(entry, ensure_ascii=False)


def _error(kind: type[BaseException], tb: TracebackType | None) -> dict[str, Any]:
    """The exception's type and where it was raised; its text is left out, as it may quote a citizen's data."""
    frames = traceback.extract_tb(tb)[-12:]
    return {"type": kind.__qualname__, "at": [f"{f.filename}:{f.lineno} {f.name}" for f in frames]}


def log_config(level: str = "info") -> dict[str, Any]:
    """uvicorn's and the product's logging, as JSON lines on stderr; uvicorn's own access log is off."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {"stderr": handler},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
            "uvicorn.access": {"handlers": [], "propagate": False},   # RequestLog writes the access lines
            "yss": {"handlers": ["stderr"], "level": level.upper(), "propagate": False},
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }


def request_id(scope: Scope) -> str:
    """The caller's X-Request-ID when it is short and plain (and not a phone or ID number), else a new one."""
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if SANE_REQUEST_ID.fullmatch(text) and not PERSONAL_NUMBER.search(text):
                return text
            break
    return secrets.token_hex(8)


class RequestLog:
    """Pure ASGI: gives each request an id (`request.state.request_id`, the X-Request-ID response header, every
    log line written while it runs) and writes one access line when it ends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id(scope)
        scope.setdefault("state", {})["request_id"] = rid
        token = REQUEST_ID.set(rid)
        header = (b"x-request-id", rid.encode("ascii"))
        status, started = 500, time.perf_counter()   # 500 unless a response starts: the app raised

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), header]}
            await send(message)

        failed = False
        try:
            await self.app(scope, receive, send_with_id)
        except BaseException:
            failed = True
            raise
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            access_log.info("%s %s %d", scope["method"], scope["path"], status,
                            extra={"method": scope["method"], "path": scope["path"], "status": status,
                                   "duration_ms": duration_ms})
            if not failed:   # on failure the id stays set, so the error lines that follow carry it
                REQUEST_ID.reset(token)
