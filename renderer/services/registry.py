"""Every service a journey can call, declared once: its name, arguments, outcomes, what it keeps, what it needs.

The JSON Schema of the DSL (`$defs/serviceName`, the `with:` of each service), the loader's checks, the reference
docs, the engine's dispatch (renderer/journey/calls.py) and the simulator's answers all read these declarations.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from renderer.services.base import Outcome

CALL, VERIFICATION = "call", "verification"


@dataclass(frozen=True)
class Service:
    name: str
    summary: str                                   # one line for the docs and the schema
    kind: str = CALL                               # call: one request; verification: begin, a screen, then a result
    args: Mapping[str, str] = field(default_factory=dict)        # `with:` argument -> what it is
    outcomes: Mapping[str, str] = field(default_factory=dict)    # codes besides ok -> when it is given
    keeps: Mapping[str, str] = field(default_factory=dict)       # what an ok outcome's data holds (`keep:`)
    needs: tuple[str, ...] = ()                    # verifications a journey must declare before calling it
    adapter: str | None = None                     # verification: the Services field with begin() / complete()
    screen: str | None = None                      # verification: the template the adapter's screen is shown with
    failed: str | None = None                      # verification: the outcome when it does not pass

    @property
    def codes(self) -> tuple[str, ...]:
        """Every outcome code it can give, ok first."""
        return ("ok", *self.outcomes)

    @property
    def interactive(self) -> bool:
        return self.kind == VERIFICATION


_UNAVAILABLE = "the back office did not answer (系统繁忙)"

SERVICES: Mapping[str, Service] = MappingProxyType({s.name: s for s in (
    Service("face_check", "Face verification of the signed-in citizen by the 粤省事 channel.",
            kind=VERIFICATION, outcomes={"face_failed": "the face did not match, or the citizen gave up"},
            adapter="face", screen="face.html", failed="face_failed"),
    Service("precheck", "Pre-check of the signed-in citizen before an application starts.",
            outcomes={"has_application": "an application is already in progress",
                      "not_online": "the citizen's resident type cannot apply online",
                      "ineligible": "no insurance record was found", "unavailable": _UNAVAILABLE}),
    Service("eligibility_check", "May this person (or the minor in their care) apply for a card in a city?",
            args={"city": "the intended issuing city", "applicant": "the minor's ID number",
                  "applicant_name": "the minor's name", "relationship": "the guardian's relationship to the minor"},
            outcomes={"has_application": "the applicant already holds a card, or an application for one (一人一卡)",
                      "cards_elsewhere": "cards from other Guangdong cities must be cleaned up first",
                      "ineligible": "no insurance record was found",
                      "unknown_applicant": "the minor is not on record as the guardian's",
                      "relationship_mismatch": "the recorded relationship differs from the one chosen",
                      "unavailable": _UNAVAILABLE},
            keeps={"name": "the applicant's name on record", "birth_date": "date of birth",
                   "household_registration_date": "when the household register recorded them", "id_type": "document type"}),
    Service("submit_application", "Send the application to the provincial system (idempotent per draft).",
            outcomes={"rejected": "the provincial system refused it (the reason comes with it)",
                      "has_application": "the applicant already holds a card, or an application for one (一人一卡)",
                      "unavailable": _UNAVAILABLE},
            keeps={"application_id": "the application number"}, needs=("face_check",)),
    Service("submit_cleanup", "Cancel the cards other Guangdong cities issued (一人一卡清理).",
            args={"cards": "the cards to cancel"},
            outcomes={"rejected": "the cards changed meanwhile", "unavailable": _UNAVAILABLE},
            keeps={"application_id": "the cleanup's number"}),
)})

VERIFICATIONS = tuple(name for name, s in SERVICES.items() if s.interactive)


def outcome(service: str, code: str, reason: str | None = None, data: Mapping[str, Any] | None = None) -> Outcome:
    """An answer of `service`; a code it does not declare is a programming error (adapters answer what YAML routes)."""
    if code not in SERVICES[service].codes:
        raise ValueError(f"service {service} does not declare the outcome {code!r}")
    return Outcome(code, reason, dict(data or {}))
