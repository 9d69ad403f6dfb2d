"""`เตือน #12 …`: a meeting's reminder plan (coordinators)."""

from __future__ import annotations

from handlers import replies
from handlers.meetings import _require_coordinator, resolve_meeting
from handlers.texts import t
from handlers.turn import Turn
from models.reminders import describe_moment, plan_from_offsets, plan_of


def handle_remind(turn: Turn, command) -> None:
    """Show, change (`เตือน #12 3 วัน 1 วัน 2 ชม.`) or turn off (`เตือน #12 ปิด`) the reminders."""
    if not _require_coordinator(turn):
        return
    meeting = resolve_meeting(turn, command.meeting)
    if meeting is None:
        if not turn.answers:
            turn.say(replies.text(t(turn.lang, "remind_which")))
        return
    if command.off:
        meeting.reminder_plan = []
        turn.say(replies.text(t(turn.lang, "remind_off", code=meeting.code)))
        return
    if command.offsets:
        try:
            meeting.reminder_plan = plan_from_offsets(list(command.offsets))
        except ValueError:
            turn.say(replies.text(t(turn.lang, "remind_bad")))
            return
    plan = plan_of(meeting)
    described = ", ".join(describe_moment(m, turn.lang) for m in plan) or t(turn.lang, "remind_none")
    nudges = t(turn.lang, "remind_nudges_on") if meeting.nudges and plan else ""
    turn.say(replies.text(t(turn.lang, "remind_plan", code=meeting.code, plan=described, nudges=nudges)))
