"""Fuzzing the webhook door with validly signed bodies generated from LINE's schema, then broken.

Whatever a signed body holds: never a 5xx; every event LINE could have sent is recorded once and
handled without failing; nothing is stored twice (the body is delivered twice); no person or chat
is made from an id that is not LINE's; what is kept of a rejected body is bounded; and the bot
still answers afterwards.

The quick profile (the normal test run) tries a few dozen bodies, the same ones every run; the
deep one tries 10,000 (`MEETBOT_FUZZ=deep`, see the README). Profiles: tests/conftest.py.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from models.events import REJECTED_EXCERPT_BYTES, EventStatus, InboundEvent, RejectedBody
from models.line_limits import is_group_id, is_room_id, is_user_id
from models.network import Chat
from models.people import Person
from tests.line_schema import Mutated, events, mutated_events, serialise
from tests.linechat import USER
from tests.queries import count

DEEP = os.environ.get("MEETBOT_FUZZ") == "deep"
_FIXTURES_SHARED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large,
                    HealthCheck.large_base_example]


@st.composite
def bodies(draw, *, now_and_then_500: bool = False) -> tuple[list[dict], list[dict], bool]:
    """(the events of a body in order, those of them LINE could have sent, whether lone surrogates are escaped)."""
    good = draw(st.lists(events(), max_size=4))
    bad: list[Mutated] = draw(st.lists(mutated_events(), max_size=3))
    if good and draw(st.booleans()):
        good.append(dict(good[0]))  # the same event twice in one body: recorded once
    # Now and then a body of 500 events (deep profile only: handling them takes seconds;
    # test_hardening.py sends one in every run).
    if now_and_then_500 and good and draw(st.integers(0, 30)) == 0:
        good = [dict(good[0], webhookEventId=f"{good[0]['webhookEventId'][:20]}{i:06d}") for i in range(500)]
    everything = good + [m.event for m in bad]
    order = draw(st.permutations(range(len(everything))))
    return [everything[i] for i in order], good, draw(st.booleans())


def _check(line, db, body) -> None:
    ordered, good, ascii_only = body
    raw = serialise(ordered, ascii_only=ascii_only)
    stored = []
    for _ in range(2):  # LINE's redelivery: the same bytes again store nothing more
        response = line.post(raw)
        assert response.status_code == 200, (response.status_code, raw[:500])
        stored.append((count(db, InboundEvent), count(db, RejectedBody)))
    assert stored[0] == stored[1]
    with db.reading() as session:
        recorded = {e.webhook_event_id: e.status for e in session.scalars(
            select(InboundEvent).where(InboundEvent.webhook_event_id.in_({e["webhookEventId"] for e in good})))}
    assert set(recorded) == {e["webhookEventId"] for e in good}
    assert EventStatus.FAILED not in recorded.values() and EventStatus.PENDING not in recorded.values()
    with db.reading() as session:
        failed = session.scalars(select(InboundEvent).where(InboundEvent.status == EventStatus.FAILED)).all()
        assert not failed, [(e.error, e.payload) for e in failed]
        for person in session.scalars(select(Person).where(Person.line_user_id.is_not(None))):
            assert is_user_id(person.line_user_id), person.line_user_id
        for chat in session.scalars(select(Chat)):
            assert {"user": is_user_id, "group": is_group_id, "room": is_room_id}.get(chat.kind, lambda _: False)(
                chat.id), (chat.kind, chat.id)
        assert all(len(r.raw) <= REJECTED_EXCERPT_BYTES for r in session.scalars(select(RejectedBody)))


def _still_serving(line, db) -> None:
    before = count(db, InboundEvent)
    line.send(line.text_event("สวัสดี", user=USER), deliver=False)
    assert count(db, InboundEvent) == before + 1
    assert count(db, InboundEvent, InboundEvent.status == EventStatus.FAILED) == 0


@pytest.mark.skipif(DEEP, reason="the deep test below covers it")
@settings(suppress_health_check=_FIXTURES_SHARED)
@given(body=bodies())
def test_signed_bodies_from_lines_schema_and_their_mutations_never_fail_and_keep_every_good_event(line, db, body):
    _check(line, db, body)
    _still_serving(line, db)


@pytest.mark.slow
@pytest.mark.skipif(not DEEP, reason="deep fuzzing on demand: MEETBOT_FUZZ=deep")
@settings(suppress_health_check=_FIXTURES_SHARED)  # the deep profile: 10,000 bodies
@given(body=bodies(now_and_then_500=True))
def test_ten_thousand_signed_bodies_never_fail_and_keep_every_good_event(line, db, body):
    _check(line, db, body)
    _still_serving(line, db)
