"""Everything the bot says in words, in Thai (the default) and English.

Polite Thai: the bot speaks as "ผม" and ends with ครับ, the way a helpful officer would. Texts are
short: many readers are older people on small phones.
"""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # -- greetings and help ---------------------------------------------------------------------
    "welcome": (
        "สวัสดีครับ ผมคือ meetbot ผู้ช่วยนัดประชุมของเครือข่ายกลุ่มการเงินชุมชน",
        "Hello, I am meetbot, the meeting assistant of the community-finance network.",
    ),
    "join": (
        "สวัสดีครับ ผมคือ meetbot ผู้ช่วยนัดประชุมของกลุ่มการเงินชุมชน\n"
        "ตอบนัดได้ด้วยการแตะปุ่ม ไป / ไม่ไป / ไม่แน่ใจ บนการ์ดนัด หรือพิมพ์ \"ไป 4\"\n"
        "ห้องนี้เป็นของกลุ่มไหนครับ? แตะชื่อกลุ่มด้านล่าง หรือพิมพ์ ผูกกลุ่ม <ชื่อกลุ่ม>",
        "Hello, I am meetbot, the meeting assistant of the community-finance groups.\n"
        "Answer an invitation by tapping Going / Not going / Maybe on its card, or type \"yes 4\".\n"
        "Which group is this chat? Tap its name below, or type /link <group name>.",
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
    "claim_wrong": ("รหัสไม่ถูกต้องครับ", "That code is not right."),
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
    "appoint_need_group": ("ห้องนี้ยังไม่ได้ผูกกับกลุ่ม (หรือผูกหลายกลุ่ม) ผูกกลุ่มก่อนแล้วค่อยตั้งผู้นำครับ",
                           "This chat is linked to no single group; link it first, then appoint the leader."),
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
    # -- settings of a meeting --------------------------------------------------------------------
    "nudges_set": ("ข้อความส่วนตัวถึงผู้นำที่ยังไม่ตอบ (นัด {code}): {state}", "1:1 nudges for {code}: {state}"),
    "leader_notes_set": ("ให้ผู้นำกลุ่มจดบันทึกนัด {code} ได้: {state}", "Leaders may take notes for {code}: {state}"),
    "on": ("เปิด", "on"),
    "off": ("ปิด", "off"),
    "agenda_set": ("ตั้งวาระของนัด {code} แล้วครับ", "The agenda of {code} is set."),
    "venue_set": ("📍 ตั้งแผนที่ของนัด {code} แล้วครับ: {place}", "📍 Map location of {code} set: {place}"),
    # -- hardening: taps that cannot be trusted (issue 10) ------------------------------------------
    "tap_invalid": ("ขออภัยครับ ปุ่มนี้ใช้ไม่ได้ ผมไม่ได้บันทึกอะไร ลองแตะปุ่มบนการ์ดนัดล่าสุดนะครับ",
                    "Sorry, that button does not work, so nothing was saved. Please tap one on the latest card."),
    "tap_not_allowed": ("ขออภัยครับ ปุ่มนี้ไม่ใช่ของกลุ่มในห้องนี้ ผมไม่ได้บันทึกอะไรครับ",
                        "Sorry, that button is not for a group in this chat, so nothing was saved."),
}


def t(lang: str | None, key: str, **fields) -> str:
    thai, english = TEXTS[key]
    return (english if lang == "en" else thai).format(**fields)
