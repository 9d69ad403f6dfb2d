"""Chats and people: the bot joining a group, linking a chat to a financial group, roles, help."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from handlers import group_choices, postbacks, replies
from handlers.postbacks import Action
from handlers.texts import t
from handlers.turn import Turn
from models import setup
from models.network import FinancialGroup, SubDistrict, group_named_in, groups_in_chat, link_chat, match_groups
from models.people import Duty, Person, Role, ensure_person, grant
from models.safe_text import strip_bidi
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
    turn.say(replies.text(greeting, _sub_district_choices(turn)))


def handle_leave(turn: Turn, _) -> None:
    """The bot was removed from a group: nothing more goes there (its links stay for history)."""
    if turn.chat is not None:
        turn.chat.left_at = turn.now


def handle_help(turn: Turn, _) -> None:
    """`วิธีใช้` / `/help`: what this person may do here."""
    turn.say(replies.text(help_text(turn)))


def help_text(turn: Turn) -> str:
    parts = [t(turn.lang, "help_everyone"), t(turn.lang, "help_real_name")]
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
#
# Two steps of taps a person can tell apart: the sub-district first, then the village (or a
# group of the sub-district that has no village); a village with several groups (Tha Rai: a
# savings group and a village fund sharing one chat) asks once more, with "both" offered. Typed
# names go through the same matcher as invitations (models.network.match_groups).


def _may_link(turn: Turn, group: FinancialGroup | None) -> bool:
    person = turn.person
    if person is None:
        return False
    return person.is_coordinator or person.is_facilitator or (group is not None and group.id in person.led_group_ids())


def _may_undo(turn: Turn, groups: list[FinancialGroup]) -> bool:
    """A coordinator, or whoever linked every one of these groups, may unlink or relink them."""
    person = turn.person
    return person is not None and (person.is_coordinator or all(g.linked_by_id == person.id for g in groups))


def _names(groups: list[FinancialGroup]) -> str:
    return ", ".join(g.full_name for g in groups)


def _page(turn: Turn, items: list[dict], offset: int, more_data) -> list[dict]:
    """Quick replies hold 13 taps: a long list shows 11 at a time and a "more" tap for the rest."""
    if len(items) <= MAX_GROUP_CHOICES and not offset:
        return items
    shown = items[offset:offset + MAX_GROUP_CHOICES - 1]
    if offset + len(shown) < len(items):
        shown.append(replies.postback_item(t(turn.lang, "link_more"), more_data(offset + len(shown))))
    return shown


def _sub_district_choices(turn: Turn, offset: int = 0) -> list[dict]:
    """Step one: a tap per sub-district, and one for groups that belong to none (e.g. a team)."""
    items = [replies.postback_item(sub.label if turn.lang != "en" else (sub.name_en or sub.label),
                                   postbacks.encode(Action.LINK, s=sub.id), display=f"ผูกกลุ่ม {sub.label}")
             for sub in turn.session.scalars(select(SubDistrict).order_by(SubDistrict.name))]
    others = select(FinancialGroup.id).where(FinancialGroup.sub_district_id.is_(None)).limit(1)
    if turn.session.scalar(others) is not None:
        items.append(replies.postback_item(t(turn.lang, "link_other_groups"), postbacks.encode(Action.LINK, s=0)))
    return _page(turn, items, offset, lambda at: postbacks.encode(Action.LINK, p=at))


def _village_choices(turn: Turn, sub: SubDistrict | None, offset: int = 0) -> tuple[str, list[dict]]:
    """Step two: a tap per village of the sub-district, then its groups that have no village."""
    query = select(FinancialGroup).options(selectinload(FinancialGroup.village)).order_by(FinancialGroup.id)
    groups = list(turn.session.scalars(query.where(FinancialGroup.sub_district_id == sub.id) if sub
                                       else query.where(FinancialGroup.sub_district_id.is_(None))))
    villages: dict[int, list[FinancialGroup]] = {}
    loose = []
    for group in groups:
        if group.village is not None:
            villages.setdefault(group.village_id, []).append(group)
        else:
            loose.append(group)
    items = []
    for in_village in sorted(villages.values(), key=lambda gs: gs[0].village.number):
        first = in_village[0]
        label = t(turn.lang, "label_village", n=first.village.number)
        if all(g.chat_id for g in in_village):
            label = t(turn.lang, "link_linked_mark", label=label)
        if len(in_village) == 1:
            data, display = postbacks.encode(Action.LINK, g=first.id), first.full_name
        else:
            data, display = postbacks.encode(Action.LINK, v=first.village_id), f"หมู่ {first.village.number}"
        items.append(replies.postback_item(label, data, display=f"ผูกกลุ่ม {display}"))
    items += group_choices.group_items(loose, turn.lang, lambda g: postbacks.encode(Action.LINK, g=g.id),
                                       lambda g: f"ผูกกลุ่ม {g.name}", limit=len(loose))
    items = _page(turn, items, offset, lambda at: postbacks.encode(Action.LINK, s=sub.id if sub else 0, p=at))
    if sub is None:
        return t(turn.lang, "link_pick_other"), items
    return t(turn.lang, "link_pick_village", sub=sub.name_en or sub.name if turn.lang == "en" else sub.name), items


def _in_village_choices(turn: Turn, groups: list[FinancialGroup]) -> tuple[str, list[dict]]:
    """Step three, only for a village with several groups: each one, or all of them (one chat)."""
    village = groups[0].village
    items = group_choices.group_items(groups, turn.lang, lambda g: postbacks.encode(Action.LINK, g=g.id),
                                      lambda g: f"ผูกกลุ่ม {g.name}", limit=MAX_GROUP_CHOICES - 1,
                                      with_sub_district=False)
    items.append(replies.postback_item(t(turn.lang, "link_all_in_village", n=len(groups)),
                                       postbacks.encode(Action.LINK, v=village.id, all=1),
                                       display="ผูกกลุ่ม " + " + ".join(g.name for g in groups)))
    sub = groups[0].sub_district
    name = (sub.name_en or sub.name if turn.lang == "en" else sub.name) if sub else ""
    return t(turn.lang, "link_pick_in_village", n=village.number, sub=name), items


def handle_link_text(turn: Turn, command) -> None:
    """`ผูกกลุ่ม <ชื่อ>`: link this group chat to a financial group (the usual ways of naming it)."""
    if not turn.event.in_group:
        turn.say(replies.text(t(turn.lang, "link_only_groups")))
        return
    name = command.name.strip()
    if not name:
        choices = _sub_district_choices(turn)
        turn.say(replies.text(t(turn.lang, "link_pick_sub_district") if choices else t(turn.lang, "link_no_groups"),
                              choices))
        return
    found = match_groups(turn.session, name)
    groups = found.groups
    if not groups:
        turn.say(replies.text(t(turn.lang, "link_none", name=name), _sub_district_choices(turn)))
    elif len(groups) == 1:
        _link(turn, groups)
    elif found.sub_district is not None and found.kind is None:
        turn.say(replies.text(*_village_choices(turn, found.sub_district)))
    elif len({g.village_id for g in groups}) == 1 and groups[0].village_id is not None:
        turn.say(replies.text(*_in_village_choices(turn, groups)))
    else:
        turn.say(replies.text(t(turn.lang, "link_pick"), group_choices.group_items(
            groups, turn.lang, lambda g: postbacks.encode(Action.LINK, g=g.id), lambda g: f"ผูกกลุ่ม {g.name}",
            limit=MAX_GROUP_CHOICES)))


def handle_link_tap(turn: Turn, fields: dict) -> None:
    """A tap under the greeting or a link question: a sub-district (s), a village (v) or a group (g)."""
    if not turn.event.in_group:
        turn.say(replies.text(t(turn.lang, "link_only_groups")))
        return
    if not _may_link(turn, None) and not (turn.person and turn.person.led_group_ids()):
        turn.say(replies.text(t(turn.lang, "link_not_allowed")))
        return
    if "g" in fields:
        group = turn.session.get(FinancialGroup, postbacks.int_field(fields, "g") or 0)
        if group is None:
            turn.say(replies.text(t(turn.lang, "link_none", name="?"), _sub_district_choices(turn)))
            return
        _link(turn, [group])
    elif "v" in fields:
        groups = list(turn.session.scalars(select(FinancialGroup).where(
            FinancialGroup.village_id == (postbacks.int_field(fields, "v") or 0)).order_by(FinancialGroup.id)))
        if not groups:
            turn.say(replies.text(t(turn.lang, "link_pick_sub_district"), _sub_district_choices(turn)))
        elif len(groups) == 1 or fields.get("all"):
            _link(turn, groups)
        else:
            turn.say(replies.text(*_in_village_choices(turn, groups)))
    elif "s" not in fields:  # "more" under the sub-districts
        turn.say(replies.text(t(turn.lang, "link_pick_sub_district"),
                              _sub_district_choices(turn, postbacks.int_field(fields, "p") or 0)))
    else:
        sub_id = postbacks.int_field(fields, "s")
        sub = turn.session.get(SubDistrict, sub_id) if sub_id else None
        if sub_id and sub is None:
            turn.say(replies.text(t(turn.lang, "link_pick_sub_district"), _sub_district_choices(turn)))
            return
        turn.say(replies.text(*_village_choices(turn, sub, postbacks.int_field(fields, "p") or 0)))


def _link(turn: Turn, groups: list[FinancialGroup]) -> None:
    """Link these groups to this chat. What the chat was linked to before stays only when it is of
    the same village (Tha Rai's shared chats); anything else is replaced, which only a coordinator
    or whoever linked it may do."""
    chat = turn.chat
    current = groups_in_chat(turn.session, chat.id)
    new = [g for g in groups if g.chat_id != chat.id]
    if not new:
        turn.say(replies.text(t(turn.lang, "link_already", group=_names(groups))))
        return
    if not all(_may_link(turn, g) for g in new):
        turn.say(replies.text(t(turn.lang, "link_not_allowed")))
        return
    # A group linked to another chat moves here only for a coordinator, whoever linked it, or its
    # leader (a new LINE group); a stray tap must not take a group away from its real chat.
    person = turn.person
    taken = [g for g in new if g.chat_id is not None and not (_may_undo(turn, [g]) or g.id in person.led_group_ids())]
    if taken:
        turn.say(replies.text(t(turn.lang, "link_elsewhere", groups=_names(taken))))
        return
    villages = {g.village_id for g in new if g.village_id is not None}
    replaced = [g for g in current if g not in groups and (g.village_id is None or g.village_id not in villages)]
    if replaced and not _may_undo(turn, replaced):
        turn.say(replies.text(t(turn.lang, "link_taken", groups=_names(current))))
        return
    by = turn.person.id if turn.person else None
    for group in replaced:
        link_chat(turn.session, group, None)
    moved = [g for g in new if g.chat_id is not None]
    for group in new:
        link_chat(turn.session, group, chat.id, by_id=by, now=turn.now)
    text = t(turn.lang, "link_ok", group=_names(groups))
    if replaced:
        text += t(turn.lang, "link_replaced", groups=_names(replaced))
    for group in moved:
        text += "\n" + t(turn.lang, "link_moved", group=group.name)
    turn.say(replies.text(text + t(turn.lang, "link_undo_hint")))


def handle_unlink(turn: Turn, command) -> None:
    """`ยกเลิกผูกกลุ่ม [ชื่อ]` / `/unlink`: a coordinator, or whoever linked it, undoes a link."""
    if not turn.event.in_group:
        turn.say(replies.text(t(turn.lang, "link_only_groups")))
        return
    current = groups_in_chat(turn.session, turn.chat.id)
    if not current:
        turn.say(replies.text(t(turn.lang, "unlink_none")))
        return
    chosen = current
    if command.name.strip():
        named = set(match_groups(turn.session, command.name).groups)
        chosen = [g for g in current if g in named]
        if not chosen:
            turn.say(replies.text(t(turn.lang, "unlink_no_match", name=command.name, groups=_names(current))))
            return
    if not _may_undo(turn, chosen):
        turn.say(replies.text(t(turn.lang, "unlink_not_allowed")))
        return
    for group in chosen:
        link_chat(turn.session, group, None)
    turn.say(replies.text(t(turn.lang, "unlink_done", groups=_names(chosen)), _sub_district_choices(turn)))


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
    """`ตั้งผู้นำ @x`, `ตั้งคุณอำนวย @x ผู้บันทึก`, `ตั้งผู้ประสานงาน @x` (coordinators).

    In a chat of several groups a leader or member needs the group: named in the command
    (`ตั้งผู้นำ @x ออมทรัพย์`) or asked with a tap per group of the chat."""
    person = turn.person
    if person is None or not person.is_coordinator:
        turn.say(replies.text(t(turn.lang, "need_coordinator")))
        return
    mentioned = [uid for uid in turn.event.mentioned_user_ids if uid]
    typed_names = {uid: name for uid, name in turn.event.mentions if name}
    if not mentioned:
        turn.say(replies.text(t(turn.lang, "appoint_need_mention")))
        return
    # The name typed in the mention is what LINE showed the coordinator: a good name until the
    # clock reads the person's own from LINE (through this group, where they are a member).
    appointees = [ensure_person(turn.session, user_id, display_name=typed_names.get(user_id)) for user_id in mentioned]
    for appointee in appointees:
        if turn.event.in_group and not appointee.last_chat_id:
            appointee.last_chat_id = turn.event.chat_id
    group = None
    if command.role in (Role.LEADER, Role.MEMBER):
        if not turn.event.in_group:
            turn.say(replies.text(t(turn.lang, "ask_in_group_for_leader")))
            return
        linked = groups_in_chat(turn.session, turn.chat.id)
        if not linked:
            turn.say(replies.text(t(turn.lang, "appoint_need_group")))
            return
        group = linked[0] if len(linked) == 1 else group_named_in(linked, command.rest)
        if group is None:
            people = ".".join(str(p.id) for p in appointees)
            turn.say(replies.text(
                t(turn.lang, "appoint_which_group", names=_names_text(turn, appointees), role=_role_word(turn, command.role)),
                [replies.postback_item(g.short_label, postbacks.encode(Action.APPOINT, r=command.role, g=g.id, p=people),
                                       display=g.name) for g in linked[:MAX_GROUP_CHOICES]]))
            return
    duty = command.duty if command.duty in Duty.ALL else None
    _appoint(turn, appointees, command.role, group, duty)


def handle_appoint_tap(turn: Turn, fields: dict) -> None:
    """A tap on a group under "leader of which group?" in a chat of several groups."""
    person = turn.person
    if person is None or not person.is_coordinator:
        turn.say(replies.text(t(turn.lang, "need_coordinator")))
        return
    role = fields.get("r")
    linked = groups_in_chat(turn.session, turn.event.chat_id) if turn.event.in_group else []
    group = next((g for g in linked if g.id == postbacks.int_field(fields, "g")), None)
    ids = [int(p) for p in fields.get("p", "").split(".") if p.isascii() and p.isdigit()]
    appointees = [p for p in (turn.session.get(Person, i) for i in ids) if p is not None and p.forgotten_at is None]
    if role not in (Role.LEADER, Role.MEMBER) or group is None or not appointees:
        turn.say(replies.text(t(turn.lang, "appoint_need_group")))
        return
    _appoint(turn, appointees, role, group, None)


def _appointee_names(turn: Turn, appointees: list[Person]) -> tuple[list[str], list[Person]]:
    """The names to say, and those without one yet (never a piece of a user id)."""
    names = [strip_bidi(p.full_name or p.display_name) for p in appointees if p.full_name or p.display_name]
    return names, [p for p in appointees if not (p.full_name or p.display_name)]


def _names_text(turn: Turn, appointees: list[Person]) -> str:
    names, unnamed = _appointee_names(turn, appointees)
    if unnamed:
        names.append(t(turn.lang, "someone") if len(unnamed) == 1 else f"{t(turn.lang, 'someone')} ({len(unnamed)})")
    return ", ".join(names)


def _role_word(turn: Turn, role: str) -> str:
    return Role.THAI[role] if turn.lang != "en" else role


def _appoint(turn: Turn, appointees: list[Person], role: str, group: FinancialGroup | None, duty: str | None) -> None:
    for appointee in appointees:
        grant(turn.session, appointee, role, group_id=group.id if group else None, duty=duty,
              by=f"person:{turn.person.id}")
    role_word = _role_word(turn, role)
    names, unnamed = _appointee_names(turn, appointees)
    key, fields = ("appointed_in_group", {"group": group.name}) if group is not None else ("appointed", {})
    if len(unnamed) == 1 and unnamed[0].line_user_id and turn.event.in_group:
        # No name anywhere yet: a mention lets LINE show it.
        who = ", ".join([*names, "{" + replies.MENTION_KEY + "}"])
        turn.say(replies.naming(t(turn.lang, key, names=who, role=role_word, **fields), unnamed[0].line_user_id))
        return
    turn.say(replies.text(t(turn.lang, key, names=_names_text(turn, appointees), role=role_word, **fields)))
