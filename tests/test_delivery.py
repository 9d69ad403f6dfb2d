"""The outbox and the sender against the fake LINE platform: never lost, never twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.delivery import Sender
from models import outbox
from models.base import utcnow
from models.line_limits import MessageTooLarge, utf16_len
from models.outbox import Kind, OutboxMessage, Status
from tests.linechat import GROUP, USER

OTHER = "U" + "3" * 32


def queue(db, **kw):
    with db.transaction() as session:
        rows = outbox.enqueue(session, **kw)
        return [r.id for r in rows]


def rows(db) -> list[OutboxMessage]:
    with db.reading() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def text(body: str) -> dict:
    return {"type": "text", "text": body}


def distinct_pushes(fake_line):
    """(retry key, body) pairs LINE accepted: a duplicate would show as two keys with one body."""
    return [(r.retry_key, str(r.body)) for r in fake_line.deliveries(("push", "multicast"))]


def test_a_fresh_reply_token_is_used_and_costs_no_quota(db, services, fake_line):
    token = fake_line.issue_reply_token(USER)
    now = utcnow()
    queue(db, to=USER, messages=[text("สวัสดี")], reply_token=token, reply_deadline=now + timedelta(seconds=50), now=now)
    report = services.sender.deliver_due()
    assert report.sent == 1
    [row] = rows(db)
    assert row.status == Status.SENT and row.sent_as == Kind.REPLY
    assert len(fake_line.deliveries("reply")) == 1 and fake_line.deliveries("push") == []


def test_a_stale_reply_token_is_not_tried_the_message_is_pushed(db, services, fake_line):
    token = fake_line.issue_reply_token(USER)
    then = utcnow() - timedelta(minutes=5)
    queue(db, to=USER, messages=[text("สวัสดี")], reply_token=token, reply_deadline=then + timedelta(seconds=50), now=then)
    services.sender.deliver_due()
    [row] = rows(db)
    assert row.status == Status.SENT and row.sent_as == Kind.PUSH
    assert fake_line.deliveries("reply") == []
    [push] = fake_line.deliveries("push")
    assert push.body["to"] == USER and push.retry_key == row.retry_key


def test_a_reply_token_line_rejects_falls_back_to_a_push(db, services, fake_line):
    now = utcnow()
    queue(db, to=USER, messages=[text("สวัสดี")], reply_token="never-issued-token",
          reply_deadline=now + timedelta(seconds=50), now=now)
    services.sender.deliver_due()
    [row] = rows(db)
    assert row.status == Status.SENT and row.sent_as == Kind.PUSH
    assert [r.status for r in fake_line.requests if r.endpoint in ("reply", "push")] == [400, 200]


def test_pushes_carry_the_retry_key_made_when_the_row_was_written(db, services, fake_line):
    queue(db, to=USER, messages=[text("เตือนความจำ")], purpose="reminder")
    [row] = rows(db)
    assert len(row.retry_key) == 36
    services.sender.deliver_due()
    [push] = fake_line.deliveries("push")
    assert push.retry_key == row.retry_key


def test_line_down_for_a_while_then_back_every_message_is_delivered_once(db, services, fake_line):
    """Five pushes; LINE answers 500 and 503 eight times and 429 (rate limit) twice, then recovers."""
    now = utcnow()
    for i in range(5):
        queue(db, to=f"U{i:032d}", messages=[text(f"ข้อความที่ {i}")], purpose="reminder", now=now)
    fake_line.fail(status=500, times=5)
    fake_line.fail(status=503, times=3)
    fake_line.fail(status=429, times=2)
    clock = now
    for _ in range(12):  # the clock ticks; each pass sends whatever backoff made due
        services.sender.deliver_due(now=clock)
        clock += timedelta(minutes=1)
    assert all(r.status == Status.SENT for r in rows(db))
    pushes = distinct_pushes(fake_line)
    assert len(pushes) == 5
    assert len({key for key, _ in pushes}) == 5 and len({body for _, body in pushes}) == 5
    assert len(fake_line.delivered_messages()) == 5


def test_backoff_grows_and_has_jitter():
    import random

    rng = random.Random(7)
    delays = [outbox.backoff_seconds(n, rng=rng) for n in range(1, 12)]
    assert 1.0 <= delays[0] <= 2.0
    assert 8.0 <= delays[3] <= 16.0
    assert delays[-1] <= outbox.BACKOFF_CAP_SECONDS
    assert len({round(d, 3) for d in delays}) == len(delays)


def test_a_retry_is_not_sent_before_its_backoff(db, services, fake_line):
    now = utcnow()
    queue(db, to=USER, messages=[text("ทดสอบ")], now=now)
    fake_line.fail(status=500, times=1)
    services.sender.deliver_due(now=now)
    [row] = rows(db)
    assert row.status == Status.PENDING and row.next_attempt_at > now
    assert services.sender.deliver_due(now=now).handled == 0
    services.sender.deliver_due(now=row.next_attempt_at)
    assert rows(db)[0].status == Status.SENT


@pytest.mark.slow
def test_409_for_a_retry_key_line_already_accepted_counts_as_delivered(db, services, fake_line):
    now = utcnow()
    queue(db, to=USER, messages=[text("ทดสอบ")], now=now)
    # LINE accepts the push but the answer is lost on the way back (a read timeout on our side).
    fake_line.hang(seconds=4, times=1)
    services.sender.deliver_due(now=now)
    assert fake_line.wait_for(lambda f: len(f.deliveries("push")) == 1, timeout=10)
    [row] = rows(db)
    assert row.status == Status.PENDING
    services.sender.deliver_due(now=row.next_attempt_at)
    [row] = rows(db)
    assert row.status == Status.SENT
    statuses = [r.status for r in fake_line.requests if r.endpoint == "push"]
    assert statuses[-1] == 409
    assert len(fake_line.delivered_messages()) == 1


def test_other_4xx_marks_the_row_dead_once_and_it_is_listed(db, services, fake_line):
    now = utcnow()
    queue(db, to="not-a-line-id", messages=[text("ทดสอบ")], now=now)
    fake_line.fail(status=400, times=1, body={"message": "The property, 'to', in the request body is invalid"})
    services.sender.deliver_due(now=now)
    services.sender.deliver_due(now=now + timedelta(hours=1))
    [row] = rows(db)
    assert row.status == Status.DEAD and row.last_status == 400 and "'to'" in row.last_error
    assert len([r for r in fake_line.requests if r.endpoint == "push"]) == 1  # never retried
    with db.reading() as session:
        assert [r.id for r in outbox.dead_rows(session)] == [row.id]


def test_the_monthly_limit_marks_the_row_dead_not_retried(db, services, fake_line):
    fake_line.set_quota(limit=10, used=10)
    now = utcnow()
    queue(db, to=USER, messages=[text("ทดสอบ")], now=now)
    services.sender.deliver_due(now=now)
    services.sender.deliver_due(now=now + timedelta(hours=1))
    [row] = rows(db)
    assert row.status == Status.DEAD and row.last_status == 429 and "monthly limit" in row.last_error
    assert len([r for r in fake_line.requests if r.endpoint == "push"]) == 1


def test_a_push_still_failing_after_23_hours_goes_dead_rather_than_risk_a_duplicate(db, services, fake_line):
    then = utcnow() - timedelta(hours=23, minutes=1)
    queue(db, to=USER, messages=[text("ทดสอบ")], now=then)
    services.sender.deliver_due()
    [row] = rows(db)
    assert row.status == Status.DEAD and "23 hours" in row.last_error
    assert fake_line.deliveries() == []


@pytest.mark.slow
def test_a_reply_that_timed_out_is_retried_only_as_the_same_reply_never_as_a_push(db, services, fake_line):
    token = fake_line.issue_reply_token(USER)
    now = utcnow()
    queue(db, to=USER, messages=[text("สวัสดี")], reply_token=token, reply_deadline=now + timedelta(seconds=50), now=now)
    fake_line.hang(seconds=4, times=1, paths=("reply",))
    services.sender.deliver_due(now=now)  # the client gives up after 3 s; LINE delivers at 4 s
    assert fake_line.wait_for(lambda f: len(f.deliveries("reply")) == 1, timeout=10)
    [row] = rows(db)
    assert row.status == Status.PENDING and row.maybe_delivered
    services.sender.deliver_due(now=row.next_attempt_at)  # still fresh: the same token is refused
    [row] = rows(db)
    assert row.status == Status.SENT and row.sent_as == Kind.REPLY and "earlier attempt" in row.last_error
    assert fake_line.deliveries("push") == []
    assert len(fake_line.delivered_messages()) == 1


def test_a_reply_of_unknown_outcome_whose_token_went_stale_is_uncertain_not_pushed(db, services, fake_line):
    token = fake_line.issue_reply_token(USER)
    now = utcnow()
    queue(db, to=USER, messages=[text("สวัสดี")], reply_token=token, reply_deadline=now + timedelta(seconds=50), now=now)
    fake_line.fail(status=500, times=1, paths=("reply",))
    services.sender.deliver_due(now=now)
    services.sender.deliver_due(now=now + timedelta(minutes=2))
    [row] = rows(db)
    assert row.status == Status.UNCERTAIN
    assert fake_line.deliveries("push") == []
    with db.reading() as session:
        assert [r.id for r in outbox.dead_rows(session)] == [row.id]


def test_a_long_text_is_split_within_5000_utf16_units(db, services, fake_line):
    line_of_thai = "สรุปผลการประชุมกลุ่มออมทรัพย์ 😀\n"  # the emoji counts two units
    body = line_of_thai * 400
    assert utf16_len(body) > 5000 and len(body) < utf16_len(body)
    queue(db, to=USER, messages=[text(body)])
    services.sender.deliver_due()
    sent = [m for _, m in fake_line.delivered_messages()]
    assert len(sent) >= 3
    assert all(utf16_len(m["text"]) <= 5000 for m in sent)
    assert "".join(m["text"] + "\n" for m in sent).replace("\n\n", "\n").count("😀") == 400


def test_more_than_five_messages_become_a_reply_and_then_pushes_in_order(db, services, fake_line):
    token = fake_line.issue_reply_token(GROUP)
    now = utcnow()
    queue(db, to=GROUP, messages=[text(f"ส่วนที่ {i}") for i in range(1, 8)], reply_token=token,
          reply_deadline=now + timedelta(seconds=50), now=now)
    services.sender.deliver_due()
    assert [r.kind for r in rows(db)] == [Kind.REPLY, Kind.PUSH]
    assert [m["text"] for _, m in fake_line.delivered_messages()] == [f"ส่วนที่ {i}" for i in range(1, 8)]
    assert all(1 <= len(r.body["messages"]) <= 5 for r in fake_line.deliveries())


def test_identical_pushes_to_many_users_go_as_multicasts_of_at_most_500(db, services, fake_line):
    users = [f"U{i:032x}" for i in range(1200)]
    with db.transaction() as session:
        outbox.enqueue_to_users(session, users, [text("ประชุมพรุ่งนี้ 09.00 น.")], purpose="nudge")
    services.sender.deliver_due()
    multicasts = fake_line.deliveries("multicast")
    assert sorted(len(r.body["to"]) for r in multicasts) == [200, 500, 500]
    assert sorted(u for r in multicasts for u in r.body["to"]) == sorted(users)
    assert sum(r.cost for r in rows(db)) == 1200


def test_a_message_over_limits_is_refused_before_it_reaches_the_outbox(db):
    too_many = {"type": "text", "text": "เลือก", "quickReply": {"items": [
        {"type": "action", "action": {"type": "message", "label": str(i), "text": str(i)}} for i in range(14)]}}
    with pytest.raises(MessageTooLarge):
        queue(db, to=USER, messages=[too_many])
    assert rows(db) == []


def test_rows_for_one_chat_go_in_the_order_written(db, services, fake_line):
    now = utcnow()
    for i in range(6):
        queue(db, to=GROUP, messages=[text(f"ลำดับ {i}")], now=now)
    services.sender.deliver_due()
    assert [m["text"] for _, m in fake_line.delivered_messages()] == [f"ลำดับ {i}" for i in range(6)]


def test_two_senders_at_once_never_send_a_row_twice(db, services, settings, fake_line):
    import threading

    from bot.line_client import LineClient

    now = utcnow()
    with db.transaction() as session:
        for i in range(60):
            outbox.enqueue(session, to=f"U{i:032d}", messages=[text(f"ข้อความ {i}")], now=now)
    fake_line.latency(0.02)
    senders = [Sender(db, LineClient(settings), concurrency=4) for _ in range(3)]
    threads = [threading.Thread(target=s.deliver_due) for s in senders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in senders:
        s.close()
    assert all(r.status == Status.SENT for r in rows(db))
    pushes = distinct_pushes(fake_line)
    assert len(pushes) == 60 and len({k for k, _ in pushes}) == 60
    assert len(fake_line.requests) == 60  # not even a 409: no row was claimed twice


def test_a_crashed_senders_claim_is_taken_over_after_its_lease(db, services, fake_line):
    now = utcnow()
    queue(db, to=USER, messages=[text("ทดสอบ")], now=now)
    with db.transaction() as session:
        claimed = outbox.claim_batch(session, worker="dead-sender", now=now, limit=10)
    assert len(claimed) == 1
    assert services.sender.deliver_due(now=now).handled == 0  # still leased
    services.sender.deliver_due(now=now + outbox.DEFAULT_LEASE + timedelta(seconds=1))
    [row] = rows(db)
    assert row.status == Status.SENT and row.attempts == 2
    assert len(fake_line.delivered_messages()) == 1


def _sent_ids(db) -> dict[str, tuple[int, int]]:
    with db.reading() as session:
        return {m.line_message_id: (m.outbox_id, m.position) for m in session.scalars(select(outbox.SentMessage))}


def test_the_ids_line_gives_a_replys_and_a_pushs_messages_are_kept_in_order(db, services, fake_line):
    now = utcnow()
    token = fake_line.issue_reply_token(USER)
    [reply_id] = queue(db, to=USER, messages=[text("หนึ่ง"), text("สอง")], reply_token=token,
                       reply_deadline=now + timedelta(seconds=50), now=now)
    [push_id] = queue(db, to=GROUP, messages=[text("สาม")], now=now)
    services.sender.deliver_due(now=now)
    given = {r.endpoint: [m["id"] for m in r.response["sentMessages"]] for r in fake_line.deliveries(("reply", "push"))}
    assert _sent_ids(db) == {given["reply"][0]: (reply_id, 0), given["reply"][1]: (reply_id, 1),
                             given["push"][0]: (push_id, 0)}


@pytest.mark.slow
def test_a_retry_answered_409_keeps_the_ids_line_gave_the_first_attempt(db, services, fake_line):
    now = utcnow()
    [row_id] = queue(db, to=USER, messages=[text("ทดสอบ")], now=now)
    fake_line.hang(seconds=4, times=1)  # LINE accepts the push; its answer is lost on the way back
    services.sender.deliver_due(now=now)
    assert fake_line.wait_for(lambda f: len(f.deliveries("push")) == 1, timeout=10)
    assert _sent_ids(db) == {}
    services.sender.deliver_due(now=rows(db)[0].next_attempt_at)
    [accepted] = fake_line.deliveries("push")
    assert _sent_ids(db) == {accepted.response["sentMessages"][0]["id"]: (row_id, 0)}
