"""The clock's reminder, quota and dead-letter jobs."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from handlers import cards, postbacks, replies
from handlers.postbacks import Action
from handlers.texts import t
from thai.when import format_thai_date, format_thai_datetime, format_thai_time
from models import outbox, quota
from models.meetings import Answer, Meeting, Response, invited_chat_ids
from models.network import Chat
from models.outbox import OutboxMessage, Status
from models.people import Person, coordinators, leaders_of
from models.reminders import Due, RunStatus, claim_run, describe_moment, due_reminders
from models.tally import GroupState, MeetingTally, tally

log = logging.getLogger("meetbot.reminders")


def refresh_quota(ctx, now: datetime, *, force: bool = False) -> dict | None:
    """Read the monthly limit and what is used from LINE, every few minutes."""
    with ctx.db.reading() as session:
        if not force and not quota.needs_refresh(session, now):
            return None
    try:
        limit = ctx.sender.line.quota()
        used = ctx.sender.line.quota_used()
    except Exception as exc:  # LINE down: keep the last snapshot, try again next pass
        log.warning("could not read the quota from LINE: %s", exc)
        return None
    with ctx.db.transaction() as session:
        quota.record(session, limit=limit, used=used, now=now)
    return {"limit": limit, "used": used}


def _relative_when(meeting: Meeting, now: datetime, tz, lang: str) -> str:
    start = meeting.starts_at.astimezone(tz)
    today = now.astimezone(tz).date()
    clock = format_thai_time(start, tz) if lang != "en" else start.strftime("%H:%M")
    if start.date() == today:
        return t(lang, "today_at", time=clock)
    if start.date() == today + timedelta(days=1):
        return t(lang, "tomorrow_at", time=clock)
    day = format_thai_date(start, tz) if lang != "en" else start.strftime("%a %-d %b")
    return t(lang, "on_day_at", date=day, time=clock)


def _nudge_recipients(session, meeting: Meeting, current: MeetingTally) -> tuple[list[str], list[str]]:
    """Leaders of invited groups that have not answered (per the tally `current`); people who said maybe."""
    unanswered: list[str] = []
    for group in current.groups:
        if group.state == GroupState.UNANSWERED:
            unanswered += [p.line_user_id for p in leaders_of(session, group.group_id)
                           if p.line_user_id and p.forgotten_at is None]
    maybe = [uid for (uid,) in session.execute(
        select(Person.line_user_id).join(Answer, Answer.person_id == Person.id)
        .where(Answer.meeting_id == meeting.id, Answer.response == Response.MAYBE,
               Person.line_user_id.is_not(None), Person.forgotten_at.is_(None)))]
    maybe = [uid for uid in dict.fromkeys(maybe) if uid not in unanswered]
    return list(dict.fromkeys(unanswered)), maybe


def _answer_buttons(meeting: Meeting, lang: str) -> list[dict]:
    labels = {"th": ("ไป", "ไม่ไป", "ไม่แน่ใจ"), "en": ("Going", "Not going", "Maybe")}["en" if lang == "en" else "th"]
    return [replies.postback_item(label, postbacks.encode(Action.ANSWER, m=meeting.id, r=response),
                                  display=f"{label} {meeting.code}")
            for label, response in zip(labels, (Response.GOING, Response.NOT_GOING, Response.MAYBE))]


def fire_reminders(ctx, now: datetime) -> dict[str, int]:
    """Send every reminder that is due, once: the card to invited chats, nudges 1:1."""
    tz = ctx.bot_settings.timezone
    with ctx.db.reading() as session:
        due = due_reminders(session, now=now, tz=tz)
    if not due:
        return {"sent": 0, "held": 0, "dropped": 0}
    refresh_quota(ctx, now)  # never decide on a stale quota when about to spend it
    latest: dict[int, Due] = {}
    for item in due:
        if not item.late and (item.meeting_id not in latest or item.due_at > latest[item.meeting_id].due_at):
            latest[item.meeting_id] = item
    counts = {"sent": 0, "held": 0, "dropped": 0}
    held: list[str] = []
    held_cost = 0
    left = None
    for item in due:
        with ctx.db.transaction() as session:
            if item.late:
                if claim_run(session, item, now=now, status=RunStatus.DROPPED):
                    log.warning("reminder %s for meeting #%s was due at %s while the bot was down; the meeting "
                                "started at %s, so it is dropped", item.moment, item.meeting_id,
                                item.due_at.isoformat(), item.starts_at.isoformat())
                    counts["dropped"] += 1
                continue
            if latest.get(item.meeting_id) is not item:
                claim_run(session, item, now=now, status=RunStatus.SKIPPED)
                continue
            run = claim_run(session, item, now=now, status=RunStatus.SENT)
            if run is None:
                continue  # another clock fired it
            meeting = session.get(Meeting, item.meeting_id)
            chats = [session.get(Chat, chat_id) for chat_id in invited_chat_ids(meeting)]
            chats = [c for c in chats if c is not None and c.left_at is None]
            current = tally(session, meeting)
            unanswered, maybe = _nudge_recipients(session, meeting, current) if meeting.nudges else ([], [])
            cost = sum(quota.chat_cost(c.member_count) for c in chats) + len(unanswered) + len(maybe)
            view = quota.view(session)
            if not view.allows(cost):
                run.status = RunStatus.HELD
                run.cost = cost
                held.append(f"• {meeting.code} {meeting.title} ({describe_moment(item.moment)})")
                held_cost += cost
                left = view.left
                counts["held"] += 1
                continue
            for chat in chats:
                lang = chat.language or "th"
                group_id = next((inv.group_id for inv in meeting.invitations if inv.group.chat_id == chat.id), None)
                notice = t(lang, "reminder_notice", code=meeting.code, when_rel=_relative_when(meeting, now, tz, lang))
                outbox.enqueue_once(session, dedupe_key=f"reminder:{run.id}:{chat.id}", to=chat.id,
                                    messages=[cards.meeting_card(
                                        meeting, current, lang=lang, group_id=group_id, notice=notice, now=now,
                                        calendar_url=ctx.bot_settings.calendar_link(group_id) if group_id else None)],
                                    purpose="reminder", meeting_id=meeting.id,
                                    cost_per_request=quota.chat_cost(chat.member_count), now=now)
            when = format_thai_datetime(meeting.starts_at, tz)
            venue = meeting.venue_name or "-"
            for key, people in (("nudge_unanswered", unanswered), ("nudge_maybe", maybe)):
                if people:
                    text = replies.text(t("th", key, code=meeting.code, title=meeting.title, when=when, venue=venue),
                                        _answer_buttons(meeting, "th"))
                    outbox.enqueue_to_users(session, people, [text], purpose="nudge", meeting_id=meeting.id,
                                            dedupe_key=f"nudge:{run.id}:{key}", now=now)
            run.chats, run.nudged, run.cost = len(chats), len(unanswered) + len(maybe), cost
            counts["sent"] += 1
    if held:
        _tell_coordinators(ctx, now, t("th", "held_reminders", items="\n".join(held),
                                       left=left if left is not None else "-", cost=held_cost),
                           key=f"held:{now.isoformat()}")
    return counts


def _tell_coordinators(ctx, now: datetime, text: str, *, key: str) -> int:
    with ctx.db.transaction() as session:
        people = [p.line_user_id for p in coordinators(session) if p.line_user_id]
        if not people:
            log.warning("no coordinator with LINE to tell: %s", text)
            return 0
        outbox.enqueue_to_users(session, people, [replies.text(text)], purpose="alert", dedupe_key=f"alert:{key}",
                                now=now)
    return len(people)


def _recipient(session, row: OutboxMessage) -> str:
    """Who a message was for, as a coordinator knows them: a group's or person's name, never a
    LINE id (`meetbot outbox --dead` shows the ids to whoever runs the bot)."""
    from models.network import Chat, FinancialGroup
    from models.people import Person

    if not row.to:
        return f"{len(row.recipients or [])} คน"
    groups = [g.name for g in session.scalars(select(FinancialGroup).where(FinancialGroup.chat_id == row.to))]
    if groups:
        return ", ".join(groups)
    person = session.scalar(select(Person).where(Person.line_user_id == row.to))
    if person is not None:
        return person.full_name or person.display_name or "ผู้ใช้ 1 คน"
    chat = session.get(Chat, row.to)
    return (chat.title if chat is not None and chat.title else None) or "ห้องแชทกลุ่ม"


def report_dead_letters(ctx, now: datetime) -> int:
    """Tell coordinators, in chat, about messages LINE refused for good (once per message)."""
    with ctx.db.transaction() as session:
        rows = list(session.scalars(select(OutboxMessage).where(
            OutboxMessage.status.in_([Status.DEAD, Status.UNCERTAIN]), OutboxMessage.reported_at.is_(None),
            OutboxMessage.purpose.not_in(["alert", "marker"])).order_by(OutboxMessage.id).limit(200)))
        if not rows:
            return 0
        for row in rows:
            row.reported_at = now
        items = "\n".join(
            f"• #{row.id} {row.purpose} → {_recipient(session, row)}: "
            f"{(row.last_error or '')[:80]}" for row in rows[:15])
        if len(rows) > 15:
            items += f"\n… และอีก {len(rows) - 15} รายการ (meetbot outbox --dead)"
        text = t("th", "dead_letters", n=len(rows), items=items)
        ids = f"{rows[0].id}-{rows[-1].id}"
    _tell_coordinators(ctx, now, text, key=f"dead:{ids}")
    return len(rows)
