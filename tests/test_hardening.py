"""Abuse of the webhook door (issue 10): bad events among good ones, bodies too large to read,
forged taps, events that cannot be understood. Each of these once cost events, memory or trust."""

from __future__ import annotations

import json
import socket
import threading
import time
import tracemalloc

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from bot.inbound import MAX_BODY_BYTES
from handlers.postbacks import Action, encode
from models.events import REJECTED_EXCERPT_BYTES, EventStatus, InboundEvent, RejectedBody
from models.line_limits import is_group_id, is_room_id, is_user_id
from models.meetings import Answer
from models.network import Chat
from models.outbox import OutboxMessage
from models.people import Person, PersonRole
from tests import network
from tests.conftest import TEST_SECRET
from tests.linechat import GROUP, USER, sign, texts
from tests.network import COORDINATOR, MEMBER, leader_id
from tests.queries import count, row_counts
from tests.test_meetings_chat import BANGKOK_NOW, FUND_1, FUND_3, FUND_TR, SAVINGS_TR, confirm_invite, create_meeting


def _signed(line, events: list, *, raw_events: list[str] = ()) -> bytes:
    """A body whose events are the given objects plus raw JSON texts (for what json.dumps cannot write)."""
    parts = [json.dumps(e, ensure_ascii=False) for e in events] + list(raw_events)
    return ('{"destination": "U' + "f" * 32 + '", "events": [' + ", ".join(parts) + "]}").encode()


def kept(db) -> list[RejectedBody]:
    with db.reading() as session:
        return list(session.scalars(select(RejectedBody).order_by(RejectedBody.id)))


# -- 2. one bad event never costs the others, and never a 5xx --------------------------------------


def _raw(line, text: str, replace: tuple[str, str]) -> str:
    """A text event written as JSON, with one piece of its text swapped for something JSON cannot say."""
    return json.dumps(line.text_event(text), ensure_ascii=False).replace(*replace)


@pytest.mark.parametrize("make_bad, why", [
    (lambda line: _raw(line, "x", ('"timestamp": ', '"timestamp": NaN, "was": ')), "not a JSON number"),
    (lambda line: _raw(line, "x", ('"timestamp": ', '"timestamp": 1e20, "was": ')), "timestamp"),
    (lambda line: _raw(line, "x", ('"timestamp": ', '"timestamp": -1, "was": ')), "timestamp"),
    (lambda line: _raw(line, "x", ('"timestamp": ', '"timestamp": 1e400, "was": ')), "out of range"),
    (lambda line: _raw(line, "x", ('"timestamp": ', '"timestamp": 9' + "9" * 5000 + ', "was": ')), "not a JSON"),
    (lambda line: _raw(line, "x", ('"type": "text"', '"type": "text", "deep": ' + "[" * 200 + "]" * 200)),
     "nested deeper"),
    (lambda line: _raw(line, "x", ('"type": "user"', '"type": "user", "x": Infinity')), "not a JSON number"),
    (lambda line: _raw(line, "x", ('"webhookEventId": "', '"webhookEventId": "' + "W" * 100)), "webhookEventId"),
    (lambda line: _raw(line, "x", ('"userId": "U', '"userId": 1, "was": "U')), "user id"),
    (lambda line: _raw(line, "x", ('"type": "user"', '"type": 7')), "source without a type"),
])
def test_a_bad_event_is_kept_and_the_good_events_in_its_body_are_recorded_and_answered(line, db, fake_line,
                                                                                     make_bad, why):
    good = line.text_event("สวัสดี")
    body = _signed(line, [good], raw_events=[make_bad(line)])
    response = line.post(body)
    assert response.status_code == 200
    [rejected] = kept(db)
    assert why in rejected.error
    assert len(rejected.raw) <= REJECTED_EXCERPT_BYTES
    with db.reading() as session:
        [recorded] = session.scalars(select(InboundEvent)).all()
    assert recorded.webhook_event_id == good["webhookEventId"]
    assert recorded.status == EventStatus.HANDLED
    line.deliver()
    assert texts(line.conversation(USER, 0))


@pytest.mark.parametrize("text", ["\ud800 ครึ่งคู่", "ครับ\udfff", "\x00\ud83d"])
def test_lone_surrogates_and_nul_in_a_message_are_stored_replaced_and_answered(line, db, text):
    body = json.dumps({"events": [line.text_event(text)]})  # ensure_ascii writes "\ud800" as JSON does
    response = line.post(body)
    assert response.status_code == 200
    with db.reading() as session:
        [event] = session.scalars(select(InboundEvent)).all()
    assert "\ufffd" in event.payload["message"]["text"]
    assert count(db, InboundEvent, InboundEvent.status == EventStatus.FAILED) == 0


@pytest.mark.parametrize("body", [
    b'{"events": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}",  # RecursionError, not ValueError
    b'\xef\xbb\xbf{"events": []}',  # a byte-order mark, which Python's json refuses
    b"\xed\xa0\x80\xff" * 1000,  # not UTF-8 at all
])
def test_a_signed_body_that_cannot_be_read_is_kept_as_a_bounded_excerpt_and_answered_200(line, db, body):
    response = line.post(body)
    assert response.status_code == 200
    rejected = kept(db)
    assert len(rejected) == 1 and len(rejected[0].raw) <= REJECTED_EXCERPT_BYTES
    assert texts(line.say("สวัสดี"))


def test_a_bad_body_or_event_delivered_twice_is_kept_once(line, db):
    bad_event = _raw(line, "x", ('"timestamp": ', '"timestamp": NaN, "was": '))
    body = _signed(line, [], raw_events=[bad_event])
    for _ in range(2):
        assert line.post(body).status_code == 200
        assert line.post(b"not json at all").status_code == 200
    assert len(kept(db)) == 2


@pytest.mark.slow
def test_five_hundred_events_with_duplicates_in_one_body_are_each_recorded_once(line, db):
    events = [line.text_event(f"ข้อความ {i}", reply=False) for i in range(250)]
    response = line.post({"events": events + events[::-1]})
    assert response.status_code == 200
    assert count(db, InboundEvent) == 250
    assert count(db, InboundEvent, InboundEvent.status != EventStatus.HANDLED) == 0


# -- 6. bodies over the limit are refused before they are read -------------------------------------


@pytest.fixture
def http_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def _headers(port: int, extra: str) -> bytes:
    return (f"POST /callback HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"{extra}\r\n").encode()


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


@pytest.mark.parametrize("signed", [False, True])
def test_a_100_mb_body_is_refused_with_413_before_a_byte_of_it_is_read(http_server, db, signed):
    size = 100 * 1024 * 1024
    signature = sign(TEST_SECRET, b"x" * size) if signed else "bm90IGEgc2lnbmF0dXJl"
    with socket.create_connection(("127.0.0.1", http_server.port), timeout=10) as conn:
        # Only the headers go: a server that tried to read the body would wait here for 100 MB.
        conn.sendall(_headers(http_server.port, f"Content-Length: {size}\r\nX-Line-Signature: {signature}\r\n"))
        answer = conn.recv(4096)
    assert _status(answer) == 413
    assert count(db, RejectedBody) == 0 and count(db, InboundEvent) == 0


def test_a_chunked_body_is_cut_at_the_limit_and_memory_does_not_grow_with_it(http_server, db):
    """No Content-Length to check first: the server must stop reading at the limit, not at the end."""
    chunk = b"x" * (64 * 1024)
    framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    pending = memoryview(framed)
    sent = 0
    answer = b""
    tracemalloc.start()
    try:
        with socket.create_connection(("127.0.0.1", http_server.port), timeout=10) as conn:
            conn.sendall(_headers(http_server.port, "Transfer-Encoding: chunked\r\nX-Line-Signature: eA==\r\n"))
            conn.setblocking(False)
            deadline = time.monotonic() + 30
            while sent < 100 * 1024 * 1024 and time.monotonic() < deadline:
                try:
                    answer += conn.recv(4096)
                    if answer:
                        break
                except BlockingIOError:
                    pass
                try:
                    n = conn.send(pending)
                    sent += n
                    pending = pending[n:] or memoryview(framed)  # a chunk goes whole, however many sends
                except BlockingIOError:
                    time.sleep(0.001)  # the socket's buffer is full: the server is not reading
                except OSError:
                    break  # the server closed the connection: it stopped reading
            conn.settimeout(10)
            if not answer:
                try:
                    answer = conn.recv(4096)
                except OSError:
                    pass
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sent < MAX_BODY_BYTES + 16 * 1024 * 1024  # the limit plus what the sockets buffer
    assert peak < 3 * MAX_BODY_BYTES, peak
    if answer:
        assert _status(answer) == 413
    assert count(db, RejectedBody) == 0 and count(db, InboundEvent) == 0


def test_a_signed_body_just_over_the_limit_is_refused_and_nothing_is_stored(line, db):
    body = json.dumps({"events": [line.text_event("ก" * (MAX_BODY_BYTES // 3 + 10))]}, ensure_ascii=False).encode()
    assert len(body) > MAX_BODY_BYTES
    assert line.post(body).status_code == 413
    assert count(db, RejectedBody) == 0 and count(db, InboundEvent) == 0


def test_a_large_signed_body_that_cannot_be_read_keeps_only_an_excerpt(line, db):
    body = b"not json " * (3 * 1024 * 1024 // 9)
    assert line.post(body).status_code == 200
    [rejected] = kept(db)
    assert len(rejected.raw) == REJECTED_EXCERPT_BYTES
    assert f"{len(body)} bytes" in rejected.error


# -- 7. a tap is an untrusted request --------------------------------------------------------------


@pytest.fixture
def meeting_14(line, net):
    create_meeting(line)
    confirm_invite(line, line.say("เชิญ ต.บางจาก 10 #1", user=COORDINATOR))
    line.say(f"เชิญ {SAVINGS_TR} 4 #1", user=COORDINATOR)
    line.say(f"เชิญ {FUND_TR} 4 #1", user=COORDINATOR)
    return 1


@pytest.fixture
def net(db, services):
    services.set_clock(lambda: BANGKOK_NOW)
    return network.build(db)


def test_a_tap_edited_to_another_group_makes_nobody_a_member_and_counts_nothing(line, db, net, meeting_14):
    chat = net.chats[FUND_3]
    forged = encode(Action.ANSWER, m=1, r="going", g=net.groups[FUND_1], s="1")
    answer = line.tap(forged, user=MEMBER, group=chat)
    assert "ไม่ได้บันทึก" in answer[0]["text"]
    assert count(db, Answer) == 0
    assert count(db, PersonRole, PersonRole.group_id == net.groups[FUND_1]) == 1  # only its leader
    # A leader of FUND_1 cannot answer for it from FUND_3's chat either.
    line.tap(encode(Action.ANSWER, m=1, r="going", n=9, g=net.groups[FUND_1]), user=leader_id(1), group=chat)
    assert count(db, Answer) == 0
    # The genuine tap in the group's own chat still works.
    line.tap(encode(Action.ANSWER, m=1, r="going", g=net.groups[FUND_3], s="1"), user=MEMBER, group=chat)
    assert count(db, Answer, Answer.group_id == net.groups[FUND_3]) == 1


def test_in_a_direct_chat_a_tap_for_a_group_one_is_not_in_changes_nothing(line, db, net, meeting_14):
    answer = line.tap(encode(Action.ANSWER, m=1, r="maybe", g=net.groups[FUND_1], s="1"), user=MEMBER)
    assert "ไม่ได้บันทึก" in answer[0]["text"]
    assert count(db, Answer) == 0 and count(db, PersonRole, PersonRole.role == "member") == 0


@pytest.mark.parametrize("data", [
    "a=ans&m=99999999999999999999&r=going",  # past BIGINT: once an overflow that failed the event
    "a=ans&m=1&r=going&n=100000",
    "a=ans&m=1&r=yes",
    "a=ans&m=1&r=going&r=not_going",
    "a=ans&m=1&r=going&g=1&evil=1",
    "a=inv&m=1&g=1&q=500",  # an action we never send
    "a=link&g=1%20OR%201",
    "a=here&m=-1",
    "a=sum&m=1e3",
    "a=aud&k=x",
    "a=date&f=meet&at=9999-99-99T99:99",
    "hello",
    "a=ok&f=somebody-else",
])
def test_every_kind_of_forged_tap_gets_a_polite_answer_and_changes_nothing(line, db, net, meeting_14, data):
    chat = net.chats[FUND_3]
    line.say("สวัสดีครับ", user=MEMBER, group=chat)  # the member is known before the forged tap
    before = row_counts(db)
    answer = line.tap(data, user=MEMBER, group=chat)
    assert answer and "ขออภัย" in answer[0]["text"]
    after = row_counts(db)
    # The event, the polite answer in the outbox and the id LINE gave that answer are the bot's own
    # bookkeeping; nothing of the network, the meetings or the people may change.
    changed = {k for k in after if after[k] != before[k]} - {"inbound_events", "outbox", "sent_messages"}
    assert changed == set()
    assert count(db, InboundEvent, InboundEvent.status == EventStatus.FAILED) == 0


# -- 8. nothing is made from an event that cannot be understood ------------------------------------


def test_a_join_without_a_source_is_kept_and_the_next_event_is_answered(line, db):
    join = line.event("join", group=GROUP)
    del join["source"]
    line.send(join, line.text_event("สวัสดี"))
    assert count(db, InboundEvent, InboundEvent.status == EventStatus.FAILED) == 0
    assert "without a source" in kept(db)[0].error
    assert count(db, InboundEvent) == 1 and count(db, OutboxMessage) == 1


@pytest.mark.parametrize("text", [
    "ไป #99999999999999999999", "สรุป #123456789012345678901234", "มาแล้ว #99999999999999999999",
    "เตือนส่วนตัว #99999999999999999999 ปิด", "วาระ #99999999999999999999 งบประมาณ",
    "ผู้นำบันทึก #๙๙๙๙๙๙๙๙๙๙๙๙๙๙๙๙๙๙๙๙๙ เปิด", "เลื่อนนัด #99999999999999999999 16 ส.ค. 13:30",
])
def test_a_meeting_code_of_twenty_digits_is_answered_politely(line, db, net, text):
    answer = line.say(text, user=COORDINATOR)
    assert texts(answer)
    assert count(db, InboundEvent, InboundEvent.status == EventStatus.FAILED) == 0


@pytest.mark.parametrize("source", [
    {"type": "user", "userId": "U123"},
    {"type": "user", "userId": "U" + "A" * 32},
    {"type": "user", "userId": "u" + "a" * 32},
    {"type": "user"},
    {"type": "group", "groupId": "C" + "z" * 32, "userId": USER},
    {"type": "group", "groupId": GROUP, "userId": "U-not-an-id"},
    {"type": "room", "roomId": "R" + "g" * 32, "userId": USER},
    {"type": "room", "roomId": "C" + "a" * 32, "userId": USER},
    {"type": "group", "groupId": ["C" + "a" * 32]},
])
def test_an_event_from_an_id_that_is_not_lines_makes_no_person_no_chat_and_no_answer(line, db, fake_line, source):
    event = line.text_event("ไป 4", reply=False)
    event["source"] = source
    line.send(event)
    assert count(db, Person) == 0 and count(db, Chat) == 0 and count(db, OutboxMessage) == 0
    assert count(db, InboundEvent) == 0 and len(kept(db)) == 1
    assert fake_line.deliveries() == []


def test_a_mention_of_an_id_that_is_not_lines_appoints_nobody(line, db, net):
    chat = net.chats[FUND_1]
    event = line.text_event("ตั้งผู้นำ @ใครสักคน", user=COORDINATOR, group=chat)
    event["message"]["mention"] = {"mentionees": [{"index": 8, "length": 8, "type": "user", "userId": "Ujunk"},
                                                  {"index": 8, "length": 8, "type": "user", "userId": 42}]}
    people = count(db, Person)
    line.send(event)
    assert count(db, Person) == people
    assert count(db, InboundEvent, InboundEvent.status == EventStatus.FAILED) == 0


def test_every_person_and_chat_the_bot_knows_has_lines_id_shape(line, db, net, meeting_14):
    """After a day's chatter, the invariant the fuzz tests rely on."""
    line.say("ไป 3", user=leader_id(1), group=net.chats[FUND_1])
    line.send(line.event("memberJoined", user=None, group=net.chats[FUND_1],
                         joined={"members": [{"type": "user", "userId": "U1"}, {"type": "user", "userId": USER}]}))
    with db.reading() as session:
        assert all(is_user_id(p.line_user_id) for p in session.scalars(select(Person)) if p.line_user_id)
        for chat in session.scalars(select(Chat)):
            assert {"user": is_user_id, "group": is_group_id, "room": is_room_id}[chat.kind](chat.id), chat.id
