"""The parts of forms/schema/form.schema.json that the services registry owns: the service names (with what each
takes and gives) and a journey's `verify:`. `python -m renderer.tools.schema_services` writes them in place."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from renderer.services.registry import SERVICES, VERIFICATIONS

SCHEMA = Path(__file__).resolve().parents[2] / "forms" / "schema" / "form.schema.json"


def _service_line(name: str) -> str:
    service = SERVICES[name]
    parts = [f"{name}: {service.summary}"]
    if service.args:
        parts.append("with: " + ", ".join(service.args))
    parts.append("outcomes: " + ", ".join(service.codes))
    if service.keeps:
        parts.append("keep: " + ", ".join(service.keeps))
    if service.needs:
        parts.append("needs a journey that declares verify: " + ", ".join(service.needs))
    return " — ".join(parts)


def service_name() -> dict[str, Any]:
    return {
        "enum": list(SERVICES),
        "description": "A service the engine knows (renderer/services/registry.py). " +
                       "; ".join(_service_line(name) for name in SERVICES) + ".",
        "examples": ["eligibility_check", "submit_application"],
    }


def verify() -> dict[str, Any]:
    return {
        "type": "array",
        "description": "The verifications this journey needs (the face check). The engine makes sure of each on every "
                       "request for a page from `from` on, whatever a button's `calls:` say: without a valid pass the "
                       "citizen is sent to the check first, then back. A button that calls the verification runs it "
                       "before any other service. Lint refuses a route into those pages that does not verify.",
        "examples": [[{"service": "face_check", "from": "eligibility", "valid_minutes": 30,
                       "failed": "人脸核验未通过,请重新核验"}]],
        "items": {
            "type": "object",
            "description": "One verification and the pages that need it.",
            "properties": {
                "service": {"enum": list(VERIFICATIONS), "description": "The verification service.",
                            "examples": ["face_check"]},
                "from": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$",
                         "description": "The first page that needs a pass; every page after it needs one too.",
                         "examples": ["eligibility"]},
                "valid_minutes": {"type": "integer", "minimum": 1,
                                  "description": "How long a pass stays valid, in minutes (for this citizen, in "
                                                 "every journey).", "examples": [30]},
                "failed": {"type": "string", "minLength": 1,
                           "description": "The message on the first page when the check does not pass (a button "
                                          "that calls the service may route its failure outcome itself).",
                           "examples": ["人脸核验未通过,请重新核验"]},
            },
            "required": ["service", "from", "valid_minutes", "failed"],
            "additionalProperties": False,
        },
    }


def apply(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with the registry's parts put in (the rest is left as it is)."""
    schema["$defs"]["serviceName"] = service_name()
    schema["properties"]["verify"] = verify()
    return schema


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2)


def main() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    SCHEMA.write_text(render(apply(schema)), encoding="utf-8")


if __name__ == "__main__":
    main()
