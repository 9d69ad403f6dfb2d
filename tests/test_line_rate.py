"""LINE's rate limits: one budget in the database for every sending process, and a fake that
answers 429 past LINE's limits, as LINE does."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.delivery import Sender
from bot.fakeline.server import RATE_LIMITS as LINE_PER_SECOND
from bot.line_client import LineClient
from models import line_rate, outbox
from models.base import utcnow
from models.db import Database
from models.line_rate import LINE_RATE_LIMITS, RateLimit
from models.outbox import Kind, OutboxMessage, Status

T0 = 1_790_000_000_000  # a window boundary, in ms since the epoch


def user(i: int) -> str:
    return f"U{i:032x}"


def queue_pushes(db, count: int, *, to=user, kind_text="เตือนนัด #12 พรุ่งนี้ 09.00 น.") -> None:
    with db.transaction() as session:
        for i in range(count):
            outbox.enqueue(session, to=to(i), purpose="reminder", messages=[{"type": "text", "text": f"{kind_text} ({i})"}])


def statuses(db) -> list[tuple[int, str, int]]:
    with db.reading() as session:
        return [(r.id, r.status, r.attempts) for r in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


# -- the budget ----------------------------------------------------------------------------------


def test_a_window_grants_up_to_its_limit_then_nothing_until_the_next(db):
    limit = RateLimit(10, 100)
    with db.transaction() as session:
        assert line_rate.reserve(session, "push", 4, at_ms=T0, limit=limit) == 4
        assert line_rate.reserve(session, "push", 4, at_ms=T0 + 50, limit=limit) == 4
        assert line_rate.reserve(session, "push", 4, at_ms=T0 + 99, limit=limit) == 2
        assert line_rate.reserve(session, "push", 4, at_ms=T0 + 99, limit=limit) == 0
        # Each endpoint has its own budget, as at LINE.
        assert line_rate.reserve(session, "reply", 7, at_ms=T0 + 99, limit=limit) == 7
    with db.transaction() as session:
        assert line_rate.reserve(session, "push", 25, at_ms=T0 + 100, limit=limit) == 10
        assert line_rate.reserve(session, "push", 0, at_ms=T0 + 150, limit=limit) == 0
    assert limit.wait_ms(T0 + 30) == 70 and limit.window_of(T0 + 130) == T0 + 100


def test_the_budget_is_kept_across_processes_never_granted_twice(db, database_url):
    """Eight senders reserving at the same moment, each with its own connection pool, as separate
    processes would: together they are granted exactly the window's allowance."""
    limit = RateLimit(170, 100)
    databases = [Database(database_url) for _ in range(8)]
    grants: list[int] = []
    start = threading.Barrier(len(databases))

    def sender(database: Database) -> None:
        start.wait()
        for _ in range(10):
            with database.transaction() as session:
                grants.append(line_rate.reserve(session, "push", 7, at_ms=T0 + 10, limit=limit))

    threads = [threading.Thread(target=sender, args=(d,)) for d in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for database in databases:
        database.dispose()
    assert len(grants) == 80 and sum(grants) == 170
    assert sorted(set(grants)) == [0, 2, 7]  # 24 full grants, one of the 2 left, then nothing


# -- the sender ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_fan_out_stays_under_the_limit_at_the_fake_and_everything_is_delivered(db, settings, fake_line):
    """300 pushes with 32 calls in flight and a budget of 100 a second: the fake, which allows 120
    a second like a small LINE, never has to refuse one, and each arrives once."""
    fake_line.set_rate_limits({"push": 120})
    queue_pushes(db, 300)
    line = LineClient(settings.with_(sender_concurrency=32))
    sender = Sender(db, line, concurrency=32, lanes=4, rate_limits={"push": RateLimit(10, 100)})
    try:
        report = sender.deliver_due()
    finally:
        sender.close()
        line.close()
    assert report.sent == 300 and report.retried == 0
    assert fake_line.rate_limited == 0
    assert 100 <= fake_line.peak_per_second("push") <= 120
    keys = [r.retry_key for r in fake_line.deliveries("push")]
    assert len(keys) == len(set(keys)) == 300
    assert {status for _, status, _ in statuses(db)} == {Status.SENT}
    assert {attempts for _, _, attempts in statuses(db)} == {1}  # a row given back was no attempt


def test_the_fake_refuses_past_its_limit_and_the_sender_retries_those_later(db, settings, fake_line):
    """Without the budget (as with a second bot on the same channel), LINE's 429s are passing
    failures: the refused pushes wait for their backoff and are then delivered, once."""
    fake_line.set_rate_limits({"push": 20})
    queue_pushes(db, 60)
    line = LineClient(settings.with_(sender_concurrency=32))
    sender = Sender(db, line, concurrency=32, rate_limits={})
    try:
        first = sender.deliver_due()
        assert fake_line.rate_limited == first.retried > 0 and first.sent == 60 - first.retried
        later = utcnow() + timedelta(minutes=5)
        fake_line.set_rate_limits(None)
        second = sender.deliver_due(now=later)
    finally:
        sender.close()
        line.close()
    assert second.sent == first.retried
    assert len({r.retry_key for r in fake_line.deliveries("push")}) == len(fake_line.deliveries("push")) == 60
    refused = [r for r in fake_line.requests if r.status == 429]
    assert refused and all(r.fault == "rate-limit" for r in refused)


def test_a_chat_keeps_its_order_when_the_budget_runs_out_mid_batch(db, settings, fake_line):
    """One push a window: the group's second message is given back with the first one's turn,
    never sent ahead of it."""
    group = "C" + "a" * 32
    with db.transaction() as session:
        outbox.enqueue(session, to=group, purpose="reminder", messages=[{"type": "text", "text": "หนึ่ง"}])
        outbox.enqueue(session, to=group, purpose="reminder", messages=[{"type": "text", "text": "สอง"}])
        outbox.enqueue(session, to=group, purpose="reminder", messages=[{"type": "text", "text": "สาม"}])
    line = LineClient(settings)
    sender = Sender(db, line, concurrency=4, rate_limits={"push": RateLimit(1, 100)})
    try:
        report = sender.deliver_due()
    finally:
        sender.close()
        line.close()
    assert report.sent == 3
    assert [m["text"] for _, m in fake_line.delivered_messages(group)] == ["หนึ่ง", "สอง", "สาม"]


def test_a_row_held_back_only_behind_its_chat_waits_with_it_not_in_a_busy_loop(db, settings, fake_line, monkeypatch):
    """Replies limited to one a window, pushes not limited: the chat's push queued after a reply
    that did not fit waits for that reply's window, then all three arrive in order."""
    now = utcnow()
    with db.transaction() as session:
        for text in ("หนึ่ง", "สอง"):
            outbox.enqueue(session, to=user(1), messages=[{"type": "text", "text": text}],
                           reply_token=fake_line.issue_reply_token(user(1)),
                           reply_deadline=now + timedelta(seconds=50), now=now)
        outbox.enqueue(session, to=user(1), purpose="reminder", messages=[{"type": "text", "text": "สาม"}], now=now)
    line = LineClient(settings)
    sender = Sender(db, line, concurrency=4, rate_limits={"reply": RateLimit(1, 100)})
    claims = []
    claim_batch = outbox.claim_batch
    monkeypatch.setattr(outbox, "claim_batch", lambda *a, **kw: claims.append(1) or claim_batch(*a, **kw))
    try:
        report = sender.deliver_due(now=now)
    finally:
        sender.close()
        line.close()
    assert report.sent == 3
    assert [m["text"] for _, m in fake_line.delivered_messages(user(1))] == ["หนึ่ง", "สอง", "สาม"]
    assert len(claims) <= 6  # a claim per window at most, not a spin until the window opens


def test_rows_given_back_for_a_long_window_wait_for_it_and_the_sender_does_not(db, settings, fake_line):
    """Broadcasts are 60 an hour at LINE: the second one waits for the next 72-second window as a
    due time, instead of holding the sender in a sleep."""
    now = utcnow()
    with db.transaction() as session:
        for text in ("ประกาศหนึ่ง", "ประกาศสอง"):
            session.add(OutboxMessage(created_at=now, kind=Kind.BROADCAST, purpose="announce", to=None,
                                      messages=[{"type": "text", "text": text}], retry_key=outbox.new_retry_key(),
                                      cost=0, next_attempt_at=now))
    line = LineClient(settings)
    sender = Sender(db, line, concurrency=4, rate_limits=LINE_RATE_LIMITS)
    try:
        report = sender.deliver_due(now=now)
    finally:
        sender.close()
        line.close()
    assert report.sent == 1 and len(fake_line.deliveries("broadcast")) == 1
    with db.reading() as session:
        waiting = session.scalar(select(OutboxMessage).where(OutboxMessage.status == Status.PENDING))
    assert waiting.attempts == 0 and waiting.claimed_by is None
    assert now < waiting.next_attempt_at <= now + timedelta(seconds=72)


@pytest.mark.parametrize("endpoint", ["push", "reply", "multicast"])
def test_the_budget_keeps_any_second_under_line_s_limit(endpoint):
    """Any one second overlaps at most 11 windows: full windows back to back stay under LINE's
    per-second limit (as the fake platform states it), with at least 5% to spare."""
    limit = LINE_RATE_LIMITS[endpoint]
    windows_in_a_second = 1000 // limit.window_ms + 1
    assert windows_in_a_second * limit.requests <= 0.95 * LINE_PER_SECOND[endpoint]
