"""The webhook door: signatures, malformed bodies, de-duplication, ordering, standby, health."""

from __future__ import annotations

import copy
import json
import threading

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from models.events import EventStatus, InboundEvent, RejectedBody
from models.network import Chat
from models.outbox import OutboxMessage
from tests.conftest import FIXTURES, TEST_SECRET
from tests.linechat import GROUP, USER, event_id, sign, texts
from tests.queries import count


def test_a_signed_text_in_a_direct_chat_gets_the_thai_help_text(line, fake_line):
    answer = line.say("สวัสดีครับ")
    assert len(answer) == 1
    assert "วิธีใช้" in answer[0]["text"]
    reply = fake_line.deliveries("reply")
    assert len(reply) == 1 and reply[0].body["messages"][0]["text"] == answer[0]["text"]


@pytest.mark.parametrize("signature", [None, "", "bm90IGEgc2lnbmF0dXJl", "auto-wrong-secret"])
def test_missing_or_wrong_signature_is_refused_and_nothing_is_stored_or_sent(line, db, fake_line, signature):
    body = json.dumps({"events": [line.text_event("สวัสดี")]}).encode()
    if signature == "auto-wrong-secret":
        signature = sign("not-the-secret", body)
    response = line.post(body, signature=signature)
    assert response.status_code == 400
    line.deliver()
    assert count(db, InboundEvent) == 0
    assert count(db, OutboxMessage) == 0
    assert fake_line.deliveries() == []


def test_signature_over_a_changed_body_is_refused(line, db):
    body = json.dumps({"events": [line.text_event("ไป 4")]}, ensure_ascii=False).encode()
    signature = sign(TEST_SECRET, body)
    response = line.post(body.replace("ไป 4".encode(), "ไป 9".encode()), signature=signature)
    assert response.status_code == 400
    assert count(db, InboundEvent) == 0


def test_the_endpoint_check_with_no_events_is_answered_200(line, db):
    response = line.post({"destination": "U" + "0" * 32, "events": []})
    assert response.status_code == 200
    assert count(db, InboundEvent) == 0


@pytest.mark.parametrize("body", [
    b"not json at all",
    b"{\"events\": ",
    b"[]",
    b"{\"events\": {}}",
    b"{\"destination\": \"U1\"}",
    "{\"events\": [\"ไม่ใช่ออบเจ็กต์\"]}".encode(),
    b"\xff\xfe\x00binary",
])
def test_a_signed_but_malformed_body_is_kept_answered_200_and_the_bot_keeps_serving(line, db, fake_line, body):
    response = line.post(body)
    assert response.status_code == 200
    assert count(db, RejectedBody) == 1
    assert count(db, InboundEvent) == 0
    # The process keeps serving: the next good message is answered.
    assert texts(line.say("สวัสดี"))


@pytest.mark.parametrize("mutate, why", [
    (lambda e: e.pop("webhookEventId"), "without webhookEventId"),
    (lambda e: e.update(timestamp="yesterday"), "numeric timestamp"),
    (lambda e: e.update(source="U123"), "source is not an object"),
    (lambda e: e.update(type=7), "without a type"),
])
def test_ill_formed_events_are_kept_and_the_good_ones_in_the_same_body_still_count(line, db, mutate, why):
    bad = line.text_event("หนึ่ง")
    mutate(bad)
    good = line.text_event("สอง")
    line.send(bad, good)
    with db.reading() as session:
        kept = session.scalars(select(RejectedBody)).all()
    assert len(kept) == 1 and why in kept[0].error
    assert count(db, InboundEvent) == 1
    assert count(db, OutboxMessage) == 1


def test_a_nul_character_in_a_message_is_stored_and_answered(line, db):
    assert texts(line.say("สวัสดี\u0000ครับ"))
    with db.reading() as session:
        [event] = session.scalars(select(InboundEvent)).all()
    assert event.payload["message"]["text"] == "สวัสดี\ufffdครับ"


def test_unknown_enum_values_and_unknown_event_types_never_fail_the_request(line, db, fake_line):
    weird_source = line.text_event("สวัสดี")
    weird_source["source"] = {"type": "square", "squareChatId": "S1", "userId": USER}
    weird_message = line.event("message", message={"id": "1", "type": "hologram"})
    unknown_type = line.event("teleport", destination="mars")
    line.send(weird_source, weird_message, unknown_type)
    assert count(db, InboundEvent) == 3
    assert count(db, InboundEvent, InboundEvent.status == EventStatus.FAILED) == 0


def test_the_sdk_sample_body_with_28_events_of_14_types_is_handled_without_error(line, db, fake_line):
    sample = json.loads((FIXTURES / "line-sdk" / "webhook.json").read_text())
    assert len(sample["events"]) == 28
    assert len({e["type"] for e in sample["events"]}) == 14
    # As shipped, all 28 events share one webhookEventId: that is one event to us.
    response = line.post(sample)
    assert response.status_code == 200
    assert count(db, InboundEvent) == 1
    line.deliver()
    mark = line.last_seq()

    # Two of its events name their group with a shortened placeholder ("C4af4980629..."): not a
    # group LINE would send, so they are kept for inspection and no chat is made from them.
    placeholders = [e for e in sample["events"] if e["source"].get("groupId", "").endswith("...")]
    assert len(placeholders) == 2
    assert count(db, RejectedBody) == 2
    assert count(db, Chat, Chat.id.endswith("...")) == 0

    # With their own ids and whole group ids (as LINE really sends them), every one is recorded
    # and none fails.
    distinct = copy.deepcopy(sample)
    for event in distinct["events"]:
        event["webhookEventId"] = event_id()
        if event["source"].get("groupId", "").endswith("..."):
            event["source"]["groupId"] = "C" + "4af4980629".ljust(32, "0")
    response = line.post(distinct)
    assert response.status_code == 200
    line.deliver()
    assert count(db, InboundEvent) == 29
    assert count(db, InboundEvent, InboundEvent.status == EventStatus.FAILED) == 0
    # The sample's reply tokens are not LINE's (the fake refuses them), so the help answers to
    # texts in 1:1 chats went out as pushes instead: nothing lost.
    # Answered: the follow (a welcome), texts in 1:1 chats (help), the join (a greeting), and the
    # four taps whose data is not ours (`action=buyItem…`: "that button does not work", issue 10).
    answered = [e for e in distinct["events"] if e["type"] in ("join", "postback") or e["source"]["type"] == "user" and (
        e["type"] == "follow" or (e["type"] == "message" and e["message"]["type"] == "text"))]
    pushes = [r for r in fake_line.deliveries("push") if r.seq > mark]
    assert len(answered) == 8
    chat_of = lambda e: e["source"].get("groupId") or e["source"].get("roomId") or e["source"]["userId"]  # noqa: E731
    assert sorted(r.body["to"] for r in pushes) == sorted(chat_of(e) for e in answered)


def test_a_redelivered_event_takes_effect_once(line, db, fake_line):
    event = line.text_event("สวัสดี")
    line.send(event)
    redelivered = dict(event, deliveryContext={"isRedelivery": True})
    line.send(redelivered)
    line.send(event)
    assert count(db, InboundEvent) == 1
    assert len(fake_line.deliveries()) == 1


def test_events_of_one_request_are_handled_in_timestamp_order(line, db):
    first = line.text_event("ก่อน")
    second = line.text_event("หลัง")
    second["timestamp"] = first["timestamp"] + 1000
    line.send(second, first)  # LINE may deliver them out of order
    with db.reading() as session:
        handled = session.scalars(select(InboundEvent).order_by(InboundEvent.id)).all()
    assert [e.payload["message"]["text"] for e in handled] == ["ก่อน", "หลัง"]


def test_standby_mode_sends_nothing(line, db, fake_line):
    line.send(line.text_event("สวัสดี", mode="standby"))
    assert count(db, InboundEvent) == 1
    assert count(db, OutboxMessage) == 0
    assert fake_line.deliveries() == []


def test_text_in_a_group_that_is_not_a_command_gets_no_answer(line, db, fake_line):
    assert line.say("วันนี้ฝนตกหนักมาก", group=GROUP) == []
    assert count(db, OutboxMessage) == 0


def test_health_check_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["database"]["current"] is True
    assert body["database"]["dialect"] in ("sqlite", "postgresql")
    assert body["outbox"] == {"pending": 0, "dead": 0}


def test_health_check_says_when_the_schema_is_out_of_date(client, db):
    with db.engine.begin() as conn:
        head = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one()
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0000'")
    try:
        response = client.get("/healthz")
    finally:  # on PostgreSQL the tests share one database: later tests need the real revision
        with db.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = ?" if db.is_sqlite else
                                 "UPDATE alembic_version SET version_num = %s", (head,))
    assert response.status_code == 503
    assert response.get_json()["database"]["current"] is False


def test_twenty_concurrent_copies_of_one_event_give_one_effect_and_one_message(app, line, db, fake_line, services):
    """Real HTTP, 20 threads released together: the unique webhookEventId decides."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        import urllib.request

        body = json.dumps({"events": [line.text_event("สวัสดี")]}, ensure_ascii=False).encode()
        signature = sign(TEST_SECRET, body)
        barrier = threading.Barrier(20)
        statuses: list[int] = []

        def post():
            request = urllib.request.Request(f"http://127.0.0.1:{server.port}/callback", data=body, method="POST",
                                             headers={"X-Line-Signature": signature,
                                                      "Content-Type": "application/json"})
            barrier.wait()
            with urllib.request.urlopen(request, timeout=30) as response:
                statuses.append(response.status)

        threads = [threading.Thread(target=post) for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.shutdown()
    assert statuses == [200] * 20
    services.sender.deliver_due()
    assert count(db, InboundEvent) == 1
    assert count(db, OutboxMessage) == 1
    assert len(fake_line.deliveries()) == 1


def test_with_line_hanging_for_10_seconds_the_webhook_still_answers_at_once_and_the_reply_follows(
        settings, services, fake_line, db):
    """The answer never waits on LINE: the reply is sent by the background delivery thread."""
    import threading

    from bot.app import create_app
    from bot.delivery import DeliveryThread
    from tests.linechat import LineChat

    services.delivery = DeliveryThread(services.sender)
    app = create_app(settings, services=services)
    chat = LineChat(client=app.test_client(), services=services, fake=fake_line, secret=TEST_SECRET)
    # Which threads call LINE: the request runs on this thread (Flask's test client), so any LINE
    # call made here would be the webhook waiting on LINE. (The latency goal is in benchmarks/.)
    callers = []
    for name in ("reply", "push", "multicast", "broadcast"):
        real = getattr(services.line, name)
        setattr(services.line, name,
                lambda *a, _real=real, **kw: (callers.append(threading.get_ident()), _real(*a, **kw))[1])
    fake_line.hang(seconds=10, paths=("reply", "push"))
    try:
        for word in ("สวัสดี", "ขอวิธีใช้", "นัดหมาย"):
            assert chat.send(chat.text_event(word), deliver=False).status_code == 200
        # Every webhook answered while LINE hangs, with all three replies still undelivered.
        assert fake_line.delivered_messages() == []
        fake_line.clear_faults()
        assert fake_line.wait_for(lambda f: len(f.delivered_messages()) >= 3, timeout=30)
        # Let the hung calls finish: each finds its token used by the retry, so nothing doubles.
        assert fake_line.wait_for(lambda f: all(r.status is not None for r in f.requests), timeout=30)
    finally:
        services.delivery.stop()
    assert len(fake_line.delivered_messages()) == 3
    assert callers and threading.get_ident() not in callers
