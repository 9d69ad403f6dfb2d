"""A transient database error never loses a person's action (issue 10, finding 5).

Connection lost, lock timeout, serialization failure, deadlock detected, SQLite's "database is
locked": the event stays pending and is handled on a retry with backoff; only a handler's own bug
marks it failed. The clock never waits behind a web request's row locks.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select, text

from models.db import Database, PostgresTimeouts
from models.events import EventStatus, InboundEvent
from models.meetings import Answer
from scheduler.jobs import handle_stale_events
from tests import network
from tests.network import COORDINATOR, chat_id, leader_id
from tests.queries import count, one
from tests.test_meetings_chat import confirm_invite

BANGKOK_NOW = datetime(2026, 7, 27, 3, 0, tzinfo=timezone.utc)
SHORT_LOCK_MS = 300


@pytest.fixture
def db(database_url):
    """The test database with a short lock_timeout on PostgreSQL, so a row lock held by the test
    ends the waiting statement in a moment instead of the production default's seconds."""
    database = Database(database_url, pg_timeouts=PostgresTimeouts(lock_ms=SHORT_LOCK_MS))
    yield database
    database.dispose()


@pytest.fixture
def net(line, db, services):
    services.set_clock(lambda: BANGKOK_NOW)
    net = network.build(db)
    line.say("นัด 14 ส.ค. 2569 09:00 วัดบางสะพาน เรื่อง ประชุม", user=COORDINATOR)
    confirm_invite(line, line.say("เชิญ ต.บางจาก 10 #1", user=COORDINATOR))
    return net


@contextmanager
def database_fails_once(db, statement_start: str, message: str):
    """The driver raises its own OperationalError the first time a statement starting with
    `statement_start` is run (what a dropped connection or SQLite's busy lock looks like)."""
    failed = []

    def fail(conn, cursor, statement, parameters, context, executemany):
        if not failed and statement.lstrip().upper().startswith(statement_start):
            failed.append(statement)
            raise db.engine.dialect.loaded_dbapi.OperationalError(message)

    sa_event.listen(db.engine, "before_cursor_execute", fail)
    try:
        yield failed
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", fail)


def the_event(db) -> InboundEvent:
    with db.reading() as session:
        return session.scalars(select(InboundEvent).order_by(InboundEvent.id.desc())).first()


def test_an_answer_that_hits_database_is_locked_stays_pending_and_is_handled_on_the_retry(line, db, net, context):
    chat = net.chats["กองทุนหมู่บ้าน หมู่ 1 ต.บางจาก"]
    with database_fails_once(db, "INSERT INTO ANSWERS", "database is locked") as failed:
        assert line.say("ไป 4 คน", user=leader_id(1), group=chat) == []
    assert failed
    event = the_event(db)
    assert (event.status, event.attempts, count(db, Answer)) == (EventStatus.PENDING, 1, 0)
    assert "database is locked" in event.error
    assert BANGKOK_NOW < event.next_attempt_at <= BANGKOK_NOW + timedelta(seconds=2)
    # Not before its time, then once.
    assert handle_stale_events(context, BANGKOK_NOW) == 0
    assert handle_stale_events(context, event.next_attempt_at) == 1
    answer = one(db, Answer)
    assert (answer.headcount, answer.for_group) == (4, True)
    assert the_event(db).status == EventStatus.HANDLED
    mark = 0
    line.deliver(event.next_attempt_at)
    said = " ".join(m.get("text", "") for m in line.conversation(chat, mark))
    assert "4" in said
    assert handle_stale_events(context, event.next_attempt_at + timedelta(hours=1)) == 0


def test_a_lost_connection_while_recording_the_answer_is_retried_with_growing_backoff(line, db, net, context):
    chat = net.chats["กองทุนหมู่บ้าน หมู่ 2 ต.บางจาก"]
    for attempt in (1, 2):
        with database_fails_once(db, "INSERT INTO ANSWERS", "server closed the connection unexpectedly"):
            if attempt == 1:
                line.say("ไป 3 คน", user=leader_id(2), group=chat)
            else:
                handle_stale_events(context, the_event(db).next_attempt_at)
    event = the_event(db)
    assert (event.status, event.attempts) == (EventStatus.PENDING, 2)
    assert event.next_attempt_at > BANGKOK_NOW + timedelta(seconds=2)  # 2-4 s after the second try
    handle_stale_events(context, event.next_attempt_at)
    assert one(db, Answer).headcount == 3


def test_a_handlers_own_bug_still_marks_the_event_failed_and_is_not_retried(line, db, net, context, monkeypatch):
    from handlers import answers

    def broken(*args, **kwargs):
        raise TypeError("a bug in the handler")

    monkeypatch.setattr(answers, "record_answer", broken)
    line.say("ไป 4 คน", user=leader_id(1), group=net.chats["กองทุนหมู่บ้าน หมู่ 1 ต.บางจาก"])
    event = the_event(db)
    assert (event.status, event.attempts) == (EventStatus.FAILED, 0)
    assert handle_stale_events(context, BANGKOK_NOW + timedelta(hours=1)) == 0


def pg_only(db):
    if db.is_sqlite:
        pytest.skip("row locks and lock_timeout are PostgreSQL's; SQLite serialises writers "
                    "(its 'database is locked' is covered above)")


def test_a_web_request_waiting_on_a_row_lock_gives_up_and_its_event_is_handled_later(line, db, net, context):
    pg_only(db)
    chat = net.chats["กองทุนหมู่บ้าน หมู่ 3 ต.บางจาก"]
    other = Database(db.url)
    try:
        with other.transaction() as blocker:  # someone holds the leader's row for a long time
            blocker.execute(text("SELECT id FROM people WHERE line_user_id = :u FOR UPDATE"), {"u": leader_id(3)})
            line.say("ไป 5 คน", user=leader_id(3), group=chat)
            event = the_event(db)
            assert (event.status, event.attempts) == (EventStatus.PENDING, 1)
            assert "lock timeout" in event.error
    finally:
        other.dispose()
    handle_stale_events(context, event.next_attempt_at)
    assert one(db, Answer).headcount == 5


def test_the_clocks_event_job_skips_an_event_a_web_request_is_handling_instead_of_waiting(line, db, net, context):
    pg_only(db)
    line.send(line.text_event("ไป 2 คน", user=leader_id(1), group=chat_id(1)), deliver=False)
    with db.transaction() as session:  # put it back to pending, as if the web request were still at it
        session.execute(text("UPDATE inbound_events SET status = 'pending'"))
    other = Database(db.url, pg_timeouts=PostgresTimeouts(lock_ms=0))
    try:
        with other.transaction() as web_request:
            web_request.execute(text("SELECT id FROM inbound_events FOR UPDATE"))
            handle_stale_events(context, BANGKOK_NOW + timedelta(minutes=1))
            event = the_event(db)
            # Skipped, not waited on until a timeout (which would have counted an attempt).
            assert (event.status, event.attempts, event.error) == (EventStatus.PENDING, 0, None)
    finally:
        other.dispose()


def test_postgresql_sessions_run_under_the_configured_timeouts(db):
    pg_only(db)
    with db.reading() as session:
        shown = {name: session.execute(text(f"SHOW {name}")).scalar_one()
                 for name in ("lock_timeout", "statement_timeout", "idle_in_transaction_session_timeout")}
    assert shown == {"lock_timeout": f"{SHORT_LOCK_MS}ms", "statement_timeout": "30s",
                     "idle_in_transaction_session_timeout": "1min"}


def test_the_postgresql_timeouts_are_read_from_the_environment(database_url):
    from bot.config import Settings

    settings = Settings.from_env({"DATABASE_URL": database_url, "MEETBOT_PG_LOCK_TIMEOUT_MS": "1234",
                                  "MEETBOT_PG_STATEMENT_TIMEOUT_MS": "45000",
                                  "MEETBOT_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS": "0"}, dotenv_path=None)
    assert (settings.pg_lock_timeout_ms, settings.pg_statement_timeout_ms,
            settings.pg_idle_in_transaction_timeout_ms) == (1234, 45000, 0)
    database = settings.database()
    try:
        if database.is_sqlite:
            return  # SQLite has no such settings; its writers queue for one lock instead
        with database.reading() as session:
            assert session.execute(text("SHOW lock_timeout")).scalar_one() == "1234ms"
            assert session.execute(text("SHOW statement_timeout")).scalar_one() == "45s"
            assert session.execute(text("SHOW idle_in_transaction_session_timeout")).scalar_one() == "0"
    finally:
        database.dispose()


def test_a_later_answer_from_the_same_chat_waits_for_the_earlier_one_on_retry_and_wins(line, db, net, context):
    """"ไป 4 คน" hits a lost connection, then the leader changes their mind: "ไม่ไป". Handling the
    second at once would let the first's retry overwrite it."""
    chat = net.chats["กองทุนหมู่บ้าน หมู่ 1 ต.บางจาก"]
    with database_fails_once(db, "INSERT INTO ANSWERS", "server closed the connection unexpectedly"):
        line.say("ไป 4 คน", user=leader_id(1), group=chat)
    first = the_event(db)
    line.say("ไม่ไป", user=leader_id(1), group=chat)
    assert count(db, Answer) == 0  # the second waits behind the first
    later = first.next_attempt_at + timedelta(seconds=30)
    assert handle_stale_events(context, later) == 2
    answer = one(db, Answer)
    assert (answer.response, answer.headcount) == ("not_going", 0)
    with db.reading() as session:
        assert set(session.scalars(select(InboundEvent.status))) == {EventStatus.HANDLED}
    # Another chat is not held up by this one's retry.
    with database_fails_once(db, "INSERT INTO ANSWERS", "server closed the connection unexpectedly"):
        line.say("ไป 2 คน", user=leader_id(2), group=net.chats["กองทุนหมู่บ้าน หมู่ 2 ต.บางจาก"])
    line.say("ไป 3 คน", user=leader_id(3), group=net.chats["กองทุนหมู่บ้าน หมู่ 3 ต.บางจาก"])
    assert count(db, Answer) == 2
