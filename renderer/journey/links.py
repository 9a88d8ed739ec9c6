"""Where a popup's or a result's button leads: a page, the journey's start, the return point, another journey."""
from __future__ import annotations

from collections.abc import Mapping

from renderer.definition.model import Journey, Link
from renderer.journey.evaluation import RETURN, Evaluation
from renderer.journey.view import RESTART, page_url


def return_url(journeys: Mapping[str, Journey], point: str) -> str | None:
    """The page a `goto: return` leads back to ('journey:page'), when that page exists today."""
    journey_id, _, page_id = point.partition(":")
    journey = journeys.get(journey_id)
    return page_url(journey_id, page_id) if journey and journey.page(page_id) else None


def link_url(journeys: Mapping[str, Journey], ev: Evaluation, page_id: str | None, link: Link) -> str | None:
    """Where a popup or result button leads; None closes the dialog."""
    journey = ev.journey
    if link.href:
        return link.href
    if link.goto == "return":
        back = ev.draft.facts.get(RETURN)
        url = return_url(journeys, back) if back else None
        if url:
            return url
    elif link.goto == "start":
        return f"/j/{journey.id}{RESTART}"
    elif link.goto:
        return page_url(journey.id, link.goto)
    if link.journey:
        url = f"/j/{link.journey}" + (f"/{link.page}" if link.page else "")
        return url + (f"?return={journey.id}:{page_id}" if link.remember and page_id else "")
    return None
