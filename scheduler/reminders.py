"""The clock's reminder, quota and dead-letter jobs."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from handlers import cards, postbacks, replies
from handlers.postbacks import Action
from handlers.texts import TEXTS, date_text, datetime_text, response_button, t, time_text
from models import outbox, quota
from models.meetings import Answer, Meeting, Response, meeting_chats
from models.network import Chat, FinancialGroup
from models.outbox import OutboxMessage, Status
from models.people import Person, coordinators, leaders_of
from models.reminders import Due, RunStatus, claim_run, describe_moment, due_reminders, is_short
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
    clock = time_text(start, tz, lang)
    if start.date() == today:
        return t(lang, "today_at", time=clock)
    if start.date() == today + timedelta(days=1):
        return t(lang, "tomorrow_at", time=clock)
    return t(lang, "on_day_at", date=date_text(start, tz, lang), time=clock)


def _nudge_recipients(session, meeting: Meeting, current: MeetingTally,
                      said_no: set[int]) -> tuple[list[Person], list[Person]]:
    """Leaders of invited groups that have not answered (per the tally `current`); people who said
    maybe, unless their group as a whole said it is not coming (a group that said ไม่ไป hears no more)."""
    unanswered: dict[int, Person] = {}
    for group in current.groups:
        if group.state == GroupState.UNANSWERED:
            for person in leaders_of(session, group.group_id):
                if person.line_user_id and person.forgotten_at is None:
                    unanswered.setdefault(person.id, person)
    maybe: dict[int, Person] = {}
    for person, group_id in session.execute(
            select(Person, Answer.group_id).join(Answer, Answer.person_id == Person.id)
            .where(Answer.meeting_id == meeting.id, Answer.response == Response.MAYBE,
                   Person.line_user_id.is_not(None), Person.forgotten_at.is_(None)).order_by(Answer.id)):
        if group_id not in said_no and person.id not in unanswered:
            maybe.setdefault(person.id, person)
    return list(unanswered.values()), list(maybe.values())


def groups_said_no(session, meeting: Meeting, current: MeetingTally) -> set[int]:
    """Invited groups that said ไม่ไป: every answer in it is no, or its leader said no for the
    group and nobody in it says they are coming (a member's old "maybe" does not undo the leader's no)."""
    leader_said_no = set(session.scalars(select(Answer.group_id).where(
        Answer.meeting_id == meeting.id, Answer.for_group.is_(True), Answer.response == Response.NOT_GOING)))
    return {g.group_id for g in current.groups
            if g.state == GroupState.NOT_GOING or (g.group_id in leader_said_no and not g.coming)}


def _chats_to_remind(meeting: Meeting, said_no: set[int], chats: list[Chat]) -> list[Chat]:
    """The meeting's chats, less those whose every invited group said it is not coming."""
    keep = []
    for chat in chats:
        groups = [inv.group_id for inv in meeting.invitations if inv.group.chat_id == chat.id]
        if groups and all(g in said_no for g in groups):
            continue
        keep.append(chat)
    return keep


def _answer_buttons(meeting: Meeting, lang: str) -> list[dict]:
    return [replies.postback_item(response_button(lang, response),
                                  postbacks.encode(Action.ANSWER, m=meeting.id, r=response),
                                  display=f"{response_button(lang, response)} {meeting.code}")
            for response in (Response.GOING, Response.NOT_GOING, Response.MAYBE)]


def _reminder_message(ctx, meeting: Meeting, current: MeetingTally, item: Due, chat: Chat, now: datetime) -> dict:
    """Long before: the full card again (where the answers stand). On the day: a short reminder."""
    tz = ctx.bot_settings.timezone
    lang = chat.language or "th"
    group_id = next((inv.group_id for inv in meeting.invitations if inv.group.chat_id == chat.id), None)
    notice = t(lang, "reminder_notice", code=meeting.code, when_rel=_relative_when(meeting, now, tz, lang))
    if is_short(item.moment):
        return cards.reminder_message(meeting, lang=lang, group_id=group_id, notice=notice,
                                      when=datetime_text(meeting.starts_at, tz, lang))
    return cards.meeting_card(meeting, current, lang=lang, group_id=group_id, notice=notice, now=now,
                              calendar_url=ctx.bot_settings.calendar_link(group_id) if group_id else None)


def fire_reminders(ctx, now: datetime) -> dict[str, int]:
    """Send every reminder that is due, once: to the meeting's chats, and nudges 1:1."""
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
    held: list[tuple[str, str, str]] = []  # code, title, moment
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
            current = tally(session, meeting)
            said_no = groups_said_no(session, meeting, current)
            chats = _chats_to_remind(meeting, said_no, meeting_chats(session, meeting))
            unanswered, maybe = _nudge_recipients(session, meeting, current, said_no) if meeting.nudges else ([], [])
            cost = sum(quota.chat_cost(c.member_count) for c in chats) + len(unanswered) + len(maybe)
            view = quota.view(session)
            if not view.allows(cost):
                run.status = RunStatus.HELD
                run.cost = cost
                held.append((meeting.code, meeting.title, item.moment))
                held_cost += cost
                left = view.left
                counts["held"] += 1
                continue
            for chat in chats:
                outbox.enqueue_once(session, dedupe_key=f"reminder:{run.id}:{chat.id}", to=chat.id,
                                    messages=[_reminder_message(ctx, meeting, current, item, chat, now)],
                                    purpose="reminder", meeting_id=meeting.id,
                                    cost_per_request=quota.chat_cost(chat.member_count), now=now)
            for key, people in (("nudge_unanswered", unanswered), ("nudge_maybe", maybe)):
                by_language: dict[str, list[str]] = {}
                for person in people:  # 1:1, so in the person's own language
                    by_language.setdefault(person.language or "th", []).append(person.line_user_id)
                for lang, user_ids in by_language.items():
                    text = replies.text(t(lang, key, code=meeting.code, title=meeting.title,
                                          when=datetime_text(meeting.starts_at, tz, lang),
                                          venue=meeting.venue_name or "-"),
                                        _answer_buttons(meeting, lang))
                    outbox.enqueue_to_users(session, user_ids, [text], purpose="nudge", meeting_id=meeting.id,
                                            dedupe_key=f"nudge:{run.id}:{key}" + (f":{lang}" if lang != "th" else ""),
                                            now=now)
            run.chats, run.nudged, run.cost = len(chats), len(unanswered) + len(maybe), cost
            counts["sent"] += 1
    if held:
        example = held[0][0]

        def held_notice(lang: str) -> str:
            items = "\n".join(f"• {code} {title} ({describe_moment(moment, lang)})" for code, title, moment in held)
            return (t(lang, "held_reminders", items=items, left=left if left is not None else "-", cost=held_cost)
                    + t(lang, "held_reminders_what_to_do", code=example))

        _tell_coordinators(ctx, now, held_notice, key=f"held:{now.isoformat()}")
    return counts


def _tell_coordinators(ctx, now: datetime, say, *, key: str) -> int:
    """Tell every coordinator, 1:1, each in their own language (`say(lang)` makes the text)."""
    with ctx.db.transaction() as session:
        people = [p for p in coordinators(session) if p.line_user_id]
        if not people:
            log.warning("no coordinator with LINE to tell: %s", say("en"))
            return 0
        by_language: dict[str, list[str]] = {}
        for person in people:
            by_language.setdefault(person.language or "th", []).append(person.line_user_id)
        for lang, user_ids in by_language.items():
            outbox.enqueue_to_users(session, user_ids, [replies.text(say(lang))], purpose="alert",
                                    dedupe_key=f"alert:{key}" + (f":{lang}" if lang != "th" else ""), now=now)
    return len(people)


def _failure_reason(row: OutboxMessage) -> str:
    """Why LINE did not take a message, as a text key (never LINE's own English words)."""
    error = (row.last_error or "").lower()
    if row.status == Status.UNCERTAIN:
        return "dead_why_unknown"
    if "monthly limit" in error or (row.last_status == 429 and "limit" in error):
        return "dead_why_quota"
    if error.startswith("gave up"):
        return "dead_why_gave_up"
    if row.last_status == 403:
        return "dead_why_blocked"
    return "dead_why_refused"


def _failure_target(session, row: OutboxMessage, lang: str) -> str:
    if not row.to:
        return t(lang, "dead_to_people", n=len(row.recipients or []))
    # A group's or person's name as a coordinator knows them, never a LINE id (`meetbot outbox
    # --dead` shows the ids to whoever runs the bot).
    groups = [g.name for g in session.scalars(select(FinancialGroup).where(FinancialGroup.chat_id == row.to))]
    if groups:
        return t(lang, "dead_to_chat", name=", ".join(groups))
    chat = session.get(Chat, row.to)
    if row.to.startswith("U"):
        person = session.scalar(select(Person).where(Person.line_user_id == row.to))
        name = (person.full_name or person.display_name) if person is not None else None
        return t(lang, "dead_to_person", name=name) if name else t(lang, "dead_to_someone")
    return t(lang, "dead_to_chat", name=chat.title) if chat is not None and chat.title else t(lang, "dead_to_a_chat")


def report_dead_letters(ctx, now: datetime) -> int:
    """Tell coordinators, in chat and in their language, about messages LINE refused for good (once each)."""
    with ctx.db.transaction() as session:
        rows = list(session.scalars(select(OutboxMessage).where(
            OutboxMessage.status.in_([Status.DEAD, Status.UNCERTAIN]), OutboxMessage.reported_at.is_(None),
            OutboxMessage.purpose.not_in(["alert", "marker"])).order_by(OutboxMessage.id).limit(200)))
        if not rows:
            return 0
        for row in rows:
            row.reported_at = now
            log.warning("outbox row %s (%s to %s) is %s: %s %s", row.id, row.purpose, row.to or "users",
                        row.status, row.last_status, row.last_error)
        shown = rows[:15]
        codes = {row.id: f" #{row.meeting_id}" if row.meeting_id else "" for row in shown}
        targets = {lang: [_failure_target(session, row, lang) for row in shown] for lang in ("th", "en")}
        reasons = [_failure_reason(row) for row in shown]
        purposes = [f"purpose_{row.purpose}" if f"purpose_{row.purpose}" in TEXTS else "purpose_other" for row in shown]
        ids = f"{rows[0].id}-{rows[-1].id}"
        more = len(rows) - len(shown)

    def say(lang: str) -> str:
        items = "\n".join(t(lang, "dead_letter_item", what=t(lang, purposes[i]), code=codes[row.id],
                               to=targets["en" if lang == "en" else "th"][i], why=t(lang, reasons[i]))
                          for i, row in enumerate(shown))
        if more:
            items += "\n" + t(lang, "dead_letters_more", n=more)
        return t(lang, "dead_letters", n=len(rows), items=items)

    _tell_coordinators(ctx, now, say, key=f"dead:{ids}")
    return len(rows)
