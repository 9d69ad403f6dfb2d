"""The single clock: APScheduler in exactly one process, guarded by a lease in the database."""

from __future__ import annotations

import gc
import logging
import signal
import threading
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.delivery import worker_name
from models import lease
from models.base import utcnow
from scheduler.jobs import ClockContext, run_pass

log = logging.getLogger("meetbot.clock")

LEASE_NAME = "clock"


class Clock:
    def __init__(self, ctx: ClockContext, *, timezone, tick_seconds: float = 2.0,
                 lease_seconds: float | None = None, holder: str | None = None):
        self.ctx = ctx
        self.timezone = timezone
        self.tick_seconds = tick_seconds
        # Long enough to survive a slow pass or a pause, short enough that a standby takes over
        # within a reminder's 60-second window.
        self.lease_ttl = timedelta(seconds=lease_seconds or max(15.0, tick_seconds * 5))
        self.holder = holder or worker_name()
        self.leader = False
        self._leader_lock = threading.Lock()
        self.scheduler: BaseScheduler | None = None

    def renew(self, now: datetime | None = None) -> bool:
        """Take or keep the lease; log when this process becomes leader or standby."""
        now = now or utcnow()
        # Its own short transaction, ahead of every queued writer: on SQLite the sender's batches
        # take the one write lock back to back, and a renewal queued behind them let the lease
        # lapse while this clock was still sending (issue 10).
        with self.ctx.db.transaction(priority=True) as session:
            held = lease.acquire(session, LEASE_NAME, self.holder, now=now, ttl=self.lease_ttl)
        with self._leader_lock:
            if held != self.leader:
                log.info("clock %s is now %s", self.holder, "the leader" if held else "a standby")
            self.leader = held
        return held

    def tick(self, now: datetime | None = None) -> dict | None:
        """One pass of every job, if this clock holds the lease."""
        now = now or utcnow()
        if not self.renew(now):
            return None
        return run_pass(self.ctx, now)

    def build_scheduler(self, cls) -> BaseScheduler:
        return self._schedule(self._new(cls))

    def _schedule(self, scheduler: BaseScheduler) -> BaseScheduler:
        scheduler.add_job(self.tick, "interval", seconds=self.tick_seconds, id="tick",
                          next_run_time=datetime.now(self.timezone), replace_existing=True)
        # Renewed on its own so that a long pass (a big fan-out) does not let the lease lapse.
        scheduler.add_job(self.renew, "interval", seconds=max(1.0, self.lease_ttl.total_seconds() / 3),
                          id="lease", replace_existing=True)
        self.scheduler = scheduler
        return scheduler

    def _new(self, cls) -> BaseScheduler:
        return cls(timezone=self.timezone, job_defaults={
            "coalesce": True,            # after a pause, one catch-up pass, not a burst
            "misfire_grace_time": 300,   # a late pass still runs; what is due is read from the database
            "max_instances": 1,
        })

    def run_forever(self) -> None:
        """Block, ticking, until interrupted (`meetbot clock`)."""
        scheduler = self.build_scheduler(BlockingScheduler)
        gc.freeze()  # as bot.app does: long-lived objects out of the collector's full passes
        # On SIGTERM (a deploy, `kill`), finish the pass under way so nothing is left mid-send.
        signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=True))
        log.info("clock %s starting: tick every %ss, lease %ss", self.holder, self.tick_seconds,
                 self.lease_ttl.total_seconds())
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.release()

    def start_in_background(self) -> BaseScheduler:
        """Tick in a background thread (`meetbot serve`, development only)."""
        scheduler = self.build_scheduler(BackgroundScheduler)
        scheduler.start()
        return scheduler

    def release(self) -> None:
        try:
            with self.ctx.db.transaction() as session:
                lease.release(session, LEASE_NAME, self.holder)
        except Exception:
            log.exception("could not release the clock lease (it will expire)")
