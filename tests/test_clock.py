"""The single clock: lease, `meetbot tick --now`, two clocks, and senders killed mid-batch."""

from __future__ import annotations

import pytest

import json
import os
import signal
import subprocess
import sys
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from models import lease, outbox
from models.base import utcnow
from models.outbox import Status
from scheduler.clock import LEASE_NAME, Clock
from scheduler.jobs import run_pass

MEETBOT = [sys.executable, "-m", "bot.cli"]


def fill_outbox(db, n: int, *, start: int = 0, now=None) -> None:
    now = now or utcnow()
    with db.transaction() as session:
        for i in range(start, start + n):
            outbox.enqueue(session, to=f"U{i:032d}", messages=[{"type": "text", "text": f"เตือนนัด #{i}"}],
                           purpose="reminder", now=now)


def statuses(db) -> dict[str, int]:
    with db.reading() as session:
        return outbox.counts(session)


def assert_each_delivered_once(fake_line, n: int) -> None:
    accepted = fake_line.deliveries(("push", "multicast"))
    keys = [r.retry_key for r in accepted]
    bodies = [json.dumps(r.body, sort_keys=True, ensure_ascii=False) for r in accepted]
    assert len(keys) == n and len(set(keys)) == n, "a retry key was accepted twice"
    assert len(set(bodies)) == n, "the same message went out under two keys"
    assert len(fake_line.delivered_messages()) == n


def test_one_lease_holder_at_a_time_and_a_standby_takes_over_when_it_lapses(db):
    now = utcnow()
    ttl = timedelta(seconds=15)
    with db.transaction() as s:
        assert lease.acquire(s, LEASE_NAME, "first", now=now, ttl=ttl)
    with db.transaction() as s:
        assert not lease.acquire(s, LEASE_NAME, "second", now=now + timedelta(seconds=5), ttl=ttl)
    with db.transaction() as s:  # the holder renews
        assert lease.acquire(s, LEASE_NAME, "first", now=now + timedelta(seconds=10), ttl=ttl)
    with db.transaction() as s:
        assert not lease.acquire(s, LEASE_NAME, "second", now=now + timedelta(seconds=20), ttl=ttl)
    with db.transaction() as s:  # the holder died: no renewal for longer than the ttl
        assert lease.acquire(s, LEASE_NAME, "second", now=now + timedelta(seconds=26), ttl=ttl)
        assert lease.holder_of(s, LEASE_NAME, now=now + timedelta(seconds=26)) == "second"


def test_only_the_clock_holding_the_lease_runs_jobs(db, services, fake_line, context):
    leader = Clock(context, timezone=services.settings.timezone, holder="leader")
    standby = Clock(context, timezone=services.settings.timezone, holder="standby")
    now = utcnow()
    fill_outbox(db, 3, now=now)
    assert leader.tick(now) is not None
    assert standby.tick(now + timedelta(seconds=1)) is None
    assert_each_delivered_once(fake_line, 3)
    later = now + leader.lease_ttl + timedelta(seconds=5)
    fill_outbox(db, 2, start=3, now=later)
    assert standby.tick(later) is not None  # the leader stopped renewing
    assert_each_delivered_once(fake_line, 5)


def test_the_clock_uses_the_configured_time_zone_with_coalescing_and_misfire_grace(db, services, context):
    clock = Clock(context, timezone=services.settings.timezone, tick_seconds=2)
    scheduler = clock.build_scheduler(BackgroundScheduler)
    scheduler.start(paused=True)
    try:
        assert str(scheduler.timezone) == "Asia/Bangkok"
        job = scheduler.get_job("tick")
        assert job.coalesce is True and job.misfire_grace_time >= 60 and job.max_instances == 1
        assert job.trigger.interval.total_seconds() == 2
    finally:
        scheduler.shutdown(wait=False)


def test_a_pass_handles_events_a_dead_web_process_left_pending(db, services, line, fake_line, context):
    from models import events as event_store

    event = line.text_event("สวัสดี")
    received = utcnow()
    with db.transaction() as session:  # recorded, then the web process died before handling
        event_store.record_events(session, [event], received_at=received)
    assert run_pass(context, received)["events"] == 0  # too fresh: the web process may be on it
    result = run_pass(context, received + timedelta(seconds=11))
    assert result["events"] == 1 and result["outbox"]["sent"] == 1
    assert len(fake_line.delivered_messages()) == 1


@pytest.mark.slow
def test_meetbot_tick_runs_one_pass_as_if_at_the_given_time(db, fake_line, cli_env, tmp_path):
    now = utcnow()
    fill_outbox(db, 4, now=now + timedelta(hours=1))  # not due until an hour from now
    early = subprocess.run(MEETBOT + ["tick", "--now", now.isoformat()], env=cli_env, cwd=tmp_path,
                           capture_output=True, text=True, timeout=60)
    assert early.returncode == 0, early.stderr
    assert json.loads(early.stdout.splitlines()[-1])["outbox"]["sent"] == 0
    due = subprocess.run(MEETBOT + ["tick", "--now", (now + timedelta(hours=1)).isoformat()], env=cli_env,
                         cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert due.returncode == 0, due.stderr
    assert json.loads(due.stdout.splitlines()[-1])["outbox"]["sent"] == 4
    assert_each_delivered_once(fake_line, 4)


@pytest.mark.slow
@pytest.mark.sends_refused_requests  # a request cut off by SIGKILL arrives truncated
def test_a_sender_killed_mid_batch_and_restarted_delivers_every_message_exactly_once(db, fake_line, cli_env, tmp_path):
    n = 300
    fill_outbox(db, n)
    fake_line.latency(0.03)
    env = dict(cli_env, MEETBOT_SENDER_CONCURRENCY="8")
    sender = subprocess.Popen(MEETBOT + ["tick"], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert fake_line.wait_for(lambda f: len(f.deliveries("push")) >= 40, timeout=60)
    finally:
        os.kill(sender.pid, signal.SIGKILL)
        sender.wait()
    in_flight = statuses(db).get(Status.SENDING, 0)
    delivered_before = len(fake_line.deliveries("push"))
    assert 40 <= delivered_before < n
    assert in_flight > 0, "the kill should have left claimed rows behind"
    fake_line.latency(0)
    # Restarted after the dead sender's lease ran out.
    later = utcnow() + outbox.DEFAULT_LEASE + timedelta(seconds=1)
    again = subprocess.run(MEETBOT + ["tick", "--now", later.isoformat()], env=env, cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert statuses(db) == {Status.SENT: n}
    assert_each_delivered_once(fake_line, n)


@pytest.mark.slow
@pytest.mark.sends_refused_requests  # a request cut off by SIGKILL arrives truncated
def test_two_clocks_running_send_nothing_twice_and_the_standby_takes_over(db, fake_line, cli_env, tmp_path):
    fill_outbox(db, 150)
    args = MEETBOT + ["clock", "--tick-seconds", "0.2", "--lease-seconds", "2"]
    clocks = [subprocess.Popen(args, env=cli_env, cwd=tmp_path, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL) for _ in range(2)]
    try:
        assert fake_line.wait_for(lambda f: len(f.deliveries("push")) >= 150, timeout=60)
        with db.reading() as session:
            holder = lease.holder_of(session, LEASE_NAME, now=utcnow())
        assert holder is not None
        leader = next(c for c in clocks if f":{c.pid}:" in holder)
        os.kill(leader.pid, signal.SIGKILL)
        leader.wait()
        fill_outbox(db, 50, start=150)
        assert fake_line.wait_for(lambda f: len(f.deliveries("push")) >= 200, timeout=60)
        with db.reading() as session:
            new_holder = lease.holder_of(session, LEASE_NAME, now=utcnow())
        assert new_holder != holder
    finally:
        for c in clocks:
            if c.poll() is None:
                c.send_signal(signal.SIGTERM)  # a clean stop finishes the pass under way
                c.wait(timeout=30)
    # Rows the killed leader had claimed come back once its send lease runs out.
    later = utcnow() + outbox.DEFAULT_LEASE + timedelta(seconds=1)
    finish = subprocess.run(MEETBOT + ["tick", "--now", later.isoformat()], env=cli_env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert finish.returncode == 0, finish.stderr
    assert statuses(db) == {Status.SENT: 200}
    assert_each_delivered_once(fake_line, 200)


@pytest.mark.slow
def test_meetbot_send_workers_share_the_outbox_and_send_each_message_once(db, fake_line, cli_env, tmp_path):
    """Extra sending capacity: two `meetbot send` processes beside each other, no duplicates."""
    workers = [subprocess.Popen(MEETBOT + ["send", "--idle-seconds", "0.05"], env=cli_env, cwd=tmp_path,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) for _ in range(2)]
    try:
        for worker in workers:
            assert "ready" in worker.stdout.readline()
        fake_line.latency(0.01)
        fill_outbox(db, 120)
        assert fake_line.wait_for(lambda f: len(f.deliveries("push")) >= 120, timeout=60)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        codes = [worker.wait(timeout=60) for worker in workers]
    assert codes == [0, 0]
    assert statuses(db) == {Status.SENT: 120}
    assert_each_delivered_once(fake_line, 120)


# -- the lease is renewed even while the sender is busy (issue 10, finding 10) -----------------


def _until(condition, *, within_seconds: float = 10.0) -> bool:
    """Wait for another thread to reach a point (not for time to pass); False if it never does."""
    import threading
    import time

    deadline = time.monotonic() + within_seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        threading.Event().wait(0.001)
    return True


def test_the_lease_renewal_goes_ahead_of_a_sender_taking_the_sqlite_write_lock_batch_after_batch(db, context):
    """On SQLite the sender records a batch and claims the next one back to back; a renewal
    queued behind it waited until the fan-out ended, and the lease lapsed mid-send."""
    import threading

    if not db.is_sqlite:
        pytest.skip("PostgreSQL has no single write lock: the renewal touches only the lease row")
    from zoneinfo import ZoneInfo

    clock = Clock(context, timezone=ZoneInfo("Asia/Bangkok"), holder="clock-a")
    order: list[str] = []
    renewal = threading.Thread(target=lambda: order.append("renewed" if clock.renew(utcnow()) else "lost"))
    with db.transaction():  # the sender recording its batch's outcomes
        renewal.start()
        assert _until(lambda: db._write_lock.waiting() == 1), "the renewal never queued for the write lock"
    with db.transaction():  # ... and claiming its next batch at once
        order.append("sender's next batch")
    renewal.join(10)
    assert order == ["renewed", "sender's next batch"]


def test_ordinary_writers_take_the_sqlite_write_lock_in_the_order_they_asked(db):
    import threading

    if not db.is_sqlite:
        pytest.skip("only SQLite's writers queue for one lock")
    order: list[int] = []

    def write(n: int) -> None:
        with db.transaction():
            order.append(n)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    with db.transaction():
        for n, thread in enumerate(threads):
            thread.start()
            assert _until(lambda: db._write_lock.waiting() == n + 1)
    for thread in threads:
        thread.join(10)
    assert order == [0, 1, 2, 3]
