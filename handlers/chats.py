"""Chats and people: the bot joining a group, linking a chat to a financial group, roles, help."""

from __future__ import annotations

from sqlalchemy import select

from handlers import postbacks, replies
from handlers.postbacks import Action
from handlers.texts import t
from handlers.turn import Turn
from models.network import FinancialGroup, find_groups, groups_in_chat
from models import setup
from models.people import Duty, Role, coordinators, ensure_person, grant
from models.setup import Claim

MAX_GROUP_CHOICES = 12  # quick replies allow 13; the last place is kept free


def handle_follow(turn: Turn, _) -> None:
    """Someone added the bot as a friend: greet and show what they can do."""
    turn.person  # remember them
    turn.say(replies.text(t(turn.lang, "welcome") + "\n\n" + help_text(turn)))


def handle_join(turn: Turn, _) -> None:
    """The bot was added to a group chat: greet in three lines and offer to link the chat."""
    chat = turn.chat
    chat.left_at = None
    linked = groups_in_chat(turn.session, chat.id)
    greeting = t(turn.lang, "join")
    if linked:
        turn.say(replies.text(greeting.rsplit("\n", 1)[0] + "\n" + t(turn.lang, "link_ok", group=_names(linked))))
        return
    turn.say(replies.text(greeting, _link_choices(turn)))


def handle_leave(turn: Turn, _) -> None:
    """The bot was removed from a group: nothing more goes there (its links stay for history)."""
    if turn.chat is not None:
        turn.chat.left_at = turn.now


def handle_help(turn: Turn, _) -> None:
    """`วิธีใช้` / `/help`: what this person may do here."""
    turn.say(replies.text(help_text(turn)))


def help_text(turn: Turn) -> str:
    parts = [t(turn.lang, "help_everyone")]
    person = turn.person
    if person is not None:
        if person.led_group_ids():
            parts.append(t(turn.lang, "help_leader"))
        if person.is_facilitator:
            parts.append(t(turn.lang, "help_facilitator"))
        if person.is_coordinator:
            parts.append(t(turn.lang, "help_coordinator"))
    return "\n".join(parts)


def handle_language(turn: Turn, command) -> None:
    """`English` / `ภาษาไทย`: switch this chat (group) or this person (1:1)."""
    language = "en" if command.language == "en" else None
    if turn.event.in_group:
        turn.chat.language = language
    elif turn.person is not None:
        turn.person.language = language
    turn.say(replies.text(t(turn.lang, "language_set")))


# -- linking a chat to a financial group ---------------------------------------------------------


def _may_link(turn: Turn, group: FinancialGroup | None) -> bool:
    person = turn.person
    if person is None:
        return False
    return person.is_coordinator or person.is_facilitator or (group is not None and group.id in person.led_group_ids())


def _names(groups: list[FinancialGroup]) -> str:
    return ", ".join(g.name for g in groups)


def _link_choices(turn: Turn, groups: list[FinancialGroup] | None = None) -> list[dict]:
    if groups is None:  # groups not linked to a chat yet come first
        query = select(FinancialGroup).order_by(FinancialGroup.chat_id.is_not(None), FinancialGroup.id)
        groups = list(turn.session.scalars(query.limit(MAX_GROUP_CHOICES)))
    return [replies.postback_item(replies.label(g.name), postbacks.encode(Action.LINK, g=g.id),
                                  display=f"ผูกกลุ่ม {g.name}"[:300]) for g in groups[:MAX_GROUP_CHOICES]]


def handle_link_text(turn: Turn, command) -> None:
    """`ผูกกลุ่ม <ชื่อ>`: link this group chat to a financial group."""
    if not turn.event.in_group:
        turn.say(replies.text(t(turn.lang, "link_only_groups")))
        return
    name = command.name.strip()
    if not name:
        choices = _link_choices(turn)
        turn.say(replies.text(t(turn.lang, "link_pick") if choices else t(turn.lang, "link_no_groups"), choices))
        return
    found = find_groups(turn.session, name)
    if not found:
        turn.say(replies.text(t(turn.lang, "link_none", name=name), _link_choices(turn)))
    elif len(found) > 1:
        turn.say(replies.text(t(turn.lang, "link_pick"), _link_choices(turn, found)))
    else:
        _link(turn, found[0])


def handle_link_tap(turn: Turn, fields: dict) -> None:
    """A tap on a group's name under the greeting or a link question."""
    group = turn.session.get(FinancialGroup, postbacks.int_field(fields, "g") or 0)
    if group is None or not turn.event.in_group:
        turn.say(replies.text(t(turn.lang, "link_only_groups")))
        return
    _link(turn, group)


def _link(turn: Turn, group: FinancialGroup) -> None:
    if not _may_link(turn, group):
        turn.say(replies.text(t(turn.lang, "link_not_allowed")))
        return
    moved = group.chat_id is not None and group.chat_id != turn.chat.id
    group.chat_id = turn.chat.id
    text = t(turn.lang, "link_ok", group=group.name)
    if moved:
        text += "\n" + t(turn.lang, "link_moved", group=group.name)
    turn.say(replies.text(text))


# -- roles ---------------------------------------------------------------------------------------


def handle_claim_coordinator(turn: Turn, command) -> None:
    """`ผู้ประสานงาน <code>`: the first coordinator claims the role with the setup code."""
    if turn.person is None:
        turn.say(replies.text(t(turn.lang, "need_phone")))
        return
    if turn.event.in_group:
        turn.say(replies.text(t(turn.lang, "claim_in_direct_chat")))
        return
    code = turn.settings.setup_code
    if not code:
        turn.say(replies.text(t(turn.lang, "claim_no_code")))
        return
    outcome, tries_left = setup.claim(turn.session, turn.person, command.code, code, now=turn.now)
    if outcome is Claim.WRONG:
        key = "claim_wrong_tries_left" if tries_left else "claim_wrong_last"
        turn.say(replies.text(t(turn.lang, key, n=tries_left)))
        return
    turn.say(replies.text(t(turn.lang, {
        Claim.WON: "claim_ok", Claim.ALREADY: "claim_ok", Claim.SPENT: "claim_taken",
        Claim.LOCKED_PERSON: "claim_locked_person", Claim.LOCKED_ALL: "claim_locked_all",
    }[outcome])))


def handle_appoint(turn: Turn, command) -> None:
    """`ตั้งผู้นำ @x`, `ตั้งคุณอำนวย @x ผู้บันทึก`, `ตั้งผู้ประสานงาน @x` (coordinators)."""
    person = turn.person
    if person is None or not person.is_coordinator:
        turn.say(replies.text(t(turn.lang, "need_coordinator")))
        return
    mentioned = [uid for uid in turn.event.mentioned_user_ids if uid]
    if not mentioned:
        turn.say(replies.text(t(turn.lang, "appoint_need_mention")))
        return
    group_id = None
    if command.role in (Role.LEADER, Role.MEMBER):
        if not turn.event.in_group:
            turn.say(replies.text(t(turn.lang, "ask_in_group_for_leader")))
            return
        linked = groups_in_chat(turn.session, turn.chat.id)
        if len(linked) != 1:
            turn.say(replies.text(t(turn.lang, "appoint_need_group")))
            return
        group_id = linked[0].id
    duty = command.duty if command.duty in Duty.ALL else None
    names = []
    for user_id in mentioned:
        appointee = ensure_person(turn.session, user_id)
        grant(turn.session, appointee, command.role, group_id=group_id, duty=duty,
              by=f"person:{person.id}")
        names.append(appointee.display_name or "@" + user_id[-4:])
    role = Role.THAI[command.role] if turn.lang != "en" else command.role
    turn.say(replies.text(t(turn.lang, "appointed", names=", ".join(names), role=role)))
