"""The network: sub-districts (ตำบล) → villages (หมู่บ้าน) → financial groups, and LINE chats.

A financial group (a village fund, a savings group, or another circle such as the community
leaders or the facilitators' team) can be linked to one LINE group chat. One chat may serve
several groups: in Tha Rai one chat per village holds both the savings group's and the village
fund's leaders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, selectinload

from models.base import Base, BigId, insert_for, utcnow


class GroupKind:
    VILLAGE_FUND = "village_fund"    # กองทุนหมู่บ้าน
    SAVINGS_GROUP = "savings_group"  # กลุ่มออมทรัพย์
    OTHER = "other"                  # ผู้นำชุมชน, ทีมคุณอำนวย, …

    ALL = (VILLAGE_FUND, SAVINGS_GROUP, OTHER)
    THAI = {VILLAGE_FUND: "กองทุนหมู่บ้าน", SAVINGS_GROUP: "กลุ่มออมทรัพย์", OTHER: "กลุ่มอื่น"}
    SHORT_THAI = {VILLAGE_FUND: "กองทุนฯ", SAVINGS_GROUP: "ออมทรัพย์", OTHER: ""}
    ENGLISH = {VILLAGE_FUND: "village fund", SAVINGS_GROUP: "savings group", OTHER: "group"}


class SubDistrict(Base):
    __tablename__ = "sub_districts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)  # ท่าไร่ (without ต.)
    name_en: Mapped[str | None] = mapped_column(String(100))
    district: Mapped[str | None] = mapped_column(String(100))
    province: Mapped[str | None] = mapped_column(String(100))

    villages: Mapped[list["Village"]] = relationship(back_populates="sub_district", order_by="Village.number")

    @property
    def label(self) -> str:
        return f"ต.{self.name}"


class Village(Base):
    __tablename__ = "villages"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sub_district_id: Mapped[int] = mapped_column(ForeignKey("sub_districts.id"))
    number: Mapped[int]  # หมู่ที่
    name: Mapped[str | None] = mapped_column(String(100))  # บ้าน…

    sub_district: Mapped[SubDistrict] = relationship(back_populates="villages")

    __table_args__ = (UniqueConstraint("sub_district_id", "number", name="uq_villages_sub_district_number"),)

    @property
    def label(self) -> str:
        return f"หมู่ {self.number}" + (f" {self.name}" if self.name else "")


class Chat(Base):
    """A LINE chat the bot is in (group, room) or a person's 1:1 chat."""

    __tablename__ = "chats"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # groupId, roomId or userId
    kind: Mapped[str] = mapped_column(String(10))  # group | room | user
    title: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(5))
    member_count: Mapped[int | None]  # from LINE, for the cost of a push to this chat
    checked_at: Mapped[datetime | None]  # when title and member count were last read from LINE
    joined_at: Mapped[datetime | None]
    left_at: Mapped[datetime | None]


class FinancialGroup(Base):
    __tablename__ = "financial_groups"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=GroupKind.OTHER)
    sub_district_id: Mapped[int | None] = mapped_column(ForeignKey("sub_districts.id"))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"))
    chat_id: Mapped[str | None] = mapped_column(ForeignKey("chats.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Who linked the chat (a person's id) and when: they, or a coordinator, may undo a wrong tap.
    linked_by_id: Mapped[int | None] = mapped_column(BigId)
    linked_at: Mapped[datetime | None]

    sub_district: Mapped[SubDistrict | None] = relationship()
    village: Mapped[Village | None] = relationship()
    chat: Mapped[Chat | None] = relationship()

    __table_args__ = (
        UniqueConstraint("name", name="uq_financial_groups_name"),
        Index("ix_financial_groups_chat", "chat_id"),
    )

    @property
    def short_label(self) -> str:
        """How the group reads in a tally line: 'หมู่ 3 กองทุนฯ', or its name."""
        if self.village is not None and self.kind != GroupKind.OTHER:
            return f"หมู่ {self.village.number} {GroupKind.SHORT_THAI[self.kind]}"
        return self.name

    @property
    def full_name(self) -> str:
        """The name with its village and sub-district when the name leaves them out (for confirmations)."""
        flat = normalise_name(self.name)
        missing = []
        if self.village is not None and not _contains(flat, f"หมู่{self.village.number}"):
            missing.append(f"หมู่ {self.village.number}")
        if self.sub_district is not None and normalise_name(self.sub_district.name) not in flat:
            missing.append(self.sub_district.label)
        return f"{self.name} ({' '.join(missing)})" if missing else self.name


# -- finding things by what people type -----------------------------------------------------------

_SPACES = re.compile(r"\s+")


def normalise_name(text: str) -> str:
    """Lower-case, no spaces, no dots, Thai abbreviations spelled out, for matching typed names."""
    text = text.strip().lower()
    for short, full in (("ต.", "ตำบล"), ("ม.", "หมู่"), ("กองทุนฯ", "กองทุนหมู่บ้าน")):
        text = text.replace(short, full)
    return _SPACES.sub("", text).replace(".", "")


def find_groups(session: Session, query: str, *, limit: int = 13) -> list[FinancialGroup]:
    """Groups whose name matches what was typed: exact first, then containing it."""
    wanted = normalise_name(query)
    if not wanted:
        return []
    groups = session.scalars(select(FinancialGroup).order_by(FinancialGroup.id)).all()
    exact = [g for g in groups if normalise_name(g.name) == wanted]
    if exact:
        return exact
    return [g for g in groups if _contains(normalise_name(g.name), wanted)][:limit]


def _contains(name: str, wanted: str) -> bool:
    """`wanted` in `name`, but "หมู่1" must not match "หมู่10": a number ends where digits end."""
    start = name.find(wanted)
    while start != -1:
        end = start + len(wanted)
        if not (wanted[-1].isdigit() and end < len(name) and name[end].isdigit()):
            return True
        start = name.find(wanted, start + 1)
    return False


_DIGIT_WORDS = str.maketrans({"1": "หนึ่ง", "2": "สอง", "3": "สาม", "4": "สี่", "5": "ห้า", "6": "หก", "7": "เจ็ด",
                              "8": "แปด", "9": "เก้า"})


def find_sub_district(session: Session, query: str) -> SubDistrict | None:
    """By Thai or English name; a digit typed for a number word matches ("มะม่วง 2 ต้น")."""
    wanted = normalise_name(query).removeprefix("ตำบล")
    spelled = wanted.translate(_DIGIT_WORDS)
    for sub in session.scalars(select(SubDistrict)):
        if wanted in (normalise_name(sub.name), normalise_name(sub.name_en or "")) or spelled == normalise_name(sub.name):
            return sub
    return None


def groups_in_chat(session: Session, chat_id: str) -> list[FinancialGroup]:
    return list(session.scalars(select(FinancialGroup).where(FinancialGroup.chat_id == chat_id)
                                .order_by(FinancialGroup.id)))


def ensure_chat(session: Session, chat_id: str, kind: str, *, now: datetime | None = None) -> Chat:
    chat = session.get(Chat, chat_id)
    if chat is None:
        # Several events from a new chat arrive at once (a leave and first messages): insert-or-
        # ignore, then read, never check-then-insert (that failed with a duplicate key).
        record_chat(session, chat_id, kind, now=now or utcnow())
        chat = session.get(Chat, chat_id, populate_existing=True)
    return chat


def record_chat(session: Session, chat_id: str, kind: str, *, now: datetime) -> None:
    """Insert-or-ignore, one statement (the hot path of every webhook event)."""
    session.execute(insert_for(session, Chat).values(id=chat_id, kind=kind[:10], joined_at=now)
                    .on_conflict_do_nothing(index_elements=["id"]))


def link_chat(session: Session, group: FinancialGroup, chat_id: str | None, *, by_id: int | None = None,
              now: datetime | None = None) -> None:
    """Link a group to a chat (None: unlink), remembering who did it so they may undo it."""
    group.chat_id = chat_id
    group.linked_by_id = by_id if chat_id else None
    group.linked_at = (now or utcnow()) if chat_id else None


# -- one reading of a typed group name, shared by inviting and linking ----------------------------
#
# People name a group in many ways: `กองทุนหมู่บ้าน หมู่ 3 ต.บางจาก`, `กองทุน ม.2 บางจาก`, `กทบ. ม.๒
# บางจาก`, `หมู่ 5 บางจาก`, `ออมทรัพย์ท่าไร่`, `กลุ่มสัจจะ หมู่ 4 ตำบลท่าไร่`, `Bang Chak village fund 3`.
# The text is read as its parts (the kind of group, the village number, the sub-district, and any
# other words), and groups are matched on those parts, so a full name never also reads as "the
# whole sub-district" just because every name there ends in `ต.…`.

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_NOT_LETTER = r"(?<![a-z\u0e01-\u0e4e])"
_KINDS = (
    (GroupKind.VILLAGE_FUND, re.compile(
        r"กองทุน\s*หมู่\s*บ้าน(?:\s*และ\s*ชุมชน\s*เมือง)?(?:\s*ฯ)?|กองทุน\s*ฯ|กองทุน|กทบ\s*\.?"
        r"|(?<![a-z])(?:village\s*)?funds?(?![a-z])")),
    (GroupKind.SAVINGS_GROUP, re.compile(
        r"กลุ่ม\s*(?:สัจจะ\s*)?(?:ออม|สะสม)\s*ทรัพย์(?:\s*เพื่อ\s*การ\s*ผลิต)?|กลุ่ม\s*สัจจะ(?:\s*(?:ออม|สะสม)\s*ทรัพย์)?"
        r"|สัจจะ\s*(?:ออม|สะสม)\s*ทรัพย์|ออม\s*ทรัพย์|สัจจะ|(?<![a-z])savings?(?:\s*groups?)?(?![a-z])")),
)
_VILLAGE = re.compile(
    r"(?:หมู่\s*บ้าน\s*(?:ที่)?|หมู่\s*(?:ที่)?|ม\s*\.|" + _NOT_LETTER + r"ม(?=\s*[0-9])|(?<![a-z])(?:moo|mu|m|village|vill)\.?)"
    r"\s*(?P<n>[0-9]{1,3})(?![0-9])")
_TAMBON = re.compile(r"ตำบล|ต\s*\.|(?<![a-z])(?:tambon|sub-?district|t\.)")
_FILLER = re.compile(
    r"ทุก\s*(?:กลุ่ม|หมู่\s*บ้าน|หมู่|แห่ง)?|ทั้ง\s*(?:ตำบล|หมด)?|"
    r"(?<![a-z])(?:all|every|the|of|in|groups?)(?![a-z])|(?:^|(?<=\s))(?:กลุ่ม|ของ|ใน|ที่)(?=\s|$)")


@dataclass(frozen=True)
class GroupName:
    """The parts of a typed group name."""

    kind: str | None
    village: int | None
    sub_district: SubDistrict | None
    rest: str  # the other words, normalised ("ผู้นำชุมชน"); "" when there are none


def read_group_name(session: Session, text: str) -> GroupName:
    s = " " + text.translate(_THAI_DIGITS).lower() + " "
    kinds = set()
    for kind, pattern in _KINDS:
        s, n = pattern.subn(" ", s)
        if n:
            kinds.add(kind)
    village = None
    found = _VILLAGE.search(s)
    if found:
        village = int(found.group("n"))
        s = s[: found.start()] + " " + s[found.end():]
    s = _FILLER.sub(" ", _TAMBON.sub(" ", s))
    flat = normalise_name(s)
    sub = None
    best = ""
    for candidate in session.scalars(select(SubDistrict).order_by(SubDistrict.id)):
        for name in (normalise_name(candidate.name), normalise_name(candidate.name_en or "")):
            if name and len(name) > len(best) and (name in flat or name in flat.translate(_DIGIT_WORDS)):
                sub, best = candidate, name
    if sub is not None:
        flat = flat.replace(best, "", 1) if best in flat else flat.translate(_DIGIT_WORDS).replace(best, "", 1)
    rest = flat.removeprefix("กลุ่ม")
    if village is None and rest.isascii() and rest.isdigit() and len(rest) <= 3:
        village, rest = int(rest), ""  # `village fund 3 Bang Chak`: a lone number is the village's
    return GroupName(next(iter(kinds)) if len(kinds) == 1 else None, village, sub, rest)


@dataclass(frozen=True)
class GroupMatch:
    """Groups a typed name means. `sub_district` is set when the text names a whole sub-district
    (optionally one kind of group in it: `กองทุน ต.มะม่วงสองต้น`) and nothing narrower."""

    groups: list[FinancialGroup]
    sub_district: SubDistrict | None = None
    kind: str | None = None


def match_groups(session: Session, text: str) -> GroupMatch:
    """What `text` names: one group by its full name; every group (of a kind) of a sub-district;
    or the groups whose kind, village, sub-district and other words all agree with it."""
    wanted = normalise_name(text.translate(_THAI_DIGITS))
    if not wanted:
        return GroupMatch([])
    groups = session.scalars(select(FinancialGroup).options(selectinload(FinancialGroup.village))
                             .order_by(FinancialGroup.id)).all()
    exact = [g for g in groups if normalise_name(g.name) == wanted]
    if exact:
        return GroupMatch(exact)
    name = read_group_name(session, text)
    if name.sub_district is not None and name.village is None and not name.rest:
        return GroupMatch([g for g in groups if g.sub_district_id == name.sub_district.id
                           and name.kind in (None, g.kind)], name.sub_district, name.kind)
    if name.kind is None and name.village is None and name.sub_district is None:
        return GroupMatch([g for g in groups if _contains(normalise_name(g.name), name.rest)] if name.rest else [])
    return GroupMatch([
        g for g in groups
        if name.kind in (None, g.kind)
        and (name.village is None or (g.village is not None and g.village.number == name.village))
        and (name.sub_district is None or g.sub_district_id == name.sub_district.id)
        and (not name.rest or _contains(normalise_name(g.name), name.rest))])


# What people type for a kind of group ("ตั้งผู้นำ @x ออมทรัพย์"): enough to pick one of a chat's groups.
_KIND_WORDS = ((GroupKind.SAVINGS_GROUP, ("ออมทรัพย์", "สัจจะ", "saving")),
               (GroupKind.VILLAGE_FUND, ("กองทุน", "fund")))


def group_named_in(groups: list[FinancialGroup], text: str) -> FinancialGroup | None:
    """The one group of `groups` that `text` names, by its name or by its kind; None if not exactly one.

    Words starting with @ are LINE mentions (a person's display name), not group names."""
    wanted = normalise_name(" ".join(w for w in text.split() if not w.startswith("@")))
    if not wanted:
        return None
    by_name = [g for g in groups if _contains(wanted, normalise_name(g.name))]
    if len(by_name) == 1:
        return by_name[0]
    for kind, words in _KIND_WORDS:
        if any(word in wanted for word in words):
            of_kind = [g for g in groups if g.kind == kind]
            return of_kind[0] if len(of_kind) == 1 else None
    return None
