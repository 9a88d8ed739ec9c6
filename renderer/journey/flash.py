"""What a POST said (errors, notices, a popup, a message), kept in the store for the GET it redirects to.

Every journey POST that shows its page again answers 303 to the page's URL with `?flash=<token>`, so Back and
reload never ask to resubmit a form. The token names a record (any worker can read it, nothing lives in a
process's memory) that belongs to one citizen, journey and page; a second tab opening the page without the
token does not see it. A reload shows the same errors again, as long as the draft has not been saved since:
once the citizen has changed something, Back to that address shows the page as it is now, without them.
"""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from renderer.journey.view import Feedback, PageView, page_url
from renderer.store.base import utcnow

KIND = "flash"
LIFETIME = dt.timedelta(minutes=30)      # as long as a session without a request
PARAM = "flash"


def keep(records: Any, owner: str, view: PageView) -> str:
    """Store what `view` was to show; returns the URL of the page that shows it."""
    token = secrets.token_urlsafe(16)
    records.put(KIND, token, {"owner": owner, "journey": view.journey.id, "page": view.page.id,
                              "version": view.version, "status": view.status,
                              "feedback": (view.feedback or Feedback()).to_json()}, utcnow() + LIFETIME)
    url = page_url(view.journey.id, view.page.id, edit=view.edit)
    return url + ("&" if "?" in url else "?") + f"{PARAM}={token}"


def shown(records: Any, owner: str, journey_id: str, page_id: str, token: str | None,
          version: int | None) -> Feedback | None:
    """The feedback a redirect carried to this page, if it is this citizen's and the draft is as it was then."""
    if not token or len(token) > 64:
        return None
    kept = records.get(KIND, token)
    if kept is None or (kept.get("owner"), kept.get("journey"), kept.get("page")) != (owner, journey_id, page_id):
        return None
    if kept.get("version") != version:
        return None
    return Feedback.from_json(kept.get("feedback") or {})
