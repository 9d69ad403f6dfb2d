"""Meetings as an iCalendar (RFC 5545) calendar (`meeting_ics`), for the calendar feed
(bot/calendar.py) and `meetbot export ics`."""

from __future__ import annotations

from datetime import timedelta, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from models.meetings import Meeting, MeetingStatus
from models.paper_words import aware
from models.safe_text import strip_bidi
from thai.when import BANGKOK

__all__ = ["meeting_ics", "meeting_uid"]

UID_DOMAIN = "meetbot"


def meeting_uid(meeting: Meeting) -> str:
    """Stable for the meeting's life: a move or a cancellation updates the same event."""
    return f"meeting-{meeting.id}@{UID_DOMAIN}"


def _sequence(meeting: Meeting) -> int:
    """Grows with every change of the meeting (a move, a cancellation): seconds since it was created."""
    return max(0, int((aware(meeting.updated_at) - aware(meeting.created_at)).total_seconds()))


def _description(meeting: Meeting) -> str:
    parts = [f"นัดประชุม {meeting.code}"]
    if meeting.status == MeetingStatus.CANCELLED:
        parts.append("ยกเลิกแล้ว")
    if meeting.agenda:
        parts.append("ระเบียบวาระ:\n" + meeting.agenda.strip())
    if meeting.map_url:
        parts.append(f"แผนที่: {meeting.map_url}")
    return "\n\n".join(parts)


def _utc(dt):
    return aware(dt).astimezone(timezone.utc)


def _event(meeting: Meeting) -> Event:
    cancelled = meeting.status == MeetingStatus.CANCELLED
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", _utc(meeting.updated_at))
    event.add("created", _utc(meeting.created_at))
    event.add("last-modified", _utc(meeting.updated_at))
    event.add("sequence", _sequence(meeting))
    event.add("dtstart", _utc(meeting.starts_at))
    event.add("dtend", _utc(meeting.ends_at))
    event.add("summary", strip_bidi(meeting.title))
    venue = strip_bidi(" ".join(filter(None, [meeting.venue_name, meeting.venue_address])))
    if venue:
        event.add("location", venue)
    if meeting.venue_latitude is not None and meeting.venue_longitude is not None:
        event.add("geo", (meeting.venue_latitude, meeting.venue_longitude))
    if meeting.map_url:
        event.add("url", meeting.map_url)
    event.add("description", strip_bidi(_description(meeting)))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", timedelta(days=-1))
        alarm.add("description", f"พรุ่งนี้: {strip_bidi(meeting.title)}")
        event.add_component(alarm)
    return event


def meeting_ics(meetings: Iterable[Meeting], tz: ZoneInfo = BANGKOK, *, calendar_name: str = "นัดประชุม") -> bytes:
    """An iCalendar (RFC 5545) calendar with one VEVENT per meeting.

    Times are UTC (`…Z`), so no VTIMEZONE is needed; `tz` only names the calendar's zone for
    clients that show it. Folding at 75 octets never splits a UTF-8 character (icalendar does it
    by octets), and text values are escaped by icalendar.
    """
    calendar_name = strip_bidi(calendar_name)
    cal = Calendar()
    cal.add("prodid", "-//meetbot//meetbot//TH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", calendar_name)
    cal.add("x-wr-calname", calendar_name)
    cal.add("x-wr-timezone", getattr(tz, "key", str(tz)))
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    for meeting in meetings:
        cal.add_component(_event(meeting))
    return cal.to_ical()
