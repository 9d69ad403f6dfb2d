"""Reply builders: every message the bot says is made here, within LINE's limits."""

from __future__ import annotations

from typing import Any

WELCOME = "สวัสดีครับ ผมคือ meetbot ผู้ช่วยนัดประชุมของเครือข่ายกลุ่มการเงินชุมชน"
HELP = (
    "วิธีใช้ meetbot\n"
    "• ดูนัดหมาย: พิมพ์ \"นัดหมาย\"\n"
    "• ตอบรับนัด: แตะปุ่ม ไป / ไม่ไป / ไม่แน่ใจ บนการ์ดนัด หรือพิมพ์ \"ไป 4\"\n"
    "• ขอความช่วยเหลือ: พิมพ์ \"วิธีใช้\""
)


def text(body: str, quick_replies: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {"type": "text", "text": body}
    if quick_replies:
        message["quickReply"] = {"items": quick_replies}
    return message
