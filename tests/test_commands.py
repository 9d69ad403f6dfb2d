"""Reading chat messages as commands (the package handlers/commands/).

The people typing are group leaders, many not young, answering in LINE group chats in Thai;
coordinators and facilitators type the keyword commands. Most of what is said in a group chat is
not for the bot, so the chatter cases matter as much as the commands.
"""

import dataclasses
import pathlib
import random
import re
from datetime import timedelta

import pytest

import handlers.commands
from handlers.commands import (
    COMMAND_WORDS,
    Agenda,
    Announce,
    Answer,
    Appoint,
    Cancel,
    CheckInOther,
    CheckInSelf,
    ClaimCoordinator,
    CreateMeeting,
    DeleteNote,
    EditNote,
    ForgetMe,
    Help,
    Invalid,
    Invite,
    Language,
    Link,
    ListMeetings,
    MeetingSetting,
    Minutes,
    Move,
    Note,
    RealName,
    Remind,
    Summary,
    Unlink,
    UnclearAnswer,
    is_agreement,
    normalise,
    parse_command,
    read_headcount,
    read_unclear_answer,
)
from handlers.texts import TEXTS, t

GOING, NOT_GOING, MAYBE = "going", "not_going", "maybe"
D, H, M = timedelta(days=1), timedelta(hours=1), timedelta(minutes=1)


def going(n=None, meeting=None, names=()):
    return Answer(GOING, n, meeting, tuple(names))


# (text, the command it is)
COMMANDS = [
    # -- help
    ("วิธีใช้", Help()),
    ("ช่วยด้วย", Help()),
    ("เมนู", Help()),
    ("help", Help()),
    ("/help", Help()),
    ("HELP", Help()),
    ("?", Help()),
    ("？", Help()),
    ("วิธีใช้ครับ", Help()),
    # -- linking a chat to its group
    ("ผูกกลุ่ม กองทุนหมู่บ้าน หมู่ 3", Link("กองทุนหมู่บ้าน หมู่ 3")),
    ("ผูกกลุ่ม กองทุนหมู่บ้าน หมู่ ๓", Link("กองทุนหมู่บ้าน หมู่ 3")),
    ("ผูกกลุ่มออมทรัพย์ท่าไร่", Link("ออมทรัพย์ท่าไร่")),
    ("ผูกกลุ่ม", Link("")),
    ("/link", Link("")),
    ("/link Tha Rai savings", Link("Tha Rai savings")),
    ("ผูกกลุ่ม: กองทุนบางจาก ครับ", Link("กองทุนบางจาก")),
    # the usual ways of naming a group (issue 9); models.network.match_groups reads the name
    ("ผูกกลุ่ม กองทุน ม.2 บางจาก", Link("กองทุน ม.2 บางจาก")),
    ("ผูกกลุ่ม หมู่ 5 บางจาก", Link("หมู่ 5 บางจาก")),
    ("ผูกกลุ่ม ม.๒ บางจาก", Link("ม.2 บางจาก")),
    ("ผูกกลุ่ม กทบ. หมู่ 4 ตำบลบางจาก ครับ", Link("กทบ. หมู่ 4 ตำบลบางจาก")),
    ("ผูกกลุ่ม กลุ่มสัจจะ หมู่ 5 ต.ท่าไร่", Link("กลุ่มสัจจะ หมู่ 5 ต.ท่าไร่")),
    ("ผูกห้องนี้กับ ออมทรัพย์ ม.4 ท่าไร่", Link("ออมทรัพย์ ม.4 ท่าไร่")),
    # -- unlinking (issue 9)
    ("ยกเลิกผูกกลุ่ม", Unlink("")),
    ("ยกเลิกการผูกกลุ่มครับ", Unlink("")),
    ("เลิกผูกกลุ่ม", Unlink("")),
    ("ยกเลิกผูกห้องนี้", Unlink("")),
    ("ยกเลิกผูกกลุ่ม กองทุน ม.1 ท่าไร่", Unlink("กองทุน ม.1 ท่าไร่")),
    ("/unlink", Unlink("")),
    ("/unlink Tha Rai fund 1", Unlink("Tha Rai fund 1")),
    # -- claiming the coordinator role
    ("ผู้ประสานงาน ABC123", ClaimCoordinator("ABC123")),
    ("ผู้ประสานงาน abc123 ครับ", ClaimCoordinator("abc123")),
    ("ผู้ประสานงาน รหัส 8841", ClaimCoordinator("8841")),
    ("/coordinator XyZ-77", ClaimCoordinator("XyZ-77")),
    # -- creating a meeting: the rest as typed (Thai digits kept), polite tail removed
    ("นัด 15 ส.ค. 09:00 วัดบางหลวง เรื่อง หารือความร่วมมือกลุ่มการเงิน",
     CreateMeeting("15 ส.ค. 09:00 วัดบางหลวง เรื่อง หารือความร่วมมือกลุ่มการเงิน")),
    ("นัดประชุม 14 ส.ค. 9 โมง วัดบางสะพาน ครับ", CreateMeeting("14 ส.ค. 9 โมง วัดบางสะพาน")),
    ("นัดวันที่ ๑๗ ส.ค. 9 โมง มัสยิดหมู่ 6", CreateMeeting("วันที่ ๑๗ ส.ค. 9 โมง มัสยิดหมู่ 6")),
    ("นัด15 ส.ค. 9 โมง", CreateMeeting("15 ส.ค. 9 โมง")),
    ("นัดพรุ่งนี้ 9 โมง ที่ สนง.พัฒนาชุมชน", CreateMeeting("พรุ่งนี้ 9 โมง ที่ สนง.พัฒนาชุมชน")),
    ("นัดที่วัดบางหลวง 15 ส.ค. 9 โมง", CreateMeeting("ที่วัดบางหลวง 15 ส.ค. 9 โมง")),
    ("นัดประชุม คณะกรรมการกองทุน", CreateMeeting("คณะกรรมการกองทุน")),  # the guided flow asks when
    ("นัด", CreateMeeting("")),
    ("นัดประชุม", CreateMeeting("")),
    ("นัดประชุมครับ", CreateMeeting("")),
    ("/meet", CreateMeeting("")),
    ("/meet 8 Aug 13:30 CDD office", CreateMeeting("8 Aug 13:30 CDD office")),
    ("/MEET 8 Aug 9am", CreateMeeting("8 Aug 9am")),
    # -- listing meetings (นัดหมาย is not "นัด" + "หมาย")
    ("นัดหมาย", ListMeetings()),
    ("นัดทั้งหมด", ListMeetings()),
    ("ดูนัด", ListMeetings()),
    ("ขอดูนัดหมายหน่อยครับ", ListMeetings()),
    ("/meetings", ListMeetings()),
    # -- inviting with quotas: the quota is the final number
    ("เชิญ ต.บางจาก 10", Invite("ต.บางจาก", 10, None)),
    ("เชิญ ต.บางจาก ๑๐ คน", Invite("ต.บางจาก", 10, None)),
    ("เชิญ กองทุนหมู่บ้าน หมู่ 3 ท่าไร่ 4 คน #12", Invite("กองทุนหมู่บ้าน หมู่ 3 ท่าไร่", 4, 12)),
    ("เชิญ #12 ต.ท่าไร่ 4 คน/กลุ่ม", Invite("ต.ท่าไร่", 4, 12)),
    ("เชิญ ต.บางจาก 10 ต่อกลุ่ม", Invite("ต.บางจาก", 10, None)),
    ("เชิญ ต.บางจาก กลุ่มละ 10 คน", Invite("ต.บางจาก", 10, None)),
    ("เชิญ ต.บางจาก สิบคน", Invite("ต.บางจาก", 10, None)),
    ("เชิญต.มะม่วงสองต้น 10 #๑๗", Invite("ต.มะม่วงสองต้น", 10, 17)),
    ("เชิญ กองทุนหมู่ 3", Invite("กองทุนหมู่ 3", None, None)),  # หมู่ 3 is the village
    ("เชิญ กองทุนหมู่ 3 4", Invite("กองทุนหมู่ 3", 4, None)),
    ("เชิญ ผู้นำชุมชนท่าไร่ #12", Invite("ผู้นำชุมชนท่าไร่", None, 12)),
    ("เชิญ ต.บางจาก 10 ครับ", Invite("ต.บางจาก", 10, None)),
    ("/invite Tha Rai 4", Invite("Tha Rai", 4, None)),
    ("/invite Bang Chak 10 #12", Invite("Bang Chak", 10, 12)),
    ("/invite Bang Chak 10 per group", Invite("Bang Chak", 10, None)),
    ("/invite Community leaders #12", Invite("Community leaders", None, 12)),
    # the usual ways of naming a group (issue 9)
    ("เชิญ กองทุนหมู่บ้าน หมู่ 3 ต.บางจาก 10", Invite("กองทุนหมู่บ้าน หมู่ 3 ต.บางจาก", 10, None)),
    ("เชิญ ผู้นำชุมชน ต.ท่าไร่ 10", Invite("ผู้นำชุมชน ต.ท่าไร่", 10, None)),
    ("เชิญ กทบ. ม.3 บางจาก 10 #6", Invite("กทบ. ม.3 บางจาก", 10, 6)),
    ("เชิญ ม.3 บางจาก 10", Invite("ม.3 บางจาก", 10, None)),
    ("เชิญ ม.3 บางจาก", Invite("ม.3 บางจาก", None, None)),  # ม.3 is the village
    ("เชิญ หมู่ 5 บางจาก กลุ่มละ 10 คน", Invite("หมู่ 5 บางจาก", 10, None)),
    ("เชิญ ออมทรัพย์ ท่าไร่ 4", Invite("ออมทรัพย์ ท่าไร่", 4, None)),
    ("เชิญ สัจจะ หมู่ 2 ท่าไร่ 4 #15", Invite("สัจจะ หมู่ 2 ท่าไร่", 4, 15)),
    ("เชิญ ทั้งตำบลท่าไร่ 4", Invite("ทั้งตำบลท่าไร่", 4, None)),
    ("เชิญ กองทุน ม.๒ บางจาก ๑๐ คน", Invite("กองทุน ม.2 บางจาก", 10, None)),
    # -- answers: going
    ("ไป", going()),
    ("ไป 4", going(4)),
    ("ไป 4 คน", going(4)),
    ("ไป4คน", going(4)),
    ("ไปครับ 4 คน", going(4)),
    ("ไป 4 ท่าน", going(4)),
    ("ไป ๔ คน", going(4)),
    ("ไปสี่คน", going(4)),
    ("ไป สิบ คน", going(10)),
    ("ไปกัน 8 คน", going(8)),
    ("กลุ่มเราไป 4 คนค่ะ", going(4)),
    ("เราจะไป 4 คน", going(4)),
    ("มา", going()),
    ("มา 3 คน", going(3)),
    ("มาครับ", going()),
    ("ไปด้วย", going()),
    ("ไปแน่นอน", going()),
    ("ไปแน่นอน 3 คน", going(3)),
    ("ไปได้", going()),
    ("เข้าร่วม", going()),
    ("ร่วม 5 คน", going(5)),
    ("ไปค่ะ", going()),
    ("ไปครับผม 🙏", going()),
    ("ไปจ้า👍👍", going()),
    ("ไปครับบบ", going()),
    ("ไป 555", going()),  # laughter, not 555 people
    ("ไป 4 คนนะคะ 😊", going(4)),
    ("ไป 4 คน!", going(4)),
    ("ไป\u3000４\u00a0คน", going(4)),
    ("  ไป   4   คน  ", going(4)),
    ("ไป\u200b4 คน", going(4)),
    ("yes", going()),
    ("Yes!", going()),
    ("YES 4", going(4)),
    ("yes, 4 people", going(4)),
    ("y", going()),
    ("going 3", going(3)),
    # meeting codes anywhere
    ("ไป #12", going(None, 12)),
    ("#12 ไป 4", going(4, 12)),
    ("ไป #12 4 คน", going(4, 12)),
    ("ไป 4 คน #12", going(4, 12)),
    ("ไป ๔ คน #๑๒", going(4, 12)),
    ("ไป 4 #12 ครับ", going(4, 12)),
    ("ไป 4 ＃12", going(4, 12)),
    # names
    ("ไป 3 คน: สมศรี, สมชาย, มานี", going(3, None, ["สมศรี", "สมชาย", "มานี"])),
    ("ไป 3 คน (สมศรี สมชาย มานี)", going(3, None, ["สมศรี", "สมชาย", "มานี"])),
    ("ไป 3 คน คือ สมศรี สมชาย และมานี", going(3, None, ["สมศรี", "สมชาย", "มานี"])),
    ("ไป 2 คน สมศรี สมชาย", going(2, None, ["สมศรี", "สมชาย"])),
    ("ไป 3 คน\n1. สมศรี\n2. สมชาย\n3. มานี", going(3, None, ["สมศรี", "สมชาย", "มานี"])),
    ("ไป 2 คน: นายสมศักดิ์ ใจดี, นางมานะ ดีใจ ค่ะ", going(2, None, ["นายสมศักดิ์ ใจดี", "นางมานะ ดีใจ"])),
    ("ไป 2 คน #12: สมศรี, สมชาย", going(2, 12, ["สมศรี", "สมชาย"])),
    ("ไป: สมศรี, สมชาย", going(2, None, ["สมศรี", "สมชาย"])),
    # the group answered for, in chats that mix the savings group's and the village fund's leaders
    ("กองทุนหมู่ 3 ไป 4 คน", Answer(GOING, 4, None, (), "กองทุนหมู่ 3")),
    ("ไป 4 คน กลุ่มออมทรัพย์หมู่ 3", Answer(GOING, 4, None, (), "กลุ่มออมทรัพย์หมู่ 3")),
    ("ไป 4 คน จากกองทุนหมู่บ้าน หมู่ 3 #12", Answer(GOING, 4, 12, (), "กองทุนหมู่บ้าน หมู่ 3")),
    ("ออมทรัพย์หมู่ 2: ไม่ไปค่ะ", Answer(NOT_GOING, None, None, (), "ออมทรัพย์หมู่ 2")),
    ("กลุ่มเราไป 4 คน", going(4)),  # "our group" is the speaker, not a group's name
    # -- answers: not going
    ("ไม่ไป", Answer(NOT_GOING)),
    ("ไปไม่ได้", Answer(NOT_GOING)),
    ("ไม่ได้ไป", Answer(NOT_GOING)),
    ("ไม่มา", Answer(NOT_GOING)),
    ("มาไม่ได้", Answer(NOT_GOING)),
    ("ไม่สะดวก", Answer(NOT_GOING)),
    ("ไม่สะดวกค่ะ", Answer(NOT_GOING)),
    ("ติดธุระ", Answer(NOT_GOING)),
    ("ติดธุระค่ะ ขอโทษด้วย", Answer(NOT_GOING)),
    ("ขอโทษครับ ติดธุระ ไปไม่ได้", Answer(NOT_GOING)),
    ("ไม่ไป #12", Answer(NOT_GOING, None, 12)),
    ("no", Answer(NOT_GOING)),
    ("No.", Answer(NOT_GOING)),
    ("not going", Answer(NOT_GOING)),
    ("can't come", Answer(NOT_GOING)),
    ("can\u2019t come", Answer(NOT_GOING)),
    # -- answers: maybe
    ("ไม่แน่ใจ", Answer(MAYBE)),
    ("ยังไม่แน่ใจ", Answer(MAYBE)),
    ("ไม่เเน่ใจค่ะ", Answer(MAYBE)),  # typed with two sara e
    ("อาจจะ", Answer(MAYBE)),
    ("อาจจะไป", Answer(MAYBE)),
    ("อาจจะไป 2 คน", Answer(MAYBE, 2)),
    ("ยังไม่รู้", Answer(MAYBE)),
    ("maybe", Answer(MAYBE)),
    ("maybe 2", Answer(MAYBE, 2)),
    ("Maybe #12", Answer(MAYBE, None, 12)),
    # -- answers as leaders type them (issue 9)
    ("ขอไป 3 คน", going(3)),
    ("ขอไปด้วยครับ", going()),
    ("ไป 4 คนนะครับ รวมผม", going(4)),
    ("ไป 4 คน รวมผมด้วยครับ", going(4)),
    ("ไป 4 คน (รวมตัวเอง)", going(4)),
    ("ไป ๔ คนค่ะ รวมหนูแล้ว", going(4)),
    ("มา 3 คน นับผมด้วย", going(3)),
    ("ขอโทษครับ ไปไม่ได้ ติดธุระ", Answer(NOT_GOING)),
    ("ขออภัยค่ะ ไม่สะดวก", Answer(NOT_GOING)),
    ("คราวนี้ไม่สะดวกค่ะ", Answer(NOT_GOING)),
    ("ครั้งนี้ไปไม่ได้จริงๆ ครับ", Answer(NOT_GOING)),
    ("ไม่ว่างครับ", Answer(NOT_GOING)),
    ("ไม่ว่างเลยค่ะ", Answer(NOT_GOING)),
    ("ติดงานศพ ไปไม่ได้นะคะ", Answer(NOT_GOING)),
    ("ติดธุระครับ", Answer(NOT_GOING)),
    ("งดค่ะ", Answer(NOT_GOING)),
    ("ขอลาครับ", Answer(NOT_GOING)),
    ("คงไปไม่ได้ครับ", Answer(NOT_GOING)),
    ("ไม่ไปครับ ลูกไม่สบาย", Answer(NOT_GOING)),
    ("ไม่ไปครับ เพราะต้องไปทำนา", Answer(NOT_GOING)),
    ("ไปไม่ได้ค่ะ ขอโทษด้วยนะคะ", Answer(NOT_GOING)),
    ("ไม่ไปจ้า ติดงานบวชหลาน", Answer(NOT_GOING)),
    ("ไม่ว่าง #12", Answer(NOT_GOING, None, 12)),
    # -- summary
    ("สรุป", Summary()),
    ("สรุป #12", Summary(12)),
    ("สรุป 12", Summary(12)),
    ("ยอด", Summary(explicit=False)),
    ("ขอดูยอดหน่อยครับ", Summary(explicit=False)),
    ("ใครไปบ้าง", Summary(explicit=False)),
    ("ใครไปบ้าง?", Summary(explicit=False)),
    ("ใครไปบ้าง #๑๒", Summary(12, explicit=False)),
    ("/summary", Summary()),
    ("สรุปยอด", Summary()),
    ("มีใครไปบ้าง", Summary(explicit=False)),
    ("ใครจะไปบ้าง", Summary(explicit=False)),
    ("ใครไปบ้างครับ", Summary(explicit=False)),
    ("ใครตอบแล้วบ้าง", Summary(explicit=False)),
    ("/summary #12", Summary(12)),
    # -- cancel
    ("ยกเลิกนัด #12", Cancel(12)),
    ("ยกเลิก #12", Cancel(12)),
    ("ยกเลิกนัด", Cancel(None)),
    ("ยกเลิกการประชุม #12", Cancel(12)),
    ("/cancel #12", Cancel(12)),
    ("/cancel 12", Cancel(12)),
    ("/cancel", Cancel(None)),
    # -- move
    ("เลื่อนนัด #12 16 ส.ค. 10:00", Move(12, "16 ส.ค. 10:00")),
    ("เลื่อนนัด #๑๒ ๑๖ ส.ค. ๑๐ โมง ครับ", Move(12, "๑๖ ส.ค. ๑๐ โมง")),
    ("เลื่อน #12 พรุ่งนี้ 9 โมง", Move(12, "พรุ่งนี้ 9 โมง")),
    ("เลื่อนนัด 18 ส.ค. 9 โมง #12", Move(12, "18 ส.ค. 9 โมง")),
    ("เลื่อนนัดไปวันเสาร์ 9 โมง", Move(None, "ไปวันเสาร์ 9 โมง")),
    ("เลื่อนนัด", Move(None, "")),
    ("/move #12 16 Aug 10am", Move(12, "16 Aug 10am")),
    # -- language
    ("ภาษาอังกฤษ", Language("en")),
    ("English", Language("en")),
    ("english please", Language("en")),
    ("/lang en", Language("en")),
    ("ภาษาไทย", Language("th")),
    ("ไทย", Language("th")),
    ("/lang th", Language("th")),
    ("เปลี่ยนเป็นภาษาไทยครับ", Language("th")),
    # -- appointing people (the mentioned ids come from the LINE event)
    ("ตั้งผู้นำ @สมชาย", Appoint("leader", None, "@สมชาย")),
    ("ตั้งผู้นำ @สมชาย ใจดี ครับ", Appoint("leader", None, "@สมชาย ใจดี")),
    ("แต่งตั้งผู้นำกลุ่ม @สมชาย", Appoint("leader", None, "@สมชาย")),
    ("ตั้งคุณอำนวย @สมศรี", Appoint("facilitator", None, "@สมศรี")),
    ("ตั้งคุณอำนวย @สมศรี ผู้บันทึก", Appoint("facilitator", "recorder", "@สมศรี")),
    ("ตั้งคุณอำนวย @สมศรี คนบันทึก", Appoint("facilitator", "recorder", "@สมศรี")),
    ("ตั้งคุณอำนวย @สมศรี นำกระบวนการ", Appoint("facilitator", "process", "@สมศรี")),
    ("ตั้งคุณอำนวย ประสานงาน @มานี", Appoint("facilitator", "coordinator", "@มานี")),
    ("ตั้งผู้ประสานงาน @ปรีชา", Appoint("coordinator", None, "@ปรีชา")),
    ("ตั้งผู้นำ", Appoint("leader", None, "")),
    ("/leader @Somchai", Appoint("leader", None, "@Somchai")),
    ("/facilitator @Somsri recorder", Appoint("facilitator", "recorder", "@Somsri")),
    ("/facilitator @Somsri process", Appoint("facilitator", "process", "@Somsri")),
    ("/facilitator @Somsri coordinator", Appoint("facilitator", "coordinator", "@Somsri")),
    ("/coordinator-add @Preecha", Appoint("coordinator", None, "@Preecha")),
    # -- reminders
    ("เตือน #12 3 วัน 1 วัน 2 ชม.", Remind(12, (3 * D, D, 2 * H), False)),
    ("เตือน #12 1 วัน 2 ชั่วโมง 30 นาที", Remind(12, (D, 2 * H, 30 * M), False)),
    ("เตือน #12 1 สัปดาห์, 1 วัน และ 2 ชม", Remind(12, (7 * D, D, 2 * H), False)),
    ("เตือน #๑๒ ๒ ชม.", Remind(12, (2 * H,), False)),
    ("/remind #12 3d 1d 2h 30m", Remind(12, (3 * D, D, 2 * H, 30 * M), False)),
    ("/remind #12 2h 1d 1d", Remind(12, (D, 2 * H), False)),  # largest first, no duplicates
    ("เตือน #12 ปิด", Remind(12, None, True)),
    ("/remind #12 off", Remind(12, None, True)),
    ("เตือน #12", Remind(12, None, False)),
    ("เตือน", Remind(None, None, False)),
    # -- announcements: the text exactly as typed
    ("ประกาศ พรุ่งนี้ประชุม 9 โมง\nที่วัดบางหลวง ขอบคุณครับ 🙏",
     Announce("พรุ่งนี้ประชุม 9 โมง\nที่วัดบางหลวง ขอบคุณครับ 🙏")),
    ("ประกาศ: งดประชุมวันที่ ๑๗ ค่ะ", Announce("งดประชุมวันที่ ๑๗ ค่ะ")),
    ("/announce Meeting moved to 9:00.", Announce("Meeting moved to 9:00.")),
    # -- notes: a leading #12 picks the meeting; tags stay
    ("บันทึก ปัจจัยความสำเร็จ 3 ข้อ: กรรมการ สมาชิก การบริหาร",
     Note("ปัจจัยความสำเร็จ 3 ข้อ: กรรมการ สมาชิก การบริหาร")),
    ("บันทึก #12 #มติ นัดครั้งต่อไป 15 ส.ค. วัดบางหลวง", Note("#มติ นัดครั้งต่อไป 15 ส.ค. วัดบางหลวง", 12)),
    ("บันทึก #ปัญหา หนี้ค้างชำระ", Note("#ปัญหา หนี้ค้างชำระ")),
    ("บันทึก#๑๒ กรรมการต้องซื่อสัตย์", Note("กรรมการต้องซื่อสัตย์", 12)),
    ("บันทึก: การบริหารต้องโปร่งใส #งาน", Note("การบริหารต้องโปร่งใส #งาน")),
    ("/note #12 loans not repaid #ปัญหา", Note("loans not repaid #ปัญหา", 12)),
    ("บันทึก", Note("")),
    ("บันทึกการประชุม: ได้มติเชิญผู้นำชุมชน", Note("ได้มติเชิญผู้นำชุมชน")),
    # -- minutes
    ("บันทึกการประชุม #12", Minutes(12)),
    ("บันทึกการประชุม", Minutes(None)),
    ("รายงานการประชุม #12", Minutes(12)),
    ("ขอรายงานการประชุม #12 ครับ", Minutes(12)),
    ("/minutes #12", Minutes(12)),
    # -- check-in
    ("มาแล้ว", CheckInSelf()),
    ("มาแล้วครับ", CheckInSelf()),
    ("ถึงแล้ว", CheckInSelf()),
    ("ถึงแล้วค่ะ 🙏", CheckInSelf()),
    ("มาแล้ว #12", CheckInSelf(12)),
    ("/here", CheckInSelf()),
    ("/here #12", CheckInSelf(12)),
    ("/checkin", CheckInSelf()),
    ("เช็คชื่อ ยายศรี กองทุนหมู่ 3", CheckInOther("ยายศรี", "กองทุนหมู่ 3")),
    ("เช็คชื่อ นายสมศักดิ์ ใจดี กองทุนหมู่ 3", CheckInOther("นายสมศักดิ์ ใจดี", "กองทุนหมู่ 3")),
    ("เช็คชื่อ ลุงเปลี่ยน กลุ่ม ออมทรัพย์หมู่ 2", CheckInOther("ลุงเปลี่ยน", "ออมทรัพย์หมู่ 2")),
    ("เช็คชื่อ นาย สมศักดิ์ ท่าไร่", CheckInOther("นาย สมศักดิ์", "ท่าไร่")),
    ("เช็คชื่อ สมศรี ท่าไร่", CheckInOther("สมศรี", "ท่าไร่")),
    ("เช็คชื่อ ป้าแดง", CheckInOther("ป้าแดง", "")),
    ("เช็กชื่อ ยายศรี หมู่ ๓ #๑๒", CheckInOther("ยายศรี", "หมู่ 3", 12)),
    ("/checkin Somsri Tha Rai savings", CheckInOther("Somsri", "Tha Rai savings")),
    # -- forget me
    ("ลบข้อมูลของฉัน", ForgetMe()),
    ("ลบข้อมูลของผมด้วยครับ", ForgetMe()),
    ("/forget-me", ForgetMe()),
    # -- the real name for the papers
    ("ชื่อจริง สมชาย ใจดี", RealName("สมชาย ใจดี")),
    ("ชื่อจริง: นายสมชาย  ใจดี ครับ", RealName("นายสมชาย ใจดี")),
    ("ชื่อจริงคือ สมศรี มีสุข ค่ะ", RealName("สมศรี มีสุข")),
    ("ชื่อจริง คือ สมศรี มีสุข", RealName("สมศรี มีสุข")),
    ("ชื่อ จริง สมศรี มีสุข", RealName("สมศรี มีสุข")),
    ("ชื่อจริงนามสกุล สมศรี มีสุข", RealName("สมศรี มีสุข")),
    ("ชื่อจริง-นามสกุล สมศรี มีสุข", RealName("สมศรี มีสุข")),
    ("ชื่อ-นามสกุลจริง สมศรี มีสุข", RealName("สมศรี มีสุข")),
    ("เปลี่ยนชื่อจริง นางสมศรี มีสุข", RealName("นางสมศรี มีสุข")),
    ("แก้ชื่อจริง นางสมศรี มีสุข", RealName("นางสมศรี มีสุข")),
    ("ตั้งชื่อจริง ยายแดง ดีงาม", RealName("ยายแดง ดีงาม")),
    ("ชื่อจริง", RealName("")),
    ("ชื่อจริงครับ", RealName("")),
    ("/realname Somchai Jaidee", RealName("Somchai Jaidee")),
    ("/RealName Somchai Jaidee", RealName("Somchai Jaidee")),
    ("/real-name Somchai", RealName("Somchai")),
    ("/fullname Somchai Jaidee", RealName("Somchai Jaidee")),
    ("/realname", RealName("")),
    ("ชื่อจริง @ลุงชม ชม ใจดี", RealName("ชม ใจดี", for_mentioned=True)),
    ("/realname @Chom Chom Jaidee", RealName("Chom Jaidee", for_mentioned=True)),
    ("@meetbot ชื่อจริง สมชาย ใจดี", RealName("สมชาย ใจดี")),
    # -- a meeting's settings (issue 11: read by the parser, no longer in the handler)
    ("เตือนส่วนตัว #12 ปิด", MeetingSetting("nudges", False, 12)),
    ("เตือนส่วนตัว #12 เปิด", MeetingSetting("nudges", True, 12)),
    ("เตือนส่วนตัว #๑๒ ปิดครับ", MeetingSetting("nudges", False, 12)),
    ("เตือนส่วนตัว ปิด #12", MeetingSetting("nudges", False, 12)),
    ("เตือน ส่วนตัว #12 ปิด", MeetingSetting("nudges", False, 12)),
    ("/nudges #12 off", MeetingSetting("nudges", False, 12)),
    ("/nudges #12 ON", MeetingSetting("nudges", True, 12)),
    ("/NUDGES 12 off", Invalid("invalid_setting_nudges")),
    ("ผู้นำบันทึก #12 เปิด", MeetingSetting("leader_notes", True, 12)),
    ("อนุญาตผู้นำบันทึก #12 เปิด", MeetingSetting("leader_notes", True, 12)),
    ("อนุญาตให้ผู้นำบันทึก #12 ปิด ค่ะ", MeetingSetting("leader_notes", False, 12)),
    ("/leader-notes #12 on", MeetingSetting("leader_notes", True, 12)),
    ("/leader_notes #3 off", MeetingSetting("leader_notes", False, 3)),
    ("@meetbot เตือนส่วนตัว #12 ปิด", MeetingSetting("nudges", False, 12)),
    # -- the agenda, as typed after the code
    ("วาระ #12 1. เรื่องแจ้งเพื่อทราบ\n2. ปัญหาหนี้ค้างชำระ", Agenda(12, "1. เรื่องแจ้งเพื่อทราบ\n2. ปัญหาหนี้ค้างชำระ")),
    ("วาระ #12 งบประมาณ ๒๕๖๙", Agenda(12, "งบประมาณ ๒๕๖๙")),
    ("ระเบียบวาระ #3 เรื่องสืบเนื่อง", Agenda(3, "เรื่องสืบเนื่อง")),
    ("วาระการประชุม #3: เรื่องสืบเนื่อง", Agenda(3, "เรื่องสืบเนื่อง")),
    ("วาระ#12 งบประมาณ", Agenda(12, "งบประมาณ")),
    ("/agenda #12 Budget; debts", Agenda(12, "Budget; debts")),
    ("วาระ #12 ใครจะรายงานอะไร?", Agenda(12, "ใครจะรายงานอะไร?")),  # with a code, a question is an item
    # -- correcting one's latest note
    ("แก้บันทึก สมาชิกมา 38 คน", EditNote("สมาชิกมา 38 คน")),
    ("แก้บันทึก: มติ ให้กู้ได้ #มติ", EditNote("มติ ให้กู้ได้ #มติ")),
    ("แก้ไขบันทึก ผู้เข้าร่วม ๓๗ คน", EditNote("ผู้เข้าร่วม ๓๗ คน")),
    ("แก้บันทึกเป็น ผู้เข้าร่วม 37 คน", EditNote("ผู้เข้าร่วม 37 คน")),
    ("/edit-note 38 members came", EditNote("38 members came")),
    ("ลบบันทึก", DeleteNote()),
    ("ลบบันทึกครับ", DeleteNote()),
    ("ลบบันทึกล่าสุดด้วย", DeleteNote()),
    ("ลบบันทึกเมื่อกี้ให้หน่อยค่ะ", DeleteNote()),
    ("/delete-note", DeleteNote()),
    ("/deletenote", DeleteNote()),
    # -- a leading mention of the bot
    ("@meetbot ไป 4", going(4)),
    ("@meetbot สรุป #12", Summary(12)),
    ("@Meet Bot ไป 4 คน", going(4)),
    ("@meetbot\nนัด 15 ส.ค. 9 โมง", CreateMeeting("15 ส.ค. 9 โมง")),
]

# Ordinary group-chat talk: the bot stays silent.
CHATTER = [
    # issue 9: still talk, as are bare numbers (read only right after "ไปกี่คนครับ?") and hedged
    # answers (asked about with buttons in a chat with an open meeting, handlers/answers.py)
    "ไปกินข้าวกัน",
    "9 โมงเจอกัน",
    "9",
    "๙",
    "เก้าคน",
    "ไปมั้ง",
    "น่าจะไปครับ แต่ยังไม่แน่",
    "ติดงานศพ",
    "ขอโทษครับ",
    "งดเหล้า",
    "ไม่ว่างจะตอบ?",
    "ขอไปดูก่อน",
    "+1",
    "โอเค",
    # -- real names talked about, not set
    "ชื่อจริงๆ ของเขาคือใคร",
    "ชื่อจริงของผมยาวมาก",
    "ชื่อจริง ไม่ใช่ชื่อเล่นนะ",
    "ชื่อจริงอะไรนะ?",
    "ชื่อจริง ของเขาคืออะไร",
    "ชื่อจริงคือ?",
    "ใช้ชื่อจริงนะครับ",
    "ไปกินข้าวกันไหม",
    "พรุ่งนี้ไปตลาด",
    "ไม่ไปไหนหรอก 555",
    "ใครไปตลาดบ้าง",
    "ไปไหนมา",
    "มาแล้วจ้า ถึงวัดแล้ว",  # a sentence: the card's check-in button is the reliable way
    "นัดกันกี่โมง",
    "สรุปว่ายังไง",
    "เชิญครับ",  # "please, go ahead"
    "เชิญ",
    "บันทึกไว้ก่อนนะ",
    "ไป?",  # a question to the others
    "ไปไหม",
    "ไปด้วยกันไหม",
    "ไปเลย",
    "ไปสิ",
    "ไปกัน",  # "let's go"
    "มาเร็ว",
    "มาแล้ว?",
    "ยอดเยี่ยม",
    "ยอดมาก",
    "ยกเลิก",
    "ยกเลิกนัดแล้วเหรอ",
    "เลื่อนนัดไปก่อน",
    "เลื่อนอีกแล้ว",
    "ประกาศแล้วหรือยัง",
    "ผูกกลุ่มแล้ว",
    "ผูกกลุ่มยังไง",
    "ยกเลิกผูกกลุ่มยังไง",
    "เลิกผูกกลุ่มแล้ว",
    "ผู้ประสานงาน",
    "ผู้ประสานงาน คนใหม่",
    "ตั้งผู้นำใหม่แล้วเหรอ",
    "เตือนด้วยนะ",
    "เตือนความจำ",
    "เชิญ ทุกท่านร่วมงานบุญ",
    "เชิญทุกคนมาประชุมนะ",
    "นัดวันไหนนะ",
    "นัด 15 ส.ค. ไหม",
    "นัดที่วัดนะ",
    "นัดแล้ว",
    "กองทุนหมู่ 3",
    "กองทุนหมู่ 3 เขาบอกว่า ไม่ไป",  # reported speech
    "ไปแล้ว",
    "ไปด้วยคน",
    "เช็คชื่อยังไง",
    "ไม่ไป 2 คน",  # "2 of us are not coming" is not a group's answer
    "ไป 1 ทุ่ม",
    "ไป 9 โมง",
    "ไป 15 ส.ค.",
    "ไปมีอะไร",
    "ไปๆ",
    "ไป #ทะเล",
    "👍",
    "555",
    "ครับ",
    "สวัสดีครับ",
    "ขอบคุณครับ 🙏",
    "no problem",
    "yes we can",
    "ok",
    "@สมชาย ไปไหนมา",
    "@meetbot",
    "/unknown command",
    "https://maps.app.goo.gl/abc",
    "",
    "   ",
    "\n\n",
    # issue 11: the Thai keywords of the settings, the agenda and corrections are also words
    "เตือนส่วนตัว",
    "เตือนส่วนตัวด้วยนะ",
    "ผู้นำบันทึก ไว้แล้ว",
    "ผู้นำบันทึกไว้แล้ว",
    "ผู้นำบันทึก #12 หรือยัง",
    "เตือนส่วนตัว #12 ปิดไหม",
    "วาระ",
    "วาระการประชุมมีอะไรบ้าง",
    "วาระ ประชุมวันนี้",
    "วาระแห่งชาติ",
    "แก้บันทึก",
    "แก้บันทึกยังไง",
    "แก้บันทึกให้หน่อยได้ไหม",
    "ลบบันทึก?",
    "ลบบันทึกยังไง",
    "ลบบันทึกทั้งหมดของเดือนที่แล้ว",
]

# Recognised commands with bad arguments: Invalid with a Thai and an English reason.
INVALID = [
    "ไป 0",
    "ไป 9999",
    "ไป 501 คน",
    "ไป 555 คน",
    "yes 0",
    "maybe 600",
    "ไป #12 #13",
    "/invite",
    "/invite Tha Rai four",
    "/invite Tha Rai 4.5",
    "/invite Bang Chak 0",
    "เชิญ ต.บางจาก 600",
    "เชิญ ต.บางจาก #abc",
    "ยกเลิกนัด #abc",
    "ยกเลิก #12 #13",
    "/cancel tomorrow",
    "/summary abc",
    "/minutes #x",
    "/move #abc 16 Aug",
    "เตือน #12 0 วัน",
    "เตือน #12 90 วัน",
    "เตือน #12 พรุ่งนี้",
    "/remind #12 banana",
    "/lang fr",
    "/lang",
    "/coordinator",
    "ประกาศ",
    "/announce",
    "เช็คชื่อ",
    "ไป 99999999999999999999",
    "สรุป #123456789012",
    # issue 11
    "/nudges",
    "/nudges #12",
    "/nudges on",
    "เตือนส่วนตัว #12",
    "เตือนส่วนตัว ปิด",
    "เตือนส่วนตัว #12 #13 ปิด",
    "ผู้นำบันทึก #12 อาจจะ",
    "/leader-notes #12 maybe",
    "เตือนส่วนตัว #99999999999999999999 ปิด",
    "วาระ #12",
    "วาระ #99999999999999999999 งบประมาณ",
    "/agenda",
    "/agenda budget",
    "/edit-note",
    "/editnote   ",
]


@pytest.mark.parametrize(("text", "expected"), COMMANDS, ids=[repr(t) for t, _ in COMMANDS])
def test_reads_the_command(text, expected):
    assert parse_command(text) == expected


@pytest.mark.parametrize("text", CHATTER, ids=[repr(t) for t in CHATTER])
def test_stays_silent_for_chatter(text):
    assert parse_command(text) is None


@pytest.mark.parametrize("text", INVALID, ids=[repr(t) for t in INVALID])
def test_bad_arguments_are_invalid_with_a_polite_reason(text):
    found = parse_command(text)
    assert isinstance(found, Invalid), found
    assert "ครับ" in t("th", found.reason)  # polite Thai, as the bot speaks
    assert t("en", found.reason) and t("en", found.reason).isascii()


def test_headcount_reason_is_the_one_the_bot_shows():
    assert parse_command("ไป 0") == Invalid("bad_headcount")
    assert t("th", "bad_headcount") == "จำนวนคนต้องเป็น 1 ถึง 500 ครับ"
    assert t("en", "bad_headcount") == "The number of people must be 1 to 500."


def test_every_reason_the_parser_gives_is_in_the_catalogue_in_both_languages():
    # The reasons live in handlers/texts.py (one catalogue); the parser names them by key.
    package = pathlib.Path(handlers.commands.__file__).parent
    keys = set(re.findall(r'Invalid\(f?"([a-z_{}]+)"\)', "".join(p.read_text() for p in package.glob("*.py"))))
    keys = {k.replace("{which}", which) for k in keys for which in ("nudges", "leader_notes")}
    assert len(keys) >= 14
    for key in keys:
        assert key in TEXTS, key
        thai, english = TEXTS[key]
        assert "ครับ" in thai and english.isascii(), key


# -- properties over the cases above


def _structured(cmd) -> bool:
    """Commands whose fields are parsed values, not text kept as typed."""
    return not isinstance(cmd, (Announce, Note, Invalid, Appoint, Move, Agenda, EditNote)) and not (
        isinstance(cmd, CreateMeeting) and cmd.text
    )


@pytest.mark.parametrize("tail", [" ครับ", "ค่ะ", " นะคะ", " 🙏", "!!", " 😊👍", "  "])
def test_a_polite_tail_changes_nothing(tail):
    for text, expected in COMMANDS:
        if _structured(expected) and "\n" not in text and text not in ("?", "？"):
            assert parse_command(text + tail) == expected, text + tail


def test_thai_digits_read_as_ascii_digits():
    thai = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
    for text, expected in COMMANDS:
        if _structured(expected):
            assert parse_command(text.translate(thai)) == expected, text.translate(thai)


def test_a_leading_mention_is_skipped_only_before_a_command():
    for text, expected in COMMANDS[:150]:
        if not text.startswith(("@", "?", "？")):
            assert parse_command("@meetbot " + text) == expected, text
    for text in CHATTER:
        if text.strip():
            assert parse_command("@meetbot " + text) is None, text


def test_every_help_keyword_and_its_alias_parse_to_the_same_kind_of_command():
    arguments = {"/link": "", "/coordinator": " ABC1", "/invite": " ต.บางจาก 10", "/leader": " @x",
                 "/facilitator": " @x", "/coordinator-add": " @x", "/announce": " ประชุม 9 โมง",
                 "/note": " #มติ", "/checkin": " ยายศรี กองทุนหมู่ 3", "/meet": " 15 ส.ค. 9 โมง",
                 "/nudges": " #12 ปิด", "/leader-notes": " #12 on", "/agenda": " #12 งบประมาณ",
                 "/edit-note": " สมาชิกมา 38 คน"}
    for thai, english in COMMAND_WORDS.items():
        args = arguments.get(english, "")
        th, en = parse_command(thai + args), parse_command(english + args)
        assert th is not None and not isinstance(th, Invalid), thai
        assert type(th) is type(en), (thai, english)
        assert th == en or english in ("/meet", "/invite", "/checkin", "/coordinator"), (thai, th, en)


def test_a_real_name_leaves_out_the_mention_line_marked():
    # LINE marks the mention by (index, length) in UTF-16 units: a display name may have spaces
    # and emoji, so the mention is not "the first word".
    text = "ชื่อจริง @ลุง ชม 🌾 ชม ใจดี"
    assert parse_command(text, mentions=[(9, 10)]) == RealName("ชม ใจดี", for_mentioned=True)
    assert parse_command("ชื่อจริง ชม ใจดี @ลุง ชม", mentions=[(17, 7)]) == RealName("ชม ใจดี", for_mentioned=True)
    # After a mention of the bot, the marks still point at the right characters.
    bot = "@meetbot ชื่อจริง @ลุง ชม 🌾 นายชม ใจดี"
    assert parse_command(bot, mentions=[(18, 10)]) == RealName("นายชม ใจดี", for_mentioned=True)
    # Marks that do not fit the text are ignored; other commands do not care about them.
    assert parse_command("ชื่อจริง สมชาย ใจดี", mentions=[(90, 4), ("x", None)]) == RealName("สมชาย ใจดี")
    assert parse_command("ไป 4", mentions=[(0, 2)]) == going(4)


def test_commands_are_frozen():
    cmd = parse_command("ไป 4 #12")
    with pytest.raises(dataclasses.FrozenInstanceError):
        cmd.headcount = 5  # type: ignore[misc]


def test_normalise():
    assert normalise("  ไป\u3000๔\u00a0\u00a0คน ครับผม 🙏🙏 ") == "ไป 4 คน"
    assert normalise("ไม่เเน่ใจค่าาา!!") == "ไม่แน่ใจ"
    assert normalise("ไป 555+") == "ไป"
    assert normalise("#555") == "#555"  # a meeting code is not laughter
    assert normalise("Yes Please") == "Yes"


# -- robustness

_ALPHABET = (
    list("กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอฮะาิีึืุูเแโใไ่้๊๋็ัำ์ๆ")
    + list("๐๑๒๓๔๕๖๗๘๙0123456789abcxyzABC")
    + list(" \t\n\u3000\u00a0\u200b#@/:.,!?()-+$'\"")
    + ["👍", "🙏", "😊", "\ufe0f", "\u200d"]
    + ["ไป", "มา", "ไม่", "คน", "ครับ", "ค่ะ", "นะ", "นัด", "เชิญ", "สรุป", "บันทึก", "เตือน", "#12", "555",
       "ยกเลิก", "เลื่อน", "ประกาศ", "ตั้ง", "ผู้นำ", "คุณอำนวย", "เช็คชื่อ", "มาแล้ว", "หมู่", "กลุ่ม", "วัน",
       "ชม.", "/invite", "/remind", "/note", "/move", "yes", "no", "maybe", "@meetbot ", "วาระ", "แก้บันทึก",
       "ลบบันทึก", "เตือนส่วนตัว", "ผู้นำบันทึก", "/nudges", "/agenda", "ปิด", "on"]
)
_KINDS = (Help, Link, Unlink, ClaimCoordinator, CreateMeeting, ListMeetings, Invite, Answer, Summary, Cancel, Move,
          Language, Appoint, Remind, Announce, Note, Minutes, CheckInSelf, CheckInOther, ForgetMe, RealName,
          MeetingSetting, Agenda, EditNote, DeleteNote, Invalid)


def test_no_input_crashes():
    rng = random.Random(20260815)
    for _ in range(4000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 30)))
        found = parse_command(text)
        assert found is None or isinstance(found, _KINDS), (text, found)
        if isinstance(found, Answer):
            assert found.response in (GOING, NOT_GOING, MAYBE)
            assert found.headcount is None or 1 <= found.headcount <= 500
        if isinstance(found, Invite):
            assert found.target and (found.quota is None or 1 <= found.quota <= 500)


@pytest.mark.parametrize("text", [None, 12, b"\xe0\xb9\x84\xe0\xb8\x9b"])
def test_not_a_string_is_not_a_command(text):
    assert parse_command(text) is None  # type: ignore[arg-type]


LONG_LINES = {
    "words": "ไป " * 1700,
    "particles": "ไป" + "ครับ" * 1250,
    "laughter": "555+ " * 1000,
    "codes": "ไป " + "#12 " * 1200,
    "digits": "ไป " + "1" * 5000,
    "invite": "เชิญ ต.บางจาก " + "1 คน " * 1000,
    "names": "ไป 3 คน: " + "สมศรี, " * 700,
    "remind": "เตือน #12 " + "1 วัน " * 800,
    "mentions": "@a " * 1600 + "ไป",
    "emoji": "ไป" + "👍" * 2500,
    "stretched": "ไป" + "ป" * 5000,
    "note": "บันทึก " + "#มติ " * 1000,
    "check-in": "เช็คชื่อ " + "นาย " * 1200,
    "agenda": "วาระ #12 " + "งบประมาณ " * 1000,
    "setting": "เตือนส่วนตัว " + "#12 " * 1200 + "ปิด",
    "edit-note": "แก้บันทึก " + "#มติ " * 1000,
    "random": "".join(random.Random(7).choice(_ALPHABET) for _ in range(5000)),
}


@pytest.mark.parametrize("kind", LONG_LINES)
def test_a_long_line_is_read_without_error(kind):
    """Pathological lines give a command or nothing, never an error; how fast is measured in
    benchmarks/rendering.py against a baseline (a wall clock in a unit test only measures the machine)."""
    result = parse_command(LONG_LINES[kind])
    assert result is None or isinstance(result, _KINDS)


# -- answers only in context (issue 9): the handlers decide whether the context is there

HEADCOUNTS = [
    ("9", 9), ("9 คน", 9), ("๙", 9), ("เก้าคน", 9), ("เก้า", 9), ("9 คนครับ", 9), ("สิบสอง", 12),
    ("ยี่สิบ คนค่ะ", 20), ("หนึ่ง", 1), ("๑๒ ท่าน", 12), ("4 คน รวมผม", 4), ("ทั้งหมด 6 คน", 6), ("0", 0),
]
NOT_HEADCOUNTS = ["9 โมงเจอกัน", "ไป 9", "9?", "555", "#9", "ห้องเก้า", "9.30", "ไปกินข้าวกัน", "", "คน"]


@pytest.mark.parametrize(("text", "n"), HEADCOUNTS, ids=[repr(t) for t, _ in HEADCOUNTS])
def test_a_number_given_alone_reads_as_a_headcount(text, n):
    assert read_headcount(text) == n


@pytest.mark.parametrize("text", NOT_HEADCOUNTS, ids=[repr(t) for t in NOT_HEADCOUNTS])
def test_anything_more_than_a_number_is_not_a_headcount(text):
    assert read_headcount(text) is None


UNCLEAR = [
    ("น่าจะไปครับ แต่ยังไม่แน่", None), ("ไปมั้ง", None), ("ไปมั้งครับ", None), ("คงไปค่ะ", None),
    ("ถ้าว่างจะไปครับ", None), ("ไปครับ แต่ยังไม่แน่ใจ", None), ("คิดว่าจะไปนะ", None), ("น่าจะไปได้", None),
    ("น่าจะไป 3 คน", 3), ("น่าจะไป ๕ คน แต่ยังไม่ชัวร์", 5), ("ติดงานศพค่ะ", None), ("ไม่สบายครับ", None),
]
NOT_UNCLEAR = ["ไป", "ไม่ไป", "อาจจะไป", "ไปกินข้าวกัน", "ไปกินข้าวมั้ง", "ไปไหนมา", "ไปไหม", "น่าจะไปไหม",
               "9 โมงเจอกัน", "ไปเลย", "มาแล้ว", "ขอโทษครับ", "งานศพพรุ่งนี้กี่โมง"]


@pytest.mark.parametrize(("text", "n"), UNCLEAR, ids=[repr(t) for t, _ in UNCLEAR])
def test_a_hedged_answer_reads_as_unclear(text, n):
    assert read_unclear_answer(text) == UnclearAnswer(n)


@pytest.mark.parametrize("text", NOT_UNCLEAR, ids=[repr(t) for t in NOT_UNCLEAR])
def test_a_clear_answer_or_talk_is_not_unclear(text):
    assert read_unclear_answer(text) is None


@pytest.mark.parametrize("text", ["👍", "👍🏽", "👍👍", "👌", "+1", "ok", "OK ครับ", "okay", "โอเค", "โอเคค่ะ", "ตกลง"])
def test_a_thumb_or_ok_is_agreement(text):
    assert is_agreement(text)


@pytest.mark.parametrize("text", ["🙏", "555", "ไปไหนมา", "ok ไปกินข้าว", "", "  ", "😊", "+2"])
def test_other_reactions_are_not_agreement(text):
    assert not is_agreement(text)
