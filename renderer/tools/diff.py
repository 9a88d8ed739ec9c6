"""`yss diff OLD NEW`: what changes for citizens in flight between two versions of forms/.

OLD and NEW are forms folders, or git revisions whose forms/ is read with `git archive` (`yss diff HEAD ./forms`
compares the last commit with the working copy). Exit 0 when every change is compatible, 3 when any is breaking,
2 when a version does not load or cannot be found.
"""
from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from renderer.definition.loader import load_forms
from renderer.definition.model import Definition
from renderer.tools.paths import JourneyPath, journey_paths
from renderer.versions.diff import Change, diff
from renderer.versions.places import Places

EXIT_COMPATIBLE, EXIT_UNUSABLE, EXIT_BREAKING = 0, 2, 3


class Unusable(Exception):
    """A version that cannot be compared: not found, or its forms do not load."""


@dataclass
class Version:
    source: str            # as given on the command line
    root: Path
    definition: Definition


@dataclass
class RouteChange:
    journey: str
    change: str            # appeared | disappeared
    pages: list[str]
    end: dict[str, str]
    outcome: dict[str, str]
    answers: dict[str, str]


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60, check=False)


def extract_revision(revision: str, into: Path, forms_path: str = "forms", cwd: Path | None = None) -> Path:
    """The forms folder of a git revision, written under `into` (the working copy is not touched)."""
    cwd = cwd or Path.cwd()
    top = _git(["rev-parse", "--show-toplevel"], cwd)
    if top.returncode != 0:
        raise Unusable(f"{revision}: not a folder, and {cwd} is not in a git repository")
    if _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], cwd).returncode != 0:
        raise Unusable(f"{revision}: neither a folder nor a git revision")
    archive = _git(["archive", "--format=tar", revision, "--", forms_path], Path(top.stdout.decode().strip()))
    if archive.returncode != 0:
        raise Unusable(f"{revision}: has no {forms_path}/ ({archive.stderr.decode().strip()})")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into / forms_path


def load_version(source: str, scratch: Path, forms_path: str = "forms") -> Version:
    folder = Path(source)
    if folder.is_dir():
        root = folder.resolve()
    else:
        safe = "".join(ch if ch.isalnum() else "_" for ch in source)
        root = extract_revision(source, scratch / safe, forms_path)
    result = load_forms(root)
    if result.definition is None:
        lines = "\n".join(str(e) for e in result.errors)
        raise Unusable(f"{source}: {len(result.errors)} problem(s); fix them first (yss lint):\n{lines}")
    return Version(source, root, result.definition)


def route_changes(old: Definition, new: Definition) -> list[RouteChange]:
    """The routes (`yss paths`) of each journey that only one of the two versions has."""
    found: list[RouteChange] = []
    for jid in dict.fromkeys([*new.journeys, *old.journeys]):
        before = {_route_key(p): p for p in (journey_paths(old, old.journeys[jid]) if jid in old.journeys else [])}
        after = {_route_key(p): p for p in (journey_paths(new, new.journeys[jid]) if jid in new.journeys else [])}
        for key in [k for k in before if k not in after]:
            found.append(_route_change(jid, "disappeared", before[key]))
        for key in [k for k in after if k not in before]:
            found.append(_route_change(jid, "appeared", after[key]))
    return found


def _route_key(path: JourneyPath) -> tuple[Any, ...]:
    return (tuple(path.pages), path.end["kind"], path.end["id"], tuple(sorted(path.outcome.items())),
            tuple(sorted(path.answers.items())))


def _route_change(journey: str, what: str, path: JourneyPath) -> RouteChange:
    return RouteChange(journey, what, list(path.pages), dict(path.end), dict(path.outcome), dict(path.answers))


# ---------------------------------------------------------------------- output

def _where(c: Change) -> str:
    if c.position is None:
        return "-"
    return f"{c.position.file}:{c.position.line}" + (" (old)" if c.in_old else "")


def _route_line(r: RouteChange) -> str:
    cause = f"{r.outcome['page']}:{r.outcome['button']} → {r.outcome['code']}" if r.outcome else "ok"
    answers = ", ".join(f"{k}={v}" for k, v in r.answers.items()) or "-"
    sign = "+" if r.change == "appeared" else "−"
    end = r.end["id"] or r.end.get("title", "")[:30]
    return f"  {sign} {r.journey}  {' › '.join(r.pages)}  ⇒ {r.end['kind']} {end}  [{cause}; {answers}]"


def text_report(old: Version, new: Version, changes: list[Change], routes: list[RouteChange]) -> str:
    lines = [f"yss diff {old.source} ({old.definition.label}) → {new.source} ({new.definition.label})"]
    width = max((len(_where(c)) for c in changes), default=0)
    groups: dict[str, list[Change]] = {}
    for c in changes:
        groups.setdefault(c.journey or "", []).append(c)
    for journey_id, group in sorted(groups.items(), key=lambda g: g[0] == ""):
        journey = new.definition.journeys.get(journey_id) or old.definition.journeys.get(journey_id)
        lines += ["", f"{journey_id}  {journey.title}" if journey else "data: lists, cities, resident types"]
        for c in group:
            lines.append(f"  {c.classification:<10}  {_where(c):<{width}}  {c.subject} — {c.reason}")
    if routes:
        lines += ["", "routes (yss paths) that appear (+) and disappear (−):"]
        lines += [_route_line(r) for r in routes]
    breaking = sum(c.breaking for c in changes)
    appeared = sum(r.change == "appeared" for r in routes)
    lines += ["", (f"{len(changes)} change(s): {breaking} breaking, {len(changes) - breaking} compatible; "
                   f"routes: {appeared} appear, {len(routes) - appeared} disappear")]
    return "\n".join(lines)


def json_report(old: Version, new: Version, changes: list[Change], routes: list[RouteChange]) -> str:
    def version(v: Version) -> dict[str, str]:
        return {"source": v.source, "version": v.definition.version, "label": v.definition.label}

    def one(c: Change) -> dict[str, Any]:
        where = c.position
        return {"kind": c.kind, "classification": c.classification, "journey": c.journey, "subject": c.subject,
                "reason": c.reason, "file": where.file if where else None, "line": where.line if where else None,
                "col": where.col if where else None, "in_old": c.in_old, "page": c.page, "field": c.field,
                "value": c.value, "details": dict(c.details)}

    return json.dumps({"old": version(old), "new": version(new), "breaking": any(c.breaking for c in changes),
                       "changes": [one(c) for c in changes], "routes": [asdict(r) for r in routes]},
                      ensure_ascii=False, indent=2)


def run_diff(old: str, new: str, as_json: bool = False, forms_path: str = "forms") -> int:
    with tempfile.TemporaryDirectory(prefix="yss-diff-") as scratch:
        try:
            before = load_version(old, Path(scratch) / "old", forms_path)
            after = load_version(new, Path(scratch) / "new", forms_path)
        except Unusable as exc:
            print(exc)
            return EXIT_UNUSABLE
        changes = diff(before.definition, after.definition, Places.read(before.root), Places.read(after.root))
        routes = route_changes(before.definition, after.definition)
        print(json_report(before, after, changes, routes) if as_json else text_report(before, after, changes, routes))
    return EXIT_BREAKING if any(c.breaking for c in changes) else EXIT_COMPATIBLE
