"""The versions of the forms a server can serve: the one it loaded (current), and every older one a draft is still
on, read back from the store — where each version's files were written, immutable, when a server first loaded it."""
from __future__ import annotations

import logging
import tempfile
import threading
from pathlib import Path
from typing import Any

from renderer.definition.loader import load_forms
from renderer.definition.model import Definition
from renderer.definition.version import source_files

log = logging.getLogger("yss.versions")


class VersionRegistry:
    def __init__(self, current: Definition | None, root: Path | None = None, store: Any = None) -> None:
        self.store = store
        self._cache: dict[str, Definition] = {}
        # Versions that cannot be had, with why: a load is a pure function of a version's stored files (written
        # once, never changed) and of this process's code, so its failure is kept like its success, per process,
        # and never tried again; another worker finds the same by itself. Nothing a request needs lives only here.
        self._unloadable: dict[str, str] = {}
        self._lock = threading.Lock()
        self.current: Any = current       # None only while an analyst's `serve --reload` starts on broken forms
        if current is not None:
            self.publish(current, root)

    def publish(self, definition: Definition | None, root: Path | None = None) -> None:
        """Serve `definition` from now on; its files go to the store (once) so that every worker can load it later."""
        if definition is None:        # no forms to serve (an analyst's broken start; /readyz says so)
            self.current = None
            return
        if (root is not None and self.store is not None and definition.version
                and self.store.versions.keep(definition.version, definition.label, source_files(root))):
            log.info("form version %s (%s) stored", definition.label, definition.version)
        self._cache[definition.version] = definition
        self.current = definition

    def get(self, version: str) -> Definition | None:
        """The definition of a stored version, loaded once per process; None if it cannot be had (see
        `unloadable`: that answer is kept too, so a version that fails is not loaded again on every request)."""
        found = self._cache.get(version)
        if found is not None or self.store is None or version in self._unloadable:
            return found
        with self._lock:
            if version not in self._cache and version not in self._unloadable:
                loaded = self._load(version)
                if isinstance(loaded, str):
                    self._unloadable[version] = loaded
                else:
                    self._cache[version] = loaded
        return self._cache.get(version)

    def unloadable(self, version: str | None) -> str | None:
        """Why a stored version cannot be served any more (it fails today's checks, or is missing), once `get`
        tried it; None for a version that loads, or that was not tried."""
        return self._unloadable.get(version) if version else None

    def label(self, version: str | None) -> str:
        if not version:
            return "(before versions)"
        known = self._cache.get(version)
        return known.label if known else (self.store.versions.label(version) if self.store else None) or version[:8]

    def _load(self, version: str) -> Definition | str:
        """The definition of a stored version, or why there is none."""
        stored = self.store.versions.files(version)
        if stored is None:
            log.warning("form version %s is not in the store", version)
            return "not in the store"
        label, files = stored
        with tempfile.TemporaryDirectory(prefix="yss-version-") as folder:
            root = Path(folder) / "forms"
            for name, text in files.items():
                path = root / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            result = load_forms(root)
        if result.definition is None:
            log.warning("form version %s (%s) no longer loads: %d problems", label, version, len(result.errors))
            return f"no longer loads: {len(result.errors)} problems ({', '.join(sorted({e.code for e in result.errors}))})"
        return result.definition


def log_drafts_on_older_versions(versions: VersionRegistry, store: Any) -> None:
    """At start, tell the operator how many drafts are on older versions and what will happen to them."""
    current = versions.current
    log.info("serving form version %s (%s)", current.label, current.version)
    for journey_id, version, count in store.versions.drafts_not_on(current.version):
        journey = current.journeys.get(journey_id)
        broken = version and journey is not None and versions.get(version) is None and versions.unloadable(version)
        if broken:
            log.warning("%d %s draft(s) on form version %s, which %s: each is shown a page that offers to start "
                        "again on %s (answers kept where they still fit)", count, journey_id, versions.label(version),
                        broken, current.label)
            continue
        if journey is None:
            what = "journey no longer served: they finish on their version"
        elif journey.in_flight == "continue":
            what = "in_flight: continue — they finish on their version"
        else:
            what = (f"in_flight: move_when_compatible — each moves to {current.label} at its next request if every "
                    "change is compatible for its answers, else finishes on its version")
        log.info("%d %s draft(s) on form version %s: %s", count, journey_id, versions.label(version), what)
