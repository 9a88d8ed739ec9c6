"""The JSON Schema of each journey's applications, at the address every application names (`schema`)."""
from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from renderer.journey.payload_schema import payload_schema


async def application_schema(request: Request) -> Response:
    """GET /schemas/applications/{journey}.json: generated from the forms version being served."""
    definition = request.app.state.engine.definition
    journey = definition.journeys.get(request.path_params["journey"])
    if journey is None:
        raise HTTPException(404)
    return JSONResponse(payload_schema(definition, journey), media_type="application/schema+json")
