"""The named service actions that buttons declare (`calls:`), bound to the adapters."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

from renderer.definition.build import PLACEHOLDER
from renderer.definition.expressions import Expression, compile_expression
from renderer.definition.functions import FUNCTIONS
from renderer.definition.model import Call
from renderer.journey import submission
from renderer.journey.evaluation import Evaluation
from renderer.journey.payload import application_payload
from renderer.services.base import Outcome
from widgets.display import show


def run_call(call: Call, ev: Evaluation, form: Mapping[str, Any], journey_id: str) -> Outcome:
    """Run one service action; face_check is interactive and handled by the engine before this."""
    provincial = ev.services.provincial
    args = {name: expr.evaluate(ev.env) for name, expr in call.args.items()}
    if call.service == "precheck":
        return provincial.precheck(ev.identity, **args)
    if call.service == "eligibility_check":
        return provincial.eligibility(ev.identity, **args)
    if call.service == "submit_application":
        return submission.submit(ev, journey_id, application_payload(ev))
    if call.service == "submit_cleanup":
        return provincial.submit_cleanup(ev.identity, list(args.get("cards") or []))
    raise ValueError(f"unknown service action {call.service}")


@lru_cache(maxsize=512)
def _placeholder(source: str, roots: frozenset[str]) -> Expression:
    # Placeholders were checked against the journey when the forms loaded; here every root in env is known.
    return compile_expression(source, known_roots=roots, functions=FUNCTIONS)


def fill(text: str, env: Mapping[str, Any]) -> str:
    """Replace each {expression} in a popup or result text with its value."""
    roots = frozenset(env)
    return PLACEHOLDER.sub(lambda m: show(_placeholder(m.group(1), roots).evaluate(env)), text)

