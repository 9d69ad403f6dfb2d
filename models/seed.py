"""The seed's network and meetings, as a demo anyone can load (`meetbot demo`).

Everything here comes from the field diary in the seed (`000_ea985d7358bf11b8.txt`, retold in
CONTEXT.md). Where the diary is silent the choice is written down here and nothing real-sounding
is invented:

- Three sub-districts of อ.เมือง จ.นครศรีธรรมราช: ท่าไร่ (6 villages), บางจาก (11),
  มะม่วงสองต้น (6; the diary writes "มะม่วง 2 ต้น"). Villages are หมู่ 1..n without names: the
  diary names none.
- A village fund (กองทุนหมู่บ้าน) in every village: the project "starts from the village funds".
- Savings groups (กลุ่มออมทรัพย์):
  - Tha Rai: one per village. The 15 Aug meeting invites "the financial-group leaders of all 6
    villages, which have both savings groups and village funds, 4 per group".
  - Mamuang Song Ton: one, at sub-district level ("กลุ่มออมทรัพย์ ต.มะม่วงสองต้น"). The diary
    names a single learning group there (one of the project's "3 financial groups in 3
    sub-districts") whose committee overlaps the village funds'; it says nothing of savings
    groups per village, and no meeting invites it.
  - Bang Chak: none; its learning group is the village fund.
- "ผู้นำชุมชน ต.ท่าไร่": the kamnan, village heads, the sub-district administration's development
  leaders and the elders, invited to the Tha Rai meetings as one group without a quota (the
  diary gives none).
- "ทีมคุณอำนวย": the 9 facilitators, 3 per sub-district with one duty each (coordinator,
  process leader, recorder). The diary names nobody, so they are placeholders without LINE
  ("คุณอำนวย ท่าไร่ 3 (คนบันทึก)"), to be renamed or replaced by real people.
- The central coordinator: an officer of the community development office (พช.) who disburses
  the budget, role coordinator, without LINE.
- Meetings at 09:00 Asia/Bangkok (the diary's meetings start in the morning; the 26 July field
  meeting started at 9.00), three hours long. Quotas: 10 per fund in Bang Chak and 4 per group in
  Tha Rai (the diary's numbers); 10 per fund in Mamuang Song Ton (the diary gives none: the same
  as Bang Chak, whose meeting is also "all village-fund committees"); 9 for the facilitators'
  team (its size).

Loading is idempotent: things are matched by name (sub-districts, groups, placeholder people),
by (sub-district, number) (villages), by a facilitator's (sub-district, duty) slot, and by title
within the demo's year (meetings, so a meeting the coordinator has moved is not created again).
What exists is left as it is (a quota the coordinator changed stays changed).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.meetings import DEFAULT_DURATION, Meeting, create_meeting, invite
from models.network import FinancialGroup, GroupKind, SubDistrict, Village
from models.people import Duty, Person, PersonRole, Role, grant

BANGKOK = ZoneInfo("Asia/Bangkok")
DISTRICT = "เมืองนครศรีธรรมราช"
PROVINCE = "นครศรีธรรมราช"
PLACE = "อ.เมือง จ.นครศรีธรรมราช"

THA_RAI, BANG_CHAK, MAMUANG = "ท่าไร่", "บางจาก", "มะม่วงสองต้น"
SUB_DISTRICTS = ((THA_RAI, "Tha Rai", 6), (BANG_CHAK, "Bang Chak", 11), (MAMUANG, "Mamuang Song Ton", 6))

COMMUNITY_LEADERS = "ผู้นำชุมชน ต.ท่าไร่"
FACILITATORS_TEAM = "ทีมคุณอำนวย"
MAMUANG_SAVINGS_GROUP = "กลุ่มออมทรัพย์ ต.มะม่วงสองต้น"
CENTRAL_COORDINATOR = "เจ้าหน้าที่ สนง.พัฒนาชุมชน (ผู้ประสานงานกลาง)"
BY = "demo"

PHRASE = "การพัฒนากลุ่มการเงินเพื่อสร้างความเข้มแข็ง"  # what the organisers call the work with the groups
START = time(9, 0)
LENGTH = DEFAULT_DURATION  # three hours
DUTIES = (Duty.COORDINATOR, Duty.PROCESS, Duty.RECORDER)

# What the leaders said at the 26 July field meeting: the groups' own starting points.
_LEADERS_SAID = ("ข้อคิดจากแกนนำกลุ่มการเงิน: ปัจจัย 3 ของความสำเร็จคือ กรรมการ สมาชิก และการบริหารจัดการ "
                 "(กรรมการต้องซื่อสัตย์ มีคุณธรรม การบริหารจัดการต้องโปร่งใส); ปัญหาหลักคือ การไม่ส่งคืนเงินกู้")


def fund_name(village: int, sub_district: str) -> str:
    return f"กองทุนหมู่บ้าน หมู่ {village} ต.{sub_district}"


def savings_group_name(village: int, sub_district: str) -> str:
    return f"กลุ่มออมทรัพย์ หมู่ {village} ต.{sub_district}"


def facilitator_name(sub_district: str, duty: str) -> str:
    return f"คุณอำนวย {sub_district} {DUTIES.index(duty) + 1} ({Duty.THAI[duty]})"


def default_year(now: datetime) -> int:
    """The year of the next 8 August on or after `now` (in Bangkok): the demo's first meeting."""
    today = now.astimezone(BANGKOK).date()
    return today.year if today <= date(today.year, 8, 8) else today.year + 1


@dataclass(frozen=True)
class DemoMeeting:
    key: str
    month: int
    day: int
    title: str
    venue_name: str
    venue_address: str
    sub_district: str | None
    agenda: str
    invitations: tuple[tuple[str, int | None], ...]  # (group name, quota)


def demo_meetings() -> list[DemoMeeting]:
    tha_rai_groups: list[tuple[str, int | None]] = []
    for number in range(1, 7):
        tha_rai_groups += [(savings_group_name(number, THA_RAI), 4), (fund_name(number, THA_RAI), 4)]
    tha_rai_groups.append((COMMUNITY_LEADERS, None))
    tha_rai_agenda = ("ผู้นำกลุ่มการเงินทั้ง 6 หมู่บ้าน ทั้งกลุ่มออมทรัพย์และกองทุนหมู่บ้าน กลุ่มละ 4 คน "
                      "และผู้นำชุมชน หารือร่วมกัน\n"
                      "1. ความร่วมมือเพื่อพัฒนาชุมชน ระหว่างกลุ่มออมทรัพย์และกองทุนหมู่บ้าน\n"
                      f"2. แนวทาง{PHRASE} ขยายผลให้ครอบคลุมทั้งตำบล\n"
                      f"3. {_LEADERS_SAID}")
    wat_bang_luang = "วัดบางหลวง"
    return [
        DemoMeeting(
            "prep", 8, 8, "ทีมคุณอำนวยหารือเตรียมการ", "สนง.พัฒนาชุมชน", PLACE, None,
            "ทีมคุณอำนวย 9 คน (ตำบลละ 3 คน) หารือเตรียมการลงพื้นที่\n"
            "1. ต.บางจาก 14 ส.ค. ที่วัดบางสะพาน\n"
            "2. ต.ท่าไร่ 15 ส.ค. ที่วัดบางหลวง\n"
            "3. ต.มะม่วงสองต้น 17 ส.ค. ที่มัสยิดหมู่ 6\n"
            "4. บทบาทคุณอำนวย: คนประสานงาน คนนำกระบวนการ คนบันทึก",
            ((FACILITATORS_TEAM, 9),)),
        DemoMeeting(
            "bang_chak", 8, 14, f"{PHRASE} ต.บางจาก", "วัดบางสะพาน", f"ต.บางจาก {PLACE}", BANG_CHAK,
            "กรรมการกองทุนหมู่บ้านทุกหมู่บ้าน (11 หมู่บ้าน) กองทุนละ 10 คน หารือโครงการร่วมกัน\n"
            f"1. แนวทาง{PHRASE} ขยายผลให้ครอบคลุมทั้งตำบล\n"
            f"2. {_LEADERS_SAID}",
            tuple((fund_name(n, BANG_CHAK), 10) for n in range(1, 12))),
        DemoMeeting(
            "tha_rai_1", 8, 15, f"{PHRASE} ต.ท่าไร่ ครั้งที่ 1", wat_bang_luang, f"ต.ท่าไร่ {PLACE}", THA_RAI,
            tha_rai_agenda, tuple(tha_rai_groups)),
        DemoMeeting(
            "mamuang", 8, 17, f"{PHRASE} ต.มะม่วงสองต้น", "มัสยิดหมู่ 6", f"หมู่ 6 ต.มะม่วงสองต้น {PLACE}", MAMUANG,
            "กรรมการกองทุนหมู่บ้านทุกกองทุน (6 หมู่บ้าน) หารือร่วมกัน\n"
            f"1. แนวทาง{PHRASE} ขยายผลให้ครอบคลุมทั้งตำบล\n"
            f"2. {_LEADERS_SAID}",
            tuple((fund_name(n, MAMUANG), 10) for n in range(1, 7))),
        DemoMeeting(
            "tha_rai_2", 9, 6, f"{PHRASE} ต.ท่าไร่ ครั้งที่ 2", wat_bang_luang, f"ต.ท่าไร่ {PLACE}", THA_RAI,
            tha_rai_agenda.replace("หารือร่วมกัน", "หารือร่วมกันต่อจากครั้งที่ 1 (15 ส.ค.)", 1), tuple(tha_rai_groups)),
    ]


@dataclass
class DemoReport:
    year: int
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)
    # (meeting id, title, starts_at, created?) in date order
    meetings: list[tuple[int, str, datetime, bool]] = field(default_factory=list)

    KINDS = ("sub_districts", "villages", "groups", "people", "roles", "meetings", "invitations")

    def _count(self, kind: str, created: bool) -> None:
        (self.created if created else self.existing)[kind] += 1

    @property
    def changed(self) -> bool:
        return sum(self.created.values()) > 0


def load_demo(session: Session, *, year: int | None = None, now: datetime) -> DemoReport:
    """Load (or complete) the seed's network and meetings in the caller's transaction."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    year = year or default_year(now)
    if not 1900 < year < 2400:
        raise ValueError(f"year {year} is not a Common Era year such as 2026 (พ.ศ. 2569 is 2026)")
    report = DemoReport(year=year)

    subs: dict[str, SubDistrict] = {}
    villages: dict[tuple[str, int], Village] = {}
    for name, name_en, count in SUB_DISTRICTS:
        sub = session.scalar(select(SubDistrict).where(SubDistrict.name == name))
        report._count("sub_districts", sub is None)
        if sub is None:
            sub = SubDistrict(name=name, name_en=name_en, district=DISTRICT, province=PROVINCE)
            session.add(sub)
            session.flush()
        subs[name] = sub
        for number in range(1, count + 1):
            village = session.scalar(select(Village).where(Village.sub_district_id == sub.id,
                                                           Village.number == number))
            report._count("villages", village is None)
            if village is None:
                village = Village(sub_district_id=sub.id, number=number, name=None)
                session.add(village)
                session.flush()
            villages[name, number] = village

    groups: dict[str, FinancialGroup] = {}

    def group(name: str, kind: str, sub: str | None = None, village: int | None = None) -> FinancialGroup:
        found = session.scalar(select(FinancialGroup).where(FinancialGroup.name == name))
        report._count("groups", found is None)
        if found is None:
            found = FinancialGroup(name=name, kind=kind, sub_district_id=subs[sub].id if sub else None,
                                   village_id=villages[sub, village].id if village else None, created_at=now)
            session.add(found)
            session.flush()
        groups[name] = found
        return found

    for name, _, count in SUB_DISTRICTS:
        for number in range(1, count + 1):
            if name == THA_RAI:
                group(savings_group_name(number, name), GroupKind.SAVINGS_GROUP, name, number)
            group(fund_name(number, name), GroupKind.VILLAGE_FUND, name, number)
    group(MAMUANG_SAVINGS_GROUP, GroupKind.SAVINGS_GROUP, MAMUANG)
    group(COMMUNITY_LEADERS, GroupKind.OTHER, THA_RAI)
    team = group(FACILITATORS_TEAM, GroupKind.OTHER)

    def placeholder(full_name: str) -> Person:
        person = session.scalars(select(Person).where(Person.full_name == full_name).order_by(Person.id)).first()
        report._count("people", person is None)
        if person is None:
            person = Person(full_name=full_name, line_user_id=None, created_at=now)
            session.add(person)
            session.flush()
        return person

    def give(person: Person, role: str, **where) -> None:
        held = any(r.role == role and r.group_id == where.get("group_id") for r in person.roles)
        report._count("roles", not held)
        if not held:
            grant(session, person, role, by=BY, **where)

    for name, _, _ in SUB_DISTRICTS:
        for duty in DUTIES:
            # A (sub-district, duty) slot someone real already fills needs no placeholder.
            holder = session.scalars(select(Person).join(PersonRole).where(
                PersonRole.role == Role.FACILITATOR, PersonRole.sub_district_id == subs[name].id,
                PersonRole.duty == duty).order_by(Person.id)).first()
            if holder is not None:
                report._count("people", False)
                report._count("roles", False)
            else:
                holder = placeholder(facilitator_name(name, duty))
                give(holder, Role.FACILITATOR, sub_district_id=subs[name].id, duty=duty)
            give(holder, Role.MEMBER, group_id=team.id)

    coordinator = placeholder(CENTRAL_COORDINATOR)
    give(coordinator, Role.COORDINATOR)

    first = datetime(year, 1, 1, tzinfo=BANGKOK)
    for spec in demo_meetings():
        meeting = session.scalars(select(Meeting).where(
            Meeting.title == spec.title, Meeting.starts_at >= first,
            Meeting.starts_at < first.replace(year=year + 1)).order_by(Meeting.id)).first()
        report._count("meetings", meeting is None)
        if meeting is None:
            starts_at = datetime.combine(date(year, spec.month, spec.day), START, tzinfo=BANGKOK)
            meeting = create_meeting(
                session, title=spec.title, starts_at=starts_at, ends_at=starts_at + LENGTH,
                venue_name=spec.venue_name, venue_address=spec.venue_address,
                sub_district_id=subs[spec.sub_district].id if spec.sub_district else None,
                agenda=spec.agenda, created_by=coordinator, now=now)
            report.meetings.append((meeting.id, meeting.title, meeting.starts_at, True))
        else:
            report.meetings.append((meeting.id, meeting.title, meeting.starts_at, False))
        invited = {inv.group_id for inv in meeting.invitations}
        for group_name, quota in spec.invitations:
            target = groups[group_name]
            report._count("invitations", target.id not in invited)
            if target.id not in invited:
                invite(session, meeting, target, quota, by=coordinator, now=now)
    report.meetings.sort(key=lambda m: (m[2], m[0]))
    return report


def demo_starts(year: int) -> dict[str, datetime]:
    """When each demo meeting starts (Bangkok), by key: for tests and documentation."""
    return {m.key: datetime.combine(date(year, m.month, m.day), START, tzinfo=BANGKOK) for m in demo_meetings()}
