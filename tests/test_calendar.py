"""`GET /calendar/<group id>/<token>.ics` (bot/calendar.py): a group's meetings as a subscribable
calendar, behind an HMAC token; a wrong token or an unknown group is a 404."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.calendar import TOKEN_LENGTH, blueprint, calendar_token, calendar_url, token_is_valid
from tests.conftest import TEST_SECRET
from tests.test_papers import START, TZ, build


@pytest.fixture
def calendar_client(app):
    if "calendar" not in app.blueprints:
        app.register_blueprint(blueprint)
    return app.test_client()


def test_token_and_url():
    token = calendar_token("secret", 12)
    assert len(token) == TOKEN_LENGTH and token == calendar_token("secret", 12)
    assert token.isalnum() and token == token.lower()
    assert token != calendar_token("secret", 13) and token != calendar_token("other", 12)
    assert token_is_valid("secret", 12, token) and token_is_valid("secret", 12, token.upper())
    assert not token_is_valid("secret", 13, token) and not token_is_valid(None, 12, token)
    assert not token_is_valid("secret", 12, "") and not token_is_valid("secret", 12, token[:-1])
    assert not token_is_valid("secret", 12, "ก" * TOKEN_LENGTH)
    assert calendar_url("https://bot.example.org/", "secret", 12) == f"https://bot.example.org/calendar/12/{token}.ics"
    assert calendar_url(None, "secret", 12) is None and calendar_url("https://bot.example.org", None, 12) is None


def test_group_calendar_serves_its_meetings_to_the_right_token_only(db, services, calendar_client):
    from icalendar import Calendar

    sc = build(db)
    services.set_clock(lambda: START - timedelta(days=1))
    group = sc.groups[0]  # invited to #1, #2, #3 and the cancelled one
    url = f"/calendar/{group}/{calendar_token(TEST_SECRET, group)}.ics"
    response = calendar_client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert max(len(line) for line in response.data.split(b"\r\n")) <= 75
    cal = Calendar.from_ical(response.data)
    assert str(cal["X-WR-CALNAME"]) == "นัดประชุม กลุ่มออมทรัพย์ หมู่ 1 ต.ท่าไร่"
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {f"meeting-{i}@meetbot" for i in (sc.m1, sc.m2, sc.m3, sc.cancelled)}
    assert str(events[f"meeting-{sc.cancelled}@meetbot"]["STATUS"]) == "CANCELLED"
    assert str(events[f"meeting-{sc.m1}@meetbot"]["STATUS"]) == "CONFIRMED"
    assert str(events[f"meeting-{sc.m1}@meetbot"]["SUMMARY"]) == "ประชุมพัฒนากลุ่มการเงินเพื่อสร้างความเข้มแข็ง ครั้งที่ 1"

    # A Bang Chak fund is invited only to #1.
    other = sc.groups[12]
    theirs = calendar_client.get(f"/calendar/{other}/{calendar_token(TEST_SECRET, other)}.ics")
    assert theirs.status_code == 200
    assert [str(e["UID"]) for e in Calendar.from_ical(theirs.data).walk("VEVENT")] == [f"meeting-{sc.m1}@meetbot"]

    # Unchanged: the calendar app's conditional request costs nothing.
    etag = response.headers["ETag"]
    assert calendar_client.get(url, headers={"If-None-Match": etag}).status_code == 304

    # Wrong token, another group's token, no token, an unknown group: all 404 (nothing to probe).
    assert calendar_client.get(f"/calendar/{group}/{'a' * TOKEN_LENGTH}.ics").status_code == 404
    assert calendar_client.get(f"/calendar/{group}/{calendar_token(TEST_SECRET, other)}.ics").status_code == 404
    assert calendar_client.get(f"/calendar/{group}/{calendar_token('another-secret', group)}.ics").status_code == 404
    assert calendar_client.get(f"/calendar/{group}/.ics").status_code == 404
    assert calendar_client.get(f"/calendar/999/{calendar_token(TEST_SECRET, 999)}.ics").status_code == 404

    # A year after the last meeting ended, the feed is empty but still answers.
    services.set_clock(lambda: START + timedelta(days=800))
    later = calendar_client.get(url)
    assert later.status_code == 200 and not Calendar.from_ical(later.data).walk("VEVENT")
    assert TZ.key == "Asia/Bangkok"
