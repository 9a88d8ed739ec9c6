"""A result page's view (提交成功 / 提交失败): its text and facts filled in, what happens next, the advice for the
reason an outside system gave, and the buttons that advice allows."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from renderer.definition.model import Journey, Link, Result
from renderer.journey.calls import fill
from renderer.journey.view import link_button
from widgets.display import show


def result_view(journey: Journey, result: Result, env: Mapping[str, Any],
                url_of: Callable[[Link], str | None]) -> dict[str, Any]:
    outcome = env.get("outcome") or {}
    advice = result.advice_for(outcome.get("reason"))
    retry = advice.retry if advice else True
    rows = [{"label": row.label, "value": show(row.value.evaluate(env))} for row in result.shows]
    return {"result": result, "text": fill(result.text, env),
            "rows": [row for row in rows if row["value"]],
            "next": [fill(line, env) for line in result.next],
            "advice": advice,
            "receipt": receipt_reference(journey, outcome),
            "buttons": [link_button(link.label, url_of(link) or f"/j/{journey.id}")
                        for link in result.buttons if retry or not link.resubmit]}


def receipt_reference(journey: Journey, outcome: Mapping[str, Any]) -> str | None:
    """The application number a receipt can be shown for: the journey keeps receipts and the province accepted it."""
    reference = outcome.get("application_id")
    return str(reference) if journey.receipt and outcome.get("code") == "ok" and reference else None
