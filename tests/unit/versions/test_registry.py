"""A stored version that fails to load is remembered as a failure (a pure function of immutable files): loaded once."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from renderer.versions import registry
from renderer.versions.registry import VersionRegistry


class StoredVersions:
    def __init__(self, files: dict[str, dict[str, str]]) -> None:
        self.stored, self.reads = files, 0

    def files(self, version: str) -> tuple[str, dict[str, str]] | None:
        self.reads += 1
        return ("旧版", self.stored[version]) if version in self.stored else None

    def label(self, version: str) -> str | None:
        return "旧版" if version in self.stored else None


class Store:
    def __init__(self, versions: StoredVersions) -> None:
        self.versions = versions


def test_a_version_that_fails_to_load_is_tried_once_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[Path] = []
    real = registry.load_forms
    monkeypatch.setattr(registry, "load_forms", lambda root: loads.append(root) or real(root))
    stored = StoredVersions({"broken": {"journeys/x.yaml": "journey: x\npages: [{id: a, title: A, fields: 3}]\n"}})
    versions = VersionRegistry(None, store=Store(stored))
    assert versions.unloadable("broken") is None                  # not tried yet
    assert versions.get("broken") is None and versions.get("broken") is None
    assert len(loads) == 1 and stored.reads == 1
    assert str(versions.unloadable("broken")).startswith("no longer loads:")


def test_a_version_missing_from_the_store_is_asked_for_once() -> None:
    stored = StoredVersions({})
    versions: Any = VersionRegistry(None, store=Store(stored))
    assert versions.get("gone") is None and versions.get("gone") is None
    assert stored.reads == 1 and versions.unloadable("gone") == "not in the store"
