"""The store's contract, the same on SQLite and PostgreSQL: versions, merges, one live application, single-use
records, sessions that end, uploads that go when they should."""
from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from renderer.journey.drafts import DraftConflict, Drafts
from renderer.store.base import StaleDraft, SubmissionPending, utcnow
from renderer.store.sql import SqlStore

OWNER, OTHER = "owner-key-1", "owner-key-2"


def test_a_stale_draft_save_is_refused(store: SqlStore) -> None:
    first = store.save_draft(OWNER, "adult", {"raw": {"a": "1"}}, None)
    second = store.save_draft(OWNER, "adult", {"raw": {"a": "2"}}, first)
    with pytest.raises(StaleDraft):
        store.save_draft(OWNER, "adult", {"raw": {"a": "3"}}, first)
    with pytest.raises(StaleDraft):
        store.save_draft(OWNER, "adult", {"raw": {}}, None)      # it exists already
    loaded = store.load_draft(OWNER, "adult")
    assert loaded is not None and loaded.version == second and loaded.state["raw"] == {"a": "2"}


def test_two_workers_saving_different_answers_at_once_lose_nothing(worker: Callable[[], SqlStore]) -> None:
    tabs = [Drafts(worker()), Drafts(worker())]
    Drafts(worker()).save(OWNER, "adult", Drafts(worker()).load(OWNER, "adult"))
    start = threading.Barrier(2)

    def edit(tab: int) -> None:
        drafts = tabs[tab]
        start.wait()
        for n in range(30):
            draft = drafts.load(OWNER, "adult")
            draft.raw[f"tab{tab}.field{n}"] = f"answer {n}"
            drafts.save(OWNER, "adult", draft)       # acknowledged once this returns

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(edit, [0, 1]))
    raw = tabs[0].load(OWNER, "adult").raw
    assert len(raw) == 60 and all(raw[f"tab{t}.field{n}"] == f"answer {n}" for t in (0, 1) for n in range(30))


def test_two_first_saves_at_once_are_merged_not_an_error(worker: Callable[[], SqlStore]) -> None:
    tabs = [Drafts(worker()), Drafts(worker())]
    start = threading.Barrier(2)

    def first_save(tab: int) -> None:
        draft = tabs[tab].load(OWNER, "adult")
        draft.raw[f"tab{tab}"] = "answer"
        start.wait()
        tabs[tab].save(OWNER, "adult", draft)       # one of them finds the draft made meanwhile: StaleDraft, merge

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(first_save, [0, 1]))
    assert tabs[0].load(OWNER, "adult").raw == {"tab0": "answer", "tab1": "answer"}


def test_the_same_answer_changed_twice_is_a_conflict_and_the_first_stays(store: SqlStore) -> None:
    drafts = Drafts(store)
    drafts.save(OWNER, "adult", drafts.load(OWNER, "adult"))
    one, two = drafts.load(OWNER, "adult"), drafts.load(OWNER, "adult")
    one.raw.update(phone="13600002819", ethnicity="汉族")
    drafts.save(OWNER, "adult", one)
    two.raw.update(phone="13900001111", occupation="企业管理人员")
    with pytest.raises(DraftConflict) as caught:
        drafts.save(OWNER, "adult", two)
    assert caught.value.keys == {"phone"}
    assert drafts.load(OWNER, "adult").raw == {"phone": "13600002819", "ethnicity": "汉族", "occupation": "企业管理人员"}


def test_fifty_concurrent_claims_make_one_application_sent_once(worker: Callable[[], SqlStore]) -> None:
    stores = [worker() for _ in range(3)]

    def claim(n: int) -> str:
        token = "same-token-0123456789" if n % 2 else f"token-{n:04d}-0123456789"
        return stores[n % 3].claim_submission(OWNER, "adult", "440106199001011235", token, {"n": n}).action

    with ThreadPoolExecutor(10) as pool:
        actions = list(pool.map(claim, range(50)))
    assert actions.count("send") == 1
    assert len(stores[0].applications_of(OWNER)) == 1


def test_a_crash_between_claim_and_finish_is_sent_again_under_the_same_key(store: SqlStore) -> None:
    first = store.claim_submission(OWNER, "adult", "440106199001011235", "crash-token-0123456789", {"v": 1},
                                   lease=dt.timedelta(seconds=30))
    assert first.action == "send"
    # the worker died here: no finish. While its lease runs, a retry waits (正在提交) …
    assert store.claim_submission(OWNER, "adult", "440106199001011235", "crash-token-0123456789", {"v": 2}).action == "wait"
    # … and once it is over, the retry sends the same application, as it was first written.
    later = utcnow() + dt.timedelta(seconds=31)
    again = store.claim_submission(OWNER, "adult", "440106199001011235", "crash-token-0123456789", {"v": 3}, now=later)
    assert again.action == "send" and again.application.id == first.application.id
    assert again.application.payload == {"v": 1}
    store.finish_submission(again.application.id, again.application.attempt, "accepted", None, "SB1")
    done = store.claim_submission(OWNER, "adult", "440106199001011235", "crash-token-0123456789", {"v": 4})
    assert done.action == "done" and done.application.reference == "SB1"
    assert len(store.applications_of(OWNER)) == 1


def test_one_card_per_applicant_in_any_journey_is_the_databases_rule(store: SqlStore) -> None:
    held = store.claim_submission(OWNER, "minor", "440105201503153317", "parent-one-0123456789", {})
    other = store.claim_submission(OTHER, "minor", "440105201503153317", "parent-two-0123456789", {})
    assert held.action == "send" and other.action == "held" and other.application.id == held.application.id
    store.finish_submission(held.application.id, held.application.attempt, "rejected", "不符合", None)
    again = store.claim_submission(OTHER, "minor", "440105201503153317", "parent-two-0123456789", {})
    assert again.action == "send"
    store.finish_submission(again.application.id, again.application.attempt, "accepted", None, "SB7")
    # accepted holds the card: the child herself through the adult journey, or anyone else, is refused
    herself = store.claim_submission("child-key", "adult", "440105201208203422", "child-one-0123456789", {})
    assert herself.action == "send"
    store.finish_submission(herself.application.id, herself.application.attempt, "accepted", None, "SB8")
    twice = store.claim_submission("child-key", "adult", "440105201208203422", "child-two-0123456789", {})
    by_parent = store.claim_submission(OWNER, "minor", "440105201208203422", "parent-three-0123456789", {})
    assert twice.action == by_parent.action == "held"
    assert twice.application.reference == "SB8"
    assert [a.status for a in store.applications_of("child-key")] == ["accepted"]


def test_concurrent_claims_for_one_applicant_in_two_journeys_give_one_card(worker: Callable[[], SqlStore]) -> None:
    stores = [worker() for _ in range(4)]

    def claim(n: int) -> str:
        journey = ("adult", "minor")[n % 2]
        return stores[n % 4].claim_submission(f"owner-{n % 2}", journey, "440105201208203422",
                                             f"card-token-{n:04d}-0123456789", {"n": n}).action

    with ThreadPoolExecutor(8) as pool:
        actions = list(pool.map(claim, range(40)))
    assert actions.count("send") == 1 and set(actions) == {"send", "held"}


def test_the_same_key_double_clicked_waits_on_both_engines(worker: Callable[[], SqlStore]) -> None:
    stores = [worker() for _ in range(4)]
    start = threading.Barrier(8)

    def claim(n: int) -> str:
        start.wait()
        return stores[n % 4].claim_submission(OWNER, "adult", "440106199001011235", "double-click-0123456789",
                                             {"n": 1}).action

    with ThreadPoolExecutor(8) as pool:
        actions = list(pool.map(claim, range(8)))
    assert sorted(actions) == ["send"] + ["wait"] * 7      # 正在提交, never 该申领人已有一笔申请正在提交


def test_a_late_sender_cannot_overwrite_a_settled_application(store: SqlStore) -> None:
    first = store.claim_submission(OWNER, "adult", "440106199001011235", "late-token-0123456789", {"v": 1},
                                   lease=dt.timedelta(seconds=1))
    later = utcnow() + dt.timedelta(seconds=2)      # its send outlived the lease: another request claims it
    second = store.claim_submission(OWNER, "adult", "440106199001011235", "late-token-0123456789", {"v": 1},
                                    now=later)
    assert second.action == "send" and second.application.attempt == first.application.attempt + 1
    store.finish_submission(second.application.id, second.application.attempt, "accepted", None, "SB9")
    # the first sender comes back with a failure: its claim is no longer the one granted, nothing moves
    now = store.finish_submission(first.application.id, first.application.attempt, "failed", "系统繁忙", None)
    assert (now.status, now.reference) == ("accepted", "SB9")
    # and a settled application never moves back, even from the claim that settled it
    again = store.finish_submission(second.application.id, second.application.attempt, "failed", None, None)
    assert (again.status, again.reference) == ("accepted", "SB9")


def test_a_claim_seals_the_draft_and_refuses_a_payload_made_from_an_older_one(store: SqlStore) -> None:
    version = store.save_draft(OWNER, "adult", {"raw": {"bank": "工商银行"}, "facts": {}}, None)
    moved = store.save_draft(OWNER, "adult", {"raw": {"bank": "农业银行"}, "facts": {}}, version)
    stale = store.claim_submission(OWNER, "adult", "440106199001011235", "seal-token-0123456789",
                                   {"bank": "工商银行"}, draft_version=version)
    assert stale.action == "stale" and store.applications_of(OWNER) == []      # rolled back with the claim
    claim = store.claim_submission(OWNER, "adult", "440106199001011235", "seal-token-0123456789",
                                   {"bank": "农业银行"}, draft_version=moved)
    assert claim.action == "send" and claim.draft_version == moved + 1
    with pytest.raises(SubmissionPending):       # another tab's edit while it is sent: refused, not dropped later
        store.save_draft(OWNER, "adult", {"raw": {"bank": "中国银行"}}, moved + 1, submission="seal-token-0123456789")
    store.finish_submission(claim.application.id, claim.application.attempt, "failed", None, None)
    assert store.save_draft(OWNER, "adult", {"raw": {"bank": "中国银行"}}, moved + 1,
                            submission="seal-token-0123456789") == moved + 2


def test_a_failed_submission_is_retried_with_the_answers_as_they_are_now(store: SqlStore) -> None:
    claim = store.claim_submission(OWNER, "adult", "440", "busy-token-0123456789", {"phone": "old"})
    store.finish_submission(claim.application.id, claim.application.attempt, "failed", None, None)
    retry = store.claim_submission(OWNER, "adult", "440", "busy-token-0123456789", {"phone": "new"})
    assert retry.action == "send" and retry.application.payload == {"phone": "new"}


def test_a_record_taken_by_one_worker_is_gone_for_the_other(worker: Callable[[], SqlStore]) -> None:
    one, two = worker(), worker()
    one.records.put("face", "challenge-1", {"owner": OWNER}, utcnow() + dt.timedelta(minutes=5))
    assert two.records.get("face", "challenge-1") == {"owner": OWNER}
    assert two.records.take("face", "challenge-1") == {"owner": OWNER}
    assert one.records.take("face", "challenge-1") is None


def test_an_expired_record_is_not_read(store: SqlStore) -> None:
    now = utcnow()
    store.records.put("sms", "13600002819", {"code": "x"}, now + dt.timedelta(minutes=5))
    assert store.records.get("sms", "13600002819", now=now + dt.timedelta(minutes=6)) is None
    assert store.records.purge(now + dt.timedelta(minutes=6)) == 1


def test_a_rate_limit_holds_across_workers_under_concurrency(worker: Callable[[], SqlStore]) -> None:
    stores = [worker(), worker()]
    with ThreadPoolExecutor(8) as pool:
        allowed = list(pool.map(lambda n: stores[n % 2].records.hit("rate", "ip", 10, dt.timedelta(minutes=1)),
                                range(40)))
    assert allowed.count(True) == 10


def test_a_session_ends_when_revoked_expired_or_idle(store: SqlStore) -> None:
    now = utcnow()
    cookie_id, session = store.sessions.create(OWNER, now=now)
    assert store.sessions.get(cookie_id, now=now) is not None
    assert store.sessions.get(cookie_id, now=now + dt.timedelta(minutes=31)) is None       # idle
    assert store.sessions.get("not-" + cookie_id, now=now) is None
    store.sessions.revoke(session.id)
    assert store.sessions.get(cookie_id, now=now) is None
    late_id, _ = store.sessions.create(OWNER, now=now - dt.timedelta(hours=9))
    assert store.sessions.get(late_id) is None                                              # expired


def test_deleted_and_abandoned_uploads_are_removed(store: SqlStore) -> None:
    kept = store.put_upload(OWNER, b"jpeg-1", "image/jpeg", journey="adult")
    dropped = store.put_upload(OWNER, b"jpeg-2", "image/jpeg", journey="adult")
    store.delete_upload(OWNER, dropped)
    assert store.get_upload(OWNER, dropped) is None and store.get_upload(OTHER, kept) is None
    store.save_draft(OWNER, "adult", {"facts": {"documents.id_card.0": kept}}, None)
    assert store.purge(dt.timedelta(days=30))["uploads"] == 0            # its draft is still in use
    later = utcnow() + dt.timedelta(days=31)
    counts = store.purge(dt.timedelta(days=30), now=later)
    assert counts["drafts"] == 1 and counts["uploads"] == 1
    assert store.get_upload(OWNER, kept) is None


def test_uploads_of_an_accepted_application_stay_and_the_rest_go(store: SqlStore) -> None:
    shown = store.put_upload(OWNER, b"front", "image/jpeg", journey="adult")
    loose = store.put_upload(OWNER, b"replaced-but-held", "image/jpeg", journey="adult")
    claim = store.claim_submission(OWNER, "adult", "440", "upload-token-0123456789", {"files": [{"upload": shown}]})
    store.finish_submission(claim.application.id, claim.application.attempt, "accepted", None, "SB2", uploads_kept=[shown])
    assert store.get_upload(OWNER, shown) is not None and store.get_upload(OWNER, loose) is None
    assert store.purge(dt.timedelta(days=30), now=utcnow() + dt.timedelta(days=400))["uploads"] == 0


def test_an_upload_keeps_its_thumbnail_and_one_without_answers_with_itself(store: SqlStore) -> None:
    photo = store.put_upload(OWNER, b"full-jpeg", "image/jpeg", journey="adult", thumbnail=b"thumb-jpeg")
    fetched = store.put_upload(OWNER, b"system-photo", "image/jpeg", journey="adult")
    assert store.get_upload(OWNER, photo, thumbnail=True).data == b"thumb-jpeg"
    assert store.get_upload(OWNER, photo).data == b"full-jpeg"
    assert store.get_upload(OWNER, fetched, thumbnail=True).data == b"system-photo"
    assert store.get_upload(OTHER, photo, thumbnail=True) is None
