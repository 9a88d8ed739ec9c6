"""For the operator's probes: /healthz (the process answers) and /readyz (it can serve citizens now)."""
from __future__ import annotations

import asyncio
import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse

log = logging.getLogger("yss.health")
PING_TIMEOUT = 2.0   # seconds: a store that answers slower than this is not ready


async def healthz(request: Request) -> PlainTextResponse:
    """Alive: answers without touching the store, so a slow database never gets a worker restarted."""
    return PlainTextResponse("ok")


async def readyz(request: Request) -> PlainTextResponse:
    """Ready: the store answers and the forms are loaded; 503 names what is missing."""
    missing = [name for name, ready in (("store", await store_reachable(request)),
                                        ("forms", request.app.state.engine.definition is not None)) if not ready]
    if missing:
        return PlainTextResponse("not ready: " + ", ".join(missing), status_code=503)
    return PlainTextResponse("ready")


async def store_reachable(request: Request) -> bool:
    ping = getattr(request.app.state.store, "ping", None)
    if ping is None:      # a store without ping() has nothing to reach (an embedded file)
        return True
    try:
        async with asyncio.timeout(PING_TIMEOUT):
            return await run_in_threadpool(ping) is not False
    except Exception as exc:  # noqa: BLE001 - /readyz answers "not ready" for any failure, and logs its type
        log.warning("store ping failed: %s", type(exc).__name__)
        return False
