"""Many requests at once through the real Flask app (issue 10): no deadlock, exactly one setup
claim, no lost answer. Each test runs on the suite's database (SQLite, or PostgreSQL with
TEST_DATABASE_URL), where row locks make the races real."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from models.events import EventStatus, InboundEvent
from models.meetings import Answer
from models.network import Chat
from models.people import Person, forget
from tests import network
from tests.linechat import sign
from tests.network import COORDINATOR, chat_id, leader_id
from tests.conftest import TEST_SECRET
from tests.queries import all_of, count
from tests.test_meetings_chat import confirm_invite

BANGKOK_NOW = datetime(2026, 7, 27, 3, 0, tzinfo=timezone.utc)
# Generous: each request takes milliseconds; the old code hung for good (minutes, until killed).
FINISH_WITHIN_SECONDS = 60


def post_at_once(app, line, bodies: list[dict]) -> list[int]:
    """POST every body to /callback from its own thread, all released together; the status codes."""
    start = threading.Barrier(len(bodies))
    statuses: list[int | None] = [None] * len(bodies)

    def post(i: int, body: dict) -> None:
        raw = json.dumps(body, ensure_ascii=False).encode()
        client = app.test_client()
        start.wait()
        statuses[i] = client.post("/callback", data=raw, headers={
            "Content-Type": "application/json", "X-Line-Signature": sign(TEST_SECRET, raw)}).status_code

    threads = [threading.Thread(target=post, args=(i, body), daemon=True) for i, body in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(FINISH_WITHIN_SECONDS)
    hung = sum(thread.is_alive() for thread in threads)
    assert hung == 0, f"{hung} of {len(threads)} requests still running after {FINISH_WITHIN_SECONDS} s (deadlock)"
    return statuses


def one_event(line, event: dict) -> dict:
    return {"destination": "U" + "f" * 32, "events": [event]}


def test_leave_events_and_first_messages_from_a_new_group_chat_at_once_all_finish(app, line, db):
    """Three `leave` events and three first messages from one new group chat, posted at once, hung
    every thread of a web worker on PostgreSQL: Turn.chat and Turn.person were cached_property,
    whose getter ran under one lock shared by every Turn, while inserting the chat row."""
    new_chat = chat_id(777)
    bodies = [one_event(line, line.event("leave", user=None, group=new_chat, reply=False)) for _ in range(3)]
    bodies += [one_event(line, line.text_event("วิธีใช้", user=leader_id(700 + i), group=new_chat))
               for i in range(3)]
    assert post_at_once(app, line, bodies) == [200] * 6
    events = all_of(db, InboundEvent)
    assert len(events) == 6 and {e.status for e in events} == {EventStatus.HANDLED}
    assert count(db, Chat, Chat.id == new_chat) == 1
    assert count(db, Person, Person.line_user_id.in_([leader_id(700 + i) for i in range(3)])) == 3


def coordinators_now(db) -> list[Person]:
    with db.reading() as session:
        return [p for p in session.scalars(select(Person)).unique() if p.is_coordinator]


def test_ten_people_claiming_the_setup_code_at_once_make_exactly_one_coordinator(app, line, db):
    people = [f"U{0xabc000 + i:032x}" for i in range(10)]
    bodies = [one_event(line, line.text_event("ผู้ประสานงาน ตั้งค่า-1234", user=who)) for who in people]
    assert post_at_once(app, line, bodies) == [200] * 10
    line.deliver()
    winners = coordinators_now(db)
    assert len(winners) == 1 and winners[0].line_user_id in people
    answers = {who: [m["text"] for m in line.conversation(who, 0)] for who in people}
    assert sum("เป็นผู้ประสานงานแล้ว" in " ".join(said) for said in answers.values()) == 1
    assert sum("มีผู้ประสานงานแล้ว" in " ".join(said) for said in answers.values()) == 9


def test_the_setup_code_is_spent_for_good_even_after_the_only_coordinator_forgets_themselves(line, db):
    first, second = "U" + "7" * 32, "U" + "8" * 32
    assert "เป็นผู้ประสานงานแล้ว" in line.say("ผู้ประสานงาน ตั้งค่า-1234", user=first)[0]["text"]
    with db.transaction() as session:
        person = session.scalars(select(Person).where(Person.line_user_id == first)).one()
        forget(session, person, now=BANGKOK_NOW)
    assert coordinators_now(db) == []
    assert "มีผู้ประสานงานแล้ว" in line.say("ผู้ประสานงาน ตั้งค่า-1234", user=second)[0]["text"]
    assert coordinators_now(db) == []


def test_a_network_with_a_coordinator_already_does_not_accept_the_setup_code(line, db, services):
    services.set_clock(lambda: BANGKOK_NOW)
    network.build(db)  # has a coordinator appointed outside the chat (as `meetbot role grant` does)
    newcomer = "U" + "8" * 32
    assert "มีผู้ประสานงานแล้ว" in line.say("ผู้ประสานงาน ตั้งค่า-1234", user=newcomer)[0]["text"]
    assert [p.line_user_id for p in coordinators_now(db)] == [COORDINATOR]


def test_wrong_setup_codes_are_limited_per_person_and_the_right_one_is_then_refused_too(line, db):
    guesser = "U" + "6" * 32
    said = [line.say(f"ผู้ประสานงาน {1000 + i}", user=guesser)[0]["text"] for i in range(5)]
    assert "ลองได้อีก 4 ครั้ง" in said[0] and "ลองได้อีก 1 ครั้ง" in said[3]
    assert "ครบจำนวนครั้ง" in said[4]
    locked = line.say("ผู้ประสานงาน ตั้งค่า-1234", user=guesser)[0]["text"]
    assert "ผิดหลายครั้ง" in locked and "1 ชั่วโมง" in locked
    assert coordinators_now(db) == []
    # Someone else is not locked out by one guesser.
    assert "เป็นผู้ประสานงานแล้ว" in line.say("ผู้ประสานงาน ตั้งค่า-1234", user="U" + "5" * 32)[0]["text"]


@pytest.mark.slow  # fifty webhooks
def test_wrong_setup_codes_are_limited_overall_across_people(line, db):
    from models import setup

    for n in range(setup.TRIES_OVERALL // 2):  # two wrong tries each from many people
        for attempt in range(2):
            line.send(line.text_event(f"ผู้ประสานงาน x{attempt}", user=f"U{0xdd0000 + n:032x}"), deliver=False)
    paused = line.say("ผู้ประสานงาน ตั้งค่า-1234", user="U" + "5" * 32)[0]["text"]
    assert "พักการรับรหัส" in paused
    assert coordinators_now(db) == []
    assert "พักการรับรหัส" in line.say("/coordinator 9999", user="U" + "4" * 32)[0]["text"]
    with db.transaction() as session:
        person = session.scalars(select(Person).where(Person.line_user_id == "U" + "4" * 32)).one()
        person.language = "en"
    assert "paused" in line.say("/coordinator 9999", user="U" + "4" * 32)[0]["text"]


@pytest.fixture
def shared_chat_meeting(line, db, services):
    """A meeting for the two groups that share one chat in Tha Rai, each with its own leader."""
    services.set_clock(lambda: BANGKOK_NOW)
    net = network.build(db)
    line.say("นัด 14 ส.ค. 2569 09:00 วัดบางสะพาน เรื่อง ประชุม", user=COORDINATOR)
    confirm_invite(line, line.say("เชิญ ต.ท่าไร่ 10 #1", user=COORDINATOR))
    return net


def test_two_leaders_answering_at_once_in_a_shared_chat_both_answers_are_kept(app, line, db, shared_chat_meeting):
    net = shared_chat_meeting
    chat = chat_id(100)
    bodies = [one_event(line, line.text_event(f"ไป {n} คน #1", user=leader_id(who), group=chat))
              for who, n in ((4, 6), (5, 7))]
    assert post_at_once(app, line, bodies) == [200, 200]
    answers = {a.group_id: (a.for_group, a.response, a.headcount) for a in all_of(db, Answer)}
    assert answers == {net.groups["กลุ่มออมทรัพย์ หมู่ 1 ต.ท่าไร่"]: (True, "going", 6),
                       net.groups["กองทุนหมู่บ้าน หมู่ 1 ต.ท่าไร่"]: (True, "going", 7)}
    assert {e.status for e in all_of(db, InboundEvent)} == {EventStatus.HANDLED}
