"""The network: sub-districts (ตำบล) → villages (หมู่บ้าน) → financial groups, and LINE chats.

A financial group (a village fund, a savings group, or another circle such as the community
leaders or the facilitators' team) can be linked to one LINE group chat. One chat may serve
several groups: in Tha Rai one chat per village holds both the savings group's and the village
fund's leaders.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

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


def link_chat(session: Session, group: FinancialGroup, chat_id: str) -> None:
    group.chat_id = chat_id
