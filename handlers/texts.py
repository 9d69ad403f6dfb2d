"""Everything the bot says in words, in Thai (the default) and English.

Polite Thai: the bot speaks as "ผม" and ends with ครับ, the way a helpful officer would. Texts are
short: many readers are older people on small phones.
"""

from __future__ import annotations

from datetime import datetime, timezone

from thai.when import MONTHS_EN, WEEKDAYS_EN, format_thai_date, format_thai_datetime, format_thai_time

TEXTS: dict[str, tuple[str, str]] = {
    # -- greetings and help ---------------------------------------------------------------------
    "welcome": (
        "สวัสดีครับ ผมคือ meetbot ผู้ช่วยนัดประชุมของเครือข่ายกลุ่มการเงินชุมชน",
        "Hello, I am meetbot, the meeting assistant of the community-finance network.",
    ),
    "join": (
        "สวัสดีครับ ผมคือ meetbot ผู้ช่วยนัดประชุมของกลุ่มการเงินชุมชน\n"
        "ตอบนัดได้ด้วยการแตะปุ่ม ไป / ไม่ไป / ไม่แน่ใจ บนการ์ดนัด หรือพิมพ์ \"ไป 4\"\n"
        "ห้องนี้เป็นของกลุ่มไหนครับ? แตะเลือกตำบลด้านล่าง หรือพิมพ์ ผูกกลุ่ม <ชื่อกลุ่ม>",
        "Hello, I am meetbot, the meeting assistant of the community-finance groups.\n"
        "Answer an invitation by tapping Going / Not going / Maybe on its card, or type \"yes 4\".\n"
        "Which group is this chat? Tap its sub-district below, or type /link <group name>.",
    ),
    "help_everyone": (
        "วิธีใช้ meetbot\n"
        "• ตอบนัด: แตะ ไป / ไม่ไป / ไม่แน่ใจ บนการ์ดนัด หรือพิมพ์ ไป, ไป 4 คน, ไม่ไป, ไม่แน่ใจ\n"
        "• หลายนัดพร้อมกัน: เติมเลขนัด เช่น ไป 4 #12\n"
        "• ดูนัดหมาย: พิมพ์ นัดหมาย\n"
        "• ดูยอด: พิมพ์ สรุป\n"
        "• เปลี่ยนภาษา: พิมพ์ English",
        "How to use meetbot\n"
        "• Answer: tap Going / Not going / Maybe on a meeting card, or type yes, yes 4, no, maybe\n"
        "• Several meetings open: add the code, e.g. yes 4 #12\n"
        "• Upcoming meetings: /meetings\n"
        "• Where answers stand: /summary\n"
        "• ภาษาไทย: type ภาษาไทย",
    ),
    "help_leader": (
        "• ผู้นำกลุ่มตอบแทนทั้งกลุ่มได้: ไป 4 คน (แตะเลขจำนวนคนใต้การ์ดก็ได้)",
        "• As a group leader you answer for the whole group: yes 4 (or tap a number under the card)",
    ),
    "help_facilitator": (
        "• คุณอำนวย: บันทึก <ข้อความ> จดบันทึกการประชุม · มาแล้ว / เช็คชื่อ <ชื่อ> <กลุ่ม> เช็คชื่อผู้มา",
        "• Facilitators: /note <text> for minutes · /here, /checkin <name> <group> for attendance",
    ),
    "help_coordinator": (
        "• ผู้ประสานงาน:\n"
        "  นัด 15 ส.ค. 09:00 วัดบางหลวง เรื่อง ... (สร้างนัด)\n"
        "  เชิญ ต.บางจาก 10 หรือ เชิญ <ชื่อกลุ่ม> 4 (เชิญพร้อมโควตา)\n"
        "  เลื่อนนัด #12 <วันเวลา> · ยกเลิกนัด #12\n"
        "  เตือน #12 1 วัน 2 ชม. · ประกาศ <ข้อความ>\n"
        "  ผูกกลุ่ม <ชื่อ> · ตั้งผู้นำ @ชื่อ · ตั้งคุณอำนวย @ชื่อ",
        "• Coordinators:\n"
        "  /meet 15 Aug 09:00 Wat Bang Luang ... (create)\n"
        "  /invite Bang Chak 10 or /invite <group> 4 (invite with a quota)\n"
        "  /move #12 <when> · /cancel #12\n"
        "  /remind #12 1d 2h · /announce <text>\n"
        "  /link <name> · /leader @name · /facilitator @name",
    ),
    "language_set": ("ต่อไปนี้ผมจะตอบเป็นภาษาไทยครับ", "From now on I will answer in English."),
    # -- refusals -------------------------------------------------------------------------------
    "need_coordinator": (
        "ขออภัยครับ คำสั่งนี้สำหรับผู้ประสานงานเท่านั้น",
        "Sorry, only a coordinator can do this.",
    ),
    "need_phone": (
        "ขออภัยครับ ผมไม่เห็นชื่อผู้ส่งจาก LINE บนคอมพิวเตอร์ กรุณาตอบจากโทรศัพท์ หรือให้ผู้นำกลุ่มตอบแทนครับ",
        "Sorry, LINE on a computer does not tell me who you are. Please answer from your phone, "
        "or ask your group's leader to answer for you.",
    ),
    "leader_only_headcount": (
        "ขออภัยครับ การตอบแทนทั้งกลุ่ม ({n} คน) ทำได้เฉพาะผู้นำกลุ่ม\nถ้าคุณจะไปเอง แตะ \"ไป (ตัวฉัน)\" ด้านล่างครับ",
        "Sorry, only the group's leader can answer for {n} people.\n"
        "If you are coming yourself, tap \"Going (me)\" below.",
    ),
    "claim_in_direct_chat": (
        "เพื่อความปลอดภัย กรุณาส่งรหัสผู้ประสานงานในแชทส่วนตัวกับผมครับ (ไม่ใช่ในกลุ่ม)",
        "For safety, please send the coordinator code in a 1:1 chat with me, not in a group.",
    ),
    "claim_no_code": (
        "ยังไม่ได้ตั้งรหัสผู้ประสานงาน (MEETBOT_SETUP_CODE) ขอให้ผู้ดูแลระบบตั้งก่อนครับ",
        "No coordinator code is set (MEETBOT_SETUP_CODE); please ask whoever runs the bot.",
    ),
    "claim_taken": (
        "มีผู้ประสานงานแล้วครับ ขอให้ผู้ประสานงานแต่งตั้งเพิ่มด้วย ตั้งผู้ประสานงาน @ชื่อ",
        "There is a coordinator already; ask them to appoint you with /coordinator-add @name.",
    ),
    "claim_ok": (
        "เรียบร้อยครับ คุณเป็นผู้ประสานงานแล้ว พิมพ์ วิธีใช้ เพื่อดูคำสั่ง",
        "Done: you are a coordinator now. Type /help to see what you can do.",
    ),
    "link_not_allowed": (
        "ขออภัยครับ การผูกห้องกับกลุ่มทำได้โดยผู้ประสานงาน คุณอำนวย หรือผู้นำของกลุ่มนั้น",
        "Sorry, only a coordinator, a facilitator or the group's leader can link this chat.",
    ),
    "link_only_groups": (
        "การผูกกลุ่มใช้ในห้องกลุ่มไลน์ครับ เชิญผมเข้ากลุ่มแล้วพิมพ์ ผูกกลุ่ม <ชื่อ> ในนั้น",
        "Linking works in a LINE group chat: add me to the group and type /link <name> there.",
    ),
    "link_ok": ("ผูกห้องนี้กับ {group} แล้วครับ", "This chat is now linked to {group}."),
    "link_moved": ("(ก่อนหน้านี้ {group} ผูกกับห้องอื่น ย้ายมาห้องนี้แล้ว)",
                   "({group} was linked to another chat before; it is this one now.)"),
    "link_pick": ("ห้องนี้เป็นของกลุ่มไหนครับ? แตะชื่อกลุ่ม", "Which group is this chat? Tap its name."),
    "link_none": ("ไม่พบกลุ่มชื่อ \"{name}\" ครับ ลองพิมพ์ชื่อให้สั้นลง เช่น ผูกกลุ่ม หมู่ 3",
                  "No group is called \"{name}\". Try a shorter name, e.g. /link village 3"),
    "link_no_groups": ("ยังไม่มีกลุ่มในระบบครับ ผู้ประสานงานนำเข้าได้ด้วย meetbot import",
                       "There are no groups yet; a coordinator loads them with meetbot import."),
    # -- meetings -------------------------------------------------------------------------------
    "no_open_meeting": ("ตอนนี้ยังไม่มีนัดที่เปิดรับคำตอบในห้องนี้ครับ", "There is no open meeting for this chat."),
    "meeting_not_found": ("ไม่พบนัด #{code} ครับ", "There is no meeting #{code}."),
    "meeting_closed": ("นัด #{code} {status} รับคำตอบไม่ได้แล้วครับ", "Meeting #{code} is {status}; answers are closed."),
    "pick_meeting": ("ตอบนัดไหนครับ? แตะเลือก", "Which meeting? Tap one."),
    "pick_group": ("ตอบในนามกลุ่มไหนครับ? แตะเลือก", "For which group? Tap one."),
    "ask_when": (
        "นัดวันไหน เวลาเท่าไรครับ? แตะปุ่มเลือกวันเวลา หรือพิมพ์ เช่น 15 ส.ค. 09:00",
        "When is it? Tap to pick a date and time, or type e.g. 15 Aug 09:00",
    ),
    "ask_time": ("{date} เวลาเท่าไรครับ? แตะเลือก", "{date} at what time? Tap one."),
    "unclear_when": ("{reason} ช่วยเลือกหรือพิมพ์ใหม่ครับ", "I am not sure about the date or time ({reason}). "
                     "Please pick one or type it again."),
    "pick_when": ("เลือกวันเวลา", "Pick date & time"),
    "meeting_created": (
        "สร้างนัด {code} แล้วครับ: {when}\nถ้าวันเวลาผิด พิมพ์ เลื่อนนัด {code} <วันเวลา> หรือ ยกเลิกนัด {code}",
        "Meeting {code} is set: {when}\nIf that is wrong: /move {code} <when> or /cancel {code}",
    ),
    "meeting_created_unlinked": (
        "ห้องนี้ยังไม่ได้ผูกกับกลุ่ม ทุกคนในห้องตอบแทนตัวเองได้ ถ้าจะเชิญกลุ่มพร้อมโควตา พิมพ์ เชิญ <กลุ่ม|ตำบล> <จำนวน>",
        "This chat is not linked to a group: everyone here answers for themselves. "
        "To invite groups with a quota: /invite <group|sub-district> <quota>",
    ),
    "meeting_created_direct": (
        "ต่อไปเชิญกลุ่มด้วย เชิญ <กลุ่ม|ตำบล> <จำนวน> {code} เช่น เชิญ ต.บางจาก 10 {code}",
        "Next, invite groups: /invite <group|sub-district> <quota> {code}, e.g. /invite Bang Chak 10 {code}",
    ),
    "meeting_in_past": ("วันเวลา {when} ผ่านมาแล้วครับ ช่วยบอกวันเวลาใหม่", "{when} is in the past; please give a new time."),
    "invite_which_meeting": ("เชิญเข้านัดไหนครับ? เติมเลขนัด เช่น เชิญ ต.บางจาก 10 #12",
                             "Invite to which meeting? Add its code, e.g. /invite Bang Chak 10 #12"),
    "invite_no_target": ("ไม่พบกลุ่มหรือตำบล \"{target}\" ครับ", "No group or sub-district called \"{target}\"."),
    "invite_pick": ("พบหลายกลุ่มชื่อคล้าย \"{target}\" แตะเลือกครับ", "Several groups match \"{target}\"; tap one."),
    "invited": (
        "เชิญ {count} กลุ่มเข้านัด {code} แล้วครับ{quota}\nส่งการ์ดนัดไป {chats} ห้อง{unlinked}",
        "Invited {count} groups to {code}{quota}.\nThe card goes to {chats} chats{unlinked}.",
    ),
    "invited_quota": (" โควตา {quota} คน/กลุ่ม", " with a quota of {quota} per group"),
    "invited_unlinked": (" ({n} กลุ่มยังไม่ได้ผูกห้องไลน์: {names})", " ({n} groups have no linked chat: {names})"),
    "invited_cost": ("\nค่าข้อความโดยประมาณ {cost} ข้อความจากโควตารายเดือน", "\nAbout {cost} messages of the monthly quota."),
    "cancelled": ("ยกเลิกนัด {code} แล้วครับ แจ้ง {chats} ห้องที่ได้รับเชิญ", "Meeting {code} is cancelled; {chats} invited chats are told."),
    "cancel_notice": ("❌ ยกเลิกนัด {code} {title} ({when}) ขออภัยในความไม่สะดวกครับ",
                      "❌ Meeting {code} {title} ({when}) is cancelled. Sorry for the trouble."),
    "moved": ("เลื่อนนัด {code} เป็น {when} แล้วครับ คำตอบเดิมยังอยู่ แจ้ง {chats} ห้องที่ได้รับเชิญ",
              "Meeting {code} moved to {when}; answers are kept and {chats} invited chats are told."),
    "move_notice": ("📅 เลื่อนนัด {code} จาก {old} เป็น {new} คำตอบเดิมยังใช้ได้ เปลี่ยนได้ที่ปุ่มด้านล่าง",
                    "📅 Meeting {code} moved from {old} to {new}. Your answers stand; change them below."),
    "move_which": ("เลื่อนนัดไหนครับ? เติมเลขนัด เช่น เลื่อนนัด #12 16 ส.ค. 09:00",
                   "Move which meeting? e.g. /move #12 16 Aug 09:00"),
    "cancel_which": ("ยกเลิกนัดไหนครับ? เติมเลขนัด เช่น ยกเลิกนัด #12", "Cancel which meeting? e.g. /cancel #12"),
    "already_cancelled": ("นัด {code} ยกเลิกไปแล้วครับ", "Meeting {code} is already cancelled."),
    "no_meetings": ("ยังไม่มีนัดหมายครับ", "There are no upcoming meetings."),
    # -- dates: past years, repeating meetings, confirming a cancellation (issue 9) ---------------
    "recurring_unsupported": (
        "ขออภัยครับ ผมยังนัดประชุมแบบประจำ ({phrase}) ไม่ได้ จึงยังไม่ได้เปลี่ยนแปลงอะไร\n"
        "ช่วยบอกทีละนัดพร้อมวันที่ครับ เช่น นัด 15 ส.ค. 09:00 วัดบางหลวง",
        "Sorry, I cannot make repeating meetings ({phrase}) yet, so nothing has changed.\n"
        "Please give one meeting at a time with its date, e.g. /meet 15 Aug 09:00 Wat Bang Luang",
    ),
    "cancel_confirm": (
        "ยกเลิกนัด {code} {title}\n{when}\nใช่ไหมครับ? ผมจะแจ้ง {chats} ห้องที่ได้รับเชิญ",
        "Cancel meeting {code} {title}\n{when}?\nI will tell {chats} invited chats.",
    ),
    "cancel_yes": ("ยืนยันยกเลิก {code}", "Yes, cancel {code}"),
    "cancel_no": ("ไม่ยกเลิก", "Keep it"),
    "cancel_kept": ("ไม่ยกเลิกครับ นัด {code} ยังอยู่ตามเดิม", "Not cancelled: {code} stays as it is."),
    "cancel_changed": ("นัด {code} เปลี่ยนวันเวลาไปแล้ว ช่วยดูอีกครั้งครับ", "Meeting {code} has been moved since; please check again."),
    # -- answers --------------------------------------------------------------------------------
    "answer_saved": ("รับทราบครับ{who}: {what}", "Noted{who}: {what}"),
    "answer_changed": ("เปลี่ยนคำตอบแล้วครับ{who}: {what} (เดิม {before})", "Changed{who}: {what} (was {before})"),
    "answer_same": ("บันทึกไว้แล้วครับ{who}: {what}", "Already noted{who}: {what}"),
    "over_quota": ("\n⚠️ เกินโควตา {coming}/{quota} คน ผู้ประสานงานจะเห็นในสรุปครับ",
                   "\n⚠️ Over the quota: {coming}/{quota}; the coordinator will see it in the summary."),
    "how_many": ("\nไปกี่คนครับ? แตะเลขด้านล่าง", "\nHow many are coming? Tap a number below."),
    "for_me": ("ไป (ตัวฉัน)", "Going (me)"),
    "bad_headcount": ("จำนวนคนต้องเป็น 1 ถึง 500 ครับ", "The number of people must be 1 to 500."),
    # -- roles ----------------------------------------------------------------------------------
    "appoint_need_mention": ("แท็กชื่อคนที่จะแต่งตั้งด้วยครับ เช่น ตั้งผู้นำ @สมชาย", "Mention the person, e.g. /leader @Somchai"),
    "appoint_need_group": ("ห้องนี้ยังไม่ได้ผูกกับกลุ่ม ผูกกลุ่มก่อนแล้วค่อยตั้งผู้นำครับ",
                           "This chat is not linked to a group; link it first, then appoint the leader."),
    "appointed": ("แต่งตั้ง {names} เป็น{role}แล้วครับ", "{names}: now {role}."),
    "ask_in_group_for_leader": ("ตั้งผู้นำกลุ่มทำในห้องไลน์ของกลุ่มนั้นครับ", "Appoint a leader in the group's own chat."),
    # -- reminders, nudges, quota -----------------------------------------------------------------
    "reminder_notice": ("🔔 เตือนนัด {code}: {when_rel}", "🔔 Reminder {code}: {when_rel}"),
    "tomorrow_at": ("พรุ่งนี้ {time}", "tomorrow at {time}"),
    "today_at": ("วันนี้ {time}", "today at {time}"),
    "on_day_at": ("{date} {time}", "{date} at {time}"),
    "nudge_unanswered": (
        "🔔 นัด {code} {title}\n{when} ที่ {venue}\nกลุ่มของคุณยังไม่ได้ตอบ แตะด้านล่างเพื่อตอบได้เลยครับ",
        "🔔 Meeting {code} {title}\n{when} at {venue}\nYour group has not answered yet: tap below to answer.",
    ),
    "nudge_maybe": (
        "🔔 นัด {code} {title}\n{when} ที่ {venue}\nคุณตอบไว้ว่าไม่แน่ใจ ตอนนี้ไปได้ไหมครับ?",
        "🔔 Meeting {code} {title}\n{when} at {venue}\nYou said maybe: can you come?",
    ),
    "held_reminders": (
        "⚠️ โควตาข้อความเดือนนี้ไม่พอ จึงพักการเตือนไว้ (ยังไม่ส่ง):\n{items}\nเหลือ {left} ข้อความ ต้องใช้ {cost}",
        "⚠️ Not enough monthly message quota, so these reminders are held (not sent):\n{items}\n"
        "{left} messages left, {cost} needed.",
    ),
    "dead_letters": (
        "⚠️ ส่งข้อความไม่สำเร็จ {n} รายการ:\n{items}",
        "⚠️ {n} messages could not be delivered:\n{items}",
    ),
    "remind_plan": ("การเตือนนัด {code}: {plan}{nudges}", "Reminders for {code}: {plan}{nudges}"),
    "remind_off": ("ปิดการเตือนนัด {code} แล้วครับ", "Reminders for {code} are off."),
    "remind_none": ("ไม่มีการเตือน", "none"),
    "remind_nudges_on": ("\nส่งข้อความส่วนตัวถึงผู้นำกลุ่มที่ยังไม่ตอบด้วย", "\nLeaders who have not answered also get a 1:1 message."),
    "remind_which": ("ตั้งการเตือนนัดไหนครับ? เช่น เตือน #12 1 วัน 2 ชม.", "Which meeting? e.g. /remind #12 1d 2h"),
    "remind_bad": ("การเตือนต้องอยู่ระหว่าง 1 นาทีถึง 60 วันก่อนนัดครับ", "A reminder must be 1 minute to 60 days before."),
    # -- announcements ----------------------------------------------------------------------------
    "announce_audience": ("ประกาศถึงใครครับ? แตะเลือก", "Who should get it? Tap one."),
    "announce_invitees": ("ผู้ได้รับเชิญ {code}", "Invitees of {code}"),
    "announce_facilitators": ("คุณอำนวยทั้งหมด", "All facilitators"),
    "announce_all_groups": ("ทุกกลุ่มที่ผูกห้อง", "All linked groups"),
    "announce_cost": (
        "ประกาศนี้จะส่งถึง {chats} ห้อง และ {people} คน\nใช้โควตาประมาณ {cost} ข้อความ · {left}\nยืนยันส่งไหมครับ?",
        "This goes to {chats} chats and {people} people.\nIt costs about {cost} messages · {left}\nSend it?",
    ),
    "quota_left": ("เหลือ {left} จาก {limit} ข้อความเดือนนี้", "{left} of {limit} left this month"),
    "quota_unlimited": ("แผนนี้ไม่จำกัดจำนวนข้อความ", "this plan has no monthly limit"),
    "quota_unknown": ("ยังไม่ทราบโควตาคงเหลือ (ระบบจะอ่านจาก LINE ภายในไม่กี่นาที)",
                      "the quota left is not known yet (read from LINE within minutes)"),
    "announce_refused": (
        "ขออภัยครับ โควตาไม่พอ: ประกาศนี้ใช้ {cost} ข้อความ แต่เหลือ {left} จาก {limit} ข้อความเดือนนี้",
        "Sorry, not enough quota: this needs {cost} messages but {left} of {limit} are left this month.",
    ),
    "announce_nobody": ("ไม่มีผู้รับในกลุ่มนี้ครับ", "Nobody to send to in that audience."),
    "announce_send": ("ส่งเลย", "Send"),
    "announce_cancel": ("ยกเลิก", "Cancel"),
    "announce_sent": ("ส่งประกาศแล้วครับ ({chats} ห้อง, {people} คน)", "Announcement sent ({chats} chats, {people} people)."),
    "announce_dropped": ("ยกเลิกประกาศแล้วครับ", "Announcement cancelled."),
    "announce_expired": ("ประกาศนี้หมดเวลาแล้ว พิมพ์ ประกาศ <ข้อความ> ใหม่ครับ", "That announcement expired; type /announce again."),
    # -- notes and attendance ----------------------------------------------------------------------
    "note_saved": ("📝 บันทึกแล้ว ({code}){tags}", "📝 Noted ({code}){tags}"),
    "note_no_meeting": ("ยังไม่มีนัดที่จะบันทึกในห้องนี้ครับ เติมเลขนัดได้ เช่น บันทึก #12 ...",
                        "There is no meeting to note here; add its code, e.g. /note #12 ..."),
    "note_not_allowed": ("ขออภัยครับ การจดบันทึกการประชุมทำได้โดยคุณอำนวยและผู้ประสานงาน",
                         "Sorry, only facilitators and coordinators take meeting notes."),
    "note_edited": ("แก้บันทึกแล้วครับ", "Note corrected."),
    "note_deleted": ("ลบบันทึกแล้วครับ", "Note deleted."),
    "note_none_to_change": ("ไม่พบบันทึกล่าสุดของคุณครับ", "I found no recent note of yours."),
    "checked_in": ("✅ เช็คชื่อแล้ว: {name} ({group}) {code} เวลา {time}", "✅ Checked in: {name} ({group}) {code} at {time}"),
    "already_checked_in": ("เช็คชื่อไว้แล้วครับ: {name} เวลา {time}", "Already checked in: {name} at {time}"),
    "check_in_closed": ("เช็คชื่อได้ตั้งแต่ 1 ชั่วโมงก่อนเริ่มจนจบการประชุมครับ ({when})",
                        "Check-in is open from an hour before the start to the end ({when})."),
    "check_in_no_meeting": ("ตอนนี้ไม่มีการประชุมที่เช็คชื่อได้ครับ", "No meeting is open for check-in now."),
    "check_in_not_allowed": ("ขออภัยครับ การเช็คชื่อแทนผู้อื่นทำได้โดยคุณอำนวย", "Sorry, only facilitators check others in."),
    "check_in_which_group": ("ไม่พบกลุ่ม \"{group}\" ในนัดนี้ครับ เช่น เช็คชื่อ ยายแดง กองทุนหมู่ 3",
                             "No invited group \"{group}\"; e.g. /checkin Grandma Daeng village fund 3"),
    "forget_ask": ("ยืนยันลบข้อมูลของคุณไหมครับ? คำตอบนัดจะยังนับจำนวนแต่ไม่มีชื่อคุณ บันทึกที่คุณเขียนจะยังอยู่โดยไม่ระบุชื่อ",
                   "Delete your data? Your answers still count but without your name; your notes stay, unnamed."),
    "forget_yes": ("ลบข้อมูลของฉัน", "Delete my data"),
    "forget_done": ("ลบข้อมูลของคุณแล้วครับ ขอบคุณที่ร่วมงานกันมา", "Your data is deleted. Thank you for everything."),
    # -- notes and attendance: notes never lost, mixed chats, two meetings at once (issue 9) ---------
    "note_which_meeting": ("📝 เก็บบันทึกไว้แล้วครับ เป็นของนัดไหน? แตะเลือก\n(หรือพิมพ์ บันทึก #เลขนัด ภายหลัง)",
                           "📝 Note kept. Which meeting is it for? Tap one\n(or type /note #code later)."),
    "note_kept_unfiled": ("📝 เก็บบันทึกไว้แล้วครับ แต่ยังไม่รู้ว่าเป็นของนัดไหน\n"
                          "เมื่อทราบเลขนัด พิมพ์ บันทึก #เลขนัด บันทึกที่เก็บไว้จะเข้านัดนั้น",
                          "📝 Note kept, but I do not know which meeting it is for.\n"
                          "Type /note #code when you know it, and kept notes go to that meeting."),
    "note_filed": ("📝 ใส่บันทึก {n} รายการไว้ในนัด {code} แล้วครับ", "📝 {n} note(s) filed under {code}."),
    "check_in_which_meeting": ("ตอนนี้มีหลายนัด เช็คชื่อนัดไหนครับ? แตะเลือก", "Several meetings are on; check in to which? Tap one."),
    "checked_in_which_group": ("✅ เช็คชื่อแล้ว: {name} {code} เวลา {time}\nมาในนามกลุ่มไหนครับ? แตะเลือก (ผมจะจำไว้)",
                               "✅ Checked in: {name} {code} at {time}\nWhich group are you with? Tap one (I will remember)."),
    "check_in_group_set": ("✅ {name}: {group} ({code}) รับทราบครับ", "✅ {name}: {group} ({code}), noted."),
    "appoint_which_group": ("ตั้ง {names} เป็น{role}ของกลุ่มไหนครับ? แตะเลือก", "{role} of which group, for {names}? Tap one."),
    "appointed_in_group": ("แต่งตั้ง {names} เป็น{role} {group} แล้วครับ", "{names}: now {role} of {group}."),
    # -- settings of a meeting --------------------------------------------------------------------
    "nudges_set": ("ข้อความส่วนตัวถึงผู้นำที่ยังไม่ตอบ (นัด {code}): {state}", "1:1 nudges for {code}: {state}"),
    "leader_notes_set": ("ให้ผู้นำกลุ่มจดบันทึกนัด {code} ได้: {state}", "Leaders may take notes for {code}: {state}"),
    "on": ("เปิด", "on"),
    "off": ("ปิด", "off"),
    "agenda_set": ("ตั้งวาระของนัด {code} แล้วครับ", "The agenda of {code} is set."),
    # -- answers read in context: unclear answers, quoted cards, names (answers slice) -----------
    "unclear_answer": ("ขอทราบคำตอบนัด{what} หน่อยครับ ไป ไม่ไป หรือไม่แน่ใจ? แตะเลือกด้านล่าง",
                       "Is that an answer to{what}? Going, not going or maybe? Tap one below."),
    "checked_in_you": ("✅ เช็คชื่อแล้ว ({group}) {code} เวลา {time}", "✅ You are checked in ({group}) {code} at {time}"),
    "already_checked_in_you": ("เช็คชื่อไว้แล้วครับ เวลา {time}", "Already checked in at {time}"),
    "someone": ("ผู้ที่ถูกแท็ก", "the person mentioned"),
    "you": ("คุณ", "you"),
    "venue_set": ("📍 ตั้งแผนที่ของนัด {code} แล้วครับ: {place}", "📍 Map location of {code} set: {place}"),
    # -- inviting and linking (issue 9) ------------------------------------------------------------
    "invite_confirm": (
        "จะเชิญ {count} กลุ่ม{what} เข้านัด {code} {title}\n{quota}\nการ์ดนัดจะส่งไป {chats} ห้อง:\n{chat_list}{unlinked}"
        "\nยืนยันไหมครับ?",
        "About to invite {count} groups{what} to {code} {title}\n{quota}\nThe card goes to {chats} chats:\n{chat_list}"
        "{unlinked}\nGo ahead?",
    ),
    "invite_confirm_of": (" ของ ต.{sub}", " of {sub}"),
    "invite_confirm_kind_of": (" ({kind}) ของ ต.{sub}", " ({kind}) of {sub}"),
    "invite_confirm_quota": ("โควตา {quota} คน/กลุ่ม", "Quota: {quota} per group"),
    "invite_confirm_no_quota": ("ไม่ระบุโควตา (กลุ่มที่ตั้งโควตาไว้แล้วคงเดิม)", "No quota given (quotas already set stay)"),
    "invite_confirm_unlinked": ("\n{n} กลุ่มยังไม่ได้ผูกห้องไลน์ (ได้รับเชิญ แต่ไม่มีห้องให้ส่งการ์ด)",
                                "\n{n} groups have no linked chat (invited, but no card is sent)"),
    "invite_confirm_more": ("• …และอีก {n} ห้อง", "• … and {n} more"),
    "invite_no_chats": ("• (ไม่มี)", "• (none)"),
    "invite_yes": ("ยืนยันเชิญ {count} กลุ่ม", "Invite {count} groups"),
    "invite_no": ("ยกเลิก", "Cancel"),
    "invite_dropped": ("ยกเลิกการเชิญแล้วครับ ยังไม่ได้ส่งอะไรออกไป", "Invitation cancelled; nothing was sent."),
    "invite_expired": ("คำขอเชิญนี้ทำไปแล้วหรือหมดเวลาแล้วครับ ถ้าจะเชิญ พิมพ์ เชิญ ... ใหม่",
                       "That invitation was already handled or has expired; type /invite again."),
    "invite_pick_more": ("\n(แสดง {shown} จาก {total} กลุ่ม พิมพ์ให้ชัดขึ้นได้ เช่น เชิญ กองทุน ม.3 บางจาก 10)",
                         "\n(showing {shown} of {total}; be more precise, e.g. /invite Bang Chak fund 3 10)"),
    "label_village": ("ม.{n}", "M{n}"),
    "label_fund": ("กองทุน", "fund"),
    "label_fund_short": ("กทบ.", "fund"),
    "label_savings": ("ออมทรัพย์", "savings"),
    "label_savings_short": ("ออม", "sav."),
    "link_pick_sub_district": ("ห้องนี้เป็นของกลุ่มไหนครับ? แตะเลือกตำบลก่อน", "Which group is this chat? First tap its sub-district."),
    "link_pick_village": ("ต.{sub}: ห้องนี้เป็นของหมู่ไหน หรือกลุ่มไหนครับ? แตะเลือก",
                          "{sub}: which village or group is this chat? Tap one."),
    "link_pick_in_village": ("หมู่ {n} ต.{sub} มีหลายกลุ่ม ห้องนี้เป็นของกลุ่มไหนครับ?",
                             "Village {n}, {sub} has several groups: which is this chat?"),
    "link_pick_other": ("ห้องนี้เป็นของกลุ่มไหนครับ? แตะเลือก", "Which group is this chat? Tap one."),
    "link_other_groups": ("กลุ่มอื่นๆ", "Other groups"),
    "link_more": ("ถัดไป ›", "More ›"),
    "link_all_in_village": ("ทั้ง {n} กลุ่ม", "All {n} groups"),
    "link_linked_mark": ("{label} (ผูกแล้ว)", "{label} (linked)"),
    "link_undo_hint": ("\nถ้าผิด พิมพ์ ยกเลิกผูกกลุ่ม หรือ ผูกกลุ่ม <ชื่อที่ถูก>",
                       "\nIf that is wrong, type /unlink or /link <the right name>"),
    "link_replaced": ("\n(ยกเลิกการผูกเดิมกับ {groups} แล้ว)", "\n(No longer linked to {groups}.)"),
    "link_elsewhere": (
        "ขออภัยครับ {groups} ผูกกับห้องไลน์อื่นอยู่แล้ว ถ้าจะย้ายมาห้องนี้ ขอให้ผู้ประสานงาน ผู้นำกลุ่ม หรือผู้ที่ผูกไว้ทำให้",
        "Sorry, {groups} is linked to another chat. A coordinator, its leader or whoever linked it can move it here.",
    ),
    "link_already": ("ห้องนี้ผูกกับ {group} อยู่แล้วครับ", "This chat is already linked to {group}."),
    "link_taken": (
        "ขออภัยครับ ห้องนี้ผูกกับ {groups} อยู่แล้ว ถ้าผิด ขอให้ผู้ประสานงานหรือผู้ที่ผูกไว้เปลี่ยนให้ "
        "(พิมพ์ ผูกกลุ่ม <ชื่อ> หรือ ยกเลิกผูกกลุ่ม)",
        "Sorry, this chat is already linked to {groups}. If that is wrong, a coordinator or whoever linked it "
        "can change it (/link <name> or /unlink).",
    ),
    "unlink_done": ("ยกเลิกการผูกห้องนี้กับ {groups} แล้วครับ ผูกใหม่ได้: แตะเลือกตำบลด้านล่าง หรือพิมพ์ ผูกกลุ่ม <ชื่อ>",
                    "This chat is no longer linked to {groups}. To link it again, tap a sub-district below "
                    "or type /link <name>."),
    "unlink_none": ("ห้องนี้ยังไม่ได้ผูกกับกลุ่มไหนครับ", "This chat is not linked to any group."),
    "unlink_not_allowed": ("ขออภัยครับ ยกเลิกหรือเปลี่ยนการผูกห้องได้เฉพาะผู้ประสานงาน หรือผู้ที่ผูกห้องนี้ไว้",
                           "Sorry, only a coordinator or whoever linked this chat can unlink or change it."),
    "unlink_no_match": ("ห้องนี้ไม่ได้ผูกกับ \"{name}\" ครับ (ผูกกับ {groups})",
                        "This chat is not linked to \"{name}\" (it is linked to {groups})."),
    # -- reminders, notices and language (slice: remind) -------------------------------------------
    "reminder_short_alt": ("🔔 เตือนนัด {code} {title} {when}", "🔔 Reminder {code} {title} {when}"),
    "reminder_map": ("แผนที่", "Map"),
    "held_reminders_what_to_do": (
        "\nทำได้ดังนี้ครับ:\n"
        "• ซื้อข้อความเพิ่มหรือเปลี่ยนแพ็กเกจใน LINE Official Account Manager แล้วการเตือนครั้งถัดไปจะส่งได้ตามปกติ\n"
        "• ให้สมาชิกพิมพ์ นัดหมาย ในห้องกลุ่ม ผมจะตอบรายการนัด (แตะดูการ์ดได้) โดยไม่ใช้โควตา\n"
        "• ลดผู้รับ: เตือนส่วนตัว {code} ปิด (งดข้อความส่วนตัว) หรือ เตือน {code} 2 ชม. (เตือนครั้งเดียว)",
        "\nWhat you can do:\n"
        "• Buy more messages or change the plan in LINE Official Account Manager; the next reminder then goes out.\n"
        "• Ask members to type /meetings in their group chat: my answer (tap a meeting for its card) is free of quota.\n"
        "• Reach fewer people: /nudges {code} off (no 1:1 messages) or /remind {code} 2h (one reminder only).",
    ),
    "dead_letter_item": ("• {what}{code} ถึง {to}: {why}", "• {what}{code} to {to}: {why}"),
    "dead_letters_more": ("… และอีก {n} รายการ (ผู้ดูแลระบบดูได้ด้วย meetbot outbox --dead)",
                          "… and {n} more (whoever runs the bot sees them with meetbot outbox --dead)"),
    "dead_to_people": ("{n} คน", "{n} people"),
    "dead_to_chat": ("ห้อง {name}", "chat {name}"),
    "dead_to_a_chat": ("ห้องกลุ่มหนึ่ง", "a group chat"),
    "dead_to_person": ("คุณ{name}", "{name}"),
    "dead_to_someone": ("ผู้ใช้หนึ่งคน", "one person"),
    "dead_why_quota": ("โควตาข้อความเดือนนี้หมด", "the monthly message quota is used up"),
    "dead_why_blocked": ("ผมไม่ได้อยู่ในห้องนั้นแล้ว หรือผู้รับบล็อกผมไว้",
                         "I am no longer in that chat, or the person blocked me"),
    "dead_why_refused": ("LINE ไม่รับข้อความนี้", "LINE refused the message"),
    "dead_why_gave_up": ("LINE ไม่ตอบนานเกิน 23 ชั่วโมง จึงเลิกส่ง", "LINE did not answer for 23 hours, so I gave up"),
    "dead_why_unknown": ("ไม่แน่ใจว่าส่งถึงหรือไม่", "not sure whether it arrived"),
    "purpose_reminder": ("การเตือนนัด", "Reminder"),
    "purpose_nudge": ("ข้อความเตือนส่วนตัว", "1:1 reminder"),
    "purpose_invitation": ("การ์ดเชิญ", "Invitation card"),
    "purpose_move": ("แจ้งเลื่อนนัด", "Move notice"),
    "purpose_cancellation": ("แจ้งยกเลิกนัด", "Cancellation notice"),
    "purpose_announcement": ("ประกาศ", "Announcement"),
    "purpose_reply": ("คำตอบของผม", "My answer"),
    "purpose_other": ("ข้อความ", "Message"),
    "response_going": ("ไป", "going"),
    "response_not_going": ("ไม่ไป", "not going"),
    "response_maybe": ("ไม่แน่ใจ", "maybe"),
    "response_button_going": ("ไป", "Going"),
    "response_button_not_going": ("ไม่ไป", "Not going"),
    "response_button_maybe": ("ไม่แน่ใจ", "Maybe"),
    "status_scheduled": ("นัดแล้ว", "scheduled"),
    "status_moved": ("เลื่อนแล้ว", "moved"),
    "status_cancelled": ("ยกเลิกแล้ว", "cancelled"),
    "status_done": ("จบแล้ว", "over"),
    "people_count": ("{n} คน", "{n} people"),
    "tag_resolution": ("มติ", "resolution"),
    "tag_problem": ("ปัญหา", "problem"),
    "tag_action": ("งาน", "action"),
    "note_due": (" กำหนด {date}", " due {date}"),
    "minutes_heading": ("📝 รายงานการประชุม {code}", "📝 Minutes of meeting {code}"),
    "minutes_when": ("ครั้งที่ {number} {date} เวลา {time}", "No. {number}, {date}, {time}"),
    "minutes_venue": ("ณ {venue}", "At {venue}"),
    "minutes_status": ("สถานะ: {status}", "Status: {status}"),
    "minutes_attended": ("มาประชุม {n} คน", "{n} attended"),
    "minutes_attended_groups": (" จาก {present} กลุ่ม (เชิญ {invited} กลุ่ม)",
                                " from {present} groups ({invited} invited)"),
    "minutes_attended_proxies": (" · คุณอำนวยลงชื่อแทน {n} คน", " · {n} signed in by a facilitator"),
    "minutes_present": ("ผู้มาประชุม: {counts}", "Present: {counts}"),
    "minutes_absent": ("ผู้ไม่มาประชุม ({n} กลุ่ม): {names}", "Absent ({n} groups): {names}"),
    "minutes_agenda": ("ระเบียบวาระ", "Agenda"),
    "minutes_resolutions": ("มติที่ประชุม", "Resolutions"),
    "minutes_problems": ("ปัญหา", "Problems"),
    "minutes_actions": ("งานที่ต้องทำ", "Action items"),
    "minutes_action_owner": (" — ผู้รับผิดชอบ {owner}", " — owner {owner}"),
    "minutes_action_due": (" — กำหนด {due}", " — due {due}"),
    "minutes_notes": ("บันทึก ({n} รายการ)", "Notes ({n})"),
    "minutes_note_photos": (" [ภาพ {n}]", " [{n} photos]"),
    "minutes_photos": ("ภาพประกอบ {n} ภาพ", "{n} photos"),
    "minutes_start_end": ("เริ่ม {start} ปิดประชุม {end}", "Opened {start}, closed {end}"),
    "minutes_recorders": ("ผู้บันทึก: {names}", "Recorded by: {names}"),
    "minutes_cut": ("✂️ รายงานยาวเกินกว่าจะส่งใน LINE ได้ครบ", "✂️ The minutes are too long for LINE"),
    "minutes_cut_left": (" (บันทึกอีก {n} รายการไม่ได้แสดง)", " ({n} more notes not shown)"),
    "minutes_cut_full": ("\nฉบับเต็มพร้อมรายชื่อ: ให้ผู้ดูแลระบบสั่ง meetbot export minutes {code} --format html",
                         "\nThe full minutes with names: ask whoever runs the bot for "
                         "meetbot export minutes {code} --format html"),
    # -- papers: real names (ชื่อจริง) for the sign-in sheet and the minutes ---------------------------
    "help_real_name": ("• ชื่อจริงสำหรับใบลงชื่อ: พิมพ์ ชื่อจริง สมชาย ใจดี",
                       "• Your real name for the sign-in sheets: /realname Somchai Jaidee"),
    "real_name_saved": ("บันทึกชื่อจริงแล้วครับ: {name}\nชื่อนี้จะพิมพ์ในบัญชีลงชื่อและรายงานการประชุม",
                        "Real name saved: {name}\nIt is printed on the sign-in sheets and in the minutes."),
    "real_name_saved_for": ("บันทึกชื่อจริงของ {line_name} แล้วครับ: {name}",
                            "Real name of {line_name} saved: {name}"),
    "real_name_how": ("พิมพ์ ชื่อจริง ตามด้วยชื่อและนามสกุลครับ เช่น ชื่อจริง สมชาย ใจดี",
                      "Type /realname followed by your first name and surname, e.g. /realname Somchai Jaidee"),
    "real_name_now": ("ชื่อจริงที่บันทึกไว้: {name}", "Real name on record: {name}"),
    "real_name_bad": ("ชื่อจริงควรเป็นตัวอักษร 2 ถึง {limit} ตัว ไม่มีตัวเลขครับ เช่น ชื่อจริง สมชาย ใจดี",
                      "A real name is 2 to {limit} letters, without digits, e.g. /realname Somchai Jaidee"),
    "real_name_for_others": ("ขออภัยครับ ตั้งชื่อจริงให้ผู้อื่นได้เฉพาะคุณอำนวยและผู้ประสานงาน",
                             "Sorry, only facilitators and coordinators set someone else's real name."),
    "real_name_someone": ("คนที่แท็ก", "the person mentioned"),
    "real_name_one_mention": ("แท็กคนที่จะตั้งชื่อจริงให้ 1 คนครับ เช่น ชื่อจริง @ลุงชม ชม ใจดี",
                              "Mention one person, e.g. /realname @Chom Chom Jaidee"),
    # -- hardening (issue 10): the setup code's limits ----------------------------------------------
    "claim_wrong_tries_left": ("รหัสไม่ถูกต้องครับ ลองได้อีก {n} ครั้งในชั่วโมงนี้",
                               "That code is not right. You can try {n} more times this hour."),
    "claim_wrong_last": ("รหัสไม่ถูกต้องครับ ครบจำนวนครั้งที่ลองได้แล้ว กรุณาลองใหม่ในอีก 1 ชั่วโมงครับ",
                         "That code is not right, and that was the last try. Please try again in an hour."),
    "claim_locked_person": ("ขออภัยครับ ใส่รหัสผิดหลายครั้งแล้ว กรุณาลองใหม่ในอีก 1 ชั่วโมง "
                            "หรือติดต่อผู้ดูแลระบบครับ",
                            "Sorry, too many wrong codes. Please try again in an hour, or ask whoever runs the bot."),
    "claim_locked_all": ("ขออภัยครับ ตอนนี้มีการใส่รหัสผิดมากเกินไป ระบบพักการรับรหัสไว้ชั่วคราว "
                         "กรุณาลองใหม่ในอีก 1 ชั่วโมงครับ",
                         "Sorry, too many wrong codes have been tried. Codes are paused; please try again in an hour."),
    # -- hardening: taps that cannot be trusted (issue 10) ------------------------------------------
    "tap_invalid": ("ขออภัยครับ ปุ่มนี้ใช้ไม่ได้ ผมไม่ได้บันทึกอะไร ลองแตะปุ่มบนการ์ดนัดล่าสุดนะครับ",
                    "Sorry, that button does not work, so nothing was saved. Please tap one on the latest card."),
    "tap_not_allowed": ("ขออภัยครับ ปุ่มนี้ไม่ใช่ของกลุ่มในห้องนี้ ผมไม่ได้บันทึกอะไรครับ",
                        "Sorry, that button is not for a group in this chat, so nothing was saved."),
    # -- the parser's reasons (issue 11: parse once): what is wrong with a recognised command -------
    # (Invalid.reason names one of these; a headcount out of range is "bad_headcount" above.)
    "invalid_quota": (
        "โควตาต้องเป็นตัวเลข 1 ถึง 500 คนครับ เช่น เชิญ ต.บางจาก 10",
        "The quota must be a number from 1 to 500, e.g. /invite Bang Chak 10",
    ),
    "invalid_invite_target": (
        "บอกชื่อกลุ่มหรือตำบลที่จะเชิญด้วยครับ เช่น เชิญ ต.บางจาก 10",
        "Say which group or sub-district to invite, e.g. /invite Bang Chak 10",
    ),
    "invalid_code": ("เลขนัดต้องเป็น # ตามด้วยตัวเลข เช่น #12 ครับ", "A meeting code is # and a number, e.g. #12."),
    "invalid_codes": ("ระบุได้ทีละนัดครับ เช่น #12", "One meeting at a time, please, e.g. #12."),
    "invalid_remind": (
        "บอกเวลาเตือนล่วงหน้าด้วยครับ เช่น เตือน #12 1 วัน 2 ชม. หรือ เตือน #12 ปิด",
        "Say how long before to remind, e.g. /remind #12 1d 2h, or /remind #12 off",
    ),
    "invalid_remind_range": (
        "เตือนล่วงหน้าได้ตั้งแต่ 1 นาทีถึง 60 วันครับ",
        "A reminder can be 1 minute to 60 days before the meeting.",
    ),
    "invalid_claim_code": ("พิมพ์ ผู้ประสานงาน ตามด้วยรหัสครับ", "Type /coordinator followed by the code."),
    "invalid_announce_text": (
        "พิมพ์ ประกาศ ตามด้วยข้อความที่จะประกาศครับ",
        "Type /announce followed by the message.",
    ),
    "invalid_checkin_name": (
        "พิมพ์ เช็คชื่อ ตามด้วยชื่อและกลุ่มครับ เช่น เช็คชื่อ ยายศรี กองทุนหมู่ 3",
        "Type /checkin followed by the name and the group, e.g. /checkin Somsri Village 3 fund",
    ),
    "invalid_language": ("เลือกภาษาได้ th (ไทย) หรือ en (อังกฤษ) ครับ", "The language can be th or en."),
    "invalid_setting_nudges": (
        "พิมพ์ เตือนส่วนตัว ตามด้วยเลขนัดและ เปิด หรือ ปิด ครับ เช่น เตือนส่วนตัว #12 ปิด",
        "Type /nudges, the meeting code and on or off, e.g. /nudges #12 off",
    ),
    "invalid_setting_leader_notes": (
        "พิมพ์ ผู้นำบันทึก ตามด้วยเลขนัดและ เปิด หรือ ปิด ครับ เช่น ผู้นำบันทึก #12 เปิด",
        "Type /leader-notes, the meeting code and on or off, e.g. /leader-notes #12 on",
    ),
    "invalid_agenda": (
        "พิมพ์ วาระ ตามด้วยเลขนัดและวาระครับ เช่น วาระ #12 1. เรื่องแจ้งเพื่อทราบ",
        "Type /agenda, the meeting code and the agenda, e.g. /agenda #12 1. Announcements",
    ),
    "invalid_edit_note": (
        "พิมพ์ แก้บันทึก ตามด้วยข้อความที่ถูกต้องครับ เช่น แก้บันทึก สมาชิกมา 38 คน",
        "Type /edit-note followed by the corrected note, e.g. /edit-note 38 members came",
    ),
}

_WEEKDAYS_EN, _MONTHS_EN = WEEKDAYS_EN, MONTHS_EN


def t(lang: str | None, key: str, **fields) -> str:
    thai, english = TEXTS[key]
    return (english if lang == "en" else thai).format(**fields)


# -- dates and times in words: the one place both languages are formatted -------------------------


def _local(dt, tz):
    if isinstance(dt, datetime):
        return (dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).astimezone(tz)
    return dt


def date_text(dt, tz, lang: str | None) -> str:
    """`วันเสาร์ที่ 15 ส.ค. 2569` / `Saturday 15 Aug 2026`."""
    if lang != "en":
        return format_thai_date(dt, tz)
    day = _local(dt, tz)
    return f"{_WEEKDAYS_EN[day.weekday()]} {day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def time_text(dt, tz, lang: str | None) -> str:
    """`09.00 น.` / `09:00`."""
    if lang != "en":
        return format_thai_time(dt, tz)
    local = _local(dt, tz)
    return f"{local.hour:02d}:{local.minute:02d}"


def datetime_text(dt, tz, lang: str | None) -> str:
    """`วันเสาร์ที่ 15 ส.ค. 2569 เวลา 09.00 น.` / `Saturday 15 Aug 2026, 09:00`."""
    if lang != "en":
        return format_thai_datetime(dt, tz)
    return f"{date_text(dt, tz, lang)}, {time_text(dt, tz, lang)}"


def short_date_text(dt, tz, lang: str | None) -> str:
    """`15 ส.ค. 2569` / `15 Aug 2026`: a date on a button."""
    if lang != "en":
        return date_text(dt, tz, lang).split(" ", 1)[-1]
    day = _local(dt, tz)
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def short_datetime_text(dt, tz, lang: str | None) -> str:
    """A date and time that fits a quick-reply label (20 characters): `เสาร์ที่ 15 ส.ค. 256…` / `Sat 15 Aug, 09:00`."""
    if lang != "en":
        return datetime_text(dt, tz, lang).replace("วัน", "", 1)[:20]
    local = _local(dt, tz)
    return f"{_WEEKDAYS_EN[local.weekday()][:3]} {local.day} {_MONTHS_EN[local.month - 1]}, {time_text(dt, tz, lang)}"


def response_word(lang: str | None, response: str) -> str:
    """An answer (models.meetings.Response) in words: ไป / going."""
    return t(lang, f"response_{response}")


def response_button(lang: str | None, response: str) -> str:
    """An answer as a button label: ไป / Going."""
    return t(lang, f"response_button_{response}")


def status_word(lang: str | None, status: str) -> str:
    """A meeting's status (models.meetings.MeetingStatus) in words: ยกเลิกแล้ว / cancelled."""
    return t(lang, f"status_{status}") if f"status_{status}" in TEXTS else status
