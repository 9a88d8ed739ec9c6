"""After the walks (this module is collected last): every application the e2e servers stored validates against
the schema of its journey, generated from the forms that server loaded. Servers on PostgreSQL drop their
throwaway database when their module ends, so the SQLite stores are the ones checked here."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from renderer.definition.loader import load_or_raise
from renderer.definition.model import Definition
from renderer.journey.payload_schema import payload_schema
from renderer.store import open_store
from tests.e2e.conftest import SERVED


def owners(store: Path) -> list[str]:
    """Who has applications in `store` (the store's interface lists them per owner)."""
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as db:
        return [row[0] for row in db.execute("SELECT DISTINCT owner FROM applications ORDER BY owner")]


def problems(payload: dict[str, Any], definition: Definition, journey: str) -> list[str]:
    schema = payload_schema(definition, definition.journeys[journey])
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(payload)]


def test_every_application_the_walks_made_validates_against_its_journeys_schema(server: str) -> None:
    if not any(p.exists() and owners(p) for p, _ in SERVED):
        pytest.skip("no browser walk stored an application in this session (run with the other e2e tests)")
    definitions: dict[Path, Definition] = {}
    checked, found = 0, []
    for store_path, forms in dict.fromkeys(SERVED):
        if not store_path.exists():
            continue
        definition = definitions.get(forms) or definitions.setdefault(forms, load_or_raise(forms))
        store = open_store(store_path)
        try:
            for owner in owners(store_path):
                for application in store.applications_of(owner):
                    where = f"{store_path.parent.name} application {application.id} ({application.journey})"
                    assert application.payload["form"]["version"] == definition.version, where
                    found += [f"{where}: {p}" for p in problems(application.payload, definition, application.journey)]
                    checked += 1
        finally:
            store.close()
    assert checked, f"no application in the e2e servers' stores {[str(s) for s, _ in SERVED]}: run after the walks"
    assert found == [], "\n".join(found)
