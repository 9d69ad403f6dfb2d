"""The routes, in the order they are tried: the first whose check accepts the event handles it."""

from __future__ import annotations

from handlers import announce, answers, attendance, chats, commands, meetings, notes, postbacks, reminders, replies
from handlers.postbacks import Action
from handlers.texts import t
from handlers.router import Router
from handlers.turn import Turn

router = Router()


def event(kind: str):
    return lambda turn: turn.event.type == kind


def tapped(action: str):
    return lambda turn: turn.postback if turn.postback.get("a") == action else None


def said(*kinds):
    return lambda turn: turn.command if isinstance(turn.command, kinds) else None


@router.route(lambda turn: turn.event.chat_id is None, "no_chat")
def handle_no_chat(turn: Turn, _) -> None:
    """An event that names no chat of a kind we know (one LINE added since, or none at all): there is
    nobody to answer and nothing to learn, so nothing is done (bot/inbound.py let it through)."""


router.route(event("follow"), "follow")(chats.handle_follow)
router.route(event("join"), "join")(chats.handle_join)
router.route(event("leave"), "leave")(chats.handle_leave)
router.route(event("unsend"), "unsend")(notes.handle_unsend)
router.route(event("messageEdited"), "message_edited")(notes.handle_edited_message)
router.route(notes.is_note_photo, "note_photo")(notes.handle_photo)
router.route(meetings.is_coordinator_location, "venue_location")(meetings.handle_venue_location)

router.route(tapped(Action.ANSWER), "answer_tap")(answers.handle_answer_tap)
router.route(tapped(Action.LINK), "link_tap")(chats.handle_link_tap)
router.route(tapped(Action.INVITE), "invite_tap")(meetings.handle_invite_tap)
router.route(meetings.invite_step_tap, "invite_step")(meetings.handle_invite_step)
router.route(tapped(Action.SUMMARY), "summary_tap")(meetings.handle_summary_tap)
router.route(tapped(Action.PICK_DATE), "picked_when")(meetings.handle_picked_when)
router.route(tapped(Action.AUDIENCE), "announce_audience")(announce.handle_audience)
router.route(lambda turn: turn.postback if turn.postback.get("a") == Action.CONFIRM
             and turn.postback.get("f") == "forget" else None, "forget_confirmed")(attendance.handle_forget_confirmed)
router.route(lambda turn: turn.postback if turn.postback.get("a") == Action.CONFIRM
             and turn.postback.get("f") == meetings.FLOW_CANCEL else None, "cancel_confirmed")(meetings.handle_cancel_confirmed)
router.route(lambda turn: turn.postback if turn.postback.get("a") == Action.CANCEL_STEP
             and turn.postback.get("f") == meetings.FLOW_CANCEL else None, "cancel_kept")(meetings.handle_cancel_kept)
router.route(tapped(Action.CONFIRM), "announce_confirm")(announce.handle_confirm)
router.route(tapped(Action.CHECK_IN), "check_in_tap")(attendance.handle_here_tap)
router.route(tapped(Action.CANCEL_STEP), "announce_cancel")(announce.handle_cancel_step)
router.route(tapped(Action.FILE_NOTE), "file_note_tap")(notes.handle_file_tap)
router.route(tapped(Action.CHECK_IN_GROUP), "check_in_group_tap")(attendance.handle_check_in_group_tap)
router.route(tapped(Action.APPOINT), "appoint_tap")(chats.handle_appoint_tap)

router.route(answers.quoted_agreement, "quoted_agreement")(answers.handle_quoted_agreement)

@router.route(tapped(postbacks.INVALID), "invalid_tap")
def handle_invalid_tap(turn: Turn, _) -> None:
    """Postback data that is not one of ours as we wrote it (edited, or from elsewhere): change nothing."""
    turn.say(replies.text(t(turn.lang, "tap_invalid")))


router.route(said(commands.Answer), "answer")(answers.handle_answer_text)
router.route(answers.headcount_reply, "headcount_reply")(answers.handle_headcount_reply)
router.route(said(commands.Help), "help")(chats.handle_help)
router.route(said(commands.Link), "link")(chats.handle_link_text)
router.route(said(commands.Unlink), "unlink")(chats.handle_unlink)
router.route(said(commands.ClaimCoordinator), "claim_coordinator")(chats.handle_claim_coordinator)
router.route(said(commands.Language), "language")(chats.handle_language)
router.route(said(commands.Appoint), "appoint")(chats.handle_appoint)
router.route(said(commands.CreateMeeting), "create_meeting")(meetings.handle_create)
router.route(said(commands.ListMeetings), "list_meetings")(meetings.handle_list)
router.route(said(commands.Invite), "invite")(meetings.handle_invite)
# In a group only an explicit `สรุป` / `/summary` posts the summary; `ใครไปบ้าง` there is a question
# to the others (a 1:1 chat has no others, so there it gets the summary).
router.route(lambda turn: turn.command if isinstance(turn.command, commands.Summary)
             and (turn.command.explicit or not turn.event.in_group) else None, "summary")(meetings.handle_summary)
router.route(said(commands.Cancel), "cancel")(meetings.handle_cancel)
router.route(said(commands.Move), "move")(meetings.handle_move)
router.route(said(commands.MeetingSetting), "meeting_setting")(meetings.handle_meeting_setting)
router.route(said(commands.Agenda), "agenda")(meetings.handle_agenda)
router.route(said(commands.Remind), "remind")(reminders.handle_remind)
router.route(said(commands.Announce), "announce")(announce.handle_announce)
router.route(said(commands.EditNote, commands.DeleteNote), "note_correction")(notes.handle_correction)
router.route(said(commands.Note), "note")(notes.handle_note)


@router.route(said(commands.Minutes), "minutes")
def handle_minutes(turn: Turn, command) -> None:
    """`บันทึกการประชุม #12`: the minutes as messages (handlers/minutes.py)."""
    from handlers.minutes import handle_minutes as minutes

    minutes(turn, command)


router.route(said(commands.CheckInSelf), "check_in")(attendance.handle_here)
router.route(said(commands.CheckInOther), "check_in_other")(attendance.handle_check_in_other)
router.route(said(commands.ForgetMe), "forget_me")(attendance.handle_forget_me)


@router.route(said(commands.RealName), "real_name")
def handle_real_name(turn: Turn, command) -> None:
    """`ชื่อจริง สมชาย ใจดี`: the name printed on the papers (handlers/real_name.py)."""
    from handlers.real_name import handle_real_name as real_name

    real_name(turn, command)


@router.route(said(commands.Invalid), "invalid")
def handle_invalid(turn: Turn, command) -> None:
    """A command with arguments we cannot use: say why, change nothing."""
    turn.say(replies.text(t(turn.lang, command.reason)))


@router.route(lambda turn: turn.event.text is not None and meetings.pending_when(turn), "typed_when")
def handle_typed_when(turn: Turn, found) -> None:
    """A date typed in answer to "when is it?" during a create or move."""
    meetings.complete_with_typed_when(turn, found)


router.route(answers.unclear_answer, "unclear_answer")(answers.handle_unclear_answer)


@router.route(lambda t_: t_.event.type == "message" and t_.event.text is not None and t_.event.in_direct_chat,
              "direct_text")
def handle_direct_text(turn: Turn, _) -> None:
    """Any text in a 1:1 chat that no command took: the help text."""
    turn.say(replies.text(chats.help_text(turn)))
