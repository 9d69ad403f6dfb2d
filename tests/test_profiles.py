"""Names come from LINE after the fact: the clock fills them in without the webhook waiting."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from models.base import utcnow
from models.network import Chat
from models.people import Person
from scheduler.jobs import refresh_profiles
from tests.linechat import GROUP

LEADER = "U" + "4" * 32
FRIEND = "U" + "6" * 32


def test_display_names_group_titles_and_member_counts_are_read_from_line(line, db, services, fake_line, context):
    fake_line.add_group(GROUP, "กองทุนหมู่บ้าน หมู่ 3 ท่าไร่", members={LEADER: "ลุงสมศักดิ์", "U" + "1" * 32: "ป้าแดง"})
    fake_line.add_profile(FRIEND, "ครูมานี")
    line.say("ฝนตก", user=LEADER, group=GROUP)  # the bot stays silent but learns who spoke where
    line.say("สวัสดี", user=FRIEND)
    now = utcnow()
    assert refresh_profiles(context, now) == {"people": 2, "chats": 1}
    with db.reading() as s:
        names = {p.line_user_id: p.display_name for p in s.scalars(select(Person))}
        chat = s.get(Chat, GROUP)
    assert names == {LEADER: "ลุงสมศักดิ์", FRIEND: "ครูมานี"}
    assert (chat.title, chat.member_count) == ("กองทุนหมู่บ้าน หมู่ 3 ท่าไร่", 2)
    asked = len(fake_line.requests)
    assert refresh_profiles(context, now + timedelta(hours=1)) == {"people": 0, "chats": 0}
    assert len(fake_line.requests) == asked  # fresh enough: LINE is not asked again


def test_a_person_line_does_not_know_is_marked_checked_and_not_asked_every_pass(line, db, services, fake_line, context):
    line.say("สวัสดี", user="U" + "0" * 31 + "9")
    refresh_profiles(context, utcnow())
    asked = len(fake_line.requests)
    refresh_profiles(context, utcnow() + timedelta(minutes=5))
    assert len(fake_line.requests) == asked


def test_line_failing_leaves_the_profile_for_a_later_pass(line, db, services, fake_line, context):
    fake_line.add_profile(FRIEND, "ครูมานี")
    line.say("สวัสดี", user=FRIEND)
    fake_line.fail(status=500, paths=("profile",))
    refresh_profiles(context, utcnow())
    fake_line.clear_faults()
    assert refresh_profiles(context, utcnow()) == {"people": 1, "chats": 0}
