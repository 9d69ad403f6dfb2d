"""Reminders, nudges, quota and announcements: on time, once, and within the LINE quota.

Every case is driven by `now=` or `meetbot tick --now`: no sleeps.
"""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bot.delivery import Sender
from bot.line_client import LineClient
from handlers.postbacks import Action, decode
from models import outbox
from models.meetings import Meeting, create_meeting, invite, record_answer
from models.network import Chat, FinancialGroup, GroupKind, SubDistrict
from models.outbox import OutboxMessage, Status
from models.people import Person, Role, ensure_person, grant
from models.reminders import ReminderRun, RunStatus
from scheduler.jobs import ClockContext, run_pass
from tests import network
from tests.linechat import nodes, postback_actions, tap_data, texts
from tests.network import COORDINATOR, leader_id

MEETBOT = [sys.executable, "-m", "bot.cli"]
START = datetime(2026, 8, 14, 2, 0, tzinfo=timezone.utc)       # Fri 14 Aug 2026, 09:00 in Bangkok
EVE = datetime(2026, 8, 13, 10, 0, tzinfo=timezone.utc)        # Thu 13 Aug, 17:00 in Bangkok
TWO_HOURS_BEFORE = START - timedelta(hours=2)
FUND_1 = "กองทุนหมู่บ้าน หมู่ 1 ต.บางจาก"
FUND_2 = "กองทุนหมู่บ้าน หมู่ 2 ต.บางจาก"
FUND_3 = "กองทุนหมู่บ้าน หมู่ 3 ต.บางจาก"


@pytest.fixture
def meeting(db, services):
    """The 14 Aug Bang Chak meeting, its three funds invited with 10 each; fund 1 answered 8."""
    net = network.build(db)
    with db.transaction() as s:
        m = create_meeting(s, title="ประชุมกองทุนหมู่บ้านตำบลบางจาก", starts_at=START, venue_name="วัดบางสะพาน",
                           now=START - timedelta(days=20))
        for name in (FUND_1, FUND_2, FUND_3):
            invite(s, m, s.get(FinancialGroup, net.groups[name]), 10)
        leader = ensure_person(s, leader_id(1))
        record_answer(s, meeting=m, person=leader, group=s.get(FinancialGroup, net.groups[FUND_1]),
                      response="going", headcount=8, for_group=True, now=START - timedelta(days=2))
        unsure = ensure_person(s, "U" + "d" * 32)
        record_answer(s, meeting=m, person=unsure, group=s.get(FinancialGroup, net.groups[FUND_1]),
                      response="maybe", now=START - timedelta(days=2))
    net.meeting_id = m.id
    return net


def pushes_after(fake_line, seq):
    return [r for r in fake_line.deliveries(("push", "multicast")) if r.seq > seq]


def last_seq(fake_line) -> int:
    return max((r.seq for r in fake_line.requests), default=0)


def runs(db):
    with db.reading() as s:
        return [(r.moment, r.status) for r in s.scalars(select(ReminderRun).order_by(ReminderRun.id))]


def test_the_evening_before_every_invited_chat_gets_the_card_and_unanswered_leaders_a_nudge(
        db, context, meeting, fake_line):
    assert run_pass(context, EVE - timedelta(seconds=1))["reminders"]["sent"] == 0
    mark = last_seq(fake_line)
    result = run_pass(context, EVE + timedelta(seconds=2))  # the clock ticks every 2 s
    assert result["reminders"]["sent"] == 1
    sent = pushes_after(fake_line, mark)
    cards = [r for r in sent if r.endpoint == "push" and r.body["messages"][0]["type"] == "flex"]
    assert sorted(r.body["to"] for r in cards) == sorted(meeting.chats[n] for n in (FUND_1, FUND_2, FUND_3))
    shown = " ".join(texts(cards[0].body["messages"]))
    assert "เตือนนัด #1" in shown and "พรุ่งนี้ 09.00 น." in shown and "วัดบางสะพาน" in shown
    # Nudges 1:1: the leaders of funds 2 and 3 (no answer yet), and the person who said maybe.
    nudged = sorted(u for r in sent if r.body["messages"][0]["type"] == "text"
                    for u in (r.body["to"] if isinstance(r.body["to"], list) else [r.body["to"]]))
    assert nudged == sorted([leader_id(2), leader_id(3), "U" + "d" * 32])
    buttons = [decode(i["action"]["data"]) for r in sent if r.body["messages"][0]["type"] == "text"
               for i in r.body["messages"][0]["quickReply"]["items"]]
    assert {b["r"] for b in buttons} == {"going", "not_going", "maybe"}
    # Ticking again, or a little later, sends nothing more.
    mark = last_seq(fake_line)
    run_pass(context, EVE + timedelta(seconds=4))
    run_pass(context, EVE + timedelta(minutes=30))
    assert pushes_after(fake_line, mark) == []
    # Two hours before: the second reminder.
    assert run_pass(context, TWO_HOURS_BEFORE + timedelta(seconds=1))["reminders"]["sent"] == 1
    assert runs(db) == [("eve@17:00", RunStatus.SENT), ("120m", RunStatus.SENT)]


def test_after_downtime_a_missed_reminder_is_sent_once_before_the_start_and_dropped_after(
        db, context, meeting, fake_line, caplog):
    # Down from before the evening reminder until 08:30 on the day: both moments are due.
    result = run_pass(context, START - timedelta(minutes=30))
    assert result["reminders"] == {"sent": 1, "held": 0, "dropped": 0}
    assert runs(db) == [("eve@17:00", RunStatus.SKIPPED), ("120m", RunStatus.SENT)]
    assert len([r for r in fake_line.deliveries("push") if r.body["messages"][0]["type"] == "flex"]) == 3


def test_a_reminder_missed_until_after_the_start_is_dropped_with_a_log_line(db, context, meeting, fake_line, caplog):
    with caplog.at_level(logging.WARNING, logger="meetbot.reminders"):
        result = run_pass(context, START + timedelta(minutes=5))
    assert result["reminders"] == {"sent": 0, "held": 0, "dropped": 2}
    assert "dropped" in caplog.text
    assert fake_line.deliveries(("push", "multicast")) == []


def test_moving_a_meeting_reschedules_its_reminders_and_cancelling_stops_them(db, context, meeting, fake_line, line,
                                                                              services):
    run_pass(context, EVE + timedelta(seconds=1))  # the evening reminder for the 14th went out
    services.set_clock(lambda: EVE + timedelta(minutes=5))
    line.say("เลื่อนนัด #1 17 ส.ค. 2569 09:00", user=COORDINATOR)
    mark = last_seq(fake_line)
    assert run_pass(context, TWO_HOURS_BEFORE + timedelta(seconds=1))["reminders"]["sent"] == 0  # not the 14th
    new_eve = datetime(2026, 8, 16, 10, 0, tzinfo=timezone.utc)
    assert run_pass(context, new_eve + timedelta(seconds=1))["reminders"]["sent"] == 1
    shown = " ".join(texts([m for r in pushes_after(fake_line, mark) for m in r.body["messages"]]))
    assert "พรุ่งนี้ 09.00 น." in shown
    services.set_clock(lambda: new_eve + timedelta(minutes=5))
    line.tap(tap_data(line.say("ยกเลิกนัด #1", user=COORDINATOR), Action.CONFIRM), user=COORDINATOR)
    mark = last_seq(fake_line)
    assert run_pass(context, datetime(2026, 8, 17, 0, 0, tzinfo=timezone.utc))["reminders"]["sent"] == 0
    assert pushes_after(fake_line, mark) == []


def test_a_coordinator_changes_the_plan_or_turns_it_off_in_chat(db, context, meeting, fake_line, line, services):
    services.set_clock(lambda: START - timedelta(days=10))
    answer = line.say("เตือน #1 3 วัน 1 ชม.", user=COORDINATOR)
    assert "ก่อนนัด 3 วัน" in answer[0]["text"] and "ก่อนนัด 1 ชม." in answer[0]["text"]
    line.say("เตือน #1 ปิด", user=COORDINATOR)
    assert run_pass(context, START - timedelta(days=3) + timedelta(seconds=1))["reminders"]["sent"] == 0
    assert run_pass(context, START - timedelta(minutes=59))["reminders"]["sent"] == 0


def test_plan_changes_between_ticks_take_effect_on_the_next_tick(db, context, meeting, fake_line, line, services):
    services.set_clock(lambda: START - timedelta(days=10))
    line.say("/remind #1 3d 1h", user=COORDINATOR)
    assert run_pass(context, START - timedelta(days=3) + timedelta(seconds=1))["reminders"]["sent"] == 1
    assert run_pass(context, EVE + timedelta(seconds=1))["reminders"]["sent"] == 0
    line.say("/remind #1 off", user=COORDINATOR)
    assert run_pass(context, START - timedelta(minutes=59))["reminders"]["sent"] == 0
    assert runs(db) == [("4320m", RunStatus.SENT)]


def test_a_reminder_that_would_exceed_the_quota_is_held_and_coordinators_are_told_once(
        db, context, meeting, fake_line):
    fake_line.set_quota(limit=100, used=95)  # the three chats alone cost 36 (12 members each)
    result = run_pass(context, EVE + timedelta(seconds=1))
    assert result["reminders"]["held"] == 1
    assert runs(db) == [("eve@17:00", RunStatus.HELD)]
    sent = fake_line.deliveries(("push", "multicast"))
    assert [r.body["to"] for r in sent] == [COORDINATOR]
    assert "โควตา" in sent[0].body["messages"][0]["text"] and "เหลือ 5" in sent[0].body["messages"][0]["text"]
    run_pass(context, EVE + timedelta(minutes=1))
    assert len(fake_line.deliveries(("push", "multicast"))) == 1  # told once


@pytest.mark.slow
def test_meetbot_quota_prints_limit_used_and_left(db, fake_line, cli_env, tmp_path):
    fake_line.set_quota(limit=500, used=123)
    done = subprocess.run(MEETBOT + ["quota"], env=cli_env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "limit 500, used 123, queued 0, left 377"
    fake_line.set_quota(limit=None)
    done = subprocess.run(MEETBOT + ["quota"], env=cli_env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.stdout.startswith("limit none")


@pytest.mark.sends_refused_requests
def test_line_answering_400_for_one_recipient_kills_that_one_and_delivers_the_rest(db, context, meeting, fake_line):
    with db.transaction() as s:  # a chat id LINE does not know
        s.add(Chat(id="Cnot-a-real-group", kind="group", member_count=5))
        group = s.get(FinancialGroup, meeting.groups[FUND_3])
        group.chat_id = "Cnot-a-real-group"
    run_pass(context, EVE + timedelta(seconds=1))
    with db.reading() as s:
        rows = s.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "reminder")).all()
        statuses = {r.to: r.status for r in rows}
    assert statuses.pop("Cnot-a-real-group") == Status.DEAD
    assert set(statuses.values()) == {Status.SENT}
    # The coordinator hears about it in chat, once.
    run_pass(context, EVE + timedelta(seconds=3))
    run_pass(context, EVE + timedelta(seconds=5))
    alerts = [r for r in fake_line.deliveries("push") if r.body["to"] == COORDINATOR]
    assert len(alerts) == 1 and "ส่งข้อความไม่สำเร็จ 1 รายการ" in alerts[0].body["messages"][0]["text"]


@pytest.mark.slow
def test_line_failing_30_percent_of_calls_with_5xx_or_timeouts_still_delivers_everything_once(
        db, services, settings, meeting, fake_line):
    """40 chats; every call has a 30% chance of a 503 or of hanging past the client's timeout."""
    with db.transaction() as s:
        m = s.get(Meeting, meeting.meeting_id)
        m.nudges = False
        for i in range(40):
            chat = f"C{i + 500:032x}"
            s.add(Chat(id=chat, kind="group", member_count=1))
            g = FinancialGroup(name=f"กลุ่มทดสอบ {i}", kind=GroupKind.OTHER, chat_id=chat)
            s.add(g)
            s.flush()
            invite(s, m, g, 4)
    quick = Sender(db, LineClient(settings.with_(line_timeout=(1.0, 0.3))), concurrency=8)
    context = ClockContext(db=db, sender=quick, bot_settings=services.bot_settings)
    fake_line.fail(status=503, ratio=0.15)
    fake_line.hang(seconds=0.6, ratio=0.15)
    now = EVE + timedelta(seconds=1)
    for _ in range(40):
        run_pass(context, now)
        now += timedelta(minutes=5)
        with db.reading() as s:
            left = s.scalar(select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.status.in_([Status.PENDING, Status.SENDING])))
        if left == 0:
            break
    fake_line.clear_faults()
    assert fake_line.wait_for(lambda f: all(r.status is not None for r in f.requests), timeout=10)
    quick.close()
    with db.reading() as s:
        rows = s.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "reminder")).all()
    assert len(rows) == 43 and {r.status for r in rows} == {Status.SENT}
    accepted = [r for r in fake_line.deliveries("push") if r.body["messages"][0]["type"] == "flex"]
    assert len(accepted) == 43
    assert len({r.retry_key for r in accepted}) == 43 and len({r.body["to"] for r in accepted}) == 43
    assert any(r.status == 409 for r in fake_line.requests)  # some hung calls did arrive: not sent twice


@pytest.mark.slow
def test_nudges_to_many_leaders_go_as_multicasts_of_at_most_500(db, context, meeting, fake_line):
    with db.transaction() as s:
        m = s.get(Meeting, meeting.meeting_id)
        for i in range(1100):
            g = FinancialGroup(name=f"กลุ่มไม่มีห้อง {i}", kind=GroupKind.OTHER)
            s.add(g)
            s.flush()
            leader = Person(line_user_id=f"U{i + 7000:032x}", display_name=f"ผู้นำ {i}")
            s.add(leader)
            s.flush()
            from models.people import PersonRole

            s.add(PersonRole(person_id=leader.id, role="leader", group_id=g.id))
            invite(s, m, g, 2)
    run_pass(context, EVE + timedelta(seconds=1))
    multicasts = fake_line.deliveries("multicast")
    sizes = sorted(len(r.body["to"]) for r in multicasts)
    assert max(sizes) <= 500 and sum(sizes) == 1100 + 2  # + the leaders of funds 2 and 3
    assert len(multicasts) == 3
    # The one person who said maybe gets their own message (a push: one recipient).
    assert [r.body["to"] for r in fake_line.deliveries("push") if r.body["messages"][0]["type"] == "text"] == [
        "U" + "d" * 32]


# -- exactly once across processes ---------------------------------------------------------------


def big_meeting(db, n: int) -> None:
    """A meeting with n invited groups, each with its own one-member chat."""
    with db.transaction() as s:
        sub = SubDistrict(name="ตำบลทดสอบ")
        s.add(sub)
        s.flush()
        m = create_meeting(s, title="ประชุมใหญ่", starts_at=START, venue_name="หอประชุมอำเภอ",
                           now=START - timedelta(days=30))
        m.nudges = False
        chats = [Chat(id=f"C{i:032x}", kind="group", member_count=1) for i in range(n)]
        s.add_all(chats)
        groups = [FinancialGroup(name=f"กลุ่มที่ {i}", kind=GroupKind.OTHER, sub_district_id=sub.id,
                                 chat_id=chats[i].id) for i in range(n)]
        s.add_all(groups)
        s.flush()
        for g in groups:
            invite(s, m, g, 3)


def assert_fan_out_once(fake_line, n):
    accepted = [r for r in fake_line.deliveries("push") if r.body["messages"][0]["type"] == "flex"]
    keys = {r.retry_key for r in accepted}
    bodies = {json.dumps(r.body, sort_keys=True, ensure_ascii=False) for r in accepted}
    assert len(accepted) == n and len(keys) == n and len(bodies) == n


@pytest.mark.slow
@pytest.mark.sends_refused_requests  # a request cut off by SIGKILL arrives truncated
def test_the_clock_killed_during_a_fan_out_of_1000_reminders_delivers_each_once_after_restart(
        db, fake_line, cli_env, tmp_path):
    big_meeting(db, 1000)
    fake_line.latency(0.01)
    env = dict(cli_env, MEETBOT_SENDER_CONCURRENCY="8")
    tick = subprocess.Popen(MEETBOT + ["tick", "--now", (EVE + timedelta(seconds=1)).isoformat()], env=env,
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert fake_line.wait_for(lambda f: len(f.deliveries("push")) >= 150, timeout=120)
    finally:
        os.kill(tick.pid, signal.SIGKILL)
        tick.wait()
    assert len(fake_line.deliveries("push")) < 1000
    fake_line.latency(0)
    restart = EVE + outbox.DEFAULT_LEASE + timedelta(seconds=5)
    done = subprocess.run(MEETBOT + ["tick", "--now", restart.isoformat()], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert runs(db) == [("eve@17:00", RunStatus.SENT)]
    assert_fan_out_once(fake_line, 1000)


@pytest.mark.slow
def test_two_clocks_running_fire_each_reminder_once(db, fake_line, cli_env, tmp_path):
    big_meeting(db, 200)
    # Both clocks run passes as if it were the evening before (tick --now), at the same time.
    env = dict(cli_env, MEETBOT_SENDER_CONCURRENCY="8")
    now = (EVE + timedelta(seconds=1)).isoformat()
    ticks = [subprocess.Popen(MEETBOT + ["tick", "--now", now], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True) for _ in range(2)]
    outputs = [json.loads(t.communicate(timeout=300)[0].splitlines()[-1]) for t in ticks]
    assert sorted(o["reminders"]["sent"] for o in outputs) == [0, 1]
    assert runs(db) == [("eve@17:00", RunStatus.SENT)]
    assert_fan_out_once(fake_line, 200)


# -- announcements -------------------------------------------------------------------------------


def test_an_announcement_shows_reach_and_cost_then_sends_on_confirmation(db, context, meeting, fake_line, line,
                                                                         services):
    fake_line.set_quota(limit=300, used=100)
    run_pass(context, START - timedelta(days=5))  # the clock reads the quota
    services.set_clock(lambda: START - timedelta(days=5))
    ask = line.say("ประกาศ พรุ่งนี้ขอให้ทุกกลุ่มนำสมุดบัญชีมาด้วยครับ", user=COORDINATOR)
    choices = {i["action"]["label"]: i["action"]["data"] for i in ask[0]["quickReply"]["items"]}
    assert "ผู้ได้รับเชิญ #1" in choices and "คุณอำนวยทั้งหมด" in choices and "ต.บางจาก" in choices
    cost = line.tap(choices["ผู้ได้รับเชิญ #1"], user=COORDINATOR)
    assert "3 ห้อง" in cost[0]["text"] and "36 ข้อความ" in cost[0]["text"] and "เหลือ 200 จาก 300" in cost[0]["text"]
    assert fake_line.deliveries("push") == []  # nothing sent before confirming
    confirm = next(i["action"]["data"] for i in cost[0]["quickReply"]["items"] if decode(i["action"]["data"])["a"] == Action.CONFIRM)
    line.tap(confirm, user=COORDINATOR)
    pushed = fake_line.deliveries("push")
    assert sorted(r.body["to"] for r in pushed) == sorted(meeting.chats[n] for n in (FUND_1, FUND_2, FUND_3))
    assert pushed[0].body["messages"][0]["text"] == "📢 พรุ่งนี้ขอให้ทุกกลุ่มนำสมุดบัญชีมาด้วยครับ"
    line.tap(confirm, user=COORDINATOR)  # a second tap sends nothing more
    assert len(fake_line.deliveries("push")) == 3


def test_an_announcement_the_quota_cannot_pay_for_is_refused_with_the_numbers(db, context, meeting, fake_line, line,
                                                                               services):
    fake_line.set_quota(limit=300, used=290)
    run_pass(context, START - timedelta(days=5))
    services.set_clock(lambda: START - timedelta(days=5))
    ask = line.say("ประกาศ ทดสอบ", user=COORDINATOR)
    choices = {i["action"]["label"]: i["action"]["data"] for i in ask[0]["quickReply"]["items"]}
    refused = line.tap(choices["ทุกกลุ่มที่ผูกห้อง"], user=COORDINATOR)
    assert "โควตาไม่พอ" in refused[0]["text"] and "เหลือ 10 จาก 300" in refused[0]["text"]
    assert fake_line.deliveries("push") == []


def test_only_coordinators_announce(line, db, meeting, fake_line):
    answer = line.say("ประกาศ ทดสอบ", user=leader_id(1))
    assert "ผู้ประสานงาน" in answer[0]["text"]


def test_nudges_can_be_turned_off_for_one_meeting(db, context, meeting, fake_line, line, services):
    services.set_clock(lambda: START - timedelta(days=5))
    answer = line.say("เตือนส่วนตัว #1 ปิด", user=COORDINATOR)
    assert "ปิด" in answer[0]["text"]
    run_pass(context, EVE + timedelta(seconds=1))
    sent = fake_line.deliveries(("push", "multicast"))
    assert sent and all(r.body["messages"][0]["type"] == "flex" for r in sent)  # the cards, no 1:1 nudges
    assert "ผู้ประสานงาน" in line.say("/nudges #1 on", user=leader_id(1))[0]["text"]  # coordinators only


# -- who hears: every chat of a meeting; not the groups that said no (slice: remind) ---------------

UNLINKED_CHAT = "C" + "5" * 32   # a group chat linked to no financial group
ANSWERED_CHAT = "C" + "6" * 32   # another unlinked chat, where someone answered the meeting
NEIGHBOUR = "U" + "e" * 32


def _confirm_if_asked(line, answer, user) -> None:
    """Cancelling may ask for a confirming tap; give it when it does."""
    actions = [a for a in postback_actions(answer)]
    if actions:
        line.tap(actions[0]["data"], user=user)


def test_a_meeting_made_in_an_unlinked_chat_gets_reminders_move_and_cancel_notices_there_and_where_it_was_answered(
        db, context, line, services, fake_line):
    network.build(db)
    services.set_clock(lambda: START - timedelta(days=20))
    line.say("นัด 14 ส.ค. 09:00 วัดบางสะพาน เรื่อง ประชุมเพื่อนบ้าน", user=COORDINATOR, group=UNLINKED_CHAT)
    with db.reading() as s:
        code = s.scalar(select(Meeting.id))
    line.say(f"ไป #{code}", user=NEIGHBOUR, group=ANSWERED_CHAT)
    mark = last_seq(fake_line)
    assert run_pass(context, EVE + timedelta(seconds=1))["reminders"]["sent"] == 1
    reminded = sorted(r.body["to"] for r in pushes_after(fake_line, mark))
    assert reminded == sorted([UNLINKED_CHAT, ANSWERED_CHAT])

    mark = last_seq(fake_line)
    line.say(f"เลื่อนนัด #{code} 15 ส.ค. 09:00", user=COORDINATOR)
    told = [r for r in pushes_after(fake_line, mark) if r.body["to"] != COORDINATOR]
    assert sorted(r.body["to"] for r in told) == sorted([UNLINKED_CHAT, ANSWERED_CHAT])
    assert all("เลื่อนนัด" in " ".join(texts(r.body["messages"])) for r in told)

    mark = last_seq(fake_line)
    _confirm_if_asked(line, line.say(f"ยกเลิกนัด #{code}", user=COORDINATOR), COORDINATOR)
    told = [r for r in pushes_after(fake_line, mark) if r.body["to"] != COORDINATOR]
    assert sorted(r.body["to"] for r in told) == sorted([UNLINKED_CHAT, ANSWERED_CHAT])
    assert all("ยกเลิกนัด" in " ".join(texts(r.body["messages"])) for r in told)


def test_two_hours_before_the_chats_get_a_short_reminder_with_the_map_and_answer_buttons_not_the_card(
        db, context, meeting, fake_line):
    run_pass(context, EVE + timedelta(seconds=1))
    mark = last_seq(fake_line)
    assert run_pass(context, TWO_HOURS_BEFORE + timedelta(seconds=1))["reminders"]["sent"] == 1
    to_chats = [r for r in pushes_after(fake_line, mark) if r.body["to"] in meeting.chats.values()]
    assert len(to_chats) == 3
    for request in to_chats:
        [message] = request.body["messages"]
        assert message["type"] == "flex" and message["contents"]["size"] == "kilo"
        shown = texts([message])
        assert any("เตือนนัด #1" in s and "วันนี้ 09.00 น." in s for s in shown)
        assert any("วัดบางสะพาน" in s for s in shown)
        labels = {node["action"]["label"] for node in nodes(message) if isinstance(node.get("action"), dict)}
        assert labels == {"แผนที่", "ไป", "ไม่ไป", "ไม่แน่ใจ"}  # no summary, no headcounts: not the card
        assert [decode(a["data"])["r"] for a in postback_actions([message])] == ["going", "not_going", "maybe"]


def test_a_group_that_said_not_going_gets_no_reminder_and_its_maybe_members_no_nudge(
        db, context, meeting, fake_line):
    with db.transaction() as s:
        m = s.get(Meeting, meeting.meeting_id)
        fund_2 = s.get(FinancialGroup, meeting.groups[FUND_2])
        record_answer(s, meeting=m, person=ensure_person(s, leader_id(2)), group=fund_2, response="not_going",
                      for_group=True, headcount=0, now=EVE - timedelta(days=1))
        record_answer(s, meeting=m, person=ensure_person(s, "U" + "7" * 32), group=fund_2, response="maybe",
                      now=EVE - timedelta(days=1))
    for when in (EVE + timedelta(seconds=1), TWO_HOURS_BEFORE + timedelta(seconds=1)):
        mark = last_seq(fake_line)
        assert run_pass(context, when)["reminders"]["sent"] == 1
        sent = pushes_after(fake_line, mark)
        chats = sorted(r.body["to"] for r in sent if r.body["to"] in meeting.chats.values())
        assert chats == sorted([meeting.chats[FUND_1], meeting.chats[FUND_3]])
        people = {u for r in sent for u in (r.body["to"] if isinstance(r.body["to"], list) else [r.body["to"]])}
        assert "U" + "7" * 32 not in people and leader_id(2) not in people
        assert leader_id(3) in people and "U" + "d" * 32 in people  # fund 3 has not answered; fund 1's maybe


def test_the_held_reminder_notice_tells_the_coordinator_what_they_can_do_in_their_language(
        db, context, meeting, fake_line):
    second = "U" + "8" * 32
    with db.transaction() as s:
        person = ensure_person(s, second)
        person.language = "en"
        grant(s, person, Role.COORDINATOR)
    fake_line.set_quota(limit=100, used=95)
    assert run_pass(context, EVE + timedelta(seconds=1))["reminders"]["held"] == 1
    said = {u: r.body["messages"][0]["text"] for r in fake_line.deliveries(("push", "multicast")) for u in r.recipients}
    thai, english = said[COORDINATOR], said[second]
    assert "LINE Official Account Manager" in thai and "พิมพ์ นัดหมาย" in thai
    assert "เตือนส่วนตัว #1 ปิด" in thai and "เตือน #1 2 ชม." in thai
    assert "/nudges #1 off" in english and "/meetings" in english and "Buy more messages" in english
    assert not re.search("[\u0e00-\u0e7f]", english.replace(meeting_title(db, meeting), ""))


@pytest.mark.sends_refused_requests
def test_a_message_line_refused_is_reported_to_coordinators_in_thai_words_without_line_s_error(
        db, context, meeting, fake_line):
    with db.transaction() as s:  # a chat id LINE does not know
        s.add(Chat(id="Cnot-a-real-group", kind="group", member_count=5, title="ห้องทดลอง"))
        s.get(FinancialGroup, meeting.groups[FUND_3]).chat_id = "Cnot-a-real-group"
    run_pass(context, EVE + timedelta(seconds=1))
    run_pass(context, EVE + timedelta(seconds=3))
    [alert] = [r for r in fake_line.deliveries("push") if r.body["to"] == COORDINATOR]
    text = alert.body["messages"][0]["text"]
    # Named by the group linked to the chat (what the coordinator knows), not the chat's id.
    assert "การเตือนนัด #1 ถึง ห้อง กองทุนหมู่บ้าน หมู่ 3 ต.บางจาก: LINE ไม่รับข้อความนี้" in text
    with db.reading() as s:
        error = s.scalar(select(OutboxMessage.last_error).where(OutboxMessage.to == "Cnot-a-real-group"))
    assert error and error[:20] not in text and "reminder" not in text and "Cnot" not in text


def meeting_title(db, meeting) -> str:
    with db.reading() as s:
        return s.get(Meeting, meeting.meeting_id).title
