"""The JSON Schema of each journey's applications, at the address every application names (`schema`)."""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from renderer.journey.payload_schema import payload_schema


async def application_schema(request: Request) -> Response:
    """GET /schemas/applications/{journey}.json: generated from the forms being served, or with
    `?version=<form.version>` from the version an application names (older versions come from the store)."""
    engine = request.app.state.engine
    version = request.query_params.get("version", "")
    if version and not (len(version) <= 64 and version.isascii() and version.isalnum()):
        raise HTTPException(404)
    definition = await run_in_threadpool(engine.versions.get, version) if version else engine.definition
    if definition is None:
        raise HTTPException(404)
    journey = definition.journeys.get(request.path_params["journey"])
    if journey is None:
        raise HTTPException(404)
    return JSONResponse(payload_schema(definition, journey), media_type="application/schema+json")
