"""The named service actions that buttons declare (`calls:`), bound to the adapters."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from renderer.definition.checks import PLACEHOLDER
from renderer.definition.expressions import Expression, compile_expression
from renderer.definition.functions import FUNCTIONS
from renderer.definition.model import Call
from renderer.journey import submission
from renderer.journey.evaluation import Evaluation
from renderer.journey.payload import application_payload
from renderer.services.base import Outcome
from renderer.services.registry import SERVICES
from widgets.display import show


def _precheck(ev: Evaluation, args: Mapping[str, Any], journey_id: str) -> Outcome:
    return ev.services.provincial.precheck(ev.identity, **args)


def _eligibility(ev: Evaluation, args: Mapping[str, Any], journey_id: str) -> Outcome:
    return ev.services.provincial.eligibility(ev.identity, **args)


def _submit_application(ev: Evaluation, args: Mapping[str, Any], journey_id: str) -> Outcome:
    return submission.submit(ev, journey_id, application_payload(ev))


def _submit_cleanup(ev: Evaluation, args: Mapping[str, Any], journey_id: str) -> Outcome:
    return ev.services.provincial.submit_cleanup(ev.identity, list(args.get("cards") or []))


# Each service that is one request, bound to its adapter; verifications (begin, a screen, a result) are run by the
# engine through their adapter (renderer/journey/verification.py). Together they are every declared service.
BINDINGS: Mapping[str, Callable[[Evaluation, Mapping[str, Any], str], Outcome]] = {
    "precheck": _precheck, "eligibility_check": _eligibility,
    "submit_application": _submit_application, "submit_cleanup": _submit_cleanup,
}
assert set(BINDINGS) == {name for name, s in SERVICES.items() if not s.interactive}, "a declared service is unbound"


def run_call(call: Call, ev: Evaluation, form: Mapping[str, Any], journey_id: str) -> Outcome:
    """Run one service action that is a single request (a verification is run by the engine before the calls)."""
    args = {name: expr.evaluate(ev.env) for name, expr in call.args.items()}
    return BINDINGS[call.service](ev, args, journey_id)


@lru_cache(maxsize=512)
def _placeholder(source: str, roots: frozenset[str]) -> Expression:
    # Placeholders were checked against the journey when the forms loaded; here every root in env is known.
    return compile_expression(source, known_roots=roots, functions=FUNCTIONS)


def fill(text: str, env: Mapping[str, Any]) -> str:
    """Replace each {expression} in a popup or result text with its value."""
    roots = frozenset(env)
    return PLACEHOLDER.sub(lambda m: show(_placeholder(m.group(1), roots).evaluate(env)), text)

