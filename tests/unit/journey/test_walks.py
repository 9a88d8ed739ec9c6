"""Walks are remembered by their inputs: the same draft is walked once, and nothing else changes what was kept."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from renderer.definition.loader import load_or_raise
from renderer.journey.evaluation import Draft, Evaluation
from renderer.journey.walks import Walks
from renderer.services.base import Identity

FIXTURE = Path(__file__).parents[2] / "fixtures" / "forms" / "branching"
ME = Identity(key="k1", name="张伟", id_number="440106199001011235", id_type="居民身份证", resident_type="mainland")
TODAY = dt.date(2026, 1, 5)


@pytest.fixture(scope="module")
def definition():
    return load_or_raise(FIXTURE)


def walk(walks: Walks, definition, draft: Draft, identity: Identity = ME, today: dt.date = TODAY) -> Evaluation:
    return walks.evaluate(definition, definition.journeys["branching"], draft, identity, today=today)


def same(a: Evaluation, b: Evaluation) -> None:
    assert a.env == b.env
    assert a.visible == b.visible
    assert [p.id for p in a.pages_on_route] == [p.id for p in b.pages_on_route]


def test_a_remembered_walk_is_what_walking_gives(definition) -> None:
    walks = Walks()
    raw = {"method": "邮寄", "address": "广州市天河路1号"}
    first = walk(walks, definition, Draft(raw=dict(raw)))
    again = walk(walks, definition, Draft(raw=dict(raw)))
    assert (walks.hits, walks.misses) == (1, 1)
    direct = Evaluation(definition, definition.journeys["branching"], Draft(raw=dict(raw)), ME, today=TODAY)
    same(first, direct)
    same(again, direct)


def test_other_answers_date_or_citizen_walk_again(definition) -> None:
    walks = Walks()
    walk(walks, definition, Draft(raw={"method": "邮寄"}))
    mailing = walk(walks, definition, Draft(raw={"method": "邮寄"}))
    branch = walk(walks, definition, Draft(raw={"method": "网点"}))
    walk(walks, definition, Draft(raw={"method": "邮寄"}), today=TODAY + dt.timedelta(days=1))
    walk(walks, definition, Draft(raw={"method": "邮寄"}), identity=Identity(
        key="k2", name="李娜", id_number="440106199202022345", id_type="居民身份证", resident_type="mainland"))
    assert (walks.hits, walks.misses) == (1, 4)
    assert [p.id for p in mailing.pages_on_route] != [p.id for p in branch.pages_on_route]


def test_changing_a_draft_after_its_walk_changes_nothing_kept(definition) -> None:
    walks = Walks()
    draft = Draft(raw={"method": "邮寄", "address": "广州市天河路1号"}, facts={"_records": {"x": {"n": 1}}})
    ev = walk(walks, definition, draft)
    draft.raw["method"] = "网点"
    draft.facts["_records"]["x"]["n"] = 2
    ev.env["method"] = "changed by a caller"
    ev.visible.clear()
    kept = walk(walks, definition, Draft(raw={"method": "邮寄", "address": "广州市天河路1号"},
                                         facts={"_records": {"x": {"n": 1}}}))
    assert walks.hits == 1
    assert kept.env["method"] == "邮寄"
    assert kept.env["records"] == {"x": {"n": 1}}
    assert kept.visible


def test_walks_are_bounded(definition) -> None:
    walks = Walks(size=3)
    for n in range(5):
        walk(walks, definition, Draft(raw={"address": f"广州市天河路{n}号"}))
    walk(walks, definition, Draft(raw={"address": "广州市天河路0号"}))      # the oldest went first
    walk(walks, definition, Draft(raw={"address": "广州市天河路4号"}))
    assert (walks.hits, walks.misses) == (1, 6)


def test_completeness_is_remembered_only_for_the_draft_walked(definition) -> None:
    walks = Walks()
    journey = definition.journeys["branching"]
    method = journey.page("method")
    raw = {"method": "邮寄"}
    first = walk(walks, definition, Draft(raw=dict(raw)))
    first.mark_done(method)
    done = dict(first.draft.done)
    again = walk(walks, definition, Draft(raw=dict(raw), done=dict(done)))
    assert again.is_complete(method)
    assert walk(walks, definition, Draft(raw=dict(raw), done=dict(done))).is_complete(method)   # remembered
    changed = walk(walks, definition, Draft(raw=dict(raw), done=dict(done)))
    changed.draft.raw["method"] = ""        # the engine changed the draft after evaluating it
    assert not changed.is_complete(method)
    assert walk(walks, definition, Draft(raw=dict(raw), done={})).is_complete(method) is False


def test_reevaluating_an_unchanged_draft_keeps_the_evaluation_and_a_changed_one_walks_again(definition) -> None:
    from renderer.journey.engine import Engine
    from renderer.versions.registry import VersionRegistry

    engine = Engine(definition, services=None, store=None, versions=VersionRegistry(definition))
    journey = definition.journeys["branching"]
    ev = engine.evaluate(ME, journey, Draft(raw={"method": "邮寄"}))
    ev.draft.done["start"] = "fingerprint"          # not what a walk reads
    assert engine.reevaluate(ev) is ev
    ev.draft.raw["method"] = "网点"
    again = engine.reevaluate(ev)
    assert again is not ev and again.draft is ev.draft
    same(again, Evaluation(definition, journey, Draft(raw={"method": "网点"}), ME))


def test_a_stored_drafts_base_is_the_stored_text_read_afresh_each_time() -> None:
    draft = Draft.from_json({"raw": {"a": "1"}, "facts": {"x": {"n": 1}}}, 3, '{"facts": {"x": {"n": 1}}, "raw": {"a": "1"}}')
    draft.facts["x"]["n"] = 2                        # the working copy changes in place …
    assert draft.base == {"facts": {"x": {"n": 1}}, "raw": {"a": "1"}}      # … the base does not
    base = draft.base
    base["raw"]["a"] = "changed"
    assert draft.base is not None and draft.base["raw"] == {"a": "1"}
    assert Draft.from_json({"raw": {"a": "1"}}, None).base is None            # never stored: no base
    made = Draft.from_json({"raw": {"a": "1"}, "facts": {"x": {"n": 1}}}, 1)  # no text at hand: made from the state
    made.facts["x"]["n"] = 5
    assert made.base == {"raw": {"a": "1"}, "facts": {"x": {"n": 1}}}
