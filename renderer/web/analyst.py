"""For analysts: forms reloaded when a YAML file is saved, and /preview of any page without walking to it."""
from __future__ import annotations

import html
import threading
from pathlib import Path
from typing import Any

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from renderer.definition.errors import LoadError
from renderer.definition.loader import load_forms
from renderer.journey.engine import Engine, Feedback
from renderer.journey.evaluation import Draft, Evaluation
from renderer.store import open_store
from renderer.tools.samples import sample_draft


class FormsWatcher:
    """Re-reads forms/ when a file changes; a broken change keeps the last good forms serving."""

    def __init__(self, root: Path, engine: Engine) -> None:
        self.root, self.engine = root, engine
        self.errors: list[LoadError] = []
        self._stamp = self._scan()
        self._lock = threading.Lock()

    def _scan(self) -> tuple[tuple[str, float], ...]:
        return tuple(sorted((str(p), p.stat().st_mtime) for p in self.root.rglob("*.yaml")))

    def refresh(self) -> None:
        stamp = self._scan()
        if stamp == self._stamp:
            return
        with self._lock:
            self._stamp = stamp
            result = load_forms(self.root)
            self.errors = result.problems      # errors and warnings; only errors keep the last good forms
            if result.definition is not None:      # a new version, stored like any other: drafts follow the rules
                self.engine.versions.publish(result.definition, self.root)


class ReloadForms(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        watcher: FormsWatcher = request.app.state.watcher
        watcher.refresh()
        no_forms_yet = watcher.engine.definition is None and not request.url.path.startswith("/static/")
        if watcher.errors and (request.url.path == "/_lint" or no_forms_yet):
            return lint_page(watcher.errors)
        return await call_next(request)


def lint_page(errors: list[LoadError]) -> HTMLResponse:
    rows = "".join(f"<li><code>{html.escape(str(e.position))}</code> {'(提醒) ' if e.is_warning else ''}"
                   f"<b>{html.escape(e.code)}</b> "
                   f"{html.escape(e.message)}<br><small>{html.escape(e.hint)}</small></li>" for e in errors)
    return HTMLResponse("<!doctype html><meta charset=utf-8><title>表单有误</title><link rel=stylesheet href=/static/app.css>"
                        f"<main class=page><h1>表单有误({len(errors)})</h1><p>修改并保存后刷新本页;"
                        "如有上一次正确的版本,市民仍使用该版本。</p>"
                        f"<ol class=lint>{rows}</ol></main>", status_code=200)


def preview_engine(engine: Engine) -> Engine:
    """An engine on a throwaway store: previews never touch citizens' drafts."""
    return Engine(engine.definition, engine.services, open_store(":memory:"))


def preview_view(engine: Engine, identity: Any, journey_id: str, page_id: str, state: str) -> Any:
    """The page with sample answers (`filled`), empty, or empty after pressing its first button (`errors`)."""
    journey = engine.definition.journeys.get(journey_id)
    page = journey.page(page_id) if journey else None
    if journey is None or page is None:
        return None
    preview = preview_engine(engine)
    draft = sample_draft(engine.definition, journey, identity, preview.store) if state == "filled" else None
    ev = Evaluation(engine.definition, journey, draft or Draft(), identity, engine.services, preview.store)
    feedback = Feedback(errors=ev.page_errors(page) if state == "errors" else {})
    return preview.view(ev, page, feedback)
