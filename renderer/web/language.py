"""Which language a citizen reads, and the 简体 / 繁體 switch at the foot of every page.

The choice is a long-lived cookie (no worker keeps it in memory; 退出 and signing in again keep it). Without a choice,
the resident type's `language:` (forms/residents.yaml) decides: Hong Kong and Macau residents read zh-Hant-HK, Taiwan
residents zh-Hant-TW; everyone else Simplified. 繁體 chosen by someone whose type has no Traditional language of
its own is Hong Kong's (Guangdong's neighbour, and the wording most Traditional readers there know).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from renderer.definition.languages import HONG_KONG, LANGUAGES, SIMPLIFIED, TRADITIONAL
from renderer.definition.model import Definition, Journey
from renderer.web.security import same_site_path

COOKIE = "yss_lang"
COOKIE_AGE = 2 * 365 * 24 * 3600          # seconds: a preference, kept like the phone's own language setting
TRADITIONAL_CHOICE = "zh-Hant"
CHOICES = {SIMPLIFIED: "简体", TRADITIONAL_CHOICE: "繁體"}     # what the switch offers, each in its own script
FIELD = "_language"                        # the switch's form field (on a journey page, posted with the answers)


def choice_of(request: Request) -> str | None:
    """The citizen's own choice, if they made one."""
    chosen = request.cookies.get(COOKIE)
    return chosen if chosen in CHOICES else None


def language_of(request: Request, definition: Definition | None, resident_type: str | None) -> str:
    """The language code the citizen's pages are drawn in."""
    declared = None
    if definition is not None and resident_type:
        declared = (definition.residents.get(resident_type) or {}).get("language")
    chosen = choice_of(request)
    if chosen == SIMPLIFIED:
        return SIMPLIFIED
    if chosen == TRADITIONAL_CHOICE:
        return declared if declared in TRADITIONAL else HONG_KONG
    return declared if declared in LANGUAGES else SIMPLIFIED


def remember(response: Response, chosen: Any, https: bool) -> Response:
    """`response` setting the cookie when `chosen` is one of the switch's choices."""
    if chosen in CHOICES:
        response.set_cookie(COOKIE, str(chosen), max_age=COOKIE_AGE, path="/", samesite="lax", secure=https,
                            httponly=True)
    return response


def switched(form: Mapping[str, Any] | None, https: bool) -> Response:
    """The answer to the switch outside a journey page: back to the same page, in the chosen language."""
    form = form or {}
    response = RedirectResponse(same_site_path(form.get("back")), status_code=303)
    return remember(response, form.get(FIELD), https)


def switch_context(language: str) -> dict[str, Any]:
    """What base.html's switch shows: the choices, which one is current, and the lang of each label."""
    current = SIMPLIFIED if LANGUAGES[language].profile is None else TRADITIONAL_CHOICE
    return {"lang": language, "language_choices": [{"value": code, "label": label, "current": code == current}
                                                   for code, label in CHOICES.items()]}


def result_in(texts: Definition, journey: Journey, outcome: Mapping[str, Any]) -> dict[str, Any]:
    """A result page's variables (renderer/journey/engine.py's `result`) with their texts in `texts`' language."""
    shown = texts.journeys.get(journey.id, journey)
    result = outcome["result"]
    buttons = [{**b, "label": texts.said(b["label"])} for b in outcome["buttons"]]
    advice = outcome.get("advice")
    return {**outcome, "journey": shown, "result": shown.results.get(result.id, result),
            "text": texts.said(outcome["text"]), "buttons": buttons,
            "rows": [{**row, "label": texts.said(row["label"])} for row in outcome.get("rows") or ()],
            "next": [texts.said(line) for line in outcome.get("next") or ()],
            "advice": dataclasses.replace(advice, explain=texts.said(advice.explain), advice=texts.said(advice.advice))
            if advice else None}
