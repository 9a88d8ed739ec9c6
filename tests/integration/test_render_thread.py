"""A journey page is rendered in the threadpool together with the engine's call: Jinja's CPU work never runs on
the event loop, and the request makes one trip to the threadpool instead of two."""
from __future__ import annotations

import asyncio
from typing import Any

from renderer.definition.languages import SIMPLIFIED
from tests.integration.conftest import Citizen


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def test_journey_pages_render_off_the_event_loop(app: Any, citizen: Citizen) -> None:
    templates = app.state.templates[SIMPLIFIED]
    original, rendered = templates.TemplateResponse, []

    def recording(request: Any, name: str, context: dict[str, Any], **kwargs: Any) -> Any:
        rendered.append((name, _on_event_loop()))
        return original(request, name, context, **kwargs)

    templates.TemplateResponse = recording
    citizen.sign_in()
    citizen.get("/j/adult")
    citizen.post("/j/adult/guide", {"_action": "button:0"})      # not agreed: shown again with the error
    pages = [on_loop for name, on_loop in rendered if name == "page.html"]
    assert len(pages) >= 2
    assert not any(pages), rendered
