"""The htmx request headers, read in one typed place."""
from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request


@dataclass(frozen=True)
class HtmxDetails:
    request: bool
    target: str | None
    trigger: str | None

    @classmethod
    def of(cls, request: Request) -> HtmxDetails:
        headers = request.headers
        return cls(headers.get("hx-request") == "true", headers.get("hx-target"), headers.get("hx-trigger"))
