"""`ประกาศ <ข้อความ>`: a coordinator's announcement, with its audience and its cost shown first.

Nothing is sent until the coordinator has seen how many chats and people it reaches and what it
costs against the month's quota, and confirmed. When the quota would run out, it is refused with
the numbers.
"""

from __future__ import annotations

from sqlalchemy import select

from handlers import postbacks, replies
from handlers.meetings import _require_coordinator
from handlers.postbacks import Action
from handlers.texts import t
from handlers.turn import Turn
from models import conversations, outbox, quota
from models.meetings import Meeting, MeetingStatus, meeting_chats
from models.network import Chat, FinancialGroup, SubDistrict
from models.people import Person, PersonRole, Role

FLOW = "announce"


def handle_announce(turn: Turn, command) -> None:
    """Ask who should get the announcement."""
    if not _require_coordinator(turn):
        return
    conversations.set_step(turn.session, turn.event.chat_id, turn.event.user_id, FLOW, {"text": command.text},
                           now=turn.now)
    choices = []
    meetings = turn.session.scalars(select(Meeting).where(
        Meeting.status.in_([MeetingStatus.SCHEDULED, MeetingStatus.MOVED]), Meeting.ends_at > turn.now)
        .order_by(Meeting.starts_at).limit(6)).all()
    for meeting in meetings:
        choices.append(replies.postback_item(t(turn.lang, "announce_invitees", code=meeting.code),
                                             postbacks.encode(Action.AUDIENCE, k="m", m=meeting.id)))
    for sub in turn.session.scalars(select(SubDistrict).order_by(SubDistrict.id).limit(4)):
        choices.append(replies.postback_item(sub.label, postbacks.encode(Action.AUDIENCE, k="s", s=sub.id)))
    choices.append(replies.postback_item(t(turn.lang, "announce_facilitators"), postbacks.encode(Action.AUDIENCE, k="f")))
    choices.append(replies.postback_item(t(turn.lang, "announce_all_groups"), postbacks.encode(Action.AUDIENCE, k="g")))
    turn.say(replies.text(t(turn.lang, "announce_audience"), choices))


def _audience(turn: Turn, fields: dict) -> tuple[list[Chat], list[str]]:
    """The chats (group pushes) and people (1:1, multicast) an audience choice means."""
    session = turn.session
    kind = fields.get("k")
    chat_ids: list[str] = []
    people: list[str] = []
    if kind == "m":
        meeting = session.get(Meeting, postbacks.int_field(fields, "m") or 0)
        # Only a meeting that could have been offered (not cancelled, not over): the tap is untrusted.
        if meeting is not None and meeting.status in (MeetingStatus.SCHEDULED, MeetingStatus.MOVED) \
                and meeting.ends_at > turn.now:
            chat_ids = [c.id for c in meeting_chats(session, meeting)]
    elif kind == "s":
        chat_ids = [c for (c,) in session.execute(select(FinancialGroup.chat_id).where(
            FinancialGroup.sub_district_id == (postbacks.int_field(fields, "s") or 0),
            FinancialGroup.chat_id.is_not(None)))]
    elif kind == "g":
        chat_ids = [c for (c,) in session.execute(select(FinancialGroup.chat_id).where(FinancialGroup.chat_id.is_not(None)))]
    elif kind == "f":
        people = [uid for (uid,) in session.execute(
            select(Person.line_user_id).join(PersonRole, PersonRole.person_id == Person.id)
            .where(PersonRole.role.in_([Role.FACILITATOR, Role.COORDINATOR]), Person.line_user_id.is_not(None),
                   Person.forgotten_at.is_(None)))]
    chats = [session.get(Chat, c) for c in dict.fromkeys(chat_ids)]
    return [c for c in chats if c is not None and c.left_at is None], list(dict.fromkeys(people))


def _quota_line(turn: Turn, view: quota.QuotaView) -> str:
    if not view.known:
        return t(turn.lang, "quota_unknown")
    if view.limit is None:
        return t(turn.lang, "quota_unlimited")
    return t(turn.lang, "quota_left", left=view.left, limit=view.limit)


def handle_audience(turn: Turn, fields: dict) -> None:
    """Show the reach and the cost, and ask to confirm (or refuse when the quota would run out)."""
    if not _require_coordinator(turn):
        return
    step = conversations.current_step(turn.session, turn.event.chat_id, turn.event.user_id or "", now=turn.now)
    if step is None or step.flow != FLOW:
        turn.say(replies.text(t(turn.lang, "announce_expired")))
        return
    chats, people = _audience(turn, fields)
    if not chats and not people:
        turn.say(replies.text(t(turn.lang, "announce_nobody")))
        return
    cost = sum(quota.chat_cost(c.member_count) for c in chats) + len(people)
    view = quota.view(turn.session)
    if not view.allows(cost):
        conversations.clear_step(turn.session, turn.event.chat_id, turn.event.user_id)
        turn.say(replies.text(t(turn.lang, "announce_refused", cost=cost, left=view.left, limit=view.limit)))
        return
    conversations.set_step(turn.session, turn.event.chat_id, turn.event.user_id, FLOW,
                           {**step.data, "audience": fields}, now=turn.now)
    turn.say(replies.text(
        t(turn.lang, "announce_cost", chats=len(chats), people=len(people), cost=cost, left=_quota_line(turn, view)),
        [replies.postback_item(t(turn.lang, "announce_send"), postbacks.encode(Action.CONFIRM, f=FLOW)),
         replies.postback_item(t(turn.lang, "announce_cancel"), postbacks.encode(Action.CANCEL_STEP, f=FLOW))]))


def handle_confirm(turn: Turn, fields: dict) -> None:
    """Send it (checking the quota once more: it may have moved since the question)."""
    if not _require_coordinator(turn):
        return
    step = conversations.current_step(turn.session, turn.event.chat_id, turn.event.user_id or "", now=turn.now)
    if step is None or step.flow != FLOW or "audience" not in step.data:
        turn.say(replies.text(t(turn.lang, "announce_expired")))
        return
    chats, people = _audience(turn, step.data["audience"])
    cost = sum(quota.chat_cost(c.member_count) for c in chats) + len(people)
    view = quota.view(turn.session)
    conversations.clear_step(turn.session, turn.event.chat_id, turn.event.user_id)
    if not view.allows(cost):
        turn.say(replies.text(t(turn.lang, "announce_refused", cost=cost, left=view.left, limit=view.limit)))
        return
    message = [replies.text("📢 " + step.data["text"])]
    key = f"announce:{turn.event.webhook_event_id}"
    for chat in chats:
        turn.push(chat.id, message, purpose="announcement", dedupe_key=f"{key}:{chat.id}",
                  cost=quota.chat_cost(chat.member_count))
    if people:
        outbox.enqueue_to_users(turn.session, people, message, purpose="announcement", dedupe_key=f"{key}:people",
                                now=turn.now)
    turn.say(replies.text(t(turn.lang, "announce_sent", chats=len(chats), people=len(people))))


def handle_cancel_step(turn: Turn, fields: dict) -> None:
    conversations.clear_step(turn.session, turn.event.chat_id, turn.event.user_id or "")
    turn.say(replies.text(t(turn.lang, "announce_dropped")))
