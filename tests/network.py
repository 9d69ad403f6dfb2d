"""A small real network for chat tests: two sub-districts, their groups, chats and people."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.network import Chat, FinancialGroup, GroupKind, SubDistrict, Village
from models.people import Duty, Role, ensure_person, grant

COORDINATOR = "U" + "c" * 32
FACILITATOR = "U" + "f" * 32
MEMBER = "U" + "9" * 32


def leader_id(n: int) -> str:
    return f"U{n:032x}"


def chat_id(n: int) -> str:
    return f"C{n:032x}"


@dataclass
class Network:
    groups: dict[str, int] = field(default_factory=dict)   # name → id
    chats: dict[str, str] = field(default_factory=dict)    # group name → chat id
    leaders: dict[str, str] = field(default_factory=dict)  # group name → leader's LINE id


def build(db, *, link_chats: bool = True) -> Network:
    """Bang Chak: villages 1–3, a village fund each, one chat per fund.
    Tha Rai: village 1 with a savings group and a village fund sharing one chat (as in the seed)."""
    net = Network()
    with db.transaction() as s:
        bang_chak = SubDistrict(name="บางจาก", name_en="Bang Chak", district="เมือง", province="นครศรีธรรมราช")
        tha_rai = SubDistrict(name="ท่าไร่", name_en="Tha Rai", district="เมือง", province="นครศรีธรรมราช")
        s.add_all([bang_chak, tha_rai])
        s.flush()
        n = 0
        for number in (1, 2, 3):
            village = Village(sub_district_id=bang_chak.id, number=number)
            s.add(village)
            s.flush()
            n += 1
            group = FinancialGroup(name=f"กองทุนหมู่บ้าน หมู่ {number} ต.บางจาก", kind=GroupKind.VILLAGE_FUND,
                                   sub_district_id=bang_chak.id, village_id=village.id)
            _add(s, net, group, n, link_chats)
        village = Village(sub_district_id=tha_rai.id, number=1)
        s.add(village)
        s.flush()
        shared_chat = chat_id(100)
        for kind, name in ((GroupKind.SAVINGS_GROUP, "กลุ่มออมทรัพย์ หมู่ 1 ต.ท่าไร่"),
                           (GroupKind.VILLAGE_FUND, "กองทุนหมู่บ้าน หมู่ 1 ต.ท่าไร่")):
            n += 1
            group = FinancialGroup(name=name, kind=kind, sub_district_id=tha_rai.id, village_id=village.id)
            _add(s, net, group, n, link_chats, chat=shared_chat)
        team = FinancialGroup(name="ทีมคุณอำนวย", kind=GroupKind.OTHER)
        s.add(team)
        s.flush()
        net.groups[team.name] = team.id
        coordinator = ensure_person(s, COORDINATOR, display_name="ผู้ประสานงานกลาง")
        grant(s, coordinator, Role.COORDINATOR)
        facilitator = ensure_person(s, FACILITATOR, display_name="คุณอำนวยบางจาก")
        grant(s, facilitator, Role.FACILITATOR, sub_district_id=bang_chak.id, duty=Duty.RECORDER)
    return net


def _add(s, net: Network, group: FinancialGroup, n: int, link: bool, chat: str | None = None) -> None:
    chat = chat or chat_id(n)
    if link:
        if s.get(Chat, chat) is None:
            s.add(Chat(id=chat, kind="group", member_count=12))
            s.flush()
        group.chat_id = chat
    s.add(group)
    s.flush()
    net.groups[group.name] = group.id
    net.chats[group.name] = chat
    leader = ensure_person(s, leader_id(n), display_name=f"ผู้นำ{n}")
    grant(s, leader, Role.LEADER, group_id=group.id)
    net.leaders[group.name] = leader.line_user_id
